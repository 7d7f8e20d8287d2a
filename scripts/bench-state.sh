#!/usr/bin/env bash
# Benchmark (not a test): the native tool on big .reg state files.
#   scripts/bench-state.sh [MB] [RUNS]     (defaults: 40 MB, 3 runs)
# Generates, in a temporary folder, UTF-8 state files of about MB megabytes
# in four shapes (many keys / many values in one key, each in name order and
# out of it), then times `diff azure-mma --state` on each and one
# apply + rollback; prints the median wall time of RUNS runs in ms.
# Target (security review): diff of a 40 MB state < 1.5 s.
# BIN=path/to/schannelcfg picks the binary (default build/host/schannelcfg).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/build/host/schannelcfg}
MB=${1:-40}
RUNS=${2:-3}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sc-bench-state.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
[ -x "$BIN" ] || make -s -C "$ROOT" -j2 >/dev/null

SCH='HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL'

# gen FILE SHAPE: keys|keys-shuffled|values|values-shuffled. "Shuffled"
# visits n*7919 mod a prime, so names come in no particular order.
gen() {
    awk -v mb="$MB" -v sch="$SCH" -v shape="$2" 'BEGIN {
        printf "Windows Registry Editor Version 5.00\r\n\r\n"
        target = mb * 1024 * 1024; size = 0
        if (shape ~ /^values/) printf "[%s\\Bench]\r\n", sch
        for (n = 0; size < target; n++) {
            id = shape ~ /shuffled/ ? (n * 7919) % 9999991 : n
            if (shape ~ /^keys/)
                s = sprintf("[%s\\Bench\\Key%07d]\r\n\"Enabled\"=dword:00000001\r\n\"Name\"=\"bench %d\"\r\n\r\n", sch, id, n)
            else
                s = sprintf("\"Value%07d\"=dword:%08x\r\n", id, n)
            printf "%s", s; size += length(s)
        }
    }' >"$1"
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# median_ms CMD...: median wall time of RUNS runs (output discarded).
median_ms() {
    local i t0 times=()
    for ((i = 0; i < RUNS; i++)); do
        t0=$(now_ms)
        "$@" >/dev/null 2>&1 || true
        times+=($(($(now_ms) - t0)))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

printf '%-24s %10s %10s\n' "state ($MB MB, UTF-8)" "values" "diff ms"
for shape in keys keys-shuffled values values-shuffled; do
    f=$TMP/$shape.reg
    gen "$f" "$shape"
    n=$(grep -c '=' "$f")
    printf '%-24s %10s %10s\n' "$shape" "$n" "$(median_ms "$BIN" diff azure-mma --state "$f")"
done

f=$TMP/values-shuffled.reg
cp "$f" "$TMP/orig.reg"
t0=$(now_ms)
"$BIN" apply azure-mma --state "$f" --snapshot-dir "$TMP/snaps" >/dev/null 2>&1 || rc=$?
t1=$(now_ms)
"$BIN" rollback --state "$f" --snapshot-dir "$TMP/snaps" >/dev/null 2>&1 || rc=$?
t2=$(now_ms)
printf '%-24s %10s %10s\n' "apply (values-shuffled)" "" "$((t1 - t0))"
printf '%-24s %10s %10s\n' "rollback" "" "$((t2 - t1))"
if "$BIN" check azure-mma --state "$f" >/dev/null 2>&1; then
    echo "warning: after rollback the state is compliant: rollback did not restore" >&2
fi
printf 'size after apply+rollback: %s bytes (was %s), first bytes: %s\n' \
    "$(stat -c %s "$f")" "$(stat -c %s "$TMP/orig.reg")" "$(head -c 7 "$f")"
