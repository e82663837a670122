/* beacon-preferences-window.c — first-run set-up and account preferences
 *
 * The accounts are listed (Add, Edit, Remove); the form below edits one
 * of them, or a new one (the only thing shown on the first run). Server
 * fields left empty get defaults derived from the address (see the
 * GSettings schema); the password goes to the keyring, never to a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <string.h>

#include <glib/gi18n.h>

#include "beacon-account-setup.h"
#include "beacon-accounts.h"
#include "beacon-preferences-window.h"
#include "beacon-window.h"

#include "lan/beacon-lan-account.h"

struct _BeaconPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  BeaconApplication    *application;
  char                 *editing_id;  /* NULL: a new account */

  AdwPreferencesGroup  *accounts_group;
  GtkListBox           *accounts_list;
  AdwPreferencesGroup  *mode_group;
  AdwPreferencesGroup  *action_group;

  GtkCheckButton       *lan_check;
  GtkCheckButton       *server_check;
  AdwPreferencesGroup  *lan_group;
  AdwPreferencesGroup  *server_group;
  AdwEntryRow          *lan_name_row;
  AdwExpanderRow       *lan_advanced_row;
  AdwEntryRow          *lan_user_row;
  AdwEntryRow          *aor_row;
  AdwEntryRow          *password_row;
  AdwActionRow         *remember_row;
  GtkSwitch            *remember_switch;
  AdwEntryRow          *user_row;
  AdwEntryRow          *proxy_row;
  AdwComboRow          *transport_row;
  AdwEntryRow          *xcap_row;
  AdwEntryRow          *list_row;
  GtkLabel             *error_label;
  GtkWidget            *connect_button;
  GtkSwitch            *background_switch;

  GCancellable         *cancellable;  /* cancelled when the window goes */
  gboolean              keyring_missing;
  gboolean              lan_user_edited;  /* typed, no longer follows the name */
  gboolean              filling;          /* the form is being filled, not typed in */
};

G_DEFINE_FINAL_TYPE (BeaconPreferencesWindow, beacon_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* The engine speaks SIP over UDP, TCP and TLS (in this order in the .ui). */
static const char *const transports[] = { "udp", "tcp", "tls" };

static const char *
row_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
on_mode_toggled (BeaconPreferencesWindow *self)
{
  gboolean lan = gtk_check_button_get_active (self->lan_check);
  gboolean server = gtk_check_button_get_active (self->server_check);

  gboolean form = gtk_widget_get_visible (GTK_WIDGET (self->mode_group));

  gtk_widget_set_visible (GTK_WIDGET (self->lan_group), form && lan);
  gtk_widget_set_visible (GTK_WIDGET (self->server_group), form && server);
}

/* Empty server fields mean a default derived from the address: the rows
 * say which, so nobody has to guess. */
static void
show_defaults (BeaconPreferencesWindow *self,
               const char              *aor)
{
  g_autofree char *xcap = aor ? beacon_account_setup_default_xcap_root (aor) : NULL;
  g_autofree char *list = aor ? beacon_account_setup_default_list_uri (aor) : NULL;
  g_autofree char *xcap_title = NULL;
  g_autofree char *list_title = NULL;

  if (xcap != NULL)
    xcap_title = g_strdup_printf (_("XCAP root (empty: %s)"), xcap);
  if (list != NULL)
    list_title = g_strdup_printf (_("Buddy-list address (empty: %s)"), list);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->xcap_row),
                                 xcap_title ? xcap_title : _("XCAP root"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->list_row),
                                 list_title ? list_title : _("Buddy-list address"));
}

/* An error on the field to fix: the field is marked and the message
 * shown under the form, both until the next change. */
static void
show_field_error (BeaconPreferencesWindow *self,
                  AdwEntryRow             *row,
                  const char              *message)
{
  if (row != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      if (row == self->lan_user_row)
        adw_expander_row_set_expanded (self->lan_advanced_row, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL && *message != '\0');
}

static void
clear_field_error (BeaconPreferencesWindow *self,
                   AdwEntryRow             *row)
{
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_label_set_text (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
on_lan_name_changed (BeaconPreferencesWindow *self)
{
  g_autofree char *user = NULL;

  clear_field_error (self, self->lan_name_row);
  if (self->lan_user_edited)
    return;
  /* The derived address follows the name until the user types one. */
  user = beacon_account_setup_derive_user (row_text (self->lan_name_row));
  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->lan_user_row), user);
  self->filling = FALSE;
}

static void
on_lan_user_changed (BeaconPreferencesWindow *self)
{
  clear_field_error (self, self->lan_user_row);
  if (!self->filling)
    self->lan_user_edited = *row_text (self->lan_user_row) != '\0';
}

static void
on_field_changed (AdwEntryRow             *row,
                  BeaconPreferencesWindow *self)
{
  clear_field_error (self, row);
}

static void
on_aor_changed (BeaconPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = beacon_account_normalize_uri (row_text (self->aor_row), &error);

  /* Marked on Connect, not while the address is still being typed. */
  clear_field_error (self, self->aor_row);
  show_defaults (self, uri);
}

static gboolean
remember_password (BeaconPreferencesWindow *self)
{
  return !self->keyring_missing && gtk_switch_get_active (self->remember_switch);
}

/* Writes the form to the account being edited (a new one is listed
 * only once the form is valid); returns its id. */
static char *
save (BeaconPreferencesWindow  *self,
      AdwEntryRow             **bad_row,
      GError                  **error)
{
  GSettings *main_settings = beacon_application_get_settings (self->application);
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *aor = NULL;
  g_autofree char *name = NULL;
  g_autofree char *lan_user = NULL;
  g_autofree char *id = NULL;

  if (gtk_check_button_get_active (self->lan_check))
    {
      name = g_strstrip (g_strdup (row_text (self->lan_name_row)));
      if (!beacon_account_setup_check_lan_name (name, error))
        {
          *bad_row = self->lan_name_row;
          return NULL;
        }
      lan_user = g_strstrip (g_strdup (row_text (self->lan_user_row)));
      if (*lan_user == '\0')
        {
          g_free (lan_user);
          lan_user = beacon_account_setup_derive_user (name);
        }
      if (!beacon_lan_account_name_is_valid (lan_user))
        {
          g_set_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI,
                       _("“%s” cannot be a SIP user name: use up to 64 letters, digits and - _ . ! ~ * ’"),
                       lan_user);
          *bad_row = self->lan_user_row;
          return NULL;
        }
    }
  else if (!gtk_check_button_get_active (self->server_check))
    {
      g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                           _("Choose how to connect"));
      return NULL;
    }
  else if ((aor = beacon_account_normalize_uri (row_text (self->aor_row), error)) == NULL)
    {
      *bad_row = self->aor_row;
      return NULL;
    }

  id = self->editing_id ? g_strdup (self->editing_id) : beacon_accounts_add (main_settings);
  settings = beacon_accounts_open (id);

  g_settings_delay (settings);
  if (name != NULL)
    {
      g_settings_set_string (settings, "lan-name", name);
      g_settings_set_string (settings, "lan-user", lan_user);
      g_settings_set_string (settings, "mode", "lan");
    }
  else
    {
      g_settings_set_string (settings, "server-aor", aor);
      g_settings_set_string (settings, "server-user", row_text (self->user_row));
      g_settings_set_string (settings, "server-proxy", row_text (self->proxy_row));
      g_settings_set_string (settings, "server-transport",
                             transports[MIN (adw_combo_row_get_selected (self->transport_row),
                                             G_N_ELEMENTS (transports) - 1)]);
      g_settings_set_string (settings, "server-xcap-root", row_text (self->xcap_row));
      g_settings_set_string (settings, "server-list-uri", row_text (self->list_row));
      g_settings_set_boolean (settings, "remember-password", remember_password (self));
      g_settings_set_string (settings, "mode", "server");
    }
  g_settings_apply (settings);
  return g_steal_pointer (&id);
}

/* What Connect is doing, while the keyring and the account answer. */
typedef struct {
  BeaconPreferencesWindow *self;
  char                    *id;
  char                    *password;  /* typed, or NULL */
  gboolean                 remembered;
} Connecting;

static void
connecting_free (Connecting *c)
{
  g_object_unref (c->self);
  g_free (c->id);
  if (c->password != NULL)
    memset (c->password, 0, strlen (c->password));
  g_free (c->password);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Connecting, connecting_free)

static void
connect_failed (BeaconPreferencesWindow *self,
                const char              *id,
                const GError            *error)
{
  /* A new account that cannot run is not kept. */
  if (id != NULL && self->editing_id == NULL)
    beacon_accounts_remove (beacon_application_get_settings (self->application), id);
  show_field_error (self, NULL, error ? error->message : "");
  gtk_widget_set_sensitive (self->connect_button, TRUE);
}

static void
on_account_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Connecting) c = user_data;
  BeaconPreferencesWindow *self = c->self;
  g_autoptr(GError) error = NULL;
  gboolean loaded = beacon_application_load_account_finish (BEACON_APPLICATION (source), result, &error);
  GtkWindow *main = NULL;

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!loaded)
    {
      connect_failed (self, c->id, error);
      return;
    }
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self->application)); l; l = l->next)
    if (BEACON_IS_WINDOW (l->data))
      main = l->data;
  /* Said where the user looks next: the password is not kept. */
  if (c->password != NULL && !c->remembered && main != NULL)
    beacon_window_show_long_toast (BEACON_WINDOW (main),
                                   self->keyring_missing
                                     ? _("No keyring is available: Beacon will ask for your password each time it starts")
                                     : _("Your password is not kept: Beacon will ask for it each time it starts"));
  gtk_window_close (GTK_WINDOW (self));
}

static void
load (Connecting *c)
{
  beacon_application_load_account_async (c->self->application, c->id, c->password,
                                         c->self->cancellable, on_account_loaded, c);
}

static void
show_keyring_missing (BeaconPreferencesWindow *self)
{
  self->keyring_missing = TRUE;
  gtk_switch_set_active (self->remember_switch, FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->remember_row), FALSE);
  adw_action_row_set_subtitle (self->remember_row,
                               _("No keyring is available on this computer: Beacon will ask for the password each time it starts. It is never written to a file."));
}

static void
on_password_stored (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Connecting *c = user_data;
  g_autoptr(GError) error = NULL;

  if (!beacon_account_setup_store_account_password_finish (result, &error))
    {
      g_autoptr(GSettings) settings = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_cancellable_is_cancelled (c->self->cancellable))
        {
          connecting_free (c);
          return;
        }
      /* The account still runs, with the password in memory only. */
      g_message ("Could not keep the password in the keyring: %s", error->message);
      settings = beacon_accounts_open (c->id);
      g_settings_set_boolean (settings, "remember-password", FALSE);
      show_keyring_missing (c->self);
      c->remembered = FALSE;
    }
  load (c);
}

static void
on_forgotten (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!beacon_account_setup_forget_account_password_finish (result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not remove the password from the keyring: %s", error->message);
}

static void
on_connect_clicked (BeaconPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  AdwEntryRow *bad_row = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *aor = NULL;
  const char *password = row_text (self->password_row);
  Connecting *c;

  /* Enter in a field while a Connect is under way does nothing more. */
  if (!gtk_widget_get_sensitive (self->connect_button))
    return;
  id = save (self, &bad_row, &error);
  if (id == NULL)
    {
      show_field_error (self, bad_row, error ? error->message : "");
      return;
    }
  show_field_error (self, NULL, NULL);
  gtk_widget_set_sensitive (self->connect_button, FALSE);
  c = g_new0 (Connecting, 1);
  c->self = g_object_ref (self);
  c->id = g_strdup (id);
  if (!gtk_check_button_get_active (self->server_check))
    {
      load (c);
      return;
    }
  settings = beacon_accounts_open (id);
  aor = g_settings_get_string (settings, "server-aor");
  c->remembered = remember_password (self);
  if (*password == '\0')
    {
      /* Editing without a new password: the kept one, or asked for. */
      load (c);
      return;
    }
  c->password = g_strdup (password);
  if (c->remembered)
    {
      beacon_account_setup_store_account_password_async (id, aor, password, self->cancellable,
                                                         on_password_stored, c);
      return;
    }
  /* Not to be remembered: an older copy goes too. */
  beacon_account_setup_forget_account_password_async (id, NULL, NULL, on_forgotten, NULL);
  load (c);
}

static void
on_keyring_checked (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BeaconPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (beacon_account_setup_keyring_available_finish (result, &error) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;
  g_message ("No keyring: %s", error->message);
  show_keyring_missing (self);
}

/* The form for account @id's settings (NULL: a new account, with the
 * defaults). */
static void
show_form (BeaconPreferencesWindow *self,
           const char              *id)
{
  g_autoptr(GSettings) settings = id ? beacon_accounts_open (id) : NULL;
  g_autofree char *mode = NULL;
  g_autofree char *transport = NULL;
  struct { AdwEntryRow *row; const char *key; } fields[] = {
    { self->lan_name_row, "lan-name" },
    { self->lan_user_row, "lan-user" },
    { self->aor_row, "server-aor" },
    { self->user_row, "server-user" },
    { self->proxy_row, "server-proxy" },
    { self->xcap_row, "server-xcap-root" },
    { self->list_row, "server-list-uri" },
  };

  g_clear_pointer (&self->editing_id, g_free);
  self->editing_id = g_strdup (id);
  self->filling = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = id ? g_settings_get_string (settings, fields[i].key) : g_strdup ("");
      gtk_editable_set_text (GTK_EDITABLE (fields[i].row), value);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_switch_set_active (self->remember_switch,
                         !self->keyring_missing &&
                         (id == NULL || g_settings_get_boolean (settings, "remember-password")));
  self->filling = FALSE;
  /* A user name typed before stays; an empty one follows the name. */
  self->lan_user_edited = *row_text (self->lan_user_row) != '\0';
  if (*row_text (self->lan_name_row) == '\0')
    {
      const char *real = g_get_real_name ();

      gtk_editable_set_text (GTK_EDITABLE (self->lan_name_row),
                             real != NULL && *real != '\0' && g_strcmp0 (real, "Unknown") != 0
                               ? real : g_get_user_name ());
    }
  else
    on_lan_name_changed (self);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (fields[i].row), "error");
  show_field_error (self, NULL, NULL);
  mode = id ? g_settings_get_string (settings, "mode") : g_strdup ("lan");
  transport = id ? g_settings_get_string (settings, "server-transport") : g_strdup ("udp");
  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    if (g_str_equal (transport, transports[i]))
      adw_combo_row_set_selected (self->transport_row, i);
  adw_preferences_group_set_title (self->mode_group,
                                   id ? _("Edit Account: How to Connect") : _("New Account: How to Connect"));
  gtk_widget_set_visible (GTK_WIDGET (self->mode_group), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->action_group), TRUE);
  gtk_check_button_set_active (g_str_equal (mode, "server") ? self->server_check : self->lan_check,
                               TRUE);
  on_mode_toggled (self);
}

static void
on_add_clicked (BeaconPreferencesWindow *self)
{
  show_form (self, NULL);
}

static void
on_edit_clicked (GtkButton               *button,
                 BeaconPreferencesWindow *self)
{
  show_form (self, g_object_get_data (G_OBJECT (button), "account-id"));
}

static void load_accounts (BeaconPreferencesWindow *self);

static void
on_remove_response (AdwMessageDialog        *dialog,
                    const char              *response,
                    BeaconPreferencesWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (dialog), "account-id");
  BeaconAccount *account;

  if (g_strcmp0 (response, "remove") != 0)
    return;
  /* It leaves the network cleanly, then its settings and password go. */
  account = beacon_application_lookup_account (self->application, id);
  if (account != NULL)
    beacon_application_remove_account (self->application, account);
  beacon_accounts_remove (beacon_application_get_settings (self->application), id);
  if (g_strcmp0 (self->editing_id, id) == 0)
    g_clear_pointer (&self->editing_id, g_free);
  load_accounts (self);
}

static void
on_remove_clicked (GtkButton               *button,
                   BeaconPreferencesWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "account-id");
  const char *title = g_object_get_data (G_OBJECT (button), "account-title");
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Remove Account?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("%s will go offline and Beacon will forget its settings and password. Its chat history stays on this computer."),
                                  title);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "account-id", g_strdup (id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_remove_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
row_button (const char              *icon,
            const char              *label,
            const char              *id,
            const char              *title,
            GCallback                callback,
            BeaconPreferencesWindow *self)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (button), "account-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (button), "account-title", g_strdup (title), g_free);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

/* The list of accounts; with none (the first run) only the form shows. */
static void
load_accounts (BeaconPreferencesWindow *self)
{
  GSettings *main_settings = beacon_application_get_settings (self->application);
  g_auto(GStrv) ids = g_settings_get_strv (main_settings, "accounts");
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list))) != NULL)
    gtk_list_box_remove (self->accounts_list, child);
  for (guint i = 0; ids[i] != NULL; i++)
    {
      g_autoptr(GSettings) settings = beacon_accounts_open (ids[i]);
      g_autofree char *title = beacon_accounts_describe (settings);
      g_autofree char *edit = NULL;
      g_autofree char *remove = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (title == NULL)
        title = g_strdup (_("Not set up"));
      edit = g_strdup_printf (_("Edit %s"), title);
      remove = g_strdup_printf (_("Remove %s"), title);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("document-edit-symbolic", edit, ids[i], title,
                                             G_CALLBACK (on_edit_clicked), self));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 row_button ("user-trash-symbolic", remove, ids[i], title,
                                             G_CALLBACK (on_remove_clicked), self));
      gtk_list_box_append (self->accounts_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->accounts_group), ids[0] != NULL);
  if (ids[0] == NULL)
    show_form (self, NULL);
  else if (self->editing_id == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->mode_group), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->action_group), FALSE);
      on_mode_toggled (self);
    }
}

static void
beacon_preferences_window_dispose (GObject *object)
{
  BeaconPreferencesWindow *self = BEACON_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->application);
  g_clear_pointer (&self->editing_id, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), BEACON_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (beacon_preferences_window_parent_class)->dispose (object);
}

static void
beacon_preferences_window_class_init (BeaconPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = beacon_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/beacon_im/Beacon/beacon-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, accounts_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, mode_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, action_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, lan_check);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, server_check);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, lan_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, server_group);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, lan_name_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, aor_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, user_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, transport_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, xcap_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, list_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, connect_button);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, background_switch);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, lan_advanced_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, lan_user_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, remember_row);
  gtk_widget_class_bind_template_child (widget_class, BeaconPreferencesWindow, remember_switch);
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_aor_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_lan_name_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_lan_user_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

static void
beacon_preferences_window_init (BeaconPreferencesWindow *self)
{
  AdwEntryRow *rows[8];

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  rows[0] = self->lan_name_row;
  rows[1] = self->lan_user_row;
  rows[2] = self->aor_row;
  rows[3] = self->password_row;
  rows[4] = self->user_row;
  rows[5] = self->proxy_row;
  rows[6] = self->xcap_row;
  rows[7] = self->list_row;
  /* Enter in any field is Connect; typing in a field clears its error. */
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_signal_connect_object (rows[i], "entry-activated", G_CALLBACK (on_connect_clicked), self,
                               G_CONNECT_SWAPPED);
      if (rows[i] != self->lan_name_row && rows[i] != self->lan_user_row && rows[i] != self->aor_row)
        g_signal_connect_object (rows[i], "changed", G_CALLBACK (on_field_changed), self, 0);
    }
}

BeaconPreferencesWindow *
beacon_preferences_window_new (BeaconApplication *application)
{
  BeaconPreferencesWindow *self = g_object_new (BEACON_TYPE_PREFERENCES_WINDOW, NULL);

  self->application = g_object_ref (application);
  g_settings_bind (beacon_application_get_settings (application), "run-in-background",
                   self->background_switch, "active",
                   G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_NO_SENSITIVITY);
  load_accounts (self);
  beacon_account_setup_keyring_available_async (self->cancellable, on_keyring_checked,
                                                g_object_ref (self));
  return self;
}
