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

G_END_DECLS
