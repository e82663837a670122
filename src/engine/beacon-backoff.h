/* beacon-backoff.h — bounded exponential delays between retries
 *
 * Used after a failed REGISTER, SUBSCRIBE or PUBLISH: 1 s, 2 s, 4 s … up
 * to a maximum (60 s by default), back to the minimum after a success.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BEACON_BACKOFF_MIN_MS  1000
#define BEACON_BACKOFF_MAX_MS  60000

typedef struct {
  guint min_ms;
  guint max_ms;
  guint next_ms;   /* the delay next() returns next time */
  guint failures;  /* consecutive failures since the last reset */
} BeaconBackoff;

void  beacon_backoff_init  (BeaconBackoff *backoff,
                                guint             min_ms,
                                guint             max_ms);
/* The delay to wait now, in ms; doubles the next one up to max_ms. */
guint beacon_backoff_next  (BeaconBackoff *backoff);
/* Like next(), but a server's Retry-After (seconds, 0 = none) wins while
 * it stays within max_ms. */
guint beacon_backoff_next_with_hint (BeaconBackoff *backoff,
                                         guint             retry_after_s);
void  beacon_backoff_reset (BeaconBackoff *backoff);

G_END_DECLS
