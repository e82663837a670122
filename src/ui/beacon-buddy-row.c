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
  GtkWidget   *avatar_slot;
  AdwAvatar   *avatar;         /* NULL until made (queue_avatar) */
  GtkImage    *status_icon;
  GtkLabel    *name_label;
  GtkLabel    *status_label;
  GtkWidget   *text_box;
  GtkLabel    *note_label;     /* made when first needed, like the next two */
  GtkWidget   *add_button;
  GtkWidget   *heading_label;
  GtkWidget   *buddy_box;
  GtkMenuButton *menu_button;
  gboolean     nearby;
  GtkLabel    *unread_badge;
};

G_DEFINE_FINAL_TYPE (BeaconBuddyRow, beacon_buddy_row, GTK_TYPE_WIDGET)

/* Faces come just after the list: an AdwAvatar costs about half a
 * millisecond, and GtkListView makes up to 200 rows at once, which made
 * the first frame with 1,000 buddies ~25 % slower (bench startup.1000).
 * Rows made before any avatar exists wait in this queue, served on idle
 * a few at a time, as messengers load faces after the list. */
static GQueue  pending_avatars = G_QUEUE_INIT;
static guint   avatars_idle_id;

static void sync_from_buddy (BeaconBuddyRow *self);

static void
make_avatar (BeaconBuddyRow *self)
{
  self->avatar = g_object_new (ADW_TYPE_AVATAR,
                               "size", 36,
                               "show-initials", TRUE,
                               "valign", GTK_ALIGN_CENTER,
                               "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                               NULL);
  gtk_box_append (GTK_BOX (self->avatar_slot), GTK_WIDGET (self->avatar));
  if (self->buddy != NULL)
    sync_from_buddy (self);
}

static gboolean
make_pending_avatars (gpointer user_data)
{
  for (guint i = 0; i < 20 && !g_queue_is_empty (&pending_avatars); i++)
    make_avatar (g_queue_pop_head (&pending_avatars));
  if (!g_queue_is_empty (&pending_avatars))
    return G_SOURCE_CONTINUE;
  avatars_idle_id = 0;
  return G_SOURCE_REMOVE;
}

static void
queue_avatar (BeaconBuddyRow *self)
{
  g_queue_push_tail (&pending_avatars, self);
  if (avatars_idle_id == 0)
    avatars_idle_id = g_idle_add_full (G_PRIORITY_LOW, make_pending_avatars, NULL, NULL);
}

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
  g_autofree char *title = NULL;

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

  /* The address quiet beside the name (as .dim-label and .caption). */
  title = g_markup_printf_escaped ("%s  <span size=\"small\" alpha=\"55%%\">%s</span>", name,
                                   beacon_buddy_get_uri (self->buddy));
  gtk_label_set_markup (self->name_label, title);
  if (self->avatar != NULL)
    adw_avatar_set_text (self->avatar, name);
  gtk_label_set_text (self->status_label, word);
  if (note != NULL && self->note_label == NULL)
    {
      self->note_label = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (self->note_label, 0);
      gtk_label_set_ellipsize (self->note_label, PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (GTK_WIDGET (self->note_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->note_label), "caption");
      gtk_box_append (GTK_BOX (self->text_box), GTK_WIDGET (self->note_label));
    }
  if (self->note_label != NULL)
    {
      gtk_label_set_text (self->note_label, note != NULL ? note : "");
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), note != NULL);
    }

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
  if (self->add_button == NULL)
    return;
  /* Target first: the action takes a URI, never nothing. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->add_button), "s", uri);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->add_button), "win.add-nearby");
}

/* Unread messages: a count at the end of the row, the name in bold. */
static void
sync_unread (BeaconBuddyRow *self)
{
  guint unread = self->buddy != NULL ? beacon_buddy_get_unread_count (self->buddy) : 0;
  g_autofree char *count = g_strdup_printf ("%u", unread);
  /* TRANSLATORS: the tooltip of the count on a friend's row */
  g_autofree char *tooltip = g_strdup_printf (_("Unread messages: %u"), unread);

  gtk_label_set_text (self->unread_badge, count);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->unread_badge), tooltip);
  gtk_widget_set_visible (GTK_WIDGET (self->unread_badge), unread > 0);
  /* A screen reader hears it with the row, as the eye sees the badge. */
  if (unread > 0)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    tooltip, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  if (unread > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "unread");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->name_label), "unread");
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
  if (self->buddy != NULL)
    g_signal_handlers_disconnect_by_func (self->buddy, sync_unread, self);
  g_set_object (&self->buddy, buddy);
  sync_unread (self);
  if (buddy == NULL)
    return;
  g_signal_connect_object (buddy, "notify::unread-count", G_CALLBACK (sync_unread), self,
                           G_CONNECT_SWAPPED);
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
      if (self->heading_label == NULL)
        {
          self->heading_label = gtk_label_new (NULL);
          gtk_label_set_xalign (GTK_LABEL (self->heading_label), 0);
          gtk_widget_set_margin_start (self->heading_label, 6);
          gtk_widget_set_margin_top (self->heading_label, 12);
          gtk_widget_set_margin_bottom (self->heading_label, 3);
          gtk_widget_add_css_class (self->heading_label, "heading");
          gtk_box_prepend (GTK_BOX (gtk_widget_get_parent (self->buddy_box)), self->heading_label);
        }
      gtk_label_set_text (GTK_LABEL (self->heading_label), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
    }
  if (self->heading_label != NULL)
    gtk_widget_set_visible (self->heading_label, title != NULL);
  gtk_widget_set_visible (self->buddy_box, title == NULL);
}

void
beacon_buddy_row_set_nearby (BeaconBuddyRow *self,
                             gboolean        nearby)
{
  g_return_if_fail (BEACON_IS_BUDDY_ROW (self));

  self->nearby = nearby;
  if (nearby && self->add_button == NULL)
    {
      self->add_button = gtk_button_new_with_mnemonic (_("_Add"));
      gtk_widget_set_valign (self->add_button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (self->add_button, _("Add as a friend"));
      /* Before the menu button: the end of the row stays as it is. */
      gtk_box_insert_child_after (GTK_BOX (self->buddy_box), self->add_button, self->text_box);
      if (self->buddy != NULL)
        sync_actions (self);
    }
  if (self->add_button != NULL)
    gtk_widget_set_visible (self->add_button, nearby);
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), !nearby);
}

static void
beacon_buddy_row_dispose (GObject *object)
{
  BeaconBuddyRow *self = BEACON_BUDDY_ROW (object);

  GtkWidget *child;

  g_queue_remove (&pending_avatars, self);
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
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, avatar_slot);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, text_box);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, buddy_box);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, unread_badge);
}

static void
beacon_buddy_row_init (BeaconBuddyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, create_menu, self, NULL);
  queue_avatar (self);
}

BeaconBuddyRow *
beacon_buddy_row_new (void)
{
  return g_object_new (BEACON_TYPE_BUDDY_ROW, NULL);
}
