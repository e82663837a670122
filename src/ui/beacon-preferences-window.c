/* beacon-preferences-window.c — first-run set-up and account preferences
 *
 * Server fields left empty get defaults derived from the address (see the
 * GSettings schema); the password goes to the keyring, never to a file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-ui"

#include <glib/gi18n.h>

#include "beacon-account-setup.h"
#include "beacon-preferences-window.h"

struct _BeaconPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  BeaconApplication    *application;

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

  gtk_widget_set_visible (GTK_WIDGET (self->lan_group), lan);
  gtk_widget_set_visible (GTK_WIDGET (self->server_group), server);
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

static gboolean
save (BeaconPreferencesWindow  *self,
      GError                  **error)
{
  GSettings *settings = beacon_application_get_settings (self->application);
  g_autofree char *aor = NULL;

  if (gtk_check_button_get_active (self->lan_check))
    {
      g_autofree char *name = g_strstrip (g_strdup (row_text (self->lan_name_row)));

      if (*name == '\0')
        {
          g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                               _("Enter the name people nearby will see"));
          return FALSE;
        }
      g_settings_set_string (settings, "lan-name", name);
      g_settings_set_string (settings, "mode", "lan");
      return TRUE;
    }
  if (!gtk_check_button_get_active (self->server_check))
    {
      g_set_error_literal (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED,
                           _("Choose how to connect"));
      return FALSE;
    }

  aor = beacon_account_normalize_uri (row_text (self->aor_row), error);
  if (aor == NULL)
    return FALSE;
  if (*row_text (self->password_row) != '\0' &&
      !beacon_account_setup_store_password (aor, row_text (self->password_row), error))
    return FALSE;

  g_settings_delay (settings);
  g_settings_set_string (settings, "server-aor", aor);
  g_settings_set_string (settings, "server-user", row_text (self->user_row));
  g_settings_set_string (settings, "server-proxy", row_text (self->proxy_row));
  g_settings_set_string (settings, "server-transport",
                         transports[MIN (adw_combo_row_get_selected (self->transport_row),
                                         G_N_ELEMENTS (transports) - 1)]);
  g_settings_set_string (settings, "server-xcap-root", row_text (self->xcap_row));
  g_settings_set_string (settings, "server-list-uri", row_text (self->list_row));
  g_settings_set_string (settings, "mode", "server");
  g_settings_apply (settings);
  return TRUE;
}

static void
on_connect_clicked (BeaconPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconAccount) account = NULL;

  if (!save (self, &error) ||
      (account = beacon_account_setup_create (beacon_application_get_settings (self->application),
                                              &error)) == NULL)
    {
      gtk_label_set_text (self->error_label, error ? error->message : "");
      return;
    }
  beacon_application_set_account (self->application, account);
  gtk_window_close (GTK_WINDOW (self));
}

static void
load (BeaconPreferencesWindow *self)
{
  GSettings *settings = beacon_application_get_settings (self->application);
  g_autofree char *mode = g_settings_get_string (settings, "mode");
  g_autofree char *transport = g_settings_get_string (settings, "server-transport");
  struct { AdwEntryRow *row; const char *key; } fields[] = {
    { self->lan_name_row, "lan-name" },
    { self->aor_row, "server-aor" },
    { self->user_row, "server-user" },
    { self->proxy_row, "server-proxy" },
    { self->xcap_row, "server-xcap-root" },
    { self->list_row, "server-list-uri" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *value = g_settings_get_string (settings, fields[i].key);
      gtk_editable_set_text (GTK_EDITABLE (fields[i].row), value);
    }
  if (*row_text (self->lan_name_row) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->lan_name_row), g_get_user_name ());
  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    if (g_str_equal (transport, transports[i]))
      adw_combo_row_set_selected (self->transport_row, i);

  gtk_check_button_set_active (g_str_equal (mode, "server") ? self->server_check : self->lan_check,
                               TRUE);
  on_mode_toggled (self);
}

static void
beacon_preferences_window_dispose (GObject *object)
{
  BeaconPreferencesWindow *self = BEACON_PREFERENCES_WINDOW (object);

  g_clear_object (&self->application);
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
  load (self);
  return self;
}
