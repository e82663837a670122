#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# run-ui-flows.sh [--no-server] PROGRAM [ARGS...]
#
# The ui suite's flows: a private Xvfb and session bus (xvfb-session.sh,
# which also points the XDG folders at a fresh directory) plus Beacon's
# Kamailio on free loopback ports with the users alice, bob and carol;
# runs PROGRAM with BEACON_TEST_SIP_HOST, BEACON_TEST_SIP_PORT,
# BEACON_TEST_DOMAIN and BEACON_TEST_XCAP_ROOT set, and stops everything
# whatever happens (Kamailio by the harness, Xvfb and dbus by pid). The
# run directory (kamailio.log) is kept when PROGRAM fails. Without
# kamailio or Xvfb the test is skipped (TAP "1..0 # SKIP").
# --no-server: only the display and the bus (LAN tests).
set -euo pipefail

server=1
if [ "${1:-}" = --no-server ]; then
  server=0
  shift
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
srcroot="${BEACON_SOURCE_ROOT:-$(cd "$here/../.." && pwd)}"
harness="$srcroot/tests/server/kamailio-harness.sh"

for tool in Xvfb dbus-launch $([ "$server" = 1 ] && echo kamailio); do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 0
  fi
done

# shellcheck disable=SC1091
. "$here/xvfb-session.sh"

rundir=""
status=1
cleanup () {
  if [ -n "$rundir" ]; then
    timeout 20 bash "$harness" stop "$rundir" >/dev/null 2>&1 || true
    if [ "$status" = 0 ]; then
      rm -rf "$rundir"
    else
      echo "run-ui-flows: kept $rundir (kamailio.log)" >&2
    fi
  fi
  xvfb_stop
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [ "$server" = 1 ]; then
  # Kamailio's start-up can lose a race on its own SQLite file on a loaded
  # machine: one more try in a fresh directory.
  for attempt in 1 2; do
    rundir="$(mktemp -d "${TMPDIR:-/tmp}/beacon-ui-server.XXXXXX")"
    if timeout 60 bash "$harness" start "$rundir" alice:alice-pw bob:bob-pw carol:carol-pw >&2; then
      break
    fi
    timeout 20 bash "$harness" stop "$rundir" >/dev/null 2>&1 || true
    [ "$attempt" = 2 ] && { echo "run-ui-flows: Kamailio did not start (see $rundir)" >&2; exit 1; }
    rm -rf "$rundir"
  done

  # shellcheck disable=SC1091
  . "$rundir/env"
  export BEACON_TEST_XCAP_ROOT="$XCAP_ROOT" BEACON_TEST_DOMAIN="$DOMAIN"
  export BEACON_TEST_SIP_HOST="$SIP_HOST" BEACON_TEST_SIP_PORT="$SIP_PORT"
  # For tests that stop and restart the server (harness stop/restart RUNDIR).
  export BEACON_TEST_HARNESS="$harness" BEACON_TEST_RUNDIR="$rundir"
fi
export BEACON_TEST_SCREENSHOTS="${BEACON_BUILD_ROOT:-.}/tests/ui/screenshots"
mkdir -p "$BEACON_TEST_SCREENSHOTS"

# GTK's and fontconfig's caches still held at exit are not leaks of ours.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

status=0
timeout 300 "$@" || status=$?
exit "$status"
