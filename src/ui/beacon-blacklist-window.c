/* beacon-blacklist-window.c — lists blocked people; block and unblock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-blacklist-window.h"

struct _BeaconBlacklistWindow
{
  AdwWindow      parent_instance;

  BeaconAccount *account;
  AdwEntryRow   *block_row;
  GtkListBox    *blocked_list;
};

G_DEFINE_FINAL_TYPE (BeaconBlacklistWindow, beacon_blacklist_window, ADW_TYPE_WINDOW)

static void
show_error (BeaconBlacklistWindow *self,
            const GError          *error)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
    adw_message_dialog_new (GTK_WINDOW (self), _("Could Not Change the Blacklist"), error->message));

  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_block_apply (BeaconBlacklistWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = beacon_account_normalize_uri (
    gtk_editable_get_text (GTK_EDITABLE (self->block_row)), &error);

  if (uri == NULL ||
      !beacon_account_authorize (self->account, uri, BEACON_AUTHORIZE_BLOCK, &error))
    {
      show_error (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->block_row), "");
}

static void
on_unblock_clicked (GtkButton             *button,
                    BeaconBlacklistWindow *self)
{
  const char *uri = g_object_get_data (G_OBJECT (button), "uri");
  g_autoptr(GError) error = NULL;

  if (!beacon_account_unblock (self->account, uri, &error))
    show_error (self, error);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  BeaconBlacklistWindow *self = user_data;
  BeaconBuddy *buddy = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Unblock"));
  g_autofree char *label = g_strdup_printf (_("Unblock %s"), beacon_buddy_get_uri (buddy));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), beacon_buddy_get_display_name (buddy));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "uri", g_strdup (beacon_buddy_get_uri (buddy)), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_unblock_clicked), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
beacon_blacklist_window_dispose (GObject *object)
{
  BeaconBlacklistWindow *self = BEACON_BLACKLIST_WINDOW (object);

  g_clear_object (&self->account);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_BLACKLIST_WINDOW);

  G_OBJECT_CLASS (beacon_blacklist_window_parent_class)->dispose (object);
}

static void
beacon_blacklist_window_class_init (BeaconBlacklistWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_blacklist_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-blacklist-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconBlacklistWindow, block_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconBlacklistWindow, blocked_list);
  gtk_widget_class_bind_template_callback (widget_class, on_block_apply);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
beacon_blacklist_window_init (BeaconBlacklistWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BeaconBlacklistWindow *
beacon_blacklist_window_new (GtkWindow     *parent,
                             BeaconAccount *account)
{
  BeaconBlacklistWindow *self = g_object_new (BEACON_TYPE_BLACKLIST_WINDOW,
                                              "transient-for", parent,
                                              NULL);

  self->account = g_object_ref (account);
  gtk_list_box_bind_model (self->blocked_list, beacon_account_get_blocked (account),
                           create_row, self, NULL);
  return self;
}
