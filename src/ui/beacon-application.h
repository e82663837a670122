/* beacon-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-account.h"

G_BEGIN_DECLS

#define BEACON_TYPE_APPLICATION (beacon_application_get_type ())
G_DECLARE_FINAL_TYPE (BeaconApplication, beacon_application, BEACON, APPLICATION, AdwApplication)

BeaconApplication *beacon_application_new             (void);
GSettings         *beacon_application_get_settings    (BeaconApplication *self);
/* NULL until the user has set up LAN mode or a server account. */
BeaconAccount     *beacon_application_get_account     (BeaconApplication *self);
void               beacon_application_set_account     (BeaconApplication *self,
                                                       BeaconAccount     *account);

G_END_DECLS
