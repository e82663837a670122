#!/usr/bin/env bash
# Installs what is needed, builds with clang + ASan/UBSan (and libFuzzer
# targets), and runs every suite: unit, server, lan, ui, fuzz. Then builds
# again with gcc, optimised and without sanitizers, and runs the unit suite
# there too: code that depends on the order arguments are evaluated in, or
# on what the sanitizers' allocator hides, fails one build and not the other.
# Ends with the line "N passed, N failed"; exits non-zero on any failure or skip.
set -euo pipefail
cd "$(dirname "$0")/.."

bash build-aux/install-deps.sh

builddir=${BEACON_TEST_BUILDDIR:-_build/test}
# --werror: the project's own code builds without a warning (meson.build
# lists them), in both builds.
options=(--buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzing=true --werror)
if [ -d "$builddir/meson-private" ]; then
  meson setup --reconfigure "$builddir" "${options[@]}" >/dev/null
else
  CC=clang meson setup "$builddir" "${options[@]}"
fi
ninja -C "$builddir"

set +e
meson test -C "$builddir" --print-errorlogs --num-processes 2 "$@"
set -e
logs=("$builddir/meson-logs/testlog.json")

# The second build, unless a single test or suite was asked for.
if [ $# -eq 0 ]; then
  gccdir=${BEACON_TEST_GCC_BUILDDIR:-_build/test-gcc}
  [ -d "$gccdir/meson-private" ] ||
    CC=gcc meson setup "$gccdir" --buildtype=debugoptimized -Dfuzzing=false --werror
  ninja -C "$gccdir"
  set +e
  meson test -C "$gccdir" --print-errorlogs --num-processes 2 --suite unit
  set -e
  logs+=("$gccdir/meson-logs/testlog.json")
fi
python3 build-aux/test-summary.py "${logs[@]}"
