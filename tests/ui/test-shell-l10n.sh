#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-shell-l10n.sh readme|install
#
# readme: the app launched as the README says, LANG=zh_CN.UTF-8
#   ./build-aux/run.sh (BEACON_BUILDDIR = this build, so nothing is built
#   elsewhere; install-deps is a no-op when all is there), under a private
#   Xvfb: the window shows Chinese (its labels, dumped by the app's
#   BEACON_TEST_DUMP_TEXT hook) and a screenshot is kept.
# install: `meson install --destdir` into a temporary directory gives the
#   desktop file, the icons, the compiled schema, the translations and the
#   metainfo, which validate; the installed binary starts and shows Chinese.
set -euo pipefail

mode=$1
src="${BEACON_SOURCE_ROOT:?}"
build="${BEACON_BUILD_ROOT:?}"
shots="$build/tests/ui/screenshots"
mkdir -p "$shots"
app_id=io.github.beacon_im.Beacon
# shellcheck disable=SC1091
. "$(dirname "$0")/xvfb-session.sh"
export ASAN_OPTIONS=detect_leaks=0

fail () { echo "FAIL: $*" >&2; [ -f "$UI_WORK/app.log" ] && tail -n 30 "$UI_WORK/app.log" >&2; exit 1; }

locale -a | grep -qix 'zh_CN.utf8' || fail "the zh_CN.UTF-8 locale is missing (build-aux/install-deps.sh makes it)"
[ -n "$(fc-list :lang=zh family 2>/dev/null)" ] || fail "no font covers Chinese (fonts-noto-cjk)"

# Waits for the app's dump of its window's labels, checks the language,
# screenshots the window as @1.
check_window () {
  local shot=$1 dump="$UI_WORK/labels.txt" win=""
  for _ in $(seq 1 600); do
    [ -s "$dump" ] && break
    kill -0 "$APP_PID" 2>/dev/null || fail "the app exited early"
    sleep 0.1
  done
  [ -s "$dump" ] || fail "the window never drew (no label dump after 60 s)"
  echo "labels shown:"; sed 's/^/  /' "$dump"
  grep -qF '欢迎使用 Beacon' "$dump" || fail "the welcome page is not in Chinese"
  grep -qF 'Welcome to Beacon' "$dump" && fail "English text is shown"
  win=$(xdotool search --onlyvisible --name '^Beacon$' 2>/dev/null | head -n1 || true)
  [ -n "$win" ] || fail "no visible window titled Beacon"
  sleep 0.5
  import -window "$win" "$shots/$shot.png"
  read -r colors < <(convert "$shots/$shot.png" -format '%k\n' info:)
  [ "$colors" -ge 16 ] || fail "the screenshot is blank"
  echo "screenshot: $shots/$shot.png"
}

stop_app () {
  kill "$APP_PID" 2>/dev/null || true
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
  if grep -E 'CRITICAL|runtime error|AddressSanitizer' "$UI_WORK/app.log" >&2; then
    fail "the app logged errors"
  fi
}

case "$mode" in
  readme)
    cd "$src"
    LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= BEACON_BUILDDIR="$build" BEACON_RUN_NO_AVAHI=1 \
      BEACON_TEST_DUMP_TEXT="$UI_WORK/labels.txt" \
      ./build-aux/run.sh >"$UI_WORK/app.log" 2>&1 &
    APP_PID=$!
    check_window shell-zh_CN-run-sh
    stop_app
    ;;
  install)
    dest="$UI_WORK/dest"
    meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$UI_WORK/install.log" 2>&1 ||
      { cat "$UI_WORK/install.log" >&2; fail "meson install failed"; }
    prefix="$(meson introspect "$build" --buildoptions |
              python3 -c 'import json,sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"))')"
    root="$dest$prefix"
    # meson skips the post-install steps under a DESTDIR (a package's
    # trigger does them): do the schema's here, strictly, as the system would.
    glib-compile-schemas --strict "$root/share/glib-2.0/schemas" || fail "the installed schema does not compile"
    for f in bin/beacon \
             "share/applications/$app_id.desktop" \
             "share/metainfo/$app_id.metainfo.xml" \
             "share/icons/hicolor/scalable/apps/$app_id.svg" \
             "share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg" \
             "share/glib-2.0/schemas/$app_id.gschema.xml" \
             share/glib-2.0/schemas/gschemas.compiled \
             share/locale/zh_CN/LC_MESSAGES/beacon.mo; do
      [ -e "$root/$f" ] || fail "not installed: $f"
      echo "installed: $f"
    done
    desktop-file-validate "$root/share/applications/$app_id.desktop" || fail "the desktop file does not validate"
    appstreamcli validate --no-net "$root/share/metainfo/$app_id.metainfo.xml" || fail "the metainfo does not validate"
    grep -q "^Name\[zh_CN\]=" "$root/share/applications/$app_id.desktop" || fail "the desktop file has no zh_CN name"
    # The installed binary, with nothing of the build tree: its own
    # schema (what the prefix's compiled schemas give) and translations.
    env -u BEACON_LOCALEDIR LANG=zh_CN.UTF-8 LC_ALL= LANGUAGE= \
      GSETTINGS_SCHEMA_DIR="$root/share/glib-2.0/schemas" \
      BEACON_TEST_DUMP_TEXT="$UI_WORK/labels.txt" \
      "$root/bin/beacon" >"$UI_WORK/app.log" 2>&1 &
    APP_PID=$!
    check_window shell-zh_CN-installed
    stop_app
    ;;
  *)
    echo "usage: $0 readme|install" >&2
    exit 2
    ;;
esac
echo ok
