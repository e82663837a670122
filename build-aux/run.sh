#!/usr/bin/env bash
# Installs what is needed, builds Beacon and launches it from the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/install-deps.sh

builddir=${BEACON_BUILDDIR:-_build/app}
[ -d "$builddir/meson-private" ] || meson setup "$builddir" --buildtype=debugoptimized
ninja -C "$builddir"

# LAN mode finds peers through the system's avahi-daemon (on the system
# D-Bus). A desktop runs both; where nothing started them (a container, a
# bare server) start them, so LAN mode works with no server.
# BEACON_RUN_NO_AVAHI=1 (the tests): leave the system's daemons alone.
if [ -z "${BEACON_RUN_NO_AVAHI:-}" ] && ! avahi-daemon --check 2>/dev/null; then
  if command -v systemctl >/dev/null 2>&1 && systemctl is-system-running >/dev/null 2>&1; then
    ${SUDO:-$( [ "$(id -u)" -eq 0 ] || echo sudo )} systemctl start dbus avahi-daemon || true
  elif [ "$(id -u)" -eq 0 ]; then
    if [ ! -S /run/dbus/system_bus_socket ]; then
      mkdir -p /run/dbus
      dbus-daemon --system --fork
    fi
    avahi-daemon --daemonize --no-rlimits || true
  fi
  avahi-daemon --check 2>/dev/null || echo "run: avahi-daemon is not running: LAN mode will not find peers" >&2
fi

# Run from the build tree: its schema and its translations (po/LANG/
# LC_MESSAGES/beacon.mo), not those of an installed copy (the same as
# `meson devenv -C "$builddir"`).
case "$builddir" in /*) ;; *) builddir="$PWD/$builddir" ;; esac
export GSETTINGS_SCHEMA_DIR="$builddir/data"
export BEACON_LOCALEDIR="$builddir/po"
exec "$builddir/src/ui/beacon" "$@"
