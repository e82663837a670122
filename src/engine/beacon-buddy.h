/* beacon-buddy.h — one friend on the buddy list and what we know of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "formats/beacon-status.h"

G_BEGIN_DECLS

#define BEACON_TYPE_BUDDY (beacon_buddy_get_type ())
G_DECLARE_FINAL_TYPE (BeaconBuddy, beacon_buddy, BEACON, BUDDY, GObject)

BeaconBuddy        *beacon_buddy_new              (const char         *uri,
                                                   const char         *display_name);
const char         *beacon_buddy_get_uri          (BeaconBuddy        *self);
const char         *beacon_buddy_get_display_name (BeaconBuddy        *self);
void                beacon_buddy_set_display_name (BeaconBuddy        *self,
                                                   const char         *display_name);
BeaconStatus        beacon_buddy_get_status       (BeaconBuddy        *self);
const char         *beacon_buddy_get_note         (BeaconBuddy        *self);
void                beacon_buddy_set_presence     (BeaconBuddy        *self,
                                                   BeaconStatus        status,
                                                   const char         *note);
BeaconSubscription  beacon_buddy_get_subscription (BeaconBuddy        *self);
void                beacon_buddy_set_subscription (BeaconBuddy        *self,
                                                   BeaconSubscription  subscription);
/* Set by the account (beacon_account_mark_read() clears it). */
guint               beacon_buddy_get_unread_count (BeaconBuddy        *self);
void                beacon_buddy_set_unread_count (BeaconBuddy        *self,
                                                   guint               unread_count);

G_END_DECLS
