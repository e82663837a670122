/* test-flood-guard.c — strangers' requests within rate limits, a bounded
 * table of sources, and what an account admits (issue #17 item 3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-account.h"
#include "beacon-flood-guard.h"

#define S(n) ((gint64) (n) * G_USEC_PER_SEC)

static gboolean
admit (BeaconFloodGuard *guard,
       const char       *from,
       const char       *address,
       gint64            now_us,
       guint            *retry_after_s)
{
  const char *sources[] = { from, address, NULL };

  return beacon_flood_guard_admit (guard, from ? sources : sources + 1, now_us, retry_after_s);
}

static void
test_burst_then_rate (void)
{
  g_autoptr(BeaconFloodGuard) guard = beacon_flood_guard_new (5, 1.0, 100, 100.0, 16);
  guint retry = 0;

  /* A burst of 5, then refused with Retry-After 1 s. */
  for (guint i = 0; i < 5; i++)
    g_assert_true (admit (guard, "mallory", NULL, S (10), NULL));
  g_assert_false (admit (guard, "mallory", NULL, S (10), &retry));
  g_assert_cmpuint (retry, ==, 1);
  g_assert_cmpuint (beacon_flood_guard_refused (guard), ==, 1);

  /* Refusals cost nothing: half a second later still none, one second
   * after the burst exactly one. */
  g_assert_false (admit (guard, "mallory", NULL, S (10) + G_USEC_PER_SEC / 2, &retry));
  g_assert_true (admit (guard, "mallory", NULL, S (11), NULL));
  g_assert_false (admit (guard, "mallory", NULL, S (11), NULL));

  /* Idle, the bucket fills up to the burst, never beyond. */
  for (guint i = 0; i < 5; i++)
    g_assert_true (admit (guard, "mallory", NULL, S (1000), NULL));
  g_assert_false (admit (guard, "mallory", NULL, S (1000), NULL));
}

static void
test_sources_apart (void)
{
  g_autoptr(BeaconFloodGuard) guard = beacon_flood_guard_new (2, 1.0, 100, 100.0, 16);

  g_assert_true (admit (guard, "mallory", NULL, S (1), NULL));
  g_assert_true (admit (guard, "mallory", NULL, S (1), NULL));
  g_assert_false (admit (guard, "mallory", NULL, S (1), NULL));
  /* Another sender is not held up by mallory's flood. */
  g_assert_true (admit (guard, "carol", NULL, S (1), NULL));

  /* Forged Froms from one address share the address's bucket. */
  g_assert_true (admit (guard, "forged-1", "192.0.2.9", S (2), NULL));
  g_assert_true (admit (guard, "forged-2", "192.0.2.9", S (2), NULL));
  g_assert_false (admit (guard, "forged-3", "192.0.2.9", S (2), NULL));
  /* A refused request charged nothing: forged-3 still has its burst. */
  g_assert_true (admit (guard, "forged-3", "192.0.2.10", S (2), NULL));
}

static void
test_global (void)
{
  g_autoptr(BeaconFloodGuard) guard = beacon_flood_guard_new (5, 1.0, 10, 2.0, 1000);
  guint retry = 0;
  guint taken = 0;

  /* Many strangers, one each: the shared bucket holds them at 10, then
   * 2 a second. */
  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *from = g_strdup_printf ("stranger-%u", i);

      if (admit (guard, from, NULL, S (5), &retry))
        taken++;
    }
  g_assert_cmpuint (taken, ==, 10);
  g_assert_cmpuint (retry, ==, 1);
  g_assert_true (admit (guard, "late-1", NULL, S (6), NULL));
  g_assert_true (admit (guard, "late-2", NULL, S (6), NULL));
  g_assert_false (admit (guard, "late-3", NULL, S (6), &retry));
}

static void
test_retry_after (void)
{
  /* One token every 10 s: the wait is rounded up to whole seconds. */
  g_autoptr(BeaconFloodGuard) guard = beacon_flood_guard_new (1, 0.1, 100, 100.0, 16);
  guint retry = 0;

  g_assert_true (admit (guard, "slow", NULL, S (0), NULL));
  g_assert_false (admit (guard, "slow", NULL, S (0), &retry));
  g_assert_cmpuint (retry, ==, 10);
  g_assert_false (admit (guard, "slow", NULL, S (7) + 1, &retry));
  g_assert_cmpuint (retry, ==, 3);
  /* A clock that goes back earns nothing and breaks nothing. */
  g_assert_false (admit (guard, "slow", NULL, S (1), &retry));
  g_assert_cmpuint (retry, >=, 1);
  g_assert_true (admit (guard, "slow", NULL, S (10), NULL));
}

static void
test_bounded_table (void)
{
  g_autoptr(BeaconFloodGuard) guard = beacon_flood_guard_new (1, 0.01, 1000000, 1e6, 64);

  /* 10,000 forged senders: the table never holds more than 64. */
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *from = g_strdup_printf ("forged-%u", i);

      g_assert_true (admit (guard, from, NULL, S (1) + i, NULL));
      g_assert_cmpuint (beacon_flood_guard_n_sources (guard), <=, 64);
    }
  g_assert_cmpuint (beacon_flood_guard_n_sources (guard), ==, 64);
  /* The one heard from last is still known (and still empty). */
  g_assert_false (admit (guard, "forged-9999", NULL, S (1) + 10000, NULL));
  /* Two sources of one request are never evicted for each other. */
  g_assert_true (admit (guard, "new-from", "new-address", S (2), NULL));
  g_assert_false (admit (guard, "new-from", "new-address", S (2), NULL));
}

/* ---- an account's admission ------------------------------------------------ */

static void
test_account (void)
{
  g_autoptr(BeaconAccount) account = g_object_new (BEACON_TYPE_ACCOUNT, "aor", "sip:alice@beacon.test",
                                                   NULL);
  const char *blocked[] = { "sip:eve@beacon.test", NULL };
  guint taken = 0;
  guint retry = 0;

  beacon_buddy_list_add (beacon_account_get_buddies (account), "sip:bob@beacon.test", "Bob");
  beacon_account_set_blocked (account, blocked);

  /* A friend is never limited; nor is the blocked (dropped later). */
  for (guint i = 0; i < 1000; i++)
    {
      g_assert_true (beacon_account_admit_request (account, "sip:bob@beacon.test", "192.0.2.1", NULL));
      g_assert_true (beacon_account_admit_request (account, "sip:eve@beacon.test", "192.0.2.1", NULL));
    }

  /* A stranger gets the burst, then 429 with a Retry-After. */
  for (guint i = 0; i < 100; i++)
    if (beacon_account_admit_request (account, "sip:mallory@beacon.test", NULL, &retry))
      taken++;
  g_assert_cmpuint (taken, >=, BEACON_FLOOD_SOURCE_BURST);
  g_assert_cmpuint (taken, <=, BEACON_FLOOD_SOURCE_BURST + 1);
  g_assert_cmpuint (retry, >=, 1);

  /* Many strangers' unread messages: past the bound, strangers wait. */
  for (guint i = 0; i < BEACON_ACCOUNT_STRANGER_UNREAD_MAX; i++)
    {
      g_autofree char *from = g_strdup_printf ("sip:stranger-%u@beacon.test", i % 7);
      g_autofree char *text = g_strdup_printf ("hello %u", i);

      beacon_account_receive_message (account, from, text, NULL);
    }
  g_assert_false (beacon_account_admit_request (account, "sip:someone-new@beacon.test", NULL, &retry));
  g_assert_cmpuint (retry, ==, 60);
  g_assert_true (beacon_account_admit_request (account, "sip:bob@beacon.test", NULL, NULL));
  /* Read, they make room again. */
  for (guint i = 0; i < 7; i++)
    {
      g_autofree char *from = g_strdup_printf ("sip:stranger-%u@beacon.test", i);

      beacon_account_mark_read (account, from);
    }
  g_assert_true (beacon_account_admit_request (account, "sip:someone-new@beacon.test", NULL, NULL));
}

typedef struct {
  guint pending;
  guint other;
} Watchers;

static void
on_watcher (BeaconAccount *account,
            const char    *uri,
            const char    *status,
            Watchers      *seen)
{
  if (g_str_equal (status, "pending"))
    seen->pending++;
  else
    seen->other++;
}

static void
test_pending_bounded (void)
{
  g_autoptr(BeaconAccount) account = g_object_new (BEACON_TYPE_ACCOUNT, "aor", "sip:alice@beacon.test",
                                                   NULL);
  Watchers seen = { 0 };

  g_signal_connect (account, "watcher", G_CALLBACK (on_watcher), &seen);
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *uri = g_strdup_printf ("sip:w%u@beacon.test", i);

      beacon_account_emit_watcher (account, uri, "pending");
    }
  g_assert_cmpuint (seen.pending, ==, BEACON_ACCOUNT_PENDING_MAX);
  /* Those shown can be shown again (a new watcher-info full state). */
  beacon_account_emit_watcher (account, "sip:w0@beacon.test", "pending");
  g_assert_cmpuint (seen.pending, ==, BEACON_ACCOUNT_PENDING_MAX + 1);
  /* One answered makes room for the next. */
  beacon_account_emit_watcher (account, "sip:w0@beacon.test", "active");
  g_assert_cmpuint (seen.other, ==, 1);
  beacon_account_emit_watcher (account, "sip:w1999@beacon.test", "pending");
  g_assert_cmpuint (seen.pending, ==, BEACON_ACCOUNT_PENDING_MAX + 2);
  beacon_account_emit_watcher (account, "sip:w1998@beacon.test", "pending");
  g_assert_cmpuint (seen.pending, ==, BEACON_ACCOUNT_PENDING_MAX + 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/flood-guard/burst-then-rate", test_burst_then_rate);
  g_test_add_func ("/flood-guard/sources-apart", test_sources_apart);
  g_test_add_func ("/flood-guard/global", test_global);
  g_test_add_func ("/flood-guard/retry-after", test_retry_after);
  g_test_add_func ("/flood-guard/bounded-table", test_bounded_table);
  g_test_add_func ("/flood-guard/account", test_account);
  g_test_add_func ("/flood-guard/pending-bounded", test_pending_bounded);
  return g_test_run ();
}
