/* beacon-flood-guard.c — token buckets for strangers' requests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-flood-guard.h"

typedef struct {
  double tokens;
  gint64 updated_us;   /* when tokens was last brought up to date */
} Bucket;

struct _BeaconFloodGuard {
  guint       source_burst;
  double      source_rate;
  guint       max_sources;
  Bucket      global;
  guint       global_burst;
  double      global_rate;
  GHashTable *sources;   /* char* → Bucket* */
  guint64     refused;
};

BeaconFloodGuard *
beacon_flood_guard_new (guint  source_burst,
                        double source_rate,
                        guint  global_burst,
                        double global_rate,
                        guint  max_sources)
{
  BeaconFloodGuard *guard;

  g_return_val_if_fail (source_burst > 0 && global_burst > 0, NULL);
  g_return_val_if_fail (source_rate > 0 && global_rate > 0, NULL);
  g_return_val_if_fail (max_sources > 0, NULL);

  guard = g_new0 (BeaconFloodGuard, 1);
  guard->source_burst = source_burst;
  guard->source_rate = source_rate;
  guard->global_burst = global_burst;
  guard->global_rate = global_rate;
  guard->max_sources = max_sources;
  guard->global.tokens = global_burst;
  guard->global.updated_us = G_MININT64;
  guard->sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return guard;
}

void
beacon_flood_guard_free (BeaconFloodGuard *guard)
{
  if (guard == NULL)
    return;
  g_hash_table_unref (guard->sources);
  g_free (guard);
}

/* Tokens earned since the bucket was last looked at, up to @burst. A clock
 * that went back (it is the caller's) earns nothing. */
static void
refill (Bucket *bucket,
        guint   burst,
        double  rate,
        gint64  now_us)
{
  if (bucket->updated_us == G_MININT64)
    bucket->tokens = burst;
  else if (now_us > bucket->updated_us)
    bucket->tokens = MIN ((double) burst,
                          bucket->tokens + rate * (now_us - bucket->updated_us) / G_USEC_PER_SEC);
  if (bucket->updated_us == G_MININT64 || now_us > bucket->updated_us)
    bucket->updated_us = now_us;
}

/* Whole seconds until @bucket holds one token, at least 1. */
static guint
wait_s (const Bucket *bucket,
        double        rate)
{
  double s = (1.0 - bucket->tokens) / rate;
  guint whole = (guint) s;

  if (s > whole)
    whole++;
  return MAX (whole, 1);
}

/* Room for one more source: the one heard from longest ago goes. A full
 * table is a flood of new sources, each costing one scan; bounded by
 * max_sources, so at most that many comparisons a request. */
static void
make_room (BeaconFloodGuard *guard,
           GPtrArray        *in_use)
{
  GHashTableIter iter;
  gpointer key, value;
  gpointer oldest = NULL;
  gint64 oldest_us = G_MAXINT64;

  g_hash_table_iter_init (&iter, guard->sources);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Bucket *bucket = value;

      /* Not one this request already holds. */
      if (g_ptr_array_find (in_use, bucket, NULL))
        continue;
      if (bucket->updated_us < oldest_us)
        {
          oldest_us = bucket->updated_us;
          oldest = key;
        }
    }
  if (oldest != NULL)
    g_hash_table_remove (guard->sources, oldest);
}

static Bucket *
source_bucket (BeaconFloodGuard *guard,
               const char       *source,
               gint64            now_us,
               GPtrArray        *in_use)
{
  Bucket *bucket = g_hash_table_lookup (guard->sources, source);

  if (bucket == NULL)
    {
      if (g_hash_table_size (guard->sources) >= guard->max_sources)
        make_room (guard, in_use);
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = guard->source_burst;
      bucket->updated_us = now_us;
      g_hash_table_insert (guard->sources, g_strdup (source), bucket);
    }
  refill (bucket, guard->source_burst, guard->source_rate, now_us);
  return bucket;
}

gboolean
beacon_flood_guard_admit (BeaconFloodGuard  *guard,
                          const char *const *sources,
                          gint64             now_us,
                          guint             *retry_after_s)
{
  g_autoptr(GPtrArray) buckets = g_ptr_array_new ();
  guint wait = 0;

  g_return_val_if_fail (guard != NULL, FALSE);

  for (guint i = 0; sources != NULL && sources[i] != NULL; i++)
    {
      Bucket *bucket = source_bucket (guard, sources[i], now_us, buckets);

      if (g_ptr_array_find (buckets, bucket, NULL))
        continue;  /* the same source twice */
      if (bucket->tokens < 1.0)
        wait = MAX (wait, wait_s (bucket, guard->source_rate));
      g_ptr_array_add (buckets, bucket);
    }
  refill (&guard->global, guard->global_burst, guard->global_rate, now_us);
  if (guard->global.tokens < 1.0)
    wait = MAX (wait, wait_s (&guard->global, guard->global_rate));

  if (wait > 0)
    {
      guard->refused++;
      if (retry_after_s != NULL)
        *retry_after_s = wait;
      return FALSE;
    }
  for (guint i = 0; i < buckets->len; i++)
    ((Bucket *) buckets->pdata[i])->tokens -= 1.0;
  guard->global.tokens -= 1.0;
  return TRUE;
}

guint64
beacon_flood_guard_refused (BeaconFloodGuard *guard)
{
  g_return_val_if_fail (guard != NULL, 0);
  return guard->refused;
}

guint
beacon_flood_guard_n_sources (BeaconFloodGuard *guard)
{
  g_return_val_if_fail (guard != NULL, 0);
  return g_hash_table_size (guard->sources);
}
