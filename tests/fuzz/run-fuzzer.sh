#!/usr/bin/env bash
# run-fuzzer.sh FUZZER SECONDS SEED_DIR... — runs a libFuzzer target for a
# bounded time on a fresh corpus seeded from the fixtures; fails on any crash,
# leak, sanitizer report or timeout it finds. BEACON_FUZZ_SECONDS (the
# longer run, see README) overrides SECONDS.
set -euo pipefail
fuzzer=$1 seconds=${BEACON_FUZZ_SECONDS:-$2}
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
for dir in "$@"; do
  [ -d "$BEACON_SOURCE_ROOT/tests/data/$dir" ] || { echo "no seed dir tests/data/$dir" >&2; exit 1; }
  find "$BEACON_SOURCE_ROOT/tests/data/$dir" -type f -size -1024k -exec cp -t "$work/corpus" {} +
done
n=$(ls "$work/corpus" | wc -l)
[ "$n" -gt 0 ] || { echo "empty seed corpus" >&2; exit 1; }
echo "fuzzing $(basename "$fuzzer") for ${seconds}s from $n seeds"
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=262144 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" 2>&1 | tail -n 30 \
  && status=0 || status=${PIPESTATUS[0]}
# (libFuzzer exits 77 on a finding; meson would read that as "skipped".)
if [ "$status" -ne 0 ] || [ -n "$(ls -A "$work/artifacts")" ]; then
  echo "fuzzer found a problem (exit $status):" >&2
  for f in "$work/artifacts"/*; do [ -f "$f" ] && { echo "== $f" >&2; head -c 512 "$f" | od -c | head -20 >&2; }; done
  exit 1
fi
