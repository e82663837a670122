/* fuzz-dedupe-key.c — libFuzzer target: the dedupe keys of incoming
 * MESSAGEs (beacon_message_dedupe_key)
 *
 * The input holds two messages, each as From, message id, Call-ID and
 * CSeq (NUL-separated strings, then the CSeq in the 4 bytes after them).
 * A key is what the history's UNIQUE column compares, so two messages get
 * the same key only when they are the same message: the same sender and
 * message id, or (no valid id) the same Call-ID and CSeq. Anything else
 * would let one message hide another, a stranger's hide a friend's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/beacon-message-id.h"

#define CHECK(cond) do { if (!(cond)) abort (); } while (0)

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
  char    *from, *id, *call_id;
  guint32  cseq;
  char    *key;
} Message;

static char *
take_string (const char **p,
             const char  *end)
{
  const char *nul = memchr (*p, '\0', end - *p);
  char *s;

  if (*p >= end)
    return NULL;
  s = g_strndup (*p, (nul ? nul : end) - *p);
  *p = nul ? nul + 1 : end;
  return s[0] == '\0' ? (g_free (s), NULL) : s;
}

static void
take_message (Message     *m,
              const char **p,
              const char  *end)
{
  m->from = take_string (p, end);
  m->id = take_string (p, end);
  m->call_id = take_string (p, end);
  m->cseq = 0;
  for (guint i = 0; i < 4 && *p < end; i++, (*p)++)
    m->cseq = (m->cseq << 8) | (guint8) **p;
  m->key = beacon_message_dedupe_key (m->from, m->id, m->call_id, m->cseq);
}

static void
clear_message (Message *m)
{
  g_free (m->from);
  g_free (m->id);
  g_free (m->call_id);
  g_free (m->key);
}

/* Whether the key came from the message id: keyed on (From, id). */
static gboolean
by_id (const Message *m)
{
  g_autofree char *without = beacon_message_dedupe_key (m->from, NULL, m->call_id, m->cseq);

  return m->key != NULL && g_strcmp0 (without, m->key) != 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *p = (const char *) data, *end = p + size;
  Message a, b;

  take_message (&a, &p, end);
  take_message (&b, &p, end);

  CHECK (a.key == NULL || a.key[0] != '\0');
  CHECK (b.key == NULL || b.key[0] != '\0');
  if (a.key != NULL && b.key != NULL && g_str_equal (a.key, b.key))
    {
      CHECK (by_id (&a) == by_id (&b));
      if (by_id (&a))
        CHECK (g_str_equal (a.from, b.from) && g_str_equal (a.id, b.id));
      else
        CHECK (g_str_equal (a.call_id, b.call_id) && a.cseq == b.cseq);
    }
  clear_message (&a);
  clear_message (&b);
  return 0;
}
