/* beacon-buddy-row.c — one friend in the buddy list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-buddy-row.h"
#include "beacon-status-names.h"

struct _BeaconBuddyRow
{
  GtkWidget    parent_instance;

  BeaconBuddy *buddy;
  GtkImage    *status_icon;
  GtkLabel    *name_label;
  GtkLabel    *note_label;
  GtkWidget   *add_button;
  GtkWidget   *heading_label;
  GtkWidget   *buddy_box;
  GtkMenuButton *menu_button;
  gboolean     nearby;
  GtkLabel    *unread_badge;
};

G_DEFINE_FINAL_TYPE (BeaconBuddyRow, beacon_buddy_row, GTK_TYPE_WIDGET)

static void
sync_from_buddy (BeaconBuddyRow *self)
{
  BeaconStatus status = beacon_buddy_get_status (self->buddy);
  const char *note = beacon_buddy_get_note (self->buddy);
  g_autofree char *description = NULL;

  if (beacon_buddy_get_subscription (self->buddy) == BEACON_SUBSCRIPTION_PENDING)
    note = _("Waiting for authorisation");

  static const char *const status_classes[] = {
    [BEACON_STATUS_OFFLINE] = "status-offline",
    [BEACON_STATUS_ONLINE] = "status-online",
    [BEACON_STATUS_AWAY] = "status-away",
    [BEACON_STATUS_BUSY] = "status-busy",
  };

  gtk_image_set_from_icon_name (self->status_icon, beacon_status_icon_name (status));
  /* Colour as well as shape (theme colours: dark mode and high contrast
   * follow). */
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), status_classes[i]);
  if ((guint) status < G_N_ELEMENTS (status_classes))
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), status_classes[status]);
  gtk_label_set_text (self->name_label, beacon_buddy_get_display_name (self->buddy));
  gtk_label_set_text (self->note_label, note != NULL ? note : beacon_status_label (status));

  /* A screen reader hears name, status and note as one sentence. */
  description = g_strdup_printf ("%s, %s", beacon_buddy_get_display_name (self->buddy),
                                 beacon_status_label (status));
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
  g_autoptr(GMenuItem) chat = NULL;
  g_autoptr(GMenuItem) remove = NULL;
  g_autoptr(GMenuItem) block = NULL;

  if (self->buddy == NULL)
    return;
  uri = beacon_buddy_get_uri (self->buddy);
  menu = g_menu_new ();
  chat = g_menu_item_new (_("Open _Chat"), NULL);
  remove = g_menu_item_new (_("_Remove Friend…"), NULL);
  block = g_menu_item_new (_("_Block"), NULL);
  g_menu_item_set_action_and_target (chat, "app.open-chat", "s", uri);
  g_menu_item_set_action_and_target (remove, "win.remove-friend", "s", uri);
  g_menu_item_set_action_and_target (block, "win.block", "s", uri);
  g_menu_append_item (menu, chat);
  g_menu_append_item (menu, remove);
  g_menu_append_item (menu, block);
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
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, add_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, heading_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, buddy_box);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconBuddyRow, unread_badge);
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
