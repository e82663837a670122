/* beacon-blacklist-window.h — lists blocked people; block and unblock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-account.h"

G_BEGIN_DECLS

#define BEACON_TYPE_BLACKLIST_WINDOW (beacon_blacklist_window_get_type ())
G_DECLARE_FINAL_TYPE (BeaconBlacklistWindow, beacon_blacklist_window, BEACON, BLACKLIST_WINDOW, AdwWindow)

BeaconBlacklistWindow *beacon_blacklist_window_new (GtkWindow     *parent,
                                                    BeaconAccount *account);
/* What the user typed to block, as a SIP URI: a whole address, or a
 * short name ("bob") completed to @own_aor's domain. NULL with
 * BEACON_ACCOUNT_ERROR_INVALID_URI when it cannot be one. */
char                  *beacon_blacklist_complete_address (const char  *text,
                                                          const char  *own_aor,
                                                          GError     **error);

G_END_DECLS
