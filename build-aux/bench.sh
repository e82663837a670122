#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Installs what is needed, builds Beacon optimised (_build/bench, release, no
# sanitizers), runs every benchmark against Kamailio on loopback and writes
# the figures to bench/RESULTS.md (figures section between the BEGIN/END
# markers; the analysis around it is kept).
#
#   ./build-aux/bench.sh            everything
#   BENCH_ONLY="latency chat" ./build-aux/bench.sh    a subset of:
#       latency chat biglist startup linphone lan
#   BENCH_SIZES="1000 5000"  big list sizes      BENCH_CHANGES=200
#
# Figures, not tests: nothing here fails on a slow machine. Runs under nice.
set -euo pipefail
cd "$(dirname "$0")/.."
src="$PWD"

bash build-aux/install-deps.sh
# linphonec only for the side-by-side figures; not needed to build or test.
if ! command -v linphonec >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends linphone-cli ||
    echo "bench: linphone-cli could not be installed; its figures are skipped" >&2
fi

builddir="${BEACON_BENCH_BUILDDIR:-_build/bench}"
[ -d "$builddir/meson-private" ] || meson setup "$builddir" -Dbuildtype=release
# Only what the benchmarks run: a half-finished part elsewhere in the tree
# must not stop them.
targets=(bench/bench-latency bench/bench-chat bench/bench-biglist bench/bench-linphone
         bench/bench-rlmi src/ui/beacon bench/bench-hello data/gschemas.compiled src/cli/beacon-cli)
nice ninja -C "$builddir" "${targets[@]}"

only="${BENCH_ONLY:-latency chat biglist startup linphone lan}"
sizes="${BENCH_SIZES:-1000 5000}"
changes="${BENCH_CHANGES:-200}"
harness="$src/tests/server/kamailio-harness.sh"
work="$(mktemp -d /tmp/beacon-bench-XXXXXX)"
out="$work/results.txt"
: > "$out"
rundirs=()
cleanup () {
  local r
  for r in "${rundirs[@]}"; do bash "$harness" stop "$r" >/dev/null 2>&1 || true; done
  [ -n "${KEEP_BENCH:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

wants () { [[ " $only " == *" $1 "* ]]; }
result () { echo "RESULT $*" | tee -a "$out"; }
# A benchmark that fails (lost too many samples...) is reported, the rest goes on.
run_bench () {
  nice "$@" | tee -a "$out" ||
    echo "bench: $(basename "$1") did not complete (see above); its figures are partial" >&2
}

# server_start NAME USER:PASS...: a fresh Kamailio in $work/NAME, env sourced.
server_start () {
  local name="$1"; shift
  local r="$work/$name"
  rundirs+=("$r")
  bash "$harness" start "$r" "$@" >/dev/null
  # shellcheck disable=SC1091
  . "$r/env"
  rundir="$r"
}
server_stop () { bash "$harness" stop "$rundir" >/dev/null; }

# xcap_put USER AUID CONTENT-TYPE FILE: prints "code seconds".
xcap_put () {
  curl -s -m 60 -o /dev/null -w '%{http_code} %{time_total}' -X PUT --digest -u "$1:$1-secret" \
    -H "Content-Type: $3" --data-binary "@$4" "$XCAP_ROOT/$2/users/sip:$1@$DOMAIN/index"
}

# Gives alice a list of N buddies b1..bN, each published and allowing her.
seed_list () {
  local n="$1" code secs
  python3 "$src/bench/bench-seed.py" "$rundir/seed" "$n" "$DOMAIN" "$XCAP_ROOT"
  sqlite3 "$rundir/db/beacon.sqlite" < "$rundir/seed/users.sql"
  # sipp exits with 1 when some calls failed (a lost UDP PUBLISH on a busy
  # machine): the list is then measured against what was published.
  local rc=0 failed
  nice sipp -sf "$src/bench/sipp-publish-many.xml" -inf "$rundir/seed/publish.csv" \
    -key domain "$DOMAIN" -i "$SIP_HOST" -p 0 -m "$n" -r 300 -l 100 -nostdin -timeout 120s \
    "$SIP_HOST:$SIP_PORT" > "$rundir/sipp.out" 2>&1 || rc=$?
  failed="$(awk -F'|' '/Failed call/ { gsub(/ /, "", $3); print $3 }' "$rundir/sipp.out" | tail -n 1)"
  if [ "$rc" -gt 1 ] || [ -z "$failed" ] || [ "$failed" -gt $((n / 100)) ]; then
    echo "bench: sipp PUBLISH of $n buddies failed (see $rundir/sipp.out)" >&2
    return 1
  fi
  published=$((n - failed))
  result "biglist.$n.published" "$published" n
  read -r code secs < <(xcap_put alice resource-lists application/resource-lists+xml \
    "$rundir/seed/resource-lists.xml")
  [ "$code" = 200 ] || { echo "bench: XCAP PUT of a $n-entry list: $code" >&2; return 1; }
  result "biglist.$n.xcap_put_ms" "$(awk -v s="$secs" 'BEGIN { printf "%.3f", s * 1000 }')" ms
  read -r code secs < <(xcap_put alice rls-services application/rls-services+xml \
    "$rundir/seed/rls-services.xml")
  [ "$code" = 200 ] || { echo "bench: XCAP PUT of rls-services: $code" >&2; return 1; }
}

# Two users for latency/chat: bob allows alice, alice's list holds bob.
seed_pair () {
  python3 "$src/bench/bench-seed.py" "$rundir/seed" 1 "$DOMAIN" "$XCAP_ROOT"
  sed -e 's/\bb1\b/bob/g; s/sip:bob@/sip:bob@/g' "$rundir/seed/users.sql" |
    grep -v 'INTO subscriber' | sqlite3 "$rundir/db/beacon.sqlite"
  sed -e 's/sip:b1@/sip:bob@/' "$rundir/seed/resource-lists.xml" > "$rundir/seed/rl-bob.xml"
  xcap_put alice resource-lists application/resource-lists+xml "$rundir/seed/rl-bob.xml" >/dev/null
  xcap_put alice rls-services application/rls-services+xml "$rundir/seed/rls-services.xml" >/dev/null
}

bin="$builddir/bench"

# linphone_rc FILE FRIEND...: linphonec as alice over UDP, no media, each
# FRIEND (a user name) subscribed to individually.
linphone_rc () {
  local file="$1" i=0 f; shift
  {
    printf '[sip]\nsip_port=-1\nsip_tcp_port=0\ndefault_proxy=0\n\n'
    printf '[proxy_0]\nreg_proxy=<sip:%s:%s;transport=udp>\n' "$SIP_HOST" "$SIP_PORT"
    printf 'reg_route=<sip:%s:%s;transport=udp>\n' "$SIP_HOST" "$SIP_PORT"
    printf 'reg_identity=sip:alice@%s\nreg_expires=600\nreg_sendregister=1\npublish=0\n\n' "$DOMAIN"
    printf '[auth_info_0]\nusername=alice\npasswd=alice-secret\nrealm=%s\ndomain=%s\n\n' \
      "$DOMAIN" "$DOMAIN"
    for f in "$@"; do
      printf '[friend_%d]\nurl="%s" <sip:%s@%s>\npol=accept\nsubscribe=1\n\n' "$i" "$f" "$f" "$DOMAIN"
      i=$((i + 1))
    done
  } > "$file"
}
have_linphone () { wants linphone && command -v linphonec >/dev/null 2>&1; }

if wants latency || wants chat || wants linphone; then
  server_start pair alice:alice-secret bob:bob-secret carol:carol-secret
  seed_pair
  if wants latency; then
    run_bench "$bin/bench-latency" "$rundir" --changes "$changes"
    run_bench "$bin/bench-latency" "$rundir" --changes 20 --rls
  fi
  if wants chat; then
    run_bench "$bin/bench-chat" "$rundir" --rounds 1000
    run_bench "$bin/bench-chat" "$rundir" --rounds 500 --history "$work/history"
  fi
  if have_linphone; then
    linphone_rc "$rundir/linphonerc" bob
    run_bench "$bin/bench-linphone" "$rundir" --rc "$rundir/linphonerc" --changes "$changes"
  elif wants linphone; then
    result linphone.skipped 1 n
  fi
  server_stop
fi

if wants biglist; then
  for n in $sizes; do
    # Kamailio keeps the presence/RLS state in shared memory: 64 MB is
    # exhausted by ~700 back-end subscriptions (see RESULTS.md).
    BEACON_SERVER_SHM_MB=1024 server_start "list$n" alice:alice-secret
    if seed_list "$n"; then
      run_bench "$bin/bench-biglist" "$rundir" --buddies "$n" --expect "$published" --timeout 120
      if have_linphone; then
        # shellcheck disable=SC2046
        linphone_rc "$rundir/linphonerc" $(seq -f 'b%g' 1 "$n")
        run_bench "$bin/bench-linphone" "$rundir" --rc "$rundir/linphonerc" --list "$n" \
          --timeout 120
      fi
    fi
    server_stop
  done
fi

if wants biglist; then
  # The client's share of a big list: one full-state NOTIFY, no network.
  for n in $sizes; do
    run_bench "$bin/bench-rlmi" --buddies "$n" --rounds 5
  done
fi

if wants startup; then
  run_bench bash "$src/bench/bench-startup.sh" "$builddir" "$work/startup"
fi

if wants lan; then
  # Two hosts in network namespaces with their own avahi-daemon (the lan
  # test suite's harness); needs root, like that suite.
  if [ "$(id -u)" -eq 0 ]; then
    run_bench bash "$src/tests/lan/netns-harness.sh" run 2 -- \
      python3 "$src/bench/bench-lan.py" "$builddir/src/cli/beacon-cli" "${BENCH_LAN_ROUNDS:-10}"
  else
    echo "bench: the LAN figures need root (network namespaces); skipped" >&2
  fi
fi

python3 "$src/bench/bench-report.py" "$out" "$src/bench/RESULTS.md"
echo "bench: figures written to bench/RESULTS.md"
