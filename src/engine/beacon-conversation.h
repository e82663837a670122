/* beacon-conversation.h — the messages between the account and one peer
 *
 * A BeaconConversation is a GListModel of BeaconChatMessage, oldest
 * first: the last page of the history when it is first asked for, then
 * every message sent and received. It is how the UI sends (send_async
 * finishes when the peer or the server's store has it), sends again after
 * a failure (retry, under the same id so the peer keeps one copy), and
 * reads (unread-count, mark_read). peer-typing is for RFC 3994 is-composing
 * (issue 14: nothing sets it yet).
 *
 * The account makes one per peer (beacon_account_get_conversation()) and
 * keeps it; a conversation holds its account weakly, and its methods fail
 * with BEACON_ACCOUNT_ERROR_FAILED once the account is gone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-chat-message.h"

G_BEGIN_DECLS

typedef struct _BeaconAccount BeaconAccount;

#define BEACON_TYPE_CONVERSATION (beacon_conversation_get_type ())
G_DECLARE_FINAL_TYPE (BeaconConversation, beacon_conversation, BEACON, CONVERSATION, GObject)

const char         *beacon_conversation_get_peer         (BeaconConversation   *self);
/* (transfer full) (nullable): NULL once the account is gone. */
BeaconAccount      *beacon_conversation_dup_account      (BeaconConversation   *self);
/* Messages received and not read yet. */
guint               beacon_conversation_get_unread_count (BeaconConversation   *self);
/* The user has seen the conversation (its chat is in front). */
void                beacon_conversation_mark_read        (BeaconConversation   *self);
gboolean            beacon_conversation_get_peer_typing  (BeaconConversation   *self);

/* Stores @text (a crash cannot lose it), shows it and sends it. Finishes
 * with the message once the peer or the server's store has it; NULL with
 * BEACON_ACCOUNT_ERROR_NOT_DELIVERED when it was refused or unanswered
 * (the message stays, failed, where the user can retry it), or another
 * error when it could not be stored or sent at all (then it is not in the
 * conversation). */
void                beacon_conversation_send_async       (BeaconConversation   *self,
                                                          const char           *text,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
BeaconChatMessage  *beacon_conversation_send_finish      (BeaconConversation   *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
/* Sends a failed outgoing @message of this conversation again, with its
 * id: a peer that did get the first copy drops the second. */
gboolean            beacon_conversation_retry            (BeaconConversation   *self,
                                                          BeaconChatMessage    *message,
                                                          GError              **error);
/* The message with @id, or NULL. (transfer none) */
BeaconChatMessage  *beacon_conversation_find             (BeaconConversation   *self,
                                                          const char           *id);

G_END_DECLS
