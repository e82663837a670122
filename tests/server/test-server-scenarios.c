/* test-server-scenarios.c — the seed's scenarios between beacon-cli processes
 *
 * Each test starts its own Kamailio (tests/server/kamailio-harness.sh) on
 * loopback, puts the XCAP documents it needs with curl, runs two or three
 * `beacon-cli run` accounts driven through their stdin and asserts on the
 * JSON events each prints. Every wait is bounded.
 *   2.1.2.1  A's list subscription (RLS) sees B come online, busy, offline
 *   2.1.2.3  B's presence.winfo shows A pending (and C active)
 *   2.1.2.4  publish: initial, modify, 412 recovery, refresh, remove
 *   2.2      MESSAGE: 200 delivered, 202 stored then delivered on REGISTER
 *   faults   a blocked watcher gets "rejected"; a wrong password is told once;
 *            the server restarting is told and recovered from by itself
 *
 * The scenario itself runs in a test subprocess: when an assertion aborts
 * it, the parent still stops Kamailio, and the beacon-cli processes see
 * their stdin close and stop on their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "scenario-harness.h"

/* ---- 2.1.2.1: the buddy list through the resource list server ------------- */

static void
test_rls_buddy_list (Server *server)
{
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autoptr(Client) carol = NULL;
  g_autofree char *bob_uri = NULL;
  g_autofree char *carol_uri = NULL;
  guint mark;

  bob_uri = aor (server, "bob");
  carol_uri = aor (server, "carol");
  put_buddy_list (server, "alice", "bob", "carol", NULL);
  put_pres_rules (server, "bob", "allow", "alice", NULL);
  put_pres_rules (server, "carol", "allow", "alice", NULL);

  /* C is online all along; B starts offline. */
  carol = client_start (server, "carol", NULL, NULL);
  wait_event (carol, 0, "event", "registered", NULL);
  wait_event (carol, 0, "event", "published", NULL);

  /* A never adds anyone: B and C come from the server's list. */
  alice = client_start (server, "alice", NULL, NULL);
  wait_event (alice, 0, "event", "registered", NULL);
  wait_event (alice, 0, "event", "presence", "uri", carol_uri, "basic", "open",
              "status", "online", "subscription", "active", NULL);
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "basic", "closed", NULL);

  /* B logs in and publishes: A is notified through the list. */
  mark = alice->events->len;
  bob = client_start (server, "bob", "tcp", NULL);
  wait_event (bob, 0, "event", "registered", NULL);
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "basic", "open",
              "status", "online", "subscription", "active", NULL);

  mark = alice->events->len;
  client_send (bob, "status busy in a meeting");
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "status", "busy",
              "note", "in a meeting", NULL);

  /* B quits (un-PUBLISH): A sees B offline. */
  mark = alice->events->len;
  client_quit (bob);
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "basic", "closed",
              "status", "offline", NULL);

  client_quit (alice);
  client_quit (carol);
}

/* ---- 2.1.2.3: watcher information ---------------------------------------- */

static void
test_winfo_pending (Server *server)
{
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autoptr(Client) carol = NULL;
  g_autofree char *alice_uri = NULL;
  g_autofree char *bob_uri = NULL;
  g_autofree char *carol_uri = NULL;
  guint mark;

  alice_uri = aor (server, "alice");
  bob_uri = aor (server, "bob");
  carol_uri = aor (server, "carol");
  /* C is authorised to watch B; A is not (yet). */
  put_pres_rules (server, "bob", "allow", "carol", NULL);

  /* A and C subscribe to B while B is offline (no lists: one subscription
   * per buddy). */
  alice = client_start (server, "alice", NULL, NULL);
  carol = client_start (server, "carol", NULL, NULL);
  wait_event (alice, 0, "event", "registered", NULL);
  wait_event (carol, 0, "event", "registered", NULL);
  client_send (alice, "add %s Bob", bob_uri);
  client_send (carol, "add %s Bob", bob_uri);
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "subscription", "pending", NULL);
  wait_event (carol, 0, "event", "presence", "uri", bob_uri, "subscription", "active", NULL);

  /* B logs in and watches his watchers: A pending, C active. */
  bob = client_start (server, "bob", NULL, NULL);
  wait_event (bob, 0, "event", "registered", NULL);
  wait_event (bob, 0, "event", "watcher", "uri", alice_uri, "status", "pending", NULL);
  wait_event (bob, 0, "event", "watcher", "uri", carol_uri, "status", "active", NULL);
  wait_event (carol, 0, "event", "presence", "uri", bob_uri, "status", "online", NULL);

  /* B authorises A (as the XCAP client would): A's subscription activates. */
  mark = alice->events->len;
  put_pres_rules (server, "bob", "allow", "carol", "alice", NULL);
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "subscription", "active",
              "status", "online", NULL);

  client_quit (alice);
  client_quit (carol);
  client_quit (bob);
}

/* ---- 2.1.2.4: the publication's life -------------------------------------- */

static void
test_publication_lifecycle (Server *server)
{
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autofree char *bob_uri = NULL;
  g_autofree char *etag = NULL;
  guint mark, index;

  bob_uri = aor (server, "bob");
  put_pres_rules (server, "bob", "allow", "alice", NULL);

  alice = client_start (server, "alice", NULL, NULL);
  wait_event (alice, 0, "event", "registered", NULL);
  client_send (alice, "add %s", bob_uri);

  /* Initial PUBLISH. Short expiry, so a refresh comes within the test. */
  bob = client_start (server, "bob", NULL, "20");
  index = wait_event (bob, 0, "event", "published", NULL);
  etag = g_strdup (event_value (bob, index, "etag"));
  g_assert_nonnull (etag);
  g_assert_cmpint (atoi (event_value (bob, index, "expires")), >, 0);
  g_assert_cmpint (atoi (event_value (bob, index, "expires")), <=, 20);
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "status", "online", NULL);

  /* Modify (SIP-If-Match the last entity-tag): a new document, a new tag. */
  mark = bob->events->len;
  client_send (bob, "status busy");
  index = wait_event (bob, mark, "event", "published", NULL);
  g_assert_cmpstr (event_value (bob, index, "etag"), !=, etag);
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "status", "busy", NULL);

  /* Refresh: no body, same state, the server's Expires honoured. */
  mark = bob->events->len;
  index = wait_event (bob, mark, "event", "published", NULL);
  g_assert_true (log_contains (bob, "SIP-If-Match"));

  /* A stale entity-tag: 412, then an initial PUBLISH recovers. */
  mark = bob->events->len;
  client_send (bob, "stale-etag");
  client_send (bob, "status away");
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "status", "away", NULL);
  g_assert_true (log_contains (bob, "SIP/2.0 412"));
  wait_event (bob, mark, "event", "published", NULL);

  /* Appear offline: the publication is removed, watchers see offline. */
  mark = alice->events->len;
  client_send (bob, "status offline");
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "basic", "closed",
              "status", "offline", NULL);
  g_assert_true (log_contains (bob, "Expires: 0"));

  /* And back: a new initial PUBLISH. */
  mark = alice->events->len;
  client_send (bob, "status online back");
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "status", "online",
              "note", "back", NULL);

  mark = alice->events->len;
  client_quit (bob);
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "status", "offline", NULL);
  client_quit (alice);
}

/* ---- 2.2: MESSAGE ---------------------------------------------------------- */

static void
test_messages (Server *server)
{
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autoptr(Client) carol = NULL;
  g_autofree char *alice_uri = NULL;
  g_autofree char *bob_uri = NULL;
  g_autofree char *carol_uri = NULL;
  g_autofree char *id = NULL;
  const char *text = "hello \"bob\" \\ 你好 <b>&amp;</b>";
  guint mark, index;

  alice_uri = aor (server, "alice");
  bob_uri = aor (server, "bob");
  carol_uri = aor (server, "carol");

  alice = client_start (server, "alice", NULL, NULL);
  bob = client_start (server, "bob", "tcp", NULL);
  wait_event (alice, 0, "event", "registered", NULL);
  wait_event (bob, 0, "event", "registered", NULL);

  /* A → B, B online: 200, delivered; B gets the text unchanged. */
  mark = alice->events->len;
  client_send (alice, "send %s %s", bob_uri, text);
  index = wait_event (alice, mark, "event", "sending", "to", bob_uri, NULL);
  id = g_strdup (event_value (alice, index, "id"));
  wait_event (alice, mark, "event", "message-status", "to", bob_uri, "id", id,
              "state", "delivered", "code", "200", NULL);
  wait_event (bob, 0, "event", "message", "from", alice_uri, "text", text, NULL);

  /* A → C, C never registered: 202, stored by the server. */
  mark = alice->events->len;
  client_send (alice, "send %s are you there?", carol_uri);
  index = wait_event (alice, mark, "event", "sending", "to", carol_uri, NULL);
  g_free (id);
  id = g_strdup (event_value (alice, index, "id"));
  wait_event (alice, mark, "event", "message-status", "to", carol_uri, "id", id,
              "state", "stored", "code", "202", NULL);

  /* C registers: the stored message is delivered. */
  carol = client_start (server, "carol", NULL, NULL);
  wait_event (carol, 0, "event", "registered", NULL);
  wait_event (carol, 0, "event", "message", "from", alice_uri, "text", "are you there?", NULL);

  /* B blocks A: A's next message is accepted, but B never shows it. */
  client_send (bob, "block %s", alice_uri);
  mark = bob->events->len;
  client_send (alice, "send %s you should not see this", bob_uri);
  client_send (carol, "send %s from carol", bob_uri);
  wait_event (bob, mark, "event", "message", "from", carol_uri, "text", "from carol", NULL);
  g_assert_false (saw_event_within (bob, mark, 500, "event", "message", "from", alice_uri, NULL));

  client_quit (alice);
  client_quit (bob);
  client_quit (carol);
}

/* ---- subscription faults --------------------------------------------------- */

static void
test_rejected_watcher (Server *server)
{
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autofree char *bob_uri = NULL;

  bob_uri = aor (server, "bob");
  put_pres_rules (server, "bob", "block", "alice", NULL);

  bob = client_start (server, "bob", NULL, NULL);
  alice = client_start (server, "alice", NULL, NULL);
  wait_event (bob, 0, "event", "registered", NULL);
  wait_event (alice, 0, "event", "registered", NULL);
  client_send (alice, "add %s", bob_uri);
  /* terminated;reason=rejected: given up, and the user is told. */
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "subscription", "rejected",
              "status", "offline", NULL);
  wait_event (alice, 0, "event", "error", "code", "rejected", NULL);

  client_quit (alice);
  client_quit (bob);
}

/* A wrong password: told once as auth-failed, no REGISTER storm, and
 * quit still exits cleanly. */
static void
test_wrong_password (Server *server)
{
  g_autoptr(Client) alice = client_start_with (server, "alice", "not-the-password", "tcp", NULL);
  guint index = wait_event (alice, 0, "event", "error", "code", "auth-failed", NULL);

  g_assert_nonnull (strstr (event_value (alice, index, "message"), "401"));
  g_assert_false (saw_event_within (alice, index + 1, 3000, "event", "error", NULL));
  g_assert_false (saw_event_within (alice, 0, 0, "event", "registered", NULL));
  client_quit_unregistered (alice);
}

/* The server goes away and comes back (same ports, same databases): the
 * account says it cannot reach it, then registers and publishes again by
 * itself (backoff), without the user doing anything. */
static void
server_restart (Server     *server,
                const char *transport)
{
  g_autoptr(Client) alice = client_start (server, "alice", transport, "30");
  const char *stop[] = { "bash", server->harness, "stop", server->rundir, NULL };
  const char *restart[] = { "bash", server->harness, "restart", server->rundir, NULL };
  guint mark;

  wait_event (alice, 0, "event", "registered", NULL);
  wait_event (alice, 0, "event", "published", NULL);

  mark = alice->events->len;
  g_assert_true (run_quiet (stop, NULL));
  client_send (alice, "status busy");
  alice->wait_s = 60;
  wait_event (alice, mark, "event", "error", "code", "unreachable", NULL);

  mark = alice->events->len;
  g_assert_true (run_quiet (restart, NULL));
  wait_event (alice, mark, "event", "registered", NULL);
  wait_event (alice, mark, "event", "published", NULL);
  client_quit (alice);
}

/* Over UDP only a failed request tells; over TCP the connection drops. */
static void
test_server_restart_udp (Server *server)
{
  server_restart (server, NULL);
}

static void
test_server_restart_tcp (Server *server)
{
  server_restart (server, "tcp");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/server/2.1.2.1/rls-buddy-list", test_rls_buddy_list, run_scenario);
  g_test_add_data_func ("/server/2.1.2.3/winfo-pending", test_winfo_pending, run_scenario);
  g_test_add_data_func ("/server/2.1.2.4/publication-lifecycle", test_publication_lifecycle,
                        run_scenario);
  g_test_add_data_func ("/server/2.2/messages", test_messages, run_scenario);
  g_test_add_data_func ("/server/faults/rejected-watcher", test_rejected_watcher, run_scenario);
  g_test_add_data_func ("/server/faults/wrong-password", test_wrong_password, run_scenario);

  g_test_add_data_func ("/server/faults/server-restart-udp", test_server_restart_udp,
                        run_scenario);
  g_test_add_data_func ("/server/faults/server-restart-tcp", test_server_restart_tcp,
                        run_scenario);
  return g_test_run ();
}
