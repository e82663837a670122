#!/usr/bin/env python3
"""Reads meson's testlog.json files (one per build) and prints the plain closing line
`N passed, N failed`. A skipped test counts as failed: every suite's
dependencies are installed by build-aux/install-deps.sh, so a skip means
something is missing. Exits 1 when anything failed or no test ran."""
import json
import sys

PASSED = {"OK", "EXPECTEDFAIL"}

def main(paths):
    passed, failed = [], []
    for path in paths:
        build = path.split("/meson-logs/")[0]
        with open(path, encoding="utf-8") as log:
            for line in log:
                if not line.strip():
                    continue
                entry = json.loads(line)
                name = entry.get("name", "?")
                result = entry.get("result", "?")
                suite = ",".join(s.split(":")[-1] for s in entry.get("suite", []))
                if len(paths) > 1:
                    suite = f"{build} {suite}"
                (passed if result in PASSED else failed).append((suite, name, result))
    for suite, name, result in failed:
        print(f"FAILED [{suite}] {name}: {result}")
    print(f"{len(passed)} passed, {len(failed)} failed")
    return 0 if passed and not failed else 1

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
