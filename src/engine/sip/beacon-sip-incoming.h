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

#include "beacon-sip-core.h"

G_BEGIN_DECLS

typedef struct {
  char   *from;          /* the sender, as @from_of made it */
  char   *content_type;  /* the whole Content-Type value, or NULL */
  GBytes *body;          /* never NULL (empty when there is none) */
  char   *dedupe_key;    /* see beacon_message_dedupe_key(), or NULL */
} BeaconSipIncoming;

/* NULL when @sip has no From or @from_of refuses it. */
BeaconSipIncoming *beacon_sip_incoming_new  (const sip_t         *sip,
                                             BeaconSipFromFunc    from_of);
void               beacon_sip_incoming_free (BeaconSipIncoming   *incoming);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconSipIncoming, beacon_sip_incoming_free)

G_END_DECLS
