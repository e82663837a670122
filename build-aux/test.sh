#!/usr/bin/env bash
# Installs what is needed, builds with clang + ASan/UBSan (and libFuzzer
# targets), and runs every suite: unit, server, lan, ui, fuzz.
# Ends with the line "N passed, N failed"; exits non-zero on any failure or skip.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/install-deps.sh

builddir=${BEACON_TEST_BUILDDIR:-_build/test}
options=(--buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzing=true)
if [ -d "$builddir/meson-private" ]; then
  meson setup --reconfigure "$builddir" "${options[@]}" >/dev/null
else
  CC=clang meson setup "$builddir" "${options[@]}"
fi
ninja -C "$builddir"

set +e
meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
set -e
python3 build-aux/test-summary.py "$builddir/meson-logs/testlog.json"
