/* beacon-message-id.h — the ids that let one text be stored once
 *
 * A Beacon sender names each message (letters, digits and '-', at most
 * 64) and sends it again with the same id after a crash; msilo replays
 * it with the id too. The receiver stores a MESSAGE under a dedupe key
 * made here. Pure functions, fuzzed by fuzz-dedupe-key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Letters, digits and '-', 1 to 64 of them. */
gboolean  beacon_message_id_is_valid  (const char *id);

/* The key under which a received MESSAGE is stored once: the sender's
 * message id (header or derived Call-ID) with its From URI when it has
 * one, else "Call-ID CSeq"; NULL when there is neither. */
char     *beacon_message_dedupe_key   (const char *from,
                                       const char *message_id,
                                       const char *call_id,
                                       guint32     cseq);

G_END_DECLS
