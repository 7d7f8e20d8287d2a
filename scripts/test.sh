#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what it
# needs (scripts/setup-deps.sh), builds both targets, creates a Wine prefix,
# then runs every suite below. Exit status 0 only if all pass.
#   scripts/test.sh            everything
#   scripts/test.sh unit e2e   only the named suites
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
export ROOT
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

all_suites=(format unit asan valgrind win e2e fuzz)
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=("${all_suites[@]}")

failed=()
declare -A took

section() { printf '\n=== %s\n' "$*"; }

run_suite() {
    local name=$1 start=$SECONDS
    section "suite: $name"
    if "suite_$name"; then :; else failed+=("$name"); fi
    took[$name]=$((SECONDS - start))
}

# The tree as the committed .clang-format writes it (make format fixes it).
suite_format() {
    make -s format-check
}

suite_unit() {
    local t rc=0
    for t in build/host/tests/test_*; do
        [ -x "$t" ] || continue
        "$t" || rc=1
    done
    return $rc
}

# A suite's logs: build/logs/SUITE/TEST.txt, outside the binary folders (a
# folder of test programs holds programs only); emptied at each run.
log_dir() {
    rm -rf "build/logs/$1"
    mkdir -p "build/logs/$1"
    echo "build/logs/$1"
}

# The same unit tests built with AddressSanitizer + UndefinedBehaviorSanitizer
# (leak checking on), so memory errors fail the suite.
suite_asan() {
    local t log logs rc=0 san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
    make -s -j"$JOBS" BUILD=build/asan EXTRA_CFLAGS="-O1 -g -fno-omit-frame-pointer $san" \
        LDFLAGS="$san" all >/dev/null || return 1
    logs=$(log_dir asan)
    for t in build/asan/tests/test_*; do
        [ -x "$t" ] || continue
        log=$logs/$(basename "$t").txt
        # The capture property (2000 random machine pairs) runs whole in the
        # unit suite; 200 pairs here, 20 under valgrind, check the memory.
        SC_PROPERTY_CASES=200 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
            "$t" >"$log" 2>&1 || { echo "FAIL (asan) $t (log: $log)"; tail -30 "$log"; rc=1; }
    done
    [ $rc -eq 0 ] && echo "asan: all unit tests clean"
    return $rc
}

# Once under valgrind memcheck: zero errors, zero definite leaks.
suite_valgrind() {
    local t log logs rc=0
    logs=$(log_dir valgrind)
    for t in build/host/tests/test_*; do
        [ -x "$t" ] || continue
        log=$logs/$(basename "$t").txt
        # The fault matrices (test_faults: 20,000 transactions; test_apply's
        # per-profile one) run whole in the plain and ASan suites; under
        # valgrind every 10th case (and always the first and last write).
        SC_PROPERTY_CASES=20 SC_MATRIX_STRIDE=10 valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99 \
            "$t" >"$log" 2>&1 || { echo "FAIL (valgrind) $t (log: $log)"; tail -30 "$log"; rc=1; }
    done
    [ $rc -eq 0 ] && echo "valgrind: all unit tests clean"
    return $rc
}

# Every libFuzzer harness for a fixed budget (FUZZ_SECONDS, default 20 each).
suite_fuzz() {
    scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
}

# Windows-only unit tests (cmocka cross-built), run under Wine in a
# throwaway prefix.
suite_win() {
    local t rc=0 prefix
    prefix=$(mktemp -d /tmp/sc-win.XXXXXX)
    cp -a build/wine/base/. "$prefix/"
    (
        export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
        unset DISPLAY
        wineserver -p >/dev/null 2>&1 || true
        for t in build/win/tests/test_*.exe; do
            [ -f "$t" ] || continue
            echo "== $t"
            wine "$t" || rc=1
        done
        wineserver -k >/dev/null 2>&1 || true
        exit $rc
    ) || rc=1
    rm -rf "$prefix"
    return $rc
}

suite_e2e() {
    local t rc=0 start
    for t in tests/e2e/test_*.sh; do
        [ -f "$t" ] || continue
        echo "== $t"
        start=$SECONDS
        bash "$t" || rc=1
        echo "== $t: $((SECONDS - start)) s"
    done
    return $rc
}

start=$SECONDS
section "setup"
scripts/setup-deps.sh
section "build"
make -j"$JOBS" all >/dev/null
make -f Makefile.mingw -j"$JOBS" tests >/dev/null
scripts/wine-prefix.sh

for s in "${suites[@]}"; do
    declare -F "suite_$s" >/dev/null || { echo "unknown suite: $s"; exit 2; }
    run_suite "$s"
done

section "summary ($((SECONDS - start)) s)"
for s in "${suites[@]}"; do printf '  %-10s %4s s\n' "$s" "${took[$s]}"; done
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "all suites passed"
