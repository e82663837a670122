/* bench-latency.c — presence latency between two engines through Kamailio
 *
 *   bench-latency RUNDIR [--changes N] [--rls] [--tcp]
 *
 * bob (publisher) changes his status N times (busy / away / online in
 * turn, each with a new note); alice (watcher) has bob as a buddy. For each
 * change: total = from beacon_account_set_presence() on bob to alice's
 * BeaconBuddy for bob changing its :status to the new value. The client
 * share on the watcher side is from the moment the NOTIFY's bytes came off
 * alice's socket (recv interposed, bench-common.c) to that same buddy
 * update: sofia-sip's parsing and dispatch, our body parsing and the buddy
 * update. "engine" is the part of it from our subscription's
 * "notify-received" emission to the buddy update (our parsing + update).
 * Last, the captured NOTIFY bodies are parsed again in a loop
 * (beacon_sip_presence_body_parse alone) for a noise-free figure.
 *
 * Default: alice watches bob with a single subscription (no resource list;
 * the list URI given has no service, so the engine falls back). --rls:
 * through alice's resource list sip:alice-list (the runner PUTs it), which
 * adds the RLS's aggregation delay (Kamailio rls waitn_time).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-common.h"
#include "formats/beacon-sip-presence-body.h"
#include "sip/beacon-sip-subscription.h"

typedef struct {
  BeaconStatus  want;
  gboolean      armed;
  gboolean      seen;
  gint64        t_start;
  gint64        t_hook;
  gint64        t_update;
  GPtrArray    *bodies;        /* Captured: content type \0 body, as GBytes */
} Probe;

static Probe probe;

static gboolean
notify_hook (GSignalInvocationHint *hint,
             guint                  n_params,
             const GValue          *params,
             gpointer               data)
{
  const char *content_type = g_value_get_string (&params[1]);
  GBytes *body = g_value_get_boxed (&params[2]);

  probe.t_hook = bench_now_ns ();
  if (probe.armed && body != NULL && g_bytes_get_size (body) > 0 && content_type != NULL &&
      probe.bodies->len < 1000)
    {
      GByteArray *copy = g_byte_array_new ();
      gsize len;
      const guint8 *data_ = g_bytes_get_data (body, &len);

      g_byte_array_append (copy, (const guint8 *) content_type, strlen (content_type) + 1);
      g_byte_array_append (copy, data_, len);
      g_ptr_array_add (probe.bodies, g_byte_array_free_to_bytes (copy));
    }
  return TRUE;
}

static void
buddy_status_changed (BeaconBuddy *buddy,
                      GParamSpec  *pspec,
                      gpointer     data)
{
  if (!probe.armed || probe.seen || beacon_buddy_get_status (buddy) != probe.want)
    return;
  probe.t_update = bench_now_ns ();
  probe.seen = TRUE;
}

/* Parses each captured body @rounds times; mean ns per parse. */
static double
parse_again (const char *list_uri,
             const char *buddy_uri,
             guint       rounds)
{
  gint64 start;
  guint parsed = 0;

  if (probe.bodies->len == 0)
    return 0;
  start = bench_now_ns ();
  for (guint r = 0; r < rounds; r++)
    for (guint i = 0; i < probe.bodies->len; i++)
      {
        gsize len;
        const char *data = g_bytes_get_data (g_ptr_array_index (probe.bodies, i), &len);
        gsize ct_len = strlen (data) + 1;
        g_autoptr(GError) error = NULL;
        BeaconSipPresenceBody *body =
          beacon_sip_presence_body_parse (data, data + ct_len, len - ct_len,
                                          list_uri ? list_uri : buddy_uri, &error);

        if (body == NULL)
          {
            g_printerr ("bench-latency: captured body does not parse: %s\n", error->message);
            return 0;
          }
        beacon_sip_presence_body_free (body);
        parsed++;
      }
  return (double) (bench_now_ns () - start) / parsed;
}

int
main (int    argc,
      char **argv)
{
  int changes = 200;
  gboolean rls = FALSE;
  gboolean tcp = FALSE;
  GOptionEntry entries[] = {
    { "changes", 0, 0, G_OPTION_ARG_INT, &changes, "Status changes to time (default 200)", "N" },
    { "rls", 0, 0, G_OPTION_ARG_NONE, &rls, "Watch through alice's resource list", NULL },
    { "tcp", 0, 0, G_OPTION_ARG_NONE, &tcp, "SIP over TCP", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("RUNDIR");
  g_autoptr(GError) error = NULL;
  BenchServer server = { 0 };
  g_autoptr(BeaconServerAccount) alice = NULL;
  g_autoptr(BeaconServerAccount) bob = NULL;
  g_autoptr(GArray) total = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) client = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) engine = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *bob_uri = NULL;
  g_autofree char *no_list = NULL;
  g_autofree char *alice_list = NULL;
  const char *tag;
  static const BeaconStatus cycle[] = { BEACON_STATUS_BUSY, BEACON_STATUS_AWAY, BEACON_STATUS_ONLINE };
  BeaconBuddy *buddy = NULL;
  BeaconSipTransport transport;
  gint64 end;
  guint lost = 0;
  char name[128];

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || changes < 1 ||
      changes > 100000)
    {
      g_printerr ("usage: bench-latency RUNDIR [--changes N] [--rls] [--tcp]\n");
      return 2;
    }
  bench_server_load (&server, argv[1]);
  tag = rls ? "rls" : "direct";
  transport = tcp ? BEACON_SIP_TRANSPORT_TCP : BEACON_SIP_TRANSPORT_UDP;
  probe.bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_type_class_unref (g_type_class_ref (BEACON_TYPE_SIP_SUBSCRIPTION));
  g_signal_add_emission_hook (g_signal_lookup ("notify-received", BEACON_TYPE_SIP_SUBSCRIPTION), 0,
                              notify_hook, NULL, NULL);

  bob_uri = g_strdup_printf ("sip:bob@%s", server.domain);
  no_list = g_strdup_printf ("sip:alice-nolist@%s", server.domain);
  alice_list = g_strdup_printf ("sip:alice-list@%s", server.domain);
  alice = bench_account_new (&server, "alice", rls ? alice_list : no_list, transport, NULL);
  bob = bench_account_new (&server, "bob", NULL, transport, NULL);
  if (!rls)
    beacon_account_add_buddy (BEACON_ACCOUNT (alice), bob_uri, "bob", NULL);
  beacon_account_set_presence (BEACON_ACCOUNT (bob), BEACON_STATUS_ONLINE, "start");
  beacon_account_start (BEACON_ACCOUNT (bob));
  beacon_account_start (BEACON_ACCOUNT (alice));
  if (!bench_wait_online (BEACON_ACCOUNT (bob), 15000) ||
      !bench_wait_online (BEACON_ACCOUNT (alice), 15000))
    {
      g_printerr ("bench-latency: accounts did not register within 15 s\n");
      return 1;
    }

  /* Until alice sees bob online (the first NOTIFY with his document). */
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < end)
    {
      buddy = beacon_buddy_list_lookup (beacon_account_get_buddies (BEACON_ACCOUNT (alice)), bob_uri);
      if (buddy != NULL && beacon_buddy_get_status (buddy) == BEACON_STATUS_ONLINE)
        break;
      buddy = NULL;
      bench_spin (10);
    }
  if (buddy == NULL)
    {
      g_printerr ("bench-latency: alice never saw bob online (%s)\n", tag);
      return 1;
    }
  g_signal_connect (buddy, "notify::status", G_CALLBACK (buddy_status_changed), NULL);
  bench_spin (rls ? 1500 : 200);

  for (int i = 0; i < changes; i++)
    {
      g_autofree char *note = g_strdup_printf ("change %d", i);
      gint64 wire;

      probe.want = cycle[i % G_N_ELEMENTS (cycle)];
      probe.seen = FALSE;
      probe.t_hook = 0;
      probe.armed = TRUE;
      probe.t_start = bench_now_ns ();
      beacon_account_set_presence (BEACON_ACCOUNT (bob), probe.want, note);
      if (!bench_wait_flag (&probe.seen, 10000))
        {
          lost++;
          probe.armed = FALSE;
          continue;
        }
      probe.armed = FALSE;
      wire = bench_wire_last_ns ("NOTIFY");
      g_array_append_val (total, (gint64) { probe.t_update - probe.t_start });
      if (wire > probe.t_start && wire <= probe.t_update)
        g_array_append_val (client, (gint64) { probe.t_update - wire });
      if (probe.t_hook > probe.t_start && probe.t_hook <= probe.t_update)
        g_array_append_val (engine, (gint64) { probe.t_update - probe.t_hook });
      /* Let bob's PUBLISH transaction finish before the next change. */
      bench_spin (rls ? 50 : 5);
    }

  printf ("presence latency (%s, %s), %d changes, %u lost\n", tag, tcp ? "tcp" : "udp", changes, lost);
#define FIG(suffix, value, unit) \
  (g_snprintf (name, sizeof name, "latency.%s.%s", tag, suffix), bench_result (name, value, unit))
  FIG ("total_p50_ms", bench_percentile (total, 50) / 1e6, "ms");
  FIG ("total_p99_ms", bench_percentile (total, 99) / 1e6, "ms");
  FIG ("client_p50_ms", bench_percentile (client, 50) / 1e6, "ms");
  FIG ("client_p99_ms", bench_percentile (client, 99) / 1e6, "ms");
  FIG ("engine_p50_ms", bench_percentile (engine, 50) / 1e6, "ms");
  FIG ("engine_p99_ms", bench_percentile (engine, 99) / 1e6, "ms");
  FIG ("client_samples", client->len, "n");
  FIG ("parse_only_us", parse_again (rls ? alice_list : NULL, bob_uri, 200) / 1e3, "us");
  FIG ("lost", lost, "n");
#undef FIG

  bench_account_stop (BEACON_ACCOUNT (alice));
  bench_account_stop (BEACON_ACCOUNT (bob));
  g_ptr_array_unref (probe.bodies);
  bench_server_clear (&server);
  return lost > (guint) changes / 10 ? 1 : 0;
}
