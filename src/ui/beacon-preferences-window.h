/* beacon-preferences-window.h — first-run set-up and account preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-application.h"

G_BEGIN_DECLS

#define BEACON_TYPE_PREFERENCES_WINDOW (beacon_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (BeaconPreferencesWindow, beacon_preferences_window, BEACON, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

BeaconPreferencesWindow *beacon_preferences_window_new (BeaconApplication *application);

G_END_DECLS
