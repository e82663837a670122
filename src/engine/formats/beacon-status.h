/* beacon-status.h — the presence status a user sees, and where our
 * subscription to it stands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  BEACON_STATUS_OFFLINE,
  BEACON_STATUS_ONLINE,
  BEACON_STATUS_AWAY,
  BEACON_STATUS_BUSY,
} BeaconStatus;

/* Where our subscription to the buddy's presence stands. */
typedef enum {
  BEACON_SUBSCRIPTION_NONE,     /* not subscribed (yet) */
  BEACON_SUBSCRIPTION_PENDING,  /* waiting for the buddy's authorisation */
  BEACON_SUBSCRIPTION_ACTIVE,   /* presence flows */
  BEACON_SUBSCRIPTION_REJECTED, /* the buddy refused */
} BeaconSubscription;

const char *beacon_status_to_string   (BeaconStatus  status);
gboolean    beacon_status_from_string (const char   *str,
                                       BeaconStatus *out);
/* How reachable @status is, lower first: online, busy (can still read a
 * message), away (probably later), offline. The buddy list sorts by it and
 * a PIDF with several equal tuples shows the most reachable. */
int         beacon_status_rank        (BeaconStatus  status);

G_END_DECLS
