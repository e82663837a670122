#!/usr/bin/env bash
# UI smoke test: the app starts under Xvfb, maps a window titled "Beacon",
# and a screenshot of that window is not blank. The screenshot is kept in
# the build dir (tests/ui/screenshots/) as an artifact.
set -euo pipefail
app=$1
shots="$BEACON_BUILD_ROOT/tests/ui/screenshots"
mkdir -p "$shots"
. "$(dirname "$0")/xvfb-session.sh"

# Leak reports from GTK's caches at exit are not ours to fix here.
ASAN_OPTIONS=detect_leaks=0 "$app" >"$UI_WORK/app.log" 2>&1 &
APP_PID=$!

win=""
for _ in $(seq 1 100); do
  win=$(xdotool search --sync --onlyvisible --name '^Beacon$' 2>/dev/null | head -n1 || true)
  [ -n "$win" ] && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$UI_WORK/app.log" >&2; echo "app exited early" >&2; exit 1; }
  sleep 0.1
done
[ -n "$win" ] || { cat "$UI_WORK/app.log" >&2; echo "no window titled Beacon" >&2; exit 1; }
sleep 1  # let the first frames render

import -window "$win" "$shots/main-window.png"
read -r w h colors stddev < <(convert "$shots/main-window.png" -format '%w %h %k %[fx:standard_deviation]\n' info:)
echo "main window ${w}x${h}, $colors colours, stddev $stddev -> $shots/main-window.png"
[ "$w" -ge 200 ] && [ "$h" -ge 200 ] || { echo "window too small" >&2; exit 1; }
[ "$colors" -ge 16 ] || { echo "screenshot is blank ($colors colours)" >&2; exit 1; }
awk -v s="$stddev" 'BEGIN { exit !(s > 0.02) }' || { echo "screenshot is flat" >&2; exit 1; }

kill "$APP_PID"
wait "$APP_PID" 2>/dev/null || true
APP_PID=""
if grep -E 'CRITICAL|ERROR|runtime error|AddressSanitizer' "$UI_WORK/app.log" >&2; then
  echo "the app logged errors" >&2
  exit 1
fi
echo "ok"
