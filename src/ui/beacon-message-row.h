/* beacon-message-row.h — one bubble of a conversation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-chat-message.h"

G_BEGIN_DECLS

#define BEACON_TYPE_MESSAGE_ROW (beacon_message_row_get_type ())
G_DECLARE_FINAL_TYPE (BeaconMessageRow, beacon_message_row, BEACON, MESSAGE_ROW, GtkWidget)

BeaconMessageRow  *beacon_message_row_new         (void);
/* Shows @message; @previous (the one before it, or NULL) decides whether
 * a date separator comes first and whether it starts a group (then the
 * peer's avatar, named @peer_name, shows beside it). */
void               beacon_message_row_set_message (BeaconMessageRow  *self,
                                                   BeaconChatMessage *message,
                                                   BeaconChatMessage *previous,
                                                   const char        *peer_name);
BeaconChatMessage *beacon_message_row_get_message (BeaconMessageRow  *self);
/* TRUE when the row starts a group (a new sender, day or pause). */
gboolean           beacon_message_row_starts_group (BeaconMessageRow *self);
/* "Today", "Yesterday" or the date of @time, as separators say it. */
char              *beacon_message_row_format_day  (GDateTime         *time,
                                                   GDateTime         *now);

G_END_DECLS
