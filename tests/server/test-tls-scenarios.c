/* test-tls-scenarios.c — server mode over SIP/TLS against the project's Kamailio
 *
 * Kamailio is started with a TLS listener and a throwaway CA
 * (BEACON_HARNESS_TLS, see kamailio-harness.sh). Alice uses TLS, Bob UDP:
 *   presence-and-messages  Alice registers, publishes, sees Bob's presence
 *                          and Bob hers, and MESSAGEs go both ways; all of
 *                          Alice's traffic is TLS (the server reaches her
 *                          over the connection she opened).
 *   untrusted-certificate  with a CA that did not sign the server's
 *                          certificate, or with the system's CAs, Alice is
 *                          told the certificate is not trusted, never
 *                          registers, sends nothing (not even to the
 *                          untrusted server) and never falls back to TCP
 *                          or UDP.
 *   ip-only-certificate    signed by the right CA but naming the server's
 *                          address only as an IP entry (which sofia-sip
 *                          does not read): told why, never registers.
 *   offline-message        a MESSAGE stored while Alice was away is
 *                          delivered over TLS when she registers.
 *   server-restart         the server going away is told, and the account
 *                          comes back over TLS by itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "scenario-harness.h"

/* Nothing of @client's went out over anything but TLS (the protocol
 * trace says "send N bytes to PROTO/..."). */
static void
assert_tls_only (Client *client)
{
  g_assert_false (log_contains (client, "bytes to udp/"));
  g_assert_false (log_contains (client, "bytes to tcp/"));
}

static void
test_presence_and_messages (Server *server)
{
  const char *const ca[] = { "--ca-file", server->ca_file, NULL };
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = NULL;
  g_autofree char *alice_uri = aor (server, "alice");
  g_autofree char *bob_uri = aor (server, "bob");
  g_autofree char *id = NULL;
  guint mark, index;

  put_pres_rules (server, "alice", "allow", "bob", NULL);
  put_pres_rules (server, "bob", "allow", "alice", NULL);

  alice = client_start_full (server, "alice", NULL, "tls", NULL, ca);
  bob = client_start (server, "bob", NULL, NULL);
  wait_event (alice, 0, "event", "registered", NULL);
  wait_event (alice, 0, "event", "published", NULL);
  wait_event (bob, 0, "event", "registered", NULL);

  /* Each watches the other: NOTIFYs reach Alice over her connection. */
  client_send (alice, "add %s Bob", bob_uri);
  client_send (bob, "add %s Alice", alice_uri);
  wait_event (alice, 0, "event", "presence", "uri", bob_uri, "basic", "open",
              "status", "online", "subscription", "active", NULL);
  wait_event (bob, 0, "event", "presence", "uri", alice_uri, "basic", "open",
              "status", "online", "subscription", "active", NULL);

  mark = alice->events->len;
  client_send (bob, "status busy on the phone");
  wait_event (alice, mark, "event", "presence", "uri", bob_uri, "status", "busy",
              "note", "on the phone", NULL);
  mark = bob->events->len;
  client_send (alice, "status away over TLS");
  wait_event (bob, mark, "event", "presence", "uri", alice_uri, "status", "away",
              "note", "over TLS", NULL);

  /* Alice → Bob and Bob → Alice, both delivered (200). */
  mark = alice->events->len;
  client_send (alice, "send %s hello over TLS", bob_uri);
  index = wait_event (alice, mark, "event", "sending", "to", bob_uri, NULL);
  id = g_strdup (event_value (alice, index, "id"));
  wait_event (alice, mark, "event", "message-status", "to", bob_uri, "id", id,
              "state", "delivered", "code", "200", NULL);
  wait_event (bob, 0, "event", "message", "from", alice_uri, "text", "hello over TLS", NULL);

  mark = bob->events->len;
  client_send (bob, "send %s hello from UDP", alice_uri);
  index = wait_event (bob, mark, "event", "sending", "to", alice_uri, NULL);
  g_free (id);
  id = g_strdup (event_value (bob, index, "id"));
  wait_event (bob, mark, "event", "message-status", "to", alice_uri, "id", id,
              "state", "delivered", "code", "200", NULL);
  wait_event (alice, 0, "event", "message", "from", bob_uri, "text", "hello from UDP", NULL);

  client_quit (bob);
  client_quit (alice);
  g_assert_true (log_contains (alice, "bytes to tls/"));
  assert_tls_only (alice);
}

/* A server certificate we must not trust: told clearly, no registration,
 * no other transport tried. */
static void
expect_untrusted (Server     *server,
                  const char *ca_file,
                  const char *why)
{
  const char *const ca[] = { "--ca-file", ca_file, NULL };
  g_autoptr(Client) alice = client_start_full (server, "alice", NULL, "tls", NULL,
                                               ca_file ? ca : NULL);
  guint index = wait_event (alice, 0, "event", "error", "code", "unreachable", NULL);
  const char *message = event_value (alice, index, "message");

  g_assert_nonnull (strstr (message, "certificate"));
  g_assert_nonnull (strstr (message, "not trusted"));
  g_assert_nonnull (strstr (message, why));
  /* Told once; no REGISTER succeeded, none is retried. */
  g_assert_false (saw_event_within (alice, index + 1, 3000, "event", "error", NULL));
  g_assert_false (saw_event_within (alice, 0, 0, "event", "registered", NULL));
  client_quit_unregistered (alice);
  /* Nothing was sent at all: not to the untrusted server, not over
   * another transport. */
  g_assert_false (log_contains (alice, "bytes to "));
}

static void
test_untrusted_certificate (Server *server)
{
  expect_untrusted (server, server->other_ca_file, "not signed by a trusted");
  /* The default trust store is the system's: the test CA is not in it. */
  expect_untrusted (server, NULL, "not signed by a trusted");
}

/* A certificate from the right CA that has the server's IP address only
 * as an IP entry: sofia-sip does not read those and refuses it, and the
 * user is told so (not just "timeout"). */
static void
test_ip_only_certificate (Server *server)
{
  g_autofree char *script = g_strdup_printf (
    "set -e; cd '%s/tls'; "
    "openssl req -newkey rsa:2048 -nodes -sha256 -subj '/CN=Beacon test server' "
    "  -keyout server-key.pem -out ip-only.csr; "
    "printf 'subjectAltName=IP:%s\\n' > ip-only.ext; "
    "openssl x509 -req -in ip-only.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial "
    "  -days 2 -sha256 -extfile ip-only.ext -out server-cert.pem",
    server->rundir, server->sip_host);
  g_autofree char *quiet = g_strconcat ("exec 2>/dev/null; ", script, NULL);
  const char *make[] = { "bash", "-c", quiet, NULL };
  const char *restart[] = { "bash", server->harness, "restart", server->rundir, NULL };

  g_assert_true (run_quiet (make, NULL));
  g_assert_true (run_quiet (restart, NULL));
  expect_untrusted (server, server->ca_file, "IP entry");
}

/* A message stored while Alice is offline reaches her over TLS when she
 * registers (msilo's delivery goes over the connection she opened). */
static void
test_offline_message (Server *server)
{
  const char *const ca[] = { "--ca-file", server->ca_file, NULL };
  g_autoptr(Client) alice = NULL;
  g_autoptr(Client) bob = client_start (server, "bob", NULL, NULL);
  g_autofree char *alice_uri = aor (server, "alice");
  g_autofree char *bob_uri = aor (server, "bob");
  guint index;

  wait_event (bob, 0, "event", "registered", NULL);
  client_send (bob, "send %s kept for you", alice_uri);
  index = wait_event (bob, 0, "event", "sending", "to", alice_uri, NULL);
  wait_event (bob, index, "event", "message-status", "to", alice_uri,
              "state", "stored", "code", "202", NULL);

  alice = client_start_full (server, "alice", NULL, "tls", NULL, ca);
  wait_event (alice, 0, "event", "registered", NULL);
  wait_event (alice, 0, "event", "message", "from", bob_uri, "text", "kept for you", NULL);
  client_quit (alice);
  client_quit (bob);
  assert_tls_only (alice);
}

/* The server goes away and comes back on the same ports: the TLS account
 * says it cannot reach it, then connects, registers and publishes again by
 * itself. */
static void
test_server_restart (Server *server)
{
  const char *const ca[] = { "--ca-file", server->ca_file, NULL };
  g_autoptr(Client) alice = client_start_full (server, "alice", NULL, "tls", "30", ca);
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
  assert_tls_only (alice);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  scenario_tls = TRUE;

  g_test_add_data_func ("/server/tls/presence-and-messages", test_presence_and_messages,
                        run_scenario);
  g_test_add_data_func ("/server/tls/untrusted-certificate", test_untrusted_certificate,
                        run_scenario);
  g_test_add_data_func ("/server/tls/ip-only-certificate", test_ip_only_certificate,
                        run_scenario);
  g_test_add_data_func ("/server/tls/offline-message", test_offline_message, run_scenario);
  g_test_add_data_func ("/server/tls/server-restart", test_server_restart, run_scenario);
  return g_test_run ();
}
