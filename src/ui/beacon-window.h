/* beacon-window.h — the buddy-list window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-account.h"
#include "beacon-application.h"

G_BEGIN_DECLS

#define BEACON_TYPE_WINDOW (beacon_window_get_type ())
G_DECLARE_FINAL_TYPE (BeaconWindow, beacon_window, BEACON, WINDOW, AdwApplicationWindow)

BeaconWindow  *beacon_window_new         (BeaconApplication *application);
/* NULL shows the set-up page. */
void           beacon_window_set_account (BeaconWindow      *self,
                                          BeaconAccount     *account);
BeaconAccount *beacon_window_get_account (BeaconWindow      *self);
void           beacon_window_show_toast  (BeaconWindow      *self,
                                          const char        *text);

/* A toast for a sentence too long for one line: it wraps. */
void beacon_window_show_long_toast (BeaconWindow *self,
                                    const char   *text);

G_END_DECLS
