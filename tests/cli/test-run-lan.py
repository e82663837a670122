#!/usr/bin/env python3
"""beacon-cli run --lan: option checks, then one LAN account on 127.0.0.1
driven through stdin: the commands of server mode, the files it keeps
(resource-lists, pres-rules) and a clean quit.

Discovery is cut off on purpose (the system bus points nowhere): nothing is
announced on the machine's real network, and the account must run anyway."""
import json
import os
import select
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

CLI = sys.argv[1]
failures = []
checks = 0
ENV = dict(os.environ, DBUS_SYSTEM_BUS_ADDRESS="unix:path=/nonexistent/beacon-test-bus")


def check(cond, what):
    global checks
    checks += 1
    if not cond:
        failures.append(what)


def refused(args, words):
    proc = subprocess.run([CLI, "run"] + args, stdin=subprocess.DEVNULL, capture_output=True,
                          timeout=30, env=ENV)
    err = proc.stderr.decode()
    check(proc.returncode == 2, f"{args}: exit {proc.returncode}, want 2")
    check(words in err, f"{args}: stderr {err!r} lacks {words!r}")


refused(["--lan", "two words"], "cannot be a LAN name")
refused(["--lan", "alice", "--aor", "sip:alice@example.org"], "cannot be used together")
refused(["--lan", "alice", "--port", "70000"], "--port must be")


class Run:
    def __init__(self, data_dir):
        self.proc = subprocess.Popen(
            [CLI, "run", "--lan", "alice", "--bind", "127.0.0.1", "--data-dir", data_dir],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=ENV)
        self.buf = b""
        self.events = []

    def send(self, line):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()

    def wait(self, pred, what, timeout=10):
        end = time.monotonic() + timeout
        while True:
            for ev in self.events:
                if pred(ev):
                    self.events.remove(ev)
                    return ev
            left = end - time.monotonic()
            if left <= 0:
                failures.append(f"timed out waiting for {what}; have {self.events}")
                return None
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                if not chunk:
                    failures.append(f"output ended waiting for {what}")
                    return None
                self.buf += chunk
                while b"\n" in self.buf:
                    line, self.buf = self.buf.split(b"\n", 1)
                    self.events.append(json.loads(line))


with tempfile.TemporaryDirectory(prefix="beacon-cli-lan-") as data:
    run = Run(data)
    try:
        ev = run.wait(lambda e: e["event"] == "registered", "registered")
        check(ev is not None and ev["aor"].startswith("sip:alice@"), f"registered: {ev}")
        run.send("status busy writing tests")
        run.send("add sip:bob@example.lan Bob")
        run.wait(lambda e: e["event"] == "presence" and e["uri"] == "sip:bob@example.lan"
                 and e["subscription"] == "none", "bob on the buddy list")
        run.send("block sip:eve@example.lan")
        run.send("polite-block sip:mallory@example.lan")
        run.send("send sip:bob@example.lan hello")
        ev = run.wait(lambda e: e["event"] == "error" and "not on the local network" in e["message"],
                      "send refused")
        check(ev is not None and ev["code"] == "unreachable", f"send error: {ev}")
        run.send("add not-an-address")
        ev = run.wait(lambda e: e["event"] == "error" and e["code"] == "invalid-uri", "bad add")
        run.send("quit")
        run.wait(lambda e: e["event"] == "unregistered", "unregistered", timeout=20)
        rc = run.proc.wait(timeout=20)
        check(rc == 0, f"exit {rc}")
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
            run.proc.wait()

    NS_RL = "{urn:ietf:params:xml:ns:resource-lists}"
    NS_CP = "{urn:ietf:params:xml:ns:common-policy}"
    NS_PR = "{urn:ietf:params:xml:ns:pres-rules}"
    lists = ET.parse(os.path.join(data, "friends.xml")).getroot()
    entries = {e.get("uri"): e for e in lists.iter(NS_RL + "entry")}
    check(list(entries) == ["sip:bob@example.lan"], f"friends.xml entries: {list(entries)}")
    name = entries.get("sip:bob@example.lan")
    check(name is not None and name.findtext(NS_RL + "display-name") == "Bob",
          "friends.xml: Bob's display name")
    rules = ET.parse(os.path.join(data, "pres-rules.xml")).getroot()
    handling = {}
    for rule in rules.iter(NS_CP + "rule"):
        value = rule.findtext(f"{NS_CP}actions/{NS_PR}sub-handling")
        for one in rule.iter(NS_CP + "one"):
            handling[one.get("id")] = value
    check(handling == {"sip:bob@example.lan": "allow", "sip:eve@example.lan": "block",
                       "sip:mallory@example.lan": "polite-block"},
          f"pres-rules.xml handling: {handling}")

for f in failures:
    print("FAIL:", f)
print(f"{checks} checks, {len(failures)} failures")
sys.exit(1 if failures else 0)
