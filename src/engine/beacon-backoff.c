/* beacon-backoff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-backoff.h"

void
beacon_backoff_init (BeaconBackoff *backoff,
                     guint          min_ms,
                     guint          max_ms)
{
  g_return_if_fail (backoff != NULL);
  g_return_if_fail (min_ms > 0 && min_ms <= max_ms);

  backoff->min_ms = min_ms;
  backoff->max_ms = max_ms;
  beacon_backoff_reset (backoff);
}

guint
beacon_backoff_next (BeaconBackoff *backoff)
{
  guint delay;

  g_return_val_if_fail (backoff != NULL, BEACON_BACKOFF_MAX_MS);

  delay = backoff->next_ms;
  backoff->next_ms = delay > backoff->max_ms / 2 ? backoff->max_ms : delay * 2;
  backoff->failures++;
  return delay;
}

guint
beacon_backoff_next_with_hint (BeaconBackoff *backoff,
                               guint          retry_after_s)
{
  guint delay = beacon_backoff_next (backoff);

  if (retry_after_s > 0)
    {
      guint64 hinted = (guint64) retry_after_s * 1000;
      /* The server knows best when it will be back, but a huge value
       * must not park the account for hours. */
      delay = (guint) MIN (hinted, (guint64) backoff->max_ms);
    }
  return delay;
}

void
beacon_backoff_reset (BeaconBackoff *backoff)
{
  g_return_if_fail (backoff != NULL);

  backoff->next_ms = backoff->min_ms;
  backoff->failures = 0;
}
