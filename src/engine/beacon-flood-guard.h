/* beacon-flood-guard.h — how many requests strangers may make
 *
 * Requests from people who are not friends (a MESSAGE, a SUBSCRIBE) go
 * through two token buckets: one per source (a sender's address of record,
 * or the network address it came from) and one shared by all strangers.
 * A request that finds either bucket empty is refused, and the caller
 * answers 429 Too Many Requests with the Retry-After this says. Friends
 * never come here.
 *
 * The table of sources is bounded (max_sources): when it is full, the
 * source heard from longest ago makes room. Memory is therefore at most
 * max_sources entries, whatever a flood sends.
 *
 * Time is given by the caller (monotonic microseconds), so the guard is a
 * pure state machine that tests can drive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the accounts use (see beacon-account.c). */
#define BEACON_FLOOD_SOURCE_BURST   5     /* requests a stranger may make at once */
#define BEACON_FLOOD_SOURCE_RATE    1.0   /* … and then a second */
#define BEACON_FLOOD_GLOBAL_BURST   40    /* all strangers together, at once */
#define BEACON_FLOOD_GLOBAL_RATE    10.0  /* … and then a second */
#define BEACON_FLOOD_MAX_SOURCES    512

typedef struct _BeaconFloodGuard BeaconFloodGuard;

BeaconFloodGuard *beacon_flood_guard_new      (guint             source_burst,
                                               double            source_rate,
                                               guint             global_burst,
                                               double            global_rate,
                                               guint             max_sources);
void              beacon_flood_guard_free     (BeaconFloodGuard *guard);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BeaconFloodGuard, beacon_flood_guard_free)

/* Whether a request from every one of @sources (NULL-terminated; e.g. the
 * From and the network address) may be taken at @now_us. A request is
 * charged to its sources and to the global bucket only when it is taken.
 * When it is not, *@retry_after_s (if given) is the whole seconds after
 * which it would be, at least 1. */
gboolean          beacon_flood_guard_admit    (BeaconFloodGuard  *guard,
                                               const char *const *sources,
                                               gint64             now_us,
                                               guint             *retry_after_s);
/* Requests refused since the guard was made. */
guint64           beacon_flood_guard_refused  (BeaconFloodGuard  *guard);
/* Sources in the table now (≤ max_sources). */
guint             beacon_flood_guard_n_sources (BeaconFloodGuard *guard);

G_END_DECLS
