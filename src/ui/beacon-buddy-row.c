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

  gtk_image_set_from_icon_name (self->status_icon, beacon_status_icon_name (status));
  gtk_label_set_text (self->name_label, beacon_buddy_get_display_name (self->buddy));
  gtk_label_set_text (self->note_label, note != NULL ? note : beacon_status_label (status));

  /* A screen reader hears name, status and note as one sentence. */
  description = g_strdup_printf ("%s, %s", beacon_buddy_get_display_name (self->buddy),
                                 beacon_status_label (status));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
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
}

static void
beacon_buddy_row_dispose (GObject *object)
{
  BeaconBuddyRow *self = BEACON_BUDDY_ROW (object);

  beacon_buddy_row_set_buddy (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_BUDDY_ROW);

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
}

static void
beacon_buddy_row_init (BeaconBuddyRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BeaconBuddyRow *
beacon_buddy_row_new (void)
{
  return g_object_new (BEACON_TYPE_BUDDY_ROW, NULL);
}
