/* fuzz-sip-incoming.c — libFuzzer target: a whole SIP message through
 * sofia-sip's parser (the one nua uses) into the dispatch the network
 * uses for an incoming MESSAGE
 *
 * msg_make() with sip_default_mclass() reads the bytes as a datagram
 * would be read; a request then goes through beacon_sip_incoming_new()
 * as the server UA (From as a URI) and as the LAN agent (From as an AOR)
 * take it, and its body through both modes' text dispatch. The sender,
 * dedupe key and text handed on must be well formed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sofia-sip/msg.h>
#include <sofia-sip/sip_header.h>

#include "formats/beacon-message-text.h"
#include "fuzz-quiet.h"
#include "sip/beacon-sip-core.h"
#include "sip/beacon-sip-incoming.h"

#define CHECK(cond) do { if (!(cond)) abort (); } while (0)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
dispatch (const sip_t       *sip,
          BeaconSipFromFunc  from_of,
          gboolean           lan)
{
  g_autoptr(BeaconSipIncoming) in = beacon_sip_incoming_new (sip, from_of);
  g_autofree char *text = NULL;
  gsize len;
  const char *body;

  if (in == NULL)
    return;
  CHECK (in->from != NULL && in->body != NULL);
  CHECK (in->dedupe_key == NULL || in->dedupe_key[0] != '\0');
  body = g_bytes_get_data (in->body, &len);
  text = lan ? beacon_message_text_from_lan_peer (in->content_type, body, len)
             : beacon_message_text_from_server (in->content_type, body, len);
  CHECK (text == NULL || g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  msg_t *msg;
  sip_t *sip;

  fuzz_quiet ();
  msg = msg_make (sip_default_mclass (), 0, data, size);
  if (msg == NULL)
    return 0;
  sip = sip_object (msg);
  if (sip != NULL && sip->sip_request != NULL)
    {
      dispatch (sip, beacon_sip_url_string, FALSE);
      dispatch (sip, beacon_sip_url_aor, TRUE);
    }
  msg_destroy (msg);
  return 0;
}
