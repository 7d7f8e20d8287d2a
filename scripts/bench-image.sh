#!/usr/bin/env bash
# Benchmark (not a test): `apply --image` natively against hivexregedit --merge
# of the same change, on a test image whose SOFTWARE hive is of a real size.
#   scripts/bench-image.sh [CLASSES] [RUNS]   (defaults: 35000 ≈ a 110 MB SOFTWARE hive, 5 runs)
# The image: tests/hive/make-image.sh (2022-like, hivex's tools only) plus
# CLASSES filler COM classes (tests/bench/bighive.c, libhivex). Timed from a
# cold process, each run on a fresh copy of the image (the copy not timed):
#   apply      schannelcfg apply tls12-strict --image COPY
#   merge      hivexregedit --merge of the same change (the diff's --format
#              reg, split by hive, CurrentControlSet named as the hive's
#              ControlSet001, every ancestor key listed first, since
#              hivexregedit cannot create a key whose parent is missing): one
#              run for SYSTEM, one for SOFTWARE, as an admin would do it
#   reapply    schannelcfg apply tls12-strict --image on the applied image
#              (compliant: reads only, writes nothing)
# Prints each one's median wall time and peak RSS, and the ratios; checks
# that both ways give the same hive content (hivexregedit --export).
# Issue 15's target: apply >= 10x faster than merge; reapply reads only.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/build/host/schannelcfg}
CLASSES=${1:-35000}
RUNS=${2:-5}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sc-bench-image.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
make -s -C "$ROOT" -j2 all bench >/dev/null

"$ROOT/tests/hive/make-image.sh" "$TMP/base" >/dev/null
"$ROOT/build/host/bench/bighive" "$TMP/base/Windows/System32/config/SOFTWARE" "$CLASSES"
echo "image: SOFTWARE $(($(stat -c %s "$TMP/base/Windows/System32/config/SOFTWARE") / 1048576)) MB," \
    "SYSTEM $(($(stat -c %s "$TMP/base/Windows/System32/config/SYSTEM") / 1024)) KB"

# The change as two hivexregedit inputs.
"$BIN" diff tls12-strict --image "$TMP/base" --format reg >"$TMP/change.reg"
/usr/bin/python3 - "$TMP/change.reg" "$TMP" <<'PY'
import sys
text = open(sys.argv[1], 'rb').read().decode('utf-16').replace('\r\n', '\n')
out = {'SYSTEM': [], 'SOFTWARE': []}
seen = {'SYSTEM': set(), 'SOFTWARE': set()}
hive = None
for line in text.split('\n'):
    if line.startswith('[HKEY_LOCAL_MACHINE\\'):
        path = line[1:-1].replace('\\SYSTEM\\CurrentControlSet\\', '\\SYSTEM\\ControlSet001\\')
        parts = path.split('\\')
        hive = parts[1]
        for i in range(3, len(parts)):  # ancestors once, parents first
            p = '\\'.join(parts[:i])
            if p not in seen[hive]:
                seen[hive].add(p)
                out[hive].append('\n[%s]' % p)
        seen[hive].add(path)
        out[hive].append('\n[%s]' % path)  # the key itself each time the diff names it
    elif hive and line.strip():
        out[hive].append(line)
for h, lines in out.items():
    with open('%s/%s.reg' % (sys.argv[2], h), 'w') as f:
        f.write('Windows Registry Editor Version 5.00\n' + '\n'.join(lines) + '\n')
PY

fresh() { rm -rf "$TMP/run"; cp -a "$TMP/base" "$TMP/run"; sync; }
cfg=$TMP/run/Windows/System32/config
merge() {
    hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\SYSTEM' --encoding utf-16le "$cfg/SYSTEM" "$TMP/SYSTEM.reg"
    hivexregedit --merge --prefix 'HKEY_LOCAL_MACHINE\SOFTWARE' --encoding utf-16le "$cfg/SOFTWARE" "$TMP/SOFTWARE.reg"
}
# timed NAME CMD...: appends "seconds kilobytes" to $TMP/NAME.
timed() {
    local name=$1
    shift
    /usr/bin/time -a -o "$TMP/$name" -f '%e %M' "$@" >/dev/null 2>"$TMP/err" ||
        [ $? -eq 194 ] || { cat "$TMP/err"; exit 1; } # 3010: applied, reboot required
}
export -f merge
export TMP cfg

for _ in $(seq "$RUNS"); do
    fresh
    timed apply "$BIN" apply tls12-strict --image "$TMP/run"
    timed reapply "$BIN" apply tls12-strict --image "$TMP/run"
    fresh
    timed merge bash -c merge
done

# Both ways, the same content (values in any order within a key).
export_of() {
    local h
    for h in SYSTEM SOFTWARE; do
        hivexregedit --export --prefix "HKEY_LOCAL_MACHINE\\$h" "$1/Windows/System32/config/$h" '\'
    done | /usr/bin/python3 -c '
import sys
keys, cur = {}, None
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("["): cur = keys.setdefault(line, set())
    elif cur is not None and line: cur.add(line)
for k in sorted(keys): print(k, sorted(keys[k]))'
}
export_of "$TMP/run" >"$TMP/merged.txt"
fresh
"$BIN" apply tls12-strict --image "$TMP/run" >/dev/null || [ $? -eq 194 ]
rm -rf "$TMP/run/ProgramData"
export_of "$TMP/run" >"$TMP/applied.txt"
if cmp -s "$TMP/merged.txt" "$TMP/applied.txt"; then
    echo "content: apply and merge give the same hives"
else
    echo "content: apply and merge DIFFER:"; diff "$TMP/merged.txt" "$TMP/applied.txt" | head -20
    exit 1
fi

median() { grep -E '^[0-9.]+ [0-9]+$' "$TMP/$1" | sort -n -k1,1 | awk '{a[NR]=$1; m[NR]=$2} END {i=int((NR+1)/2); printf "%.3f %d", a[i], m[i]/1024}'; }
read -r a am <<<"$(median apply)"
read -r r rm_ <<<"$(median reapply)"
read -r m mm <<<"$(median merge)"
printf '%-9s %8s s %6s MB peak (median of %d)\n' apply "$a" "$am" "$RUNS" reapply "$r" "$rm_" "$RUNS" \
    merge "$m" "$mm" "$RUNS"
awk -v a="$a" -v r="$r" -v m="$m" 'BEGIN {
    printf "merge / apply   = %.1fx (target >= 10x)\n", m / a
    printf "merge / reapply = %.1fx\n", m / r }'
