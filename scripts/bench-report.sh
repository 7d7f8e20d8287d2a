#!/usr/bin/env bash
# Benchmark (not a test): `schannelcfg report` over N generated documents.
#   scripts/bench-report.sh [RUNS]     (default 3 runs at each size)
# Makes real check documents with the native binary (azure-mma and
# tls12-strict on the bundled states: 4 and 60 drifting values), copies
# them to 10,000 machines (names, times, releases and reboot flags varied;
# every 50th a duplicate), then times report --format html at 1,000, 5,000
# and 10,000 documents: median wall time and peak RSS (GNU time). Linear
# growth shows as the same milliseconds and KiB per document at each size.
# Target (issue 17): 10,000 documents -> HTML in < 2 s.
# BIN=path/to/schannelcfg picks the binary (default build/host/schannelcfg).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/build/host/schannelcfg}
RUNS=${1:-3}
PY=/usr/bin/python3
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sc-bench-report.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
[ -x "$BIN" ] || make -s -C "$ROOT" -j2 >/dev/null
[ -x /usr/bin/time ] || { echo "bench-report: needs GNU time (apt-get install time)" >&2; exit 2; }

cp "$ROOT/examples/states/ws2008r2.reg" "$TMP/seed1.reg"
cp "$ROOT/examples/states/ws2016-gpo.reg" "$TMP/seed2.reg"
"$BIN" check azure-mma --state "$TMP/seed1.reg" --format json >"$TMP/seed1.json" || true
"$BIN" check tls12-strict --state "$TMP/seed2.reg" --os 10.0.20348 --format json >"$TMP/seed2.json" || true
cp "$TMP/seed1.reg" "$TMP/seed3.reg"
"$BIN" apply azure-mma --state "$TMP/seed3.reg" >/dev/null 2>&1 || true
"$BIN" check azure-mma --state "$TMP/seed3.reg" --format json >"$TMP/seed3.json" || true

for n in 1000 5000 10000; do
    mkdir -p "$TMP/docs$n"
    $PY - "$TMP" "$n" <<'PYEOF'
import json, sys
tmp, n = sys.argv[1], int(sys.argv[2])
seeds = [json.load(open('%s/seed%d.json' % (tmp, i))) for i in (1, 2, 3)]
builds = [(6, 1, 7601), (6, 3, 9600), (10, 0, 14393), (10, 0, 17763), (10, 0, 20348)]
for i in range(n):
    d = dict(seeds[i % 3])
    dup = i % 50 == 49
    d['machine'] = 'srv%05d' % ((i - 1) if dup else i)
    d['time'] = '2026-12-%02dT%02d:%02d:00Z' % (1 + i % 28, i % 24, i % 60)
    b = builds[i % len(builds)]
    d['os'] = {'major': b[0], 'minor': b[1], 'build': b[2], 'assumed': False}
    d['reboot_pending'] = i % 7 == 0
    d['reboot_pending_reasons'] = ['cbs-reboot-pending'] if i % 7 == 0 else []
    with open('%s/docs%d/%05d.json' % (tmp, n, i), 'w') as f:
        json.dump(d, f, indent=2)
PYEOF
done
du -sh "$TMP/docs10000" | awk '{ print "10,000 documents: " $1 " on disk" }'

printf '%-10s %12s %14s %12s %12s\n' documents "wall (ms)" "peak RSS (KiB)" "us/document" "KiB/document"
for n in 1000 5000 10000; do
    walls=() rss=()
    for r in $(seq "$RUNS"); do
        /usr/bin/time -f '%e %M' -o "$TMP/time" "$BIN" report "$TMP/docs$n" >"$TMP/out.html" 2>/dev/null
        read -r w m <"$TMP/time"
        walls+=("$(awk -v w="$w" 'BEGIN { printf "%d", w * 1000 }')")
        rss+=("$m")
    done
    wall=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    peak=$(printf '%s\n' "${rss[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
    printf '%-10s %12s %14s %12s %12s\n' "$n" "$wall" "$peak" \
        "$(awk -v w="$wall" -v n="$n" 'BEGIN { printf "%.0f", w * 1000 / n }')" \
        "$(awk -v m="$peak" -v n="$n" 'BEGIN { printf "%.2f", m / n }')"
done
echo "HTML of 10,000: $(wc -c <"$TMP/out.html") bytes"
