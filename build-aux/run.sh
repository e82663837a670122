#!/usr/bin/env bash
# Installs what is needed, builds Beacon and launches it from the build tree.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/install-deps.sh

builddir=${BEACON_BUILDDIR:-_build/app}
[ -d "$builddir/meson-private" ] || meson setup "$builddir" --buildtype=debugoptimized
ninja -C "$builddir"

export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data"
exec "$builddir/src/ui/beacon" "$@"
