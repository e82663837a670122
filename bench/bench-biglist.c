/* bench-biglist.c — a big buddy list through Kamailio's resource list server
 *
 *   bench-biglist RUNDIR --buddies N [--expect M] [--timeout S] [--udp]
 *
 * The runner (build-aux/bench.sh) has made users b1..bN, each published
 * (online, with a note) and allowing alice in his pres-rules, and PUT
 * alice's resource-lists (b1..bN) and rls-services (sip:alice-list).
 * Here alice's engine starts from nothing and we time, from
 * beacon_account_start(), REGISTER, the list SUBSCRIBE and every RLMI
 * NOTIFY until each of the N buddies is in alice's BeaconBuddyList with
 * status online (--expect M: M of them, when the runner could publish only
 * M). Also: peak RSS of this process (alice's engine only),
 * its CPU time over the whole run and per NOTIFY read off the socket.
 * TCP by default: a list NOTIFY with thousands of PIDF parts does not fit
 * a UDP datagram.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "bench-common.h"

typedef struct {
  guint       wanted;
  guint       known;
  GHashTable *online;     /* uri set */
  gint64      t_done;
  gint64      t_first;    /* first buddy known */
  gint64      t_99;       /* 99 % known */
  gboolean    done;
} Watch;

static void
status_changed (BeaconBuddy *buddy,
                GParamSpec  *pspec,
                Watch       *watch)
{
  const char *uri = beacon_buddy_get_uri (buddy);

  if (beacon_buddy_get_status (buddy) == BEACON_STATUS_OFFLINE)
    {
      g_hash_table_remove (watch->online, uri);
      return;
    }
  if (!g_hash_table_add (watch->online, g_strdup (uri)))
    return;
  if (watch->t_first == 0)
    watch->t_first = bench_now_ns ();
  if (watch->t_99 == 0 && g_hash_table_size (watch->online) * 100 >= watch->wanted * 99)
    watch->t_99 = bench_now_ns ();
  if (g_hash_table_size (watch->online) >= watch->wanted && !watch->done)
    {
      watch->t_done = bench_now_ns ();
      watch->done = TRUE;
    }
}

static void
items_changed (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               Watch      *watch)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (model, i);

      if (g_signal_handler_find (buddy, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, watch) == 0)
        g_signal_connect (buddy, "notify::status", G_CALLBACK (status_changed), watch);
      status_changed (buddy, NULL, watch);
    }
}

int
main (int    argc,
      char **argv)
{
  int buddies = 1000;
  int timeout_s = 120;
  int expect = 0;
  gboolean udp = FALSE;
  GOptionEntry entries[] = {
    { "buddies", 0, 0, G_OPTION_ARG_INT, &buddies, "Size of alice's list (default 1000)", "N" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "Give up after S seconds (default 120)", "S" },
    { "expect", 0, 0, G_OPTION_ARG_INT, &expect,
      "Buddies that can be known: those the runner could publish (default N)", "M" },
    { "udp", 0, 0, G_OPTION_ARG_NONE, &udp, "SIP over UDP (default TCP)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("RUNDIR");
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconServerAccount) alice = NULL;
  g_autoptr(GHashTable) online = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  BenchServer server = { 0 };
  Watch watch = { 0 };
  gint64 t0, cpu0, cpu_done = 0, t_online = 0;
  guint notifies;
  char name[128];
  GListModel *model;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || buddies < 1 ||
      buddies > 100000 || timeout_s < 1 || timeout_s > 3600 || expect < 0 || expect > buddies)
    {
      g_printerr ("usage: bench-biglist RUNDIR --buddies N [--expect M] [--timeout S] [--udp]\n");
      return 2;
    }
  bench_server_load (&server, argv[1]);
  watch.wanted = expect > 0 ? expect : buddies;
  watch.online = online;

  alice = bench_account_new (&server, "alice", NULL,
                             udp ? BEACON_SIP_TRANSPORT_UDP : BEACON_SIP_TRANSPORT_TCP, NULL);
  model = G_LIST_MODEL (beacon_account_get_buddies (BEACON_ACCOUNT (alice)));
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed), &watch);

  cpu0 = bench_cpu_ns ();
  t0 = bench_now_ns ();
  beacon_account_start (BEACON_ACCOUNT (alice));
  if (!bench_wait_online (BEACON_ACCOUNT (alice), 15000))
    {
      g_printerr ("bench-biglist: alice did not register within 15 s\n");
      return 1;
    }
  t_online = bench_now_ns ();
  bench_wait_flag (&watch.done, timeout_s * 1000);
  cpu_done = bench_cpu_ns ();
  notifies = bench_wire_count ("NOTIFY");

  printf ("big list: %d buddies, %u known online after %.3f s, %u list NOTIFYs\n", buddies,
          g_hash_table_size (online), (bench_now_ns () - t0) / 1e9, notifies);
#define FIG(suffix, value, unit) \
  (g_snprintf (name, sizeof name, "biglist.%d.%s", buddies, suffix), bench_result (name, value, unit))
  FIG ("known", g_hash_table_size (online), "n");
  FIG ("all_known_s", watch.done ? (watch.t_done - t0) / 1e9 : -1, "s");
  FIG ("registered_s", (t_online - t0) / 1e9, "s");
  FIG ("known_99pct_s", watch.t_99 ? (watch.t_99 - t0) / 1e9 : -1, "s");
  FIG ("first_known_s", watch.t_first ? (watch.t_first - t0) / 1e9 : -1, "s");
  FIG ("peak_rss_mib", bench_peak_rss_kib () / 1024.0, "MiB");
  FIG ("cpu_s", (cpu_done - cpu0) / 1e9, "s");
  FIG ("notifies", notifies, "n");
  FIG ("cpu_per_notify_ms", notifies ? (cpu_done - cpu0) / 1e6 / notifies : -1, "ms");
  FIG ("cpu_per_buddy_us", (cpu_done - cpu0) / 1e3 / buddies, "us");
#undef FIG

  if (!watch.done)
    {
      guint shown = 0;

      for (guint i = 0; i < g_list_model_get_n_items (model) && shown < 10; i++)
        {
          g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (model, i);

          if (beacon_buddy_get_status (buddy) != BEACON_STATUS_OFFLINE)
            continue;
          g_printerr ("bench-biglist: not known: %s (subscription %d)\n",
                      beacon_buddy_get_uri (buddy), beacon_buddy_get_subscription (buddy));
          shown++;
        }
      g_printerr ("bench-biglist: %u buddies in the list\n", g_list_model_get_n_items (model));
    }
  g_signal_handlers_disconnect_by_data (model, &watch);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (model, i);

      g_signal_handlers_disconnect_by_data (buddy, &watch);
    }
  bench_account_stop (BEACON_ACCOUNT (alice));
  bench_server_clear (&server);
  return watch.done ? 0 : 1;
}
