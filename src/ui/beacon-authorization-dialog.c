/* beacon-authorization-dialog.c — "X wants to see your status"
 *
 * The three answers of the seed's scenario 2.1.2.2: accept, accept and add
 * back as a friend, or block. Closing the dialog answers nothing: the
 * request stays pending and is asked again next time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-authorization-dialog.h"
#include "beacon-error-words.h"
#include "beacon-status-names.h"

struct _BeaconAuthorizationDialog
{
  AdwMessageDialog  parent_instance;

  BeaconAccount    *account;
  char             *uri;
};

G_DEFINE_FINAL_TYPE (BeaconAuthorizationDialog, beacon_authorization_dialog, ADW_TYPE_MESSAGE_DIALOG)

static void
beacon_authorization_dialog_response (AdwMessageDialog *dialog,
                                      const char       *response)
{
  BeaconAuthorizationDialog *self = BEACON_AUTHORIZATION_DIALOG (dialog);
  g_autoptr(GError) error = NULL;
  BeaconAuthorization answer;

  if (g_strcmp0 (response, "allow") == 0)
    answer = BEACON_AUTHORIZE_ALLOW;
  else if (g_strcmp0 (response, "allow-add") == 0)
    answer = BEACON_AUTHORIZE_ALLOW_AND_ADD;
  else if (g_strcmp0 (response, "block") == 0)
    answer = BEACON_AUTHORIZE_BLOCK;
  else
    return;

  if (!beacon_account_authorize (self->account, self->uri, answer, &error))
    beacon_error_dialog (gtk_window_get_transient_for (GTK_WINDOW (self)),
                         _("Could Not Save Your Answer"), error);
}

static void
beacon_authorization_dialog_finalize (GObject *object)
{
  BeaconAuthorizationDialog *self = BEACON_AUTHORIZATION_DIALOG (object);

  g_clear_object (&self->account);
  g_clear_pointer (&self->uri, g_free);

  G_OBJECT_CLASS (beacon_authorization_dialog_parent_class)->finalize (object);
}

static void
beacon_authorization_dialog_class_init (BeaconAuthorizationDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = beacon_authorization_dialog_finalize;
  ADW_MESSAGE_DIALOG_CLASS (klass)->response = beacon_authorization_dialog_response;
}

static void
beacon_authorization_dialog_init (BeaconAuthorizationDialog *self)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (self);

  adw_message_dialog_set_heading (dialog, _("Someone Wants to See Your Status"));
  adw_message_dialog_add_responses (dialog,
                                    "later", _("_Later"),
                                    "block", _("_Block"),
                                    "allow", _("_Accept"),
                                    "allow-add", _("Accept and _Add"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "block", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "allow-add", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "allow-add");
  adw_message_dialog_set_close_response (dialog, "later");
}

/* Who asks: a face, the name, the address below it. */
static GtkWidget *
person_box (const char *name,
            const char *uri)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *avatar = adw_avatar_new (48, name, TRUE);
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *address = gtk_label_new (uri);

  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (texts, GTK_ALIGN_CENTER);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (address), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (address), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (address, "dim-label");
  gtk_widget_add_css_class (address, "caption");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), address);
  gtk_box_append (GTK_BOX (box), avatar);
  gtk_box_append (GTK_BOX (box), texts);
  return box;
}

BeaconAuthorizationDialog *
beacon_authorization_dialog_new (GtkWindow     *parent,
                                 BeaconAccount *account,
                                 const char    *watcher_uri)
{
  BeaconAuthorizationDialog *self = g_object_new (BEACON_TYPE_AUTHORIZATION_DIALOG,
                                                  "transient-for", parent,
                                                  "modal", FALSE,
                                                  NULL);

  g_autofree char *name = NULL;

  self->account = g_object_ref (account);
  self->uri = g_strdup (watcher_uri);
  name = beacon_person_name (watcher_uri, beacon_known_name (account, watcher_uri));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (self),
                                  _("%s asks to see whether you are online. Accept, accept and add them "
                                    "to your friends, or block them."),
                                  name);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (self), person_box (name, watcher_uri));
  return self;
}

const char *
beacon_authorization_dialog_get_uri (BeaconAuthorizationDialog *self)
{
  g_return_val_if_fail (BEACON_IS_AUTHORIZATION_DIALOG (self), NULL);
  return self->uri;
}

BeaconAccount *
beacon_authorization_dialog_get_account (BeaconAuthorizationDialog *self)
{
  g_return_val_if_fail (BEACON_IS_AUTHORIZATION_DIALOG (self), NULL);
  return self->account;
}
