/* test-sip-watcher-info.c — presence.winfo documents to "watcher" reports
 *
 * Not started: the documents are fed in as if NOTIFYs had brought them
 * (the seed's 2.1.2.3 M3, Kamailio's full and partial forms).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "sip/beacon-sip-ua.h"
#include "sip/beacon-sip-watcher-info.h"

static void
on_watcher (BeaconSipWatcherInfo *winfo,
            const char           *uri,
            const char           *status,
            GPtrArray            *seen)
{
  g_ptr_array_add (seen, g_strdup_printf ("%s %s", uri, status));
}

static void
feed (BeaconSipWatcherInfo *winfo,
      const char           *name,
      const char           *from,
      const char           *to)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "watcherinfo", name, NULL);
  g_autofree char *data = NULL;
  g_autoptr(GBytes) body = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  if (from != NULL)
    {
      g_auto(GStrv) pieces = g_strsplit (data, from, -1);
      char *joined = g_strjoinv (to, pieces);

      g_assert_cmpuint (g_strv_length (pieces), >, 1);
      body = g_bytes_new_take (joined, strlen (joined));
    }
  else
    body = g_bytes_new (data, len);
  beacon_sip_watcher_info_apply (winfo, body);
}

static void
test_reports (void)
{
  g_autoptr(BeaconSipUa) ua = beacon_sip_ua_new ("sip:B@ps.cintel.net.cn", NULL, "pw", NULL,
                                                 BEACON_SIP_TRANSPORT_UDP, NULL);
  g_autoptr(BeaconSipWatcherInfo) winfo = beacon_sip_watcher_info_new (ua, 3600);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (winfo, "watcher", G_CALLBACK (on_watcher), seen);

  /* Seed 2.1.2.3: A waits for B's answer, C is already allowed. */
  feed (winfo, "seed-2.1.2.3-m3-full.xml", NULL, NULL);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "sip:A@ps.cintel.net.cn pending");
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "sip:C@ps.cintel.net.cn active");

  /* The same again: nothing new to tell. */
  feed (winfo, "seed-2.1.2.3-m3-full.xml", NULL, NULL);
  g_assert_cmpuint (seen->len, ==, 2);

  /* Kamailio's full state replaces it; its partial one is merged. */
  g_ptr_array_set_size (seen, 0);
  feed (winfo, "kamailio-full.xml", NULL, NULL);
  g_assert_cmpuint (seen->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "sip:bob@example.test pending");
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "sip:carol@example.test active");
  g_assert_cmpstr (g_ptr_array_index (seen, 2), ==, "sip:mallory@example.test terminated");
  /* A and C are not in the new full state: their subscriptions ended. */
  g_assert_cmpstr (g_ptr_array_index (seen, 3), ==, "sip:A@ps.cintel.net.cn terminated");
  g_assert_cmpstr (g_ptr_array_index (seen, 4), ==, "sip:C@ps.cintel.net.cn terminated");

  g_ptr_array_set_size (seen, 0);
  feed (winfo, "kamailio-partial.xml", NULL, NULL);
  g_assert_cmpuint (seen->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "sip:bob@example.test active");
  g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "sip:dave@example.test pending");

  /* A partial document after a lost one is not merged (a refresh would
   * be asked for; this subscription is not running). */
  g_ptr_array_set_size (seen, 0);
  feed (winfo, "kamailio-partial.xml", "version=\"1\"", "version=\"5\"");
  g_assert_cmpuint (seen->len, ==, 0);

  /* Kamailio tells nothing when a watcher unsubscribes; the next full
   * state (after our refresh) just lacks it: reported as terminated once. */
  {
    static const char empty[] =
      "<watcherinfo xmlns=\"urn:ietf:params:xml:ns:watcherinfo\" version=\"9\" state=\"full\">"
      "<watcher-list resource=\"sip:alice@example.test\" package=\"presence\"/></watcherinfo>";
    g_autoptr(GBytes) body = g_bytes_new_static (empty, sizeof empty - 1);

    g_ptr_array_set_size (seen, 0);
    beacon_sip_watcher_info_apply (winfo, body);
    g_assert_cmpuint (seen->len, ==, 3);  /* mallory's end was told already */
    g_assert_cmpstr (g_ptr_array_index (seen, 0), ==, "sip:bob@example.test terminated");
    g_assert_cmpstr (g_ptr_array_index (seen, 1), ==, "sip:carol@example.test terminated");
    g_assert_cmpstr (g_ptr_array_index (seen, 2), ==, "sip:dave@example.test terminated");
    g_ptr_array_set_size (seen, 0);
    beacon_sip_watcher_info_apply (winfo, body);
    g_assert_cmpuint (seen->len, ==, 0);
  }

  /* Garbage is ignored. */
  {
    g_autoptr(GBytes) junk = g_bytes_new_static ("<watcherinfo", 12);
    beacon_sip_watcher_info_apply (winfo, junk);
    g_assert_cmpuint (seen->len, ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/watcher-info/reports", test_reports);

  return g_test_run ();
}
