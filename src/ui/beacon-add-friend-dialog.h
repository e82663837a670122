/* beacon-add-friend-dialog.h — asks for a friend's address and adds them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-account.h"

G_BEGIN_DECLS

#define BEACON_TYPE_ADD_FRIEND_DIALOG (beacon_add_friend_dialog_get_type ())
G_DECLARE_FINAL_TYPE (BeaconAddFriendDialog, beacon_add_friend_dialog, BEACON, ADD_FRIEND_DIALOG, AdwMessageDialog)

BeaconAddFriendDialog *beacon_add_friend_dialog_new (GtkWindow     *parent,
                                                     BeaconAccount *account);

G_END_DECLS
