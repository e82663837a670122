/* beacon-history.h — chat history and the unsent queue, in SQLite
 *
 * Every message is written here before it is shown as sent or received,
 * so nothing the user saw is lost by a crash. Outgoing messages stay in
 * state SENDING until a final answer; after a restart they are the unsent
 * queue. Incoming messages carry a dedupe key (the sender's Call-ID and
 * CSeq) so a retransmission is stored, and shown, once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-chat-message.h"

G_BEGIN_DECLS

#define BEACON_HISTORY_ERROR (beacon_history_error_quark ())

typedef enum {
  BEACON_HISTORY_ERROR_OPEN,       /* the file cannot be opened or created */
  BEACON_HISTORY_ERROR_CORRUPT,    /* the file was damaged; it was moved aside */
  BEACON_HISTORY_ERROR_WRITE,      /* disk full, read-only, … */
} BeaconHistoryError;

GQuark beacon_history_error_quark (void);

#define BEACON_TYPE_HISTORY (beacon_history_get_type ())
G_DECLARE_FINAL_TYPE (BeaconHistory, beacon_history, BEACON, HISTORY, GObject)

/* Opens or creates the history at @path. A damaged file is renamed to
 * PATH.corrupt-TIMESTAMP and a new one created: the result is usable, and
 * @recovered (if given) is set to the BEACON_HISTORY_ERROR_CORRUPT error
 * that tells the user what happened. NULL only when no history can be
 * had at all. */
BeaconHistory *beacon_history_open      (const char      *path,
                                         GError         **recovered,
                                         GError         **error);

/* Appends a message of @account's conversation with @peer. Returns FALSE
 * without an error when @dedupe_key (may be NULL) was stored already. */
gboolean       beacon_history_add       (BeaconHistory   *self,
                                         const char      *account,
                                         const char      *peer,
                                         BeaconChatMessage *message,
                                         const char      *dedupe_key,
                                         GError         **error);
gboolean       beacon_history_set_state (BeaconHistory   *self,
                                         const char      *message_id,
                                         BeaconMessageState state,
                                         guint            code,
                                         GError         **error);
/* Up to @limit messages with @peer older than @before (NULL: the newest),
 * oldest first: one page of the chat window. */
GPtrArray     *beacon_history_load      (BeaconHistory   *self,
                                         const char      *account,
                                         const char      *peer,
                                         GDateTime       *before,
                                         guint            limit,
                                         GError         **error);
/* Messages of @account whose text contains @query (case-insensitive for
 * ASCII), newest first; each carries its peer (see beacon_history_peer_of). */
GPtrArray     *beacon_history_search    (BeaconHistory   *self,
                                         const char      *account,
                                         const char      *query,
                                         guint            limit,
                                         GError         **error);
/* Outgoing messages of @account still SENDING: sent before a crash or a
 * network loss, with no final answer. Oldest first. */
GPtrArray     *beacon_history_unsent    (BeaconHistory   *self,
                                         const char      *account,
                                         GError         **error);
/* The user has read @account's conversation with @peer up to @until. */
gboolean       beacon_history_mark_read (BeaconHistory   *self,
                                         const char      *account,
                                         const char      *peer,
                                         GDateTime       *until,
                                         GError         **error);
/* Peer → messages received from it after its read mark (GUINT_TO_POINTER
 * values), for @account; peers with none are left out. */
GHashTable    *beacon_history_unread    (BeaconHistory   *self,
                                         const char      *account,
                                         GError         **error);
/* The peer a message returned by search/unsent belongs to. */
const char    *beacon_history_peer_of   (BeaconChatMessage *message);

G_END_DECLS
