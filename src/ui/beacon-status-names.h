/* beacon-status-names.h — how a status looks to the user
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "beacon-account.h"
#include "beacon-buddy.h"
#include "formats/beacon-status.h"

G_BEGIN_DECLS

const char *beacon_status_icon_name  (BeaconStatus status);
const char *beacon_status_label      (BeaconStatus status);

/* What a friend's row shows: the status, unless the subscription or the
 * blacklist says more (a pending friend is not "online", a blocked one
 * is blocked whatever their status). Each has its own icon shape and
 * word, so colour is never the only sign. */
typedef enum {
  BEACON_SHOWN_ONLINE,
  BEACON_SHOWN_BUSY,
  BEACON_SHOWN_AWAY,
  BEACON_SHOWN_OFFLINE,
  BEACON_SHOWN_PENDING,   /* waiting for their authorisation */
  BEACON_SHOWN_REJECTED,  /* they refused */
  BEACON_SHOWN_BLOCKED,   /* on our blacklist */
} BeaconShownState;

BeaconShownState beacon_shown_state_for       (BeaconBuddy      *buddy,
                                               gboolean          blocked);
const char      *beacon_shown_state_icon_name (BeaconShownState  state);
const char      *beacon_shown_state_label     (BeaconShownState  state);
/* The CSS class of the icon (style.css), "status-…". */
const char      *beacon_shown_state_css_class (BeaconShownState  state);

/* The name to show for @uri: @name when there is one (not the URI
 * itself), else the user part of the address ("carol" for
 * sip:carol@example.org). */
char            *beacon_person_name           (const char       *uri,
                                               const char       *name);
/* The name of @buddy as beacon_person_name() gives it. */
char            *beacon_buddy_dup_shown_name  (BeaconBuddy      *buddy);

/* The name @account knows @uri by: a friend's, or the one a LAN peer
 * announces; NULL when none. Valid while the friend or peer is listed. */
const char      *beacon_known_name            (BeaconAccount    *account,
                                               const char       *uri);

G_END_DECLS
