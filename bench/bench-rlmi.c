/* bench-rlmi.c — the client's work on one big RLS NOTIFY, without a network
 *
 *   bench-rlmi [--buddies N] [--rounds R]
 *
 * Builds the body Kamailio's RLS sends for a list of N buddies in full
 * state (multipart/related: the RLMI document naming N resources, each
 * with an active instance and a PIDF part, as in Kamailio's NOTIFYs) and
 * times, R times each:
 *   parse  beacon_sip_presence_body_parse() alone;
 *   apply  beacon_sip_buddy_presence_apply_list_notify() into an empty
 *          BeaconBuddyList (parse + N buddies created, subscribed, given
 *          their presence) — what the engine does with the first NOTIFY;
 *   update the same body again on the filled list (version + 1).
 * This is the client-side share of the big-list figures (bench-biglist
 * measures the whole path, where Kamailio dominates).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "bench-common.h"
#include "sip/beacon-sip-buddy-presence.h"
#include "formats/beacon-sip-presence-body.h"

#define LIST_URI "sip:alice-list@beacon.test"
#define BOUNDARY "bench-boundary-4f1c"
#define CONTENT_TYPE "multipart/related;type=\"application/rlmi+xml\";start=\"<rlmi@beacon.test>\";" \
                     "boundary=\"" BOUNDARY "\""

static GBytes *
make_body (guint n,
           guint version)
{
  GString *s = g_string_new (NULL);

  g_string_append (s, "--" BOUNDARY "\r\nContent-Transfer-Encoding: binary\r\n"
                   "Content-ID: <rlmi@beacon.test>\r\n"
                   "Content-Type: application/rlmi+xml;charset=\"UTF-8\"\r\n\r\n"
                   "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n");
  g_string_append_printf (s, "<list xmlns=\"urn:ietf:params:xml:ns:rlmi\" uri=\"" LIST_URI "\" "
                          "version=\"%u\" fullState=\"true\">\n", version);
  for (guint i = 1; i <= n; i++)
    g_string_append_printf (s, "  <resource uri=\"sip:b%u@beacon.test\"><instance id=\"i%u\" "
                            "state=\"active\" cid=\"c%u.%u@beacon.test\"/></resource>\n",
                            i, i, i, version);
  g_string_append (s, "</list>\n");
  for (guint i = 1; i <= n; i++)
    g_string_append_printf (s, "\r\n--" BOUNDARY "\r\nContent-Transfer-Encoding: binary\r\n"
                            "Content-ID: <c%u.%u@beacon.test>\r\n"
                            "Content-Type: application/pidf+xml;charset=\"UTF-8\"\r\n\r\n"
                            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" entity=\"sip:b%u@beacon.test\">\n"
                            "  <tuple id=\"t-b%u\">\n    <status><basic>open</basic></status>\n"
                            "    <contact priority=\"1.0\">sip:b%u@beacon.test</contact>\n"
                            "    <note>bench b%u</note>\n  </tuple>\n</presence>\n",
                            i, version, i, i, i, i);
  g_string_append (s, "\r\n--" BOUNDARY "--\r\n");
  return g_string_free_to_bytes (s);
}

int
main (int    argc,
      char **argv)
{
  int n = 5000;
  int rounds = 5;
  GOptionEntry entries[] = {
    { "buddies", 0, 0, G_OPTION_ARG_INT, &n, "Resources in the NOTIFY (default 5000)", "N" },
    { "rounds", 0, 0, G_OPTION_ARG_INT, &rounds, "Repetitions (default 5)", "R" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) parse = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) apply = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) update = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GBytes) body1 = NULL;
  g_autoptr(GBytes) body2 = NULL;
  char name[128];

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n < 1 || n > 100000 ||
      rounds < 1 || rounds > 1000)
    {
      g_printerr ("usage: bench-rlmi [--buddies N] [--rounds R]\n");
      return 2;
    }
  body1 = make_body (n, 1);
  body2 = make_body (n, 2);

  for (int r = 0; r < rounds; r++)
    {
      g_autoptr(BeaconSipUa) ua = beacon_sip_ua_new ("sip:alice@beacon.test", NULL, "x", NULL,
                                                     BEACON_SIP_TRANSPORT_UDP, NULL);
      g_autoptr(BeaconBuddyList) buddies = beacon_buddy_list_new ();
      g_autoptr(BeaconSipBuddyPresence) presence =
        beacon_sip_buddy_presence_new (ua, buddies, LIST_URI, 600);
      BeaconSipPresenceBody *parsed;
      gsize len;
      const char *data = g_bytes_get_data (body1, &len);
      gint64 t0;
      guint online = 0;

      t0 = bench_now_ns ();
      parsed = beacon_sip_presence_body_parse (CONTENT_TYPE, data, len, LIST_URI, &error);
      g_array_append_val (parse, (gint64) { bench_now_ns () - t0 });
      if (parsed == NULL || parsed->updates->len != (guint) n)
        {
          g_printerr ("bench-rlmi: the synthetic body does not parse: %s\n",
                      error ? error->message : "wrong count");
          return 1;
        }
      beacon_sip_presence_body_free (parsed);

      t0 = bench_now_ns ();
      beacon_sip_buddy_presence_apply_list_notify (presence, CONTENT_TYPE, body1);
      g_array_append_val (apply, (gint64) { bench_now_ns () - t0 });

      t0 = bench_now_ns ();
      beacon_sip_buddy_presence_apply_list_notify (presence, CONTENT_TYPE, body2);
      g_array_append_val (update, (gint64) { bench_now_ns () - t0 });

      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (buddies)); i++)
        {
          g_autoptr(BeaconBuddy) buddy = g_list_model_get_item (G_LIST_MODEL (buddies), i);

          online += beacon_buddy_get_status (buddy) == BEACON_STATUS_ONLINE;
        }
      if (online != (guint) n)
        {
          g_printerr ("bench-rlmi: %u of %d buddies online after apply\n", online, n);
          return 1;
        }
    }

  printf ("one full-state RLS NOTIFY of %d buddies (%zu bytes), median of %d\n", n,
          g_bytes_get_size (body1), rounds);
#define FIG(suffix, value, unit) \
  (g_snprintf (name, sizeof name, "rlmi.%d.%s", n, suffix), bench_result (name, value, unit))
  FIG ("body_kib", g_bytes_get_size (body1) / 1024.0, "KiB");
  FIG ("parse_ms", bench_percentile (parse, 50) / 1e6, "ms");
  FIG ("apply_ms", bench_percentile (apply, 50) / 1e6, "ms");
  FIG ("update_ms", bench_percentile (update, 50) / 1e6, "ms");
  FIG ("apply_per_buddy_us", bench_percentile (apply, 50) / 1e3 / n, "us");
  FIG ("peak_rss_mib", bench_peak_rss_kib () / 1024.0, "MiB");
#undef FIG
  return 0;
}
