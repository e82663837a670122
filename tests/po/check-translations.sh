#!/usr/bin/env bash
# Fails when a translation in po/LINGUAS misses or has a fuzzy entry for a
# string the sources use now: translations are kept complete as strings are added.
set -euo pipefail
src=${BEACON_SOURCE_ROOT:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$src" && xgettext --files-from=po/POTFILES.in --directory="$src" \
   --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
   --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --output="$work/beacon.pot" 2>"$work/xgettext.log") || {
  cat "$work/xgettext.log" >&2; exit 1; }

n_strings=$(grep -c '^msgid ' "$work/beacon.pot")
[ "$n_strings" -gt 10 ] || { echo "only $n_strings strings extracted: POTFILES broken?" >&2; exit 1; }

status=0
# Every source with a translatable string must be listed in POTFILES.in.
for f in $(cd "$src" && grep -rlE '_\("|translatable="yes"' src --include='*.c' --include='*.ui' | sort); do
  grep -qx "$f" "$src/po/POTFILES.in" || { echo "$f has translatable strings but is not in po/POTFILES.in" >&2; status=1; }
done
for lang in $(grep -v '^#' "$src/po/LINGUAS"); do
  po="$src/po/$lang.po"
  [ -f "$po" ] || { echo "$lang: $po missing" >&2; status=1; continue; }
  msgfmt --check -o /dev/null "$po"
  msgmerge --quiet --no-fuzzy-matching "$po" "$work/beacon.pot" -o "$work/$lang.po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$work/$lang.po" | grep -c '^msgid ' || true)
  # msgattrib prints the header entry (msgid "") whenever it prints anything.
  [ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
  [ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))
  echo "$lang: $n_strings strings, $untranslated untranslated, $fuzzy fuzzy"
  if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
    msgattrib --untranslated --no-obsolete "$work/$lang.po" | grep '^msgid ' | tail -n +2 >&2 || true
    status=1
  fi
done
exit $status
