#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stranger flooding a LAN peer with SIP requests over UDP.

    flood.py message|subscribe ADDRESS PORT COUNT SECONDS

Sends COUNT MESSAGEs (or initial SUBSCRIBEs for presence) to the peer at
ADDRESS:PORT, spread over SECONDS, each from a different forged From
(sip:stranger-N@flood.invalid) but all from this host; answers every
NOTIFY it gets with 200 (a polite flooder: the peer's NOTIFYs are counted
and not retransmitted). Reads answers while sending and for 3 s after.
Prints one JSON line: how many were sent, the final answers by code, the
smallest and largest Retry-After seen, and the NOTIFYs received.
Every loop is bounded by COUNT or by time.
"""

import json
import os
import select
import socket
import sys
import time


def request(kind, target, local, n):
    branch = 'z9hG4bK-flood-%d-%d' % (os.getpid(), n)
    call_id = 'flood-%d-%d@%s' % (os.getpid(), n, local[0])
    from_uri = 'sip:stranger-%d@flood.invalid' % n
    lines = ['%s %s SIP/2.0' % (kind, target),
             'Via: SIP/2.0/UDP %s:%d;branch=%s;rport' % (local[0], local[1], branch),
             'Max-Forwards: 70',
             'From: <%s>;tag=f%d' % (from_uri, n),
             'To: <%s>' % target,
             'Call-ID: %s' % call_id,
             'CSeq: 1 %s' % kind,
             'Contact: <sip:stranger-%d@%s:%d>' % (n, local[0], local[1])]
    if kind == 'MESSAGE':
        body = 'flood %d' % n
        lines += ['Content-Type: text/plain', 'Content-Length: %d' % len(body), '', body]
    else:
        lines += ['Event: presence', 'Accept: application/pidf+xml', 'Expires: 60',
                  'Content-Length: 0', '', '']
    return '\r\n'.join(lines).encode()


def answer_notify(sock, data, peer):
    """200 OK to a NOTIFY, copying the headers a response needs."""
    head = data.split(b'\r\n\r\n', 1)[0].decode(errors='replace').split('\r\n')
    keep = [h for h in head[1:]
            if h.split(':', 1)[0].strip().lower() in ('via', 'from', 'to', 'call-id', 'cseq')]
    sock.sendto(('\r\n'.join(['SIP/2.0 200 OK'] + keep + ['Content-Length: 0', '', ''])).encode(),
                peer)


def main():
    kind, address, port, count, seconds = sys.argv[1:6]
    kind = {'message': 'MESSAGE', 'subscribe': 'SUBSCRIBE'}[kind]
    port, count, seconds = int(port), int(count), float(seconds)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.bind(('0.0.0.0', 0))
    sock.connect((address, port))
    local = (sock.getsockname()[0], sock.getsockname()[1])
    sock.close()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
    sock.bind(local)
    target = 'sip:bob@%s:%d' % (address, port)
    finals = {}          # call-id -> final code
    retry_after = []
    notifies = 0
    start = time.monotonic()

    def read(timeout):
        nonlocal notifies
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([sock], [], [], left)
            if not ready:
                return
            data, peer = sock.recvfrom(65536)
            first = data.split(b'\r\n', 1)[0]
            if first.startswith(b'NOTIFY '):
                notifies += 1
                answer_notify(sock, data, peer)
                continue
            if not first.startswith(b'SIP/2.0 '):
                continue
            code = int(first.split()[1])
            if code < 200:
                continue
            head = data.split(b'\r\n\r\n', 1)[0].decode(errors='replace').split('\r\n')
            call_id = None
            for h in head[1:]:
                name, _, value = h.partition(':')
                name = name.strip().lower()
                if name in ('call-id', 'i'):
                    call_id = value.strip()
                elif name == 'retry-after':
                    retry_after.append(int(value.strip().split()[0]))
            if call_id is not None:
                finals.setdefault(call_id, code)

    for n in range(count):
        sock.sendto(request(kind, target, local, n), (address, port))
        # Spread over SECONDS; read what came meanwhile.
        due = start + seconds * (n + 1) / count
        read(max(0.0, due - time.monotonic()))
    read(3.0)
    codes = {}
    for code in finals.values():
        codes[str(code)] = codes.get(str(code), 0) + 1
    print(json.dumps({'event': 'flood', 'kind': kind, 'sent': count, 'answered': len(finals),
                      'codes': codes, 'retry_after_min': min(retry_after, default=0),
                      'retry_after_max': max(retry_after, default=0), 'notifies': notifies,
                      'seconds': round(time.monotonic() - start, 2)}), flush=True)


if __name__ == '__main__':
    main()
