#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-with-kamailio.sh PROGRAM [ARGS...]
#
# Starts Beacon's Kamailio (tests/server/kamailio-harness.sh) on free
# loopback ports with the users alice, bob and carol, runs PROGRAM with
# BEACON_TEST_XCAP_ROOT, BEACON_TEST_DOMAIN, BEACON_TEST_SIP_HOST,
# BEACON_TEST_SIP_PORT and BEACON_TEST_RUNDIR set, and stops the server
# whatever happens. Every step is bounded by timeout(1). The run
# directory (kamailio.log, sipp logs) is kept when PROGRAM fails.
# Without kamailio the test is skipped (TAP "1..0 # SKIP").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
srcroot="${BEACON_SOURCE_ROOT:-$(cd "$here/../../.." && pwd)}"
harness="$srcroot/tests/server/kamailio-harness.sh"

if ! command -v kamailio >/dev/null 2>&1; then
  echo "1..0 # SKIP kamailio is not installed"
  exit 0
fi
[ -x "$harness" ] || { echo "1..0 # SKIP $harness is missing"; exit 0; }

rundir="$(mktemp -d "${TMPDIR:-/tmp}/beacon-xcap-server.XXXXXX")"
status=1
cleanup () {
  timeout 20 "$harness" stop "$rundir" >/dev/null 2>&1 || true
  if [ "$status" = 0 ]; then
    rm -rf "$rundir"
  else
    echo "run-with-kamailio: kept $rundir (kamailio.log)" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The harness's progress goes to stderr: stdout is the test's TAP.
timeout 60 "$harness" start "$rundir" alice:alice-pw bob:bob-pw carol:carol-pw >&2
# shellcheck disable=SC1091
. "$rundir/env"
export BEACON_TEST_XCAP_ROOT="$XCAP_ROOT" BEACON_TEST_DOMAIN="$DOMAIN"
export BEACON_TEST_SIP_HOST="$SIP_HOST" BEACON_TEST_SIP_PORT="$SIP_PORT"
export BEACON_TEST_RUNDIR="$rundir"

status=0
timeout 300 "$@" || status=$?
exit "$status"
