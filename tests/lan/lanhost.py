# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the `lan` tests: processes on the hosts of netns-harness.sh.

The tests run as `netns-harness.sh run N -- python3 test-….py ARGS`; the
harness puts BEACON_LAN_NS_i / BEACON_LAN_DBUS_i / BEACON_LAN_ADDR_i in the
environment. HostProcess starts a program inside host i's namespace with
that host's system bus, reads its stdout line by line with select() and
deadlines, and lets a test wait for a line matching a predicate in any
order (lines that did not match stay pending for later waits).
Python 3 standard library only.
"""

import json
import os
import select
import signal
import subprocess
import sys
import time


class Timeout(AssertionError):
    pass


def host_env(i):
    """Namespace, system bus address and IPv4 address of host i."""
    try:
        return (os.environ['BEACON_LAN_NS_%d' % i],
                os.environ['BEACON_LAN_DBUS_%d' % i],
                os.environ['BEACON_LAN_ADDR_%d' % i])
    except KeyError:
        raise SystemExit('not run under netns-harness.sh with host %d' % i)


def harness(*args, timeout=30):
    """Runs a netns-harness.sh subcommand on this run's hosts."""
    cmd = [os.environ['BEACON_LAN_HARNESS'], args[0],
           os.environ['BEACON_LAN_RUNDIR']] + [str(a) for a in args[1:]]
    return subprocess.run(cmd, timeout=timeout, check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True).stdout


class HostProcess:
    """A program running on host i; `parse` turns a line into an event."""

    all = []

    def __init__(self, host, argv, name, parse=None, env=None):
        ns, dbus, self.address = host_env(host)
        self.name = name
        self.parse = parse or (lambda line: line)
        self.pending = []     # parsed events not yet matched
        self.history = []     # every raw line, for failure reports
        self._buf = b''
        rundir = os.environ.get('BEACON_LAN_RUNDIR', '/tmp')
        self.stderr_path = os.path.join(rundir, '%s.stderr' % name)
        full_env = dict(os.environ)
        full_env['DBUS_SYSTEM_BUS_ADDRESS'] = dbus
        full_env.update(env or {})
        with open(self.stderr_path, 'wb') as err:
            self.proc = subprocess.Popen(['ip', 'netns', 'exec', ns] + list(argv),
                                         stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=err,
                                         env=full_env)
        os.set_blocking(self.proc.stdout.fileno(), False)
        HostProcess.all.append(self)

    # --- input ---------------------------------------------------------
    def send(self, line):
        self.proc.stdin.write((line + '\n').encode())
        self.proc.stdin.flush()

    # --- output --------------------------------------------------------
    def _read(self, deadline):
        """Reads what is there, waiting until deadline; False at EOF."""
        fd = self.proc.stdout.fileno()
        left = max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return True
        chunk = os.read(fd, 65536)
        if not chunk:
            return False
        self._buf += chunk
        while b'\n' in self._buf:
            raw, self._buf = self._buf.split(b'\n', 1)
            line = raw.decode('utf-8', 'replace')
            self.history.append(line)
            event = self.parse(line)
            if event is not None:
                self.pending.append(event)
        return True

    def _take(self, pred):
        for k, event in enumerate(self.pending):
            if pred(event):
                del self.pending[k]
                return event
        return None

    def expect(self, pred, timeout, what):
        """The first pending or future event matching pred, else Timeout."""
        deadline = time.monotonic() + timeout
        while True:
            event = self._take(pred)
            if event is not None:
                return event
            if time.monotonic() >= deadline:
                raise Timeout('%s: no %s within %g s' % (self.name, what, timeout))
            if not self._read(deadline):
                event = self._take(pred)
                if event is not None:
                    return event
                raise Timeout('%s: exited (status %s) before %s'
                              % (self.name, self.proc.poll(), what))

    def wait_until(self, cond, timeout, what):
        """Reads until cond() holds (a test's own view of the output)."""
        deadline = time.monotonic() + timeout
        while not cond():
            if time.monotonic() >= deadline:
                raise Timeout('%s: not %s within %g s' % (self.name, what, timeout))
            if not self._read(deadline) and not cond():
                raise Timeout('%s: exited (status %s) before %s'
                              % (self.name, self.proc.poll(), what))

    def expect_none(self, pred, duration, what):
        """Asserts no event matching pred arrives within duration."""
        deadline = time.monotonic() + duration
        while True:
            event = self._take(pred)
            if event is not None:
                raise AssertionError('%s: unexpected %s: %r' % (self.name, what, event))
            if time.monotonic() >= deadline or not self._read(deadline):
                return

    def drain(self, duration=0.0):
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline and self._read(deadline):
            pass
        while self._read(time.monotonic()) and select.select(
                [self.proc.stdout.fileno()], [], [], 0)[0]:
            pass

    # --- lifetime ------------------------------------------------------
    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise Timeout('%s: still running after %g s' % (self.name, timeout))

    def kill(self, sig=signal.SIGTERM):
        if self.proc.poll() is None:
            # `ip netns exec` execs the program: this pid is the program.
            os.kill(self.proc.pid, sig)

    def dump(self, out=sys.stdout, last=40):
        try:
            self.drain()
        except OSError:
            pass
        out.write('# --- %s stdout (last %d lines)\n' % (self.name, last))
        for line in self.history[-last:]:
            out.write('#   %s\n' % line)
        try:
            with open(self.stderr_path, errors='replace') as f:
                tail = f.read().splitlines()[-last:]
        except OSError:
            tail = []
        out.write('# --- %s stderr\n' % self.name)
        for line in tail:
            out.write('#   %s\n' % line)

    @classmethod
    def cleanup(cls, timeout=5):
        for p in cls.all:
            if p.proc.poll() is None:
                try:
                    p.proc.stdin.close()
                except OSError:
                    pass
                p.kill()
        for p in cls.all:
            try:
                p.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                p.kill(signal.SIGKILL)
                p.proc.wait(timeout=timeout)


def wait_all(procs, cond, timeout, what):
    """Reads all of procs (a little at a time) until cond() holds."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() >= deadline:
            raise Timeout('not %s within %g s' % (what, timeout))
        for p in procs:
            p.drain(0.05)


def parse_json(line):
    """Events of `beacon-cli run`: JSON objects; other lines are ignored."""
    line = line.strip()
    if not line.startswith('{'):
        return None
    try:
        return json.loads(line)
    except ValueError:
        return None


class Tap:
    """Minimal TAP producer: each step is a function; a failure dumps logs."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def step(self, description, func, *args):
        self.n += 1
        try:
            func(*args)
        except Exception as e:  # noqa: BLE001 - any failure fails the step
            self.failed += 1
            print('not ok %d - %s' % (self.n, description))
            print('# %s: %s' % (type(e).__name__, e))
            for p in HostProcess.all:
                p.dump()
            sys.stdout.flush()
            return False
        print('ok %d - %s' % (self.n, description))
        sys.stdout.flush()
        return True

    def skip(self, description, reason):
        self.n += 1
        print('ok %d - %s # SKIP %s' % (self.n, description, reason))

    def finish(self):
        print('1..%d' % self.n)
        HostProcess.cleanup()
        return 1 if self.failed else 0
