/* beacon-sip-ua-private.h — BeaconSipUa's sofia-sip side, for src/engine/sip/ only
 *
 * Every nua handle of an account is wrapped in a BeaconSipHandle: the UA
 * routes the handle's events to its owner's function, answers 401/407
 * challenges with the account's credentials on the owner's behalf, and
 * detaches all handles when the stack shuts down.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_tag.h>

#include "beacon-sip-ua.h"

G_BEGIN_DECLS

typedef struct _BeaconSipHandle BeaconSipHandle;

/* An event of the handle's nua handle: responses (nua_r_*) and in-dialog
 * requests (nua_i_notify). 401/407 answers reach the owner only when
 * authentication failed for good. */
typedef void (*BeaconSipEventFunc)  (gpointer          owner,
                                     nua_event_t       event,
                                     int               status,
                                     const char       *phrase,
                                     const sip_t      *sip,
                                     tagi_t            tags[]);
/* The stack went away under the handle (shutdown): no event will come. */
typedef void (*BeaconSipDetachFunc) (gpointer          owner);

/* A nua handle towards @to_uri (also its Request-URI) owned by @owner.
 * NULL with BEACON_SIP_ERROR_INVALID_URI or _STOPPED (not started). */
BeaconSipHandle *beacon_sip_ua_handle_new   (BeaconSipUa          *self,
                                             const char           *to_uri,
                                             BeaconSipEventFunc    func,
                                             BeaconSipDetachFunc   detach,
                                             gpointer              owner,
                                             GError              **error);
/* NULL once the stack went away. */
nua_handle_t    *beacon_sip_handle_get_nh   (BeaconSipHandle      *handle);
/* Destroys the nua handle (no more events) and frees @handle. May be called
 * from the handle's own event function. */
void             beacon_sip_handle_free     (BeaconSipHandle      *handle);

/* Helpers for the objects of this area. */
char            *beacon_sip_url_string      (const url_t          *url);
/* The whole Content-Type value, parameters included ("multipart/related;
 * type=...;boundary=..."), or NULL. */
char            *beacon_sip_content_type_string (const sip_content_type_t *content_type);
/* beacon_sip_ua_dedupe_key() of an incoming MESSAGE from @from (the
 * message id from its BEACON_SIP_MESSAGE_ID_HEADER or Call-ID). */
char            *beacon_sip_message_dedupe_key (const sip_t       *sip,
                                                const char        *from);
/* The body of @sip (empty when it has none). */
GBytes          *beacon_sip_payload_bytes   (const sip_t          *sip);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSipHandle, beacon_sip_handle_free)

G_END_DECLS
