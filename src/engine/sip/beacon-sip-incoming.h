/* beacon-sip-incoming.h — what an incoming MESSAGE carries, read from
 * sofia-sip's parsed message
 *
 * The one step between sofia-sip and the engine for a MESSAGE, shared by
 * the server-mode UA and the LAN agent and fed by the fuzz target
 * fuzz-sip-incoming with whole messages from sofia-sip's own parser.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include <sofia-sip/sip.h>
#include <sofia-sip/url.h>

G_BEGIN_DECLS

typedef struct {
  char   *from;          /* the sender, as @from_of made it */
  char   *content_type;  /* the whole Content-Type value, or NULL */
  GBytes *body;          /* never NULL (empty when there is none) */
  char   *dedupe_key;    /* see beacon_sip_ua_dedupe_key(), or NULL */
} BeaconSipIncoming;

/* Turns a From URL into the sender's address, NULL when it is not one. */
typedef char *(*BeaconSipFromFunc) (const url_t *url);

/* NULL when @sip has no From or @from_of refuses it. */
BeaconSipIncoming *beacon_sip_incoming_new  (const sip_t         *sip,
                                             BeaconSipFromFunc    from_of);
void               beacon_sip_incoming_free (BeaconSipIncoming   *incoming);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSipIncoming, beacon_sip_incoming_free)

G_END_DECLS
