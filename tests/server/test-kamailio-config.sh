#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Proves data/server/kamailio.cfg with real traffic: starts it through
# kamailio-harness.sh with alice, bob and carol, drives it with sipp
# (tests/server/sipp/*.xml) and curl, stops it and checks nothing is left.
# Prints one PASS/FAIL line per check; exits non-zero if any check failed.
# The run directory (server log, sipp message logs) is kept on failure, or
# always with KEEP_RUNDIR=1.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
harness="$here/kamailio-harness.sh"
scenarios="$here/sipp"

for tool in sipp curl awk cmp; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "FAIL: '$tool' is not installed" >&2
    exit 1
  fi
done

rundir="$(mktemp -d "${TMPDIR:-/tmp}/beacon-kamailio.XXXXXX")"
failures=0
started=0

pass () { echo "PASS: $*"; }
fail () { echo "FAIL: $*"; failures=$((failures + 1)); }

cleanup () {
  if [ "$started" = 1 ]; then
    "$harness" stop "$rundir" >/dev/null 2>&1 || true
  fi
  if [ "$failures" -ne 0 ] || [ "${KEEP_RUNDIR:-0}" = 1 ]; then
    echo "run directory kept: $rundir"
  else
    rm -rf "$rundir"
  fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- helpers

# sipp_run TAG SCENARIO ARGS...: one call of a UAC scenario against the
# server; its messages go to $rundir/sipp-TAG.log.  Returns sipp's status.
sipp_run () {
  local tag="$1" scenario="$2"; shift 2
  timeout 40 sipp "$SIP_HOST:$SIP_PORT" -sf "$scenarios/$scenario.xml" \
    -m 1 -i "$SIP_HOST" -bind_local -t u1 -nostdin \
    -default_behaviors all,-bye \
    -key domain "$DOMAIN" \
    -recv_timeout 5000 -timeout 30s -timeout_error \
    -trace_msg -message_file "$rundir/sipp-$tag.log" \
    -trace_err -error_file "$rundir/sipp-$tag.err" \
    "$@" >/dev/null 2>&1
}

# received LOG REGEX...: true if one message sipp received (per its message
# log) matches every extended regex; the first usually anchors the start
# line, e.g. '^NOTIFY ' or '^SIP/2.0 200'.
received () {
  local log="$1"; shift
  [ -r "$log" ] || return 1
  # patterns via the environment: awk -v would eat their backslashes
  PATS="$(printf '%s\037' "$@")" awk '
    BEGIN { RS = "-----------------------------------------------[^\n]*\n"
            n = split(ENVIRON["PATS"], p, "\037") - 1 }
    /message received/ {
      sub(/^[^\n]*\n\n/, "")
      ok = 1
      for (i = 1; i <= n; i++) if ($0 !~ p[i]) ok = 0
      if (ok) found = 1
    }
    END { exit !found }' "$log"
}

# xcap TAG METHOD USER:PASS PATH [curl args...]: prints the HTTP status;
# headers in $rundir/xcap-TAG.hdr, body in $rundir/xcap-TAG.body.
xcap () {
  local tag="$1" method="$2" cred="$3" path="$4"; shift 4
  local auth=()
  if [ -n "$cred" ]; then
    auth=(--digest -u "$cred")
  fi
  curl -s -m 10 -X "$method" "${auth[@]}" \
    -D "$rundir/xcap-$tag.hdr" -o "$rundir/xcap-$tag.body" \
    -w '%{http_code}' "$@" "$XCAP_ROOT/$path" || echo "000"
}

etag_of () {
  sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*[^[:space:]]\)[[:space:]]*$/\1/p' "$rundir/xcap-$1.hdr" | tail -n 1
}

expect_status () {
  local what="$1" want="$2" got="$3"
  if [ "$got" = "$want" ]; then
    pass "$what -> $got"
  else
    fail "$what -> $got (expected $want)"
  fi
}

pres_rules () {
  local u
  echo '<?xml version="1.0" encoding="UTF-8"?>'
  echo '<cr:ruleset xmlns:cr="urn:ietf:params:xml:ns:common-policy" xmlns:pr="urn:ietf:params:xml:ns:pres-rules">'
  echo '  <cr:rule id="allow-buddies">'
  echo '    <cr:conditions><cr:identity>'
  for u in "$@"; do
    echo "      <cr:one id=\"sip:$u@$DOMAIN\"/>"
  done
  echo '    </cr:identity></cr:conditions>'
  echo '    <cr:actions><pr:sub-handling>allow</pr:sub-handling></cr:actions>'
  echo '    <cr:transformations>'
  echo '      <pr:provide-services><pr:all-services/></pr:provide-services>'
  echo '      <pr:provide-persons><pr:all-persons/></pr:provide-persons>'
  echo '      <pr:provide-devices><pr:all-devices/></pr:provide-devices>'
  echo '      <pr:provide-all-attributes/>'
  echo '    </cr:transformations>'
  echo '  </cr:rule>'
  echo '</cr:ruleset>'
}

# ------------------------------------------------------------------ start

if "$harness" start "$rundir" alice:alice-secret bob:bob-secret carol:carol-secret; then
  started=1
  pass "harness started the server"
else
  fail "harness could not start the server"
  exit 1
fi
# shellcheck source=/dev/null
. "$rundir/env"
for v in SIP_HOST SIP_PORT HTTP_PORT DOMAIN XCAP_ROOT KAMAILIO_PID; do
  if [ -z "${!v:-}" ]; then
    fail "env file lacks $v"
  fi
done
pgid="$(cat "$rundir/kamailio.pgid" 2>/dev/null || true)"
echo "server: sip $SIP_HOST:$SIP_PORT, xcap $XCAP_ROOT, domain $DOMAIN, pid $KAMAILIO_PID"

# ------------------------------------------------------------ SIP basics

if sipp_run options options -s probe; then
  pass "OPTIONS to the server -> 200"
else
  fail "OPTIONS to the server (see $rundir/sipp-options.*)"
fi

if sipp_run reg-alice register -s alice -au alice -ap alice-secret \
     -key contact "sip:alice@$SIP_HOST:9" -d 200 &&
   received "$rundir/sipp-reg-alice.log" '^SIP/2.0 401' 'WWW-Authenticate: Digest [^\n]*qop="auth"' &&
   received "$rundir/sipp-reg-alice.log" '^SIP/2.0 200' 'Contact: <sip:alice@127.0.0.1:9>;expires=60'; then
  pass "REGISTER alice: 401 with qop=auth digest, then 200 with the binding; unREGISTER 200"
else
  fail "REGISTER alice with digest (see $rundir/sipp-reg-alice.*)"
fi

if sipp_run reg-tcp register -t t1 -s carol -au carol -ap carol-secret \
     -key contact "sip:carol@$SIP_HOST:9;transport=tcp" -d 100 &&
   received "$rundir/sipp-reg-tcp.log" '^SIP/2.0 200' 'Via: SIP/2.0/TCP'; then
  pass "REGISTER carol over TCP with digest -> 200"
else
  fail "REGISTER over TCP (see $rundir/sipp-reg-tcp.*)"
fi

if sipp_run reg-wrong register -s alice -au alice -ap not-her-password \
     -key contact "sip:alice@$SIP_HOST:9" -d 0; then
  fail "REGISTER with a wrong password was accepted"
else
  if received "$rundir/sipp-reg-wrong.log" '^SIP/2.0 401' &&
     ! received "$rundir/sipp-reg-wrong.log" '^SIP/2.0 200'; then
    pass "REGISTER with a wrong password -> 401 again, never 200"
  else
    fail "REGISTER with a wrong password: unexpected answers (see $rundir/sipp-reg-wrong.log)"
  fi
fi

# --------------------------------------------------------- XCAP: access

code="$(xcap caps GET "" xcap-caps/global/index)"
expect_status "XCAP GET xcap-caps without credentials" 200 "$code"

code="$(xcap noauth GET "" "pres-rules/users/sip:alice@$DOMAIN/index")"
if [ "$code" = 401 ] && grep -qi '^WWW-Authenticate: Digest .*qop="auth"' "$rundir/xcap-noauth.hdr"; then
  pass "XCAP GET without credentials -> 401 with a qop=auth digest challenge"
else
  fail "XCAP GET without credentials -> $code (expected 401 + digest challenge)"
fi

# alice lets bob and carol see her presence; bob lets alice see his
pres_rules bob carol > "$rundir/pres-rules-alice.xml"
pres_rules alice > "$rundir/pres-rules-bob.xml"
code="$(xcap pr-alice PUT alice:alice-secret "pres-rules/users/sip:alice@$DOMAIN/index" \
  -H 'Content-Type: application/auth-policy+xml' --data-binary "@$rundir/pres-rules-alice.xml")"
expect_status "XCAP PUT alice's pres-rules (whole document)" 200 "$code"
pr_etag1="$(etag_of pr-alice)"
code="$(xcap pr-bob PUT bob:bob-secret "pres-rules/users/sip:bob@$DOMAIN/index" \
  -H 'Content-Type: application/auth-policy+xml' --data-binary "@$rundir/pres-rules-bob.xml")"
expect_status "XCAP PUT bob's pres-rules" 200 "$code"

code="$(xcap bob-reads-alice GET bob:bob-secret "pres-rules/users/sip:alice@$DOMAIN/index")"
expect_status "XCAP GET of alice's document by bob" 403 "$code"

# ------------------------------------------------------- PUBLISH, SUBSCRIBE

if sipp_run pub-alice publish -s alice -au alice -ap alice-secret -key note "alice-note-$$" &&
   received "$rundir/sipp-pub-alice.log" '^SIP/2.0 407' 'Proxy-Authenticate: Digest' &&
   received "$rundir/sipp-pub-alice.log" '^SIP/2.0 200' 'SIP-ETag: *[^ \n]+' 'Expires: [0-9]+'; then
  pass "PUBLISH alice's PIDF: 407, then 200 with SIP-ETag and Expires; refresh with SIP-If-Match 200"
else
  fail "PUBLISH alice's PIDF (see $rundir/sipp-pub-alice.*)"
fi

# alice watches her watchers while bob subscribes to her presence
sipp_run winfo subscribe-winfo -s alice -au alice -ap alice-secret -key user alice &
winfo_pid=$!
sleep 0.5

if sipp_run sub-bob subscribe -s alice -au bob -ap bob-secret -key user bob \
     -key event presence -key accept application/pidf+xml &&
   received "$rundir/sipp-sub-bob.log" '^SIP/2.0 200' 'CSeq: 2 SUBSCRIBE' 'Expires: [1-9]' &&
   received "$rundir/sipp-sub-bob.log" '^NOTIFY ' 'Event: presence' 'Subscription-State: active' \
     'Content-Type: application/pidf[+]xml' '<basic>open</basic>' "alice-note-$$"; then
  pass "SUBSCRIBE presence bob->alice: 200, NOTIFY active with alice's PIDF; un-SUBSCRIBE 200"
else
  fail "SUBSCRIBE presence bob->alice (see $rundir/sipp-sub-bob.*)"
fi
if received "$rundir/sipp-sub-bob.log" '^NOTIFY ' 'Subscription-State: terminated'; then
  pass "final NOTIFY after bob's un-SUBSCRIBE says terminated"
else
  fail "no terminated NOTIFY after bob's un-SUBSCRIBE"
fi

winfo_rc=0
wait "$winfo_pid" || winfo_rc=$?
if [ "$winfo_rc" = 0 ] &&
   received "$rundir/sipp-winfo.log" '^SIP/2.0 200' 'CSeq: 2 SUBSCRIBE' &&
   received "$rundir/sipp-winfo.log" '^NOTIFY ' 'Event: presence.winfo' \
     'Content-Type: application/watcherinfo[+]xml' '<watcherinfo ' &&
   received "$rundir/sipp-winfo.log" '^NOTIFY ' 'Event: presence.winfo' \
     "<watcher [^>]*status=\"active\"[^>]*>sip:bob@$DOMAIN</watcher>"; then
  pass "SUBSCRIBE presence.winfo alice: 200, NOTIFY watcherinfo, then bob listed as active watcher"
else
  fail "SUBSCRIBE presence.winfo alice (rc $winfo_rc, see $rundir/sipp-winfo.*)"
fi

# ----------------------------------------------------------- offline IM

text="offline-hello-$$"
if sipp_run msg message -s bob -au alice -ap alice-secret -key user alice -key text "$text" &&
   received "$rundir/sipp-msg.log" '^SIP/2.0 202'; then
  pass "MESSAGE alice->bob while bob is offline: 407, then 202 (stored by msilo)"
else
  fail "MESSAGE alice->bob offline (see $rundir/sipp-msg.*)"
fi

# bob comes online: the stored MESSAGE is delivered to his contact
uas_port=""
for _ in $(seq 1 20); do
  p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
  if [ -z "$(ss -H -l -n -u "sport = :$p" 2>/dev/null)" ] && [ "$p" != "$SIP_PORT" ]; then
    uas_port="$p"
    break
  fi
done
timeout 20 sipp -sf "$scenarios/message-uas.xml" -m 1 -i "$SIP_HOST" -bind_local \
  -p "${uas_port:-0}" -t u1 -nostdin -recv_timeout 10000 -timeout 15s -timeout_error \
  -trace_msg -message_file "$rundir/sipp-bob-inbox.log" >/dev/null 2>&1 &
uas_pid=$!
sleep 0.3
reg_ok=0
sipp_run reg-bob register -s bob -au bob -ap bob-secret \
  -key contact "sip:bob@$SIP_HOST:$uas_port" -d 1500 && reg_ok=1
uas_rc=0
wait "$uas_pid" || uas_rc=$?
if [ "$reg_ok" = 1 ] && [ "$uas_rc" = 0 ] &&
   received "$rundir/sipp-bob-inbox.log" '^MESSAGE sip:bob@' "From: <sip:alice@$DOMAIN>" \
     'Content-Type: text/plain' "$text"; then
  pass "REGISTER bob -> 200 and the stored MESSAGE from alice is delivered to his contact"
else
  fail "offline MESSAGE delivery on REGISTER (reg $reg_ok, uas rc $uas_rc, see $rundir/sipp-reg-bob.*, sipp-bob-inbox.log)"
fi

# -------------------------------------------------- XCAP: lists and RLS

cat > "$rundir/resource-lists.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists">
  <list name="buddies">
    <entry uri="sip:bob@$DOMAIN"><display-name>Bob</display-name></entry>
    <entry uri="sip:carol@$DOMAIN"><display-name>Carol</display-name></entry>
  </list>
</resource-lists>
EOF
rl_path="resource-lists/users/sip:alice@$DOMAIN/index"
code="$(xcap rl-put PUT alice:alice-secret "$rl_path" \
  -H 'Content-Type: application/resource-lists+xml' --data-binary "@$rundir/resource-lists.xml")"
expect_status "XCAP PUT alice's resource-lists" 200 "$code"
rl_etag="$(etag_of rl-put)"

code="$(xcap rl-get GET alice:alice-secret "$rl_path")"
rl_get_etag="$(etag_of rl-get)"
if [ "$code" = 200 ] && [ -n "$rl_get_etag" ] && [ "$rl_get_etag" = "$rl_etag" ] &&
   cmp -s "$rundir/resource-lists.xml" "$rundir/xcap-rl-get.body" &&
   grep -qi '^Content-Type: application/resource-lists+xml' "$rundir/xcap-rl-get.hdr"; then
  pass "XCAP GET resource-lists -> 200, same document, ETag $rl_get_etag as the PUT gave"
else
  fail "XCAP GET resource-lists -> $code, etag '$rl_get_etag' vs '$rl_etag'"
fi

cat > "$rundir/rls-services.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<rls-services xmlns="urn:ietf:params:xml:ns:rls-services">
  <service uri="sip:alice-list@$DOMAIN">
    <resource-list>$XCAP_ROOT/$rl_path/~~/resource-lists/list%5b@name=%22buddies%22%5d</resource-list>
    <packages><package>presence</package></packages>
  </service>
</rls-services>
EOF
code="$(xcap rls-put PUT alice:alice-secret "rls-services/users/sip:alice@$DOMAIN/index" \
  -H 'Content-Type: application/rls-services+xml' --data-binary "@$rundir/rls-services.xml")"
expect_status "XCAP PUT alice's rls-services (sip:alice-list@$DOMAIN)" 200 "$code"

# bob publishes, so the list has one resource with a state to report
if ! sipp_run pub-bob publish -s bob -au bob -ap bob-secret -key note "bob-note-$$"; then
  fail "PUBLISH bob's PIDF (see $rundir/sipp-pub-bob.*)"
fi

rls_log="$rundir/sipp-rls.log"
if sipp_run rls subscribe-list -s alice-list -au alice -ap alice-secret -key user alice &&
   received "$rls_log" '^SIP/2.0 200' 'CSeq: 2 SUBSCRIBE' 'Require: eventlist' &&
   received "$rls_log" '^NOTIFY ' 'Require: eventlist' \
     'Content-Type: multipart/related;[^\n]*type="application/rlmi[+]xml"' \
     'Content-Type: application/rlmi[+]xml' "<list [^>]*uri=\"sip:alice-list@$DOMAIN\"" \
     'fullState="true"'; then
  pass "SUBSCRIBE sip:alice-list@$DOMAIN (eventlist): 200 with Require: eventlist, multipart/related RLMI NOTIFY"
else
  fail "RLS SUBSCRIBE to alice-list (see $rundir/sipp-rls.*)"
fi
if received "$rls_log" '^NOTIFY ' "<resource uri=\"sip:bob@$DOMAIN\"><instance [^>]*state=\"active\"" \
     'Content-Type: application/pidf[+]xml' '<basic>open</basic>' "bob-note-$$"; then
  pass "RLS NOTIFY carries bob's resource instance and his PIDF part"
else
  fail "no RLS NOTIFY with bob's instance and PIDF (see $rls_log)"
fi

# ------------------------------------------------ XCAP: conditional PUT

pres_rules bob > "$rundir/pres-rules-alice-2.xml"
code="$(xcap pr-ifmatch PUT alice:alice-secret "pres-rules/users/sip:alice@$DOMAIN/index" \
  -H 'Content-Type: application/auth-policy+xml' -H "If-Match: $pr_etag1" \
  --data-binary "@$rundir/pres-rules-alice-2.xml")"
pr_etag2="$(etag_of pr-ifmatch)"
if [ "$code" = 200 ] && [ -n "$pr_etag1" ] && [ -n "$pr_etag2" ] && [ "$pr_etag2" != "$pr_etag1" ]; then
  pass "XCAP PUT pres-rules with If-Match $pr_etag1 -> 200, new ETag $pr_etag2"
else
  fail "XCAP PUT pres-rules with If-Match '$pr_etag1' -> $code (new etag '$pr_etag2')"
fi

code="$(xcap pr-stale PUT alice:alice-secret "pres-rules/users/sip:alice@$DOMAIN/index" \
  -H 'Content-Type: application/auth-policy+xml' -H "If-Match: $pr_etag1" \
  --data-binary "@$rundir/pres-rules-alice.xml")"
expect_status "XCAP PUT pres-rules with the stale If-Match $pr_etag1" 412 "$code"

code="$(xcap pr-check GET alice:alice-secret "pres-rules/users/sip:alice@$DOMAIN/index")"
if [ "$code" = 200 ] && cmp -s "$rundir/pres-rules-alice-2.xml" "$rundir/xcap-pr-check.body"; then
  pass "pres-rules still hold the If-Match write, not the stale one"
else
  fail "pres-rules content after the stale PUT is wrong (GET $code)"
fi

# ------------------------------------------------------------ the server

if kill -0 "$KAMAILIO_PID" 2>/dev/null; then
  pass "kamailio still running after all checks"
else
  fail "kamailio died during the checks (see $rundir/kamailio.log)"
fi
if grep -E 'CRITICAL|ALERT|segfault|core dump' "$rundir/kamailio.log" >/dev/null; then
  fail "kamailio log has critical errors (see $rundir/kamailio.log)"
fi
if grep -E ' ERROR: ' "$rundir/kamailio.log" >/dev/null; then
  fail "kamailio log has ERROR lines:"
  grep -E ' ERROR: ' "$rundir/kamailio.log" | sort | uniq -c | sort -rn | head -n 10
else
  pass "kamailio log has no ERROR lines"
fi

# ----------------------------------------------------------------- stop

if "$harness" stop "$rundir"; then
  started=0
  pass "harness stopped the server"
else
  fail "harness stop failed"
fi
left=""
if kill -0 "$KAMAILIO_PID" 2>/dev/null; then
  left="main process $KAMAILIO_PID"
fi
if [ -n "$pgid" ] && kill -0 -- "-$pgid" 2>/dev/null; then
  left="$left process group $pgid"
fi
if pgrep -f -- "-Y $rundir " >/dev/null 2>&1; then
  left="$left processes for $rundir"
fi
if [ -z "$left" ]; then
  pass "no kamailio process left behind"
else
  fail "left behind: $left"
fi

# db_text wrote its tables at shutdown: every subscription of the test was
# ended, including the RLS back-end ones (pua check_remote_contact=0).
aw="$rundir/db/dbtext/active_watchers"
rw="$rundir/db/dbtext/rls_watchers"
if [ -r "$aw" ] && [ "$(sed 1d "$aw" | grep -c .)" = 0 ] &&
   [ -r "$rw" ] && [ "$(sed 1d "$rw" | grep -c .)" = 0 ]; then
  pass "no subscription left at shutdown (back-end subscriptions of the RLS ended too)"
else
  fail "subscriptions left at shutdown:"
  for f in "$aw" "$rw"; do
    sed 1d "$f" 2>/dev/null | cut -c1-160 || true
  done
fi

echo
if [ "$failures" -eq 0 ]; then
  echo "all checks passed"
else
  echo "$failures check(s) failed"
  exit 1
fi
