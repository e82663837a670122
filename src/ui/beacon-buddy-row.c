/* beacon-buddy-row.c — one friend in the buddy list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "beacon-buddy-row.h"
#include "beacon-status-names.h"

struct _BeaconBuddyRow
{
  GtkWidget    parent_instance;

  BeaconBuddy *buddy;
  GListModel  *blocked;        /* the account's blacklist, or NULL */
  gboolean     is_blocked;
  AdwAvatar   *avatar;
  GtkImage    *status_icon;
  GtkLabel    *name_label;
  GtkLabel    *uri_label;
  GtkLabel    *status_label;
  GtkLabel    *note_label;
  GtkWidget   *add_button;
  GtkWidget   *heading_label;
  GtkWidget   *buddy_box;
  GtkMenuButton *menu_button;
  gboolean     nearby;
};

G_DEFINE_FINAL_TYPE (BeaconBuddyRow, beacon_buddy_row, GTK_TYPE_WIDGET)

static gboolean
lookup_blocked (BeaconBuddyRow *self)
{
  const char *uri;

  if (self->blocked == NULL || self->buddy == NULL)
    return FALSE;
  uri = beacon_buddy_get_uri (self->buddy);
  for (guint i = 0; i < g_list_model_get_n_items (self->blocked); i++)
    {
      g_autoptr(BeaconBuddy) item = g_list_model_get_item (self->blocked, i);

      if (g_ascii_strcasecmp (beacon_buddy_get_uri (item), uri) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Name and address, a face, and the status as a shape and a word (colour
 * only adds to them); the note on a line of its own. */
static void
sync_from_buddy (BeaconBuddyRow *self)
{
  BeaconShownState state;
  const char *note = beacon_buddy_get_note (self->buddy);
  const char *word;
  g_autofree char *name = beacon_buddy_dup_shown_name (self->buddy);
  g_autofree char *description = NULL;

  self->is_blocked = lookup_blocked (self);
  state = beacon_shown_state_for (self->buddy, self->is_blocked);
  word = beacon_shown_state_label (state);
  if (note != NULL && *note == '\0')
    note = NULL;
  /* What a blocked or refusing friend last said is not current. */
  if (state == BEACON_SHOWN_BLOCKED || state == BEACON_SHOWN_REJECTED)
    note = NULL;

  gtk_image_set_from_icon_name (self->status_icon, beacon_shown_state_icon_name (state));
  /* Theme colours: dark mode and high contrast follow. */
  for (guint i = BEACON_SHOWN_ONLINE; i <= BEACON_SHOWN_BLOCKED; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), beacon_shown_state_css_class (i));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), beacon_shown_state_css_class (state));
  if (self->is_blocked)
    gtk_widget_add_css_class (self->buddy_box, "blocked");
  else
    gtk_widget_remove_css_class (self->buddy_box, "blocked");

  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->uri_label, beacon_buddy_get_uri (self->buddy));
  adw_avatar_set_text (self->avatar, name);
  gtk_label_set_text (self->status_label, word);
  gtk_label_set_text (self->note_label, note != NULL ? note : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);

  /* A screen reader hears name, status and note as one sentence. */
  description = note != NULL ? g_strdup_printf ("%s, %s, %s", name, word, note)
                             : g_strdup_printf ("%s, %s", name, word);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

/* The friend's menu, built when it is first opened: a popover menu per
 * row made start-up with a long list slow (bench/RESULTS.md). Rows are
 * recycled, so each new buddy drops the menu of the previous one. */
static void
create_menu (GtkMenuButton *button,
             gpointer       user_data)
{
  BeaconBuddyRow *self = user_data;
  const char *uri;
  g_autoptr(GMenu) menu = NULL;
  g_autoptr(GMenu) people = NULL;
  g_autoptr(GMenuItem) chat = NULL;
  g_autoptr(GMenuItem) rename = NULL;
  g_autoptr(GMenuItem) remove = NULL;
  g_autoptr(GMenuItem) block = NULL;

  if (self->buddy == NULL)
    return;
  uri = beacon_buddy_get_uri (self->buddy);
  menu = g_menu_new ();
  people = g_menu_new ();
  chat = g_menu_item_new (_("Open _Chat"), NULL);
  rename = g_menu_item_new (_("Re_name…"), NULL);
  remove = g_menu_item_new (_("_Remove Friend…"), NULL);
  /* Block and Unblock toggle: the menu says what pressing it does. */
  block = self->is_blocked ? g_menu_item_new (_("_Unblock"), NULL)
                           : g_menu_item_new (_("_Block"), NULL);
  g_menu_item_set_action_and_target (chat, "app.open-chat", "s", uri);
  g_menu_item_set_action_and_target (rename, "win.rename-friend", "s", uri);
  g_menu_item_set_action_and_target (remove, "win.remove-friend", "s", uri);
  g_menu_item_set_action_and_target (block, self->is_blocked ? "win.unblock" : "win.block", "s", uri);
  g_menu_append_item (menu, chat);
  g_menu_append_item (people, rename);
  g_menu_append_item (people, block);
  g_menu_append_item (people, remove);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (people));
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

/* The friend's menu and the "Add" button act on this row's URI. */
static void
sync_actions (BeaconBuddyRow *self)
{
  const char *uri = beacon_buddy_get_uri (self->buddy);

  if (gtk_menu_button_get_menu_model (self->menu_button) != NULL)
    gtk_menu_button_set_menu_model (self->menu_button, NULL);
  /* Target first: the action takes a URI, never nothing. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->add_button), "s", uri);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_button), "win.add-nearby");
}

static void
on_blocked_changed (BeaconBuddyRow *self)
{
  if (self->buddy == NULL)
    return;
  sync_from_buddy (self);
  /* The menu's Block/Unblock follows. */
  sync_actions (self);
}

void
beacon_buddy_row_set_blocked_list (BeaconBuddyRow *self,
                                   GListModel     *blocked)
{
  g_return_if_fail (BEACON_IS_BUDDY_ROW (self));

  if (self->blocked == blocked)
    return;
  if (self->blocked != NULL)
    g_signal_handlers_disconnect_by_func (self->blocked, on_blocked_changed, self);
  g_set_object (&self->blocked, blocked);
  if (blocked != NULL)
    g_signal_connect_object (blocked, "items-changed", G_CALLBACK (on_blocked_changed), self,
                             G_CONNECT_SWAPPED);
  on_blocked_changed (self);
}

gboolean
beacon_buddy_row_get_blocked (BeaconBuddyRow *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY_ROW (self), FALSE);
  return self->is_blocked;
}

static void
on_buddy_notify (BeaconBuddy    *buddy,
                 GParamSpec     *pspec,
                 BeaconBuddyRow *self)
{
  sync_from_buddy (self);
}

void
beacon_buddy_row_set_buddy (BeaconBuddyRow *self,
                            BeaconBuddy    *buddy)
{
  g_return_if_fail (BEACON_IS_BUDDY_ROW (self));

  if (self->buddy != NULL)
    g_signal_handlers_disconnect_by_func (self->buddy, on_buddy_notify, self);
  g_set_object (&self->buddy, buddy);
  if (buddy == NULL)
    return;
  g_signal_connect_object (buddy, "notify", G_CALLBACK (on_buddy_notify), self, 0);
  sync_from_buddy (self);
  sync_actions (self);
}

BeaconBuddy *
beacon_buddy_row_get_buddy (BeaconBuddyRow *self)
{
  g_return_val_if_fail (BEACON_IS_BUDDY_ROW (self), NULL);
  return self->buddy;
}

void
beacon_buddy_row_set_heading (BeaconBuddyRow *self,
                              const char     *title)
{
  g_return_if_fail (BEACON_IS_BUDDY_ROW (self));

  if (title != NULL)
    {
      beacon_buddy_row_set_buddy (self, NULL);
      gtk_label_set_text (GTK_LABEL (self->heading_label), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
    }
  gtk_widget_set_visible (self->heading_label, title != NULL);
  gtk_widget_set_visible (self->buddy_box, title == NULL);
}

void
beacon_buddy_row_set_nearby (BeaconBuddyRow *self,
                             gboolean        nearby)
{
  g_return_if_fail (BEACON_IS_BUDDY_ROW (self));

  self->nearby = nearby;
  gtk_widget_set_visible (self->add_button, nearby);
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), !nearby);
}

static void
beacon_buddy_row_dispose (GObject *object)
{
  BeaconBuddyRow *self = BEACON_BUDDY_ROW (object);

  GtkWidget *child;

  beacon_buddy_row_set_buddy (self, NULL);
  beacon_buddy_row_set_blocked_list (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_BUDDY_ROW);
  /* The template's top box has no id: dispose_template leaves it. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (beacon_buddy_row_parent_class)->dispose (object);
}

static void
beacon_buddy_row_class_init (BeaconBuddyRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_buddy_row_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-buddy-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, uri_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, add_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, buddy_box);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, menu_button);
}

static void
beacon_buddy_row_init (BeaconBuddyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu, self, NULL);
}

BeaconBuddyRow *
beacon_buddy_row_new (void)
{
  return g_object_new (BEACON_TYPE_BUDDY_ROW, NULL);
}
