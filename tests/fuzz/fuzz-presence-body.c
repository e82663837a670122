/* fuzz-presence-body.c — libFuzzer target for what a presence NOTIFY carries
 *
 * The input is a whole NOTIFY (the corpus is the captured Kamailio and seed
 * messages): its Content-Type and body go to beacon_sip_presence_body_parse,
 * the engine's one entry point for list (multipart/related + RLMI + PIDF)
 * and single (PIDF) notifications. Input that is not a SIP message is tried
 * as a bare PIDF and as a bare multipart body. Nothing may crash or leak,
 * and every update a parse returns must be well formed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/beacon-sip-message.h"
#include "formats/beacon-sip-presence-body.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
parse_one (const char *content_type,
           const char *body,
           gsize       len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BeaconSipPresenceBody) parsed = NULL;

  parsed = beacon_sip_presence_body_parse (content_type, body, len, "sip:alice@beacon.test", &error);
  if (parsed == NULL)
    {
      /* A failure always says why. */
      if (error == NULL || error->message == NULL || error->message[0] == '\0')
        abort ();
      return;
    }
  for (guint i = 0; i < parsed->updates->len; i++)
    {
      BeaconSipPresenceUpdate *update = g_ptr_array_index (parsed->updates, i);

      if (update->uri == NULL || !g_utf8_validate (update->uri, -1, NULL))
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BeaconSipMessage) msg = beacon_sip_message_parse ((const char *) data, size, NULL);

  if (msg != NULL)
    {
      const char *content_type = beacon_sip_message_get_header (msg, "Content-Type");
      gsize len;
      const char *body = g_bytes_get_data (msg->body, &len);

      parse_one (content_type != NULL ? content_type : "application/pidf+xml", body, len);
      return 0;
    }
  parse_one ("application/pidf+xml", (const char *) data, size);
  parse_one ("multipart/related;type=\"application/rlmi+xml\";boundary=\"b\"",
             (const char *) data, size);
  return 0;
}
