#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# shell-keyring.sh real|none PROGRAM [ARGS...]
#
# Run inside run-ui-flows.sh (its private Xvfb, session bus and Kamailio).
# real: a real gnome-keyring-daemon (secrets only), its login keyring
#   made and unlocked with a throw-away password in a private HOME and
#   XDG_DATA_HOME, on the test's session bus.
# none: a session bus of its own with no service activation at all, so
#   no Secret Service answers (as on a desktop without a keyring).
# Exports BEACON_TEST_KEYRING=real|none and runs PROGRAM; stops what it
# started, by pid.
set -euo pipefail

mode=$1
shift
work="$(mktemp -d "${TMPDIR:-/tmp}/beacon-keyring.XXXXXX")"
pids=()
cleanup () {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

name_owned () {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep -q 'boolean true'
}

case "$mode" in
  real)
    export HOME="$work/home" XDG_DATA_HOME="$work/data"
    mkdir -p -m 700 "$HOME" "$XDG_DATA_HOME"
    mkdir -p -m 700 "$work/control"
    # --unlock reads the login keyring's password from stdin and makes
    # the keyring when there is none.
    printf '%s' throwaway-login-pw |
      gnome-keyring-daemon --foreground --unlock --components=secrets \
        --control-directory="$work/control" >"$work/keyring.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
      name_owned org.freedesktop.secrets && break
      kill -0 "${pids[0]}" 2>/dev/null || { cat "$work/keyring.log" >&2; echo "gnome-keyring-daemon exited" >&2; exit 1; }
      sleep 0.1
    done
    name_owned org.freedesktop.secrets || { echo "gnome-keyring did not appear on the bus" >&2; exit 1; }
    ;;
  none)
    cat >"$work/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$work</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
    dbus-daemon --config-file="$work/bus.conf" --nofork --print-address=3 3>"$work/address" &
    pids+=($!)
    for _ in $(seq 1 50); do
      [ -s "$work/address" ] && break
      sleep 0.1
    done
    [ -s "$work/address" ] || { echo "no private bus" >&2; exit 1; }
    DBUS_SESSION_BUS_ADDRESS="$(head -n1 "$work/address")"
    # No accessibility bus can be started there either.
    export DBUS_SESSION_BUS_ADDRESS GTK_A11Y=none
    ;;
  *)
    echo "usage: $0 real|none PROGRAM [ARGS...]" >&2
    exit 2
    ;;
esac

export BEACON_TEST_KEYRING="$mode"
status=0
"$@" || status=$?
exit "$status"
