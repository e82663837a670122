/* test-ui-shell.c — the application shell in the real windows
 *
 * Under run-ui-flows.sh (a private Xvfb, session bus and Beacon's
 * Kamailio with alice, bob and carol) and shell-keyring.sh, which gives
 * either a real gnome-keyring on the bus (BEACON_TEST_KEYRING=real) or a
 * bus where no Secret Service answers (none). One application for the
 * whole program, as a user's session has:
 * - real: an account set up in Preferences with "Remember Password" on
 *   keeps its password in the keyring (read back with libsecret), signs
 *   in to the Kamailio, and at the next start (the same load the start-up
 *   does) signs in again with no question;
 * - none: Preferences says there is no keyring and the switch is off;
 *   Connect still makes the account, which signs in; the window says the
 *   password will be asked for at each start; no file holds it; at the
 *   next start a dialog asks for it and the account signs in with it.
 * Every wait is bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <fcntl.h>
#include <signal.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <libsecret/secret.h>
#include <X11/Xlib.h>

#include "beacon-account-setup.h"
#include "beacon-accounts.h"
#include "beacon-add-friend-dialog.h"
#include "beacon-application.h"
#include "beacon-preferences-window.h"
#include "beacon-window.h"
#include "ui-test-util.h"

#define WAIT_S 30.0

static BeaconApplication *app;
static GtkWidget *window;

/* ---- helpers ----------------------------------------------------------------- */

static gboolean
is_online (gpointer account)
{
  return beacon_account_get_connection_state (account) == BEACON_CONNECTION_ONLINE;
}

static gboolean
nth_widget (GtkWidget *widget,
            gpointer   n)
{
  return (*(guint *) n)-- == 0;
}

static gboolean
row_titled (GtkWidget *widget,
            gpointer   prefix)
{
  return g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), prefix);
}

static void
set_row (GtkWidget  *prefs,
         const char *title,
         const char *text)
{
  GtkWidget *row = ui_find (prefs, ADW_TYPE_ENTRY_ROW, row_titled, (gpointer) title);

  g_assert_nonnull (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static gboolean
prefs_closed (gpointer data)
{
  return ui_find_toplevel (BEACON_TYPE_PREFERENCES_WINDOW, NULL, NULL) == NULL;
}

static gboolean
n_accounts_is (gpointer n)
{
  return g_list_model_get_n_items (beacon_application_get_accounts (app)) == GPOINTER_TO_UINT (n);
}

static GtkSwitch *
remember_switch (GtkWidget *prefs)
{
  GtkWidget *row = ui_find (prefs, ADW_TYPE_ACTION_ROW, row_titled, "Remember Password");

  g_assert_nonnull (row);
  return GTK_SWITCH (ui_find (row, GTK_TYPE_SWITCH, NULL, NULL));
}

static gboolean
switch_off_and_insensitive (gpointer sw)
{
  return !gtk_switch_get_active (sw) && !gtk_widget_is_sensitive (sw);
}

static gboolean
tooltip_is (GtkWidget *widget,
            gpointer   text)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0;
}

static gboolean
is_password_dialog (GtkWidget *widget,
                    gpointer   data)
{
  return g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (widget)), "Password Needed") == 0;
}

static gboolean
no_password_dialog (gpointer data)
{
  return ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, is_password_dialog, NULL) == NULL;
}

static char *
server_proxy (void)
{
  return g_strdup_printf ("sip:%s:%s", g_getenv ("BEACON_TEST_SIP_HOST"), g_getenv ("BEACON_TEST_SIP_PORT"));
}

/* Preferences' form filled for @user of the Kamailio (server mode). */
static GtkWidget *
open_server_form (const char *user)
{
  g_autofree char *address = g_strdup_printf ("%s@%s", user, g_getenv ("BEACON_TEST_DOMAIN"));
  g_autofree char *password = g_strdup_printf ("%s-pw", user);
  g_autofree char *proxy = server_proxy ();
  GtkWidget *prefs;

  g_assert_true (gtk_widget_activate_action (window, "app.preferences", NULL));
  prefs = ui_wait_for_toplevel (BEACON_TYPE_PREFERENCES_WINDOW, NULL, NULL, WAIT_S);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (ui_find (prefs, GTK_TYPE_CHECK_BUTTON, nth_widget,
                                                          (guint[]) { 1 })),
                               TRUE);
  set_row (prefs, "Address", address);
  set_row (prefs, "Password", password);
  set_row (prefs, "Outbound proxy", proxy);
  set_row (prefs, "XCAP root", g_getenv ("BEACON_TEST_XCAP_ROOT"));
  return prefs;
}

static const SecretSchema *
password_schema (void)
{
  /* As beacon-account-setup.c keeps it. */
  static const SecretSchema schema = {
    BEACON_APP_ID ".Password", SECRET_SCHEMA_NONE,
    { { "aor", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 } }
  };
  return &schema;
}

static BeaconAccount *
only_account (void)
{
  g_autoptr(BeaconAccount) account = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (beacon_application_get_accounts (app)), ==, 1);
  account = g_list_model_get_item (beacon_application_get_accounts (app), 0);
  return account;  /* the application keeps it */
}

static char *
only_id (void)
{
  g_autoptr(GSettings) settings = g_settings_new (BEACON_APP_ID);
  g_auto(GStrv) ids = g_settings_get_strv (settings, "accounts");

  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  return g_strdup (ids[0]);
}

/* No file under @dir holds @secret. */
static void
assert_no_file_holds (const char *dir,
                      const char *secret)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_no_file_holds (path, secret);
      else if (g_file_get_contents (path, &contents, &length, NULL) &&
               g_strstr_len (contents, length, secret) != NULL)
        g_error ("%s holds the password", path);
    }
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError  *error;
} Loaded;

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Loaded *loaded = user_data;

  loaded->ok = beacon_application_load_account_finish (BEACON_APPLICATION (source), result,
                                                       &loaded->error);
  loaded->done = TRUE;
}

static gboolean
is_done (gpointer loaded)
{
  return ((Loaded *) loaded)->done;
}

static GtkWidget *
entry_row (GtkWidget  *root,
           const char *title)
{
  GtkWidget *row = ui_find (root, ADW_TYPE_ENTRY_ROW, row_titled, (gpointer) title);

  g_assert_nonnull (row);
  return row;
}

/* What the Enter key does in @row's text. */
static void
press_enter (GtkWidget *row)
{
  GtkWidget *text = ui_find (row, GTK_TYPE_TEXT, NULL, NULL);

  g_assert_nonnull (text);
  g_signal_emit_by_name (text, "activate");
}

static gboolean
is_error_label (GtkWidget *widget,
                gpointer   data)
{
  return gtk_widget_has_css_class (widget, "error");
}

/* The message under the form ("" when none shows). */
static const char *
form_error (GtkWidget *prefs)
{
  GtkWidget *label = ui_find (prefs, GTK_TYPE_LABEL, is_error_label, NULL);

  g_assert_nonnull (label);
  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : "";
}

static gboolean
has_text (GtkWidget *widget,
          gpointer   text)
{
  return g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* The header's controls that need an account. */
static void
assert_controls_sensitive (gboolean sensitive)
{
  GtkWidget *status = ui_find (window, GTK_TYPE_DROP_DOWN, tooltip_is, "Your status");
  GtkWidget *note = ui_find (window, GTK_TYPE_ENTRY, NULL, NULL);
  GtkWidget *add = ui_find (window, GTK_TYPE_BUTTON, tooltip_is, "Add Friend");
  GtkWidget *search = ui_find (window, GTK_TYPE_TOGGLE_BUTTON, tooltip_is, "Search Friends");

  g_assert_nonnull (status);
  g_assert_nonnull (note);
  g_assert_nonnull (add);
  g_assert_nonnull (search);
  g_assert_cmpint (gtk_widget_is_sensitive (status), ==, sensitive);
  g_assert_cmpint (gtk_widget_is_sensitive (note), ==, sensitive);
  g_assert_cmpint (gtk_widget_is_sensitive (add), ==, sensitive);
  g_assert_cmpint (gtk_widget_is_sensitive (search), ==, sensitive);
  /* The shortcut too (Ctrl+N): a dialog only with an account. */
  gtk_widget_activate_action (window, "win.add-friend", NULL);
  ui_spin (0.2);
  {
    GtkWindow *dialog = ui_find_toplevel (BEACON_TYPE_ADD_FRIEND_DIALOG, NULL, NULL);

    g_assert_cmpint (dialog != NULL, ==, sensitive);
    if (dialog != NULL)
      gtk_window_destroy (dialog);
  }
}

/* ---- the tests ------------------------------------------------------------------ */

/* Before any account: a welcome, the controls off; the form takes any
 * name, derives the SIP user, marks a field to fix until it changes,
 * and Enter submits. */
static void
test_onboarding (void)
{
  GtkWidget *prefs;
  GtkWidget *name_row;
  GtkWidget *user_row;

  ui_wait_for_text (window, "Welcome to Beacon", WAIT_S);
  assert_controls_sensitive (FALSE);
  g_assert_false (gtk_widget_is_visible (ui_find (window, ADW_TYPE_AVATAR, NULL, NULL)));
  ui_screenshot (window, "shell-welcome");

  g_assert_true (gtk_widget_activate_action (window, "app.preferences", NULL));
  prefs = ui_wait_for_toplevel (BEACON_TYPE_PREFERENCES_WINDOW, NULL, NULL, WAIT_S);
  ui_wait_for_text (prefs, "New Account: How to Connect", WAIT_S);
  name_row = entry_row (prefs, "Your name");
  user_row = entry_row (prefs, "SIP user name");

  /* Any name; the SIP user is made from it, and shown. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Alice Liddell");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (user_row)), ==, "alice.liddell");
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_assert_cmpstr (form_error (prefs), ==, "");
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Zoë d’Arc");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (user_row)), ==, "zoe.d.arc");

  /* Enter with no name: the field is marked, the message says why… */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "");
  press_enter (name_row);
  g_assert_true (gtk_widget_has_css_class (name_row, "error"));
  g_assert_cmpstr (form_error (prefs), ==, "Enter the name people nearby will see");
  ui_spin (0.3);
  ui_screenshot (prefs, "shell-setup-error");
  /* …until it changes. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Alice Liddell");
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_assert_cmpstr (form_error (prefs), ==, "");

  /* The SIP user is editable (Advanced), and checked. */
  gtk_editable_set_text (GTK_EDITABLE (user_row), "alice liddell");
  press_enter (name_row);
  g_assert_true (gtk_widget_has_css_class (user_row, "error"));
  g_assert_false (gtk_widget_has_css_class (name_row, "error"));
  g_assert_nonnull (strstr (form_error (prefs), "cannot be a SIP user name"));
  g_assert_true (adw_expander_row_get_expanded (
                   ADW_EXPANDER_ROW (gtk_widget_get_ancestor (user_row, ADW_TYPE_EXPANDER_ROW))));
  gtk_editable_set_text (GTK_EDITABLE (user_row), "alice-l");
  g_assert_false (gtk_widget_has_css_class (user_row, "error"));
  g_assert_cmpstr (form_error (prefs), ==, "");
  /* A user name typed by hand no longer follows the name. */
  gtk_editable_set_text (GTK_EDITABLE (name_row), "Alice L.");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (user_row)), ==, "alice-l");
  ui_spin (0.3);
  ui_screenshot (prefs, "shell-setup-lan-name");

  /* Nothing was made by the failed tries. */
  g_assert_cmpuint (g_list_model_get_n_items (beacon_application_get_accounts (app)), ==, 0);
  gtk_window_close (GTK_WINDOW (prefs));
  ui_wait_for (prefs_closed, NULL, WAIT_S, "Preferences to close");
}

/* A real keyring: the password goes there, and comes back at start. */
static void
test_real_keyring (void)
{
  g_autofree char *alice_uri = g_strdup_printf ("sip:alice@%s", g_getenv ("BEACON_TEST_DOMAIN"));
  g_autofree char *id = NULL;
  g_autofree char *kept = NULL;
  g_autoptr(GError) error = NULL;
  BeaconAccount *first;
  BeaconAccount *again;
  GtkWidget *prefs;
  Loaded loaded = { 0 };

  prefs = open_server_form ("alice");
  /* The keyring answers: the switch stays on and can be changed. */
  ui_spin (1.0);
  g_assert_true (gtk_switch_get_active (remember_switch (prefs)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (remember_switch (prefs))));
  ui_screenshot (prefs, "shell-keyring-preferences");
  /* Enter in the password field is Connect. The server frozen for the
   * while: the window says it is connecting. */
  g_assert_cmpint (kill (-ui_kamailio_pid (), SIGSTOP), ==, 0);
  press_enter (ui_find (prefs, ADW_TYPE_PASSWORD_ENTRY_ROW, NULL, NULL));
  ui_wait_for (prefs_closed, NULL, WAIT_S, "Preferences to close after Connect");
  ui_wait_for (n_accounts_is, GUINT_TO_POINTER (1), WAIT_S, "the account to join");
  first = only_account ();
  g_assert_cmpstr (beacon_account_get_aor (first), ==, alice_uri);
  {
    g_autofree char *state = g_strdup_printf ("alice@%s · Connecting…", g_getenv ("BEACON_TEST_DOMAIN"));

    ui_wait_for_text (window, state, WAIT_S);
    g_assert_cmpint (beacon_account_get_connection_state (first), ==, BEACON_CONNECTION_CONNECTING);
    ui_screenshot (window, "shell-connecting");
  }
  g_assert_cmpint (kill (-ui_kamailio_pid (), SIGCONT), ==, 0);
  ui_wait_for (is_online, first, WAIT_S, "alice to sign in to the Kamailio");
  /* The window says who I am and that I am connected; the controls are on. */
  {
    g_autofree char *state = g_strdup_printf ("alice@%s · Connected", g_getenv ("BEACON_TEST_DOMAIN"));
    GtkWidget *avatar = ui_find (window, ADW_TYPE_AVATAR, NULL, NULL);

    ui_wait_for_text (window, state, WAIT_S);
    g_assert_nonnull (ui_find (window, GTK_TYPE_LABEL, has_text, "alice"));
    g_assert_true (gtk_widget_is_visible (avatar));
    g_assert_cmpstr (adw_avatar_get_text (ADW_AVATAR (avatar)), ==, "alice");
    assert_controls_sensitive (TRUE);
  }

  /* In the real keyring, under the account's id. */
  id = only_id ();
  kept = secret_password_lookup_sync (password_schema (), NULL, &error, "account", id, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, "alice-pw");
  ui_screenshot (window, "shell-keyring-online");

  /* The next start reads it back: no question asked. */
  beacon_application_load_account_async (app, id, NULL, NULL, on_loaded, &loaded);
  ui_wait_for (is_done, &loaded, WAIT_S, "the account to load from the keyring");
  g_assert_no_error (loaded.error);
  g_assert_true (loaded.ok);
  g_assert_null (ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, is_password_dialog, NULL));
  again = only_account ();
  g_assert_true (again != first);
  ui_wait_for (is_online, again, WAIT_S, "alice to sign in again with the kept password");
}

/* No Secret Service at all: the account is still made, and the password
 * asked for at each start. */
static void
test_no_keyring (void)
{
  g_autofree char *alice_uri = g_strdup_printf ("sip:alice@%s", g_getenv ("BEACON_TEST_DOMAIN"));
  g_autoptr(GSettings) account_settings = NULL;
  g_autofree char *id = NULL;
  g_autofree char *subtitle = NULL;
  BeaconAccount *first;
  BeaconAccount *again;
  GtkWidget *prefs;
  GtkWidget *dialog;
  GtkWidget *entry;
  GtkSwitch *sw;

  prefs = open_server_form ("alice");
  sw = remember_switch (prefs);
  ui_wait_for (switch_off_and_insensitive, sw, WAIT_S, "Remember Password to turn off");
  subtitle = g_strdup (adw_action_row_get_subtitle (ADW_ACTION_ROW (ui_find (prefs, ADW_TYPE_ACTION_ROW,
                                                                             row_titled,
                                                                             "Remember Password"))));
  g_assert_nonnull (strstr (subtitle, "No keyring is available"));
  g_assert_nonnull (strstr (subtitle, "ask for the password each time it starts"));
  ui_wait_for_text (prefs, "No keyring is available", WAIT_S);
  ui_screenshot (prefs, "shell-nokeyring-preferences");
  ui_click (prefs, "_Connect");
  ui_wait_for (prefs_closed, NULL, WAIT_S, "Preferences to close after Connect");
  /* No raw D-Bus error, and the account exists and signs in. */
  first = only_account ();
  g_assert_cmpstr (beacon_account_get_aor (first), ==, alice_uri);
  ui_wait_for (is_online, first, WAIT_S, "alice to sign in without a keyring");
  ui_wait_for_text (window, "No keyring is available: Beacon will ask for your password each time it starts", WAIT_S);
  {
    g_autofree char *text = ui_visible_text (window);
    g_assert_null (strstr (text, "org.freedesktop"));
  }
  ui_screenshot (window, "shell-nokeyring-online");
  id = only_id ();
  account_settings = beacon_accounts_open (id);
  g_assert_false (g_settings_get_boolean (account_settings, "remember-password"));
  /* Never a plain-text file. */
  assert_no_file_holds (g_get_user_config_dir (), "alice-pw");
  assert_no_file_holds (g_get_user_data_dir (), "alice-pw");
  assert_no_file_holds (g_get_user_cache_dir (), "alice-pw");

  /* The next start: nothing runs until the password is given. */
  beacon_application_set_account (app, NULL);
  ui_wait_for (n_accounts_is, GUINT_TO_POINTER (0), WAIT_S, "alice to stop");
  ui_wait_for_text (window, "Not Signed In", WAIT_S);
  ui_click (window, "_Sign In");
  dialog = ui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, is_password_dialog, NULL, WAIT_S);
  ui_wait_for_text (dialog, "No keyring is available", WAIT_S);
  ui_wait_for_text (dialog, "alice@", WAIT_S);
  /* "Not Now": no account, and the window says how to sign in. */
  ui_click (dialog, "_Not Now");
  ui_wait_for (no_password_dialog, NULL, WAIT_S, "the dialog to close");
  g_assert_cmpuint (g_list_model_get_n_items (beacon_application_get_accounts (app)), ==, 0);
  ui_wait_for_text (window, "Not Signed In", WAIT_S);
  ui_screenshot (window, "shell-nokeyring-not-signed-in");
  ui_click (window, "_Sign In");
  dialog = ui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, is_password_dialog, NULL, WAIT_S);
  entry = ui_find (dialog, GTK_TYPE_ENTRY, NULL, NULL);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "alice-pw");
  ui_spin (0.3);
  ui_screenshot (dialog, "shell-nokeyring-password-dialog");
  g_assert_false (gtk_entry_get_visibility (GTK_ENTRY (entry)));
  /* Enter answers it (the entry activates the dialog's default, Connect). */
  g_signal_emit_by_name (ui_find (entry, GTK_TYPE_TEXT, NULL, NULL), "activate");
  ui_wait_for (n_accounts_is, GUINT_TO_POINTER (1), WAIT_S, "the account to load with the typed password");
  ui_wait_for (no_password_dialog, NULL, WAIT_S, "the dialog to close after Enter");
  again = only_account ();
  g_assert_true (again != first);
  ui_wait_for (is_online, again, WAIT_S, "alice to sign in with the typed password");
}

static gboolean
has_failed (gpointer account)
{
  return beacon_account_get_connection_state (account) == BEACON_CONNECTION_FAILED;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    count)
{
  /* Started again: connecting, not only stopped. */
  if (beacon_account_get_connection_state (BEACON_ACCOUNT (object)) == BEACON_CONNECTION_CONNECTING)
    (*(guint *) count)++;
}

static gboolean
counted (gpointer count)
{
  return *(guint *) count > 0;
}

/* A refused account: the window says so, with Retry, which starts it again. */
static void
test_connection_error (void)
{
  g_autofree char *aor = g_strdup_printf ("sip:carol@%s", g_getenv ("BEACON_TEST_DOMAIN"));
  g_autofree char *proxy = server_proxy ();
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "shell-carol", NULL);
  g_autofree char *state = g_strdup_printf ("carol@%s · Not connected", g_getenv ("BEACON_TEST_DOMAIN"));
  BeaconServerSetup setup = {
    .aor = aor, .password = "not-her-password", .proxy = proxy, .transport = "udp",
    .xcap_root = g_getenv ("BEACON_TEST_XCAP_ROOT"),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconAccount) carol = beacon_account_setup_create_server (&setup, dir, &error);
  BeaconWindow *second = beacon_window_new (app);
  GtkWidget *retry;
  guint changes = 0;

  g_assert_no_error (error);
  beacon_window_set_account (second, carol);
  gtk_window_present (GTK_WINDOW (second));
  beacon_account_start (carol);
  ui_wait_for (has_failed, carol, WAIT_S, "the server to refuse carol");
  ui_wait_for_text (GTK_WIDGET (second), state, WAIT_S);
  ui_wait_for_text (GTK_WIDGET (second), "did not accept your user name or password", WAIT_S);
  retry = ui_find_button (GTK_WIDGET (second), "_Retry");
  g_assert_nonnull (retry);
  ui_screenshot (GTK_WIDGET (second), "shell-connection-error");
  g_signal_connect (carol, "notify::connection-state", G_CALLBACK (count_notify), &changes);
  ui_click (GTK_WIDGET (second), "_Retry");
  ui_wait_for (counted, &changes, WAIT_S, "Retry to start carol again");
  g_signal_handlers_disconnect_by_func (carol, count_notify, &changes);
  gtk_window_destroy (GTK_WINDOW (second));
  beacon_account_stop_async (carol, NULL, NULL, NULL);
}

/* ---- running in the background: the real binary in its own process ------- */

static GPtrArray *portal_calls;  /* the reasons RequestBackground was given */

static const char portal_xml[] =
  "<node><interface name='org.freedesktop.portal.Background'>"
  "<method name='RequestBackground'><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "<arg type='o' direction='out'/></method>"
  "</interface></node>";

static void
on_portal_call (GDBusConnection       *connection,
                const char            *sender,
                const char            *path,
                const char            *interface,
                const char            *method,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  g_autoptr(GVariant) options = g_variant_get_child_value (parameters, 1);
  const char *reason = "";

  g_variant_lookup (options, "reason", "&s", &reason);
  g_ptr_array_add (portal_calls, g_strdup (reason));
  g_dbus_method_invocation_return_value (invocation,
                                         g_variant_new ("(o)", "/org/freedesktop/portal/desktop/request/1"));
}

static gboolean
is_true (gpointer flag)
{
  return *(gboolean *) flag;
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         flag)
{
  *(gboolean *) flag = TRUE;
}

/* A Background portal on the test's bus, as a desktop has. */
static guint
own_portal (void)
{
  static const GDBusInterfaceVTable vtable = { on_portal_call };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (portal_xml, &error);
  static gboolean owned;
  guint owner;

  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/portal/desktop", info->interfaces[0], &vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.freedesktop.portal.Desktop", G_BUS_NAME_OWNER_FLAGS_NONE,
                                        on_name_acquired, NULL, &owned, NULL);
  ui_wait_for (is_true, &owned, WAIT_S, "the portal on the session bus");
  return owner;
}

typedef struct {
  BeaconAccount *watcher;
  const char    *uri;
  BeaconStatus   status;
} BuddyWant;

static gboolean
buddy_is (gpointer data)
{
  BuddyWant *want = data;
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (want->watcher), want->uri);

  return buddy != NULL && beacon_buddy_get_status (buddy) == want->status &&
         (want->status == BEACON_STATUS_OFFLINE ||
          beacon_buddy_get_subscription (buddy) == BEACON_SUBSCRIPTION_ACTIVE);
}

static gboolean
has_exited (gpointer process)
{
  return g_subprocess_get_identifier (process) == NULL;
}

static gboolean
is_own_window (Window xid)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) own = g_list_model_get_item (toplevels, i);
      GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (own));

      if (surface != NULL && gdk_x11_surface_get_xid (surface) == xid)
        return TRUE;
    }
  return FALSE;
}

/* The X window titled Beacon that is not this process's (GTK 4 puts no
 * _NET_WM_PID on it to search by): the app's, 0 while there is none. */
static Window
app_window (GSubprocess *process,
            gboolean     visible_only)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  const char *visible[] = { "xdotool", "search", "--onlyvisible", "--name", "^Beacon$", NULL };
  const char *all[] = { "xdotool", "search", "--name", "^Beacon$", NULL };
  const char **argv = visible_only ? visible : all;

  if (g_subprocess_get_identifier (process) == NULL ||
      !g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, NULL, NULL))
    return 0;
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      Window xid = (Window) g_ascii_strtoull (lines[i], NULL, 10);

      if (xid != 0 && !is_own_window (xid))
        return xid;
    }
  return 0;
}

typedef struct {
  GSubprocess *process;
  Window       window;
} AppWindow;

static gboolean
window_shown (gpointer data)
{
  AppWindow *w = data;

  return (w->window = app_window (w->process, TRUE)) != 0;
}

static gboolean
window_hidden (gpointer data)
{
  AppWindow *w = data;
  Display *display = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  XWindowAttributes attributes = { 0 };

  gdk_x11_display_error_trap_push (gdk_display_get_default ());
  /* Gone, or unmapped. */
  if (!XGetWindowAttributes (display, w->window, &attributes))
    attributes.map_state = IsUnmapped;
  gdk_x11_display_error_trap_pop_ignored (gdk_display_get_default ());
  return attributes.map_state != IsViewable;
}

/* What a window manager does for the close button: WM_DELETE_WINDOW. */
static void
send_close (Window xid)
{
  Display *display = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  XEvent event = { 0 };

  event.xclient.type = ClientMessage;
  event.xclient.window = xid;
  event.xclient.message_type = XInternAtom (display, "WM_PROTOCOLS", False);
  event.xclient.format = 32;
  event.xclient.data.l[0] = XInternAtom (display, "WM_DELETE_WINDOW", False);
  event.xclient.data.l[1] = CurrentTime;
  XSendEvent (display, xid, False, NoEventMask, &event);
  XFlush (display);
}

static void
screenshot_x_window (Window      xid,
                     const char *name)
{
  g_autofree char *id = g_strdup_printf ("%lu", (gulong) xid);
  g_autofree char *path = g_strdup_printf ("%s/%s.png", g_getenv ("BEACON_TEST_SCREENSHOTS"), name);
  const char *argv[] = { "import", "-window", id, path, NULL };
  int status = -1;

  ui_spin (0.5);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("screenshot: %s", path);
}

/* Real keys (XTEST), to the window with the focus. */
static void
press_keys (Window      xid,
            const char *keys)
{
  g_autofree char *id = g_strdup_printf ("%lu", (gulong) xid);
  const char *focus[] = { "xdotool", "windowfocus", "--sync", id, NULL };
  const char *press[] = { "xdotool", "key", "--clearmodifiers", keys, NULL };
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) focus, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, NULL));
  ui_spin (0.3);
  g_assert_true (g_spawn_sync (NULL, (char **) press, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static GSubprocess *
launch (const char *home,
        const char *name)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *config = g_build_filename (home, "config", NULL);
  g_autofree char *data = g_build_filename (home, "data", NULL);
  g_autofree char *log_name = g_strdup_printf ("%s.log", name);
  g_autofree char *log = g_build_filename (home, log_name, NULL);
  g_autofree char *binary = g_build_filename (g_getenv ("BEACON_BUILD_ROOT"), "src", "ui", "beacon", NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  /* Settings in a file the test wrote (the tests' memory backend is
   * per process). */
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "keyfile", TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0", TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "beacon-ui", TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, log);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, NULL);
  g_assert_no_error (error);
  return process;
}

static void
write_app_settings (const char *home,
                    const char *id,
                    gboolean    background)
{
  const char *domain = g_getenv ("BEACON_TEST_DOMAIN");
  g_autofree char *dir = g_build_filename (home, "config", "glib-2.0", "settings", NULL);
  g_autofree char *path = g_build_filename (dir, "keyfile", NULL);
  g_autofree char *proxy = server_proxy ();
  g_autofree char *text = g_strdup_printf ("[io/github/beacon_im/Beacon]\n"
                                           "accounts=['%s']\n"
                                           "run-in-background=%s\n\n"
                                           "[io/github/beacon_im/Beacon/accounts/%s]\n"
                                           "mode='server'\n"
                                           "server-aor='sip:alice@%s'\n"
                                           "server-proxy='%s'\n"
                                           "server-xcap-root='%s'\n"
                                           "remember-password=true\n",
                                           id, background ? "true" : "false", id, domain, proxy,
                                           g_getenv ("BEACON_TEST_XCAP_ROOT"));
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
assert_clean_log (const char *home,
                  const char *name)
{
  g_autofree char *log_name = g_strdup_printf ("%s.log", name);
  g_autofree char *log = g_build_filename (home, log_name, NULL);
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (log, &text, NULL, NULL));
  if (strstr (text, "CRITICAL") || strstr (text, "AddressSanitizer") || strstr (text, "runtime error"))
    g_error ("the app logged errors:\n%s", text);
}

static void
test_background (void)
{
  const char *domain = g_getenv ("BEACON_TEST_DOMAIN");
  g_autofree char *alice_uri = g_strdup_printf ("sip:alice@%s", domain);
  g_autofree char *bob_uri = g_strdup_printf ("sip:bob@%s", domain);
  g_autofree char *bob_aor = g_strdup (bob_uri);
  g_autofree char *proxy = server_proxy ();
  g_autofree char *bob_dir = g_build_filename (g_get_user_data_dir (), "shell-bob", NULL);
  g_autofree char *home = g_build_filename (g_get_user_data_dir (), "shell-process", NULL);
  g_autofree char *id = only_id ();
  BeaconServerSetup setup = {
    .aor = bob_aor, .password = "bob-pw", .proxy = proxy, .transport = "udp",
    .xcap_root = g_getenv ("BEACON_TEST_XCAP_ROOT"),
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconAccount) bob = beacon_account_setup_create_server (&setup, bob_dir, &error);
  g_autoptr(BeaconAccount) alice = g_object_ref (only_account ());
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GSubprocess) third = NULL;
  BuddyWant online = { bob, alice_uri, BEACON_STATUS_ONLINE };
  BuddyWant offline = { bob, alice_uri, BEACON_STATUS_OFFLINE };
  AppWindow w = { NULL, 0 };
  guint portal;

  g_assert_no_error (error);
  portal_calls = g_ptr_array_new_with_free_func (g_free);
  portal = own_portal ();

  /* bob, a real engine account, watches alice (she allows him). */
  beacon_account_start (bob);
  ui_wait_for (is_online, bob, WAIT_S, "bob to sign in");
  g_assert_true (beacon_account_add_buddy (bob, alice_uri, "Alice", NULL));
  g_assert_true (beacon_account_authorize (alice, bob_uri, BEACON_AUTHORIZE_ALLOW, NULL));
  ui_wait_for (buddy_is, &online, WAIT_S, "bob to see alice online");
  /* From now on alice is only the app in its own process. */
  {
    GtkWindow *ask;

    while ((ask = ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL, NULL)) != NULL)
      gtk_window_destroy (ask);
  }
  beacon_application_set_account (app, NULL);
  ui_wait_for (buddy_is, &offline, WAIT_S, "bob to see alice leave");

  write_app_settings (home, id, TRUE);
  first = launch (home, "first");
  w.process = first;
  ui_wait_for (buddy_is, &online, WAIT_S, "bob to see the app's alice online");
  ui_wait_for (window_shown, &w, WAIT_S, "the app's window");

  /* Closed, as by the window manager's close button: hidden, still online. */
  send_close (w.window);
  ui_wait_for (window_hidden, &w, WAIT_S, "the window to hide");
  g_assert_false (has_exited (first));
  ui_spin (3.0);
  g_assert_false (has_exited (first));
  g_assert_true (buddy_is (&online));
  /* `beacon` again: it hands over to the running one and exits; the
   * window comes back. */
  second = launch (home, "second");
  ui_wait_for (has_exited, second, WAIT_S, "the second launch to exit");
  g_assert_true (g_subprocess_get_if_exited (second));
  g_assert_cmpint (g_subprocess_get_exit_status (second), ==, 0);
  ui_wait_for (window_shown, &w, WAIT_S, "the window to come back");
  g_assert_false (has_exited (first));
  screenshot_x_window (w.window, "shell-background-second-launch");

  /* Ctrl+Q: offline, and gone. */
  press_keys (w.window, "ctrl+q");
  ui_wait_for (has_exited, first, WAIT_S, "Ctrl+Q to quit the app");
  g_assert_true (g_subprocess_get_if_exited (first));
  g_assert_cmpint (g_subprocess_get_exit_status (first), ==, 0);
  ui_wait_for (buddy_is, &offline, WAIT_S, "bob to see alice offline after Quit");
  /* The portal was asked, with a reason. */
  if (portal_calls->len != 1)
    {
      g_autofree char *log = g_build_filename (home, "first.log", NULL);
      g_autofree char *text = NULL;

      g_file_get_contents (log, &text, NULL, NULL);
      g_test_message ("app log %s:\n%s", log, text ? text : "(none)");
    }
  g_assert_cmpuint (portal_calls->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (portal_calls, 0), "online"));


  /* "Run in background" off: closing quits, offline. */
  write_app_settings (home, id, FALSE);
  third = launch (home, "third");
  w.process = third;
  ui_wait_for (buddy_is, &online, WAIT_S, "bob to see alice online again");
  ui_wait_for (window_shown, &w, WAIT_S, "the app's window");
  send_close (w.window);
  ui_wait_for (has_exited, third, WAIT_S, "closing to quit without background");
  g_assert_cmpint (g_subprocess_get_exit_status (third), ==, 0);
  ui_wait_for (buddy_is, &offline, WAIT_S, "bob to see alice offline after the close");
  assert_clean_log (home, "first");
  assert_clean_log (home, "third");

  beacon_account_stop_async (bob, NULL, NULL, NULL);
  g_bus_unown_name (portal);
  g_clear_pointer (&portal_calls, g_ptr_array_unref);
}

static gboolean
width_at_least (gpointer widget)
{
  /* 1600 px less the client-side border */
  return gtk_widget_get_width (widget) >= 1580;
}

static gboolean
narrow (gpointer widget)
{
  return gtk_widget_get_width (widget) <= 440;
}

static gboolean
is_buddy_view (GtkWidget *widget,
               gpointer   data)
{
  /* Not the lists inside the drop-downs' popovers. */
  return gtk_widget_has_css_class (widget, "navigation-sidebar");
}

static gboolean
list_has_rows (gpointer view)
{
  return gtk_widget_get_first_child (view) != NULL && gtk_widget_get_width (view) > 0 &&
         gtk_widget_get_mapped (view);
}

/* A wide window: the list (and who I am, my note) keep a readable width,
 * centred, instead of rows edge to edge. */
static void
test_wide_window (void)
{
  const char *domain = g_getenv ("BEACON_TEST_DOMAIN");
  g_autofree char *bob_uri = g_strdup_printf ("sip:bob@%s", domain);
  g_autofree char *carol_uri = g_strdup_printf ("sip:carol@%s", domain);
  BeaconAccount *alice = only_account ();
  GSettings *settings = beacon_application_get_settings (app);
  BeaconWindow *wide;
  GtkWidget *view;
  graphene_rect_t list_box;
  graphene_rect_t note_box;

  g_assert_true (beacon_account_add_buddy (alice, bob_uri, "Bob", NULL));
  g_assert_true (beacon_account_add_buddy (alice, carol_uri, "Carol", NULL));
  ui_wait_for_text (window, "Carol", WAIT_S);
  /* A window opened at 1600 px (the size it remembers). */
  g_settings_set_int (settings, "window-width", 1600);
  g_settings_set_int (settings, "window-height", 700);
  wide = beacon_window_new (app);
  beacon_window_set_account (wide, alice);
  gtk_window_present (GTK_WINDOW (wide));
  ui_wait_for (width_at_least, wide, WAIT_S, "the window to be 1600 px wide");
  view = ui_find (GTK_WIDGET (wide), GTK_TYPE_LIST_VIEW, is_buddy_view, NULL);
  ui_wait_for (list_has_rows, view, WAIT_S, "the list to show its rows");
  ui_wait_for_text (GTK_WIDGET (wide), "Carol", WAIT_S);
  ui_spin (0.5);
  g_assert_true (gtk_widget_compute_bounds (view, GTK_WIDGET (wide), &list_box));
  g_assert_true (gtk_widget_compute_bounds (ui_find (GTK_WIDGET (wide), GTK_TYPE_ENTRY, NULL, NULL),
                                            GTK_WIDGET (wide), &note_box));
  g_test_message ("window %d px; list at x=%.0f, %.0f px wide; note %.0f px wide",
                  gtk_widget_get_width (GTK_WIDGET (wide)), list_box.origin.x, list_box.size.width,
                  note_box.size.width);
  /* At most the clamp's width, and centred. */
  g_assert_cmpfloat (list_box.size.width, <=, 640);
  g_assert_cmpfloat (list_box.size.width, >=, 400);
  g_assert_cmpfloat (fabs (list_box.origin.x + list_box.size.width / 2 -
                           gtk_widget_get_width (GTK_WIDGET (wide)) / 2.0), <, 20);
  g_assert_cmpfloat (note_box.size.width, <=, 640);
  ui_screenshot (GTK_WIDGET (wide), "shell-wide-window-1600");
  gtk_window_destroy (GTK_WINDOW (wide));
  /* Narrow again (the main window follows the remembered size): the
   * list takes the window's width. */
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  ui_wait_for (narrow, window, WAIT_S, "the main window to be narrow again");
  ui_spin (0.5);
  view = ui_find (window, GTK_TYPE_LIST_VIEW, is_buddy_view, NULL);
  g_assert_true (gtk_widget_compute_bounds (view, window, &list_box));
  g_assert_cmpfloat (list_box.size.width, >, gtk_widget_get_width (window) - 40);
  beacon_account_remove_buddy (alice, carol_uri, NULL);
  beacon_account_remove_buddy (alice, bob_uri, NULL);
}

/* The setting is in Preferences (General), on by default. */
static void
test_background_setting (void)
{
  GSettings *settings = beacon_application_get_settings (app);
  GtkWidget *prefs;
  GtkWidget *row;
  GtkSwitch *sw;

  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_true (gtk_widget_activate_action (window, "app.preferences", NULL));
  prefs = ui_wait_for_toplevel (BEACON_TYPE_PREFERENCES_WINDOW, NULL, NULL, WAIT_S);
  row = ui_find (prefs, ADW_TYPE_ACTION_ROW, row_titled, "Run in Background");
  g_assert_nonnull (row);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (
                                             gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_PAGE)));
  ui_spin (0.3);
  ui_screenshot (prefs, "shell-preferences-background");
  sw = GTK_SWITCH (ui_find (row, GTK_TYPE_SWITCH, NULL, NULL));
  g_assert_true (gtk_switch_get_active (sw));
  gtk_switch_set_active (sw, FALSE);
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  gtk_switch_set_active (sw, TRUE);
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  /* Ctrl+Q quits and Ctrl+W closes a window. */
  {
    g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
    g_auto(GStrv) close = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "window.close");

    g_assert_cmpstr (quit[0], ==, "<Control>q");
    g_assert_cmpstr (close[0], ==, "<Control>w");
  }
  gtk_window_close (GTK_WINDOW (prefs));
  ui_wait_for (prefs_closed, NULL, WAIT_S, "Preferences to close");
}

int
main (int    argc,
      char **argv)
{
  const char *keyring = g_getenv ("BEACON_TEST_KEYRING");
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("BEACON_TEST_DOMAIN") == NULL || g_getenv ("DISPLAY") == NULL || keyring == NULL)
    {
      g_test_message ("run through run-ui-flows.sh and shell-keyring.sh (meson test --suite ui)");
      return 77;
    }
  adw_init ();
  app = beacon_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = ui_wait_for_toplevel (BEACON_TYPE_WINDOW, NULL, NULL, WAIT_S);

  if (g_str_equal (keyring, "real"))
    {
      g_test_add_func ("/ui/shell/onboarding", test_onboarding);
      g_test_add_func ("/ui/shell/keyring-real", test_real_keyring);
      g_test_add_func ("/ui/shell/wide-window", test_wide_window);
      g_test_add_func ("/ui/shell/connection-error", test_connection_error);
      g_test_add_func ("/ui/shell/background-setting", test_background_setting);
      g_test_add_func ("/ui/shell/background", test_background);
    }
  else
    g_test_add_func ("/ui/shell/keyring-none", test_no_keyring);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
