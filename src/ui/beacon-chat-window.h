/* beacon-chat-window.h — the conversation with one buddy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-account.h"

G_BEGIN_DECLS

#define BEACON_TYPE_CHAT_WINDOW (beacon_chat_window_get_type ())
G_DECLARE_FINAL_TYPE (BeaconChatWindow, beacon_chat_window, BEACON, CHAT_WINDOW, AdwWindow)

BeaconChatWindow *beacon_chat_window_new     (GtkApplication   *application,
                                              BeaconAccount    *account,
                                              const char       *uri);
const char       *beacon_chat_window_get_uri (BeaconChatWindow *self);
/* The account the chat is on. */
BeaconAccount    *beacon_chat_window_get_account      (BeaconChatWindow *self);
/* With several accounts, the title says which one the chat is on. */
void              beacon_chat_window_set_show_account (BeaconChatWindow *self,
                                                       gboolean          show);
/* Puts the cursor in the entry (the notification's "Reply"). */
void              beacon_chat_window_focus_entry      (BeaconChatWindow *self);
/* Sends what is in the entry, as pressing Enter does. */
void              beacon_chat_window_send    (BeaconChatWindow *self);

G_END_DECLS
