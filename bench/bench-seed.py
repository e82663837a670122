#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes what build-aux/bench.sh needs to give alice a list of N buddies.

  bench-seed.py OUTDIR N DOMAIN XCAP_ROOT

OUTDIR/users.sql      subscriber rows b1..bN (password bX-secret) and, for
                      each, a pres-rules document allowing sip:alice@DOMAIN
                      (rows of Kamailio's xcap table, as an XCAP PUT stores
                      them), to feed to sqlite3 on the harness's database
OUTDIR/publish.csv    sipp injection file for bench/sipp-publish-many.xml
OUTDIR/resource-lists.xml, OUTDIR/rls-services.xml   alice's documents,
                      PUT by the runner over XCAP (that PUT is timed)
"""
import hashlib
import os
import sys

PRES_RULES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<cr:ruleset xmlns:cr="urn:ietf:params:xml:ns:common-policy" '
    'xmlns:pr="urn:ietf:params:xml:ns:pres-rules"><cr:rule id="r1"><cr:conditions>'
    '<cr:identity><cr:one id="sip:alice@{domain}"/></cr:identity></cr:conditions>'
    '<cr:actions><pr:sub-handling>allow</pr:sub-handling></cr:actions>'
    '<cr:transformations><pr:provide-services><pr:all-services/></pr:provide-services>'
    '<pr:provide-persons><pr:all-persons/></pr:provide-persons>'
    '<pr:provide-devices><pr:all-devices/></pr:provide-devices>'
    '<pr:provide-all-attributes/></cr:transformations></cr:rule></cr:ruleset>\n')


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    outdir, n, domain, xcap_root = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    if not 1 <= n <= 100000:
        sys.exit("N must be 1..100000")
    os.makedirs(outdir, exist_ok=True)
    rules = PRES_RULES.format(domain=domain).replace("'", "''")
    with open(os.path.join(outdir, "users.sql"), "w") as sql:
        sql.write("BEGIN;\n")
        for i in range(1, n + 1):
            user, password = f"b{i}", f"b{i}-secret"
            sql.write("INSERT OR REPLACE INTO subscriber (username, domain, password, ha1, ha1b)"
                      f" VALUES ('{user}', '{domain}', '', '{md5(f'{user}:{domain}:{password}')}',"
                      f" '{md5(f'{user}@{domain}:{domain}:{password}')}');\n")
            sql.write("INSERT OR REPLACE INTO xcap (username, domain, doc, doc_type, etag, source,"
                      f" doc_uri, port) VALUES ('{user}', '{domain}', CAST('{rules}' AS BLOB), 2,"
                      f" 'bench-{i}', 0, '/xcap-root/pres-rules/users/sip:{user}@{domain}/index', 0);\n")
        sql.write("COMMIT;\n")
    with open(os.path.join(outdir, "publish.csv"), "w") as csv:
        csv.write("SEQUENTIAL\n")
        for i in range(1, n + 1):
            csv.write(f"b{i};[authentication username=b{i} password=b{i}-secret]\n")
    with open(os.path.join(outdir, "resource-lists.xml"), "w") as rl:
        rl.write('<?xml version="1.0" encoding="UTF-8"?>\n<resource-lists '
                 'xmlns="urn:ietf:params:xml:ns:resource-lists"><list name="buddies">')
        for i in range(1, n + 1):
            rl.write(f'<entry uri="sip:b{i}@{domain}"/>')
        rl.write('</list></resource-lists>\n')
    with open(os.path.join(outdir, "rls-services.xml"), "w") as rls:
        rls.write('<?xml version="1.0" encoding="UTF-8"?>\n<rls-services '
                  'xmlns="urn:ietf:params:xml:ns:rls-services">'
                  f'<service uri="sip:alice-list@{domain}"><resource-list>{xcap_root}'
                  f'/resource-lists/users/sip:alice@{domain}/index/~~/resource-lists/'
                  'list%5b@name=%22buddies%22%5d</resource-list>'
                  '<packages><package>presence</package></packages></service></rls-services>\n')


if __name__ == "__main__":
    main()
