/* beacon-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "beacon-buddy-list.h"

G_BEGIN_DECLS

#define BEACON_TYPE_APPLICATION (beacon_application_get_type ())
G_DECLARE_FINAL_TYPE (BeaconApplication, beacon_application, BEACON, APPLICATION, AdwApplication)

BeaconApplication *beacon_application_new             (void);
BeaconBuddyList   *beacon_application_get_buddy_list  (BeaconApplication *self);
GSettings         *beacon_application_get_settings    (BeaconApplication *self);

G_END_DECLS
