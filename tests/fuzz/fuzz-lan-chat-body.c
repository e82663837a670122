/* fuzz-lan-chat-body.c — libFuzzer target: a LAN peer's MESSAGE body to
 * the text shown (beacon_message_text_from_lan_peer)
 *
 * The input's first line is the Content-Type value (an empty line: none),
 * the rest the body. Text handed out is valid UTF-8 and, for a plain body,
 * never cut short.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/beacon-message-text.h"
#include "fuzz-quiet.h"

#define CHECK(cond) do { if (!(cond)) abort (); } while (0)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *nl = memchr (data, '\n', size);
  gsize type_len = nl ? (gsize) (nl - (const char *) data) : 0;
  g_autofree char *content_type = nl && type_len > 0 ? g_strndup ((const char *) data, type_len) : NULL;
  const char *body = nl ? nl + 1 : (const char *) data;
  gsize len = size - (body - (const char *) data);
  g_autofree char *text = NULL;

  fuzz_quiet ();
  text = beacon_message_text_from_lan_peer (content_type, body, len);
  if (text == NULL)
    return 0;
  CHECK (g_utf8_validate (text, -1, NULL));
  /* Valid UTF-8 without a NUL comes out as it went in. */
  if (content_type == NULL && g_utf8_validate_len (body, len, NULL))
    CHECK (strlen (text) == len && memcmp (text, body, len) == 0);
  return 0;
}
