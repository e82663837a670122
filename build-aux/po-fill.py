#!/usr/bin/env python3
"""po-fill.py POT PO TRANSLATIONS.tsv — a translator's helper: merges new
strings from POT into PO and fills empty msgstrs from a tab-separated
`context<TAB>msgid<TAB>translation` table (context may be empty). Strings it
cannot fill stay empty, and tests/po/check-translations.sh then fails."""
import re
import subprocess
import sys

def unquote(lines):
    return "".join(eval(l[l.index('"'):]) for l in lines)  # PO strings are C-like literals

def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

def main(pot, po, table):
    subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", "--no-fuzzy-matching", po, pot], check=True)
    trans = {}
    with open(table, encoding="utf-8") as f:
        for row in f:
            row = row.rstrip("\n")
            if not row or row.startswith("#"):
                continue
            ctx, mid, mstr = row.split("\t")
            trans[(ctx, mid.replace("\\n", "\n"))] = mstr.replace("\\n", "\n")
    out, missing = [], []
    for entry in open(po, encoding="utf-8").read().split("\n\n"):
        lines = entry.split("\n")
        ctx_lines, id_lines, str_lines, head, cur = [], [], [], [], None
        for l in lines:
            if l.startswith("msgctxt "): cur = ctx_lines
            elif l.startswith("msgid "): cur = id_lines
            elif l.startswith("msgstr "): cur = str_lines
            elif not l.startswith('"'): cur = None
            (cur if cur is not None else head).append(l)
        if not id_lines or not str_lines:
            out.append(entry); continue
        ctx, mid, mstr = unquote(ctx_lines), unquote(id_lines), unquote(str_lines)
        if mid and not mstr:
            mstr = trans.get((ctx, mid), "")
            if not mstr:
                missing.append(mid)
            head = [l for l in head if l != "#, fuzzy"]
            entry = "\n".join(head + ctx_lines + id_lines + ["msgstr " + quote(mstr)])
        out.append(entry)
    open(po, "w", encoding="utf-8").write("\n\n".join(out))
    for m in missing:
        print("untranslated:", repr(m), file=sys.stderr)
    return 1 if missing else 0

if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
