/* beacon-cli-history.h — the account's chat history for `beacon-cli run`
 *
 * `run` keeps the history in DATA_DIR/history.sqlite and lists it on the
 * `history [URI]` command, one JSON line per stored message, oldest first:
 *   {"event":"history","peer":...,"direction":"in|out","id":...,
 *    "text":...,"state":"sending|delivered|stored|failed","code":N}
 * then {"event":"history-end","count":N}.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-cli-events.h"
#include "history/beacon-history.h"

G_BEGIN_DECLS

/* Opens DIR/history.sqlite. A damaged file is moved aside and a new one
 * used: *recovered says so. NULL with @error when there is no history at
 * all (the account then runs without one). */
BeaconHistory *beacon_cli_history_open  (const char       *data_dir,
                                         GError          **recovered,
                                         GError          **error);

/* Prints @aor's messages (with @peer only, when not NULL). */
gboolean       beacon_cli_history_print (BeaconCliEvents  *events,
                                         BeaconHistory    *history,
                                         const char       *aor,
                                         const char       *peer,
                                         GError          **error);

G_END_DECLS
