/* beacon-window.h — the buddy-list window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-application.h"

G_BEGIN_DECLS

#define BEACON_TYPE_WINDOW (beacon_window_get_type ())
G_DECLARE_FINAL_TYPE (BeaconWindow, beacon_window, BEACON, WINDOW, AdwApplicationWindow)

BeaconWindow *beacon_window_new (BeaconApplication *application);

G_END_DECLS
