/* beacon-hooks.h — what benchmarks and tests ask of the running app
 *
 * Inert unless the environment asks: BEACON_BENCH_EXIT_AFTER_MAP (and
 * BEACON_BENCH_T0_US, BEACON_BENCH_BUDDIES) for bench/bench-startup.sh,
 * BEACON_TEST_DUMP_TEXT for tests/ui/test-shell-l10n.sh; see
 * beacon-hooks.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "beacon-application.h"

G_BEGIN_DECLS

void beacon_hooks_install (BeaconApplication *app);

G_END_DECLS
