#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# App start-up under a private Xvfb: time from exec to the main window's
# first frame, and resident memory then, with 0 and 1,000 buddies (an
# account that talks to nobody: BEACON_BENCH_BUDDIES, see src/ui/beacon-hooks.c),
# and the same for a bare libadwaita window (bench-hello) for comparison.
# Median of RUNS runs (default 7) after one warm-up run.
#
#   bench-startup.sh BUILDDIR WORKDIR
set -euo pipefail
builddir="$(cd "$1" && pwd)"
mkdir -p "$2"
runs="${RUNS:-7}"
here="$(cd "$(dirname "$0")" && pwd)"

# shellcheck source=../tests/ui/xvfb-session.sh
. "$here/../tests/ui/xvfb-session.sh"
export GSETTINGS_SCHEMA_DIR="$builddir/data" GSETTINGS_BACKEND=memory
export BEACON_BENCH_EXIT_AFTER_MAP=1

median () { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# "hello": bench/bench-hello.c, a bare libadwaita window (the toolkit's share).
# Each also with GDK_DEBUG=gl-disable ("nogl"): under Xvfb GDK still loads
# Mesa's software GL (llvmpipe) even with the cairo renderer, and that alone
# is ~60 MB of RSS.
for gl in "" nogl; do
  for buddies in hello 0 1000; do
    tag="$buddies${gl:+.$gl}"
    : > "$2/ms-$tag"; : > "$2/rss-$tag"
    app="$builddir/src/ui/beacon"
    [ "$buddies" = hello ] && app="$builddir/bench/bench-hello"
    [ -x "$app" ] || continue
    gdk_debug=""; [ -n "$gl" ] && gdk_debug=gl-disable
    for i in $(seq 0 "$runs"); do
      line="$(GDK_DEBUG=$gdk_debug BEACON_BENCH_BUDDIES=$buddies \
        BEACON_BENCH_T0_US=$(( $(date +%s%N) / 1000 )) \
        timeout 30 "$app" 2>>"$2/stderr" | grep '^beacon-bench:' || true)"
      [ -n "$line" ] || { echo "bench-startup: run $i of $tag printed nothing" >&2; continue; }
      [ "$i" = 0 ] && continue   # warm-up: caches
      ms="$(sed -n 's/.*first-frame-ms=\([0-9.]*\).*/\1/p' <<<"$line")"
      rss="$(sed -n 's/.*rss-kib=\([0-9]*\).*/\1/p' <<<"$line")"
      echo "$ms" >> "$2/ms-$tag"; echo "$rss" >> "$2/rss-$tag"
    done
    [ -s "$2/ms-$tag" ] || continue
    echo "startup ($tag): first frame $(median < "$2/ms-$tag") ms, RSS $(median < "$2/rss-$tag") KiB (median of $(wc -l < "$2/ms-$tag"))"
    echo "RESULT startup.$tag.first_frame_ms $(median < "$2/ms-$tag") ms"
    echo "RESULT startup.$tag.rss_mib $(awk -v k="$(median < "$2/rss-$tag")" 'BEGIN { printf "%.1f", k / 1024 }') MiB"
  done
done
