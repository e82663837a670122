#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Starts and stops Beacon's Kamailio presence server (data/server/kamailio.cfg)
# for tests, on 127.0.0.1 only, on free random ports, as any user.
#
#   kamailio-harness.sh start RUNDIR USER:PASS...
#       Creates RUNDIR, provisions the databases and users, starts Kamailio in
#       the background (log: RUNDIR/kamailio.log), waits until it answers and
#       writes RUNDIR/env (shell syntax):
#         SIP_HOST SIP_PORT HTTP_PORT DOMAIN XCAP_ROOT KAMAILIO_PID
#       SIP is on udp+tcp SIP_HOST:SIP_PORT, XCAP on http://SIP_HOST:HTTP_PORT.
#   kamailio-harness.sh stop RUNDIR
#       TERM, then KILL after 5 s, of the whole process group; idempotent.
#   kamailio-harness.sh restart RUNDIR
#       stop, then start again on the same ports with the same databases.
#   kamailio-harness.sh crash RUNDIR
#       SIGKILL to the whole group at once (restart brings it back).
#   kamailio-harness.sh freeze|thaw RUNDIR
#       SIGSTOP / SIGCONT to the whole group: a server that stops answering.
#   kamailio-harness.sh init RUNDIR USER:PASS...
#       Only provisions RUNDIR/db (what start does before starting).
#
# Environment (all optional):
#   BEACON_SERVER_DOMAIN   SIP domain and digest realm (default beacon.test)
#   BEACON_SERVER_CFG      config file (default data/server/kamailio.cfg)
#   KAMAILIO               kamailio binary (default: kamailio in PATH)
#   BEACON_SERVER_SHM_MB   shared memory, MB (default 64; big lists need more)
#   BEACON_SERVER_PKG_MB   private memory per process, MB (default 8)
#   BEACON_HARNESS_TLS     1: also SIP over TLS (kamailio -A WITH_TLS) with a
#                          throwaway CA and server certificate for SIP_HOST made
#                          in RUNDIR/tls; env then also has TLS_PORT and CA_FILE
#                          (the CA that signed it) and OTHER_CA_FILE (a CA that
#                          did not, for tests of untrusted servers).
#
# Users: USER is [A-Za-z0-9._-]+, PASS is everything after the first ':'.
# Needs: kamailio (+ presence, xml, sqlite, utils modules), sqlite3, curl, ss;
# with BEACON_HARNESS_TLS also kamailio-tls-modules and openssl.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
srcroot="$(cd "$here/../.." && pwd)"

cfg="${BEACON_SERVER_CFG:-$srcroot/data/server/kamailio.cfg}"
domain="${BEACON_SERVER_DOMAIN:-beacon.test}"
kamailio="${KAMAILIO:-kamailio}"
host=127.0.0.1
sqlite_schema=/usr/share/kamailio/db_sqlite
dbtext_schema=/usr/share/kamailio/dbtext/kamailio

die () {
  echo "kamailio-harness: $*" >&2
  exit 1
}

need () {
  command -v "$1" >/dev/null 2>&1 || die "'$1' not found (see build-aux/install-deps.sh)"
}

md5 () {
  printf '%s' "$1" | md5sum | cut -d' ' -f1
}

# Databases: SQLite for accounts, XCAP documents and offline messages;
# db_text for the presence/pua/rls soft state (see kamailio.cfg for why).
provision () {
  local rundir="$1"; shift
  local dbdir="$rundir/db"
  local sqlite="$dbdir/beacon.sqlite"
  local dbtext="$dbdir/dbtext"

  need sqlite3
  mkdir -p "$dbtext"

  if [ ! -s "$sqlite" ]; then
    local f
    for f in standard auth_db presence msilo; do
      [ -r "$sqlite_schema/$f-create.sql" ] || die "missing $sqlite_schema/$f-create.sql (kamailio-sqlite-modules)"
    done
    {
      echo "PRAGMA journal_mode=WAL;"
      echo "BEGIN;"
      cat "$sqlite_schema/standard-create.sql" "$sqlite_schema/auth_db-create.sql" \
          "$sqlite_schema/presence-create.sql" "$sqlite_schema/msilo-create.sql"
      echo "COMMIT;"
    } | sqlite3 "$sqlite" >/dev/null
  fi

  local t
  for t in version presentity active_watchers watchers pua rls_presentity rls_watchers; do
    [ -r "$dbtext_schema/$t" ] || die "missing $dbtext_schema/$t (kamailio package)"
    # Soft state starts empty on every provisioning: only the header line.
    if [ "$t" = version ]; then
      cp "$dbtext_schema/$t" "$dbtext/$t"
    elif [ "$t" = active_watchers ]; then
      # db_text has no column defaults and presence's write-back timer
      # inserts no "flags": "null value not allowed" unless it may be null.
      head -n 1 "$dbtext_schema/$t" | sed 's/ flags(int) / flags(int,null) /' > "$dbtext/$t"
      grep -q ' flags(int,null) ' "$dbtext/$t" || die "unexpected $dbtext_schema/$t header"
    else
      head -n 1 "$dbtext_schema/$t" > "$dbtext/$t"
    fi
  done

  local spec user pass sql=""
  for spec in "$@"; do
    case "$spec" in
      *:*) ;;
      *) die "user '$spec' is not USER:PASS" ;;
    esac
    user="${spec%%:*}"
    pass="${spec#*:}"
    [[ "$user" =~ ^[A-Za-z0-9._-]+$ ]] || die "bad user name '$user'"
    sql+="INSERT OR REPLACE INTO subscriber (username, domain, password, ha1, ha1b)"
    sql+=" VALUES ('$user', '$domain', '', '$(md5 "$user:$domain:$pass")',"
    sql+=" '$(md5 "$user@$domain:$domain:$pass")');"
  done
  if [ -n "$sql" ]; then
    sqlite3 "$sqlite" "BEGIN; $sql COMMIT;"
  fi
}

tls_enabled () {
  [ "${BEACON_HARNESS_TLS:-0}" = 1 ]
}

# A CA, a server certificate it signed for $host and $domain, and a second
# CA that signed nothing, all for this run only (kept in RUNDIR/tls).
make_tls_files () {
  local dir="$1/tls" ca
  need openssl
  mkdir -p "$dir"
  [ -s "$dir/server-cert.pem" ] && [ -s "$dir/other-ca.pem" ] && return 0
  for ca in ca other-ca; do
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -sha256 \
      -subj "/CN=Beacon test $ca" \
      -addext "basicConstraints=critical,CA:TRUE" \
      -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$dir/$ca-key.pem" -out "$dir/$ca.pem" >/dev/null 2>&1 ||
      die "openssl could not make the test CA"
  done
  openssl req -newkey rsa:2048 -nodes -sha256 -subj "/CN=$host" \
    -keyout "$dir/server-key.pem" -out "$dir/server.csr" >/dev/null 2>&1 ||
    die "openssl could not make the server key"
  # sofia-sip matches the host against the CN and DNS names (not IP
  # entries), so $host is in both forms.
  printf 'subjectAltName=IP:%s,DNS:%s,DNS:%s\nextendedKeyUsage=serverAuth\n' \
    "$host" "$host" "$domain" > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" \
    -CAcreateserial -days 2 -sha256 -extfile "$dir/server.ext" \
    -out "$dir/server-cert.pem" >/dev/null 2>&1 ||
    die "openssl could not sign the server certificate"
}

port_is_free () {
  local p="$1"
  [ -z "$(ss -H -l -n -t "sport = :$p" 2>/dev/null)" ] &&
    [ -z "$(ss -H -l -n -u "sport = :$p" 2>/dev/null)" ]
}

# A random free port in 20000..59999, distinct from $1 (bounded attempts).
pick_port () {
  local other="${1:-0}" p
  for _ in $(seq 1 50); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if [ "$p" != "$other" ] && port_is_free "$p"; then
      echo "$p"
      return 0
    fi
  done
  die "no free port found after 50 attempts"
}

alive () {
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null
}

group_alive () {
  [ -n "$1" ] && kill -0 -- "-$1" 2>/dev/null
}

# One attempt: 0 = up, 1 = died (e.g. port taken meanwhile), 2 = hung.
launch () {
  local rundir="$1" sip_port="$2" http_port="$3" tls_port="${4:-}"
  local pidfile="$rundir/kamailio.pid" pid="" code
  local tls_args=()

  if [ -n "$tls_port" ]; then
    tls_args=(-A WITH_TLS
      --substdef "!BEACON_TLS_PORT!$tls_port!"
      --substdef "!BEACON_TLS_CERT!$rundir/tls/server-cert.pem!"
      --substdef "!BEACON_TLS_KEY!$rundir/tls/server-key.pem!")
  fi

  rm -f "$pidfile" "$rundir/kamailio.pgid"
  # setsid: own process group, so stop can reach every child for sure.
  setsid "$kamailio" -DD -E -f "$cfg" -Y "$rundir" -P "$pidfile" -w "$rundir" \
    -m "${BEACON_SERVER_SHM_MB:-64}" -M "${BEACON_SERVER_PKG_MB:-8}" \
    --substdef "!BEACON_IP!$host!" \
    --substdef "!BEACON_SIP_PORT!$sip_port!" \
    --substdef "!BEACON_HTTP_PORT!$http_port!" \
    --substdef "!BEACON_DOMAIN!$domain!" \
    --substdef "!BEACON_SQLITE_DB!$rundir/db/beacon.sqlite!" \
    --substdef "!BEACON_DBTEXT_DIR!$rundir/db/dbtext!" \
    "${tls_args[@]}" \
    >"$rundir/kamailio.log" 2>&1 </dev/null &
  local launcher=$!

  # Up to 10 s: the pid file appears, then XCAP answers over HTTP (which
  # needs the TCP workers, started after the UDP ones).
  for _ in $(seq 1 100); do
    if [ -z "$pid" ] && [ -s "$pidfile" ]; then
      pid="$(cat "$pidfile")"
      ps -o pgid= -p "$pid" | tr -d ' ' > "$rundir/kamailio.pgid" || true
    fi
    if [ -n "$pid" ] && ! alive "$pid"; then
      wait "$launcher" 2>/dev/null || true
      return 1
    fi
    if [ -z "$pid" ] && ! alive "$launcher"; then
      wait "$launcher" 2>/dev/null || true
      return 1
    fi
    if [ -n "$pid" ]; then
      code="$(curl -s -o /dev/null -m 1 -w '%{http_code}' \
        "http://$host:$http_port/xcap-root/xcap-caps/global/index" || true)"
      if [ "$code" = 200 ]; then
        # A worker whose child_init failed takes the server down a moment
        # after the others answer: make sure none did.
        sleep 0.5
        if ! alive "$pid" || grep -q 'init_child failed' "$rundir/kamailio.log"; then
          wait "$launcher" 2>/dev/null || true
          return 1
        fi
        return 0
      fi
    fi
    sleep 0.1
  done
  return 2
}

cmd_start () {
  [ $# -ge 1 ] || die "usage: start RUNDIR USER:PASS..."
  local rundir="$1"; shift
  need "$kamailio"
  need curl
  need ss
  need setsid
  [ -r "$cfg" ] || die "config $cfg not readable"
  mkdir -p "$rundir"
  rundir="$(cd "$rundir" && pwd)"
  if [ -s "$rundir/kamailio.pid" ] && alive "$(cat "$rundir/kamailio.pid")"; then
    die "a server is already running for $rundir"
  fi

  provision "$rundir" "$@"
  if tls_enabled; then
    make_tls_files "$rundir"
  fi

  local attempt sip_port http_port tls_port rc
  for attempt in 1 2 3; do
    sip_port="$(pick_port)"
    http_port="$(pick_port "$sip_port")"
    tls_port=""
    if tls_enabled; then
      tls_port="$(pick_port "$http_port")"
      [ "$tls_port" != "$sip_port" ] || tls_port="$(pick_port "$http_port")"
    fi
    rc=0
    launch "$rundir" "$sip_port" "$http_port" "$tls_port" || rc=$?
    if [ "$rc" = 0 ]; then
      cat > "$rundir/env" <<EOF
SIP_HOST=$host
SIP_PORT=$sip_port
HTTP_PORT=$http_port
DOMAIN=$domain
XCAP_ROOT=http://$host:$http_port/xcap-root
KAMAILIO_PID=$(cat "$rundir/kamailio.pid")
EOF
      if [ -n "$tls_port" ]; then
        cat >> "$rundir/env" <<EOF
TLS_PORT=$tls_port
CA_FILE=$rundir/tls/ca.pem
OTHER_CA_FILE=$rundir/tls/other-ca.pem
EOF
      fi
      echo "kamailio-harness: up, sip $host:$sip_port (udp+tcp), xcap http://$host:$http_port/xcap-root, domain $domain"
      return 0
    fi
    cmd_stop "$rundir" >/dev/null 2>&1 || true
    if [ "$rc" = 2 ]; then
      tail -n 30 "$rundir/kamailio.log" >&2 || true
      die "kamailio did not answer within 10 s"
    fi
    if ! grep -qi 'address already in use' "$rundir/kamailio.log"; then
      tail -n 30 "$rundir/kamailio.log" >&2 || true
      die "kamailio exited during start-up"
    fi
    echo "kamailio-harness: port taken, retrying ($attempt)" >&2
  done
  die "could not start kamailio after 3 attempts"
}

cmd_stop () {
  [ $# -eq 1 ] || die "usage: stop RUNDIR"
  local rundir="$1" pid="" pgid=""
  [ -s "$rundir/kamailio.pid" ] && pid="$(cat "$rundir/kamailio.pid")"
  [ -s "$rundir/kamailio.pgid" ] && pgid="$(cat "$rundir/kamailio.pgid")"
  # Never signal a group we did not create: it must be led by our pid.
  if [ -n "$pgid" ] && [ "$pgid" != "$pid" ]; then
    pgid=""
  fi
  if ! alive "$pid" && ! group_alive "$pgid"; then
    rm -f "$rundir/kamailio.pid" "$rundir/kamailio.pgid"
    return 0
  fi
  # The main process stops its children on TERM.
  if alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  for _ in $(seq 1 50); do
    if ! alive "$pid" && ! group_alive "$pgid"; then
      break
    fi
    sleep 0.1
  done
  if alive "$pid" || group_alive "$pgid"; then
    echo "kamailio-harness: still running after 5 s, sending KILL" >&2
    if [ -n "$pgid" ]; then
      kill -KILL -- "-$pgid" 2>/dev/null || true
    fi
    if alive "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
    for _ in $(seq 1 20); do
      if ! alive "$pid" && ! group_alive "$pgid"; then
        break
      fi
      sleep 0.1
    done
  fi
  if alive "$pid" || group_alive "$pgid"; then
    die "kamailio ($pid) could not be stopped"
  fi
  rm -f "$rundir/kamailio.pid" "$rundir/kamailio.pgid"
  echo "kamailio-harness: stopped"
}

# SIGKILL to the whole process group at once, no TERM first: a crash (no
# database write-back, no goodbye on any connection).
cmd_crash () {
  [ $# -eq 1 ] || die "usage: crash RUNDIR"
  local rundir="$1" pid="" pgid=""
  [ -s "$rundir/kamailio.pid" ] && pid="$(cat "$rundir/kamailio.pid")"
  [ -s "$rundir/kamailio.pgid" ] && pgid="$(cat "$rundir/kamailio.pgid")"
  [ -n "$pgid" ] && [ "$pgid" != "$pid" ] && pgid=""
  [ -n "$pgid" ] && kill -KILL -- "-$pgid" 2>/dev/null || true
  alive "$pid" && kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    if ! alive "$pid" && ! group_alive "$pgid"; then
      break
    fi
    sleep 0.1
  done
  if alive "$pid" || group_alive "$pgid"; then
    die "kamailio ($pid) survived SIGKILL"
  fi
  rm -f "$rundir/kamailio.pid" "$rundir/kamailio.pgid"
  echo "kamailio-harness: killed"
}

# SIGSTOP / SIGCONT to the whole group: a server that stops answering
# without closing anything (a hung host), and comes back as it was.
cmd_freeze () {
  [ $# -eq 2 ] || die "usage: freeze|thaw RUNDIR"
  local rundir="$2" pgid=""
  [ -s "$rundir/kamailio.pgid" ] && pgid="$(cat "$rundir/kamailio.pgid")"
  [ -n "$pgid" ] || die "no process group in $rundir"
  kill "-$1" -- "-$pgid"
}

# Stops the server and starts it again on the same ports with the same
# databases (what a client sees as the server going away and coming back).
cmd_restart () {
  [ $# -eq 1 ] || die "usage: restart RUNDIR"
  local rundir="$1" sip_port http_port tls_port rc=0
  [ -r "$rundir/env" ] || die "no $rundir/env: start it first"
  sip_port="$(sed -n 's/^SIP_PORT=//p' "$rundir/env")"
  http_port="$(sed -n 's/^HTTP_PORT=//p' "$rundir/env")"
  tls_port="$(sed -n 's/^TLS_PORT=//p' "$rundir/env")"
  rundir="$(cd "$rundir" && pwd)"
  cmd_stop "$rundir" >/dev/null
  launch "$rundir" "$sip_port" "$http_port" "$tls_port" || rc=$?
  if [ "$rc" != 0 ]; then
    tail -n 30 "$rundir/kamailio.log" >&2 || true
    die "kamailio did not come back on $sip_port/$http_port"
  fi
  sed -i "s/^KAMAILIO_PID=.*/KAMAILIO_PID=$(cat "$rundir/kamailio.pid")/" "$rundir/env"
  echo "kamailio-harness: restarted on the same ports"
}

cmd_init () {
  [ $# -ge 1 ] || die "usage: init RUNDIR USER:PASS..."
  local rundir="$1"; shift
  mkdir -p "$rundir"
  provision "$(cd "$rundir" && pwd)" "$@"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  crash) shift; cmd_crash "$@" ;;
  freeze) shift; cmd_freeze STOP "$@" ;;
  thaw) shift; cmd_freeze CONT "$@" ;;
  init) shift; cmd_init "$@" ;;
  *) die "usage: $0 start RUNDIR USER:PASS... | stop RUNDIR | restart RUNDIR | crash RUNDIR | freeze RUNDIR | thaw RUNDIR | init RUNDIR USER:PASS..." ;;
esac
