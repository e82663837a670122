/* test-crash-recovery.c — the server crashes (SIGKILL) or hangs, and comes
 * back on the same ports: every account recovers by itself
 *
 * Alice and Bob are friends (each in the other's list, each allowing the
 * other). The server is killed with SIGKILL — no TERM, no database
 * write-back — and restarted on the same ports after a short pause (3.7 s,
 * as in issue #17) or a long one (65 s), or frozen with SIGSTOP (it stops
 * answering keep-alives, keeping its sockets) and thawed. Within 5 s of
 * the server answering again each account must be registered with its
 * presence published, its list subscription active (a change Bob makes
 * after the restart reaches Alice, and Alice's reaches Bob) and its
 * watcher-info subscription active (Carol asking to see Alice after the
 * restart shows as a pending watcher). Over UDP, TCP and TLS. While the
 * server is away the account says "reconnecting".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "scenario-harness.h"

/* The bound of issue #17, from the server answering again. */
#define RECOVERY_S 5

static double
seconds_since (gint64 t0)
{
  return (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC;
}

static void
assert_within (const char *what,
               gint64      t0)
{
  double s = seconds_since (t0);

  g_printerr ("# %s %.2f s after the server answered again\n", what, s);
  g_assert_cmpfloat (s, <=, RECOVERY_S);
}

typedef enum {
  OUTAGE_CRASH,      /* SIGKILL, restart after down_ms */
  OUTAGE_FREEZE,     /* SIGSTOP, SIGCONT after down_ms */
} Outage;

static void
outage_and_recovery (Server     *server,
                     const char *transport,
                     Outage      outage,
                     guint       down_ms)
{
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autoptr(Client) carol = NULL;
  g_autofree char *alice_uri = aor (server, "alice");
  g_autofree char *bob_uri = aor (server, "bob");
  g_autofree char *carol_uri = aor (server, "carol");
  const char *crash[] = { "bash", server->harness, "crash", server->rundir, NULL };
  const char *restart[] = { "bash", server->harness, "restart", server->rundir, NULL };
  const char *freeze[] = { "bash", server->harness, "freeze", server->rundir, NULL };
  const char *thaw[] = { "bash", server->harness, "thaw", server->rundir, NULL };
  const char *const ca[] = { "--ca-file", server->ca_file, NULL };
  gboolean tls = g_strcmp0 (transport, "tls") == 0;
  guint alice_mark, bob_mark;
  gint64 t0;

  put_buddy_list (server, "alice", "bob", NULL);
  put_buddy_list (server, "bob", "alice", NULL);
  put_pres_rules (server, "alice", "allow", "bob", NULL);
  put_pres_rules (server, "bob", "allow", "alice", NULL);

  alice = client_start_full (server, "alice", NULL, transport, NULL, tls ? ca : NULL);
  bob = client_start_full (server, "bob", NULL, transport, NULL, tls ? ca : NULL);
  wait_event (alice, 0, "event", "published", NULL);
  wait_event (bob, 0, "event", "published", NULL);
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "status", "online",
              "subscription", "active", NULL);
  wait_event (bob, 0, "event", "presence", "uri", alice_uri, "status", "online",
              "subscription", "active", NULL);

  alice_mark = alice->events->len;
  bob_mark = bob->events->len;
  g_printerr ("# %s the server for %u ms\n", outage == OUTAGE_CRASH ? "SIGKILL to" : "SIGSTOP to",
                  down_ms);
  g_assert_true (run_quiet (outage == OUTAGE_CRASH ? crash : freeze, NULL));
  if (down_ms >= 10000)
    {
      /* Long enough for keep-alives to notice: told, within a bound. */
      wait_event (alice, alice_mark, "event", "reconnecting", NULL);
      wait_event (bob, bob_mark, "event", "reconnecting", NULL);
    }
  g_usleep ((gulong) down_ms * 1000);
  g_assert_true (run_quiet (outage == OUTAGE_CRASH ? restart : thaw, NULL));
  t0 = g_get_monotonic_time ();

  /* Registered and published again, each. */
  alice->wait_s = bob->wait_s = RECOVERY_S + 1;
  wait_event (alice, alice_mark, "event", "registered", NULL);
  wait_event (alice, alice_mark, "event", "published", NULL);
  assert_within ("alice registered and published", t0);
  wait_event (bob, bob_mark, "event", "registered", NULL);
  wait_event (bob, bob_mark, "event", "published", NULL);
  assert_within ("bob registered and published", t0);

  /* The list subscriptions: changes made after the restart reach the
   * friend. */
  alice_mark = alice->events->len;
  bob_mark = bob->events->len;
  client_send (bob, "status busy after the crash");
  client_send (alice, "status away back soon");
  wait_event (alice, alice_mark, "event", "presence", "uri", bob_uri, "status", "busy",
              "note", "after the crash", NULL);
  assert_within ("bob's change shown to alice", t0);
  wait_event (bob, bob_mark, "event", "presence", "uri", alice_uri, "status", "away",
              "note", "back soon", NULL);
  assert_within ("alice's change shown to bob", t0);

  /* The watcher-info subscription: a new watcher is told. */
  carol = client_start (server, "carol", NULL, NULL);
  alice->wait_s = WAIT_S;
  wait_event (carol, 0, "event", "registered", NULL);
  client_send (carol, "add %s", alice_uri);
  wait_event (alice, alice_mark, "event", "watcher", "uri", carol_uri, "status", "pending", NULL);

  client_quit (carol);
  client_quit (alice);
  client_quit (bob);
}

/* Issue #17's case: killed, back on the same ports 3.7 s later. */
static void
test_crash_udp (Server *server)
{
  outage_and_recovery (server, NULL, OUTAGE_CRASH, 3700);
}

static void
test_crash_tcp (Server *server)
{
  outage_and_recovery (server, "tcp", OUTAGE_CRASH, 3700);
}

static void
test_crash_tls (Server *server)
{
  outage_and_recovery (server, "tls", OUTAGE_CRASH, 3700);
}

/* Down for over a minute: the backoff stays bounded. */
static void
test_crash_long_udp (Server *server)
{
  outage_and_recovery (server, NULL, OUTAGE_CRASH, 65000);
}

static void
test_crash_long_tcp (Server *server)
{
  outage_and_recovery (server, "tcp", OUTAGE_CRASH, 65000);
}

/* A flow that stops answering keep-alives (the TCP connection stays up). */
static void
test_freeze_tcp (Server *server)
{
  outage_and_recovery (server, "tcp", OUTAGE_FREEZE, 12000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* Kamailio with its TLS listener too, for the TLS case. */
  scenario_tls = TRUE;

  g_test_add_data_func ("/server/crash/udp", test_crash_udp, run_scenario);
  g_test_add_data_func ("/server/crash/tcp", test_crash_tcp, run_scenario);
  g_test_add_data_func ("/server/crash/tls", test_crash_tls, run_scenario);
  g_test_add_data_func ("/server/crash/freeze-tcp", test_freeze_tcp, run_scenario);
  g_test_add_data_func ("/server/crash/long-udp", test_crash_long_udp, run_scenario);
  g_test_add_data_func ("/server/crash/long-tcp", test_crash_long_tcp, run_scenario);
  return g_test_run ();
}
