/* beacon-sip-buddy-presence.h — keeps the buddy list's presence current
 *
 * Subscribes to the user's resource list (RFC 4662: SUBSCRIBE to
 * sip:<user>-list@<domain> with Supported: eventlist) and applies every
 * full and partial RLMI notification to the BeaconBuddyList. Without a
 * resource list server — no Require: eventlist in the 2xx, 404/489 or a
 * final failure on the list URI, or a plain PIDF NOTIFY — it falls back to
 * one presence subscription per buddy of the local list. Buddies the list
 * does not hold (added locally) get a subscription of their own, too.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-buddy-list.h"
#include "beacon-sip-ua.h"

G_BEGIN_DECLS

#define BEACON_TYPE_SIP_BUDDY_PRESENCE (beacon_sip_buddy_presence_get_type ())
G_DECLARE_FINAL_TYPE (BeaconSipBuddyPresence, beacon_sip_buddy_presence, BEACON, SIP_BUDDY_PRESENCE, GObject)

/* @list_uri: the resource list; NULL: straight to per-buddy subscriptions. */
BeaconSipBuddyPresence *beacon_sip_buddy_presence_new         (BeaconSipUa             *ua,
                                                               BeaconBuddyList         *buddies,
                                                               const char              *list_uri,
                                                               guint                    expires);
void                    beacon_sip_buddy_presence_start       (BeaconSipBuddyPresence  *self);
/* TRUE while the resource list subscription serves us (not fallen back). */
gboolean                beacon_sip_buddy_presence_get_using_list (BeaconSipBuddyPresence *self);
/* Subscribes to @uri afresh (a new dialog) when it has a subscription
 * of its own: after an unblock, on either side (see
 * beacon-server-account.c). Buddies served by the resource list are left
 * to it. TRUE when a new SUBSCRIBE went out. */
gboolean                beacon_sip_buddy_presence_renew       (BeaconSipBuddyPresence  *self,
                                                               const char              *uri);
/* Unsubscribes everything (bounded waits). */
void                    beacon_sip_buddy_presence_stop_async  (BeaconSipBuddyPresence  *self,
                                                               GCancellable            *cancellable,
                                                               GAsyncReadyCallback      callback,
                                                               gpointer                 user_data);
gboolean                beacon_sip_buddy_presence_stop_finish (BeaconSipBuddyPresence  *self,
                                                               GAsyncResult            *result,
                                                               GError                 **error);

/* For tests and the account: applies one NOTIFY of the list subscription
 * (@content_type, @body) as if it had arrived. */
void                    beacon_sip_buddy_presence_apply_list_notify (BeaconSipBuddyPresence *self,
                                                                     const char             *content_type,
                                                                     GBytes                 *body);

G_END_DECLS
