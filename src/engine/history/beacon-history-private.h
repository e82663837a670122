/* beacon-history-private.h — for the history's tests and fuzz target
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "beacon-history.h"

G_BEGIN_DECLS

/* The open database (owned by @self). */
sqlite3           *beacon_history_get_db           (BeaconHistory *self);
/* The current row of a SELECT id, outgoing, text, time, state, code, peer
 * as a message, or NULL when it cannot be one (no id, no peer). */
BeaconChatMessage *beacon_history_message_from_row (sqlite3_stmt  *stmt);

G_END_DECLS
