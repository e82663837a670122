/* test-ui-people.c — people in the real windows: names and faces, status
 * without colour, blocking you can see (issue #13, items 3, 8 and 7)
 *
 * Runs under run-ui-flows.sh: a private Xvfb and session bus, and
 * Beacon's Kamailio on loopback with alice, bob and carol. Alice is the
 * user (beacon_account_setup, XCAP roster, shown in the BeaconWindow of a
 * registered BeaconApplication); bob and carol are engine accounts in the
 * same process without UI. The tests assert on the widget tree, on what
 * bob and carol's accounts see, and on the XCAP document as another
 * client reads it; each item keeps a screenshot. The tests run in order
 * and share the accounts. The last one is LAN mode: dana, a LAN account
 * on 127.0.0.1 with the engine tests' fake discovery in a second window,
 * and erin, a LAN account without UI. Every wait is bounded.
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
#include "beacon-window.h"
#include "xcap/beacon-roster.h"
#include "fake-discovery.h"
#include "lan-test-util.h"
#include "ui-test-util.h"

#define WAIT_S 30.0

typedef struct {
  char              *alice_uri;
  char              *bob_uri;
  char              *carol_uri;
  char              *data_dir;
  BeaconApplication *app;
  BeaconAccount     *alice;
  BeaconAccount     *bob;
  BeaconAccount     *carol;
} Fixture;

static Fixture F;

/* ---- conditions and finders ------------------------------------------------ */

static gboolean
is_online (gpointer account)
{
  return beacon_account_get_connection_state (account) == BEACON_CONNECTION_ONLINE;
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
is_blocked (gpointer data)
{
  return beacon_account_is_blocked (((gpointer *) data)[0], ((gpointer *) data)[1]);
}

static gboolean
is_not_blocked (gpointer data)
{
  return !is_blocked (data);
}

static gboolean
dialog_is_for (GtkWidget *widget,
               gpointer   uri)
{
  return g_strcmp0 (beacon_authorization_dialog_get_uri (BEACON_AUTHORIZATION_DIALOG (widget)), uri) == 0;
}

static gboolean
heading_is (GtkWidget *widget,
            gpointer   heading)
{
  return g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (widget)), heading) == 0;
}

static gboolean
row_titled (GtkWidget *widget,
            gpointer   title)
{
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

static gboolean
row_is_for (GtkWidget *widget,
            gpointer   uri)
{
  BeaconBuddy *buddy = beacon_buddy_row_get_buddy (BEACON_BUDDY_ROW (widget));

  return gtk_widget_get_mapped (widget) && buddy != NULL &&
         g_str_equal (beacon_buddy_get_uri (buddy), uri);
}

static gboolean
image_named (GtkWidget *widget,
             gpointer   icon)
{
  return gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (widget)), icon) == 0;
}

static BeaconWindow *
main_window (void)
{
  return BEACON_WINDOW (ui_find_toplevel (BEACON_TYPE_WINDOW, NULL, NULL));
}

static GtkWidget *shown_window;  /* where row_for() looks; NULL: the main window */

static GtkWidget *
row_for (const char *uri)
{
  return ui_find (shown_window ? shown_window : GTK_WIDGET (main_window ()), BEACON_TYPE_BUDDY_ROW,
                  row_is_for, (gpointer) uri);
}

typedef struct {
  const char *uri;
  const char *text;
  const char *icon;  /* NULL: any */
} RowWant;

static gboolean
row_shows (gpointer data)
{
  RowWant *want = data;
  GtkWidget *row = row_for (want->uri);
  g_autofree char *text = NULL;

  if (row == NULL)
    return FALSE;
  text = ui_visible_text (row);
  return strstr (text, want->text) != NULL &&
         (want->icon == NULL || ui_find (row, GTK_TYPE_IMAGE, image_named, (gpointer) want->icon) != NULL);
}

/* Waits until the row of @uri shows @text (and the icon @icon). */
static GtkWidget *
wait_for_row (const char *uri,
              const char *text,
              const char *icon)
{
  RowWant want = { uri, text, icon };
  g_autofree char *what = g_strdup_printf ("the row of %s to show “%s” (icon %s)", uri, text,
                                           icon ? icon : "any");

  ui_wait_for (row_shows, &want, WAIT_S, what);
  return row_for (uri);
}

typedef struct {
  GtkWidget  *root;
  const char *text;
} AvatarWant;

static gboolean
avatar_shows (gpointer data)
{
  AvatarWant *want = data;
  GtkWidget *avatar = ui_find (want->root, ADW_TYPE_AVATAR, NULL, NULL);

  return avatar != NULL && g_strcmp0 (adw_avatar_get_text (ADW_AVATAR (avatar)), want->text) == 0 &&
         adw_avatar_get_show_initials (ADW_AVATAR (avatar));
}

/* A face with @text's initials under @root (rows get theirs on idle,
 * just after the list shows). */
static void
assert_avatar (GtkWidget  *root,
               const char *text)
{
  AvatarWant want = { root, text };
  g_autofree char *what = g_strdup_printf ("an avatar for “%s”", text);

  ui_wait_for (avatar_shows, &want, WAIT_S, what);
}

/* The action of the item labelled @label in @model (sections included),
 * or NULL. */
static char *
menu_action (GMenuModel *model,
             const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section != NULL)
        {
          char *found = menu_action (section, label);

          if (found != NULL)
            return found;
          continue;
        }
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) &&
          g_str_equal (item_label, label) &&
          g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
        return g_steal_pointer (&action);
    }
  return NULL;
}

/* Opens the row's menu as a click does, and returns the action of @label. */
static char *
row_menu_action (GtkWidget  *row,
                 const char *label)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (ui_find (row, GTK_TYPE_MENU_BUTTON, NULL, NULL));
  char *action;

  g_assert_nonnull (button);
  gtk_menu_button_popup (button);
  g_assert_nonnull (gtk_menu_button_get_menu_model (button));
  action = menu_action (gtk_menu_button_get_menu_model (button), label);
  gtk_menu_button_popdown (button);
  return action;
}

static gboolean
has_buddy_rows (GtkWidget *widget,
                gpointer   data)
{
  return ui_find (widget, BEACON_TYPE_BUDDY_ROW, NULL, NULL) != NULL;
}

/* Where @uri is in the window's list, and where the heading @title is
 * (G_MAXUINT when it is not there). */
static guint
list_position (const char *uri,
               const char *title)
{
  GtkWidget *window = shown_window ? shown_window : GTK_WIDGET (main_window ());
  /* The buddy list, not the status drop-down's popover list. */
  GtkWidget *list = ui_find (window, GTK_TYPE_LIST_VIEW, has_buddy_rows, NULL);
  GListModel *model;

  g_assert_nonnull (list);
  model = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (list)));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      if (uri != NULL && BEACON_IS_BUDDY (item) &&
          g_str_equal (beacon_buddy_get_uri (BEACON_BUDDY (item)), uri))
        return i;
      if (title != NULL && GTK_IS_STRING_OBJECT (item) &&
          g_str_equal (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), title))
        return i;
    }
  return G_MAXUINT;
}

/* ---- set-up ------------------------------------------------------------------ */

static BeaconAccount *
make_account (const char *user,
              const char *data_dir)
{
  const char *domain = g_getenv ("BEACON_TEST_DOMAIN");
  g_autofree char *aor = g_strdup_printf ("sip:%s@%s", user, domain);
  g_autofree char *password = g_strdup_printf ("%s-pw", user);
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
  return account;
}

static void
test_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bob_dir = g_build_filename (F.data_dir, "bob", NULL);
  g_autofree char *carol_dir = g_build_filename (F.data_dir, "carol", NULL);
  BeaconWindow *window;

  F.alice = make_account ("alice", NULL);
  F.bob = make_account ("bob", bob_dir);
  F.carol = make_account ("carol", carol_dir);

  F.app = beacon_application_new ();
  g_application_set_flags (G_APPLICATION (F.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (F.app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (F.app));
  window = BEACON_WINDOW (ui_wait_for_toplevel (BEACON_TYPE_WINDOW, NULL, NULL, WAIT_S));
  beacon_application_set_account (F.app, F.alice);
  g_assert_true (beacon_window_get_account (window) == F.alice);
  beacon_account_start (F.bob);
  beacon_account_start (F.carol);
  ui_wait_for (is_online, F.alice, WAIT_S, "alice to register");
  ui_wait_for (is_online, F.bob, WAIT_S, "bob to register");
  ui_wait_for (is_online, F.carol, WAIT_S, "carol to register");
  ui_wait_for_text (GTK_WIDGET (window), "No Friends Yet", WAIT_S);
}

/* ---- item 3: names, not URIs -------------------------------------------------- */

typedef struct {
  GPtrArray *friends;  /* BeaconRosterFriend, NULL until read */
  gboolean   done;
} Reading;

static void
on_synced (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Reading *reading = user_data;
  g_autoptr(GError) error = NULL;

  if (beacon_roster_sync_finish (BEACON_ROSTER (source), result, &error))
    reading->friends = beacon_roster_dup_friends (BEACON_ROSTER (source));
  else
    g_test_message ("reading alice's list: %s", error->message);
  reading->done = TRUE;
}

static gboolean
reading_done (gpointer data)
{
  return ((Reading *) data)->done;
}

/* What another client reading alice's resource-lists document from the
 * XCAP server sees as @uri's display-name (NULL: not there). */
static char *
name_on_server (const char *uri)
{
  g_autofree char *dir = g_build_filename (F.data_dir, "second-client-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconRoster) roster = NULL;
  Reading reading = { NULL, FALSE };
  char *name = NULL;

  g_mkdir_with_parents (F.data_dir, 0700);
  g_assert_nonnull (g_mkdtemp (dir));
  roster = beacon_roster_new_for_account (g_getenv ("BEACON_TEST_XCAP_ROOT"), F.alice_uri, NULL,
                                          "alice-pw", dir, NULL, &error);
  g_assert_no_error (error);
  beacon_roster_sync_async (roster, NULL, on_synced, &reading);
  ui_wait_for (reading_done, &reading, WAIT_S, "a second client to read alice's list");
  for (guint i = 0; reading.friends != NULL && i < reading.friends->len; i++)
    {
      BeaconRosterFriend *item = g_ptr_array_index (reading.friends, i);

      if (g_str_equal (item->uri, uri))
        name = g_strdup (item->display_name);
    }
  g_clear_pointer (&reading.friends, g_ptr_array_unref);
  return name;
}

typedef struct {
  const char *uri;
  const char *name;
} ServerName;

static gboolean
server_has_name (gpointer data)
{
  ServerName *want = data;
  g_autofree char *name = name_on_server (want->uri);

  return g_strcmp0 (name, want->name) == 0;
}

static void
test_names (void)
{
  BeaconWindow *window = main_window ();
  GtkWidget *dialog;
  GtkWidget *row;
  GtkWidget *entry;
  g_autofree char *bob_typed = g_strdup (F.bob_uri + strlen ("sip:"));
  g_autofree char *body = NULL;

  /* Bob added with the name the user typed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-friend", NULL));
  dialog = ui_wait_for_toplevel (BEACON_TYPE_ADD_FRIEND_DIALOG, NULL, NULL, WAIT_S);
  gtk_editable_set_text (GTK_EDITABLE (ui_find (dialog, ADW_TYPE_ENTRY_ROW, row_titled,
                                                "Address, e.g. bob@example.org")), bob_typed);
  gtk_editable_set_text (GTK_EDITABLE (ui_find (dialog, ADW_TYPE_ENTRY_ROW, row_titled,
                                                "Name (optional)")), "Bob Builder");
  ui_click (dialog, "_Add");

  /* Item 8 on the way: waiting for bob is a shape and a word of its own,
   * not the green online icon. */
  wait_for_buddy (F.alice, F.bob_uri, -1, BEACON_SUBSCRIPTION_PENDING, NULL);
  row = wait_for_row (F.bob_uri, "Waiting for authorisation", "user-status-pending-symbolic");
  g_assert_null (ui_find (row, GTK_TYPE_IMAGE, image_named, "user-available-symbolic"));
  {
    g_autofree char *text = ui_visible_text (row);

    /* The name first, the URI as the quiet second text. */
    const char *name = strstr (text, "Bob Builder");
    const char *uri = strstr (text, F.bob_uri);

    g_assert_nonnull (name);
    g_assert_nonnull (uri);
    g_assert_true (name < uri);
  }
  assert_avatar (row, "Bob Builder");
  ui_screenshot (GTK_WIDGET (window), "people-pending");

  /* Bob accepts and asks back: the dialog names him as alice knows him. */
  g_assert_true (beacon_account_authorize (F.bob, F.alice_uri, BEACON_AUTHORIZE_ALLOW, NULL));
  g_assert_true (beacon_account_add_buddy (F.bob, F.alice_uri, "Alice", NULL));
  dialog = ui_wait_for_toplevel (BEACON_TYPE_AUTHORIZATION_DIALOG, dialog_is_for, F.bob_uri, WAIT_S);
  body = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_true (g_str_has_prefix (body, "Bob Builder asks"));
  ui_wait_for_text (dialog, F.bob_uri, WAIT_S);
  assert_avatar (dialog, "Bob Builder");
  ui_screenshot (dialog, "people-authorization-dialog");
  ui_click (dialog, "_Accept");
  wait_for_buddy (F.bob, F.alice_uri, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE, NULL);
  wait_for_buddy (F.alice, F.bob_uri, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE, NULL);
  wait_for_row (F.bob_uri, "Online", "user-available-symbolic");

  /* A stranger: her user name, never the URI, as the name. */
  g_assert_true (beacon_account_add_buddy (F.carol, F.alice_uri, NULL, NULL));
  dialog = ui_wait_for_toplevel (BEACON_TYPE_AUTHORIZATION_DIALOG, dialog_is_for, F.carol_uri, WAIT_S);
  g_free (body);
  body = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  g_assert_true (g_str_has_prefix (body, "carol asks"));
  assert_avatar (dialog, "carol");
  ui_click (dialog, "Accept and _Add");
  wait_for_buddy (F.alice, F.carol_uri, -1, -1, NULL);
  g_assert_true (beacon_account_authorize (F.carol, F.alice_uri, BEACON_AUTHORIZE_ALLOW, NULL));
  wait_for_buddy (F.alice, F.carol_uri, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE, NULL);
  row = wait_for_row (F.carol_uri, "carol", "user-available-symbolic");
  assert_avatar (row, "carol");

  /* Rename from the row's menu. */
  {
    g_autofree char *action = row_menu_action (row, "Re_name…");

    g_assert_cmpstr (action, ==, "win.rename-friend");
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.rename-friend", "s", F.carol_uri));
  dialog = ui_wait_for_toplevel (ADW_TYPE_MESSAGE_DIALOG, heading_is, "Rename Friend", WAIT_S);
  entry = ui_find (dialog, GTK_TYPE_ENTRY, NULL, NULL);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "carol");
  gtk_editable_set_text (GTK_EDITABLE (entry), "  ");
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "rename"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Carol Danvers");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "rename"));
  ui_screenshot (dialog, "people-rename-dialog");
  ui_click (dialog, "_Rename");
  row = wait_for_row (F.carol_uri, "Carol Danvers", NULL);
  assert_avatar (row, "Carol Danvers");

  /* Written to XCAP: another client reading alice's list sees both names. */
  {
    ServerName carol = { F.carol_uri, "Carol Danvers" };
    ServerName bob = { F.bob_uri, "Bob Builder" };

    ui_wait_for (server_has_name, &carol, WAIT_S, "carol's new name on the XCAP server");
    ui_wait_for (server_has_name, &bob, WAIT_S, "bob's name on the XCAP server");
  }
  ui_screenshot (GTK_WIDGET (window), "people-names");
}

/* ---- item 8: status readable without colour ----------------------------------- */

static void
test_status (void)
{
  BeaconWindow *window = main_window ();
  GtkWidget *row;
  g_autofree char *text = NULL;

  /* A note: the word stays, the note on a line of its own. */
  beacon_account_set_presence (F.bob, BEACON_STATUS_BUSY, "Out to lunch");
  wait_for_buddy (F.alice, F.bob_uri, BEACON_STATUS_BUSY, -1, "Out to lunch");
  row = wait_for_row (F.bob_uri, "Busy\nOut to lunch", "user-busy-symbolic");
  ui_screenshot (GTK_WIDGET (window), "people-status-note");

  beacon_account_set_presence (F.bob, BEACON_STATUS_AWAY, NULL);
  wait_for_buddy (F.alice, F.bob_uri, BEACON_STATUS_AWAY, -1, NULL);
  row = wait_for_row (F.bob_uri, "Away", "user-away-symbolic");
  text = ui_visible_text (row);
  g_assert_null (strstr (text, "Out to lunch"));

  beacon_account_set_presence (F.bob, BEACON_STATUS_OFFLINE, NULL);
  wait_for_buddy (F.alice, F.bob_uri, BEACON_STATUS_OFFLINE, -1, NULL);
  wait_for_row (F.bob_uri, "Offline", "user-offline-symbolic");
  beacon_account_set_presence (F.bob, BEACON_STATUS_ONLINE, NULL);
  wait_for_buddy (F.alice, F.bob_uri, BEACON_STATUS_ONLINE, -1, NULL);
  wait_for_row (F.bob_uri, "Online", "user-available-symbolic");

  /* Carol refuses alice: said in words, with its own shape. */
  g_assert_true (beacon_account_authorize (F.carol, F.alice_uri, BEACON_AUTHORIZE_BLOCK, NULL));
  wait_for_buddy (F.alice, F.carol_uri, -1, BEACON_SUBSCRIPTION_REJECTED, NULL);
  wait_for_row (F.carol_uri, "Does not share their status", "user-not-tracked-symbolic");
  ui_screenshot (GTK_WIDGET (window), "people-status-rejected");

  /* And unblocks her (engine, server mode): alice sees carol again. */
  g_assert_true (beacon_account_unblock (F.carol, F.alice_uri, NULL));
  wait_for_buddy (F.alice, F.carol_uri, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE, NULL);
  wait_for_row (F.carol_uri, "Online", "user-available-symbolic");
}

/* ---- item 7: blocking you can see ---------------------------------------------- */

static void
test_block_from_menu (void)
{
  BeaconWindow *window = main_window ();
  gpointer bob_blocked[] = { F.alice, F.bob_uri };
  GtkWidget *row = wait_for_row (F.bob_uri, "Online", NULL);
  g_autofree char *action = row_menu_action (row, "_Block");

  g_assert_cmpstr (action, ==, "win.block");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, "s", F.bob_uri));
  ui_wait_for (is_blocked, bob_blocked, WAIT_S, "bob on alice's blacklist");
  /* Bob's side: refused. */
  wait_for_buddy (F.bob, F.alice_uri, -1, BEACON_SUBSCRIPTION_REJECTED, NULL);

  /* Marked, and apart: a "Blocked" group after everyone else. */
  row = wait_for_row (F.bob_uri, "Blocked", "action-unavailable-symbolic");
  g_assert_true (beacon_buddy_row_get_blocked (BEACON_BUDDY_ROW (row)));
  g_assert_cmpuint (list_position (NULL, "Blocked"), !=, G_MAXUINT);
  g_assert_cmpuint (list_position (NULL, "Blocked"), >, list_position (F.carol_uri, NULL));
  g_assert_cmpuint (list_position (F.bob_uri, NULL), ==, list_position (NULL, "Blocked") + 1);
  g_clear_pointer (&action, g_free);
  /* The menu toggles. */
  g_assert_null (row_menu_action (row, "_Block"));
  action = row_menu_action (row, "_Unblock");
  g_assert_cmpstr (action, ==, "win.unblock");
  ui_screenshot (GTK_WIDGET (window), "people-blocked");

  /* Unblock gives bob his view of alice back (the bug of item 7). */
  beacon_account_set_presence (F.alice, BEACON_STATUS_BUSY, "Unblocked you");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, "s", F.bob_uri));
  ui_wait_for (is_not_blocked, bob_blocked, WAIT_S, "bob off alice's blacklist");
  wait_for_buddy (F.bob, F.alice_uri, BEACON_STATUS_BUSY, BEACON_SUBSCRIPTION_ACTIVE, "Unblocked you");
  row = wait_for_row (F.bob_uri, "Online", "user-available-symbolic");
  g_assert_false (beacon_buddy_row_get_blocked (BEACON_BUDDY_ROW (row)));
  g_assert_cmpuint (list_position (NULL, "Blocked"), ==, G_MAXUINT);
  g_clear_pointer (&action, g_free);
  action = row_menu_action (row, "_Block");
  g_assert_cmpstr (action, ==, "win.block");
  beacon_account_set_presence (F.alice, BEACON_STATUS_ONLINE, NULL);
}

static gboolean
has_message_dialog (gpointer data)
{
  return ui_find_toplevel (ADW_TYPE_MESSAGE_DIALOG, NULL, NULL) != NULL;
}

static void
test_blacklist_window (void)
{
  BeaconWindow *window = main_window ();
  GtkWidget *blacklist;
  GtkWidget *entry;
  GtkWidget *row;
  g_autofree char *mallory = g_strdup_printf ("sip:mallory@%s", g_getenv ("BEACON_TEST_DOMAIN"));
  gpointer mallory_blocked[] = { F.alice, mallory };
  gpointer carol_blocked[] = { F.alice, F.carol_uri };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.blacklist", NULL));
  blacklist = ui_wait_for_toplevel (BEACON_TYPE_BLACKLIST_WINDOW, NULL, NULL, WAIT_S);
  ui_wait_for_text (blacklist, "Nobody Blocked", WAIT_S);
  ui_screenshot (blacklist, "people-blacklist-empty");

  /* A short name is completed to alice's domain. */
  entry = ui_find (blacklist, ADW_TYPE_ENTRY_ROW, NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (entry), "mallory");
  ui_click (blacklist, "_Block");
  ui_wait_for (is_blocked, mallory_blocked, WAIT_S, "mallory on alice's blacklist");
  row = ui_find (blacklist, ADW_TYPE_ACTION_ROW, row_titled, "mallory");
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, mallory);
  assert_avatar (row, "mallory");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* A mistake is said on the entry, not in a dialog, and goes as the
   * user types. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "not an@@address");
  ui_click (blacklist, "_Block");
  ui_wait_for_text (blacklist, "Enter a name like bob", WAIT_S);
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  ui_spin (0.3);
  g_assert_false (has_message_dialog (NULL));
  ui_screenshot (blacklist, "people-blacklist-error");
  gtk_editable_set_text (GTK_EDITABLE (entry), "not an@@addres");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  ui_wait_for_no_text (blacklist, "Enter a name like bob", WAIT_S);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");

  /* Or picked from the friends: carol, by her name. */
  row = ui_find (blacklist, ADW_TYPE_ACTION_ROW, row_titled, "Carol Danvers");
  g_assert_nonnull (row);
  g_assert_nonnull (ui_find (blacklist, ADW_TYPE_ACTION_ROW, row_titled, "Bob Builder"));
  ui_click (row, "_Block");
  ui_wait_for (is_blocked, carol_blocked, WAIT_S, "carol on alice's blacklist");
  wait_for_buddy (F.carol, F.alice_uri, -1, BEACON_SUBSCRIPTION_REJECTED, NULL);
  /* Now listed once, among the blocked, with her name and address. */
  ui_wait_for_text (blacklist, F.carol_uri, WAIT_S);
  row = ui_find (blacklist, ADW_TYPE_ACTION_ROW, row_titled, "Carol Danvers");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, F.carol_uri);
  g_assert_nonnull (ui_find_button (row, "_Unblock"));
  ui_assert_icon_buttons_labelled (blacklist);
  ui_screenshot (blacklist, "people-blacklist");
  /* The main list shows her apart too. */
  wait_for_row (F.carol_uri, "Blocked", "action-unavailable-symbolic");
  ui_screenshot (GTK_WIDGET (window), "people-main-blocked");

  /* Unblocked from the window: carol sees alice again. */
  ui_click (row, "_Unblock");
  ui_wait_for (is_not_blocked, carol_blocked, WAIT_S, "carol off alice's blacklist");
  wait_for_buddy (F.carol, F.alice_uri, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE, NULL);
  row = ui_find (blacklist, ADW_TYPE_ACTION_ROW, row_titled, "mallory");
  ui_click (row, "_Unblock");
  ui_wait_for (is_not_blocked, mallory_blocked, WAIT_S, "mallory off alice's blacklist");
  ui_wait_for_text (blacklist, "Nobody Blocked", WAIT_S);
  gtk_window_destroy (GTK_WINDOW (blacklist));
}

/* ---- LAN mode: the announced name, blocking and unblocking ------------------- */

static void
on_dana_stopped (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  beacon_account_stop_finish (BEACON_ACCOUNT (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_lan (void)
{
  g_autofree char *dir = g_build_filename (F.data_dir, "dana", NULL);
  g_autoptr(FakeDiscovery) discovery = fake_discovery_new ();
  g_autoptr(BeaconAccount) dana = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *action = NULL;
  gpointer erin_blocked[2];
  BeaconWindow *window;
  GtkWidget *dialog;
  GtkWidget *row;
  LanPeer *erin;
  const char *dana_uri;
  const char *erin_uri;
  gboolean stopped = FALSE;

  dana = beacon_account_setup_create_lan_full ("dana", dir, BEACON_LAN_DISCOVERY (discovery),
                                               "127.0.0.1", &error);
  g_assert_no_error (error);
  dana_uri = beacon_account_get_aor (dana);
  window = beacon_window_new (F.app);
  beacon_window_set_account (window, dana);
  gtk_window_present (GTK_WINDOW (window));
  beacon_account_start (dana);
  ui_wait_for (is_online, dana, WAIT_S, "dana to announce herself");
  shown_window = GTK_WIDGET (window);
  ui_wait_for_text (GTK_WIDGET (window), "No Friends Yet", WAIT_S);

  /* Erin announces her full name; dana sees her nearby by it. */
  erin = lan_peer_new ("erin", NULL, 600);
  erin_uri = lan_peer_aor (erin);
  beacon_lan_discovery_set_status (BEACON_LAN_DISCOVERY (erin->discovery), BEACON_STATUS_ONLINE,
                                   "Erin Brockovich");
  fake_discovery_show (discovery, erin->discovery, "127.0.0.1");
  fake_discovery_show (erin->discovery, discovery, "127.0.0.1");
  row = wait_for_row (erin_uri, "Erin Brockovich", NULL);
  assert_avatar (row, "Erin Brockovich");

  /* She asks; the dialog names her as she announces herself, and Accept
   * and Add keeps that name (not sip:erin@…). */
  g_assert_true (beacon_account_add_buddy (lan_peer_account (erin), dana_uri, "Dana", NULL));
  dialog = GTK_WIDGET (beacon_authorization_dialog_new (GTK_WINDOW (window), dana, erin_uri));
  gtk_window_present (GTK_WINDOW (dialog));
  g_assert_true (g_str_has_prefix (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                                   "Erin Brockovich asks"));
  assert_avatar (dialog, "Erin Brockovich");
  ui_wait_for_text (dialog, erin_uri, WAIT_S);
  ui_screenshot (dialog, "people-lan-authorization-dialog");
  ui_click (dialog, "Accept and _Add");
  wait_for_buddy (dana, erin_uri, -1, -1, NULL);
  g_assert_cmpstr (beacon_buddy_get_display_name (beacon_buddy_list_lookup (beacon_account_get_buddies (dana),
                                                                            erin_uri)),
                   ==, "Erin Brockovich");
  /* She added dana first, so dana's subscription needs no answer. */
  wait_for_buddy (dana, erin_uri, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE, NULL);
  wait_for_buddy (lan_peer_account (erin), dana_uri, BEACON_STATUS_ONLINE, BEACON_SUBSCRIPTION_ACTIVE, NULL);
  row = wait_for_row (erin_uri, "Online", "user-available-symbolic");
  ui_screenshot (GTK_WIDGET (window), "people-lan-names");

  /* Blocked from the row's menu: erin is refused, the row apart. */
  erin_blocked[0] = dana;
  erin_blocked[1] = (gpointer) erin_uri;
  action = row_menu_action (row, "_Block");
  g_assert_cmpstr (action, ==, "win.block");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, "s", erin_uri));
  ui_wait_for (is_blocked, erin_blocked, WAIT_S, "erin on dana's blacklist");
  wait_for_buddy (lan_peer_account (erin), dana_uri, BEACON_STATUS_OFFLINE, BEACON_SUBSCRIPTION_REJECTED, NULL);
  row = wait_for_row (erin_uri, "Blocked", "action-unavailable-symbolic");
  g_assert_cmpuint (list_position (erin_uri, NULL), ==, list_position (NULL, "Blocked") + 1);
  g_clear_pointer (&action, g_free);
  action = row_menu_action (row, "_Unblock");
  g_assert_cmpstr (action, ==, "win.unblock");
  ui_screenshot (GTK_WIDGET (window), "people-lan-blocked");

  /* Unblocked: erin sees dana again, nobody re-adding anyone. */
  beacon_account_set_presence (dana, BEACON_STATUS_AWAY, "Back soon");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), action, "s", erin_uri));
  ui_wait_for (is_not_blocked, erin_blocked, WAIT_S, "erin off dana's blacklist");
  wait_for_buddy (lan_peer_account (erin), dana_uri, BEACON_STATUS_AWAY, BEACON_SUBSCRIPTION_ACTIVE, "Back soon");
  wait_for_row (erin_uri, "Online", "user-available-symbolic");
  g_assert_cmpuint (list_position (NULL, "Blocked"), ==, G_MAXUINT);

  shown_window = NULL;
  gtk_window_destroy (GTK_WINDOW (window));
  beacon_account_stop_async (dana, NULL, on_dana_stopped, &stopped);
  ui_wait_for (flag_set, &stopped, 15, "dana to stop");
  lan_peer_free (erin);
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
  F.data_dir = g_build_filename (g_get_user_data_dir (), "ui-people", NULL);

  g_test_add_func ("/ui/people/start", test_start);
  g_test_add_func ("/ui/people/names", test_names);
  g_test_add_func ("/ui/people/status", test_status);
  g_test_add_func ("/ui/people/block-from-menu", test_block_from_menu);
  g_test_add_func ("/ui/people/blacklist-window", test_blacklist_window);
  g_test_add_func ("/ui/people/lan", test_lan);
  status = g_test_run ();

  teardown ();
  g_free (F.alice_uri);
  g_free (F.bob_uri);
  g_free (F.carol_uri);
  g_free (F.data_dir);
  return status;
}
