/* test-watcherinfo.c — watcherinfo (RFC 3858) parsing, building, merging
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "formats/beacon-format-error.h"
#include "formats/beacon-watcherinfo.h"
#include "beacon-test-util.h"

static BeaconWatcherinfo *
parse_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;
  BeaconWatcherinfo *winfo;

  data = beacon_test_load_fixture ("watcherinfo", name, &len);
  winfo = beacon_watcherinfo_parse (data, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (winfo);
  return winfo;
}

static BeaconWatcherList *
list_at (const BeaconWatcherinfo *winfo,
         guint                    i)
{
  g_assert_cmpuint (i, <, winfo->lists->len);
  return g_ptr_array_index (winfo->lists, i);
}

static void
assert_list (const BeaconWatcherinfo *winfo,
             guint                    i,
             const char              *resource,
             const char              *package,
             guint                    n_watchers)
{
  const BeaconWatcherList *list = list_at (winfo, i);

  g_assert_cmpstr (list->resource, ==, resource);
  g_assert_cmpstr (list->package, ==, package);
  g_assert_cmpuint (list->watchers->len, ==, n_watchers);
}

static void
assert_watcher_full (const BeaconWatcher *w,
                     const char          *id,
                     const char          *uri,
                     BeaconWatcherStatus  status,
                     BeaconWatcherEvent   event,
                     const char          *display_name,
                     guint                duration,
                     guint                expiration)
{
  g_assert_nonnull (w);
  g_assert_cmpstr (w->id, ==, id);
  g_assert_cmpstr (w->uri, ==, uri);
  g_assert_cmpint (w->status, ==, status);
  g_assert_cmpint (w->event, ==, event);
  g_assert_cmpstr (w->display_name, ==, display_name);
  g_assert_cmpuint (w->duration_subscribed, ==, duration);
  g_assert_cmpuint (w->expiration, ==, expiration);
}

static void
assert_watcher (const BeaconWatcherList *list,
                guint                    i,
                const char              *id,
                const char              *uri,
                BeaconWatcherStatus      status,
                BeaconWatcherEvent       event)
{
  g_assert_cmpuint (i, <, list->watchers->len);
  assert_watcher_full (g_ptr_array_index (list->watchers, i), id, uri, status, event, NULL, 0, 0);
}

static void
assert_winfo_equal (const BeaconWatcherinfo *a,
                    const BeaconWatcherinfo *b)
{
  g_assert_cmpuint (a->version, ==, b->version);
  g_assert_cmpint (a->full, ==, b->full);
  g_assert_cmpuint (a->lists->len, ==, b->lists->len);
  for (guint i = 0; i < a->lists->len; i++)
    {
      const BeaconWatcherList *la = list_at (a, i);
      const BeaconWatcherList *lb = list_at (b, i);

      assert_list (b, i, la->resource, la->package, la->watchers->len);
      for (guint k = 0; k < la->watchers->len; k++)
        {
          const BeaconWatcher *w = g_ptr_array_index (la->watchers, k);

          assert_watcher_full (g_ptr_array_index (lb->watchers, k), w->id, w->uri, w->status,
                               w->event, w->display_name, w->duration_subscribed, w->expiration);
        }
    }
}

/* Seed 2.1.2.2: partial, version 1, glued `"package=` and `<?xmlversion`. */
static void
test_seed_partial_glued (void)
{
  g_autoptr(BeaconWatcherinfo) winfo = parse_fixture ("seed-2.1.2.2-m4-partial.xml");

  g_assert_cmpuint (winfo->version, ==, 1);
  g_assert_false (winfo->full);
  g_assert_cmpuint (winfo->lists->len, ==, 1);
  assert_list (winfo, 0, "sip:B@ps.cintel.net.cn", "presence", 1);
  assert_watcher (list_at (winfo, 0), 0, "77ajsyy76", "sip:A@ps.cintel.net.cn",
                  BEACON_WATCHER_STATUS_PENDING, BEACON_WATCHER_EVENT_SUBSCRIBE);
}

/* Seed 2.1.2.3 M3: full, version 0, A pending, C active. */
static void
test_seed_full (void)
{
  g_autoptr(BeaconWatcherinfo) winfo = parse_fixture ("seed-2.1.2.3-m3-full.xml");
  g_autoptr(GPtrArray) pending = NULL;

  g_assert_cmpuint (winfo->version, ==, 0);
  g_assert_true (winfo->full);
  g_assert_cmpuint (winfo->lists->len, ==, 1);
  assert_list (winfo, 0, "sip:B@ps.cintel.net.cn", "presence", 2);
  assert_watcher (list_at (winfo, 0), 0, "77ajsyy76", "sip:A@ps.cintel.net.cn",
                  BEACON_WATCHER_STATUS_PENDING, BEACON_WATCHER_EVENT_SUBSCRIBE);
  assert_watcher (list_at (winfo, 0), 1, "77ajsyy77", "sip:C@ps.cintel.net.cn",
                  BEACON_WATCHER_STATUS_ACTIVE, BEACON_WATCHER_EVENT_APPROVED);

  pending = beacon_watcherinfo_pending (winfo);
  g_assert_cmpuint (pending->len, ==, 1);
  assert_watcher_full (g_ptr_array_index (pending, 0), "77ajsyy76", "sip:A@ps.cintel.net.cn",
                       BEACON_WATCHER_STATUS_PENDING, BEACON_WATCHER_EVENT_SUBSCRIBE, NULL, 0, 0);
}

/* Seed 2.1.2.5: A's subscription to B is deactivated. */
static void
test_seed_deactivated (void)
{
  g_autoptr(BeaconWatcherinfo) winfo = parse_fixture ("seed-2.1.2.5-deactivated.xml");
  g_autoptr(GPtrArray) pending = NULL;

  g_assert_cmpuint (winfo->version, ==, 1);
  g_assert_false (winfo->full);
  assert_list (winfo, 0, "sip:B@ps.cintel.net.cn", "presence", 1);
  assert_watcher (list_at (winfo, 0), 0, "77ajsyy76", "sip:A@ps.cintel.net.cn",
                  BEACON_WATCHER_STATUS_TERMINATED, BEACON_WATCHER_EVENT_DEACTIVATED);
  pending = beacon_watcherinfo_pending (winfo);
  g_assert_cmpuint (pending->len, ==, 0);
}

static void
test_all_attributes (void)
{
  g_autoptr(BeaconWatcherinfo) winfo = parse_fixture ("rfc3858-all-attributes.xml");
  g_autoptr(GPtrArray) pending = NULL;
  const BeaconWatcherList *list;

  g_assert_cmpuint (winfo->version, ==, 3);
  g_assert_true (winfo->full);
  assert_list (winfo, 0, "sip:professor@example.net", "presence", 7);
  list = list_at (winfo, 0);
  assert_watcher_full (g_ptr_array_index (list->watchers, 0), "8ajksjda7s", "sip:userA@example.net",
                       BEACON_WATCHER_STATUS_ACTIVE, BEACON_WATCHER_EVENT_APPROVED,
                       "Mike the Student", 509, 3091);
  assert_watcher_full (g_ptr_array_index (list->watchers, 1), "hh8juja87s997-ass7",
                       "sip:agentsmith@example.org", BEACON_WATCHER_STATUS_PENDING,
                       BEACON_WATCHER_EVENT_SUBSCRIBE, "Agent Smith", 0, 0);
  assert_watcher_full (g_ptr_array_index (list->watchers, 2), "w8a8s88", "sip:waiter@example.com",
                       BEACON_WATCHER_STATUS_WAITING, BEACON_WATCHER_EVENT_TIMEOUT, NULL, 3600, 0);
  assert_watcher (list, 3, "t1t1", "sip:gone@example.com", BEACON_WATCHER_STATUS_TERMINATED,
                  BEACON_WATCHER_EVENT_GIVEUP);
  assert_watcher (list, 4, "t2t2", "sip:nobody@example.com", BEACON_WATCHER_STATUS_TERMINATED,
                  BEACON_WATCHER_EVENT_NORESOURCE);
  assert_watcher (list, 5, "t3t3", "sip:later@example.com", BEACON_WATCHER_STATUS_TERMINATED,
                  BEACON_WATCHER_EVENT_PROBATION);
  assert_watcher (list, 6, "t4t4", "sip:blocked@example.com", BEACON_WATCHER_STATUS_TERMINATED,
                  BEACON_WATCHER_EVENT_REJECTED);

  /* Pending and waiting need an answer, in document order. */
  pending = beacon_watcherinfo_pending (winfo);
  g_assert_cmpuint (pending->len, ==, 2);
  g_assert_cmpstr (((BeaconWatcher *) g_ptr_array_index (pending, 0))->uri, ==,
                   "sip:agentsmith@example.org");
  g_assert_cmpstr (((BeaconWatcher *) g_ptr_array_index (pending, 0))->display_name, ==,
                   "Agent Smith");
  g_assert_cmpstr (((BeaconWatcher *) g_ptr_array_index (pending, 1))->uri, ==,
                   "sip:waiter@example.com");
}

static void
test_two_lists_whitespace (void)
{
  g_autoptr(BeaconWatcherinfo) winfo = parse_fixture ("two-lists-whitespace.xml");

  g_assert_cmpuint (winfo->version, ==, 12);
  g_assert_false (winfo->full);
  g_assert_cmpuint (winfo->lists->len, ==, 2);
  assert_list (winfo, 0, "sip:alice@example.test", "presence", 2);
  assert_watcher (list_at (winfo, 0), 0, "d1", "sip:bob@example.test",
                  BEACON_WATCHER_STATUS_ACTIVE, BEACON_WATCHER_EVENT_APPROVED);
  /* duration-subscribed="soon" is read as absent */
  assert_watcher (list_at (winfo, 0), 1, "d2", "sip:bob@example.test",
                  BEACON_WATCHER_STATUS_PENDING, BEACON_WATCHER_EVENT_SUBSCRIBE);
  assert_list (winfo, 1, "sip:alice@example.test", NULL, 1);
  assert_watcher (list_at (winfo, 1), 0, "m1", "sip:voicemail@example.test",
                  BEACON_WATCHER_STATUS_ACTIVE, BEACON_WATCHER_EVENT_APPROVED);
}

static void
test_kamailio_and_unknown_event (void)
{
  g_autoptr(BeaconWatcherinfo) full = parse_fixture ("kamailio-full.xml");
  g_autoptr(BeaconWatcherinfo) partial = parse_fixture ("kamailio-partial.xml");
  g_autoptr(BeaconWatcherinfo) other = parse_fixture ("unknown-event.xml");
  g_autoptr(BeaconWatcherinfo) empty = parse_fixture ("empty-full.xml");

  g_assert_cmpuint (full->version, ==, 0);
  g_assert_true (full->full);
  assert_list (full, 0, "sip:alice@example.test", "presence", 3);
  assert_watcher (list_at (full, 0), 0, "9f1b2c3d4e5f60718293a4b5c6d7e8f9", "sip:bob@example.test",
                  BEACON_WATCHER_STATUS_PENDING, BEACON_WATCHER_EVENT_SUBSCRIBE);
  assert_watcher (list_at (full, 0), 1, "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                  "sip:carol@example.test", BEACON_WATCHER_STATUS_ACTIVE,
                  BEACON_WATCHER_EVENT_SUBSCRIBE);
  assert_watcher (list_at (full, 0), 2, "1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f",
                  "sip:mallory@example.test", BEACON_WATCHER_STATUS_TERMINATED,
                  BEACON_WATCHER_EVENT_SUBSCRIBE);

  g_assert_cmpuint (partial->version, ==, 1);
  g_assert_false (partial->full);
  assert_list (partial, 0, "sip:alice@example.test", "presence", 2);
  assert_watcher (list_at (partial, 0), 0, "9f1b2c3d4e5f60718293a4b5c6d7e8f9",
                  "sip:bob@example.test", BEACON_WATCHER_STATUS_ACTIVE,
                  BEACON_WATCHER_EVENT_SUBSCRIBE);
  assert_watcher (list_at (partial, 0), 1, "7e6d5c4b3a29180706f5e4d3c2b1a090",
                  "sip:dave@example.test", BEACON_WATCHER_STATUS_PENDING,
                  BEACON_WATCHER_EVENT_SUBSCRIBE);

  g_assert_cmpuint (other->version, ==, 5);
  assert_watcher (list_at (other, 0), 0, "u1", "sip:bob@example.test",
                  BEACON_WATCHER_STATUS_ACTIVE, BEACON_WATCHER_EVENT_OTHER);

  g_assert_cmpuint (empty->version, ==, 2);
  g_assert_true (empty->full);
  assert_list (empty, 0, "sip:alice@example.test", "presence", 0);
}

static void
test_errors (void)
{
  static const struct {
    const char *file;
    int code;
    const char *fragment;
  } cases[] = {
    { "wrong-root.xml", BEACON_FORMAT_ERROR_WRONG_DOCUMENT, "<list>" },
    { "missing-version.xml", BEACON_FORMAT_ERROR_MISSING, "version" },
    { "missing-state.xml", BEACON_FORMAT_ERROR_MISSING, "state" },
    { "version-negative.xml", BEACON_FORMAT_ERROR_INVALID_VALUE, "version “-1”" },
    { "version-abc.xml", BEACON_FORMAT_ERROR_INVALID_VALUE, "version “abc”" },
    { "state-bad.xml", BEACON_FORMAT_ERROR_INVALID_VALUE, "state “complete”" },
    { "status-bad.xml", BEACON_FORMAT_ERROR_INVALID_VALUE, "status “blocked”" },
    { "missing-event.xml", BEACON_FORMAT_ERROR_MISSING, "<watcher id=\"e1\"> has no event" },
    { "missing-id.xml", BEACON_FORMAT_ERROR_MISSING, "<watcher> has no id" },
    { "missing-status.xml", BEACON_FORMAT_ERROR_MISSING, "has no status" },
    { "missing-uri.xml", BEACON_FORMAT_ERROR_MISSING, "no watcher URI" },
    { "missing-resource.xml", BEACON_FORMAT_ERROR_MISSING, "resource" },
    { "truncated.xml", BEACON_FORMAT_ERROR_MALFORMED, NULL },
    { "bomb.xml", BEACON_FORMAT_ERROR_FORBIDDEN, NULL },
    { "external-entity.xml", BEACON_FORMAT_ERROR_FORBIDDEN, NULL },
    { "deep-nesting.xml", BEACON_FORMAT_ERROR_TOO_DEEP, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *data = NULL;
      g_autoptr(BeaconWatcherinfo) winfo = NULL;
      gsize len = 0;

      data = beacon_test_load_fixture ("watcherinfo", cases[i].file, &len);
      winfo = beacon_watcherinfo_parse (data, len, &error);
      g_assert_null (winfo);
      g_assert_error (error, BEACON_FORMAT_ERROR, cases[i].code);
      if (cases[i].fragment != NULL && strstr (error->message, cases[i].fragment) == NULL)
        g_error ("%s: error “%s” does not mention “%s”", cases[i].file, error->message,
                 cases[i].fragment);
    }
}

static void
test_too_many_watchers (void)
{
  GString *s = g_string_new ("<watcherinfo version='1' state='full'>"
                             "<watcher-list resource='sip:a@x'>");
  g_autofree char *doc = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;

  for (guint i = 0; i <= BEACON_WATCHERINFO_MAX_WATCHERS; i++)
    g_string_append_printf (s, "<watcher id='w%u' status='pending' event='subscribe'>"
                            "sip:u%u@x</watcher>", i, i);
  g_string_append (s, "</watcher-list></watcherinfo>");
  len = s->len;
  doc = g_string_free (s, FALSE);

  g_assert_null (beacon_watcherinfo_parse (doc, len, &error));
  g_assert_error (error, BEACON_FORMAT_ERROR, BEACON_FORMAT_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "10000 watchers"));
}

static void
test_round_trip (void)
{
  static const char *const files[] = {
    "seed-2.1.2.2-m4-partial.xml", "seed-2.1.2.3-m3-full.xml", "seed-2.1.2.5-deactivated.xml",
    "kamailio-full.xml", "kamailio-partial.xml", "rfc3858-all-attributes.xml",
    "two-lists-whitespace.xml", "unknown-event.xml", "empty-full.xml",
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autoptr(BeaconWatcherinfo) first = parse_fixture (files[i]);
      g_autoptr(BeaconWatcherinfo) second = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *xml = NULL;
      gsize len = 0;

      xml = beacon_watcherinfo_build (first, &len);
      g_assert_cmpuint (len, ==, strlen (xml));
      g_assert_nonnull (strstr (xml, "xmlns=\"" BEACON_WATCHERINFO_NAMESPACE "\""));
      second = beacon_watcherinfo_parse (xml, len, &error);
      g_assert_no_error (error);
      assert_winfo_equal (first, second);
    }
}

static void
test_build (void)
{
  g_autoptr(BeaconWatcherinfo) winfo = beacon_watcherinfo_new (G_MAXUINT32, FALSE);
  g_autoptr(BeaconWatcherinfo) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  BeaconWatcherList *list = beacon_watcher_list_new ("sip:me@x", "presence");
  BeaconWatcher *w = beacon_watcher_new ("id<1>", "sip:a@x;q=\"&\"", BEACON_WATCHER_STATUS_WAITING,
                                         BEACON_WATCHER_EVENT_PROBATION);
  gsize len = 0;

  w->display_name = g_strdup ("Ä & \"B\"");
  w->duration_subscribed = 10;
  w->expiration = 20;
  g_ptr_array_add (list->watchers, w);
  g_ptr_array_add (winfo->lists, list);
  g_ptr_array_add (winfo->lists, beacon_watcher_list_new ("sip:me@x", NULL));

  xml = beacon_watcherinfo_build (winfo, &len);
  g_assert_nonnull (strstr (xml, "version=\"4294967295\""));
  g_assert_nonnull (strstr (xml, "state=\"partial\""));
  g_assert_nonnull (strstr (xml, "event=\"probation\""));
  back = beacon_watcherinfo_parse (xml, len, &error);
  g_assert_no_error (error);
  assert_winfo_equal (winfo, back);
}

static void
assert_set_has (const BeaconWatcherSet *set,
                const char             *uri,
                BeaconWatcherStatus     status,
                BeaconWatcherEvent      event)
{
  const BeaconWatcher *w = beacon_watcher_set_lookup (set, uri);

  g_assert_nonnull (w);
  g_assert_cmpstr (w->uri, ==, uri);
  g_assert_cmpint (w->status, ==, status);
  g_assert_cmpint (w->event, ==, event);
}

static void
apply_fixture (BeaconWatcherSet *set,
               const char       *name)
{
  g_autoptr(BeaconWatcherinfo) winfo = parse_fixture (name);
  g_autoptr(GError) error = NULL;

  g_assert_true (beacon_watcher_set_apply (set, winfo, &error));
  g_assert_no_error (error);
}

/* The seed's story for B: full state (2.1.2.3), then A deactivated (2.1.2.5). */
static void
test_set_seed_story (void)
{
  g_autoptr(BeaconWatcherSet) set = beacon_watcher_set_new ();
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) after = NULL;

  g_assert_false (set->have_version);
  apply_fixture (set, "seed-2.1.2.3-m3-full.xml");
  g_assert_true (set->have_version);
  g_assert_cmpuint (set->version, ==, 0);
  g_assert_cmpuint (g_hash_table_size (set->watchers), ==, 2);
  assert_set_has (set, "sip:A@ps.cintel.net.cn", BEACON_WATCHER_STATUS_PENDING,
                  BEACON_WATCHER_EVENT_SUBSCRIBE);
  assert_set_has (set, "sip:C@ps.cintel.net.cn", BEACON_WATCHER_STATUS_ACTIVE,
                  BEACON_WATCHER_EVENT_APPROVED);
  pending = beacon_watcher_set_pending (set);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((BeaconWatcher *) g_ptr_array_index (pending, 0))->uri, ==,
                   "sip:A@ps.cintel.net.cn");

  apply_fixture (set, "seed-2.1.2.5-deactivated.xml");
  g_assert_cmpuint (set->version, ==, 1);
  g_assert_cmpuint (g_hash_table_size (set->watchers), ==, 2);
  assert_set_has (set, "sip:A@ps.cintel.net.cn", BEACON_WATCHER_STATUS_TERMINATED,
                  BEACON_WATCHER_EVENT_DEACTIVATED);
  assert_set_has (set, "sip:C@ps.cintel.net.cn", BEACON_WATCHER_STATUS_ACTIVE,
                  BEACON_WATCHER_EVENT_APPROVED);
  after = beacon_watcher_set_pending (set);
  g_assert_cmpuint (after->len, ==, 0);

  /* Version 1 again (2.1.2.2's pending A) is stale: nothing changes. */
  apply_fixture (set, "seed-2.1.2.2-m4-partial.xml");
  g_assert_cmpuint (set->version, ==, 1);
  assert_set_has (set, "sip:A@ps.cintel.net.cn", BEACON_WATCHER_STATUS_TERMINATED,
                  BEACON_WATCHER_EVENT_DEACTIVATED);
}

static void
test_set_kamailio (void)
{
  g_autoptr(BeaconWatcherSet) set = beacon_watcher_set_new ();
  g_autoptr(GPtrArray) pending = NULL;

  apply_fixture (set, "kamailio-full.xml");
  apply_fixture (set, "kamailio-partial.xml");
  g_assert_cmpuint (set->version, ==, 1);
  g_assert_cmpuint (g_hash_table_size (set->watchers), ==, 4);
  assert_set_has (set, "sip:bob@example.test", BEACON_WATCHER_STATUS_ACTIVE,
                  BEACON_WATCHER_EVENT_SUBSCRIBE);
  assert_set_has (set, "sip:carol@example.test", BEACON_WATCHER_STATUS_ACTIVE,
                  BEACON_WATCHER_EVENT_SUBSCRIBE);
  assert_set_has (set, "sip:mallory@example.test", BEACON_WATCHER_STATUS_TERMINATED,
                  BEACON_WATCHER_EVENT_SUBSCRIBE);
  assert_set_has (set, "sip:dave@example.test", BEACON_WATCHER_STATUS_PENDING,
                  BEACON_WATCHER_EVENT_SUBSCRIBE);
  g_assert_null (beacon_watcher_set_lookup (set, "sip:nobody@example.test"));
  pending = beacon_watcher_set_pending (set);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((BeaconWatcher *) g_ptr_array_index (pending, 0))->uri, ==,
                   "sip:dave@example.test");

  /* A full document replaces everything, even with a lower version. */
  apply_fixture (set, "seed-2.1.2.3-m3-full.xml");
  g_assert_cmpuint (set->version, ==, 0);
  g_assert_cmpuint (g_hash_table_size (set->watchers), ==, 2);
  g_assert_null (beacon_watcher_set_lookup (set, "sip:bob@example.test"));
}

static void
test_set_gap_and_no_base (void)
{
  g_autoptr(BeaconWatcherSet) set = beacon_watcher_set_new ();
  g_autoptr(BeaconWatcherinfo) partial = parse_fixture ("seed-2.1.2.2-m4-partial.xml");
  g_autoptr(BeaconWatcherinfo) jump = beacon_watcherinfo_new (3, FALSE);
  g_autoptr(GError) error = NULL;
  BeaconWatcherList *list = beacon_watcher_list_new ("sip:B@ps.cintel.net.cn", "presence");

  /* Partial before any full document. */
  g_assert_false (beacon_watcher_set_apply (set, partial, &error));
  g_assert_error (error, BEACON_WATCHER_SET_ERROR, BEACON_WATCHER_SET_ERROR_RESUBSCRIBE);
  g_assert_nonnull (strstr (error->message, "resubscribe"));
  g_assert_false (set->have_version);
  g_assert_cmpuint (g_hash_table_size (set->watchers), ==, 0);
  g_clear_error (&error);

  /* Version 0 then 3: two notifications missed. */
  apply_fixture (set, "seed-2.1.2.3-m3-full.xml");
  g_ptr_array_add (list->watchers, beacon_watcher_new ("x", "sip:X@ps.cintel.net.cn",
                                                       BEACON_WATCHER_STATUS_PENDING,
                                                       BEACON_WATCHER_EVENT_SUBSCRIBE));
  g_ptr_array_add (jump->lists, list);
  g_assert_false (beacon_watcher_set_apply (set, jump, &error));
  g_assert_error (error, BEACON_WATCHER_SET_ERROR, BEACON_WATCHER_SET_ERROR_RESUBSCRIBE);
  g_assert_nonnull (strstr (error->message, "from version 0 to 3"));
  g_assert_cmpuint (set->version, ==, 0);
  g_assert_cmpuint (g_hash_table_size (set->watchers), ==, 2);
  g_assert_null (beacon_watcher_set_lookup (set, "sip:X@ps.cintel.net.cn"));
}

/* One URI subscribed from two devices: the pending one is kept. */
static void
test_set_duplicate_uri (void)
{
  g_autoptr(BeaconWatcherSet) set = beacon_watcher_set_new ();
  g_autoptr(BeaconWatcherinfo) base = beacon_watcherinfo_new (11, TRUE);
  g_autoptr(GError) error = NULL;
  const BeaconWatcher *bob;

  g_assert_true (beacon_watcher_set_apply (set, base, &error));
  apply_fixture (set, "two-lists-whitespace.xml");
  g_assert_cmpuint (set->version, ==, 12);
  g_assert_cmpuint (g_hash_table_size (set->watchers), ==, 2);
  bob = beacon_watcher_set_lookup (set, "sip:bob@example.test");
  g_assert_cmpstr (bob->id, ==, "d2");
  g_assert_cmpint (bob->status, ==, BEACON_WATCHER_STATUS_PENDING);
  assert_set_has (set, "sip:voicemail@example.test", BEACON_WATCHER_STATUS_ACTIVE,
                  BEACON_WATCHER_EVENT_APPROVED);
}

static void
test_enum_strings (void)
{
  g_assert_cmpstr (beacon_watcher_status_to_string (BEACON_WATCHER_STATUS_WAITING), ==, "waiting");
  g_assert_cmpstr (beacon_watcher_event_to_string (BEACON_WATCHER_EVENT_NORESOURCE), ==,
                   "noresource");
  g_assert_cmpstr (beacon_watcher_event_to_string (BEACON_WATCHER_EVENT_OTHER), ==, "other");
  g_assert_cmpstr (beacon_watcher_event_to_string ((BeaconWatcherEvent) 99), ==, "other");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/watcherinfo/seed/partial-glued", test_seed_partial_glued);
  g_test_add_func ("/watcherinfo/seed/full", test_seed_full);
  g_test_add_func ("/watcherinfo/seed/deactivated", test_seed_deactivated);
  g_test_add_func ("/watcherinfo/all-attributes", test_all_attributes);
  g_test_add_func ("/watcherinfo/two-lists-whitespace", test_two_lists_whitespace);
  g_test_add_func ("/watcherinfo/kamailio-unknown-event", test_kamailio_and_unknown_event);
  g_test_add_func ("/watcherinfo/errors", test_errors);
  g_test_add_func ("/watcherinfo/too-many-watchers", test_too_many_watchers);
  g_test_add_func ("/watcherinfo/round-trip", test_round_trip);
  g_test_add_func ("/watcherinfo/build", test_build);
  g_test_add_func ("/watcherinfo/enum-strings", test_enum_strings);
  g_test_add_func ("/watcherinfo/set/seed-story", test_set_seed_story);
  g_test_add_func ("/watcherinfo/set/kamailio", test_set_kamailio);
  g_test_add_func ("/watcherinfo/set/gap-and-no-base", test_set_gap_and_no_base);
  g_test_add_func ("/watcherinfo/set/duplicate-uri", test_set_duplicate_uri);

  return g_test_run ();
}
