/* beacon-buddy-list.h — the user's friends, as a GListModel of BeaconBuddy
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "beacon-buddy.h"

G_BEGIN_DECLS

#define BEACON_TYPE_BUDDY_LIST (beacon_buddy_list_get_type ())
G_DECLARE_FINAL_TYPE (BeaconBuddyList, beacon_buddy_list, BEACON, BUDDY_LIST, GObject)

BeaconBuddyList *beacon_buddy_list_new    (void);
/* Returns the buddy for @uri, adding it when it was not there. */
BeaconBuddy     *beacon_buddy_list_add    (BeaconBuddyList *self,
                                           const char      *uri,
                                           const char      *display_name);
gboolean         beacon_buddy_list_remove (BeaconBuddyList *self,
                                           const char      *uri);
/* (transfer none) or NULL */
BeaconBuddy     *beacon_buddy_list_lookup (BeaconBuddyList *self,
                                           const char      *uri);

G_END_DECLS
