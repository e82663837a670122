/* beacon-add-friend-dialog.c — asks for a friend's address and adds them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-add-friend-dialog.h"
#include "beacon-error-words.h"

struct _BeaconAddFriendDialog
{
  AdwMessageDialog  parent_instance;

  BeaconAccount    *account;
  AdwEntryRow      *address_row;
  AdwEntryRow      *name_row;
  GtkLabel         *error_label;
};

G_DEFINE_FINAL_TYPE (BeaconAddFriendDialog, beacon_add_friend_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The address is checked as the user types; "Add" stays off until it is
 * a SIP address, and says why when it is not. */
static void
on_address_changed (BeaconAddFriendDialog *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = beacon_account_normalize_uri (text, &error);
  gboolean known = FALSE;

  if (uri != NULL)
    known = beacon_buddy_list_lookup (beacon_account_get_buddies (self->account), uri) != NULL;

  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (self), "add", uri != NULL && !known);
  if (*text == '\0')
    gtk_label_set_text (self->error_label, "");
  else if (uri == NULL)
    gtk_label_set_text (self->error_label, _("Enter an address like bob@example.org"));
  else if (known)
    gtk_label_set_text (self->error_label, _("Already on your list"));
  else
    gtk_label_set_text (self->error_label, "");

  if (uri == NULL && *text != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->address_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->address_row), "error");
}

static void
on_response (BeaconAddFriendDialog *self,
             const char            *response)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  const char *name;

  if (g_strcmp0 (response, "add") != 0)
    return;
  uri = beacon_account_normalize_uri (gtk_editable_get_text (GTK_EDITABLE (self->address_row)), &error);
  name = gtk_editable_get_text (GTK_EDITABLE (self->name_row));
  if (uri == NULL || !beacon_account_add_buddy (self->account, uri, *name ? name : NULL, &error))
    {
      beacon_error_dialog (gtk_window_get_transient_for (GTK_WINDOW (self)),
                           _("Could Not Add Friend"), error);
    }
}

static void
beacon_add_friend_dialog_dispose (GObject *object)
{
  BeaconAddFriendDialog *self = BEACON_ADD_FRIEND_DIALOG (object);

  g_clear_object (&self->account);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_ADD_FRIEND_DIALOG);

  G_OBJECT_CLASS (beacon_add_friend_dialog_parent_class)->dispose (object);
}

static void
beacon_add_friend_dialog_class_init (BeaconAddFriendDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_add_friend_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-add-friend-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconAddFriendDialog, address_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconAddFriendDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconAddFriendDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_address_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_response);
}

static void
beacon_add_friend_dialog_init (BeaconAddFriendDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BeaconAddFriendDialog *
beacon_add_friend_dialog_new (GtkWindow     *parent,
                              BeaconAccount *account)
{
  BeaconAddFriendDialog *self = g_object_new (BEACON_TYPE_ADD_FRIEND_DIALOG,
                                              "transient-for", parent,
                                              "modal", TRUE,
                                              NULL);

  self->account = g_object_ref (account);
  return self;
}
