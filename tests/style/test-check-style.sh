#!/bin/sh
# test-check-style.sh — the style checker finds what it must, and --fix
# fixes the parameter columns (the rest stays reported).
set -eu
root=${BEACON_SOURCE_ROOT:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$root/tests/data/style/bad.c" "$work/bad.c"

if python3 "$root/build-aux/check-style.py" "$work/bad.c" > "$work/out"; then
  echo "the checker passed a file that breaks every rule"; exit 1
fi
for what in "parameters of two_on_a_line" "parameters of misaligned" \
            "no space before the parenthesis of g_str_has_prefix" "a tab" \
            "trailing white space" "longer than 120 columns"; do
  grep -q "$what" "$work/out" || { echo "not reported: $what"; cat "$work/out"; exit 1; }
done

python3 "$root/build-aux/check-style.py" --fix "$work/bad.c" > "$work/fixed" || true
grep -q "parameters of" "$work/fixed" && { echo "--fix left parameters"; cat "$work/fixed"; exit 1; }
grep -q "^two_on_a_line (const char  \*uri,$" "$work/bad.c" || { echo "not fixed:"; cat "$work/bad.c"; exit 1; }
grep -q "^               GError     \*\*error)$" "$work/bad.c" || { echo "not aligned:"; cat "$work/bad.c"; exit 1; }
grep -q "^misaligned (GError     \*\*error,$" "$work/bad.c" || { echo "not aligned:"; cat "$work/bad.c"; exit 1; }
echo "ok"
