#!/usr/bin/env bash
# Runs every libFuzzer harness (tests/fuzz/fuzz_*.c) for a fixed time each.
#   scripts/fuzz.sh [SECONDS_PER_HARNESS]     (default 45)
# Seeds: the built-in profiles, test profiles, example and fixture .reg
# states, and snapshots made on the spot. Inputs that once crashed live in
# tests/fuzz/regressions/<harness>/ and are replayed first. A crash, leak or
# sanitizer report fails the run; the input is left in build/fuzz/artifacts/
# (copy it into tests/fuzz/regressions/<harness>/ when fixing the bug).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-45}
out=build/fuzz
make -s fuzz >/dev/null

seed() { # harness files...
    local dir=$out/corpus/$1; shift
    mkdir -p "$dir"
    for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/$(basename "$f" | tr -c 'A-Za-z0-9._\n-' _)"; done
    return 0
}

make_snapshots() {
    local tmp; tmp=$(mktemp -d)
    make -s build/host/schannelcfg >/dev/null
    for state in examples/states/*.reg; do
        for p in azure-mma disable-dhe tls12-strict; do
            cp "$state" "$tmp/state.reg"
            build/host/schannelcfg apply "$p" --state "$tmp/state.reg" --snapshot-dir "$tmp/snaps" >/dev/null 2>&1 || true
        done
    done
    ls "$tmp"/snaps/*.reg 2>/dev/null | while read -r f; do
        # UTF-8 copies too: the harness re-hashes mutated UTF-8 bodies
        iconv -f UTF-16 -t UTF-8 "$f" > "$f.utf8.reg" 2>/dev/null || true
    done
    seed fuzz_snapshot "$tmp"/snaps/*
    rm -rf "$tmp"
}

seed fuzz_profile profiles/*.ini tests/profiles/*.ini tests/bad-profiles/*.ini
seed fuzz_regfile examples/states/*.reg tests/fixtures/*/*.reg tests/fixtures/*.reg
seed fuzz_report tests/fixtures/report/*.json tests/fixtures/report/bad/*
make_snapshots
seed fuzz_clienthello tests/fixtures/clienthello/*.bin

status=0
summary=()
for src in tests/fuzz/fuzz_*.c; do
    h=$out/$(basename "$src" .c)
    name=$(basename "$h")
    reg=tests/fuzz/regressions/$name
    mkdir -p "$out/artifacts/$name" "$out/logs"
    if [ -d "$reg" ] && ls "$reg"/* >/dev/null 2>&1; then
        if ! "$h" "$reg"/* >"$out/logs/$name.regress.log" 2>&1; then
            echo "fuzz: $name fails on a known regression input (see $out/logs/$name.regress.log)"
            status=1
            continue
        fi
    fi
    t=$secs
    # The ClientHello parser is small and fast: 10 s reach millions of
    # inputs, and keep the suite inside its CI budget.
    [ "$name" = fuzz_clienthello ] && [ "$t" -gt 10 ] && t=10
    echo "fuzz: $name for ${t}s"
    if "$h" "$out/corpus/$name" -max_total_time="$t" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$out/artifacts/$name/" -print_final_stats=1 >"$out/logs/$name.log" 2>&1; then
        execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/logs/$name.log" | grep -o '[0-9]*$' || echo "?")
        summary+=("$name: $execs executions in ${t}s, no crash")
    else
        echo "fuzz: $name FOUND A PROBLEM (log $out/logs/$name.log, input in $out/artifacts/$name/)"
        grep -E 'ERROR|SUMMARY|abort' "$out/logs/$name.log" | head -5 || true
        status=1
    fi
done
printf '%s\n' "${summary[@]}"
exit $status
