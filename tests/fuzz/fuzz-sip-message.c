/* fuzz-sip-message.c — libFuzzer target: one SIP message, then its
 * multipart body (and nested multiparts, bounded by the parser's depth)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <stdint.h>

#include "formats/beacon-multipart.h"
#include "formats/beacon-sip-message.h"

static void
walk (const BeaconMultipart *mp)
{
  for (guint i = 0; i < mp->parts->len; i++)
    {
      BeaconMultipartPart *part = g_ptr_array_index (mp->parts, i);
      g_autoptr(BeaconMultipart) nested = NULL;

      beacon_multipart_find_by_cid (mp, part->content_id);
      if (!beacon_multipart_part_is_multipart (part))
        continue;
      nested = beacon_multipart_parse_part (mp, part, NULL);
      if (nested != NULL)
        walk (nested);
    }
  beacon_multipart_get_root (mp, NULL);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BeaconSipMessage) msg = NULL;
  g_autoptr(BeaconSipContentType) ct = NULL;
  g_autoptr(BeaconMultipart) mp = NULL;
  const char *body;
  gsize len;

  msg = beacon_sip_message_parse ((const char *) data, size, NULL);
  if (msg == NULL)
    return 0;

  /* The header helpers, on every value the message has. */
  for (guint i = 0; i < msg->headers->len; i++)
    {
      BeaconSipHeader *header = g_ptr_array_index (msg->headers, i);
      g_autofree char *param = beacon_sip_header_param (header->value, "expires");
      g_autofree char *token = beacon_sip_header_value_token (header->value);
      g_auto(GStrv) items = beacon_sip_header_split_list (header->value);
      g_autofree char *display = NULL;
      g_autofree char *uri = NULL;

      beacon_sip_header_parse_name_addr (header->value, &display, &uri);
      /* Results only matter to the sanitizers: they must be readable. */
      if (param != NULL && token != NULL && items != NULL)
        g_assert (strlen (param) + strlen (token) + g_strv_length (items) < G_MAXSIZE);
    }
  beacon_sip_message_get_cseq (msg, NULL, NULL);

  ct = beacon_sip_message_get_content_type (msg, NULL);
  if (ct == NULL || !g_str_has_prefix (ct->media_type, "multipart/"))
    return 0;
  body = g_bytes_get_data (msg->body, &len);
  mp = beacon_multipart_parse (beacon_sip_message_get_header (msg, "Content-Type"), body, len, NULL);
  if (mp != NULL)
    walk (mp);
  return 0;
}
