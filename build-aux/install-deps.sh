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
  # what a desktop has: a keyring for the passwords (the ui suite runs
  # one real gnome-keyring), a font for Chinese text, the zh_CN locale
  gnome-keyring fonts-noto-cjk locales
)

# The locales the translations are tested in (LANG=zh_CN.UTF-8 run.sh).
locales=(zh_CN.UTF-8)

have_locale () {
  # locale -a spells them zh_CN.utf8
  locale -a 2>/dev/null | grep -qix "$(echo "$1" | sed 's/UTF-8$/utf8/')"
}

make_locales () {
  local missing_locales=() l
  for l in "${locales[@]}"; do
    have_locale "$l" || missing_locales+=("$l")
  done
  [ "${#missing_locales[@]}" -eq 0 ] && return 0
  for l in "${missing_locales[@]}"; do
    if grep -q "^# *$l UTF-8" /etc/locale.gen; then
      $SUDO sed -i "s/^# *\($l UTF-8\)/\1/" /etc/locale.gen
    elif ! grep -q "^$l UTF-8" /etc/locale.gen; then
      echo "$l UTF-8" | $SUDO tee -a /etc/locale.gen >/dev/null
    fi
  done
  $SUDO locale-gen >/dev/null
  echo "install-deps: generated ${missing_locales[*]}"
}

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ "${#missing[@]}" -eq 0 ]; then
  make_locales
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# kamailio's package enables a system service; the tests start their own.
if command -v systemctl >/dev/null 2>&1; then
  $SUDO systemctl disable --now kamailio >/dev/null 2>&1 || true
fi
make_locales
echo "install-deps: installed ${#missing[@]} packages"
