/* beacon-conversation-private.h — what BeaconAccount does to its conversations
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-conversation.h"

G_BEGIN_DECLS

BeaconConversation *beacon_conversation_new           (BeaconAccount      *account,
                                                       const char         *peer,
                                                       guint               unread);
/* @messages (BeaconChatMessage, oldest first) go before the others. */
void                beacon_conversation_prepend_page  (BeaconConversation *self,
                                                       GPtrArray          *messages);
void                beacon_conversation_append        (BeaconConversation *self,
                                                       BeaconChatMessage  *message);
void                beacon_conversation_remove        (BeaconConversation *self,
                                                       BeaconChatMessage  *message);
void                beacon_conversation_set_unread    (BeaconConversation *self,
                                                       guint               unread);
void                beacon_conversation_set_peer_typing (BeaconConversation *self,
                                                         gboolean            typing);

G_END_DECLS
