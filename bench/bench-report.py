#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Puts the figures of a bench run into bench/RESULTS.md.

  bench-report.py RESULTS.TXT RESULTS.MD

RESULTS.TXT holds "RESULT name value unit" lines (build-aux/bench.sh).
Only the part of RESULTS.MD between the BEGIN/END FIGURES markers is
rewritten: the machine, the date, every figure, the targets of issue 9 and
the ratios to linphonec. The analysis around it is kept.
"""
import datetime
import os
import platform
import re
import subprocess
import sys

BEGIN = "<!-- BEGIN FIGURES (bench/bench-report.py writes this part) -->"
END = "<!-- END FIGURES -->"


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    lscpu = sh("lscpu")
    keep = ("Model name", "CPU(s):", "Thread(s) per core", "CPU max MHz", "L2 cache", "L3 cache",
            "Hypervisor vendor", "Virtualization type")
    cpu = [l.strip() for l in lscpu.splitlines() if l.strip().startswith(keep)]
    mem = sh("free -h | awk 'NR==2 { print $2 \" total, \" $7 \" available\" }'")
    load = sh("cat /proc/loadavg")
    linphone = sh("dpkg-query -W -f='${Version}' linphone-cli 2>/dev/null")
    lines = [f"- CPU: {'; '.join(re.sub(r'  +', ' ', c) for c in cpu)}",
             f"- memory: {mem}",
             f"- kernel: {platform.release()} ({platform.machine()}); {sh('. /etc/os-release && echo $PRETTY_NAME')}",
             f"- load average at the end of the run: {load}",
             f"- Kamailio: {sh('kamailio -v 2>/dev/null | head -n 1')}",
             f"- linphonec: {linphone or 'not installed'}"]
    return "\n".join(lines)


def load(path):
    figures = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"RESULT (\S+) (\S+) (\S+)", line)
            if m:
                figures[m.group(1)] = (float(m.group(2)), m.group(3))
    return figures


def fmt(v):
    return f"{v:.3f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:.0f}"


def target_rows(fig):
    def get(name):
        return fig.get(name, (None, None))[0]

    rows = []

    def target(what, name, limit, unit):
        v = get(name)
        if v is None:
            rows.append(f"| {what} | < {limit} {unit} | not measured | — |")
        elif v < 0:
            rows.append(f"| {what} | < {limit} {unit} | never (timed out) | **not met** |")
        else:
            rows.append(f"| {what} | < {limit} {unit} | {fmt(v)} {unit} | {'met' if v < limit else '**not met**'} |")

    target("client-side presence latency, p50 (NOTIFY read → buddy updated)", "latency.direct.client_p50_ms", 1, "ms")
    target("client-side presence latency, p99", "latency.direct.client_p99_ms", 1, "ms")
    target("5,000-buddy list fully known (from account start)", "biglist.5000.all_known_s", 2, "s")
    target("5,000-buddy list 99 % known", "biglist.5000.known_99pct_s", 2, "s")
    target("5,000-buddy list, client's share: one full-state NOTIFY parsed and applied (bench-rlmi)",
           "rlmi.5000.apply_ms", 2000, "ms")
    target("app start-up to first frame, 0 buddies", "startup.0.first_frame_ms", 300, "ms")
    target("app start-up to first frame, 1,000 buddies", "startup.1000.first_frame_ms", 300, "ms")
    target("app start-up to first frame, 0 buddies, GDK_DEBUG=gl-disable", "startup.0.nogl.first_frame_ms", 300, "ms")
    target("app RSS with 1,000 buddies", "startup.1000.rss_mib", 80, "MiB")
    target("app RSS with 1,000 buddies, GDK_DEBUG=gl-disable (no Mesa llvmpipe)", "startup.1000.nogl.rss_mib", 80, "MiB")
    target("engine peak RSS with a 1,000-buddy list (bench-biglist)", "biglist.1000.peak_rss_mib", 80, "MiB")
    return rows


def ratio_rows(fig):
    rows = []

    def ratio(what, ours, theirs):
        a, b = fig.get(ours, (None,))[0], fig.get(theirs, (None,))[0]
        if a is None or b is None or a <= 0 or b <= 0:
            rows.append(f"| {what} | {fmt(a) if a is not None else '—'} | {fmt(b) if b is not None else '—'} | n/a |")
        else:
            rows.append(f"| {what} | {fmt(a)} | {fmt(b)} | {b / a:.2f}× |")

    ratio("presence latency p50, ms (direct subscription)", "latency.direct.total_p50_ms", "linphone.latency.total_p50_ms")
    ratio("presence latency p99, ms", "latency.direct.total_p99_ms", "linphone.latency.total_p99_ms")
    for n in (1000, 5000):
        ratio(f"{n:,}-buddy list all known, s", f"biglist.{n}.all_known_s", f"linphone.biglist.{n}.all_known_s")
        a = fig.get(f"biglist.{n}.known", (None,))[0]
        b = fig.get(f"linphone.biglist.{n}.known", (None,))[0]
        if a is not None and b is not None:
            rows.append(f"| {n:,}-buddy list: buddies known online at the end (120 s limit) | {fmt(a)} | {fmt(b)} | "
                        f"{(a / b if b else float('inf')):.2f}× as many for Beacon |")
    return rows


def figures_block(fig):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [BEGIN, "", f"Run of {now} (`./build-aux/bench.sh`; release build, gcc, no sanitizers).",
           "Figures were taken on a **shared machine** (2 cores, other jobs running at the same time):",
           "treat them as upper bounds; the load average below says how busy it was.", "",
           "### Machine", "", machine(), "", "### Targets (issue 9)", "",
           "| target | limit | measured | |", "| --- | --- | --- | --- |"]
    out += target_rows(fig)
    out += ["", "### Beacon vs linphonec (ratio = linphonec / Beacon; above 1: Beacon is faster)", "",
            "| figure | Beacon | linphonec | ratio |", "| --- | --- | --- | --- |"]
    out += ratio_rows(fig)
    out += ["", "### All figures", "", "| figure | value | unit |", "| --- | --- | --- |"]
    out += [f"| `{k}` | {fmt(v)} | {u} |" for k, (v, u) in sorted(fig.items())]
    out += ["", END]
    return "\n".join(out)


SKELETON = f"""# Benchmark results

Produced by `./build-aux/bench.sh` (see bench/README.md for what each figure means).

{BEGIN}
{END}
"""


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    fig = load(sys.argv[1])
    text = open(sys.argv[2]).read() if os.path.exists(sys.argv[2]) else SKELETON
    if BEGIN not in text or END not in text:
        text += "\n" + BEGIN + "\n" + END + "\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(sys.argv[2], "w") as f:
        f.write(head + figures_block(fig) + tail)


if __name__ == "__main__":
    main()
