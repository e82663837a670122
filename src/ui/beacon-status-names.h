/* beacon-status-names.h — how a status looks to the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "beacon-status.h"

G_BEGIN_DECLS

const char *beacon_status_icon_name  (BeaconStatus status);
const char *beacon_status_label      (BeaconStatus status);
int         beacon_status_sort_rank  (BeaconStatus status);

G_END_DECLS
