/* test-ui-accounts.c — several accounts at once in the real windows
 *
 * Under run-ui-flows.sh (a private Xvfb and session bus, Beacon's
 * Kamailio with alice, bob and carol). The test owns org.gtk.Notifications
 * on the private bus, so the application's desktop notifications reach
 * it, and runs a Secret Service there (fake-secret-service.c) for the
 * passwords. In order:
 * - a start-up with the settings of a Beacon from before several
 *   accounts: the old keys become account a0, which signs in with the
 *   password kept for its address; Preferences lists it and removes it
 *   (after asking): it leaves the list, the settings, the keyring and the
 *   network; an account added through the form keeps its password under
 *   its id and signs in, and editing it replaces the running one, which
 *   finds the password by the id;
 * - alice and carol both run in one application (bob is an engine account
 *   without UI): both connect, the header bar's switcher shows each one's
 *   friends, the status selector sets the status of both;
 * - bob writes to carol while alice is shown: a notification says it is
 *   for carol, and its action opens carol's chat, which shows the message
 *   and the next one, and not what bob writes to alice;
 * - bob asks to see carol, still hidden: she is asked, by a dialog that
 *   names her account;
 * - carol removed: her chat and question close, the switcher hides,
 *   she goes offline.
 * Every wait is bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <adwaita.h>

#include "beacon-account-setup.h"
#include "beacon-accounts.h"
#include "beacon-application.h"
#include "beacon-authorization-dialog.h"
#include "beacon-chat-window.h"
#include "beacon-preferences-window.h"
#include "beacon-window.h"
#include "fake-secret-service.h"
#include "ui-test-util.h"

#define WAIT_S 30.0

static GPtrArray *notifications;  /* "TITLE\nBODY" */

/* ---- a notification server on the private bus ---------------------------- */

static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='a{sv}' direction='in'/></method>"
  "<method name='RemoveNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
on_notifications_call (GDBusConnection       *connection,
                       const char            *sender,
                       const char            *path,
                       const char            *interface,
                       const char            *method,
                       GVariant              *parameters,
                       GDBusMethodInvocation *invocation,
                       gpointer               user_data)
{
  if (g_str_equal (method, "AddNotification"))
    {
      g_autoptr(GVariant) notification = g_variant_get_child_value (parameters, 2);
      const char *title = "";
      const char *body = "";

      g_variant_lookup (notification, "title", "&s", &title);
      g_variant_lookup (notification, "body", "&s", &body);
      g_ptr_array_add (notifications, g_strdup_printf ("%s\n%s", title, body));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
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

static guint
own_notifications (void)
{
  static const GDBusInterfaceVTable vtable = { on_notifications_call };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  static gboolean owned;
  guint owner;

  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0], &vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                        on_name_acquired, NULL, &owned, NULL);
  ui_wait_for (is_true, &owned, WAIT_S, "org.gtk.Notifications on the session bus");
  return owner;
}

typedef struct {
  const char *title_part;
  const char *body;
} NotificationWant;

static gboolean
has_notification (gpointer data)
{
  NotificationWant *want = data;

  for (guint i = 0; i < notifications->len; i++)
    {
      const char *seen = g_ptr_array_index (notifications, i);
      const char *newline = strchr (seen, '\n');

      if (strstr (seen, want->title_part) != NULL && strstr (seen, want->title_part) < newline &&
          g_str_equal (newline + 1, want->body))
        return TRUE;
    }
  return FALSE;
}

/* ---- helpers ----------------------------------------------------------------- */

static BeaconAccount *
make_account (const char *user)
{
  const char *domain = g_getenv ("BEACON_TEST_DOMAIN");
  g_autofree char *aor = g_strdup_printf ("sip:%s@%s", user, domain);
  g_autofree char *password = g_strdup_printf ("%s-pw", user);
  g_autofree char *proxy = g_strdup_printf ("sip:%s:%s", g_getenv ("BEACON_TEST_SIP_HOST"),
                                            g_getenv ("BEACON_TEST_SIP_PORT"));
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "ui-accounts", user, NULL);
  BeaconServerSetup setup = {
    .aor = aor, .password = password, .proxy = proxy, .transport = "udp",
    .xcap_root = g_getenv ("BEACON_TEST_XCAP_ROOT"),
  };
  g_autoptr(GError) error = NULL;
  BeaconAccount *account = beacon_account_setup_create_server (&setup, dir, &error);

  g_assert_no_error (error);
  return account;
}

static gboolean
is_online (gpointer account)
{
  return beacon_account_get_connection_state (account) == BEACON_CONNECTION_ONLINE;
}

static gboolean
is_offline (gpointer account)
{
  return beacon_account_get_connection_state (account) == BEACON_CONNECTION_OFFLINE;
}

static gboolean
has_buddy (gpointer data)
{
  return beacon_buddy_list_lookup (beacon_account_get_buddies (((gpointer *) data)[0]),
                                   ((gpointer *) data)[1]) != NULL;
}

static gboolean
is_switcher (GtkWidget *widget,
             gpointer   app)
{
  return gtk_drop_down_get_model (GTK_DROP_DOWN (widget)) ==
         beacon_application_get_accounts (BEACON_APPLICATION (app));
}

static gboolean
tooltip_is (GtkWidget *widget,
            gpointer   text)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0;
}

static gboolean
is_remove_account_dialog (GtkWidget *widget,
                          gpointer   data)
{
  return g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (widget)), "Remove Account?") == 0;
}

static gboolean
chat_on (GtkWidget *widget,
         gpointer   account)
{
  return beacon_chat_window_get_account (BEACON_CHAT_WINDOW (widget)) == account;
}

static gboolean
request_on (GtkWidget *widget,
            gpointer   account)
{
  return beacon_authorization_dialog_get_account (BEACON_AUTHORIZATION_DIALOG (widget)) == account;
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
no_accounts (gpointer app)
{
  return g_list_model_get_n_items (beacon_application_get_accounts (app)) == 0;
}

typedef struct {
  FakeSecretService *keyring;
  const char        *key;
  const char        *value;
} KeptWant;

static gboolean
nothing_kept (gpointer data)
{
  KeptWant *want = data;

  return fake_secret_service_count (want->keyring, want->key, want->value, NULL) == 0;
}

static gboolean
one_account (gpointer app)
{
  return g_list_model_get_n_items (beacon_application_get_accounts (app)) == 1;
}

static void
on_stopped (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  beacon_account_stop_finish (BEACON_ACCOUNT (source), result, NULL);
  (*(guint *) user_data)--;
}

static gboolean
all_stopped (gpointer data)
{
  return *(guint *) data == 0;
}

/* ---- the test ------------------------------------------------------------------ */

static void
test_accounts (void)
{
  const char *domain = g_getenv ("BEACON_TEST_DOMAIN");
  g_autofree char *alice_uri = g_strdup_printf ("sip:alice@%s", domain);
  g_autofree char *bob_uri = g_strdup_printf ("sip:bob@%s", domain);
  g_autofree char *carol_uri = g_strdup_printf ("sip:carol@%s", domain);
  g_autofree char *proxy = g_strdup_printf ("sip:%s:%s", g_getenv ("BEACON_TEST_SIP_HOST"),
                                            g_getenv ("BEACON_TEST_SIP_PORT"));
  g_autofree char *remove_label = g_strdup_printf ("Remove alice@%s", domain);
  g_autoptr(GSettings) settings = g_settings_new (BEACON_APP_ID);
  g_autoptr(GSettings) a0 = beacon_accounts_open ("a0");
  g_autoptr(BeaconApplication) app = beacon_application_new ();
  g_autoptr(BeaconAccount) migrated = NULL;
  g_autoptr(BeaconAccount) alice = NULL;
  g_autoptr(BeaconAccount) bob = NULL;
  g_autoptr(BeaconAccount) carol = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  GtkWidget *window;
  GtkWidget *prefs;
  GtkWidget *dialog;
  GtkWidget *button;
  GtkDropDown *switcher;
  GtkDropDown *status;
  GtkWidget *chat;
  guint owner = own_notifications ();
  FakeSecretService *keyring = fake_secret_service_start ();
  guint running = 0;

  /* A Beacon from before several accounts: one account in the old keys. */
  g_settings_set_string (settings, "mode", "server");
  g_settings_set_string (settings, "server-aor", alice_uri);
  g_settings_set_string (settings, "server-proxy", proxy);
  g_settings_set_string (settings, "server-xcap-root", g_getenv ("BEACON_TEST_XCAP_ROOT"));
  /* Its password as that Beacon kept it: for the address alone. */
  {
    gboolean stored = beacon_account_setup_store_password (alice_uri, "alice-pw", &error);

    g_assert_no_error (error);
    g_assert_true (stored);
  }
  g_assert_cmpuint (fake_secret_service_count (keyring, "aor", alice_uri, NULL), ==, 1);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  ids = g_settings_get_strv (settings, "accounts");
  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, "a0");
  /* It joins once the keyring has answered (asynchronously). */
  ui_wait_for (one_account, app, WAIT_S, "the migrated account to join");
  g_assert_cmpuint (g_list_model_get_n_items (beacon_application_get_accounts (app)), ==, 1);
  migrated = g_object_ref (beacon_application_lookup_account (app, "a0"));
  g_assert_cmpstr (beacon_account_get_aor (migrated), ==, alice_uri);
  g_assert_cmpstr (beacon_account_get_settings_id (migrated), ==, "a0");
  /* The old password is still read. */
  ui_wait_for (is_online, migrated, WAIT_S, "the migrated account to sign in");

  g_application_activate (G_APPLICATION (app));
  window = ui_wait_for_toplevel (BEACON_TYPE_WINDOW, NULL, NULL, WAIT_S);
  g_assert_true (beacon_window_get_account (BEACON_WINDOW (window)) == migrated);
  switcher = GTK_DROP_DOWN (ui_find (window, GTK_TYPE_DROP_DOWN, is_switcher, app));
  g_assert_nonnull (switcher);
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (switcher)));  /* one account */

  /* Preferences list it; removing asks first, then it is gone. */
  g_assert_true (gtk_widget_activate_action (window, "app.preferences", NULL));
  prefs = ui_wait_for_toplevel (BEACON_TYPE_PREFERENCES_WINDOW, NULL, NULL, WAIT_S);
  ui_wait_for_text (prefs, "Accounts", WAIT_S);
  ui_screenshot (prefs, "preferences-accounts");
  button = ui_find (prefs, GTK_TYPE_BUTTON, tooltip_is, remove_label);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
  dialog = ui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, is_remove_account_dialog, NULL, WAIT_S);
  ui_click (dialog, "_Remove");
  ui_wait_for (no_accounts, app, WAIT_S, "a0 to leave the application");
  ui_wait_for (is_offline, migrated, WAIT_S, "a0 to stop");
  /* Its password is forgotten (the keyring answers asynchronously). */
  {
    KeptWant want = { keyring, "aor", alice_uri };
    ui_wait_for (nothing_kept, &want, WAIT_S, "a0's password to leave the keyring");
  }
  g_assert_cmpuint (fake_secret_service_count (keyring, "aor", alice_uri, NULL), ==, 0);
  g_strfreev (ids);
  ids = g_settings_get_strv (settings, "accounts");
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
  {
    g_autofree char *mode = g_settings_get_string (a0, "mode");
    g_assert_cmpstr (mode, ==, "none");
  }
  ui_wait_for_text (window, "Welcome to Beacon", WAIT_S);
  /* The first run's form is back in Preferences. */
  ui_wait_for_text (prefs, "New Account: How to Connect", WAIT_S);

  /* Add, through the form: listed as a0 again, and running. */
  {
    GtkWidget *server_check = ui_find (prefs, GTK_TYPE_CHECK_BUTTON, nth_widget, (guint[]) { 1 });
    BeaconAccount *added;
    BeaconAccount *edited;
    g_autofree char *edit_label = g_strdup_printf ("Edit carol@%s", domain);
    g_autofree char *user = NULL;

    gtk_check_button_set_active (GTK_CHECK_BUTTON (server_check), TRUE);
    set_row (prefs, "Address", carol_uri + strlen ("sip:"));
    set_row (prefs, "Password", "carol-pw");
    set_row (prefs, "Outbound proxy", proxy);
    set_row (prefs, "XCAP root", g_getenv ("BEACON_TEST_XCAP_ROOT"));
    ui_click (prefs, "_Connect");
    ui_wait_for (prefs_closed, NULL, WAIT_S, "Preferences to close after Connect");
    g_strfreev (ids);
    ids = g_settings_get_strv (settings, "accounts");
    g_assert_cmpuint (g_strv_length (ids), ==, 1);
    added = beacon_application_lookup_account (app, ids[0]);
    g_assert_nonnull (added);
    g_assert_cmpstr (beacon_account_get_aor (added), ==, carol_uri);
    g_assert_true (beacon_window_get_account (BEACON_WINDOW (window)) == added);
    /* The password went to the keyring under the account's id. */
    g_assert_cmpuint (fake_secret_service_count (keyring, "account", ids[0], "aor", carol_uri, NULL), ==, 1);
    ui_wait_for (is_online, added, WAIT_S, "the added account to sign in");

    /* Edit: the running account is replaced by one with the new settings. */
    g_assert_true (gtk_widget_activate_action (window, "app.preferences", NULL));
    prefs = ui_wait_for_toplevel (BEACON_TYPE_PREFERENCES_WINDOW, NULL, NULL, WAIT_S);
    button = ui_find (prefs, GTK_TYPE_BUTTON, tooltip_is, edit_label);
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    ui_wait_for_text (prefs, "Edit Account: How to Connect", WAIT_S);
    set_row (prefs, "User name for sign-in", "carol");
    ui_click (prefs, "_Connect");
    ui_wait_for (prefs_closed, NULL, WAIT_S, "Preferences to close after editing");
    edited = beacon_application_lookup_account (app, ids[0]);
    g_assert_nonnull (edited);
    g_assert_true (edited != added);
    g_object_get (edited, "auth-user", &user, NULL);
    g_assert_cmpstr (user, ==, "carol");
    g_assert_cmpuint (g_list_model_get_n_items (beacon_application_get_accounts (app)), ==, 1);
    /* Its password found by the id, not typed again. */
    ui_wait_for (is_online, edited, WAIT_S, "the edited account to sign in");

    /* Gone again, for what follows. */
    beacon_application_remove_account (app, edited);
    beacon_accounts_remove (settings, ids[0]);
    {
      KeptWant want = { keyring, "account", ids[0] };
      ui_wait_for (nothing_kept, &want, WAIT_S, "the password to leave the keyring");
    }
    g_assert_cmpuint (fake_secret_service_count (keyring, "account", ids[0], NULL), ==, 0);
    ui_wait_for (is_offline, edited, WAIT_S, "the edited account to leave");
  }

  /* Two accounts at once. */
  alice = make_account ("alice");
  carol = make_account ("carol");
  bob = make_account ("bob");
  beacon_application_add_account (app, alice, NULL);
  beacon_application_add_account (app, carol, NULL);
  beacon_account_start (bob);
  ui_wait_for (is_online, alice, WAIT_S, "alice to register");
  ui_wait_for (is_online, carol, WAIT_S, "carol to register");
  ui_wait_for (is_online, bob, WAIT_S, "bob to register");
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (switcher)));
  g_assert_true (beacon_window_get_account (BEACON_WINDOW (window)) == alice);

  /* Each one's friends, shown by the switcher. */
  g_assert_true (beacon_account_add_buddy (alice, bob_uri, "Bobby", NULL));
  g_assert_true (beacon_account_add_buddy (carol, bob_uri, "Robert", NULL));
  {
    gpointer a[] = { alice, bob_uri }, c[] = { carol, bob_uri };
    ui_wait_for (has_buddy, a, WAIT_S, "bob on alice's list");
    ui_wait_for (has_buddy, c, WAIT_S, "bob on carol's list");
  }
  ui_wait_for_text (window, "Bobby", WAIT_S);
  ui_wait_for_no_text (window, "Robert", WAIT_S);
  gtk_drop_down_set_selected (switcher, 1);
  g_assert_true (beacon_window_get_account (BEACON_WINDOW (window)) == carol);
  ui_wait_for_text (window, "Robert", WAIT_S);
  ui_wait_for_no_text (window, "Bobby", WAIT_S);
  ui_screenshot (window, "main-window-second-account");
  /* Alt+1's action: back to the first. */
  g_assert_true (gtk_widget_activate_action (window, "win.show-account", "u", 0));
  g_assert_true (beacon_window_get_account (BEACON_WINDOW (window)) == alice);
  g_assert_cmpuint (gtk_drop_down_get_selected (switcher), ==, 0);
  ui_wait_for_text (window, "Bobby", WAIT_S);

  /* One status for every account. */
  status = GTK_DROP_DOWN (ui_find (window, GTK_TYPE_DROP_DOWN, NULL, NULL));
  g_assert_true (status != switcher);
  gtk_drop_down_set_selected (status, 1);
  g_assert_cmpint (beacon_account_get_status (alice), ==, BEACON_STATUS_BUSY);
  g_assert_cmpint (beacon_account_get_status (carol), ==, BEACON_STATUS_BUSY);

  /* A message to carol, hidden: a notification that says so. */
  g_free (beacon_account_send_message (bob, carol_uri, "Hi Carol", NULL));
  {
    g_autofree char *to_carol = g_strdup_printf ("Robert (to %s)", carol_uri);
    NotificationWant want = { to_carol, "Hi Carol" };
    ui_wait_for (has_notification, &want, WAIT_S, "a notification of bob's message to carol");
  }
  /* Its action opens carol's chat (not alice's). */
  g_action_group_activate_action (G_ACTION_GROUP (app), "open-account-chat",
                                  g_variant_new ("(ss)", carol_uri, bob_uri));
  chat = ui_wait_for_toplevel (BEACON_TYPE_CHAT_WINDOW, chat_on, carol, WAIT_S);
  g_assert_cmpstr (beacon_chat_window_get_uri (BEACON_CHAT_WINDOW (chat)), ==, bob_uri);
  ui_wait_for_text (chat, "Hi Carol", WAIT_S);
  ui_wait_for_text (chat, carol_uri, WAIT_S);  /* the title says which account */
  g_free (beacon_account_send_message (bob, carol_uri, "Again, Carol", NULL));
  ui_wait_for_text (chat, "Again, Carol", WAIT_S);
  /* What bob writes to alice is for alice's chat, not carol's. */
  g_free (beacon_account_send_message (bob, alice_uri, "Hi Alice", NULL));
  {
    NotificationWant want = { "Bobby (to", "Hi Alice" };
    ui_wait_for (has_notification, &want, WAIT_S, "a notification of bob's message to alice");
  }
  ui_spin (0.3);
  {
    g_autofree char *text = ui_visible_text (chat);
    g_assert_null (strstr (text, "Hi Alice"));
  }
  ui_screenshot (chat, "chat-window-second-account");

  /* Bob asks to see carol, still hidden: she is asked, and told which
   * account it is about. */
  g_assert_true (beacon_account_add_buddy (bob, carol_uri, NULL, NULL));
  {
    GtkWidget *ask = ui_wait_for_toplevel (BEACON_TYPE_AUTHORIZATION_DIALOG, request_on, carol, WAIT_S);
    g_autofree char *heading = g_strdup_printf ("Someone Wants to See Your Status on %s", carol_uri);

    g_assert_cmpstr (beacon_authorization_dialog_get_uri (BEACON_AUTHORIZATION_DIALOG (ask)), ==, bob_uri);
    g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (ask)), ==, heading);
    ui_screenshot (ask, "authorization-dialog-second-account");
  }

  /* Carol goes: her chat with her, the switcher hides, she leaves. */
  beacon_application_remove_account (app, carol);
  g_assert_null (ui_find_toplevel (BEACON_TYPE_CHAT_WINDOW, chat_on, carol));
  g_assert_null (ui_find_toplevel (BEACON_TYPE_AUTHORIZATION_DIALOG, request_on, carol));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (switcher)));
  g_assert_true (beacon_window_get_account (BEACON_WINDOW (window)) == alice);
  ui_wait_for (is_offline, carol, WAIT_S, "carol to leave");

  /* Clean up: windows, then the accounts leave. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    while (g_list_model_get_n_items (toplevels) > 0)
      {
        g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, 0);
        gtk_window_destroy (w);
      }
  }
  beacon_application_set_account (app, NULL);
  running = 1;
  beacon_account_stop_async (bob, NULL, on_stopped, &running);
  ui_wait_for (all_stopped, &running, 15, "bob to leave");
  ui_wait_for (is_offline, alice, 15, "alice to leave");
  g_bus_unown_name (owner);
  fake_secret_service_stop (keyring);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("BEACON_TEST_DOMAIN") == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_message ("run through run-ui-flows.sh (meson test --suite ui)");
      return 77;
    }
  adw_init ();
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_test_add_func ("/ui/accounts/several", test_accounts);
  status = g_test_run ();
  g_ptr_array_unref (notifications);
  return status;
}
