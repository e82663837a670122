/* beacon-message-text.h — the text a user sees from a MESSAGE body
 *
 * Pure functions from a Content-Type value and body bytes to UTF-8 text
 * (NULL: nothing to show), one per mode, fuzzed by fuzz-message-text.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Server mode: text/plain (UTF-8 checked, other charsets converted with
 * iconv; bytes that are not text in the charset: NULL) or message/cpim
 * (its text). No Content-Type reads as text/plain; UTF-8. */
char *beacon_message_text_from_server   (const char *content_type,
                                         const char *data,
                                         gsize       len);
/* LAN mode: text/plain (made valid UTF-8) or message/cpim carrying
 * text/plain; IMDN and other CPIM payloads give NULL. In both modes a
 * body with a NUL byte gives NULL: the text would be cut there. */
char *beacon_message_text_from_lan_peer (const char *content_type,
                                         const char *data,
                                         gsize       len);

G_END_DECLS
