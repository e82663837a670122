#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""LAN mode end to end: three `beacon-cli run --lan` on three hosts (TAP).

    netns-harness.sh run 3 -- test-lan.py PATH/TO/beacon-cli

alice (host 1), bob (host 2) and carol (host 3), no server anywhere:
discovery, friend requests answered with allow, presence changes in both
directions (and appear-offline), chat both ways, bob blocking carol, carol
quitting (vanished, offline to her friend), bob killed with SIGKILL
(offline), bob back with his saved friends, then his whole host dropping
off without a goodbye (offline once the subscription refresh fails).
"""

import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from lanhost import HostProcess, Tap, harness, parse_json  # noqa: E402

QUICK = 20       # multicast, SUBSCRIBE/NOTIFY, MESSAGE on a quiet LAN
EXPIRES = 30     # our SUBSCRIBEs: short, so a silent peer is noticed soon
# A peer whose host went silent: the refresh of our subscription (at the
# latest after EXPIRES) times out after 32 s (SIP timer F); avahi's cache
# drops its records after 120 s. 150 s bounds both.
SILENT = 150
HOSTS = {'alice': 1, 'bob': 2, 'carol': 3}
FLOOD = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'flood.py')


class Cli(HostProcess):
    """beacon-cli run --lan NAME on its host, with views of its events."""

    def __init__(self, name, cli, label=None, env=None):
        self.presence = {}   # uri -> last presence event
        self.peers = {}      # uri -> last peer event
        self.user = name
        self.aor = None
        datadir = os.path.join(os.environ['BEACON_LAN_RUNDIR'], 'data-' + name)
        super().__init__(HOSTS[name],
                         [cli, 'run', '--lan', name, '--data-dir', datadir,
                          '--expires', str(EXPIRES)],
                         label or name, self._parse, env)

    def _parse(self, line):
        ev = parse_json(line)
        if ev is None:
            return None
        kind = ev.get('event')
        if kind == 'presence':
            self.presence[ev.get('uri')] = ev
        elif kind == 'peer':
            self.peers[ev.get('uri')] = ev
        elif kind == 'registered':
            self.aor = ev.get('aor')
        return ev

    def wait_registered(self):
        self.wait_until(lambda: self.aor is not None, QUICK, 'registered')

    def status_of(self, other):
        ev = self.presence.get(other.aor)
        return ev and (ev.get('status'), ev.get('subscription'))

    def wait_presence(self, other, what, timeout=QUICK, **want):
        def cond():
            ev = self.presence.get(other.aor)
            return ev is not None and all(ev.get(k) == v for k, v in want.items())
        self.wait_until(cond, timeout, what)


def ev(kind, **want):
    return lambda e: e.get('event') == kind and all(e.get(k) == v for k, v in want.items())


def main(cli):
    tap = Tap()
    addr = {n: os.environ['BEACON_LAN_ADDR_%d' % i] for n, i in HOSTS.items()}
    # bob's memory is measured in a flood: under ASan, without the
    # quarantine that keeps freed memory (256 MiB) out of reach.
    asan = os.environ.get('ASAN_OPTIONS')
    quiet = {'ASAN_OPTIONS': asan + ':quarantine_size_mb=0'} if asan else None
    users = {n: Cli(n, cli, env=quiet if n == 'bob' else None) for n in HOSTS}
    alice, bob, carol = users['alice'], users['bob'], users['carol']
    st = {}

    def discovery():
        for u in users.values():
            u.wait_registered()
        for u in users.values():
            for other in users.values():
                if other is u:
                    continue
                u.wait_until(lambda: (u.peers.get(other.aor) or {}).get('state') == 'appeared',
                             QUICK, 'peer %s appearing' % other.user)
                p = u.peers[other.aor]
                if p.get('address') != addr[other.user] or p.get('name') != other.user:
                    raise AssertionError('%s: wrong peer event %r' % (u.name, p))
            if u.aor in u.peers:
                raise AssertionError('%s sees itself: %r' % (u.name, u.peers[u.aor]))

    def befriend(asker, answerer):
        asker.send('add %s %s' % (answerer.aor, answerer.user.capitalize()))
        # A friend's request is granted at once; anybody else's waits.
        w = answerer.expect(lambda e: e.get('event') == 'watcher' and e.get('uri') == asker.aor
                            and e.get('status') in ('pending', 'active'), QUICK,
                            'friend request from %s' % asker.user)
        if w['status'] == 'pending':
            answerer.send('allow ' + asker.aor)
        asker.wait_presence(answerer, '%s allowing' % answerer.user,
                            subscription='active', status='online', basic='open')

    def friends():
        befriend(alice, bob)
        befriend(bob, alice)
        befriend(carol, alice)
        befriend(alice, carol)

    def presence_both_ways():
        alice.send('status busy in a meeting')
        bob.wait_presence(alice, 'alice busy', status='busy', note='in a meeting', basic='open')
        carol.wait_presence(alice, 'alice busy', status='busy', note='in a meeting')
        bob.send('status away lunch')
        alice.wait_presence(bob, 'bob away', status='away', note='lunch', basic='open')
        # Appear offline hides alice from her watchers; back online shows her.
        alice.send('status offline')
        bob.wait_presence(alice, 'alice hidden', status='offline', basic='closed')
        carol.wait_presence(alice, 'alice hidden', status='offline', basic='closed')
        alice.send('status online')
        bob.wait_presence(alice, 'alice back', status='online', basic='open')

    def chat():
        alice.send('send %s hello bob, from alice' % bob.aor)
        bob.expect(ev('message', **{'from': alice.aor, 'text': 'hello bob, from alice'}),
                   QUICK, 'alice\'s message')
        alice.expect(ev('message-status', to=bob.aor, state='delivered'), QUICK, 'delivered')
        bob.send('send %s hi alice ☺' % alice.aor)
        alice.expect(ev('message', **{'from': bob.aor, 'text': 'hi alice ☺'}),
                     QUICK, 'bob\'s message')

    def sip_port(user):
        """The SIP port @user announces, as host 3 resolves it."""
        out = harness('exec', HOSTS['carol'], 'timeout', '5', 'avahi-browse', '-rtp',
                      '_beacon-sip._udp', timeout=20)
        for line in out.splitlines():
            f = line.split(';')
            if len(f) > 9 and f[0] == '=' and f[7] == addr[user.user] and \
                    ('aor=' + user.aor) in f[9]:
                return int(f[8])
        raise AssertionError('no announcement of %s in %r' % (user.aor, out[-500:]))

    def rss_kib(proc):
        with open('/proc/%d/status' % proc.proc.pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
        return 0

    def flood(kind, count, seconds):
        """A stranger on host 3 floods bob; alice (a friend) writes to him
        meanwhile. Returns the flooder's summary, alice's worst latency and
        bob's RSS growth."""
        port = sip_port(bob)
        rss0 = rss_kib(bob)
        flooder = HostProcess(HOSTS['carol'], [sys.executable, FLOOD, kind, addr['bob'], str(port),
                                               str(count), str(seconds)],
                              'flood-' + kind, parse_json)
        worst = 0.0
        for i in range(8):
            time.sleep(seconds / 10)
            text = 'during the %s flood %d' % (kind, i)
            t0 = time.monotonic()
            alice.send('send %s %s' % (bob.aor, text))
            bob.expect(ev('message', **{'from': alice.aor, 'text': text}), QUICK,
                       'alice\'s message during the flood')
            worst = max(worst, time.monotonic() - t0)
        summary = flooder.expect(lambda e: e.get('event') == 'flood', seconds + 30, 'the flood summary')
        flooder.wait_exit(10)
        grown = rss_kib(bob) - rss0
        print('# %s flood: %s; alice\'s messages took at most %.3f s; bob\'s RSS %+d KiB'
              % (kind, json.dumps(summary), worst, grown))
        return summary, worst, grown

    def bob_events(kind, key):
        """bob's events of @kind whose @key is one of the flood's strangers."""
        found = []
        for line in bob.history:
            e = parse_json(line) or {}
            if e.get('event') == kind and '@flood.invalid' in (e.get(key) or ''):
                found.append(e)
        return found

    def strangers_flood():
        # 5,000 MESSAGEs in 10 s, each from another forged stranger, all from
        # one host: its address's bucket takes the burst and 1 a second.
        rss0 = rss_kib(bob)
        summary, worst, grown = flood('message', 5000, 10.0)
        codes = summary['codes']
        taken = codes.get('200', 0)
        if taken > 5 + 1 * (summary['seconds'] + 1):
            raise AssertionError('bob took %d of the flood: %r' % (taken, summary))
        if codes.get('429', 0) < 4900 or summary['retry_after_min'] < 1:
            raise AssertionError('the flood was not refused with 429 + Retry-After: %r' % summary)
        bob.drain(1.0)
        shown = len(bob_events('message', 'from'))
        if shown != taken:
            raise AssertionError('bob showed %d flood messages, took %d' % (shown, taken))
        if worst > 1.0:
            raise AssertionError('a friend\'s message took %.2f s during the flood' % worst)
        # Memory: sofia-sip keeps each answered request 32 s (Timer J);
        # after that the same flood again reuses what the first one took.
        first = rss_kib(bob)
        time.sleep(35)
        flood('message', 5000, 10.0)
        second = rss_kib(bob)
        print('# bob\'s RSS: %d KiB before, %d KiB after a flood, %d KiB after a second one'
              % (rss0, first, second))
        if second - first > 8 * 1024:
            raise AssertionError('a second flood took bob from %d to %d KiB' % (first, second))
        # 2,000 SUBSCRIBEs from strangers: the same bound; bob asks the user
        # about only those taken, and sends NOTIFYs only to them.
        summary, worst, grown = flood('subscribe', 2000, 5.0)
        codes = summary['codes']
        taken = codes.get('200', 0) + codes.get('202', 0)
        if taken > 5 + 1 * (summary['seconds'] + 1) or codes.get('429', 0) < 1900:
            raise AssertionError('bob took %d SUBSCRIBEs of the flood: %r' % (taken, summary))
        bob.drain(1.0)
        asked = len(bob_events('watcher', 'uri'))
        if asked > taken:
            raise AssertionError('bob asked about %d strangers, took %d' % (asked, taken))
        if summary['notifies'] > 2 * taken:
            raise AssertionError('bob sent %d NOTIFYs for %d watchers' % (summary['notifies'], taken))
        if worst > 1.0:
            raise AssertionError('a friend\'s message took %.2f s during the flood' % worst)

    def blocking():
        carol.send('add %s Bob' % bob.aor)
        bob.expect(ev('watcher', uri=carol.aor, status='pending'), QUICK, 'carol asking')
        bob.send('block ' + carol.aor)
        carol.wait_presence(bob, 'refused by bob', subscription='rejected')
        bob.send('status busy not for carol')
        alice.wait_presence(bob, 'bob busy', status='busy', note='not for carol')
        # bob's note only travels in NOTIFYs: carol must never get it. (His
        # status is in his public TXT record, which carol may show while
        # her account retries; it must settle on offline and refused.)
        carol.expect_none(lambda e: e.get('event') == 'presence' and e.get('uri') == bob.aor
                          and e.get('note') == 'not for carol', 5, 'bob\'s note reaching carol')
        carol.wait_presence(bob, 'bob offline to carol', subscription='rejected',
                            status='offline', basic='closed')
        carol.send('send %s let me in' % bob.aor)
        bob.expect_none(ev('message', **{'from': carol.aor}), 5, 'message from blocked carol')

    def quitting():
        carol.send('quit')
        status = carol.wait_exit(QUICK)
        if status != 0:
            raise AssertionError('carol exited with status %d' % status)
        alice.wait_presence(carol, 'carol offline', status='offline', basic='closed')
        for u in (alice, bob):
            u.wait_until(lambda: u.peers[carol.aor].get('state') == 'vanished', QUICK,
                         'carol vanishing')

    def killed():
        bob.kill(signal.SIGKILL)
        bob.wait_exit(5)
        alice.wait_presence(bob, 'bob offline after SIGKILL', timeout=SILENT,
                            status='offline', basic='closed')
        alice.wait_until(lambda: alice.peers[bob.aor].get('state') == 'vanished', QUICK,
                         'bob vanishing')

    def back_with_friends():
        st['bob2'] = bob2 = Cli('bob', cli, 'bob-again')
        bob2.wait_registered()
        if bob2.aor != bob.aor:
            raise AssertionError('bob came back as %s, not %s' % (bob2.aor, bob.aor))
        # Friends and rules were saved: no new request, presence flows.
        alice.wait_presence(bob2, 'bob back and allowing', subscription='active',
                            status='online', basic='open')
        bob2.send('status away back soon')
        alice.wait_presence(bob2, 'bob away again', status='away', note='back soon')

    def host_drops_off():
        bob2 = st['bob2']
        harness('avahi', HOSTS['bob'], 'kill')
        bob2.kill(signal.SIGKILL)
        bob2.wait_exit(5)
        start = time.monotonic()
        alice.wait_presence(bob2, 'bob offline after his host went silent', timeout=SILENT,
                            status='offline', basic='closed')
        print('# alice saw bob offline %.0f s after his host went silent'
              % (time.monotonic() - start))

    if not tap.step('three hosts discover each other (peer events)', discovery):
        print('Bail out! no discovery')
        return tap.finish()
    if tap.step('friend requests answered with allow (both ways)', friends):
        tap.step('presence changes both ways, appear offline', presence_both_ways)
        tap.step('chat both ways', chat)
        tap.step('a stranger\'s flood is refused (429); a friend\'s messages still arrive at once',
                 strangers_flood)
        tap.step('a blocked peer sees offline and cannot chat', blocking)
        tap.step('a peer that quits vanishes and goes offline', quitting)
        if tap.step('a peer killed with SIGKILL goes offline', killed):
            if tap.step('a restarted peer keeps its friends', back_with_friends):
                tap.step('a peer whose host drops off goes offline in bounded time',
                         host_drops_off)
    return tap.finish()


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: test-lan.py PATH/TO/beacon-cli')
    sys.exit(main(os.path.abspath(sys.argv[1])))
