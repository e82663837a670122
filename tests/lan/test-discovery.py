#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""BeaconAvahiDiscovery between three hosts (TAP).

    netns-harness.sh run 3 -- test-discovery.py PATH/TO/lan-discovery-probe

Proves: peers find each other (address, port, TXT), never themselves; a TXT
update (status) reaches the others; a name collision renames one of the two
(across hosts, or at once on the same host) and all keep seeing each other;
bad TXT records are ignored; a clean stop is seen as a vanish; an
avahi-daemon restart is survived and a late daemon waited for; a peer
killed with SIGKILL is withdrawn by its avahi-daemon; a host that drops off
(avahi-daemon and peer SIGKILLed) vanishes once its records expire.
"""

import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lanhost import HostProcess, Tap, harness, wait_all  # noqa: E402

PORT = 5060
QUICK = 15          # seconds for anything that travels as multicast
# SRV and address records live 120 s in avahi; refresh queries start at
# 80 % of that, so a silent peer is gone after 120 s plus the resolver's
# timeout and our re-resolve period: 180 s bounds it.
KILLED = 180


KEYS = ['instance', 'aor', 'address', 'port', 'status', 'name']


def probe(host, instance, user, name=None):
    """A probe; .view is what it currently reports: instance -> fields."""
    addr = os.environ['BEACON_LAN_ADDR_%d' % host]
    argv = [PROBE, instance, 'sip:%s@%s' % (user, addr), str(PORT)]
    if name:
        argv.append(name)
    view = {}

    def parse(line):
        fields = line.split('\t')
        if fields[0] == 'appeared' and len(fields) == 7:
            view[fields[1]] = dict(zip(KEYS, fields[1:]))
        elif fields[0] == 'vanished' and len(fields) == 2:
            view.pop(fields[1], None)
        elif fields[0] not in ('renamed', 'failed', 'error', 'bye'):
            return None
        return fields
    p = HostProcess(host, argv, 'probe-h%d-%s' % (host, user), parse)
    p.view = view
    p.aor = 'sip:%s@%s' % (user, addr)
    return p


def sees(p, instance, **want):
    """p currently reports instance with these fields."""
    got = p.view.get(instance)
    return got is not None and all(got.get(k) == str(v) for k, v in want.items())


def appeared(instance, **want):
    def pred(ev):
        if ev[0] != 'appeared' or ev[1] != instance:
            return False
        got = dict(zip(KEYS, ev[1:]))
        return all(got.get(k) == str(v) for k, v in want.items())
    return pred


def event(kind, arg=None):
    return lambda ev: ev[0] == kind and (arg is None or ev[1] == arg)


def main():
    tap = Tap()
    a1, a2, a3 = (os.environ['BEACON_LAN_ADDR_%d' % i] for i in (1, 2, 3))
    alice = probe(1, 'alice', 'alice', 'Alice')
    bob = probe(2, 'bob', 'bob')
    st = {}

    def discovery():
        bob.expect(appeared('alice', aor='sip:alice@' + a1, address=a1, port=PORT,
                            status='online', name='Alice'), QUICK, 'alice appearing')
        alice.expect(appeared('bob', aor='sip:bob@' + a2, address=a2, port=PORT,
                              status='online', name='-'), QUICK, 'bob appearing')

    def not_self():
        alice.expect_none(event('appeared', 'alice'), 2, 'alice seeing herself')
        bob.expect_none(event('appeared', 'bob'), 0.1, 'bob seeing himself')

    def status_update():
        alice.send('status busy Alice at work')
        bob.expect(appeared('alice', status='busy', name='Alice at work'), QUICK,
                   'alice turning busy')

    def collision():
        # Which of the two gets renamed is mDNS's tie-break (RFC 6762 9):
        # an established holder may have to probe again and lose.
        carol = probe(3, 'alice', 'carol')
        renamed = {}

        def someone_renamed():
            for p in (alice, carol):
                ev = p._take(event('renamed'))
                if ev is not None:
                    renamed[p] = ev[1]
            return bool(renamed)
        wait_all([alice, carol], someone_renamed, QUICK, 'a rename of alice or the new alice')
        if len(renamed) != 1 or list(renamed.values())[0] != 'alice #2':
            raise AssertionError('expected one rename to "alice #2", got %r'
                                 % {p.name: n for p, n in renamed.items()})
        loser = list(renamed)[0]
        winner = alice if loser is carol else carol
        st['carol'], st['names'] = carol, {alice: 'alice', carol: 'alice'}
        st['names'][loser] = 'alice #2'
        for p in (alice, bob, carol):
            for q in (winner, loser):
                if p is q:
                    continue
                p.wait_until(lambda: sees(p, st['names'][q], aor=q.aor, address=q.address),
                             QUICK, 'seeing %s as "%s"' % (q.aor, st['names'][q]))
            if p is not bob:
                p.wait_until(lambda: st['names'][p] not in p.view, 0.1, 'blind to itself')
        bob.wait_until(lambda: sees(bob, 'bob') is False, 0.1, 'blind to himself')
        someone_renamed()
        if len(renamed) != 1:
            raise AssertionError('both were renamed: %r' % {p.name: n for p, n in renamed.items()})

    def same_host_collision():
        # A second instance called "bob" on bob's own host: the local daemon
        # refuses the name at once (AVAHI_ERR_COLLISION) and it takes "bob #2".
        twin = probe(2, 'bob', 'twin')
        twin.expect(event('renamed', 'bob #2'), QUICK, 'renamed to "bob #2" at once')
        for p in (bob, st['carol']):
            p.wait_until(lambda: sees(p, 'bob #2', aor=twin.aor, address=a2), QUICK,
                         'the twin as "bob #2"')
        twin.wait_until(lambda: sees(twin, 'bob', aor=bob.aor), QUICK, 'the first bob')
        twin.send('quit')
        twin.expect(event('bye'), QUICK, 'the twin exiting')
        for p in (bob, st['carol']):
            p.wait_until(lambda: 'bob #2' not in p.view, QUICK, 'the twin vanishing')
        bob.expect_none(event('renamed'), 0.1, 'a rename of the first bob')

    def bad_txt():
        # Three foreign announcements on host 3: wrong proto, no aor, good.
        pubs = []
        for args in (['mallory', '_beacon-sip._udp', '5070', 'proto=2', 'aor=sip:m@x'],
                     ['nobody', '_beacon-sip._udp', '5071', 'proto=1', 'name=No AOR'],
                     ['sentinel', '_beacon-sip._udp', '5072', 'proto=1',
                      'aor=sip:sentinel@' + a3, 'status=away']):
            pubs.append(HostProcess(3, ['avahi-publish', '-s'] + args,
                                    'publish-' + args[0]))
        try:
            bob.expect(appeared('sentinel', status='away', port=5072), QUICK,
                       'the good foreign announcement')
            bob.expect_none(lambda ev: ev[0] == 'appeared' and ev[1] in ('mallory', 'nobody'),
                            2, 'a peer with a bad TXT')
        finally:
            for p in pubs:
                p.kill()
                p.wait_exit(5)
        bob.expect(event('vanished', 'sentinel'), QUICK, 'sentinel withdrawn')

    def clean_quit():
        alice.send('quit')
        alice.expect(event('bye'), QUICK, 'alice exiting')
        status = alice.wait_exit(QUICK)
        if status != 0:
            raise AssertionError('alice exited with status %d (sanitizer report?)' % status)
        gone = st['names'][alice]
        bob.wait_until(lambda: gone not in bob.view, QUICK, 'alice vanishing')
        st['carol'].wait_until(lambda: gone not in st['carol'].view, QUICK, 'alice vanishing')

    def daemon_restart():
        carol = st['carol']
        harness('avahi', 2, 'stop')
        bob.expect(event('failed'), QUICK, 'failed when its daemon stops')
        carol.wait_until(lambda: 'bob' not in carol.view, QUICK, 'bob vanishing with his daemon')
        # Started while no daemon runs: it waits (AVAHI_CLIENT_NO_FAIL).
        erin = probe(2, 'erin', 'erin')
        erin.expect(event('failed'), QUICK, 'failed while there is no daemon')
        harness('avahi', 2, 'start')
        carol.wait_until(lambda: sees(carol, 'bob', aor=bob.aor), 40, 'bob republished')
        carol.wait_until(lambda: sees(carol, 'erin', aor=erin.aor), 40, 'erin published late')
        erin.wait_until(lambda: sees(erin, 'bob', aor=bob.aor), QUICK, 'erin seeing bob')
        erin.send('quit')
        erin.expect(event('bye'), QUICK, 'erin exiting')
        carol.send('status away')
        bob.wait_until(lambda: sees(bob, st['names'][carol], status='away'), QUICK,
                       'carol turning away, browsed by the new client')

    def killed():
        # The client dies, its avahi-daemon lives on and withdraws for it.
        st['carol'].kill(signal.SIGKILL)
        st['carol'].wait_exit(5)
        name = st['names'][st['carol']]
        bob.wait_until(lambda: name not in bob.view, QUICK, 'carol withdrawn by her daemon')

    def dropped_off():
        # The whole host goes silent: no goodbye from anyone.
        dave = probe(1, 'dave', 'dave')
        bob.wait_until(lambda: sees(bob, 'dave', address=a1), QUICK, 'dave appearing')
        harness('avahi', 1, 'kill')
        dave.kill(signal.SIGKILL)
        dave.wait_exit(5)
        start = time.monotonic()
        bob.wait_until(lambda: 'dave' not in bob.view, KILLED, 'dave vanishing without a goodbye')
        print('# dave vanished %.0f s after his host went silent' % (time.monotonic() - start))

    ok = (tap.step('peers discover each other with address, port and TXT', discovery)
          and tap.step('nobody reports itself', not_self))
    if ok:
        tap.step('a TXT update (status, name) reaches the peer', status_update)
        if tap.step('a name collision renames the newcomer and both are seen', collision):
            tap.step('a name taken on the same host is renamed at once', same_host_collision)
            tap.step('TXT with a wrong proto or no aor is ignored', bad_txt)
            tap.step('a clean stop is seen as vanished', clean_quit)
            if tap.step('an avahi-daemon restart is survived, a late daemon waited for',
                        daemon_restart):
                tap.step('a peer killed with SIGKILL is withdrawn by its daemon', killed)
                if os.environ.get('BEACON_LAN_SKIP_SLOW') == '1':   # for quick local runs only
                    tap.skip('a host that drops off vanishes once its records expire',
                             'BEACON_LAN_SKIP_SLOW=1')
                else:
                    tap.step('a host that drops off vanishes once its records expire', dropped_off)
    else:
        print('Bail out! no discovery at all')
    return tap.finish()


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: test-discovery.py PATH/TO/lan-discovery-probe')
    PROBE = os.path.abspath(sys.argv[1])
    sys.exit(main())
