#!/usr/bin/env python3
# check-style.py — the house style (GNOME's, as GNOME Text Editor writes it)
# checked where a tool can check it, and fixed with --fix where a tool can
# fix it.
#
# clang-format cannot describe this style before version 20 (Debian 12 has
# 14 to 16): it has no "one parameter per line" for definitions that fit on
# one line, it aligns a function's parameter names at max(type + stars)
# where GNOME aligns the types, then the stars, then the names, and it
# aligns local variables, which GNOME code does not. So the rules it would
# enforce are enforced here, and .clang-format is only an editor aid.
#
# Rules, for the C files of src/, tests/ (not its data) and bench/:
#   - no tabs, no trailing white space, no CR, lines of at most 120 columns
#     (unless a string literal makes them longer);
#   - a space before the parenthesis of every call and declaration
#     ("g_free (x)"), except gettext's _(), N_(), C_(), NC_(), the
#     g_auto*() family, sizeof, and macros in capitals;
#   - a function definition has its return type on the line above, and
#     when it has more than one parameter, one per line, in three columns:
#     the types left-aligned, the stars right-aligned, the names aligned
#     ("BeaconConversation  *self," / "GError             **error").
#
# Usage: check-style.py [--fix] [FILE...]   (no FILE: every tracked one)
# Exit status 1 when something is wrong (after --fix: what it could not fix).
#
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import subprocess
import sys

MAX_COLUMNS = 120
CALL = re.compile(r'\b([A-Za-z_][A-Za-z0-9_]*)\((?!\))')
CALL_EXEMPT = re.compile(r'^(_|N_|C_|NC_|g_auto|g_autoptr|g_autofree|g_autolist|g_autoslist|'
                         r'g_autoqueue|sizeof|defined|__attribute__|__typeof__|typeof)$|^[A-Z0-9_]+$')
DEFINITION = re.compile(r'^([a-z_][a-z0-9_]*) \((.*)$')
PARAMETER = re.compile(r'^(?P<type>.*?[^\s*])\s*(?P<stars>\**)\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*(\[\])?)$')


def code_of(lines):
    """Each line with strings, character literals and comments blanked."""
    out = []
    in_comment = False
    for line in lines:
        s = re.sub(r'"(\\.|[^"\\])*"', '""', line)
        s = re.sub(r"'(\\.|[^'\\])*'", "''", s)
        if in_comment:
            if '*/' not in s:
                out.append('')
                continue
            s = s.split('*/', 1)[1]
            in_comment = False
        s = re.sub(r'/\*.*?\*/', '', s)
        if '/*' in s:
            s = s.split('/*', 1)[0]
            in_comment = True
        s = s.split('//', 1)[0]
        out.append('' if s.lstrip().startswith('#') else s)
    return out


def split_parameters(text):
    """Top-level comma-separated parameters, or None when one has parentheses."""
    if '(' in text or ')' in text:
        return None
    return [p.strip() for p in text.split(',')]


def aligned(name, parameters, tail):
    """The definition's lines in GNOME's three columns, or None."""
    parts = []
    for p in parameters:
        m = PARAMETER.match(p)
        if m is None:
            return None
        parts.append((m.group('type'), m.group('stars'), m.group('name')))
    type_width = max(len(t) for t, _, _ in parts)
    star_width = max(len(s) for _, s, _ in parts)
    indent = ' ' * (len(name) + 2)
    lines = []
    for i, (t, s, n) in enumerate(parts):
        text = t.ljust(type_width) + ' ' + s.rjust(star_width) + n
        lines.append((name + ' (' if i == 0 else indent) + text + (',' if i < len(parts) - 1 else tail))
    return lines


def definitions(lines, code):
    """(first line, last line, name, parameters, tail) of each multi-parameter definition."""
    i = 1
    while i < len(lines):
        m = DEFINITION.match(lines[i])
        prev = lines[i - 1]
        if m is None or not prev or prev[0] in ' #/}*' or prev.rstrip().endswith((';', ',', '\\')):
            i += 1
            continue
        j = i
        while ')' not in code[j] and j + 1 < len(lines) and j - i < 40:
            j += 1
        close = lines[j].rfind(')')
        after = lines[j + 1].strip() if j + 1 < len(lines) else ''
        if close < 0 or after != '{' or lines[j][close + 1:].strip() not in ('',):
            i = j + 1
            continue
        text = ' '.join(l.strip() for l in lines[i:j + 1])
        inner = text[len(m.group(1)) + 2:text.rfind(')')]
        parameters = split_parameters(inner)
        if parameters is not None and len(parameters) > 1:
            yield i, j, m.group(1), parameters, ')'
        i = j + 1


def check_file(path, fix):
    with open(path, encoding='utf-8') as f:
        original = f.read()
    lines = original.split('\n')
    problems = []
    code = code_of(lines)

    for start, end, name, parameters, tail in list(definitions(lines, code))[::-1]:
        want = aligned(name, parameters, tail)
        if want is None:
            continue
        if lines[start:end + 1] != want:
            if fix:
                lines[start:end + 1] = want
            else:
                problems.append((start + 1, 'parameters of %s not one per line in three aligned '
                                 'columns' % name))
    code = code_of(lines)
    for no, (line, c) in enumerate(zip(lines, code), 1):
        if '\t' in line:
            problems.append((no, 'a tab'))
        if line != line.rstrip():
            problems.append((no, 'trailing white space'))
        if '\r' in line:
            problems.append((no, 'a carriage return'))
        # (a string literal may run on: a SIP message in a test, a URL)
        if len(line) > MAX_COLUMNS and len(re.sub(r'"(\\.|[^"\\])*"', '""', line)) > MAX_COLUMNS - 20:
            problems.append((no, 'longer than %d columns (%d)' % (MAX_COLUMNS, len(line))))
        for m in CALL.finditer(c):
            if not CALL_EXEMPT.match(m.group(1)):
                problems.append((no, 'no space before the parenthesis of %s' % m.group(1)))
    fixed = '\n'.join(lines)
    if fix and fixed != original:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(fixed)
    return sorted(problems)


def main():
    args = sys.argv[1:]
    fix = '--fix' in args
    files = [a for a in args if a != '--fix']
    root = os.environ.get('BEACON_SOURCE_ROOT') or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not files:
        listed = subprocess.run(['git', 'ls-files', '*.c', '*.h'], cwd=root, check=True,
                                capture_output=True, text=True).stdout.split()
        files = [os.path.join(root, f) for f in listed
                 if f.startswith(('src/', 'tests/', 'bench/')) and not f.startswith('tests/data/')]
    bad = 0
    for path in files:
        for no, what in check_file(path, fix):
            print('%s:%d: %s' % (os.path.relpath(path, root), no, what))
            bad += 1
    print('%d files checked, %d problems' % (len(files), bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
