/* beacon-cli-events.h — an account's events as JSON lines
 *
 * `beacon-cli run` (server mode) and its LAN counterpart print what the
 * account reports, one JSON object per line, flushed at once so a driving
 * program sees each event as it happens:
 *   {"event":"registered","aor":...}
 *   {"event":"presence","uri":...,"basic":"open|closed","status":...,
 *    "note":...,"subscription":"none|pending|active|rejected"}
 *   {"event":"message","from":...,"text":...}
 *   {"event":"message-status","to":...,"id":...,"state":...,"code":N}
 *   {"event":"watcher","uri":...,"status":...}
 *   {"event":"error","message":...,"code":...}
 *   {"event":"peer","uri":...,"name":...,"address":...,
 *    "state":"appeared|vanished"}              (LAN mode only)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "beacon-account.h"
#include "beacon-json.h"

G_BEGIN_DECLS

typedef struct _BeaconCliEvents BeaconCliEvents;

/* Starts printing @account's events to @out. */
BeaconCliEvents *beacon_cli_events_new   (BeaconAccount   *account,
                                          FILE            *out);
/* Stops printing (disconnects from the account). */
void             beacon_cli_events_free  (BeaconCliEvents *events);

/* Writes @json (a complete object) as one line and flushes. */
void             beacon_cli_events_print (BeaconCliEvents *events,
                                          BeaconJson      *json);
/* {"event":"error",...} for @error: "code" is the BeaconAccountError nick
 * ("auth-failed", "unreachable", ...) or @fallback_code for other domains. */
void             beacon_cli_events_print_error (BeaconCliEvents *events,
                                                const GError    *error,
                                                const char      *fallback_code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconCliEvents, beacon_cli_events_free)

G_END_DECLS
