/* test-lan-chat-store.c — LAN chat, and the files the LAN account keeps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "lan-test-util.h"

#include <string.h>

#include <glib/gstdio.h>

#include "formats/beacon-cpim.h"
#include "formats/beacon-pres-rules.h"
#include "formats/beacon-resource-lists.h"

static gboolean
has_state (LanPeer    *peer,
           const char *id,
           const char *state)
{
  g_autofree char *prefix = g_strdup_printf ("%s %s ", id, state);

  for (guint i = 0; i < peer->states->len; i++)
    if (g_str_has_prefix (peer->states->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

static void
test_chat_both_ways (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *id1 = NULL;
  g_autofree char *id2 = NULL;
  g_autofree char *line = NULL;

  lan_peer_befriend (alice, bob);
  id1 = beacon_account_send_message (lan_peer_account (alice), lan_peer_aor (bob),
                                     "hi bob, 你好", &error);
  g_assert_no_error (error);
  LAN_WAIT_FOR (lan_peer_has_line (bob->received, "sip:alice@test.lan|hi bob, 你好"));
  line = g_strdup_printf ("%s delivered 200", id1);
  LAN_WAIT_FOR (lan_peer_has_line (alice->states, line));

  id2 = beacon_account_send_message (lan_peer_account (bob), lan_peer_aor (alice), "hi alice",
                                     &error);
  g_assert_no_error (error);
  LAN_WAIT_FOR (lan_peer_has_line (alice->received, "sip:bob@test.lan|hi alice"));
  LAN_WAIT_FOR (has_state (bob, id2, "delivered"));
  g_assert_cmpuint (g_list_model_get_n_items ((GListModel *)
                      beacon_account_get_conversation (lan_peer_account (alice),
                                                       lan_peer_aor (bob))), ==, 2);

  lan_peer_free (alice);
  lan_peer_free (bob);
}

static void
test_chat_unreachable (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  /* Not on the network: refused at once, with a reason. */
  id = beacon_account_send_message (lan_peer_account (alice), "sip:nobody@test.lan", "hello?",
                                    &error);
  g_assert_null (id);
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_UNREACHABLE);
  g_clear_error (&error);

  /* Announced, but gone without a goodbye: the send fails. */
  lan_peer_show (alice, bob);
  lan_peer_free (g_steal_pointer (&bob));
  id = beacon_account_send_message (lan_peer_account (alice), "sip:bob@test.lan", "still there?",
                                    &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  LAN_WAIT_FOR (has_state (alice, id, "failed"));

  lan_peer_free (alice);
}

/* A raw MESSAGE from a peer that speaks CPIM; @extra: more header lines
 * ("Name: value\r\n"), or "". */
static void
send_raw_message (GSocket    *socket,
                  guint       port,
                  const char *call_id,
                  guint       cseq,
                  const char *branch,
                  const char *extra,
                  const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = beacon_cpim_build ("sip:dave@test.lan", "sip:bob@test.lan", NULL,
                                             text, &error);
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (loopback, port);
  g_autofree char *request = NULL;

  g_assert_no_error (error);
  request = g_strdup_printf (
    "MESSAGE sip:bob@127.0.0.1:%u SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:%u;branch=z9hG4bK%s\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:dave@test.lan>;tag=dave1\r\n"
    "To: <sip:bob@test.lan>\r\n"
    "Call-ID: %s\r\n"
    "CSeq: %u MESSAGE\r\n"
    "%s"
    "Content-Type: message/cpim\r\n"
    "Content-Length: %zu\r\n"
    "\r\n%s",
    port, g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)), branch, call_id,
    cseq, extra, strlen (body), body);
  g_assert_cmpint (g_socket_send_to (socket, to, request, strlen (request), NULL, &error), ==,
                   strlen (request));
  g_assert_no_error (error);
}

/* The final answer's status code. */
static guint
expect_answer (GSocket *socket)
{
  char buffer[4096];
  gint64 end = g_get_monotonic_time () + LAN_TEST_WAIT_S * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      gssize n = g_socket_receive (socket, buffer, sizeof buffer - 1, NULL, NULL);

      if (n > 0)
        {
          buffer[n] = '\0';
          g_assert_true (g_str_has_prefix (buffer, "SIP/2.0 "));
          return (guint) g_ascii_strtoull (buffer + strlen ("SIP/2.0 "), NULL, 10);
        }
      lan_test_run (10);
    }
  g_error ("no answer to the MESSAGE");
  return 0;
}

/* A UDP socket on 127.0.0.1, any port, not blocking. */
static GSocket *
raw_socket (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string ("127.0.0.1");
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);
  return g_steal_pointer (&socket);
}

static void
remove_history (const char *tmp,
                const char *db)
{
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);

  g_remove (db);
  g_remove (wal);
  g_remove (shm);
  g_rmdir (tmp);
}

static void
test_cpim_and_dedupe (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("beacon-lan-history-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (tmp, "history.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconHistory) history = beacon_history_open (db, NULL, &error);
  g_autoptr(GSocket) socket = raw_socket ();
  LanPeer *bob;
  guint port;

  g_assert_no_error (error);
  bob = lan_peer_new_with_history ("bob", NULL, 0, history);
  port = beacon_lan_account_get_port (bob->account);

  send_raw_message (socket, port, "dup-1@test", 1, "aaa1", "", "héllo in cpim");
  g_assert_cmpuint (expect_answer (socket), ==, 200);
  LAN_WAIT_FOR (lan_peer_has_line (bob->received, "sip:dave@test.lan|héllo in cpim"));
  /* The same Call-ID and CSeq in a new transaction: kept once. While the
   * first transaction lives the stack itself answers 482 (merged); later
   * the history's dedupe key drops it. */
  send_raw_message (socket, port, "dup-1@test", 1, "aaa2", "", "héllo in cpim");
  g_assert_cmpuint (expect_answer (socket), !=, 0);
  send_raw_message (socket, port, "dup-1@test", 2, "aaa3", "", "second");
  g_assert_cmpuint (expect_answer (socket), ==, 200);
  LAN_WAIT_FOR (lan_peer_has_line (bob->received, "sip:dave@test.lan|second"));
  g_assert_cmpuint (bob->received->len, ==, 2);

  lan_peer_free (bob);
  g_clear_object (&history);
  remove_history (tmp, db);
}

/* A sender that crashed resends its message in a new transaction (new
 * CSeq, or a new Call-ID when a store replays it): its message id says
 * it is the same, and it is kept once. */
static void
test_resend_dedupe (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("beacon-lan-history-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (tmp, "history.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconHistory) history = beacon_history_open (db, NULL, &error);
  g_autoptr(GSocket) socket = raw_socket ();
  const char *id_m1 = "Beacon-Message-ID: m1-resent\r\n";
  LanPeer *bob;
  guint port;

  g_assert_no_error (error);
  bob = lan_peer_new_with_history ("bob", NULL, 0, history);
  port = beacon_lan_account_get_port (bob->account);

  send_raw_message (socket, port, "beacon-msg-m1-resent", 1, "bbb1", id_m1, "once");
  g_assert_cmpuint (expect_answer (socket), ==, 200);
  LAN_WAIT_FOR (lan_peer_has_line (bob->received, "sip:dave@test.lan|once"));
  /* After a crash: the same Call-ID, a new CSeq. */
  send_raw_message (socket, port, "beacon-msg-m1-resent", 7, "bbb2", id_m1, "once");
  g_assert_cmpuint (expect_answer (socket), ==, 200);
  /* Replayed by a store: a new Call-ID, the id in its header. */
  send_raw_message (socket, port, "stored-1@test", 1, "bbb3", id_m1, "once");
  g_assert_cmpuint (expect_answer (socket), ==, 200);
  /* The Call-ID alone carries the id too. */
  send_raw_message (socket, port, "beacon-msg-m1-resent", 9, "bbb4", "", "once");
  g_assert_cmpuint (expect_answer (socket), ==, 200);
  /* Another message of the same dialog is another message. */
  send_raw_message (socket, port, "beacon-msg-m1-resent", 10, "bbb5",
                    "Beacon-Message-ID: m2\r\n", "twice");
  g_assert_cmpuint (expect_answer (socket), ==, 200);
  LAN_WAIT_FOR (lan_peer_has_line (bob->received, "sip:dave@test.lan|twice"));
  g_assert_cmpuint (bob->received->len, ==, 2);

  lan_peer_free (bob);
  g_clear_object (&history);
  remove_history (tmp, db);
}

/* Our MESSAGEs carry their id the way BeaconSipUa's do, so that the
 * receiver can drop a resend. */
static void
test_sends_message_id (void)
{
  LanPeer *alice = lan_peer_new ("alice", NULL, 0);
  LanPeer *bob = lan_peer_new ("bob", NULL, 0);
  g_autoptr(GSocket) socket = raw_socket ();
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *header = NULL;
  g_autofree char *call_id = NULL;
  char buffer[8192];
  gssize n = -1;
  gint64 end;

  /* Bob announced at the raw socket: alice's MESSAGE lands there. */
  fake_discovery_show_as (alice->discovery, bob->discovery, "bob-raw", "127.0.0.1",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
  LAN_WAIT_FOR (lan_peer_has_line (alice->peers, "sip:bob@test.lan 127.0.0.1 appeared"));
  id = beacon_account_send_message (lan_peer_account (alice), lan_peer_aor (bob), "with an id",
                                    &error);
  g_assert_no_error (error);
  end = g_get_monotonic_time () + LAN_TEST_WAIT_S * G_USEC_PER_SEC;
  while (n <= 0 && g_get_monotonic_time () < end)
    {
      n = g_socket_receive (socket, buffer, sizeof buffer - 1, NULL, NULL);
      if (n <= 0)
        lan_test_run (10);
    }
  g_assert_cmpint (n, >, 0);
  buffer[n] = '\0';
  g_assert_true (g_str_has_prefix (buffer, "MESSAGE "));
  header = g_strdup_printf ("\r\nBeacon-Message-ID: %s\r\n", id);
  call_id = g_strdup_printf ("\r\nCall-ID: beacon-msg-%s\r\n", id);
  g_assert_nonnull (strstr (buffer, header));
  g_assert_nonnull (strstr (buffer, call_id));

  lan_peer_free (alice);
  lan_peer_free (bob);
}

static char *
read_file (const char *dir,
           const char *name,
           gsize      *len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, &error));
  g_assert_no_error (error);
  return contents;
}

static void
test_files_written_and_reloaded (void)
{
  g_autofree char *dir = g_dir_make_tmp ("beacon-lan-files-XXXXXX", NULL);
  LanPeer *alice = lan_peer_new ("alice", dir, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconResourceLists) lists = NULL;
  g_autoptr(BeaconPresRules) rules = NULL;
  g_autofree char *xml = NULL;
  BeaconResourceList *list;
  BeaconResourceEntry *entry;
  gsize len;

  g_assert_true (beacon_account_add_buddy (lan_peer_account (alice), "sip:bob@test.lan", "Bob",
                                           &error));
  g_assert_true (beacon_account_authorize (lan_peer_account (alice), "sip:carol@test.lan",
                                           BEACON_AUTHORIZE_BLOCK, &error));
  g_assert_true (beacon_account_authorize (lan_peer_account (alice), "sip:dave@test.lan",
                                           BEACON_AUTHORIZE_POLITE_BLOCK, &error));
  g_assert_no_error (error);

  xml = read_file (dir, "friends.xml", &len);
  lists = beacon_resource_lists_parse (xml, len, &error);
  g_assert_no_error (error);
  list = beacon_resource_lists_find_list (lists, "friends");
  g_assert_nonnull (list);
  entry = beacon_resource_list_find_entry (list, "sip:bob@test.lan");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->display_name, ==, "Bob");
  g_clear_pointer (&xml, g_free);

  xml = read_file (dir, "pres-rules.xml", &len);
  rules = beacon_pres_rules_parse (xml, len, &error);
  g_assert_no_error (error);
  g_assert_false (rules->invalid_for_kamailio);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:bob@test.lan"), ==,
                   BEACON_SUB_HANDLING_ALLOW);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:carol@test.lan"), ==,
                   BEACON_SUB_HANDLING_BLOCK);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:dave@test.lan"), ==,
                   BEACON_SUB_HANDLING_POLITE_BLOCK);
  g_assert_cmpint (beacon_pres_rules_lookup (rules, "sip:erin@test.lan"), ==,
                   BEACON_SUB_HANDLING_CONFIRM);
  lan_peer_free (alice);

  /* Another run finds them all again. */
  alice = lan_peer_new ("alice", dir, 0);
  {
    BeaconBuddy *bob = beacon_buddy_list_lookup (beacon_account_get_buddies (lan_peer_account (alice)),
                                                 "sip:bob@test.lan");
    g_assert_nonnull (bob);
    g_assert_cmpstr (beacon_buddy_get_display_name (bob), ==, "Bob");
    g_assert_cmpint (beacon_buddy_get_status (bob), ==, BEACON_STATUS_OFFLINE);
  }
  g_assert_true (beacon_account_is_blocked (lan_peer_account (alice), "sip:carol@test.lan"));
  g_assert_true (beacon_account_is_blocked (lan_peer_account (alice), "sip:dave@test.lan"));
  g_assert_false (beacon_account_is_blocked (lan_peer_account (alice), "sip:bob@test.lan"));
  g_assert_cmpuint (alice->errors->len, ==, 0);

  /* Removing a friend is saved too. */
  g_assert_true (beacon_account_remove_buddy (lan_peer_account (alice), "sip:bob@test.lan",
                                              &error));
  g_clear_pointer (&xml, g_free);
  g_clear_pointer (&lists, beacon_resource_lists_free);
  xml = read_file (dir, "friends.xml", &len);
  lists = beacon_resource_lists_parse (xml, len, &error);
  g_assert_no_error (error);
  g_assert_null (beacon_resource_list_find_entry (beacon_resource_lists_find_list (lists, "friends"),
                                                  "sip:bob@test.lan"));

  lan_peer_free (alice);
  {
    g_autofree char *friends = g_build_filename (dir, "friends.xml", NULL);
    g_autofree char *rules_path = g_build_filename (dir, "pres-rules.xml", NULL);

    g_remove (friends);
    g_remove (rules_path);
  }
  g_rmdir (dir);
}

static void
test_corrupt_friends (void)
{
  g_autofree char *dir = g_dir_make_tmp ("beacon-lan-corrupt-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "friends.xml", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) listing = NULL;
  g_autoptr(BeaconResourceLists) lists = NULL;
  g_autofree char *xml = NULL;
  const char *name;
  gboolean moved = FALSE;
  LanPeer *alice;
  gsize len;

  g_assert_true (g_file_set_contents (path, "<resource-lists><list name=\"friends\"><entry uri=",
                                      -1, &error));
  alice = lan_peer_new ("alice", dir, 0);
  /* Told, once started, and still running. */
  g_assert_cmpuint (alice->errors->len, ==, 1);
  g_assert_nonnull (strstr (alice->errors->pdata[0], "friends.xml"));
  g_assert_cmpint (beacon_account_get_connection_state (lan_peer_account (alice)), ==,
                   BEACON_CONNECTION_ONLINE);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  listing = g_dir_open (dir, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (name, "friends.xml.bad-"))
      moved = TRUE;
  g_assert_true (moved);

  g_assert_true (beacon_account_add_buddy (lan_peer_account (alice), "sip:bob@test.lan", NULL,
                                           &error));
  g_assert_no_error (error);
  xml = read_file (dir, "friends.xml", &len);
  lists = beacon_resource_lists_parse (xml, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (beacon_resource_list_find_entry (beacon_resource_lists_find_list (lists, "friends"),
                                                     "sip:bob@test.lan"));
  lan_peer_free (alice);

  g_dir_rewind (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_remove (child);
    }
  g_rmdir (dir);
}

/* A list that cannot be saved is not changed: what is shown is on disk. */
static void
test_unwritable (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("beacon-lan-ro-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (tmp, "not-a-dir", NULL);
  g_autofree char *dir = g_build_filename (file, "config", NULL);
  g_autoptr(GError) error = NULL;
  LanPeer *alice;

  g_assert_true (g_file_set_contents (file, "", 0, &error));
  alice = lan_peer_new ("alice", dir, 0);
  g_assert_false (beacon_account_add_buddy (lan_peer_account (alice), "sip:bob@test.lan", NULL,
                                            &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (
                      G_LIST_MODEL (beacon_account_get_buddies (lan_peer_account (alice)))), ==, 0);
  g_assert_false (beacon_account_authorize (lan_peer_account (alice), "sip:carol@test.lan",
                                            BEACON_AUTHORIZE_BLOCK, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (beacon_account_is_blocked (lan_peer_account (alice), "sip:carol@test.lan"));
  /* Bad input: a clear error. */
  g_assert_false (beacon_account_add_buddy (lan_peer_account (alice), "bob at nowhere", NULL,
                                            &error));
  g_assert_error (error, BEACON_ACCOUNT_ERROR, BEACON_ACCOUNT_ERROR_INVALID_URI);

  lan_peer_free (alice);
  g_remove (file);
  g_rmdir (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lan/chat/both-ways", test_chat_both_ways);
  g_test_add_func ("/lan/chat/unreachable", test_chat_unreachable);
  g_test_add_func ("/lan/chat/cpim-dedupe", test_cpim_and_dedupe);
  g_test_add_func ("/lan/chat/resend-dedupe", test_resend_dedupe);
  g_test_add_func ("/lan/chat/sends-message-id", test_sends_message_id);
  g_test_add_func ("/lan/store/files", test_files_written_and_reloaded);
  g_test_add_func ("/lan/store/corrupt", test_corrupt_friends);
  g_test_add_func ("/lan/store/unwritable", test_unwritable);
  return g_test_run ();
}
