/* fuzz-history-rows.c — libFuzzer target: rows of the chat history file
 * as Beacon reads them back (load, search, the unsent queue)
 *
 * The history is ours but can be damaged or edited by hand, and an old
 * table keeps whatever it was created with: the target replaces the
 * messages table with one without types or constraints and fills it with
 * rows decoded from the input, each value a NULL, an integer, a real, a
 * text or a blob. Whatever comes back must be a usable message: an id,
 * a peer, UTF-8 text, a known state, a time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history/beacon-history-private.h"
#include "fuzz-quiet.h"

#define CHECK(cond) do { if (!(cond)) abort (); } while (0)
#define ACCOUNT "sip:alice@beacon.test"
#define PEER    "sip:bob@beacon.test"
#define MAX_ROWS 16

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

typedef struct {
  const uint8_t *p, *end;
} Reader;

static guint8
take_byte (Reader *r)
{
  return r->p < r->end ? *r->p++ : 0;
}

static gint64
take_int (Reader *r)
{
  guint64 v = 0;

  for (guint i = 0; i < 8; i++)
    v = (v << 8) | take_byte (r);
  return (gint64) v;
}

/* One value, typed by its first byte. Columns 1 and 2 (account, peer)
 * are mostly the ones queried, so rows come back. */
static void
bind_value (sqlite3_stmt *stmt,
            int           column,
            Reader       *r)
{
  guint8 kind = take_byte (r);
  gsize len;

  switch (kind % 6)
    {
    case 0:
      sqlite3_bind_null (stmt, column);
      break;
    case 1:
      sqlite3_bind_int64 (stmt, column, take_int (r));
      break;
    case 2:
      {
        gint64 bits = take_int (r);
        double d;

        memcpy (&d, &bits, sizeof d);
        sqlite3_bind_double (stmt, column, d);
      }
      break;
    case 3:
    case 4:
      len = take_byte (r);  /* (not inside MIN: it would read twice) */
      len = MIN (len, (gsize) (r->end - r->p));
      if (kind % 6 == 3)
        sqlite3_bind_text (stmt, column, (const char *) r->p, (int) len, SQLITE_TRANSIENT);
      else
        sqlite3_bind_blob (stmt, column, r->p, (int) len, SQLITE_TRANSIENT);
      r->p += len;
      break;
    default:
      sqlite3_bind_text (stmt, column, column == 2 ? PEER : ACCOUNT, -1, SQLITE_STATIC);
      break;
    }
}

static void
check_messages (GPtrArray *messages)
{
  CHECK (messages != NULL);
  for (guint i = 0; i < messages->len; i++)
    {
      BeaconChatMessage *m = g_ptr_array_index (messages, i);
      const char *id = beacon_chat_message_get_id (m);
      const char *text = beacon_chat_message_get_text (m);
      const char *peer = beacon_history_peer_of (m);
      BeaconMessageState state = beacon_chat_message_get_state (m);

      CHECK (id != NULL && id[0] != '\0' && g_utf8_validate (id, -1, NULL));
      CHECK (text != NULL && g_utf8_validate (text, -1, NULL));
      CHECK (peer != NULL && peer[0] != '\0' && g_utf8_validate (peer, -1, NULL));
      CHECK (state >= BEACON_MESSAGE_SENDING && state <= BEACON_MESSAGE_FAILED);
      CHECK (beacon_chat_message_get_time (m) != NULL);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static BeaconHistory *history;
  static const int column_for[] = { 1, 2, 3, 4, 5, 6, 7, 8 };  /* id ... code */
  Reader r = { data, data + size };
  sqlite3 *db;
  sqlite3_stmt *insert = NULL;
  g_autoptr(GPtrArray) loaded = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) unsent = NULL;

  fuzz_quiet ();
  if (history == NULL)
    {
      history = beacon_history_open (":memory:", NULL, NULL);
      CHECK (history != NULL);
    }
  db = beacon_history_get_db (history);
  CHECK (sqlite3_exec (db, "DROP TABLE IF EXISTS messages;"
                           "CREATE TABLE messages (id, account, peer, outgoing, text, time,"
                           " state, code, dedupe);", NULL, NULL, NULL) == SQLITE_OK);
  CHECK (sqlite3_prepare_v2 (db, "INSERT INTO messages (id, account, peer, outgoing, text, time,"
                                 " state, code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             -1, &insert, NULL) == SQLITE_OK);
  for (guint row = 0; row < MAX_ROWS && r.p < r.end; row++)
    {
      for (guint c = 0; c < G_N_ELEMENTS (column_for); c++)
        bind_value (insert, column_for[c], &r);
      CHECK (sqlite3_step (insert) == SQLITE_DONE);
      sqlite3_reset (insert);
      sqlite3_clear_bindings (insert);
    }
  sqlite3_finalize (insert);

  loaded = beacon_history_load (history, ACCOUNT, PEER, NULL, 50, NULL);
  found = beacon_history_search (history, ACCOUNT, "a", 50, NULL);
  unsent = beacon_history_unsent (history, ACCOUNT, NULL);
  check_messages (loaded);
  check_messages (found);
  check_messages (unsent);
  return 0;
}
