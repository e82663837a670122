/* bench-chat.c — MESSAGE round trips between two engines through Kamailio
 *
 *   bench-chat RUNDIR [--rounds N] [--history DIR] [--tcp]
 *
 * alice sends "ping i" to bob; bob's engine reports it ("message-received")
 * and bob answers "pong i"; the round trip ends when alice's engine reports
 * the pong. One round trip is two MESSAGE transactions (each 200 OK) through
 * the proxy. Rounds run back to back: round trips per second = N / wall
 * time. --history DIR: both accounts keep a BeaconHistory (SQLite, as the
 * app does) in DIR, so every message is also written to disk.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "bench-common.h"

typedef struct {
  BeaconAccount *alice;
  BeaconAccount *bob;
  char          *alice_uri;
  int            round;
  gboolean       got_pong;
  guint          failed;
} Chat;

static void
bob_received (BeaconAccount *bob,
              const char    *from,
              const char    *text,
              Chat          *chat)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *id = NULL;

  if (!g_str_has_prefix (text, "ping "))
    return;
  reply = g_strdup_printf ("pong %s", text + 5);
  id = beacon_account_send_message (bob, from, reply, &error);
  if (id == NULL)
    {
      g_printerr ("bench-chat: bob cannot answer: %s\n", error->message);
      chat->failed++;
    }
}

static void
alice_received (BeaconAccount *alice,
                const char    *from,
                const char    *text,
                Chat          *chat)
{
  g_autofree char *want = g_strdup_printf ("pong %d", chat->round);

  if (g_str_equal (text, want))
    chat->got_pong = TRUE;
}

static void
message_state (BeaconAccount      *account,
               const char         *to,
               const char         *id,
               BeaconMessageState  state,
               guint               code,
               Chat               *chat)
{
  if (state == BEACON_MESSAGE_FAILED)
    chat->failed++;
}

static BeaconHistory *
open_history (const char *dir,
              const char *user)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  BeaconHistory *history;

  if (dir == NULL)
    return NULL;
  g_mkdir_with_parents (dir, 0700);
  path = g_strdup_printf ("%s/%s-history.sqlite", dir, user);
  history = beacon_history_open (path, NULL, &error);
  if (history == NULL)
    g_printerr ("bench-chat: %s: %s\n", path, error->message);
  return history;
}

int
main (int    argc,
      char **argv)
{
  int rounds = 500;
  gboolean tcp = FALSE;
  g_autofree char *history_dir = NULL;
  GOptionEntry entries[] = {
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Round trips (default 500)", "N" },
    { "history", 0, 0, G_OPTION_ARG_FILENAME, &history_dir, "Keep a SQLite history in DIR", "DIR" },
    { "tcp", 0, 0, G_OPTION_ARG_NONE, &tcp, "SIP over TCP", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("RUNDIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconHistory) alice_history = NULL;
  g_autoptr(BeaconHistory) bob_history = NULL;
  g_autoptr(BeaconServerAccount) alice = NULL;
  g_autoptr(BeaconServerAccount) bob = NULL;
  g_autoptr(GArray) rtt = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *bob_uri = NULL;
  BenchServer server = { 0 };
  Chat chat = { 0 };
  gint64 start, wall;
  const char *tag;
  char name[128];
  guint lost = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || rounds < 1 ||
      rounds > 1000000)
    {
      g_printerr ("usage: bench-chat RUNDIR [--rounds N] [--history DIR] [--tcp]\n");
      return 2;
    }
  tag = history_dir != NULL ? "history" : "memory";
  bench_server_load (&server, argv[1]);
  bob_uri = g_strdup_printf ("sip:bob@%s", server.domain);
  alice_history = open_history (history_dir, "alice");
  bob_history = open_history (history_dir, "bob");
  if (history_dir != NULL && (alice_history == NULL || bob_history == NULL))
    return 1;
  {
    g_autofree char *nolist_a = g_strdup_printf ("sip:alice-nolist@%s", server.domain);
    g_autofree char *nolist_b = g_strdup_printf ("sip:bob-nolist@%s", server.domain);
    BeaconSipTransport transport = tcp ? BEACON_SIP_TRANSPORT_TCP : BEACON_SIP_TRANSPORT_UDP;

    alice = bench_account_new (&server, "alice", nolist_a, transport, alice_history);
    bob = bench_account_new (&server, "bob", nolist_b, transport, bob_history);
  }
  chat.alice = BEACON_ACCOUNT (alice);
  chat.bob = BEACON_ACCOUNT (bob);
  /* Friends: a stranger's messages are rate limited (beacon-flood-guard.h). */
  beacon_buddy_list_add (beacon_account_get_buddies (chat.alice), bob_uri, "Bob");
  {
    g_autofree char *alice_uri = g_strdup_printf ("sip:alice@%s", server.domain);

    beacon_buddy_list_add (beacon_account_get_buddies (chat.bob), alice_uri, "Alice");
  }
  g_signal_connect (bob, "message-received", G_CALLBACK (bob_received), &chat);
  g_signal_connect (alice, "message-received", G_CALLBACK (alice_received), &chat);
  g_signal_connect (alice, "message-state", G_CALLBACK (message_state), &chat);
  g_signal_connect (bob, "message-state", G_CALLBACK (message_state), &chat);
  beacon_account_start (chat.bob);
  beacon_account_start (chat.alice);
  if (!bench_wait_online (chat.bob, 15000) || !bench_wait_online (chat.alice, 15000))
    {
      g_printerr ("bench-chat: accounts did not register within 15 s\n");
      return 1;
    }
  bench_spin (300);

  start = bench_now_ns ();
  for (chat.round = 0; chat.round < rounds; chat.round++)
    {
      g_autofree char *text = g_strdup_printf ("ping %d", chat.round);
      g_autofree char *id = NULL;
      gint64 t0 = bench_now_ns ();

      chat.got_pong = FALSE;
      id = beacon_account_send_message (chat.alice, bob_uri, text, &error);
      if (id == NULL)
        {
          g_printerr ("bench-chat: cannot send: %s\n", error->message);
          return 1;
        }
      if (!bench_wait_flag (&chat.got_pong, 5000))
        {
          lost++;
          continue;
        }
      g_array_append_val (rtt, (gint64) { bench_now_ns () - t0 });
    }
  wall = bench_now_ns () - start;

  printf ("chat (%s, %s): %d round trips in %.3f s, %u lost, %u failed\n", tag,
          tcp ? "tcp" : "udp", rounds, wall / 1e9, lost, chat.failed);
#define FIG(suffix, value, unit) \
  (g_snprintf (name, sizeof name, "chat.%s.%s", tag, suffix), bench_result (name, value, unit))
  FIG ("round_trips_per_s", rtt->len / (wall / 1e9), "1/s");
  FIG ("rtt_p50_ms", bench_percentile (rtt, 50) / 1e6, "ms");
  FIG ("rtt_p99_ms", bench_percentile (rtt, 99) / 1e6, "ms");
  FIG ("lost", lost, "n");
#undef FIG

  bench_account_stop (chat.alice);
  bench_account_stop (chat.bob);
  bench_server_clear (&server);
  return lost > (guint) rounds / 10 ? 1 : 0;
}
