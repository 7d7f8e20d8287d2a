#!/usr/bin/env bash
# scripts/bench-sections.sh - how apply, diff and rollback scale with the
# number of raw [key] sections in one profile (natively, on a --state file).
# Run by hand; not a test, never timed by CI.
#
#   scripts/bench-sections.sh                 N = 1000 3000 9000
#   scripts/bench-sections.sh 500 2000        other sizes
#   SCHANNELCFG=path/to/schannelcfg scripts/bench-sections.sh
#   RUNS=3 scripts/bench-sections.sh          median of 3 runs per size (default 1)
#   PART=0 scripts/bench-sections.sh 3000     all sections in one file (no includes)
#
# For each N it generates, in a temporary folder, a profile with N sections
#   [key "k<i>"]
#   path = HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\Bench <i>
#   "Enabled" = dword:00000000
# (in include files of PART sections, default 1000, so that every N takes
# the same path and 9,000 stay under the 1 MiB profile limit)
# and a UTF-8 state file holding only the SCHANNEL key, then times, each
# from a fresh copy of that state and an empty snapshot folder:
#   apply P --state S --snapshot-dir D      (creates N keys, N values)
#   diff P --state S                        (on the applied state: nothing to do)
#   rollback --state S --snapshot-dir D     (the latest snapshot: deletes them)
# Exit 0 and 3010 (194 in the shell: reboot required) count as success; any
# other exit stops the script. Times are wall-clock milliseconds of the whole
# process, taken with `date +%s%N`.
set -euo pipefail

# The state file as UTF-8 text, whichever encoding it has (apply keeps the
# file's own encoding: UTF-16LE with a byte-order mark, or UTF-8).
state_text() {
    if [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' ')" = "fffe" ]; then
        iconv -f UTF-16 -t UTF-8 "$1"
    else
        cat "$1"
    fi
}
cd "$(dirname "$0")/.."
BIN=${SCHANNELCFG:-build/host/schannelcfg}
RUNS=${RUNS:-1}
PART=${PART:-1000}
if [ "$#" -gt 0 ]; then SIZES=("$@"); else SIZES=(1000 3000 9000); fi

case "$BIN" in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
if [ ! -x "$BIN" ]; then
    echo "bench-sections: $BIN is not an executable (make, or set SCHANNELCFG)" >&2
    exit 2
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sc-bench-sections.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

SCHANNEL='SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL'

# gen_profile N FILE: FILE includes FILE's folder's part-<j>.ini, each with
# PART sections (a profile file may hold at most 1 MiB, about 8,000 of
# these sections); PART=0 writes every section into FILE itself.
gen_profile() {
    local dir
    dir=$(dirname "$2")
    rm -f "$dir"/part-*.ini
    ROOT="HKLM\\$SCHANNEL" awk -v n="$1" -v part="$PART" -v main="$2" -v dir="$dir" 'BEGIN {
        root = ENVIRON["ROOT"]
        print "[profile]" > main
        print "name    = bench-sections-" n > main
        print "summary = " n " raw key sections (scripts/bench-sections.sh)" > main
        out = main
        if (part > 0) {
            inc = ""
            for (j = 1; (j - 1) * part < n; j++)
                inc = inc " part-" j ".ini"
            print "include =" inc > main
        }
        for (i = 1; i <= n; i++) {
            if (part > 0 && (i - 1) % part == 0) {
                j = int((i - 1) / part) + 1
                out = dir "/part-" j ".ini"
                print "[profile]" > out
                print "name    = bench-sections-part-" j > out
                print "summary = sections " i " to " (i + part - 1 < n ? i + part - 1 : n) > out
            }
            print "" > out
            printf "[key \"k%d\"]\n", i > out
            printf "path = %s\\Ciphers\\Bench %d\n", root, i > out
            print "\"Enabled\" = dword:00000000" > out
        }
    }'
}

# gen_state FILE: an empty registry but for the SCHANNEL key.
gen_state() {
    printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\%s]\r\n\r\n' \
        "$SCHANNEL" > "$1"
}

# run_ms LOG CMD...: runs CMD, prints its wall time in ms; stops on failure.
run_ms() {
    local log=$1; shift
    local t0 t1 rc=0
    t0=$(date +%s%N)
    "$@" >"$log" 2>&1 || rc=$?
    t1=$(date +%s%N)
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 194 ]; then
        echo "bench-sections: exit $rc from: $*" >&2
        tail -n 20 "$log" >&2
        exit 1
    fi
    echo $(( (t1 - t0) / 1000000 ))
}

median() { sort -n | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

gen_state "$TMP/empty.reg"
printf '%-8s %12s %12s %12s\n' N "apply ms" "rollback ms" "diff ms"
for n in "${SIZES[@]}"; do
    P=$TMP/sections.ini
    gen_profile "$n" "$P"
    : > "$TMP/apply.ms"; : > "$TMP/rollback.ms"; : > "$TMP/diff.ms"
    for _ in $(seq "$RUNS"); do
        S=$TMP/state.reg D=$TMP/snapshots
        cp "$TMP/empty.reg" "$S"
        rm -rf "$D" && mkdir "$D"
        run_ms "$TMP/apply.log" "$BIN" apply "$P" --state "$S" --snapshot-dir "$D" >> "$TMP/apply.ms"
        if [ "$(state_text "$S" | grep -c '\\Bench ')" -ne "$n" ]; then
            echo "bench-sections: apply did not create $n keys (N=$n)" >&2
            exit 1
        fi
        run_ms "$TMP/diff.log" "$BIN" diff "$P" --state "$S" >> "$TMP/diff.ms"
        if ! grep -q 'nothing to change' "$TMP/diff.log"; then
            echo "bench-sections: diff after apply still lists changes (N=$n)" >&2
            head -n 5 "$TMP/diff.log" >&2
            exit 1
        fi
        run_ms "$TMP/rollback.log" "$BIN" rollback --state "$S" --snapshot-dir "$D" >> "$TMP/rollback.ms"
        # apply/rollback rewrite the state as UTF-16LE, as reg export does.
        if state_text "$S" | grep -q 'Bench'; then
            echo "bench-sections: rollback left Bench keys in the state (N=$n)" >&2
            exit 1
        fi
    done
    printf '%-8s %12s %12s %12s\n' "$n" "$(median < "$TMP/apply.ms")" \
        "$(median < "$TMP/rollback.ms")" "$(median < "$TMP/diff.ms")"
done
