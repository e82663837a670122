/* beacon-buddy-row.h — one friend in the buddy list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "beacon-buddy.h"

G_BEGIN_DECLS

#define BEACON_TYPE_BUDDY_ROW (beacon_buddy_row_get_type ())
G_DECLARE_FINAL_TYPE (BeaconBuddyRow, beacon_buddy_row, BEACON, BUDDY_ROW, GtkWidget)

BeaconBuddyRow *beacon_buddy_row_new       (void);
void            beacon_buddy_row_set_buddy (BeaconBuddyRow *self,
                                            BeaconBuddy    *buddy);
/* A group's heading instead of a buddy (NULL: back to a buddy row). */
void            beacon_buddy_row_set_heading (BeaconBuddyRow *self,
                                              const char     *title);
/* A nearby peer (LAN) rather than a friend: the row offers "Add"
 * (win.add-nearby) instead of the friend's menu. */
void            beacon_buddy_row_set_nearby (BeaconBuddyRow *self,
                                             gboolean        nearby);

/* The account's blacklist (BeaconBuddy items): a blocked friend's row
 * says so, and its menu offers Unblock (win.unblock) instead of Block. */
void            beacon_buddy_row_set_blocked_list (BeaconBuddyRow *self,
                                                   GListModel     *blocked);
gboolean        beacon_buddy_row_get_blocked      (BeaconBuddyRow *self);
/* The buddy shown, or NULL (a heading). */
BeaconBuddy    *beacon_buddy_row_get_buddy        (BeaconBuddyRow *self);

G_END_DECLS
