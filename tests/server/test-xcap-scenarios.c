/* test-xcap-scenarios.c — the seed's list-management scenarios end to end
 *
 * Like test-server-scenarios.c, but every account runs with --xcap-root:
 * the friends list and the rules are written by Beacon's own XCAP client
 * (not by curl), and the test reads the server's documents back.
 *   2.1.2.2  A adds B: A sees B pending, B is asked, B allows, A sees B
 *   2.1.2.2  B blocks C's request: C is told and the pending friend goes
 *   2.1.2.5  A deletes B: B sees A's watcher end, the entry leaves the list
 *   2.1.2.6  B blacklists A: A no longer gets B's presence; unblock restores
 *   restart  the list comes back from the server (and the local copy)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "scenario-harness.h"

/* beacon-cli run for @user with its XCAP client and a data dir under the
 * run directory (the same one across restarts). */
static Client *
xcap_client_expiring (Server     *server,
                      const char *user,
                      const char *expires)
{
  g_autofree char *data_dir = g_strdup_printf ("%s/data-%s", server->rundir, user);
  const char *extra[] = { "--xcap-root", server->xcap_root, "--data-dir", data_dir, NULL };

  return client_start_full (server, user, NULL, NULL, expires, extra);
}

static Client *
xcap_client (Server     *server,
             const char *user)
{
  return xcap_client_expiring (server, user, NULL);
}

/* The server's copy of @owner's document @auid ("resource-lists",
 * "pres-rules"), read with curl; "" while there is none. */
static char *
xcap_get (Server     *server,
          const char *owner,
          const char *auid)
{
  g_autofree char *cred = g_strdup_printf ("%s:%s-secret", owner, owner);
  g_autofree char *url = g_strdup_printf ("%s/%s/users/sip:%s@%s/index", server->xcap_root, auid,
                                          owner, server->domain);
  char *body = NULL;
  const char *argv[] = { "curl", "-s", "-f", "-m", "10", "--digest", "-u", cred, url, NULL };

  if (!run_quiet (argv, &body))
    g_clear_pointer (&body, g_free);
  return body != NULL ? body : g_strdup ("");
}

/* Polls (bounded) until @owner's @auid document contains @text or not. */
static void
wait_document (Server     *server,
               const char *owner,
               const char *auid,
               const char *text,
               gboolean    present)
{
  gint64 end = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *doc = xcap_get (server, owner, auid);

      if ((strstr (doc, text) != NULL) == present)
        return;
      if (g_get_monotonic_time () > end)
        g_error ("%s's %s %s \"%s\" after %d s:\n%s", owner, auid,
                 present ? "still lacks" : "still has", text, WAIT_S, doc);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (100 * 1000);
    }
}

/* ---- 2.1.2.2: add a friend, the friend answers ---------------------------- */

static void
test_add_friend (Server *server)
{
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autofree char *alice_uri = aor (server, "alice");
  g_autofree char *bob_uri = aor (server, "bob");
  guint mark;

  bob = xcap_client (server, "bob");
  alice = xcap_client (server, "alice");
  wait_event (bob, 0, "event", "registered", NULL);
  wait_event (alice, 0, "event", "registered", NULL);

  client_send (alice, "add %s Bob", bob_uri);
  /* The entry is on the server, in the list the RLS serves… */
  wait_document (server, "alice", "resource-lists", bob_uri, TRUE);
  /* …A waits for B's answer, and B is asked. */
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "subscription", "pending", NULL);
  wait_event (bob, 0, "event", "watcher", "uri", alice_uri, "status", "pending", NULL);

  mark = alice->events->len;
  client_send (bob, "allow %s", alice_uri);
  wait_document (server, "bob", "pres-rules", alice_uri, TRUE);
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "subscription", "active",
              "status", "online", NULL);

  mark = alice->events->len;
  client_send (bob, "status away lunch");
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "status", "away",
              "note", "lunch", NULL);

  client_quit (alice);
  client_quit (bob);
}

/* ---- 2.1.2.2: the friend says no ------------------------------------------ */

static void
test_request_blocked (Server *server)
{
  g_autoptr(Client) carol = NULL;
  g_autoptr(Client) bob = NULL;
  g_autofree char *carol_uri = aor (server, "carol");
  g_autofree char *bob_uri = aor (server, "bob");

  bob = xcap_client (server, "bob");
  carol = xcap_client (server, "carol");
  wait_event (bob, 0, "event", "registered", NULL);
  wait_event (carol, 0, "event", "registered", NULL);

  client_send (carol, "add %s", bob_uri);
  wait_event (bob, 0, "event", "watcher", "uri", carol_uri, "status", "pending", NULL);
  client_send (bob, "block %s", carol_uri);
  wait_document (server, "bob", "pres-rules", carol_uri, TRUE);

  /* terminated;reason=rejected: C is told, and the pending friend leaves
   * C's list on the server too. */
  wait_event (carol, 0, "event", "presence", "uri", bob_uri, "subscription", "rejected", NULL);
  wait_event (carol, 0, "event", "error", "code", "rejected", NULL);
  wait_document (server, "carol", "resource-lists", bob_uri, FALSE);

  client_quit (carol);
  client_quit (bob);
}

/* ---- 2.1.2.5: delete a friend ---------------------------------------------- */

static void
test_delete_friend (Server *server)
{
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autofree char *alice_uri = aor (server, "alice");
  g_autofree char *bob_uri = aor (server, "bob");
  guint mark, index;

  put_pres_rules (server, "bob", "allow", "alice", NULL);
  /* Kamailio sends no watcher-info NOTIFY when a watcher leaves; B learns
   * it from the full state its next refresh brings (within 20 s). */
  bob = xcap_client_expiring (server, "bob", "20");
  alice = xcap_client (server, "alice");
  wait_event (bob, 0, "event", "registered", NULL);
  wait_event (alice, 0, "event", "registered", NULL);
  client_send (alice, "add %s Bob", bob_uri);
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "status", "online", NULL);
  wait_event (bob, 0, "event", "watcher", "uri", alice_uri, "status", "active", NULL);

  mark = bob->events->len;
  client_send (alice, "remove %s", bob_uri);
  wait_document (server, "alice", "resource-lists", bob_uri, FALSE);
  /* B's watcher list: A's subscription has ended. */
  bob->wait_s = 40;
  index = wait_event (bob, mark, "event", "watcher", "uri", alice_uri, NULL);
  while (g_strcmp0 (event_value (bob, index, "status"), "active") == 0)
    index = wait_event (bob, index + 1, "event", "watcher", "uri", alice_uri, NULL);
  g_assert_cmpstr (event_value (bob, index, "status"), ==, "terminated");

  /* And A hears no more of B. */
  mark = alice->events->len;
  client_send (bob, "status busy");
  g_assert_false (saw_event_within (alice, mark, 2000, "event", "presence", "uri", bob_uri,
                                    "status", "busy", NULL));

  client_quit (alice);
  client_quit (bob);
}

/* ---- 2.1.2.6: the blacklist ------------------------------------------------ */

static void
test_blacklist (Server *server)
{
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autofree char *alice_uri = aor (server, "alice");
  g_autofree char *bob_uri = aor (server, "bob");
  guint mark;

  bob = xcap_client (server, "bob");
  alice = xcap_client (server, "alice");
  wait_event (bob, 0, "event", "registered", NULL);
  wait_event (alice, 0, "event", "registered", NULL);
  client_send (bob, "allow %s", alice_uri);
  wait_document (server, "bob", "pres-rules", alice_uri, TRUE);
  client_send (alice, "add %s Bob", bob_uri);
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "subscription", "active",
              "status", "online", NULL);

  /* B blocks A: the rule says block, A's subscription is refused. */
  mark = alice->events->len;
  client_send (bob, "block %s", alice_uri);
  wait_document (server, "bob", "pres-rules", ">block<", TRUE);
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "subscription", "rejected", NULL);
  mark = alice->events->len;
  client_send (bob, "status busy secret");
  g_assert_false (saw_event_within (alice, mark, 2000, "event", "presence", "uri", bob_uri,
                                    "status", "busy", NULL));

  /* Unblock: no rule for A any more (asked again next time). */
  client_send (bob, "unblock %s", alice_uri);
  wait_document (server, "bob", "pres-rules", ">block<", FALSE);

  client_quit (alice);
  client_quit (bob);
}

/* ---- the list survives a restart -------------------------------------------- */

static void
test_list_survives_restart (Server *server)
{
  g_autoptr(Client) first = NULL;
  g_autoptr(Client) second = NULL;
  g_autofree char *bob_uri = aor (server, "bob");
  g_autofree char *carol_uri = aor (server, "carol");

  put_pres_rules (server, "bob", "allow", "alice", NULL);
  first = xcap_client (server, "alice");
  wait_event (first, 0, "event", "registered", NULL);
  client_send (first, "add %s Bob", bob_uri);
  client_send (first, "add %s Carol", carol_uri);
  wait_document (server, "alice", "resource-lists", carol_uri, TRUE);
  client_quit (first);

  /* Same data dir: both friends are back, watched through the list. */
  second = xcap_client (server, "alice");
  wait_event (second, 0, "event", "registered", NULL);
  wait_event (second, 0, "event", "presence", "uri", bob_uri, NULL);
  wait_event (second, 0, "event", "presence", "uri", carol_uri, NULL);
  client_quit (second);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/xcap-scenarios/2.1.2.2/add-friend", test_add_friend, run_scenario);
  g_test_add_data_func ("/xcap-scenarios/2.1.2.2/request-blocked", test_request_blocked,
                        run_scenario);
  g_test_add_data_func ("/xcap-scenarios/2.1.2.5/delete-friend", test_delete_friend, run_scenario);
  g_test_add_data_func ("/xcap-scenarios/2.1.2.6/blacklist", test_blacklist, run_scenario);
  g_test_add_data_func ("/xcap-scenarios/list-survives-restart", test_list_survives_restart,
                        run_scenario);
  return g_test_run ();
}
