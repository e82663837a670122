#!/usr/bin/env bash
# Installs every Debian 12 package Beacon needs to build, run and test.
# Idempotent: packages already present are left alone; safe to run again.
set -euo pipefail

packages=(
  # build
  build-essential meson ninja-build pkg-config gettext itstool clang
  libclang-rt-14-dev llvm
  # libraries
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsofia-sip-ua-glib-dev
  libxml2-dev libavahi-client-dev libavahi-glib-dev libsoup-3.0-dev
  libsqlite3-dev libsecret-1-dev glib-networking
  # sofia-sip does TLS with OpenSSL; the engine caps it at TLS 1.2 (sofia-sip 1.12 cannot read TLS 1.3 tickets)
  libssl-dev
  # validation of data files
  desktop-file-utils appstream libglib2.0-bin
  # test peers and harness
  kamailio kamailio-presence-modules kamailio-xml-modules
  kamailio-sqlite-modules kamailio-utils-modules kamailio-tls-modules openssl
  avahi-daemon avahi-utils dbus iproute2 xvfb xauth xdotool x11-utils imagemagick sip-tester
  procps psmisc sqlite3 curl
  # the lan suite's drivers (tests/lan/*.py, stdlib only)
  python3
  # desktop runtime bits the UI smoke test needs
  dbus-x11 adwaita-icon-theme fonts-cantarell
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# kamailio's package enables a system service; the tests start their own.
if command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now kamailio >/dev/null 2>&1 || true
fi
echo "install-deps: installed ${#missing[@]} packages"
