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

#include <glib/gi18n.h>

#include "beacon-account-setup.h"
#include "beacon-accounts.h"
#include "beacon-preferences-window.h"

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
  AdwEntryRow          *aor_row;
  AdwEntryRow          *password_row;
  AdwEntryRow          *user_row;
  AdwEntryRow          *proxy_row;
  AdwComboRow          *transport_row;
  AdwEntryRow          *xcap_row;
  AdwEntryRow          *list_row;
  GtkLabel             *error_label;
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

static void
on_aor_changed (BeaconPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = beacon_account_normalize_uri (row_text (self->aor_row), &error);

  if (uri == NULL && *row_text (self->aor_row) != '\0')
    gtk_widget_add_css_class (GTK_WIDGET (self->aor_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->aor_row), "error");
  show_defaults (self, uri);
}

/* Writes the form to the account being edited (a new one is listed
 * only once the form is valid); returns its id. */
static char *
save (BeaconPreferencesWindow  *self,
      GError                  **error)
{
  GSettings *main_settings = beacon_application_get_settings (self->application);
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *aor = NULL;
  g_autofree char *name = NULL;
  g_autofree char *id = NULL;
  const char *password = row_text (self->password_row);

  if (gtk_check_button_get_active (self->lan_check))
    {
      name = g_strstrip (g_strdup (row_text (self->lan_name_row)));
      if (*name == '\0')
        {
          g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                               _("Enter the name people nearby will see"));
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
    return NULL;

  id = self->editing_id ? g_strdup (self->editing_id) : beacon_accounts_add (main_settings);
  settings = beacon_accounts_open (id);
  if (aor != NULL && *password != '\0' &&
      !beacon_account_setup_store_account_password (id, aor, password, error))
    {
      if (self->editing_id == NULL)
        beacon_accounts_remove (main_settings, id);
      return NULL;
    }

  g_settings_delay (settings);
  if (name != NULL)
    {
      g_settings_set_string (settings, "lan-name", name);
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
      g_settings_set_string (settings, "mode", "server");
    }
  g_settings_apply (settings);
  return g_steal_pointer (&id);
}

static void
on_connect_clicked (BeaconPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = save (self, &error);

  if (id == NULL || !beacon_application_load_account (self->application, id, &error))
    {
      /* A new account that cannot run is not kept. */
      if (id != NULL && self->editing_id == NULL)
        beacon_accounts_remove (beacon_application_get_settings (self->application), id);
      gtk_label_set_text (self->error_label, error ? error->message : "");
      return;
    }
  gtk_window_close (GTK_WINDOW (self));
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
    { self->aor_row, "server-aor" },
    { self->user_row, "server-user" },
    { self->proxy_row, "server-proxy" },
    { self->xcap_row, "server-xcap-root" },
    { self->list_row, "server-list-uri" },
  };

  g_clear_pointer (&self->editing_id, g_free);
  self->editing_id = g_strdup (id);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = id ? g_settings_get_string (settings, fields[i].key) : g_strdup ("");
      gtk_editable_set_text (GTK_EDITABLE (fields[i].row), value);
    }
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_label_set_text (self->error_label, "");
  if (*row_text (self->lan_name_row) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->lan_name_row), g_get_user_name ());
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
  gtk_widget_class_bind_template_callback (widget_class, on_mode_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_aor_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_connect_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

static void
beacon_preferences_window_init (BeaconPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

BeaconPreferencesWindow *
beacon_preferences_window_new (BeaconApplication *application)
{
  BeaconPreferencesWindow *self = g_object_new (BEACON_TYPE_PREFERENCES_WINDOW, NULL);

  self->application = g_object_ref (application);
  load_accounts (self);
  return self;
}
