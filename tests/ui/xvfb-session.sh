# xvfb-session.sh — sourced by UI tests: starts a private Xvfb on a free
# display and a session bus, and tears both down on exit.
# Sets DISPLAY, DBUS_SESSION_BUS_ADDRESS and XVFB_PID.

xvfb_start () {
  local n
  for n in $(seq 90 130); do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    Xvfb ":$n" -screen 0 "${XVFB_SCREEN:-1024x768x24}" -nolisten tcp -noreset >"$UI_WORK/xvfb.log" 2>&1 &
    XVFB_PID=$!
    local i
    for i in $(seq 1 50); do
      if [ -e "/tmp/.X11-unix/X$n" ]; then
        export DISPLAY=":$n"
        return 0
      fi
      kill -0 "$XVFB_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill "$XVFB_PID" 2>/dev/null || true
  done
  echo "could not start Xvfb" >&2
  return 1
}

xvfb_stop () {
  [ -n "${APP_PID:-}" ] && kill "$APP_PID" 2>/dev/null || true
  [ -n "${DBUS_PID:-}" ] && kill "$DBUS_PID" 2>/dev/null || true
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$UI_WORK"
}

UI_WORK=$(mktemp -d)
trap xvfb_stop EXIT
xvfb_start
eval "$(dbus-launch --sh-syntax)"
DBUS_PID=$DBUS_SESSION_BUS_PID
export XDG_RUNTIME_DIR="$UI_WORK/runtime" XDG_CONFIG_HOME="$UI_WORK/config" \
       XDG_DATA_HOME="$UI_WORK/data" XDG_CACHE_HOME="$UI_WORK/cache"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
export GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1
