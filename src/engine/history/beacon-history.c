/* beacon-history.c — chat history and the unsent queue, in SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "beacon-history"

#include "beacon-history-private.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "beacon-enums.h"

#define SCHEMA_VERSION 1

struct _BeaconHistory
{
  GObject  parent_instance;

  sqlite3 *db;
  char    *path;
};

G_DEFINE_QUARK (beacon-history-error-quark, beacon_history_error)
G_DEFINE_FINAL_TYPE (BeaconHistory, beacon_history, G_TYPE_OBJECT)

static const char schema[] =
  "CREATE TABLE IF NOT EXISTS messages ("
  "  id TEXT PRIMARY KEY,"
  "  account TEXT NOT NULL,"
  "  peer TEXT NOT NULL,"
  "  outgoing INTEGER NOT NULL,"
  "  text TEXT NOT NULL,"
  "  time INTEGER NOT NULL,"         /* µs since the epoch, UTC */
  "  state INTEGER NOT NULL,"
  "  code INTEGER NOT NULL DEFAULT 0,"
  "  dedupe TEXT UNIQUE"             /* sender's Call-ID + CSeq, incoming only */
  ");"
  "CREATE INDEX IF NOT EXISTS messages_by_peer ON messages (account, peer, time);"
  "CREATE INDEX IF NOT EXISTS messages_by_state ON messages (account, outgoing, state);"
  /* Up to when the user read each conversation (µs since the epoch, UTC).
   * The row ('', '') says when this table appeared: what was received
   * before counts as read. */
  "CREATE TABLE IF NOT EXISTS read_marks ("
  "  account TEXT NOT NULL,"
  "  peer TEXT NOT NULL,"
  "  read_until INTEGER NOT NULL,"
  "  PRIMARY KEY (account, peer)"
  ");"
  "INSERT OR IGNORE INTO read_marks VALUES ('', '', CAST(strftime('%s', 'now') AS INTEGER) * 1000000);";

/* The *_usec GDateTime functions arrived in GLib 2.80; Debian 12 has 2.74. */
static gint64
to_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

/* A time from the file as the local time it shows: one GDateTime cannot
 * hold (a damaged or hand-edited row) reads as the epoch. */
static GDateTime *
local_from_usec (gint64 usec)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) time = seconds ? g_date_time_add (seconds, usec % G_USEC_PER_SEC) : NULL;
  GDateTime *local = time ? g_date_time_to_local (time) : NULL;

  return local != NULL ? local : g_date_time_new_from_unix_local (0);
}

static void
beacon_history_finalize (GObject *object)
{
  BeaconHistory *self = BEACON_HISTORY (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (beacon_history_parent_class)->finalize (object);
}

static void
beacon_history_class_init (BeaconHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = beacon_history_finalize;
}

static void
beacon_history_init (BeaconHistory *self)
{
}

static gboolean
fail (sqlite3     *db,
      int          code,
      const char  *what,
      GError     **error)
{
  g_set_error (error, BEACON_HISTORY_ERROR, code, "Chat history: %s: %s", what,
               db ? sqlite3_errmsg (db) : "out of memory");
  return FALSE;
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, BEACON_HISTORY_ERROR, BEACON_HISTORY_ERROR_WRITE,
                   "Chat history: %s", message ? message : "unknown error");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Opens and checks the file; FALSE with CORRUPT when it is not a usable
 * history (damaged, or not a database at all). */
static sqlite3 *
open_checked (const char  *path,
              GError     **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;
  int version = 0;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      fail (db, BEACON_HISTORY_ERROR_OPEN, path, error);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 2000);

  ok = sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) == SQLITE_OK &&
       sqlite3_step (stmt) == SQLITE_ROW &&
       g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  if (!ok)
    {
      g_set_error (error, BEACON_HISTORY_ERROR, BEACON_HISTORY_ERROR_CORRUPT,
                   "Chat history %s is damaged: %s", path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }

  /* WAL: a crash loses no committed message, and readers never block the
   * writer. synchronous=FULL: committed means on disk. */
  if (!exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", error) ||
      !exec (db, schema, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (version > SCHEMA_VERSION)
    {
      g_set_error (error, BEACON_HISTORY_ERROR, BEACON_HISTORY_ERROR_OPEN,
                   "Chat history %s was written by a newer Beacon (format %d)", path, version);
      sqlite3_close (db);
      return NULL;
    }
  if (version < SCHEMA_VERSION &&
      !exec (db, "PRAGMA user_version = " G_STRINGIFY (SCHEMA_VERSION), error))
    {
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

BeaconHistory *
beacon_history_open (const char  *path,
                     GError     **recovered,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(BeaconHistory) self = NULL;
  g_autofree char *dir = NULL;
  sqlite3 *db;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, BEACON_HISTORY_ERROR, BEACON_HISTORY_ERROR_OPEN,
                   "Chat history: cannot create %s: %s", dir, g_strerror (errno));
      return NULL;
    }

  db = open_checked (path, &local_error);
  if (db == NULL && g_error_matches (local_error, BEACON_HISTORY_ERROR, BEACON_HISTORY_ERROR_CORRUPT))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
      g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      /* Keep the damaged file for the user, start a fresh one. */
      if (g_rename (path, aside) != 0)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_unlink (wal);
      g_unlink (shm);
      g_prefix_error (&local_error, "The old history was moved to %s. ", aside);
      if (recovered != NULL)
        *recovered = g_steal_pointer (&local_error);
      g_clear_error (&local_error);
      db = open_checked (path, &local_error);
    }
  if (db == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  self = g_object_new (BEACON_TYPE_HISTORY, NULL);
  self->db = db;
  self->path = g_strdup (path);
  return g_steal_pointer (&self);
}

gboolean
beacon_history_add (BeaconHistory      *self,
                    const char         *account,
                    const char         *peer,
                    BeaconChatMessage  *message,
                    const char         *dedupe_key,
                    GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (BEACON_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (BEACON_IS_CHAT_MESSAGE (message), FALSE);
  g_return_val_if_fail (beacon_chat_message_get_id (message) != NULL, FALSE);

  if (sqlite3_prepare_v2 (self->db,
                          "INSERT INTO messages (id, account, peer, outgoing, text, time, state, code, dedupe)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail (self->db, BEACON_HISTORY_ERROR_WRITE, "prepare", error);

  sqlite3_bind_text (stmt, 1, beacon_chat_message_get_id (message), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, peer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, beacon_chat_message_get_outgoing (message));
  sqlite3_bind_text (stmt, 5, beacon_chat_message_get_text (message), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, to_usec (beacon_chat_message_get_time (message)));
  sqlite3_bind_int (stmt, 7, beacon_chat_message_get_state (message));
  sqlite3_bind_int (stmt, 8, beacon_chat_message_get_code (message));
  if (dedupe_key != NULL)
    sqlite3_bind_text (stmt, 9, dedupe_key, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 9);

  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc == SQLITE_CONSTRAINT && dedupe_key != NULL)
    return FALSE;  /* a retransmission we stored already */
  if (rc != SQLITE_DONE)
    return fail (self->db, BEACON_HISTORY_ERROR_WRITE, "saving a message", error);
  return TRUE;
}

gboolean
beacon_history_set_state (BeaconHistory       *self,
                          const char          *message_id,
                          BeaconMessageState   state,
                          guint                code,
                          GError             **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (BEACON_IS_HISTORY (self), FALSE);

  if (sqlite3_prepare_v2 (self->db, "UPDATE messages SET state = ?1, code = ?2 WHERE id = ?3",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail (self->db, BEACON_HISTORY_ERROR_WRITE, "prepare", error);
  sqlite3_bind_int (stmt, 1, state);
  sqlite3_bind_int (stmt, 2, code);
  sqlite3_bind_text (stmt, 3, message_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (self->db, BEACON_HISTORY_ERROR_WRITE, "updating a message", error);
  return TRUE;
}

gboolean
beacon_history_mark_read (BeaconHistory  *self,
                          const char     *account,
                          const char     *peer,
                          GDateTime      *until,
                          GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (BEACON_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (account != NULL && peer != NULL && until != NULL, FALSE);

  if (sqlite3_prepare_v2 (self->db, "INSERT OR REPLACE INTO read_marks VALUES (?1, ?2, ?3)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return fail (self->db, BEACON_HISTORY_ERROR_WRITE, "prepare", error);
  sqlite3_bind_text (stmt, 1, account, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, peer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, to_usec (until));
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return fail (self->db, BEACON_HISTORY_ERROR_WRITE, "marking a conversation read", error);
  return TRUE;
}

GHashTable *
beacon_history_unread (BeaconHistory  *self,
                       const char     *account,
                       GError        **error)
{
  g_autoptr(GHashTable) unread = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (BEACON_IS_HISTORY (self), NULL);
  g_return_val_if_fail (account != NULL, NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT m.peer, COUNT(*) FROM messages m"
                          " WHERE m.account = ?1 AND m.outgoing = 0 AND m.time > COALESCE("
                          "  (SELECT read_until FROM read_marks r WHERE r.account = ?1 AND r.peer = m.peer),"
                          "  (SELECT read_until FROM read_marks WHERE account = '' AND peer = ''), 0)"
                          " GROUP BY m.peer",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      fail (self->db, BEACON_HISTORY_ERROR_OPEN, "prepare", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, account, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (unread, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) sqlite3_column_int64 (stmt, 1)));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (self->db, BEACON_HISTORY_ERROR_OPEN, "counting unread messages", error);
      return NULL;
    }
  return g_steal_pointer (&unread);
}

/* A row of the file as a message, or NULL to leave it out. The file is
 * ours, but it can be damaged or edited by hand (and an old table keeps
 * whatever columns and types it was made with, CREATE TABLE IF NOT
 * EXISTS): every value is checked before it reaches the UI. */
static char *
column_string (sqlite3_stmt *stmt,
               int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  gsize len = text ? (gsize) sqlite3_column_bytes (stmt, column) : 0;

  if (text == NULL)
    return NULL;
  /* Up to a NUL, invalid bytes as U+FFFD. */
  return g_utf8_make_valid (text, strnlen (text, len));
}

BeaconChatMessage *
beacon_history_message_from_row (sqlite3_stmt *stmt)
{
  g_autofree char *id = column_string (stmt, 0);
  g_autofree char *text = column_string (stmt, 2);
  g_autofree char *peer = column_string (stmt, 6);
  g_autoptr(GDateTime) local = NULL;
  BeaconChatMessage *message;
  gint64 state = sqlite3_column_int64 (stmt, 4);
  gint64 code = sqlite3_column_int64 (stmt, 5);

  if (id == NULL || id[0] == '\0' || peer == NULL || peer[0] == '\0')
    return NULL;
  local = local_from_usec (sqlite3_column_int64 (stmt, 3));
  message = beacon_chat_message_new (id, sqlite3_column_int64 (stmt, 1) != 0,
                                     text != NULL ? text : "", local);
  if (state < BEACON_MESSAGE_SENDING || state > BEACON_MESSAGE_FAILED)
    state = BEACON_MESSAGE_FAILED;
  if (code < 0 || code > 699)
    code = 0;
  beacon_chat_message_set_state (message, (BeaconMessageState) state, (guint) code);
  g_object_set_data_full (G_OBJECT (message), "beacon-history-peer", g_steal_pointer (&peer), g_free);
  return message;
}

sqlite3 *
beacon_history_get_db (BeaconHistory *self)
{
  g_return_val_if_fail (BEACON_IS_HISTORY (self), NULL);
  return self->db;
}

static GPtrArray *
query (BeaconHistory  *self,
       const char     *sql,
       gboolean        reverse,
       GError        **error,
       const char     *text1,
       const char     *text2,
       const char     *text3,
       gint64          int4,
       gint64          int5)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      fail (self->db, BEACON_HISTORY_ERROR_OPEN, "prepare", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, text1, -1, SQLITE_TRANSIENT);
  if (text2 != NULL)
    sqlite3_bind_text (stmt, 2, text2, -1, SQLITE_TRANSIENT);
  if (text3 != NULL)
    sqlite3_bind_text (stmt, 3, text3, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, int4);
  sqlite3_bind_int64 (stmt, 5, int5);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BeaconChatMessage *message = beacon_history_message_from_row (stmt);

      if (message != NULL)
        g_ptr_array_add (out, message);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      fail (self->db, BEACON_HISTORY_ERROR_OPEN, "reading", error);
      return NULL;
    }
  if (reverse)
    for (guint i = 0; i < out->len / 2; i++)
      {
        gpointer t = out->pdata[i];
        out->pdata[i] = out->pdata[out->len - 1 - i];
        out->pdata[out->len - 1 - i] = t;
      }
  return g_steal_pointer (&out);
}

#define COLUMNS "SELECT id, outgoing, text, time, state, code, peer FROM messages "

GPtrArray *
beacon_history_load (BeaconHistory  *self,
                     const char     *account,
                     const char     *peer,
                     GDateTime      *before,
                     guint           limit,
                     GError        **error)
{
  g_return_val_if_fail (BEACON_IS_HISTORY (self), NULL);

  /* Newest first from the index, handed back oldest first. rowid breaks
   * ties between messages of the same microsecond. */
  return query (self,
                COLUMNS "WHERE account = ?1 AND peer = ?2 AND time < ?4"
                " ORDER BY time DESC, rowid DESC LIMIT ?5",
                TRUE, error, account, peer, NULL,
                before ? to_usec (before) : G_MAXINT64, limit);
}

GPtrArray *
beacon_history_search (BeaconHistory  *self,
                       const char     *account,
                       const char     *query_text,
                       guint           limit,
                       GError        **error)
{
  g_autoptr(GString) pattern = g_string_new ("%");

  g_return_val_if_fail (BEACON_IS_HISTORY (self), NULL);

  /* LIKE with an escape character: the user's % and _ match themselves. */
  for (const char *p = query_text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return query (self,
                COLUMNS "WHERE account = ?1 AND text LIKE ?2 ESCAPE '\\'"
                " ORDER BY time DESC, rowid DESC LIMIT ?5",
                FALSE, error, account, pattern->str, NULL, 0, limit);
}

GPtrArray *
beacon_history_unsent (BeaconHistory  *self,
                       const char     *account,
                       GError        **error)
{
  g_return_val_if_fail (BEACON_IS_HISTORY (self), NULL);

  return query (self,
                COLUMNS "WHERE account = ?1 AND outgoing = 1 AND state = ?4"
                " ORDER BY time, rowid LIMIT ?5",
                FALSE, error, account, NULL, NULL, BEACON_MESSAGE_SENDING, G_MAXINT32);
}

const char *
beacon_history_peer_of (BeaconChatMessage *message)
{
  return g_object_get_data (G_OBJECT (message), "beacon-history-peer");
}
