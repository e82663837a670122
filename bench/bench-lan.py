#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""LAN mode: from a peer starting to its presence showing on another host.

    tests/lan/netns-harness.sh run 2 -- bench-lan.py PATH/TO/beacon-cli [ROUNDS]

alice runs on host 1 all along; bob (host 2) is her friend (asked and
allowed once, kept in his data dir). Each round starts bob's
`beacon-cli run --lan bob` and times, from the start of the process:
  - `peer` appeared on alice's side (DNS-SD announcement seen and resolved),
  - `presence` online + active on alice's side (bob subscribed to by alice,
    his PIDF NOTIFY applied),
then bob quits and alice sees him offline. Prints "RESULT name value unit"
lines for build-aux/bench.sh. Every wait is bounded.
"""

import os
import statistics
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', 'tests', 'lan'))
from lanhost import HostProcess, parse_json  # noqa: E402

WAIT = 30


class Cli(HostProcess):
    def __init__(self, host, name, cli):
        self.user = name
        self.aor = None
        self.seen = []
        datadir = os.path.join(os.environ['BEACON_LAN_RUNDIR'], 'data-' + name)
        super().__init__(host, [cli, 'run', '--lan', name, '--data-dir', datadir],
                         name, self._parse)

    def _parse(self, line):
        ev = parse_json(line)
        if ev is not None:
            ev['_t'] = time.monotonic()
            if ev.get('event') == 'registered':
                self.aor = ev.get('aor')
        return ev


def ev(kind, **want):
    return lambda e: e.get('event') == kind and all(e.get(k) == v for k, v in want.items())


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def main(cli, rounds):
    alice = Cli(1, 'alice', cli)
    bob = Cli(2, 'bob', cli)
    alice.wait_until(lambda: alice.aor is not None, WAIT, 'alice registered')
    bob.wait_until(lambda: bob.aor is not None, WAIT, 'bob registered')
    # Friends once: each asks, the other allows.
    alice.send('add %s Bob' % bob.aor)
    bob.expect(ev('watcher', uri=alice.aor), WAIT, 'alice asking')
    bob.send('allow ' + alice.aor)
    bob.send('add %s Alice' % alice.aor)
    alice.expect(ev('watcher', uri=bob.aor), WAIT, 'bob asking')
    alice.send('allow ' + bob.aor)
    alice.expect(ev('presence', uri=bob.aor, status='online', subscription='active'), WAIT,
                 'bob online')
    bob_aor = bob.aor
    bob.send('quit')
    bob.wait_exit(WAIT)
    alice.expect(ev('presence', uri=bob_aor, status='offline'), WAIT, 'bob offline')

    appeared, online = [], []
    for _ in range(rounds):
        time.sleep(1)  # let the goodbye settle
        alice.drain()
        alice.pending.clear()
        t0 = time.monotonic()
        bob = Cli(2, 'bob', cli)
        peer = alice.expect(ev('peer', uri=bob_aor, state='appeared'), WAIT, 'bob appearing')
        pres = alice.expect(ev('presence', uri=bob_aor, status='online', subscription='active'),
                            WAIT, 'bob online')
        appeared.append((peer['_t'] - t0) * 1000)
        online.append((pres['_t'] - t0) * 1000)
        bob.send('quit')
        bob.wait_exit(WAIT)
        alice.expect(ev('presence', uri=peer['uri'], status='offline'), WAIT, 'bob offline')
    alice.send('quit')
    alice.wait_exit(WAIT)

    print('lan: %d rounds, peer seen after %.0f ms (p50), presence after %.0f ms (p50)'
          % (rounds, statistics.median(appeared), statistics.median(online)))
    for name, values in (('peer_seen', appeared), ('presence_shown', online)):
        print('RESULT lan.%s_p50_ms %.1f ms' % (name, pct(values, 50)))
        print('RESULT lan.%s_p99_ms %.1f ms' % (name, pct(values, 99)))
    print('RESULT lan.rounds %d n' % rounds)


if __name__ == '__main__':
    try:
        main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10)
    finally:
        HostProcess.cleanup()
