/* fuzz-message-text.c — libFuzzer target: the server account's
 * content-type and CPIM dispatch (beacon_message_text_from_server)
 *
 * The input's first line is the Content-Type value (an empty line: none),
 * the rest the body. Text handed out is valid UTF-8 without a NUL, and a
 * UTF-8 text/plain body comes out whole.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/beacon-message-text.h"
#include "formats/beacon-sip-header.h"
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
  text = beacon_message_text_from_server (content_type, body, len);
  if (text == NULL)
    return 0;
  CHECK (g_utf8_validate (text, -1, NULL));
  if (content_type == NULL)
    CHECK (strlen (text) == len && memcmp (text, body, len) == 0);
  return 0;
}
