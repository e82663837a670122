/* beacon-sip-publication.h — one event state publication (RFC 3903)
 *
 * The four kinds of PUBLISH: initial (with the document), modify (a new
 * document with SIP-If-Match), refresh (no body, SIP-If-Match, before the
 * granted Expires runs out) and remove (Expires: 0). A 412 (the server
 * forgot our entity-tag) starts again with an initial PUBLISH; transient
 * failures are retried with a bounded backoff; one request at a time.
 *
 * Why not nua_publish(): the sofia-sip of Debian 12 (1.12.11, 2011)
 * restarts a 412'd PUBLISH itself, but also reports the 412 as final,
 * never reports the restarted request's 200 and forgets its entity-tag:
 * the new publication is stranded on the server until it expires and the
 * next refresh is another initial PUBLISH. So the requests are sent with
 * nua_method() and the entity-tag and refresh timer are kept here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-sip-ua.h"

G_BEGIN_DECLS

#define BEACON_TYPE_SIP_PUBLICATION (beacon_sip_publication_get_type ())
G_DECLARE_FINAL_TYPE (BeaconSipPublication, beacon_sip_publication, BEACON, SIP_PUBLICATION, GObject)

BeaconSipPublication *beacon_sip_publication_new           (BeaconSipUa           *ua,
                                                            const char            *event,
                                                            const char            *content_type,
                                                            guint                  expires);

/* Publishes @body: initial when nothing is published, else a modify. */
void                  beacon_sip_publication_publish       (BeaconSipPublication  *self,
                                                            GBytes                *body);
/* After the account registered again (the server was lost): publishes
 * @body now, whatever was in flight or waiting for a retry. */
void                  beacon_sip_publication_resume   (BeaconSipPublication *self,
                                                       GBytes               *body);
/* TRUE while the server holds our state (a 2xx, not removed since). */
gboolean              beacon_sip_publication_get_published (BeaconSipPublication  *self);
/* The last SIP-ETag the server gave, or NULL. */
const char           *beacon_sip_publication_get_etag      (BeaconSipPublication  *self);

/* Removes the publication (PUBLISH with Expires: 0) and waits, bounded,
 * for the answer. A later publish() starts a new one. */
void                  beacon_sip_publication_remove_async  (BeaconSipPublication  *self,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              beacon_sip_publication_remove_finish (BeaconSipPublication  *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

/* Testing aid: makes the server lose our publication (a remove sent
 * behind our back) while we keep @etag as if it were ours, as after a
 * server restart. The next modify or refresh gets 412 and must recover
 * with an initial PUBLISH. */
void                  beacon_sip_publication_use_stale_etag (BeaconSipPublication *self,
                                                             const char           *etag);

G_END_DECLS
