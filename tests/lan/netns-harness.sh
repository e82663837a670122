#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A small LAN for Beacon's `lan` tests: N hosts in network namespaces the
# harness creates, joined by a bridge, each with its own D-Bus system bus and
# its own avahi-daemon. Nothing touches the machine's real network: addresses
# are 10.77.0.0/24 inside the namespaces only. Needs root (CAP_SYS_ADMIN and
# CAP_NET_ADMIN) for `ip netns`.
#
#   netns-harness.sh run N -- COMMAND [ARG]...
#       Starts N hosts (1..9), runs COMMAND with the variables below in its
#       environment, and tears everything down when COMMAND ends or the
#       harness is killed (trap on EXIT, INT, TERM, HUP). Exits with COMMAND's
#       status; 77 (skip) when namespaces cannot be made here, or with
#       BEACON_LAN_TAP=1 prints a TAP skip plan and exits 0.
#   netns-harness.sh start RUNDIR N     start N hosts, write RUNDIR/env
#   netns-harness.sh stop RUNDIR        tear down what start made; idempotent
#   netns-harness.sh exec RUNDIR I COMMAND [ARG]...
#       Runs COMMAND on host I (inside its namespace, with its system bus).
#   netns-harness.sh avahi RUNDIR I stop|kill|start
#       Stops (TERM: goodbyes sent), kills (KILL: no goodbye, the host just
#       drops off) or starts again host I's avahi-daemon.
#   netns-harness.sh selftest
#       Two hosts: a service avahi-publish'ed on host 1 is resolved by
#       avahi-browse on host 2, and afterwards no namespace, daemon or run
#       directory is left (the harness proves itself).
#
# RUNDIR/env (shell syntax) and the environment of COMMAND hold:
#   BEACON_LAN_RUNDIR  BEACON_LAN_HOSTS=N  BEACON_LAN_HARNESS (this script)
#   BEACON_LAN_NS_i    namespace of host i
#   BEACON_LAN_ADDR_i  its IPv4 address (10.77.0.i)
#   BEACON_LAN_DBUS_i  its system bus (use as DBUS_SYSTEM_BUS_ADDRESS)
# Logs: RUNDIR/hI/dbus.log, RUNDIR/hI/avahi.log.
#
# How the daemons are kept apart:
# - Network: `ip netns add` per host, plus one namespace holding the bridge
#   (br0, multicast snooping off so mDNS always floods) and one veth pair per
#   host (eth0 inside the host, <prefix>vI on the bridge). IPv6 is disabled in
#   the hosts so avahi only deals with 10.77.0.i.
# - D-Bus: a dbus-daemon per host from a generated config (type system, a
#   unix socket path in RUNDIR, an allow-all policy: the hosts are throwaway).
#   avahi-daemon, avahi-client and avahi-browse find it through
#   DBUS_SYSTEM_BUS_ADDRESS.
# - avahi-daemon: it insists on /run/avahi-daemon/{pid,socket}, a fixed path.
#   Each runs under `ip netns exec NS unshare --mount --propagation private`
#   which mounts a fresh tmpfs on /run in a mount namespace of its own, so the
#   daemons (and any system one) never see each other's pid file. Options:
#   --no-chroot --no-drop-root --no-rlimits -f RUNDIR/hI/avahi.conf
#   (host-name=hostI, allow-interfaces=eth0, use-ipv6=no, enable-dbus=yes).
#   `ip netns exec`, `unshare` and `sh -c 'exec ...'` all exec, so $! is the
#   daemon's own pid and teardown kills it by pid.
# - Teardown: TERM (KILL after 5 s) to every pid the harness started and to
#   every process still inside its namespaces (`ip netns pids`), then
#   `ip netns del`. In `run` it goes in a session of its own (setsid): meson
#   SIGKILLs a timed-out test's whole process group 0.5 s after SIGTERM.
# Every wait is bounded (BEACON_LAN_WAIT seconds, default 15).
set -euo pipefail

self="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
wait_max="${BEACON_LAN_WAIT:-15}"
subnet=10.77.0

die () {
  echo "netns-harness: $*" >&2
  exit 1
}

# Exit 77 is meson's "skipped"; a TAP test (BEACON_LAN_TAP=1) says so in TAP.
skip () {
  echo "netns-harness: SKIP: $*" >&2
  if [ "${BEACON_LAN_TAP:-0}" = 1 ]; then
    echo "1..0 # SKIP $*"
    exit 0
  fi
  exit 77
}

need () {
  command -v "$1" >/dev/null 2>&1 || skip "'$1' not found (see build-aux/install-deps.sh)"
}

# wait_for SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds.
wait_for () {
  local limit=$(( $1 * 10 )) n=0
  shift
  until "$@" >/dev/null 2>&1; do
    n=$((n + 1))
    [ "$n" -lt "$limit" ] || return 1
    sleep 0.1
  done
}

write_dbus_conf () {
  cat >"$1" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=$2</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_type="method_return"/>
    <allow send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="signal"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
  </policy>
</busconfig>
EOF
}

write_avahi_conf () {
  cat >"$1" <<EOF
[server]
host-name=$2
use-ipv4=yes
use-ipv6=no
allow-interfaces=eth0
enable-dbus=yes
ratelimit-interval-usec=1000000
ratelimit-burst=1000
[wide-area]
enable-wide-area=no
[publish]
publish-addresses=yes
publish-hinfo=no
publish-workstation=no
publish-aaaa-on-ipv4=no
publish-a-on-ipv6=no
[reflector]
enable-reflector=no
[rlimits]
EOF
}

# start RUNDIR N [PREFIX]
start () {
  local rundir="$1" n="$2" prefix="${3:-beacon$$}"
  case "$n" in [1-9]) ;; *) die "host count must be 1..9, not '$n'" ;; esac
  [ "$(id -u)" -eq 0 ] || skip "needs root for ip netns"
  need ip; need unshare; need dbus-daemon; need avahi-daemon
  mkdir -p "$rundir"
  rundir="$(cd "$rundir" && pwd)"
  : >"$rundir/pids"
  : >"$rundir/namespaces"

  local br="$prefix-br"
  ip netns add "$br" 2>/dev/null || skip "cannot create network namespaces here"
  echo "$br" >>"$rundir/namespaces"
  ip -n "$br" link set lo up
  ip -n "$br" link add br0 type bridge mcast_snooping 0
  ip -n "$br" link set br0 up

  local env="$rundir/env"
  {
    echo "BEACON_LAN_RUNDIR='$rundir'"
    echo "BEACON_LAN_HOSTS=$n"
    echo "BEACON_LAN_HARNESS='$self'"
  } >"$env"

  local i ns dir sock
  for i in $(seq 1 "$n"); do
    ns="$prefix-h$i"
    dir="$rundir/h$i"
    sock="$dir/dbus.sock"
    mkdir -p "$dir"
    ip netns add "$ns"
    echo "$ns" >>"$rundir/namespaces"
    ip link add "${prefix}v$i" netns "$br" type veth peer name eth0 netns "$ns"
    ip -n "$br" link set "${prefix}v$i" master br0 up
    ip netns exec "$ns" sh -c 'echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6' 2>/dev/null || true
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$subnet.$i/24" dev eth0
    ip -n "$ns" link set eth0 up

    write_dbus_conf "$dir/dbus.conf" "$sock"
    write_avahi_conf "$dir/avahi.conf" "host$i"
    ip netns exec "$ns" dbus-daemon --nofork --nopidfile --config-file="$dir/dbus.conf" \
      >"$dir/dbus.log" 2>&1 </dev/null &
    echo "$! dbus-daemon h$i" >>"$rundir/pids"
    disown $!
    {
      echo "BEACON_LAN_NS_$i='$ns'"
      echo "BEACON_LAN_ADDR_$i=$subnet.$i"
      echo "BEACON_LAN_DBUS_$i='unix:path=$sock'"
    } >>"$env"
  done

  for i in $(seq 1 "$n"); do
    dir="$rundir/h$i"
    wait_for "$wait_max" test -S "$dir/dbus.sock" || die "dbus-daemon of h$i did not start (see $dir/dbus.log)"
    start_avahi "$rundir" "$prefix-h$i" "$i"
  done
  for i in $(seq 1 "$n"); do
    wait_avahi "$rundir" "$i"
  done
}

# start_avahi RUNDIR NS I: avahi-daemon of host I, in the background.
start_avahi () {
  local rundir="$1" ns="$2" i="$3" dir="$1/h$3"
  : >"$dir/avahi.log"
  DBUS_SYSTEM_BUS_ADDRESS="unix:path=$dir/dbus.sock" \
    ip netns exec "$ns" unshare --mount --propagation private \
    sh -c 'mount -t tmpfs -o mode=0755 beacon-run /run && mkdir /run/avahi-daemon &&
           exec avahi-daemon --no-chroot --no-drop-root --no-rlimits --no-proc-title -f "$1"' \
    sh "$dir/avahi.conf" >>"$dir/avahi.log" 2>&1 </dev/null &
  echo "$! avahi-daemon h$i" >>"$rundir/pids"
  # No "Killed" job report when a test kills it on purpose.
  disown $!
}

wait_avahi () {
  local dir="$1/h$2"
  wait_for "$wait_max" grep -q 'Server startup complete' "$dir/avahi.log" ||
    die "avahi-daemon of h$2 did not start (see $dir/avahi.log)"
}

# avahi_ctl RUNDIR I stop|start: the daemon restarts that tests play with.
avahi_ctl () {
  local rundir="$1" i="$2" pid
  # shellcheck disable=SC1091
  . "$rundir/env"
  local ns_var="BEACON_LAN_NS_$i"
  [ -n "${!ns_var:-}" ] || die "no host $i in $rundir"
  case "$3" in
    stop|kill)
      pid="$(awk -v h="h$i" '$2 == "avahi-daemon" && $3 == h { p = $1 } END { print p }' "$rundir/pids")"
      [ -n "$pid" ] || die "no avahi-daemon recorded for h$i"
      if [ "$3" = kill ]; then
        kill -KILL "$pid"
        wait_for "$wait_max" sh -c "! kill -0 $pid" || die "avahi-daemon $pid survived SIGKILL"
      else
        kill_pids "$pid"
      fi
      awk -v p="$pid" '$1 != p' "$rundir/pids" >"$rundir/pids.new"
      mv "$rundir/pids.new" "$rundir/pids"
      ;;
    start)
      start_avahi "$rundir" "${!ns_var}" "$i"
      wait_avahi "$rundir" "$i"
      ;;
    *) die "avahi: stop, kill or start, not '$3'" ;;
  esac
}

# Kills PIDS: TERM, then KILL whatever is left after a bounded wait.
kill_pids () {
  [ "$#" -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  local n=0 p alive
  while [ "$n" -lt 50 ]; do
    alive=0
    for p in "$@"; do
      kill -0 "$p" 2>/dev/null && alive=1
    done
    [ "$alive" -eq 1 ] || return 0
    n=$((n + 1))
    sleep 0.1
  done
  kill -KILL "$@" 2>/dev/null || true
}

stop () {
  local rundir="$1" ns pids=()
  [ -d "$rundir" ] || return 0
  # Whatever a test left running inside our namespaces, then our daemons.
  if [ -s "$rundir/namespaces" ]; then
    while read -r ns; do
      pids+=($(ip netns pids "$ns" 2>/dev/null || true))
    done <"$rundir/namespaces"
  fi
  if [ -s "$rundir/pids" ]; then
    pids+=($(cut -d' ' -f1 "$rundir/pids"))
  fi
  kill_pids "${pids[@]}"
  if [ -s "$rundir/namespaces" ]; then
    while read -r ns; do
      ip netns del "$ns" 2>/dev/null || true
    done <"$rundir/namespaces"
  fi
  : >"$rundir/pids"
  : >"$rundir/namespaces"
}

host_exec () {
  local rundir="$1" i="$2"
  shift 2
  # shellcheck disable=SC1091
  . "$rundir/env"
  local ns_var="BEACON_LAN_NS_$i" dbus_var="BEACON_LAN_DBUS_$i"
  [ -n "${!ns_var:-}" ] || die "no host $i in $rundir"
  DBUS_SYSTEM_BUS_ADDRESS="${!dbus_var}" exec ip netns exec "${!ns_var}" "$@"
}

run () {
  local n="$1"
  shift
  [ "${1:-}" = "--" ] && shift
  [ "$#" -gt 0 ] || die "run: no command"
  need setsid
  # Global: the EXIT trap runs after this function has returned.
  run_dir="$(mktemp -d "${TMPDIR:-/tmp}/beacon-lan.XXXXXX")"
  # meson kills a test's whole process group on timeout, SIGKILL 0.5 s after
  # SIGTERM: the teardown runs in a session of its own so it still finishes.
  trap 'setsid "$self" stop-and-remove "$run_dir" </dev/null & wait $!' EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  trap 'exit 129' HUP
  start "$run_dir" "$n" "beacon$$"
  set -a
  # shellcheck disable=SC1091
  . "$run_dir/env"
  set +a
  # In the background, so that a signal runs the trap at once.
  "$@" &
  local child=$!
  echo "$child command" >>"$run_dir/pids"
  local status=0
  wait "$child" || status=$?
  return "$status"
}

# Harness self-test: host 2 resolves what host 1 publishes.
selftest_inner () {
  local pub browse out="$BEACON_LAN_RUNDIR/browse.out" n=0
  # What the teardown must remove, for selftest to check afterwards.
  {
    echo "rundir $BEACON_LAN_RUNDIR"
    echo "ns $BEACON_LAN_NS_1"
    echo "ns $BEACON_LAN_NS_2"
    cut -d' ' -f1 "$BEACON_LAN_RUNDIR/pids" | sed 's/^/pid /'
  } >"$BEACON_LAN_SELFTEST_OUT"
  "$self" exec "$BEACON_LAN_RUNDIR" 1 avahi-publish -s "selftest-$$" _beacon-sip._udp 5060 \
    "aor=sip:selftest@host1" proto=1 >"$BEACON_LAN_RUNDIR/publish.log" 2>&1 &
  pub=$!
  while [ "$n" -lt "$wait_max" ]; do
    "$self" exec "$BEACON_LAN_RUNDIR" 2 timeout 5 avahi-browse -rtp _beacon-sip._udp >"$out" 2>&1 || true
    if grep -q "^=;eth0;IPv4;selftest-$$;_beacon-sip._udp;local;host1.local;$BEACON_LAN_ADDR_1;5060;.*aor=sip:selftest@host1" "$out"; then
      kill "$pub" 2>/dev/null || true
      echo "netns-harness: selftest ok: host 2 resolved host 1's service"
      return 0
    fi
    n=$((n + 1))
    sleep 1
  done
  kill "$pub" 2>/dev/null || true
  echo "netns-harness: selftest FAILED; avahi-browse on host 2 said:" >&2
  cat "$out" >&2
  return 1
}

# The self-test, then a check that the teardown left nothing behind.
selftest () {
  local record status=0 kind what leftover=0
  record="$(mktemp)"
  BEACON_LAN_SELFTEST_OUT="$record" "$self" run 2 -- "$self" selftest-inner || status=$?
  [ "$status" -eq 0 ] || { rm -f "$record"; return "$status"; }
  [ -s "$record" ] || { rm -f "$record"; die "selftest: nothing recorded"; }
  while read -r kind what; do
    case "$kind" in
      rundir) [ ! -e "$what" ] || { echo "netns-harness: left behind $what" >&2; leftover=1; } ;;
      ns) ! ip netns list | grep -qw "$what" || { echo "netns-harness: left behind namespace $what" >&2; leftover=1; } ;;
      pid) ! kill -0 "$what" 2>/dev/null || { echo "netns-harness: left behind pid $what" >&2; leftover=1; } ;;
    esac
  done <"$record"
  rm -f "$record"
  [ "$leftover" -eq 0 ] || die "selftest: the teardown left things behind"
  echo "netns-harness: selftest ok: the teardown removed everything"
}

case "${1:-}" in
  run)   shift; [ "$#" -ge 2 ] || die "usage: run N -- COMMAND..."; run "$@" ;;
  start) [ "$#" -eq 3 ] || die "usage: start RUNDIR N"; start "$2" "$3" ;;
  stop)  [ "$#" -eq 2 ] || die "usage: stop RUNDIR"; stop "$2" ;;
  stop-and-remove) [ "$#" -eq 2 ] || die "usage: stop-and-remove RUNDIR"
                   stop "$2"; rm -rf "$2" ;;
  avahi) [ "$#" -eq 4 ] || die "usage: avahi RUNDIR I stop|kill|start"; avahi_ctl "$2" "$3" "$4" ;;
  exec)  [ "$#" -ge 4 ] || die "usage: exec RUNDIR I COMMAND..."; shift; host_exec "$@" ;;
  selftest) need avahi-publish; need avahi-browse; need timeout; selftest ;;
  selftest-inner) selftest_inner ;;
  *) die "usage: run N -- COMMAND... | start RUNDIR N | stop RUNDIR | exec RUNDIR I COMMAND... | selftest" ;;
esac
