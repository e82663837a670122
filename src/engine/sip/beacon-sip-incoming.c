/* beacon-sip-incoming.c — an incoming MESSAGE's sender, type, body and
 * dedupe key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-sip-incoming.h"


BeaconSipIncoming *
beacon_sip_incoming_new (const sip_t       *sip,
                         BeaconSipFromFunc  from_of)
{
  BeaconSipIncoming *incoming;
  char *from;

  g_return_val_if_fail (from_of != NULL, NULL);

  if (sip == NULL || sip->sip_from == NULL)
    return NULL;
  from = from_of (sip->sip_from->a_url);
  if (from == NULL)
    return NULL;
  incoming = g_new0 (BeaconSipIncoming, 1);
  incoming->from = from;
  incoming->dedupe_key = beacon_sip_message_dedupe_key (sip, from);
  incoming->content_type = beacon_sip_content_type_string (sip->sip_content_type);
  incoming->body = beacon_sip_payload_bytes (sip);
  return incoming;
}

void
beacon_sip_incoming_free (BeaconSipIncoming *incoming)
{
  if (incoming == NULL)
    return;
  g_free (incoming->from);
  g_free (incoming->content_type);
  g_bytes_unref (incoming->body);
  g_free (incoming->dedupe_key);
  g_free (incoming);
}
