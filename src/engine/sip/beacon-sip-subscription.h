/* beacon-sip-subscription.h — one SUBSCRIBE dialog that keeps itself alive
 *
 * SUBSCRIBE to a URI for an event package (presence, presence.winfo, a
 * resource list with eventlist), refreshed in-dialog before it expires
 * (sofia-sip's nua does that with the Expires the server granted), every
 * NOTIFY body handed to the owner, and the RFC 6665 termination reasons
 * acted upon:
 *   deactivated, timeout   → subscribe again at once
 *   probation, giveup, none → subscribe again after Retry-After or a backoff
 *   rejected, noresource   → give up: "terminated"
 * Failed requests are retried with a bounded backoff when the failure may
 * pass (408, 5xx, no answer) and end in "terminated" otherwise.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-sip-ua.h"

G_BEGIN_DECLS

typedef enum {
  BEACON_SIP_SUBSCRIPTION_IDLE,        /* not started, or stopped */
  BEACON_SIP_SUBSCRIPTION_SUBSCRIBING, /* SUBSCRIBE sent, no NOTIFY yet */
  BEACON_SIP_SUBSCRIPTION_PENDING,     /* the notifier waits for authorisation */
  BEACON_SIP_SUBSCRIPTION_ACTIVE,
  BEACON_SIP_SUBSCRIPTION_RETRYING,    /* ended; a new SUBSCRIBE is scheduled */
  BEACON_SIP_SUBSCRIPTION_TERMINATED,  /* ended for good, see "terminated" */
} BeaconSipSubscriptionState;

#define BEACON_TYPE_SIP_SUBSCRIPTION_STATE (beacon_sip_subscription_state_get_type ())
GType beacon_sip_subscription_state_get_type (void);

#define BEACON_TYPE_SIP_SUBSCRIPTION (beacon_sip_subscription_get_type ())
G_DECLARE_FINAL_TYPE (BeaconSipSubscription, beacon_sip_subscription, BEACON, SIP_SUBSCRIPTION, GObject)

/* @accept: the Accept header value; @eventlist: send Supported: eventlist
 * (RFC 4662) for a resource list. @expires: seconds asked for. */
BeaconSipSubscription      *beacon_sip_subscription_new          (BeaconSipUa            *ua,
                                                                  const char             *uri,
                                                                  const char             *event,
                                                                  const char             *accept,
                                                                  gboolean                eventlist,
                                                                  guint                   expires);
/* The same on any mode's core (beacon-sip-core.h); @target: the
 * Request-URI when it is not @uri (a LAN peer's endpoint), or NULL. */
typedef struct _BeaconSipCore BeaconSipCore;
BeaconSipSubscription      *beacon_sip_subscription_new_on_core  (BeaconSipCore          *core,
                                                                  const char             *uri,
                                                                  const char             *target,
                                                                  const char             *event,
                                                                  const char             *accept,
                                                                  gboolean                eventlist,
                                                                  guint                   expires);
/* FALSE: the subscription never subscribes again by itself; every end
 * (a refusal, a terminated NOTIFY whatever the reason, a lost dialog) is
 * "terminated", and the owner decides (the LAN agent's friends come back
 * through discovery). Default TRUE. */
void                        beacon_sip_subscription_set_retry    (BeaconSipSubscription  *self,
                                                                  gboolean                retry);
/* In a "terminated" handler: the Retry-After (seconds) the notifier gave
 * with the end, 0 when none. */
guint                       beacon_sip_subscription_get_retry_after (BeaconSipSubscription *self);

const char                 *beacon_sip_subscription_get_uri      (BeaconSipSubscription  *self);
const char                 *beacon_sip_subscription_get_event    (BeaconSipSubscription  *self);
BeaconSipSubscriptionState  beacon_sip_subscription_get_state    (BeaconSipSubscription  *self);
/* TRUE once a 2xx or NOTIFY said Require: eventlist (RLS is serving us). */
gboolean                    beacon_sip_subscription_get_eventlist (BeaconSipSubscription *self);

void                        beacon_sip_subscription_start        (BeaconSipSubscription  *self);
/* Sends a refresh now (in-dialog when there is one): the server answers
 * with a full-state NOTIFY. Used when a partial notification was missed. */
void                        beacon_sip_subscription_refresh      (BeaconSipSubscription  *self);
/* Unsubscribes (Expires: 0) and waits, bounded, for the answer. */
void                        beacon_sip_subscription_stop_async   (BeaconSipSubscription  *self,
                                                                  GCancellable           *cancellable,
                                                                  GAsyncReadyCallback     callback,
                                                                  gpointer                user_data);
gboolean                    beacon_sip_subscription_stop_finish  (BeaconSipSubscription  *self,
                                                                  GAsyncResult           *result,
                                                                  GError                **error);

G_END_DECLS
