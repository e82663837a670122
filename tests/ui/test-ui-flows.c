/* test-ui-flows.c — the real windows against real engine accounts
 *
 * Runs under run-ui-flows.sh: a private Xvfb and session bus, and
 * Beacon's Kamailio on loopback with alice, bob and carol. Alice is the
 * user: her BeaconServerAccount is made by beacon_account_setup (XCAP
 * roster, history) and shown in the BeaconWindow of a registered
 * BeaconApplication; bob and carol are engine accounts in the same
 * process without UI. The tests drive alice's windows through their
 * GActions and widgets (entries, buttons found in the widget tree, the
 * status drop-down) and assert both on what bob and carol's accounts see
 * and on the widget tree; each window is saved as a PNG under
 * BEACON_TEST_SCREENSHOTS. The tests run in order and share the accounts.
 * Every wait is bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include <adwaita.h>

#include "beacon-account-setup.h"
#include "beacon-add-friend-dialog.h"
#include "beacon-application.h"
#include "beacon-authorization-dialog.h"
#include "beacon-blacklist-window.h"
#include "beacon-buddy-row.h"
#include "beacon-chat-window.h"
#include "beacon-preferences-window.h"
#include "beacon-window.h"
#include "ui-test-util.h"

#define WAIT_S 30.0

typedef struct {
  char              *alice_uri;
  char              *bob_uri;
  char              *carol_uri;
  char              *data_dir;      /* bob's and carol's files */
  BeaconApplication *app;
  BeaconAccount     *alice;
  BeaconAccount     *bob;
  BeaconAccount     *carol;
  GPtrArray         *bob_watchers;  /* "URI STATUS" seen by bob */
  GPtrArray         *bob_messages;  /* "FROM TEXT" received by bob */
} Fixture;

static Fixture F;

/* ---- conditions ---------------------------------------------------------- */

static gboolean
is_online (gpointer account)
{
  return beacon_account_get_connection_state (account) == BEACON_CONNECTION_ONLINE;
}

static gboolean
strv_has (gpointer data)
{
  GPtrArray *seen = ((gpointer *) data)[0];
  const char *wanted = ((gpointer *) data)[1];

  for (guint i = 0; i < seen->len; i++)
    if (g_str_equal (g_ptr_array_index (seen, i), wanted))
      return TRUE;
  return FALSE;
}

static void
wait_for_entry (GPtrArray  *seen,
                const char *wanted)
{
  gpointer pair[] = { seen, (gpointer) wanted };

  ui_wait_for (strv_has, pair, WAIT_S, wanted);
}

typedef struct {
  BeaconAccount      *account;
  const char         *uri;
  BeaconStatus        status;        /* -1: any */
  BeaconSubscription  subscription;  /* -1: any */
  const char         *note;          /* NULL: any */
} BuddyState;

static gboolean
buddy_is (gpointer data)
{
  BuddyState *want = data;
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (want->account), want->uri);

  return buddy != NULL &&
         (want->status == (BeaconStatus) -1 || beacon_buddy_get_status (buddy) == want->status) &&
         (want->subscription == (BeaconSubscription) -1 ||
          beacon_buddy_get_subscription (buddy) == want->subscription) &&
         (want->note == NULL || g_strcmp0 (beacon_buddy_get_note (buddy), want->note) == 0);
}

static void
wait_for_buddy (BeaconAccount      *account,
                const char         *uri,
                BeaconStatus        status,
                BeaconSubscription  subscription,
                const char         *note)
{
  BuddyState want = { account, uri, status, subscription, note };
  g_autofree char *what = g_strdup_printf ("%s to see %s (status %d, subscription %d, note %s)",
                                           beacon_account_get_aor (account), uri, status,
                                           subscription, note ? note : "any");

  ui_wait_for (buddy_is, &want, WAIT_S, what);
}

static gboolean
dialog_is_for (GtkWidget *widget,
               gpointer   uri)
{
  return g_strcmp0 (beacon_authorization_dialog_get_uri (BEACON_AUTHORIZATION_DIALOG (widget)), uri) == 0;
}

static gboolean
is_blocked (gpointer data)
{
  return beacon_account_is_blocked (((gpointer *) data)[0], ((gpointer *) data)[1]);
}

static gboolean
view_has_items (GtkWidget *widget,
                gpointer   data)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (widget)));
  g_autoptr(GObject) first = NULL;

  /* Buddies, not the status drop-down's own list. */
  if (!gtk_widget_get_mapped (widget) || model == NULL || g_list_model_get_n_items (model) == 0)
    return FALSE;
  first = g_list_model_get_item (model, 0);
  return BEACON_IS_BUDDY (first) || GTK_IS_STRING_OBJECT (first);
}

static gboolean
is_mapped_widget (GtkWidget *widget,
                  gpointer   data)
{
  return gtk_widget_get_mapped (widget);
}

/* The position of the buddy @uri in @list's model. */
static guint
position_of (GtkWidget  *list,
             const char *uri)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (BEACON_IS_BUDDY (item) && g_str_equal (beacon_buddy_get_uri (BEACON_BUDDY (item)), uri))
        return i;
    }
  g_error ("%s is not in the list", uri);
}

static BeaconWindow *
main_window (void)
{
  return BEACON_WINDOW (ui_find_toplevel (BEACON_TYPE_WINDOW, NULL, NULL));
}

/* ---- recorders ------------------------------------------------------------ */

static void
on_bob_watcher (BeaconAccount *account,
                const char    *uri,
                const char    *status,
                gpointer       user_data)
{
  g_ptr_array_add (F.bob_watchers, g_strdup_printf ("%s %s", uri, status));
}

static void
on_bob_message (BeaconAccount *account,
                const char    *from,
                const char    *text,
                gpointer       user_data)
{
  g_ptr_array_add (F.bob_messages, g_strdup_printf ("%s %s", from, text));
}

/* ---- set-up ---------------------------------------------------------------- */

static BeaconAccount *
make_account_with (const char *user,
                   const char *data_dir,
                   const char *wrong_password)
{
  const char *domain = g_getenv ("BEACON_TEST_DOMAIN");
  g_autofree char *aor = g_strdup_printf ("sip:%s@%s", user, domain);
  g_autofree char *password = wrong_password ? g_strdup (wrong_password)
                                             : g_strdup_printf ("%s-pw", user);
  g_autofree char *proxy = g_strdup_printf ("sip:%s:%s", g_getenv ("BEACON_TEST_SIP_HOST"),
                                            g_getenv ("BEACON_TEST_SIP_PORT"));
  BeaconServerSetup setup = {
    .aor = aor, .password = password, .proxy = proxy, .transport = "udp",
    .xcap_root = g_getenv ("BEACON_TEST_XCAP_ROOT"),
  };
  g_autoptr(GError) error = NULL;
  BeaconAccount *account = beacon_account_setup_create_server (&setup, data_dir, &error);

  g_assert_no_error (error);
  g_assert_true (BEACON_IS_ACCOUNT (account));
  g_assert_cmpstr (beacon_account_get_aor (account), ==, aor);
  return account;
}

static BeaconAccount *
make_account (const char *user,
              const char *data_dir)
{
  return make_account_with (user, data_dir, NULL);
}

static void
test_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *alice_dir = NULL;
  g_autofree char *history = NULL;
  g_autofree char *bob_dir = g_build_filename (F.data_dir, "bob", NULL);
  g_autofree char *carol_dir = g_build_filename (F.data_dir, "carol", NULL);
  BeaconWindow *window;

  /* Alice's files go where the app keeps them (XDG_DATA_HOME is the
   * session's own). */
  F.alice = make_account ("alice", NULL);
  alice_dir = beacon_account_default_data_dir (F.alice_uri);
  history = g_build_filename (alice_dir, "history.sqlite", NULL);
  g_assert_true (g_file_test (history, G_FILE_TEST_IS_REGULAR));
  F.bob = make_account ("bob", bob_dir);
  F.carol = make_account ("carol", carol_dir);
  g_signal_connect (F.bob, "watcher", G_CALLBACK (on_bob_watcher), NULL);
  g_signal_connect (F.bob, "message-received", G_CALLBACK (on_bob_message), NULL);

  F.app = beacon_application_new ();
  g_application_set_flags (G_APPLICATION (F.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (F.app), NULL, &error));
  g_assert_no_error (error);
  /* A first run: no mode yet, so no account and the set-up page. */
  g_assert_null (beacon_application_get_account (F.app));
  g_application_activate (G_APPLICATION (F.app));
  window = BEACON_WINDOW (ui_wait_for_toplevel (BEACON_TYPE_WINDOW, NULL, NULL, WAIT_S));
  ui_wait_for_text (GTK_WIDGET (window), "Welcome to Beacon", WAIT_S);
  ui_screenshot (GTK_WIDGET (window), "main-window-setup");

  beacon_application_set_account (F.app, F.alice);
  g_assert_true (beacon_window_get_account (window) == F.alice);
  beacon_account_start (F.bob);
  beacon_account_start (F.carol);
  ui_wait_for (is_online, F.alice, WAIT_S, "alice to register");
  ui_wait_for (is_online, F.bob, WAIT_S, "bob to register");
  ui_wait_for (is_online, F.carol, WAIT_S, "carol to register");
  ui_wait_for_text (GTK_WIDGET (window), "No Friends Yet", WAIT_S);
  ui_screenshot (GTK_WIDGET (window), "main-window-empty");
}

/* ---- adding a friend ------------------------------------------------------ */

static void
test_add_friend (void)
{
  BeaconWindow *window = main_window ();
  GtkWidget *dialog;
  GtkWidget *address;
  g_autofree char *bob_typed = g_strdup (F.bob_uri + strlen ("sip:"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-friend", NULL));
  dialog = ui_wait_for_toplevel (BEACON_TYPE_ADD_FRIEND_DIALOG, NULL, NULL, WAIT_S);
  address = ui_find (dialog, ADW_TYPE_ENTRY_ROW, NULL, NULL);
  g_assert_nonnull (address);

  /* Not an address: "Add" stays off and the dialog says why. */
  gtk_editable_set_text (GTK_EDITABLE (address), "bob at nowhere");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  ui_wait_for_text (dialog, "Enter an address like", WAIT_S);
  g_assert_null (ui_find_button (dialog, "_Add"));

  /* What a user types: no "sip:". */
  gtk_editable_set_text (GTK_EDITABLE (address), bob_typed);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "add"));
  ui_screenshot (dialog, "add-friend-dialog");
  ui_click (dialog, "_Add");

  /* Alice's list has bob at once; bob is asked about alice. */
  wait_for_buddy (F.alice, F.bob_uri, -1, -1, NULL);
  {
    g_autofree char *pending = g_strdup_printf ("%s pending", F.alice_uri);
    wait_for_entry (F.bob_watchers, pending);
  }
  wait_for_buddy (F.alice, F.bob_uri, -1, BEACON_SUBSCRIPTION_PENDING, NULL);
  ui_wait_for_text (GTK_WIDGET (window), "Waiting for Authorisation", WAIT_S);
  ui_wait_for_text (GTK_WIDGET (window), "bob", WAIT_S);
  ui_screenshot (GTK_WIDGET (window), "main-window-pending");

  /* Bob accepts: alice sees him online, among the friends. */
  g_assert_true (beacon_account_authorize (F.bob, F.alice_uri, BEACON_AUTHORIZE_ALLOW, NULL));
  wait_for_buddy (F.alice, F.bob_uri, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE, NULL);
  ui_wait_for_text (GTK_WIDGET (window), "Online", WAIT_S);
  {
    GtkWidget *row = ui_find (GTK_WIDGET (window), BEACON_TYPE_BUDDY_ROW, is_mapped_widget, NULL);
    g_autofree char *text = NULL;

    g_assert_nonnull (row);
    text = ui_visible_text (row);
    g_assert_nonnull (strstr (text, "bob"));
    g_assert_nonnull (strstr (text, "Online"));
  }
}

/* ---- answering a request, changing status -------------------------------- */

static void
test_accept_and_status (void)
{
  BeaconWindow *window = main_window ();
  GSettings *settings = beacon_application_get_settings (F.app);
  GtkWidget *dialog;
  GtkDropDown *status;
  GtkWidget *note;
  g_autofree char *saved = NULL;

  /* Bob asks to see alice: her window asks her. */
  g_assert_true (beacon_account_add_buddy (F.bob, F.alice_uri, "Alice", NULL));
  dialog = ui_wait_for_toplevel (BEACON_TYPE_AUTHORIZATION_DIALOG, dialog_is_for, F.bob_uri, WAIT_S);
  ui_screenshot (dialog, "authorization-dialog");
  ui_click (dialog, "_Accept");
  wait_for_buddy (F.bob, F.alice_uri, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE, NULL);

  /* The drop-down publishes, and the choice is kept. */
  status = GTK_DROP_DOWN (ui_find (GTK_WIDGET (window), GTK_TYPE_DROP_DOWN, NULL, NULL));
  g_assert_nonnull (status);
  gtk_drop_down_set_selected (status, 1);
  wait_for_buddy (F.bob, F.alice_uri, BEACON_STATUS_BUSY, -1, NULL);
  saved = g_settings_get_string (settings, "status");
  g_assert_cmpstr (saved, ==, "busy");
  g_assert_cmpint (beacon_account_get_status (F.alice), ==, BEACON_STATUS_BUSY);

  /* The note: typed, shared with Enter (Ctrl+E goes there), kept. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.edit-note", NULL));
  note = ui_find (GTK_WIDGET (window), GTK_TYPE_ENTRY, NULL, NULL);
  g_assert_nonnull (note);
  gtk_editable_set_text (GTK_EDITABLE (note), "  In a meeting ");
  g_signal_emit_by_name (note, "activate");
  wait_for_buddy (F.bob, F.alice_uri, BEACON_STATUS_BUSY, -1, "In a meeting");
  g_free (saved);
  saved = g_settings_get_string (settings, "status-note");
  g_assert_cmpstr (saved, ==, "In a meeting");

  /* Ctrl+3's action: away, the note kept; the selector follows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.set-status", "u", 2));
  g_assert_cmpuint (gtk_drop_down_get_selected (status), ==, 2);
  wait_for_buddy (F.bob, F.alice_uri, BEACON_STATUS_AWAY, -1, "In a meeting");
  g_free (saved);
  saved = g_settings_get_string (settings, "status");
  g_assert_cmpstr (saved, ==, "away");
}

/* ---- chatting --------------------------------------------------------------- */

static void
test_chat (void)
{
  BeaconWindow *window = main_window ();
  GtkWidget *list = ui_find (GTK_WIDGET (window), GTK_TYPE_LIST_VIEW, view_has_items, NULL);
  GtkWidget *chat;
  GtkWidget *entry;
  g_autofree char *received = g_strdup_printf ("%s Hello Bob", F.alice_uri);
  g_autofree char *dave_uri = g_strdup_printf ("sip:dave@%s", g_getenv ("BEACON_TEST_DOMAIN"));

  /* Activating bob's row opens the chat. */
  g_assert_nonnull (list);
  g_signal_emit_by_name (list, "activate", position_of (list, F.bob_uri));
  chat = ui_wait_for_toplevel (BEACON_TYPE_CHAT_WINDOW, NULL, NULL, WAIT_S);
  g_assert_cmpstr (beacon_chat_window_get_uri (BEACON_CHAT_WINDOW (chat)), ==, F.bob_uri);

  /* Enter sends; the message shows it was delivered. */
  entry = ui_find (chat, GTK_TYPE_ENTRY, NULL, NULL);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Hello Bob");
  g_signal_emit_by_name (entry, "activate");  /* what Enter does */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  wait_for_entry (F.bob_messages, received);
  ui_wait_for_text (chat, "Delivered", WAIT_S);
  ui_wait_for_text (chat, "Hello Bob", WAIT_S);

  /* Bob answers: it shows in the open chat. */
  g_free (beacon_account_send_message (F.bob, F.alice_uri, "Hi Alice", NULL));
  ui_wait_for_text (chat, "Hi Alice", WAIT_S);
  g_assert_cmpuint (ui_assert_icon_buttons_labelled (chat), >=, 1);  /* Send */
  ui_screenshot (chat, "chat-window");
  gtk_window_destroy (GTK_WINDOW (chat));

  /* Someone not online (nor a friend): the server keeps the message. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.open-chat", "s", dave_uri));
  chat = ui_wait_for_toplevel (BEACON_TYPE_CHAT_WINDOW, NULL, NULL, WAIT_S);
  g_assert_cmpstr (beacon_chat_window_get_uri (BEACON_CHAT_WINDOW (chat)), ==, dave_uri);
  entry = ui_find (chat, GTK_TYPE_ENTRY, NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Are you there?");
  g_signal_emit_by_name (entry, "activate");
  ui_wait_for_text (chat, "Stored until they come online", WAIT_S);
  ui_screenshot (chat, "chat-window-stored");
  gtk_window_destroy (GTK_WINDOW (chat));
}

/* ---- blocking ---------------------------------------------------------------- */

static void
test_block (void)
{
  BeaconWindow *window = main_window ();
  GtkWidget *dialog;
  GtkWidget *blacklist;
  gpointer blocked[] = { F.alice, F.carol_uri };

  /* Carol asks; alice blocks her from the dialog. */
  g_assert_true (beacon_account_add_buddy (F.carol, F.alice_uri, NULL, NULL));
  dialog = ui_wait_for_toplevel (BEACON_TYPE_AUTHORIZATION_DIALOG, dialog_is_for, F.carol_uri, WAIT_S);
  ui_click (dialog, "_Block");
  ui_wait_for (is_blocked, blocked, WAIT_S, "carol on alice's blacklist");
  wait_for_buddy (F.carol, F.alice_uri, -1, BEACON_SUBSCRIPTION_REJECTED, NULL);

  /* The blacklist window lists her. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.blacklist", NULL));
  blacklist = ui_wait_for_toplevel (BEACON_TYPE_BLACKLIST_WINDOW, NULL, NULL, WAIT_S);
  ui_wait_for_text (blacklist, F.carol_uri, WAIT_S);
  /* Blocking by address, from the window itself. */
  {
    g_autofree char *mallory = g_strdup_printf ("sip:mallory@%s", g_getenv ("BEACON_TEST_DOMAIN"));
    gpointer mallory_blocked[] = { F.alice, mallory };

    gtk_editable_set_text (GTK_EDITABLE (ui_find (blacklist, ADW_TYPE_ENTRY_ROW, NULL, NULL)),
                           mallory + strlen ("sip:"));
    ui_click (blacklist, "_Block");
    ui_wait_for (is_blocked, mallory_blocked, WAIT_S, "mallory on alice's blacklist");
    ui_wait_for_text (blacklist, mallory, WAIT_S);
  }
  ui_assert_icon_buttons_labelled (blacklist);
  ui_screenshot (blacklist, "blacklist-window");
  gtk_window_destroy (GTK_WINDOW (blacklist));

  /* Main menu, search, add, and each friend's menu. */
  g_assert_cmpuint (ui_assert_icon_buttons_labelled (GTK_WIDGET (window)), >=, 4);
  /* And the main window with its friends, for the record. */
  ui_screenshot (GTK_WIDGET (window), "main-window");
}

static void     on_stopped  (GObject *source, GAsyncResult *result, gpointer user_data);
static gboolean all_stopped (gpointer data);

/* ---- removing a friend; a refused password --------------------------------- */

static gboolean
no_buddies (gpointer account)
{
  return g_list_model_get_n_items (G_LIST_MODEL (beacon_account_get_buddies (account))) == 0;
}

static gboolean
is_remove_dialog (GtkWidget *widget,
                  gpointer   data)
{
  return g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (widget)), "Remove Friend?") == 0;
}

static void
test_remove_friend (void)
{
  BeaconWindow *window = main_window ();
  GtkWidget *dialog;

  /* Through the row menu's action: asks first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.remove-friend", "s", F.bob_uri));
  dialog = ui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, is_remove_dialog, NULL, WAIT_S);
  ui_wait_for_text (dialog, "will no longer be on your list", WAIT_S);
  ui_screenshot (dialog, "remove-friend-dialog");
  ui_click (dialog, "_Remove");
  ui_wait_for (no_buddies, F.alice, WAIT_S, "bob to leave alice's list");
  ui_wait_for_text (GTK_WIDGET (window), "No Friends Yet", WAIT_S);
}

static gboolean
has_failed (gpointer account)
{
  return beacon_account_get_connection_state (account) == BEACON_CONNECTION_FAILED;
}

static void
test_wrong_password (void)
{
  g_autofree char *dir = g_build_filename (F.data_dir, "carol-wrong", NULL);
  g_autoptr(BeaconAccount) account = make_account_with ("carol", dir, "not-her-password");
  BeaconWindow *window = beacon_window_new (F.app);
  guint running = 1;

  /* A second window on an account the server refuses: the banner says
   * what to do, and Retry is there. */
  beacon_window_set_account (window, account);
  gtk_window_present (GTK_WINDOW (window));
  beacon_account_start (account);
  ui_wait_for (has_failed, account, WAIT_S, "the server to refuse carol's password");
  ui_wait_for_text (GTK_WIDGET (window), "did not accept your user name or password", WAIT_S);
  g_assert_nonnull (ui_find_button (GTK_WIDGET (window), "_Retry"));
  ui_screenshot (GTK_WIDGET (window), "main-window-wrong-password");

  gtk_window_destroy (GTK_WINDOW (window));
  beacon_account_stop_async (account, NULL, on_stopped, &running);
  ui_wait_for (all_stopped, &running, 15, "carol's refused account to stop");
}

static gboolean
row_titled (GtkWidget *widget,
            gpointer   prefix)
{
  return g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), prefix);
}

static void
test_other_windows (void)
{
  BeaconWindow *window = main_window ();
  GtkWidget *prefs;

  GtkWidget *shortcuts;
  g_autofree char *text = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  prefs = ui_wait_for_toplevel (BEACON_TYPE_PREFERENCES_WINDOW, NULL, NULL, WAIT_S);
  /* The address's defaults are shown where the fields are empty. */
  gtk_editable_set_text (GTK_EDITABLE (ui_find (prefs, ADW_TYPE_ENTRY_ROW, row_titled, "Address")),
                         "ann@example.org");
  g_assert_nonnull (ui_find (prefs, ADW_TYPE_ENTRY_ROW, row_titled,
                             "XCAP root (empty: http://example.org:5080/xcap-root)"));
  g_assert_nonnull (ui_find (prefs, ADW_TYPE_ENTRY_ROW, row_titled,
                             "Buddy-list address (empty: sip:ann-list@example.org)"));
  ui_screenshot (prefs, "preferences-window");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The shortcuts window lists the window's own keys too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  shortcuts = ui_wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, NULL, NULL, WAIT_S);
  text = ui_visible_text (shortcuts);
  g_assert_nonnull (strstr (text, "Add Friend"));
  g_assert_nonnull (strstr (text, "Edit Status Note"));
  g_assert_nonnull (strstr (text, "Send Message"));
  ui_screenshot (shortcuts, "shortcuts-window");
  gtk_window_destroy (GTK_WINDOW (shortcuts));
}

/* ---- main -------------------------------------------------------------------- */

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

static void
teardown (void)
{
  BeaconAccount *accounts[] = { F.alice, F.bob, F.carol };
  guint running = 0;
  GListModel *toplevels = gtk_window_get_toplevels ();

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    if (accounts[i] != NULL &&
        beacon_account_get_connection_state (accounts[i]) != BEACON_CONNECTION_OFFLINE)
      {
        running++;
        beacon_account_stop_async (accounts[i], NULL, on_stopped, &running);
      }
  ui_wait_for (all_stopped, &running, 15, "the accounts to leave");
  g_clear_object (&F.app);
  g_clear_object (&F.alice);
  g_clear_object (&F.bob);
  g_clear_object (&F.carol);
}

int
main (int    argc,
      char **argv)
{
  const char *domain;
  int status;

  g_test_init (&argc, &argv, NULL);
  domain = g_getenv ("BEACON_TEST_DOMAIN");
  if (domain == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_message ("run through run-ui-flows.sh (meson test --suite ui)");
      return 77;
    }
  adw_init ();

  F.alice_uri = g_strdup_printf ("sip:alice@%s", domain);
  F.bob_uri = g_strdup_printf ("sip:bob@%s", domain);
  F.carol_uri = g_strdup_printf ("sip:carol@%s", domain);
  F.data_dir = g_build_filename (g_get_user_data_dir (), "ui-flows", NULL);
  F.bob_watchers = g_ptr_array_new_with_free_func (g_free);
  F.bob_messages = g_ptr_array_new_with_free_func (g_free);

  g_test_add_func ("/ui/start", test_start);
  g_test_add_func ("/ui/add-friend", test_add_friend);
  g_test_add_func ("/ui/accept-and-status", test_accept_and_status);
  g_test_add_func ("/ui/chat", test_chat);
  g_test_add_func ("/ui/block", test_block);
  g_test_add_func ("/ui/remove-friend", test_remove_friend);
  g_test_add_func ("/ui/wrong-password", test_wrong_password);
  g_test_add_func ("/ui/other-windows", test_other_windows);
  status = g_test_run ();

  teardown ();
  g_ptr_array_unref (F.bob_watchers);
  g_ptr_array_unref (F.bob_messages);
  g_free (F.alice_uri);
  g_free (F.bob_uri);
  g_free (F.carol_uri);
  g_free (F.data_dir);
  return status;
}
