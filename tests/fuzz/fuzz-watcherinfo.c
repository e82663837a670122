/* fuzz-watcherinfo.c — libFuzzer target for the watcherinfo parser,
 * builder and BeaconWatcherSet
 *
 * Any input: parse must not crash or leak. Input that parses must survive
 * build → parse unchanged, and applying it to a watcher set must work.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>

#include "formats/beacon-watcherinfo.h"

static gboolean
watcher_equal (const BeaconWatcher *a,
               const BeaconWatcher *b)
{
  return g_strcmp0 (a->id, b->id) == 0 && g_strcmp0 (a->uri, b->uri) == 0 &&
         g_strcmp0 (a->display_name, b->display_name) == 0 && a->status == b->status &&
         a->event == b->event && a->duration_subscribed == b->duration_subscribed &&
         a->expiration == b->expiration;
}

static gboolean
winfo_equal (const BeaconWatcherinfo *a,
             const BeaconWatcherinfo *b)
{
  if (a->version != b->version || a->full != b->full || a->lists->len != b->lists->len)
    return FALSE;
  for (guint i = 0; i < a->lists->len; i++)
    {
      const BeaconWatcherList *la = g_ptr_array_index (a->lists, i);
      const BeaconWatcherList *lb = g_ptr_array_index (b->lists, i);

      if (g_strcmp0 (la->resource, lb->resource) != 0 ||
          g_strcmp0 (la->package, lb->package) != 0 || la->watchers->len != lb->watchers->len)
        return FALSE;
      for (guint k = 0; k < la->watchers->len; k++)
        if (!watcher_equal (g_ptr_array_index (la->watchers, k),
                            g_ptr_array_index (lb->watchers, k)))
          return FALSE;
    }
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BeaconWatcherinfo) winfo = NULL;
  g_autoptr(BeaconWatcherinfo) again = NULL;
  g_autoptr(BeaconWatcherSet) set = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) set_pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xml = NULL;
  gsize len = 0;

  winfo = beacon_watcherinfo_parse ((const char *) data, size, &error);
  if (winfo == NULL)
    {
      if (error == NULL || error->message == NULL)
        abort ();
      return 0;
    }
  pending = beacon_watcherinfo_pending (winfo);

  xml = beacon_watcherinfo_build (winfo, &len);
  again = beacon_watcherinfo_parse (xml, len, &error);
  if (again == NULL || !winfo_equal (winfo, again))
    abort ();

  /* A full base, then the document: partial ones merge or report a gap. */
  set = beacon_watcher_set_new ();
  {
    g_autoptr(BeaconWatcherinfo) base = beacon_watcherinfo_new (winfo->version - 1, TRUE);

    if (!beacon_watcher_set_apply (set, base, &error))
      abort ();
  }
  if (!beacon_watcher_set_apply (set, winfo, &error))
    abort ();
  if (!beacon_watcher_set_apply (set, again, &error))  /* same version: stale or full */
    abort ();
  set_pending = beacon_watcher_set_pending (set);
  if (set_pending->len > pending->len)
    abort ();
  return 0;
}
