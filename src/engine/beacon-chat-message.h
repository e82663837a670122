/* beacon-chat-message.h — one message of a conversation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The fate of one sent MESSAGE. */
typedef enum {
  BEACON_MESSAGE_SENDING,
  BEACON_MESSAGE_DELIVERED,  /* 200: the peer has it */
  BEACON_MESSAGE_STORED,     /* 202: stored for an offline peer */
  BEACON_MESSAGE_FAILED,
} BeaconMessageState;

#define BEACON_TYPE_CHAT_MESSAGE (beacon_chat_message_get_type ())
G_DECLARE_FINAL_TYPE (BeaconChatMessage, beacon_chat_message, BEACON, CHAT_MESSAGE, GObject)

BeaconChatMessage  *beacon_chat_message_new         (const char         *id,
                                                     gboolean            outgoing,
                                                     const char         *text,
                                                     GDateTime          *time);
const char         *beacon_chat_message_get_id       (BeaconChatMessage  *self);
gboolean            beacon_chat_message_get_outgoing (BeaconChatMessage  *self);
const char         *beacon_chat_message_get_text     (BeaconChatMessage  *self);
GDateTime          *beacon_chat_message_get_time     (BeaconChatMessage  *self);
/* Incoming messages are always DELIVERED. */
BeaconMessageState  beacon_chat_message_get_state    (BeaconChatMessage  *self);
guint               beacon_chat_message_get_code     (BeaconChatMessage  *self);
void                beacon_chat_message_set_state    (BeaconChatMessage  *self,
                                                      BeaconMessageState  state,
                                                      guint               code);

G_END_DECLS
