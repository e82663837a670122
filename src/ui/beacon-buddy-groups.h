/* beacon-buddy-groups.h — the buddy list's groups, sorted and searched
 *
 * Four models of BeaconBuddy for the buddy-list window: friends, friends
 * still waiting for authorisation (subscription PENDING), LAN peers
 * nearby that are not friends, and friends on the blacklist (apart, at
 * the end, so that a blocked friend never looks like the others). Each is sorted by status (online, busy,
 * away, offline) then name, and filtered by the search text. A buddy
 * whose status, name or subscription changes moves to its place and
 * group (on idle: GTK's sort and filter models do not watch items). For
 * the window, the four come as one list with headings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "beacon-buddy.h"

G_BEGIN_DECLS

#define BEACON_TYPE_BUDDY_GROUPS (beacon_buddy_groups_get_type ())
G_DECLARE_FINAL_TYPE (BeaconBuddyGroups, beacon_buddy_groups, BEACON, BUDDY_GROUPS, GObject)

BeaconBuddyGroups *beacon_buddy_groups_new         (void);
/* @buddies: the account's buddy list; @nearby: LAN peers, or NULL. Both
 * NULL: everything empty. */
void               beacon_buddy_groups_set_sources (BeaconBuddyGroups *self,
                                                    GListModel        *buddies,
                                                    GListModel        *nearby);
/* The account's blacklist (BeaconBuddy items), or NULL: its friends go
 * to the "Blocked" group. */
void               beacon_buddy_groups_set_blocked (BeaconBuddyGroups *self,
                                                    GListModel        *blocked);
/* Case-insensitive match on name or address; NULL or "" shows all. */
void               beacon_buddy_groups_set_search  (BeaconBuddyGroups *self,
                                                    const char        *query);
GListModel        *beacon_buddy_groups_get_friends (BeaconBuddyGroups *self);
GListModel        *beacon_buddy_groups_get_pending (BeaconBuddyGroups *self);
GListModel        *beacon_buddy_groups_get_nearby  (BeaconBuddyGroups *self);
GListModel        *beacon_buddy_groups_get_blocked (BeaconBuddyGroups *self);
/* All four in one list for one GtkListView (GTK 4.8 has no sections):
 * friends, pending, nearby, blocked, each group led by its heading, a
 * GtkStringObject, while the group shows (see update_headers()). */
GListModel        *beacon_buddy_groups_get_sections (BeaconBuddyGroups *self);
/* Applies pending moves now instead of on idle. */
void               beacon_buddy_groups_refresh     (BeaconBuddyGroups *self);

/* The order of the lists: status rank, then name, then URI. */
int                beacon_buddy_groups_compare     (BeaconBuddy       *a,
                                                    BeaconBuddy       *b);

G_END_DECLS
