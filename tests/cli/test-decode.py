#!/usr/bin/env python3
"""beacon-cli decode on every seed message, the Kamailio shapes and hostile
input: the real binary, its JSON parsed and checked field by field."""
import json
import os
import subprocess
import sys

CLI = sys.argv[1]
DATA = os.path.join(os.environ["BEACON_SOURCE_ROOT"], "tests", "data")
failures = []
checks = 0


def decode(path=None, stdin=None):
    args = [CLI, "decode", path if path is not None else "-"]
    if path is not None and not path.startswith("-"):
        args[2] = os.path.join(DATA, path)
    proc = subprocess.run(args, input=stdin, capture_output=True, timeout=30)
    return proc.returncode, proc.stdout.decode(), proc.stderr.decode()


def ok(path, **expect):
    global checks
    rc, out, err = decode(path)
    if rc != 0:
        failures.append(f"{path}: exit {rc}: {err.strip()}")
        return None
    doc = json.loads(out)
    for key, want in expect.items():
        checks += 1
        got = doc
        for part in key.split("__"):
            got = got[int(part)] if isinstance(got, list) else (got or {}).get(part)
        if got != want:
            failures.append(f"{path}: {key.replace('__', '.')} is {got!r}, want {want!r}")
    return doc


def refused(path, words, stdin=None):
    global checks
    checks += 1
    rc, out, err = decode(path, stdin)
    if rc != 1 or out.strip() or words not in err:
        failures.append(f"{path or 'stdin'}: want exit 1 with '{words}', got {rc} {out[:80]!r} {err.strip()!r}")


# 2.1.2.1: the list subscription, typos included.
ok("seed/2.1.2.1-M1.sip", kind="request", method="SUBSCRIBE", event="presence", body=None)
ok("seed/2.1.2.1-M2.sip", kind="response", status=200, expires="3200")
ok("seed/2.1.2.1-M3.sip", method="NOTIFY", subscriptionState__state="active",
   subscriptionState__expires=3200, body__type="rlmi", body__list="sip:A-list@ps.cintel.net.cn",
   body__version=1, body__fullState=True,
   body__resources__0__uri="sip:B@ps.cintel.net.cn", body__resources__0__state="active",
   body__resources__0__presence__status="offline",
   body__resources__1__uri="sip:C@ps.cintel.net.cn", body__resources__1__presence__status="online")
ok("seed/2.1.2.1-M4.sip", kind="response", status=200)
ok("seed/2.1.2.1-M5.sip", method="PUBLISH", body__type="pidf", body__status="online", body__basic="open")
ok("seed/2.1.2.1-M6.sip", status=200, sipETag="dx200xyz")
ok("seed/2.1.2.1-M7.sip", body__version=2, body__fullState=False,
   body__resources__0__uri="sip:B@ps.cintel.net.cn", body__resources__0__presence__status="online")
ok("seed/2.1.2.1-M11.sip", body__version=3, body__fullState=True,
   body__resources__1__presence__status="online")
ok("seed/2.1.2.1-M13.sip", method="SUBSCRIBE", expires="0")
ok("seed/2.1.2.1-M14.sip", status=200, expires="0")
ok("seed/2.1.2.1-M15.sip", subscriptionState__expires=0, body__version=4)
# 2.1.2.3: watcher info.
ok("seed/2.1.2.3-M1.sip", method="SUBSCRIBE", event="presence.winfo")
ok("seed/2.1.2.3-M3.sip", event="presence.winfo", body__type="watcherinfo", body__version=0,
   body__state="full", body__lists__0__resource="sip:B@ps.cintel.net.cn",
   body__lists__0__watchers__0__uri="sip:A@ps.cintel.net.cn",
   body__lists__0__watchers__0__status="pending", body__lists__0__watchers__0__event="subscribe",
   body__lists__0__watchers__1__status="active", body__lists__0__watchers__1__event="approved")
# 2.1.2.4: the publication lifecycle.
ok("seed/2.1.2.4-M1.sip", method="PUBLISH", body__status="online")
ok("seed/2.1.2.4-M2.sip", sipETag="dx200xyz")
ok("seed/2.1.2.4-M5.sip", sipIfMatch="dx200xyz", body__status="busy", body__tuples__0__im="busy")
ok("seed/2.1.2.4-M9.sip", sipIfMatch="dx300xyz", body=None)
ok("seed/2.1.2.4-M11.sip", expires="0", sipIfMatch="dx400xyz")
ok("seed/2.1.2.4-offline-notify-body.pidf", type="pidf", basic="closed", status="offline")
# 2.2: MESSAGE, with `SIP/2.0200 OK` and `MESSAGEsip:`.
ok("seed/2.2-F1.sip", method="MESSAGE", uri="sip:user2@domain.com")
ok("seed/2.2-F2.sip", method="MESSAGE", uri="sip:user2@domain.com")
ok("seed/2.2-F3.sip", kind="response", status=200)
# Kamailio's shapes.
doc = ok("sip/kamailio-rls-notify-initial.sip", body__type="rlmi", body__fullState=True)
if doc:
    checks += 1
    if not doc["body"]["resources"] or any(r["presence"] is not None for r in doc["body"]["resources"]):
        failures.append("kamailio initial NOTIFY: resources must be listed with no presence yet")
ok("sip/kamailio-rls-notify-partial.sip", body__fullState=False)
ok("sip/kamailio-notify-polite-block.sip", subscriptionState__state="active")
ok("sip/kamailio-notify-rejected.sip", subscriptionState__state="terminated",
   subscriptionState__reason="rejected")
ok("sip/linphone-message-cpim.sip", body__type="cpim", body__from="sip:bob@beacon.test")
doc = ok("sip/message-text-zh.sip", body__type="text")
if doc:
    checks += 1
    if not doc["body"]["text"].startswith("你好"):
        failures.append("Chinese text MESSAGE not decoded")
# XCAP documents of the seed, bare.
ok("xcap/seed-resource-lists.xml", type="resource-lists", lists__0__name="buddies",
   lists__0__entries__0__uri="sip:C@ps.cintel.net.cn")
ok("xcap/seed-rls-services.xml", type="rls-services", services__0__uri="sip:A-list@ps.cintel.net.cn")
ok("xcap/seed-pres-rules.xml", type="pres-rules", rules__0__handling="allow")
# stdin works too.
rc, out, err = decode("-", open(os.path.join(DATA, "seed/2.1.2.1-M7.sip"), "rb").read())
checks += 1
if rc != 0 or json.loads(out)["body"]["version"] != 2:
    failures.append(f"stdin: {rc} {err}")

# Hostile input: exit 1, a clear message, nothing on stdout.
refused("sip/hostile-binary-garbage.bin", "not a SIP message")
refused("sip/hostile-missing-boundary.sip", "no boundary")
refused("sip/hostile-5000-headers.sip", "header fields")
refused("xcap/hostile-bomb.xml", "DTD")
refused("xcap/hostile-xxe.xml", "DTD")
refused("xcap/hostile-deep.xml", "nested")
refused(None, "empty", stdin=b"")
refused(None, "empty", stdin=b"  \r\n ")
refused(None, "over the", stdin=b"<presence>" + b" " * (5 * 1024 * 1024))
refused("does-not-exist.sip", "does-not-exist")

for f in failures:
    print("FAIL", f)
print(f"{checks - len(failures)} of {checks} checks passed")
sys.exit(1 if failures else 0)
