/* test-ui-chat.c — conversations in the real windows: unread, notifications,
 * the chat window's look and states, Retry, the blocked banner
 *
 * Under run-ui-flows.sh (a private Xvfb and session bus, Beacon's
 * Kamailio with alice, bob and carol). Alice and carol are accounts of
 * one BeaconApplication (alice shown in the main window); bob is an
 * engine account without UI. The test owns org.gtk.Notifications on the
 * private bus (as test-ui-accounts.c does) and records each
 * notification's title, body and buttons. In order:
 * - unread: bob writes twice to alice and once to carol, their chats
 *   closed: bob's row has a badge "2" and a bold name, the main window is
 *   "Beacon (3)", each notification has Reply and Open naming the right
 *   account and peer; activating alice's Reply opens her chat with bob,
 *   the cursor in the entry, nothing selected, and reading clears the
 *   badge; carol's Open opens carol's chat; the title is "Beacon" again;
 * - the window: name as title, address as subtitle, initials in the
 *   header avatar, bob's two bubbles one group (one avatar), the send
 *   button's icon and label; a stranger's chat: the empty page, then
 *   date separators (a date, "Yesterday", "Today");
 * - states: with the server frozen (SIGSTOP) a message shows "Sending…"
 *   and goes through once thawed; to an offline stranger it is stored;
 * - Retry: with the server stopped a message fails and shows Retry; the
 *   server back, Retry sends the same message (same id, one bubble) and
 *   bob receives exactly one copy;
 * - blocked: alice blocks bob: the chat's banner "You blocked …" and an
 *   insensitive entry; Unblock lifts both and bob leaves the blacklist.
 * Every wait is bounded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <signal.h>
#include <string.h>

#include <adwaita.h>

#include "beacon-account-setup.h"
#include "beacon-application.h"
#include "beacon-buddy-row.h"
#include "beacon-chat-message.h"
#include "beacon-chat-window.h"
#include "beacon-conversation-private.h"
#include "beacon-message-row.h"
#include "beacon-window.h"
#include "ui-test-util.h"

#define WAIT_S 30.0
#define BOB_NAME "Bob Builder"

typedef struct {
  char     *title;
  char     *body;
  GVariant *buttons;  /* aa{sv}, or NULL */
} Notification;

static struct {
  char              *alice_uri;
  char              *bob_uri;
  char              *carol_uri;
  BeaconApplication *app;
  BeaconAccount     *alice;
  BeaconAccount     *bob;
  BeaconAccount     *carol;
  GPtrArray         *bob_messages;   /* "FROM TEXT" received by bob */
  GPtrArray         *notifications;  /* Notification */
  guint              owner;
} F;

static void
notification_free (gpointer data)
{
  Notification *n = data;

  g_free (n->title);
  g_free (n->body);
  g_clear_pointer (&n->buttons, g_variant_unref);
  g_free (n);
}

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
      Notification *n = g_new0 (Notification, 1);
      const char *title = "";
      const char *body = "";

      g_variant_lookup (notification, "title", "&s", &title);
      g_variant_lookup (notification, "body", "&s", &body);
      n->title = g_strdup (title);
      n->body = g_strdup (body);
      n->buttons = g_variant_lookup_value (notification, "buttons", G_VARIANT_TYPE ("aa{sv}"));
      g_ptr_array_add (F.notifications, n);
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
  const char   *title_part;
  const char   *body;
  Notification *found;
} NotificationWant;

static gboolean
has_notification (gpointer data)
{
  NotificationWant *want = data;

  for (guint i = 0; i < F.notifications->len; i++)
    {
      Notification *n = g_ptr_array_index (F.notifications, i);

      if (strstr (n->title, want->title_part) != NULL && g_str_equal (n->body, want->body))
        {
          want->found = n;
          return TRUE;
        }
    }
  return FALSE;
}

static Notification *
wait_for_notification (const char *title_part,
                       const char *body)
{
  NotificationWant want = { title_part, body, NULL };
  g_autofree char *what = g_strdup_printf ("a notification “%s” of “%s”", body, title_part);

  ui_wait_for (has_notification, &want, WAIT_S, what);
  return want.found;
}

/* The notification's button @label: asserts it is there, and that its
 * action is an application action; returns the action's name (without
 * "app.") and target. */
static char *
notification_button (Notification  *n,
                     const char    *label,
                     GVariant     **target)
{
  g_assert_nonnull (n->buttons);
  for (gsize i = 0; i < g_variant_n_children (n->buttons); i++)
    {
      g_autoptr(GVariant) button = g_variant_get_child_value (n->buttons, i);
      const char *button_label = NULL;
      const char *action = NULL;

      g_assert_true (g_variant_lookup (button, "label", "&s", &button_label));
      g_assert_true (g_variant_lookup (button, "action", "&s", &action));
      if (g_strcmp0 (button_label, label) == 0)
        {
          g_assert_true (g_str_has_prefix (action, "app."));
          *target = g_variant_lookup_value (button, "target", NULL);
          g_assert_nonnull (*target);
          return g_strdup (action + strlen ("app."));
        }
    }
  g_error ("notification “%s” has no button “%s”", n->title, label);
}

/* Activates a notification's button as the desktop does: the action it
 * names, with its target, on the application. */
static void
click_notification_button (Notification *n,
                           const char   *label,
                           const char   *want_aor,
                           const char   *want_peer)
{
  g_autoptr(GVariant) target = NULL;
  g_autofree char *action = notification_button (n, label, &target);
  const char *aor;
  const char *peer;

  g_assert_true (g_variant_is_of_type (target, G_VARIANT_TYPE ("(ss)")));
  g_variant_get (target, "(&s&s)", &aor, &peer);
  g_assert_cmpstr (aor, ==, want_aor);
  g_assert_cmpstr (peer, ==, want_peer);
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (F.app), action));
  g_action_group_activate_action (G_ACTION_GROUP (F.app), action, target);
}

/* ---- conditions and helpers -------------------------------------------------- */

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

typedef struct {
  BeaconAccount *account;
  const char    *uri;
  guint          count;
} UnreadWant;

static gboolean
unread_is (gpointer data)
{
  UnreadWant *want = data;

  return beacon_account_get_unread_count (want->account, want->uri) == want->count;
}

static void
wait_for_unread (BeaconAccount *account,
                 const char    *uri,
                 guint          count)
{
  UnreadWant want = { account, uri, count };
  g_autofree char *what = g_strdup_printf ("%u unread from %s on %s", count, uri ? uri : "anyone",
                                           beacon_account_get_aor (account));

  ui_wait_for (unread_is, &want, WAIT_S, what);
}

static gboolean
buddy_active (gpointer data)
{
  BeaconAccount *account = ((gpointer *) data)[0];
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (account),
                                                 ((gpointer *) data)[1]);

  return buddy != NULL && beacon_buddy_get_subscription (buddy) == BEACON_SUBSCRIPTION_ACTIVE;
}

static gboolean
buddy_pending (gpointer data)
{
  BeaconAccount *account = ((gpointer *) data)[0];
  BeaconBuddy *buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (account),
                                                 ((gpointer *) data)[1]);

  return buddy != NULL && beacon_buddy_get_subscription (buddy) == BEACON_SUBSCRIPTION_PENDING;
}

static guint
count_entries (GPtrArray  *seen,
               const char *wanted)
{
  guint n = 0;

  for (guint i = 0; i < seen->len; i++)
    n += g_str_equal (g_ptr_array_index (seen, i), wanted);
  return n;
}

static gboolean
has_entry (gpointer data)
{
  return count_entries (((gpointer *) data)[0], ((gpointer *) data)[1]) > 0;
}

static void
on_bob_message (BeaconAccount *account,
                const char    *from,
                const char    *text,
                gpointer       user_data)
{
  g_ptr_array_add (F.bob_messages, g_strdup_printf ("%s %s", from, text));
}

static gboolean
has_class (GtkWidget *widget,
           gpointer   css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

/* A revealer by its child's class (the main window's connection banner). */
static gboolean
has_class_child (GtkWidget *widget,
                 gpointer   css_class)
{
  GtkWidget *child = gtk_revealer_get_child (GTK_REVEALER (widget));

  return child != NULL && gtk_widget_has_css_class (child, css_class);
}

static gboolean
row_of (GtkWidget *widget,
        gpointer   name)
{
  g_autofree char *text = NULL;

  if (!gtk_widget_get_mapped (widget))
    return FALSE;
  text = ui_visible_text (widget);
  return strstr (text, name) != NULL;
}

static GtkWidget *
buddy_row (const char *name)
{
  GtkWidget *window = GTK_WIDGET (ui_find_toplevel (BEACON_TYPE_WINDOW, NULL, NULL));
  GtkWidget *row = ui_find (window, BEACON_TYPE_BUDDY_ROW, row_of, (gpointer) name);

  g_assert_nonnull (row);
  return row;
}

static gboolean
title_is (gpointer title)
{
  GtkWindow *window = ui_find_toplevel (BEACON_TYPE_WINDOW, NULL, NULL);

  return g_strcmp0 (gtk_window_get_title (window), title) == 0;
}

static void
wait_for_title (const char *title)
{
  g_autofree char *what = g_strdup_printf ("the main window's title “%s”", title);

  ui_wait_for (title_is, (gpointer) title, WAIT_S, what);
}

static gboolean
chat_is (GtkWidget *widget,
         gpointer   data)
{
  return beacon_chat_window_get_account (BEACON_CHAT_WINDOW (widget)) == ((gpointer *) data)[0] &&
         g_strcmp0 (beacon_chat_window_get_uri (BEACON_CHAT_WINDOW (widget)), ((gpointer *) data)[1]) == 0;
}

static GtkWidget *
wait_for_chat (BeaconAccount *account,
               const char    *uri)
{
  gpointer want[] = { account, (gpointer) uri };

  return ui_wait_for_toplevel (BEACON_TYPE_CHAT_WINDOW, chat_is, want, WAIT_S);
}

static gboolean
window_active (gpointer window)
{
  return gtk_window_is_active (window);
}

/* No selectable label under @root has text selected. */
static void
assert_nothing_selected (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int start, end;

      if (GTK_IS_LABEL (child) && gtk_label_get_selectable (GTK_LABEL (child)) &&
          gtk_label_get_selection_bounds (GTK_LABEL (child), &start, &end))
        g_error ("“%s” is selected in a bubble", gtk_label_get_text (GTK_LABEL (child)));
      assert_nothing_selected (child);
    }
}

/* The visible bubbles under @chat, in order. */
static void
collect_rows (GtkWidget *root,
              GPtrArray *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (BEACON_IS_MESSAGE_ROW (child) && gtk_widget_get_mapped (child) &&
          beacon_message_row_get_message (BEACON_MESSAGE_ROW (child)) != NULL)
        g_ptr_array_add (rows, child);
      else
        collect_rows (child, rows);
    }
}

static GtkWidget *
message_row (GtkWidget  *chat,
             const char *text)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  collect_rows (chat, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_str_equal (beacon_chat_message_get_text (
                       beacon_message_row_get_message (rows->pdata[i])), text))
      return rows->pdata[i];
  g_error ("no bubble “%s”", text);
}

static gboolean
label_is (GtkWidget *widget,
          gpointer   text)
{
  return gtk_widget_is_visible (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static void
send_in_chat (GtkWidget  *chat,
              const char *text)
{
  GtkWidget *entry = ui_find (chat, GTK_TYPE_ENTRY, NULL, NULL);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "activate");  /* what Enter does */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

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

/* ---- start ---------------------------------------------------------------------- */

static void
test_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bob_dir = g_build_filename (g_get_user_data_dir (), "ui-chat", "bob", NULL);
  gpointer bob_is_friend[2];
  GtkWidget *window;

  F.owner = own_notifications ();
  F.alice = make_account ("alice", NULL);
  F.carol = make_account ("carol", NULL);
  F.bob = make_account ("bob", bob_dir);
  g_signal_connect (F.bob, "message-received", G_CALLBACK (on_bob_message), NULL);

  F.app = beacon_application_new ();
  g_application_set_flags (G_APPLICATION (F.app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (F.app), NULL, &error));
  g_assert_no_error (error);
  beacon_application_add_account (F.app, F.alice, NULL);
  beacon_application_add_account (F.app, F.carol, NULL);
  g_application_activate (G_APPLICATION (F.app));
  window = ui_wait_for_toplevel (BEACON_TYPE_WINDOW, NULL, NULL, WAIT_S);
  g_assert_true (beacon_window_get_account (BEACON_WINDOW (window)) == F.alice);
  beacon_account_start (F.bob);
  ui_wait_for (is_online, F.alice, WAIT_S, "alice to register");
  ui_wait_for (is_online, F.carol, WAIT_S, "carol to register");
  ui_wait_for (is_online, F.bob, WAIT_S, "bob to register");

  /* Bob is alice's friend, under the name she gave him. */
  g_assert_true (beacon_account_add_buddy (F.alice, F.bob_uri, BOB_NAME, &error));
  g_assert_no_error (error);
  ui_wait_for_text (window, BOB_NAME, WAIT_S);
  bob_is_friend[0] = F.alice;
  bob_is_friend[1] = F.bob_uri;
  ui_wait_for (buddy_pending, bob_is_friend, WAIT_S, "alice to wait for bob's answer");
  g_assert_true (beacon_account_authorize (F.bob, F.alice_uri, BEACON_AUTHORIZE_ALLOW, &error));
  g_assert_no_error (error);
  ui_wait_for (buddy_active, bob_is_friend, WAIT_S, "alice to see bob");
  wait_for_title ("Beacon");
}

/* ---- unread and notifications ------------------------------------------------------ */

static void
test_unread (void)
{
  GtkWidget *window = GTK_WIDGET (ui_find_toplevel (BEACON_TYPE_WINDOW, NULL, NULL));
  GtkWidget *row = buddy_row (BOB_NAME);
  GtkWidget *badge;
  GtkWidget *name;
  GtkWidget *chat;
  GtkWidget *entry;
  Notification *to_alice;
  Notification *to_carol;

  /* Nothing unread yet: no badge, the name not bold. */
  badge = ui_find (row, GTK_TYPE_LABEL, has_class, "unread-badge");
  g_assert_nonnull (badge);
  g_assert_false (gtk_widget_is_visible (badge));
  g_assert_null (ui_find (row, GTK_TYPE_LABEL, has_class, "unread"));

  /* Bob writes while alice's chat with him is closed. */
  g_assert_null (ui_find_toplevel (BEACON_TYPE_CHAT_WINDOW, NULL, NULL));
  g_free (beacon_account_send_message (F.bob, F.alice_uri, "Are you around?", NULL));
  wait_for_unread (F.alice, F.bob_uri, 1);
  g_free (beacon_account_send_message (F.bob, F.alice_uri, "Lunch at noon", NULL));
  wait_for_unread (F.alice, F.bob_uri, 2);
  g_free (beacon_account_send_message (F.bob, F.carol_uri, "Hello Carol", NULL));
  wait_for_unread (F.carol, F.bob_uri, 1);

  /* The row: a badge "2", the name in bold; the title: all three. */
  row = buddy_row (BOB_NAME);
  badge = ui_find (row, GTK_TYPE_LABEL, has_class, "unread-badge");
  g_assert_true (gtk_widget_is_visible (badge));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, "2");
  name = ui_find (row, GTK_TYPE_LABEL, has_class, "unread");
  g_assert_nonnull (name);
  /* The name first, the address after it in dim text (beacon-buddy-row.c). */
  g_assert_true (g_str_has_prefix (gtk_label_get_text (GTK_LABEL (name)), BOB_NAME));
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  wait_for_title ("Beacon (3)");
  ui_screenshot (window, "chat-unread-list");

  /* A notification for each, with Reply and Open for its own account. */
  to_alice = wait_for_notification (BOB_NAME, "Lunch at noon");
  /* Bob is not in carol's list: hers is the strangers' notification. */
  {
    g_autofree char *body = g_strdup_printf ("%s: Hello Carol", F.bob_uri);

    to_carol = wait_for_notification ("Messages from strangers: 1", body);
  }
  {
    g_autofree char *for_carol = g_strdup_printf ("(to %s)", F.carol_uri);

    g_assert_nonnull (strstr (to_carol->title, for_carol));
  }

  /* Alice's Reply: her chat with bob, ready to type in, nothing selected. */
  click_notification_button (to_alice, "Reply", F.alice_uri, F.bob_uri);
  chat = wait_for_chat (F.alice, F.bob_uri);
  entry = ui_find (chat, GTK_TYPE_ENTRY, NULL, NULL);
  g_assert_true (gtk_window_get_focus (GTK_WINDOW (chat)) == entry ||
                 gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (chat)), entry));
  ui_wait_for_text (chat, "Lunch at noon", WAIT_S);
  ui_wait_for (window_active, chat, WAIT_S, "the chat to come to the front");
  assert_nothing_selected (chat);

  /* Read: the badge and the bold go, the title counts carol's alone. */
  wait_for_unread (F.alice, F.bob_uri, 0);
  row = buddy_row (BOB_NAME);
  badge = ui_find (row, GTK_TYPE_LABEL, has_class, "unread-badge");
  g_assert_false (gtk_widget_is_visible (badge));
  g_assert_null (ui_find (row, GTK_TYPE_LABEL, has_class, "unread"));
  wait_for_title ("Beacon (1)");
  ui_screenshot (chat, "chat-reply-opened");

  /* Carol's Open: carol's chat with bob, not alice's. */
  click_notification_button (to_carol, "Open", F.carol_uri, F.bob_uri);
  chat = wait_for_chat (F.carol, F.bob_uri);
  ui_wait_for_text (chat, "Hello Carol", WAIT_S);
  ui_wait_for (window_active, chat, WAIT_S, "carol's chat to come to the front");
  wait_for_unread (F.carol, F.bob_uri, 0);
  wait_for_title ("Beacon");
  gtk_window_destroy (GTK_WINDOW (chat));
  ui_screenshot (window, "chat-unread-read");

  /* A stranger (carol is not in alice's list) writes to alice: no row of
   * the list, one banner with her in its menu, one folded notification;
   * opening her chat clears both. */
  {
    GtkRevealer *banner = GTK_REVEALER (ui_find (window, GTK_TYPE_REVEALER, has_class_child,
                                                 "strangers-banner"));
    GtkMenuButton *show = GTK_MENU_BUTTON (ui_find (GTK_WIDGET (banner), GTK_TYPE_MENU_BUTTON, NULL, NULL));
    g_autofree char *item = g_strdup_printf ("%s (1)", F.carol_uri);
    g_autofree char *body = g_strdup_printf ("%s: Hi, it's Carol", F.carol_uri);
    g_autofree char *label = NULL;
    g_autofree char *action = NULL;
    g_autoptr(GVariant) target = NULL;
    Notification *to_alice_from_carol;
    GMenuModel *menu;

    g_assert_false (gtk_revealer_get_reveal_child (banner));
    g_free (beacon_account_send_message (F.carol, F.alice_uri, "Hi, it's Carol", NULL));
    wait_for_unread (F.alice, F.carol_uri, 1);
    ui_wait_for_text (window, "Messages from strangers: 1", WAIT_S);
    g_assert_true (gtk_revealer_get_reveal_child (banner));
    g_assert_null (ui_find (window, BEACON_TYPE_BUDDY_ROW, row_of, (gpointer) F.carol_uri));
    menu = gtk_menu_button_get_menu_model (show);
    g_assert_nonnull (menu);
    g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 1);
    g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
    g_assert_cmpstr (label, ==, item);
    g_assert_true (g_menu_model_get_item_attribute (menu, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "app.open-account-chat");
    target = g_menu_model_get_item_attribute_value (menu, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE ("(ss)"));
    g_assert_nonnull (target);
    ui_screenshot (window, "window-strangers");

    to_alice_from_carol = wait_for_notification ("Messages from strangers: 1", body);
    click_notification_button (to_alice_from_carol, "Open", F.alice_uri, F.carol_uri);
    chat = wait_for_chat (F.alice, F.carol_uri);
    ui_wait_for_text (chat, "Hi, it's Carol", WAIT_S);
    wait_for_unread (F.alice, F.carol_uri, 0);
    ui_spin (0.3);
    g_assert_false (gtk_revealer_get_reveal_child (banner));
    gtk_window_destroy (GTK_WINDOW (chat));
  }
}

/* ---- the chat window ------------------------------------------------------------------ */

static void
test_window (void)
{
  GtkWidget *chat = wait_for_chat (F.alice, F.bob_uri);
  AdwWindowTitle *title = ADW_WINDOW_TITLE (ui_find (chat, ADW_TYPE_WINDOW_TITLE, NULL, NULL));
  GtkWidget *header = ui_find (chat, ADW_TYPE_HEADER_BAR, NULL, NULL);
  AdwAvatar *avatar = ADW_AVATAR (ui_find (header, ADW_TYPE_AVATAR, NULL, NULL));
  GtkWidget *first = message_row (chat, "Are you around?");
  GtkWidget *second = message_row (chat, "Lunch at noon");
  GtkWidget *send;
  GtkWidget *row;
  GtkWidget *state;
  g_autofree char *dave_uri = g_strdup_printf ("sip:dave@%s", g_getenv ("BEACON_TEST_DOMAIN"));
  BeaconConversation *dave;

  /* The name as the title, the address under it, initials. */
  g_assert_cmpstr (adw_window_title_get_title (title), ==, BOB_NAME);
  g_assert_nonnull (strstr (adw_window_title_get_subtitle (title), F.bob_uri));
  g_assert_cmpstr (adw_avatar_get_text (avatar), ==, BOB_NAME);
  g_assert_true (adw_avatar_get_show_initials (avatar));

  /* Bob's two bubbles are one group: one "Today", one avatar. */
  g_assert_true (beacon_message_row_starts_group (BEACON_MESSAGE_ROW (first)));
  g_assert_false (beacon_message_row_starts_group (BEACON_MESSAGE_ROW (second)));
  g_assert_nonnull (ui_find (first, GTK_TYPE_LABEL, label_is, "Today"));
  g_assert_null (ui_find (second, GTK_TYPE_LABEL, label_is, "Today"));
  avatar = ADW_AVATAR (ui_find (first, ADW_TYPE_AVATAR, NULL, NULL));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (avatar)));
  g_assert_cmpfloat (gtk_widget_get_opacity (GTK_WIDGET (avatar)), ==, 1.0);
  g_assert_cmpstr (adw_avatar_get_text (avatar), ==, BOB_NAME);
  g_assert_cmpfloat (gtk_widget_get_opacity (ui_find (second, ADW_TYPE_AVATAR, NULL, NULL)), ==, 0.0);

  /* Alice answers: her bubble starts a group of its own and shows its
   * fate with a word and an icon. */
  send_in_chat (chat, "Noon is fine");
  ui_wait_for_text (chat, "Delivered", WAIT_S);
  row = message_row (chat, "Noon is fine");
  g_assert_true (beacon_message_row_starts_group (BEACON_MESSAGE_ROW (row)));
  state = ui_find (row, GTK_TYPE_IMAGE, has_class, "message-state");
  g_assert_nonnull (state);
  g_assert_true (gtk_widget_is_visible (state));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (state)), ==, "emblem-ok-symbolic");
  g_assert_false (gtk_widget_is_visible (ui_find (row, ADW_TYPE_AVATAR, NULL, NULL)));

  /* The send button says "send", to the eye and to a screen reader. */
  {
    GtkWidget *entry = ui_find (chat, GTK_TYPE_ENTRY, NULL, NULL);
    GtkWidget *box = gtk_widget_get_parent (entry);

    send = gtk_widget_get_last_child (box);
    g_assert_true (GTK_IS_BUTTON (send));
    g_assert_cmpstr (gtk_button_get_icon_name (GTK_BUTTON (send)), ==, "paper-plane-symbolic");
    g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (send)),
                                            "paper-plane-symbolic"));
  }
  g_assert_cmpuint (ui_assert_icon_buttons_labelled (chat), >=, 1);
  ui_screenshot (chat, "chat-window-grouped");

  /* A stranger's chat starts empty: a page says so. */
  g_assert_true (gtk_widget_activate_action (chat, "app.open-chat", "s", dave_uri));
  chat = wait_for_chat (F.alice, dave_uri);
  ui_wait_for_text (chat, "No Messages Yet", WAIT_S);
  g_assert_true (gtk_widget_get_mapped (ui_find (chat, ADW_TYPE_STATUS_PAGE, NULL, NULL)));
  ui_screenshot (chat, "chat-window-empty");

  /* Messages of other days get their day's separator. */
  /* (as the history would: older messages before the others) */
  dave = beacon_account_get_conversation (F.alice, dave_uri);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now),
                                                        g_date_time_get_month (now),
                                                        g_date_time_get_day_of_month (now), 0, 30, 0);
    g_autoptr(GDateTime) yesterday = g_date_time_add_days (today, -1);
    g_autoptr(GDateTime) before = g_date_time_add_days (today, -40);
    g_autofree char *before_day = beacon_message_row_format_day (before, now);
    g_autoptr(BeaconChatMessage) m1 = beacon_chat_message_new ("old-1", FALSE, "Long ago", before);
    g_autoptr(BeaconChatMessage) m2 = beacon_chat_message_new ("old-2", FALSE, "Last night", yesterday);
    g_autoptr(BeaconChatMessage) m3 = beacon_chat_message_new ("old-3", FALSE, "Early today", today);

    g_assert_cmpstr (before_day, !=, "Today");
    g_assert_cmpstr (before_day, !=, "Yesterday");
    beacon_conversation_append (dave, m1);
    beacon_conversation_append (dave, m2);
    beacon_conversation_append (dave, m3);
    ui_wait_for_text (chat, "Early today", WAIT_S);
    g_assert_false (gtk_widget_get_mapped (ui_find (chat, ADW_TYPE_STATUS_PAGE, NULL, NULL)));
    g_assert_nonnull (ui_find (message_row (chat, "Long ago"), GTK_TYPE_LABEL, label_is, before_day));
    g_assert_nonnull (ui_find (message_row (chat, "Last night"), GTK_TYPE_LABEL, label_is, "Yesterday"));
    g_assert_nonnull (ui_find (message_row (chat, "Early today"), GTK_TYPE_LABEL, label_is, "Today"));
    /* Days apart: each starts its own group. */
    g_assert_true (beacon_message_row_starts_group (BEACON_MESSAGE_ROW (message_row (chat, "Last night"))));
  }
  /* Dave is offline: the server keeps the message, and the bubble says so. */
  send_in_chat (chat, "Call me when you are back");
  ui_wait_for_text (chat, "Stored until they come online", WAIT_S);
  state = ui_find (message_row (chat, "Call me when you are back"), GTK_TYPE_IMAGE, has_class, "message-state");
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (state)), ==, "appointment-soon-symbolic");
  ui_screenshot (chat, "chat-window-days");
  gtk_window_destroy (GTK_WINDOW (chat));
}

/* ---- Retry: the same message, once ---------------------------------------------------- */

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
run_harness (const char *command)
{
  const char *argv[] = { "bash", g_getenv ("BEACON_TEST_HARNESS"), command, g_getenv ("BEACON_TEST_RUNDIR"),
                         NULL };
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_assert_nonnull (argv[1]);
  g_assert_nonnull (argv[3]);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &wait_status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}


static BeaconChatMessage *
find_message (BeaconAccount *account,
              const char    *uri,
              const char    *text,
              guint         *copies)
{
  GListModel *conversation = G_LIST_MODEL (beacon_account_get_conversation (account, uri));
  BeaconChatMessage *found = NULL;

  *copies = 0;
  for (guint i = 0; i < g_list_model_get_n_items (conversation); i++)
    {
      g_autoptr(BeaconChatMessage) message = g_list_model_get_item (conversation, i);

      if (g_str_equal (beacon_chat_message_get_text (message), text))
        {
          found = message;  /* the conversation keeps it */
          (*copies)++;
        }
    }
  return found;
}

static gboolean
message_state_is (gpointer data)
{
  BeaconChatMessage *message = ((gpointer *) data)[0];
  BeaconMessageState state = GPOINTER_TO_INT (((gpointer *) data)[1]);

  return beacon_chat_message_get_state (message) == state;
}

static gboolean
message_arrived (gpointer message)
{
  return beacon_chat_message_get_state (message) == BEACON_MESSAGE_DELIVERED ||
         beacon_chat_message_get_state (message) == BEACON_MESSAGE_STORED;
}

static void
test_retry (void)
{
  const char *text = "Sorry, my server was down";
  g_autofree char *received = g_strdup_printf ("%s %s", F.alice_uri, text);
  gpointer bob_got[] = { F.bob_messages, received };
  BeaconChatMessage *message;
  g_autofree char *id = NULL;
  GtkWidget *chat;
  GtkWidget *row;
  guint copies;
  guint before;

  g_action_group_activate_action (G_ACTION_GROUP (F.app), "open-account-chat",
                                  g_variant_new ("(ss)", F.alice_uri, F.bob_uri));
  chat = wait_for_chat (F.alice, F.bob_uri);

  /* The server frozen: the message waits for an answer, and says so;
   * thawed, it goes through. */
  {
    const char *waiting = "Hold on";
    g_autofree char *got = g_strdup_printf ("%s %s", F.alice_uri, waiting);
    gpointer bob_got_it[] = { F.bob_messages, got };
    pid_t pid = ui_kamailio_pid ();

    g_assert_cmpint (pid, >, 1);
    g_assert_cmpint (kill (-pid, SIGSTOP), ==, 0);
    send_in_chat (chat, waiting);
    message = find_message (F.alice, F.bob_uri, waiting, &copies);
    g_assert_nonnull (message);
    row = message_row (chat, waiting);
    ui_wait_for_text (row, "Sending…", WAIT_S);
    g_assert_cmpint (beacon_chat_message_get_state (message), ==, BEACON_MESSAGE_SENDING);
    g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (ui_find (row, GTK_TYPE_IMAGE, has_class,
                                                                   "message-state"))), ==,
                     "content-loading-symbolic");
    ui_screenshot (chat, "chat-window-sending");
    g_assert_cmpint (kill (-pid, SIGCONT), ==, 0);
    ui_wait_for (message_arrived, message, WAIT_S, "the held message to arrive");
    ui_wait_for (has_entry, bob_got_it, WAIT_S, "bob to receive the held message");
  }

  /* No server: the message fails and says so, with Retry. */
  run_harness ("stop");
  send_in_chat (chat, text);
  message = find_message (F.alice, F.bob_uri, text, &copies);
  g_assert_nonnull (message);
  g_assert_cmpuint (copies, ==, 1);
  id = g_strdup (beacon_chat_message_get_id (message));
  {
    gpointer failed[] = { message, GINT_TO_POINTER (BEACON_MESSAGE_FAILED) };

    ui_wait_for (message_state_is, failed, 90, "the message to fail without a server");
  }
  ui_spin (0.3);
  row = message_row (chat, text);
  ui_wait_for_text (row, "Not sent: no connection", WAIT_S);
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (ui_find (row, GTK_TYPE_IMAGE, has_class,
                                                                 "message-state"))), ==,
                   "dialog-error-symbolic");
  g_assert_nonnull (ui_find_button (row, "_Retry"));
  g_assert_true (gtk_widget_is_visible (ui_find_button (row, "_Retry")));
  ui_screenshot (chat, "chat-window-failed");
  g_assert_cmpuint (count_entries (F.bob_messages, received), ==, 0);

  /* The main window says the connection is lost and being retried, with
   * Retry live (the keep-alive noticed long before the message failed). */
  {
    GtkWidget *window = GTK_WIDGET (ui_find_toplevel (BEACON_TYPE_WINDOW, NULL, NULL));
    g_autofree char *state = g_strdup_printf ("%s · Reconnecting…", F.alice_uri + 4);
    ui_wait_for_text (window, state, WAIT_S);
    ui_wait_for_text (window, "Lost the connection to the server. Reconnecting…", WAIT_S);
    g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (ui_find (window, GTK_TYPE_REVEALER,
                                                                          has_class_child,
                                                                          "connection-banner"))));
    g_assert_true (gtk_widget_is_sensitive (ui_find_button (window, "_Retry")));
    ui_screenshot (window, "window-reconnecting");
  }

  /* The server back, both signed in again: Retry sends that message,
   * under its id; no second bubble, one copy at bob's. */
  run_harness ("restart");
  ui_wait_for (is_online, F.alice, 90, "alice to sign in again");
  /* The restarted server forgot where bob is: he signs in again (as his
   * next refresh would, sooner). */
  {
    guint running = 1;

    beacon_account_stop_async (F.bob, NULL, on_stopped, &running);
    ui_wait_for (all_stopped, &running, WAIT_S, "bob to leave");
    beacon_account_start (F.bob);
  }
  ui_wait_for (is_online, F.bob, 90, "bob to sign in again");
  {
    GtkWidget *window = GTK_WIDGET (ui_find_toplevel (BEACON_TYPE_WINDOW, NULL, NULL));
    g_autofree char *state = g_strdup_printf ("%s · Connected", F.alice_uri + 4);

    ui_wait_for_text (window, state, WAIT_S);
    g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (ui_find (window, GTK_TYPE_REVEALER,
                                                                           has_class_child,
                                                                           "connection-banner"))));
  }
  before = g_list_model_get_n_items (G_LIST_MODEL (beacon_account_get_conversation (F.alice, F.bob_uri)));
  ui_click (row, "_Retry");
  ui_wait_for (message_arrived, message, 90, "the retried message to arrive");
  g_test_message ("the retried message: state %d", beacon_chat_message_get_state (message));
  ui_wait_for (has_entry, bob_got, 90, "bob to receive the retried message");
  ui_spin (3);  /* time for a second copy, if there were one */
  g_assert_cmpuint (count_entries (F.bob_messages, received), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (beacon_account_get_conversation (F.alice, F.bob_uri))), ==,
                    before);
  g_assert_true (find_message (F.alice, F.bob_uri, text, &copies) == message);
  g_assert_cmpuint (copies, ==, 1);
  g_assert_cmpstr (beacon_chat_message_get_id (message), ==, id);
  row = message_row (chat, text);
  g_assert_false (gtk_widget_is_visible (ui_find_button (row, "_Retry")));
  ui_screenshot (chat, "chat-window-retried");
}

/* ---- blocked: a banner, Unblock ---------------------------------------------------------- */

static gboolean
blocked_is (gpointer want)
{
  return beacon_account_is_blocked (F.alice, F.bob_uri) == GPOINTER_TO_INT (want);
}

static void
test_blocked (void)
{
  GtkWidget *chat = wait_for_chat (F.alice, F.bob_uri);
  GtkRevealer *banner = GTK_REVEALER (ui_find (chat, GTK_TYPE_REVEALER, NULL, NULL));
  GtkWidget *entry = ui_find (chat, GTK_TYPE_ENTRY, NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (gtk_revealer_get_reveal_child (banner));
  g_assert_true (gtk_widget_is_sensitive (entry));

  /* Blocked (as the row menu and the blacklist do): the chat says so and
   * cannot be written in. */
  g_assert_true (beacon_account_authorize (F.alice, F.bob_uri, BEACON_AUTHORIZE_BLOCK, &error));
  g_assert_no_error (error);
  ui_wait_for (blocked_is, GINT_TO_POINTER (TRUE), WAIT_S, "bob on alice's blacklist");
  g_assert_true (gtk_revealer_get_reveal_child (banner));
  ui_wait_for_text (GTK_WIDGET (banner), "You blocked " BOB_NAME, WAIT_S);
  g_assert_false (gtk_widget_is_sensitive (entry));
  g_assert_false (gtk_widget_is_sensitive (gtk_widget_get_last_child (gtk_widget_get_parent (entry))));
  ui_spin (0.5);  /* the revealer's animation */
  ui_screenshot (chat, "chat-window-blocked");

  /* Unblock from the banner: bob leaves the blacklist, the chat opens up. */
  ui_click (GTK_WIDGET (banner), "_Unblock");
  ui_wait_for (blocked_is, GINT_TO_POINTER (FALSE), WAIT_S, "bob off alice's blacklist");
  g_assert_false (gtk_revealer_get_reveal_child (banner));
  g_assert_true (gtk_widget_is_sensitive (entry));
  ui_spin (0.5);
  ui_screenshot (chat, "chat-window-unblocked");
}

/* ---- teardown -------------------------------------------------------------------------- */

static void
teardown (void)
{
  BeaconAccount *accounts[] = { F.alice, F.bob, F.carol };
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint running = 0;

  while (g_list_model_get_n_items (toplevels) > 0)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, 0);
      gtk_window_destroy (window);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    if (accounts[i] != NULL && !is_offline (accounts[i]))
      {
        running++;
        beacon_account_stop_async (accounts[i], NULL, on_stopped, &running);
      }
  ui_wait_for (all_stopped, &running, 15, "the accounts to leave");
  if (F.owner != 0)
    g_bus_unown_name (F.owner);
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
  F.bob_messages = g_ptr_array_new_with_free_func (g_free);
  F.notifications = g_ptr_array_new_with_free_func (notification_free);

  g_test_add_func ("/ui/chat/start", test_start);
  g_test_add_func ("/ui/chat/unread", test_unread);
  g_test_add_func ("/ui/chat/window", test_window);
  g_test_add_func ("/ui/chat/retry", test_retry);
  g_test_add_func ("/ui/chat/blocked", test_blocked);
  status = g_test_run ();

  teardown ();

  g_ptr_array_unref (F.bob_messages);
  g_ptr_array_unref (F.notifications);
  return status;
}
