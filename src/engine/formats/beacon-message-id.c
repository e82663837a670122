/* beacon-message-id.c — message ids and the dedupe key of a received MESSAGE
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "beacon-message-id.h"

#include <string.h>

gboolean
beacon_message_id_is_valid (const char *id)
{
  gsize len = id ? strlen (id) : 0;

  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isalnum (id[i]) && id[i] != '-')
      return FALSE;
  return TRUE;
}

char *
beacon_message_dedupe_key (const char *from,
                           const char *message_id,
                           const char *call_id,
                           guint32     cseq)
{
  /* The sender's message id survives its restarts (the resend is a new
   * transaction: same Call-ID, new CSeq) and msilo (new Call-ID); tied
   * to the authenticated From, one sender cannot hide another's text. */
  if (from != NULL && beacon_message_id_is_valid (message_id))
    return g_strdup_printf ("id %s %s", from, message_id);
  /* Anyone else's: a retransmission the transaction layer did not absorb
   * (it came after the transaction ended, or by another route) repeats
   * both; two messages of one chat session differ in CSeq. The prefix
   * keeps a Call-ID like "id sip:bob@example.org" from forging the key of
   * one of Bob's message ids (found with fuzz-dedupe-key). */
  if (call_id != NULL && cseq != 0)
    return g_strdup_printf ("cid %s %u", call_id, cseq);
  return NULL;
}
