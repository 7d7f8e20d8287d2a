#!/usr/bin/env bash
# scripts/bench.sh - the measurements behind docs/benchmarks.md (issue 8).
# Run by hand (about 6 minutes on a 2-core VM); not a test, never timed by CI.
#
#   scripts/bench.sh            everything: (a) (b) under Wine, (c) .. (g) natively
#   RUNS=5 scripts/bench.sh     fewer repetitions (default 15)
#   BIG=0 scripts/bench.sh      skip the 100,000-operation diff of (e)
#   BYNAME=0 scripts/bench.sh   skip the second recipe of (a), `wine reg ...` by name
#
# Targets (the summary says which are met; ratios within one run): the first
# apply >= 100x faster than the recipe in both scenarios and <= 1.5x
# `--version`; a compliant re-apply <= 1.1x `--version`; apply and rollback
# of 9,000 [key] sections < 0.5 s; diff of a 40 MB state < 1.5 s.
#
# (a) `apply tls12-strict` against the same values written the way the seed
#     articles do it, one `wine reg add` per value (the recipe is generated
#     from `schannelcfg diff tls12-strict --format json` on the same
#     registry; a list edit becomes a REG_MULTI_SZ or comma REG_SZ write; it
#     is checked once to make `schannelcfg check` exit 0). Twice: on Wine's
#     fresh registry, and on a Server 2016-like one (examples/states/
#     ws2016-gpo.reg imported; it has both cipher-suite lists). Before every
#     timed run the registry is put back (schannelcfg rollback of that run's
#     or of a reference snapshot) and its fingerprint (reg export of
#     HKLM\SYSTEM and of the touched SOFTWARE subtrees, and listings of their
#     parents) must equal the pristine one, or the script stops.
#     Each timed apply is followed by a timed `--version` (first apply vs
#     the cost of starting the exe at all).
# (b) `apply tls12-strict` on a registry that already complies against
#     `schannelcfg --version` (the cost of starting a Wine process).
# (c) registry calls of diff / apply / compliant re-apply, counted by the
#     backend wrapper (build/host/bench/bench_counts), against the minimum.
# (d) the size of schannelcfg.exe.
# (e) natively: diff_compute on synthetic plans of 1k, 10k, 100k operations
#     against as many values (build/host/bench/bench_diff).
# (f) natively: apply, diff and rollback of a profile of 1,000 / 3,000 /
#     9,000 raw [key] sections (scripts/bench-sections.sh; target < 0.5 s).
# (g) natively: diff, apply, rollback of a 40 MB UTF-8 state file
#     (scripts/bench-state.sh; target: diff < 1.5 s).
# Under Wine: one prefix copied from build/wine/base, `wineserver -p` kept
# running, one untimed warm-up of each command; times are wall-clock
# medians over RUNS runs, interleaved (and alternating which goes first),
# and the ratios are taken within this one run of the script.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RUNS=${RUNS:-15}
BIG=${BIG:-1}
EXE=$ROOT/build/win/schannelcfg.exe

echo "== build"
# The exe and the native tool are required. Each native bench program is
# built on its own: one that no longer compiles against the tree (another
# change under way) skips its section, says so, and the rest still runs.
make -s -f Makefile.mingw -j2 all >/dev/null
make -s -j2 build/host/schannelcfg >/dev/null
declare -A BUILT
for b in bench_counts bench_diff; do
    if make -s "build/host/bench/$b" >"${TMPDIR:-/tmp}/sc-bench-build.$$.log" 2>&1; then
        BUILT[$b]=1
    else
        BUILT[$b]=0
        echo "bench: build/host/bench/$b does not build; its section is skipped:" >&2
        grep -m3 'error' "${TMPDIR:-/tmp}/sc-bench-build.$$.log" >&2 || true
    fi
done
rm -f "${TMPDIR:-/tmp}/sc-bench-build.$$.log"
scripts/wine-prefix.sh

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sc-bench.XXXXXX")
export WINEPREFIX=$TMP/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY
cleanup() {
    wineserver -k >/dev/null 2>&1 || true
    rm -rf "$TMP"
}
trap cleanup EXIT

# The binaries this run measures, copied: others build in this tree while
# the script runs, and a relink makes build/win/schannelcfg.exe vanish for a
# moment (Wine's start.exe: "ShellExecuteEx failed: File not found"); the
# copies are also one and the same binary from start to end.
mkdir -p "$TMP/bin"
cp build/win/schannelcfg.exe "$TMP/bin/schannelcfg.exe"
cp build/host/schannelcfg "$TMP/bin/schannelcfg"
for b in bench_counts bench_diff; do
    [ "${BUILT[$b]}" = 1 ] && cp "build/host/bench/$b" "$TMP/bin/$b"
done
EXE=$TMP/bin/schannelcfg.exe
HOSTBIN=$TMP/bin/schannelcfg

# ---- helpers

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

# median FILE: the median of the numbers in FILE (one a line), 2 decimals.
median() {
    sort -g "$1" | awk '{ v[NR] = $1 } END {
        if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f", m }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
ratio2() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
meets() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
    ok = op == ">=" ? v >= t : op == "<=" ? v <= t : v < t; print ok ? "yes" : "NO" }'; }

winpath() { printf 'Z:%s' "${1//\//\\}"; }

die() {
    echo "bench: $*" >&2
    exit 1
}

# run_sc EXPECTED-RC ARGS...: the exe, quiet; stops the script on another
# exit code (3010 arrives as 194).
# A launch failure of Wine's (the process never ran, so nothing changed) is
# tried again, up to twice, and counted in $LAUNCH_RETRIES.
LAUNCH_FAILED="Application could not be started|ShellExecuteEx failed|could not load|cannot find L"
run_sc() {
    local want=$1 rc try
    shift
    for try in 1 2 3; do
        rc=0
        wine "$EXE" "$@" </dev/null >"$TMP/sc.out" 2>&1 || rc=$?
        [ "$rc" -eq "$want" ] && return 0
        grep -Eq "$LAUNCH_FAILED" "$TMP/sc.out" || break
        echo "schannelcfg $* (exit $rc): $(tr -d '\r' <"$TMP/sc.out" | head -2 | tr '\n' ' ')" >>"$LAUNCH_RETRIES"
    done
    tr -d '\r' <"$TMP/sc.out" | tail -20
    die "schannelcfg $*: exit $rc, expected $want"
}

# timed OUTFILE CMD...: appends CMD's wall-clock time in ms to OUTFILE.
timed() {
    local out=$1 t0 t1 rc=0
    shift
    t0=$(now_us)
    "$@" || rc=$?
    t1=$(now_us)
    awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f\n", d / 1000 }' >>"$out"
    return "$rc"
}

# The registry state that must be identical before every timed run.
FP_EXPORTS=('HKLM\SYSTEM'
    'HKLM\SOFTWARE\Microsoft\.NETFramework' 'HKLM\SOFTWARE\Wow6432Node\Microsoft\.NETFramework'
    'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings'
    'HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings'
    'HKLM\SOFTWARE\Policies' 'HKLM\SOFTWARE\Wow6432Node\Policies')
FP_LISTS=('HKLM\SOFTWARE' 'HKLM\SOFTWARE\Microsoft' 'HKLM\SOFTWARE\Wow6432Node'
    'HKLM\SOFTWARE\Wow6432Node\Microsoft' 'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion'
    'HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion')

# reg.exe by its full path: Wine now and then fails to start a program it
# must search for (see tests/e2e/test_engine_wine.sh, save_state).
REG_EXE='C:\windows\system32\reg.exe'

# reg_tries CMD...: CMD (a wine reg.exe command), again up to two more
# times when it fails. Under load (2 cores shared with builds) a `reg
# export` or `reg query` of a key that exists sometimes fails; one such
# failure used to read as "ABSENT" and stop the script.
reg_tries() {
    local try
    for try in 1 2 3; do
        "$@" && return 0
        [ "$try" -lt 3 ] && sleep 0.2
    done
    return 1
}

# fingerprint: prints a sha256 of the state above; the files stay in
# $TMP/fp.<hash> for fp_explain.
fingerprint() {
    local d=$TMP/fp i=0 k h
    rm -rf "$d"
    mkdir -p "$d"
    for k in "${FP_EXPORTS[@]}"; do
        i=$((i + 1))
        reg_tries wine "$REG_EXE" export "$k" "$(winpath "$d/$i.reg")" /reg:64 /y </dev/null >/dev/null 2>&1 ||
            echo "ABSENT $k" >"$d/$i.reg"
    done
    for k in "${FP_LISTS[@]}"; do
        i=$((i + 1))
        reg_tries wine "$REG_EXE" query "$k" /reg:64 </dev/null >"$d/$i.txt" 2>&1 || true
    done
    h=$(cat "$d"/* | sha256sum | cut -c1-16)
    [ -d "$TMP/fp.$h" ] || cp -a "$d" "$TMP/fp.$h"
    echo "$h"
}

# fp_explain HASH1 HASH2: what differs between two fingerprints.
fp_explain() {
    local f
    for f in "$TMP/fp.$1"/*; do
        cmp -s "$f" "$TMP/fp.$2/${f##*/}" && continue
        echo "--- differs: ${f##*/}"
        diff <(iconv -f UTF-16LE -t UTF-8 "$f" 2>/dev/null || cat "$f") \
            <(iconv -f UTF-16LE -t UTF-8 "$TMP/fp.$2/${f##*/}" 2>/dev/null || cat "$TMP/fp.$2/${f##*/}") | head -30 ||
            true # diff exits 1 on a difference: with pipefail, set -e ended the script here
    done >&2
}

# expect_pristine WHAT: stops the script unless the fingerprint is $fp0.
# A mismatch is looked at again once (a reg export or query that failed
# under load would differ too); a second mismatch is fatal.
expect_pristine() {
    local fp
    fp=$(fingerprint)
    [ "$fp" = "$fp0" ] && return 0
    echo "bench: $name: $1: fingerprint $fp != $fp0; what differs:" >&2
    fp_explain "$fp0" "$fp"
    fp=$(fingerprint)
    [ "$fp" = "$fp0" ] || die "$name: $1: the registry is not in its pristine state ($fp != $fp0)"
    echo "bench: $name: $1: taken again: pristine" >&2
}

# Both whole hives, compared at the start and the end of a scenario.
full_export() {
    reg_tries wine "$REG_EXE" export 'HKLM\SYSTEM' "$(winpath "$1.system.reg")" /y </dev/null >/dev/null 2>&1 ||
        die "reg export of HKLM\\SYSTEM failed three times"
    reg_tries wine "$REG_EXE" export 'HKLM\SOFTWARE' "$(winpath "$1.software.reg")" /y </dev/null >/dev/null 2>&1 ||
        die "reg export of HKLM\\SOFTWARE failed three times"
}

# recipe JSON OUT: one `wine reg add` (or `reg delete`) per value the plan
# sets, as a bash script; prints the number of commands.
#
# A `reg delete` only for a value that is there: `reg delete /v NAME /f` of
# an absent value (or in an absent key) exits 1 ("unable to find"), and the
# recipe stopped there although the registry was already as the plan wants
# it. The plan's `before` says whether the value exists; every timed recipe
# starts from that same pristine registry (the fingerprint is checked).
# reg.exe is named by its full path, and a command that fails is run again
# up to twice (Wine under load now and then fails to start a program); each
# retry is counted in $RECIPE_RETRIES, and a command that fails three times
# stops the recipe with its exit code and reg.exe's message.
#
# Each command runs reg.exe by its full path, one Wine process per value, as
# `reg add` typed into cmd.exe is one process on Windows. `wine reg ...` (by
# name) costs two: Wine's start.exe, then reg.exe; RECIPE_REG=reg times the
# recipe that way (as this script did up to 2026-11-23), and (a) times both,
# interleaved: MAKE_RECIPE_REG=reg make_recipe ... writes that variant.
BYNAME=${BYNAME:-1}
make_recipe() {
    python3 - "$1" "$2" "${MAKE_RECIPE_REG:-$REG_EXE}" <<'EOF'
import json, shlex, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
reg = sys.argv[3]
lines = [r"""rr() {
    local what=$1 try rc
    shift
    for try in 1 2 3; do
        rc=0
        wine "$@" </dev/null >"$RECIPE_ERR" 2>&1 || rc=$? # reg.exe writes its errors to stdout
        [ "$rc" -eq 0 ] && return 0
        echo "$what (exit $rc, try $try, ${RECIPE_NAME:-?}): $(tr -d '\r' <"$RECIPE_ERR" | grep -v 'wine32\|multiarch\|dpkg --add' | head -3 | tr '\n' ' ')" >>"$RECIPE_RETRIES"
    done
    echo "recipe failed: $what: exit $rc, three times: $(tr -d '\r' <"$RECIPE_ERR" | head -3)" >&2
    exit 1
}"""]
n = 0
for e in doc["entries"]:
    if e["value"] is None:
        continue
    key = "HKLM\\" + e["key"]
    view = "/reg:32" if e["view"] == "32" else "/reg:64"
    after = e["after"]
    if e["op"] == "delete_value" or (e["op"] == "set" and after is None):
        if e["before"] is None:
            continue  # absent already: nothing to delete (reg delete would exit 1)
        cmd = [reg, "delete", key, "/v", e["value"], "/f", view]
    elif after is None:
        continue  # a list edit that leaves an absent list absent: nothing to write
    else:
        t, data = after["type"], after["data"]
        if t == "REG_DWORD":
            d = str(data)
        elif t in ("REG_SZ", "REG_EXPAND_SZ"):
            d = data
        elif t == "REG_MULTI_SZ":
            d = "\\0".join(data)
        else:
            sys.exit("recipe: cannot write %s %s with reg add" % (t, e["value"]))
        cmd = [reg, "add", key, "/v", e["value"], "/t", t, "/d", d, "/f", view]
    what = "%s %s\\%s (%s)" % (cmd[1], e["key"], e["value"], view)
    lines.append("rr " + shlex.quote(what) + " " + " ".join(shlex.quote(c) for c in cmd))
    n += 1
with open(sys.argv[2], "w") as f:
    f.write("\n".join(lines) + "\n")
print(n)
EOF
}

RECIPE_RETRIES=$TMP/recipe.retries
RECIPE_ERR=$TMP/recipe.err
LAUNCH_RETRIES=$TMP/launch.retries
: >"$RECIPE_RETRIES"
: >"$LAUNCH_RETRIES"
export RECIPE_RETRIES RECIPE_ERR
run_recipe() { RECIPE_NAME=${1##*/} bash "$1"; }

# ---- Wine

echo "== Wine prefix (warm wineserver)"
cp -a build/wine/base "$WINEPREFIX"
wineserver -p >/dev/null 2>&1 </dev/null || true
wine cmd /c exit >/dev/null 2>&1 </dev/null || true
run_sc 0 --version
wine reg query 'HKLM\SOFTWARE' /ve </dev/null >/dev/null 2>&1 || true

declare -A RESULT

# scenario NAME [STATE.reg]: (a) on Wine's fresh registry, or after
# importing STATE.reg.
scenario() {
    local state=${2:-} snaps="C:\\bench\\$1" n i ref first
    name=$1
    local ta=$TMP/$name.apply.ms tr=$TMP/$name.recipe.ms tv=$TMP/$name.version.ms
    local tn=$TMP/$name.byname.ms order=(apply recipe) k c
    [ "$BYNAME" = 1 ] && order+=(byname)
    : >"$ta"
    : >"$tr"
    : >"$tv"
    : >"$tn"
    echo "== (a) $name"
    if [ -n "$state" ]; then
        reg_tries wine "$REG_EXE" import "$(winpath "$ROOT/$state")" </dev/null >/dev/null 2>&1 ||
            die "reg import $state failed three times"
    fi
    full_export "$TMP/$name.start"
    fp0=$(fingerprint)

    # The recipe, from the plan on this very registry.
    wine "$EXE" diff tls12-strict --format json </dev/null >"$TMP/$name.diff.json" 2>"$TMP/$name.diff.err" ||
        die "diff --format json failed"
    n=$(make_recipe "$TMP/$name.diff.json" "$TMP/$name.recipe.sh")
    MAKE_RECIPE_REG=reg make_recipe "$TMP/$name.diff.json" "$TMP/$name.byname.sh" >/dev/null
    # A reference snapshot of the pristine state (what resets the recipe).
    wine "$EXE" apply tls12-strict --format json --snapshot-dir "$snaps\\ref" </dev/null \
        >"$TMP/$name.ref.json" 2>&1 || true
    ref=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["snapshot_id"])' "$TMP/$name.ref.json") ||
        die "no reference snapshot"
    run_sc 194 rollback "$ref" --snapshot-dir "$snaps\\ref"
    expect_pristine "after the rollback of the reference apply"
    # The recipe writes what apply writes: check must then say compliant.
    run_recipe "$TMP/$name.recipe.sh" || die "$name: the reg add recipe failed"
    run_sc 0 check tls12-strict
    run_sc 194 rollback "$ref" --snapshot-dir "$snaps\\ref"
    expect_pristine "after the recipe and its rollback"
    if [ "$BYNAME" = 1 ]; then
        run_recipe "$TMP/$name.byname.sh" || die "$name: the reg add recipe (reg by name) failed"
        run_sc 0 check tls12-strict
        run_sc 194 rollback "$ref" --snapshot-dir "$snaps\\ref"
        expect_pristine "after the by-name recipe and its rollback"
    fi
    echo "   recipe: $n reg commands ($(grep -c 'REG_MULTI_SZ' "$TMP/$name.recipe.sh" || true) REG_MULTI_SZ)," \
        "checked: schannelcfg check exits 0 after it"

    # Each run times every contender once, the one that goes first rotating.
    for i in $(seq 1 "$RUNS"); do
        for k in "${!order[@]}"; do
            c=${order[$(((k + i) % ${#order[@]}))]}
            expect_pristine "run $i, before $c"
            case $c in
            apply)
                timed "$ta" run_sc 194 apply tls12-strict --snapshot-dir "$snaps\\run$i"
                run_sc 194 rollback --snapshot-dir "$snaps\\run$i"
                timed "$tv" run_sc 0 --version
                ;;
            recipe)
                timed "$tr" run_recipe "$TMP/$name.recipe.sh" || die "$name: run $i: the reg add recipe failed"
                run_sc 194 rollback "$ref" --snapshot-dir "$snaps\\ref"
                ;;
            byname)
                timed "$tn" run_recipe "$TMP/$name.byname.sh" || die "$name: run $i: the by-name recipe failed"
                run_sc 194 rollback "$ref" --snapshot-dir "$snaps\\ref"
                ;;
            esac
        done
        printf '.'
    done
    echo
    expect_pristine "at the end"
    full_export "$TMP/$name.end"
    if ! cmp -s "$TMP/$name.start.system.reg" "$TMP/$name.end.system.reg" ||
        ! cmp -s "$TMP/$name.start.software.reg" "$TMP/$name.end.software.reg"; then
        die "$name: HKLM\\SYSTEM or HKLM\\SOFTWARE differs between start and end"
    fi
    echo "   whole HKLM\\SYSTEM and HKLM\\SOFTWARE exports identical at start and end"
    RESULT[$name.n]=$n
    RESULT[$name.apply]=$(median "$ta")
    RESULT[$name.recipe]=$(median "$tr")
    RESULT[$name.ratio]=$(ratio "${RESULT[$name.recipe]}" "${RESULT[$name.apply]}")
    RESULT[$name.version]=$(median "$tv")
    RESULT[$name.vratio]=$(ratio2 "${RESULT[$name.apply]}" "${RESULT[$name.version]}")
    RESULT[$name.retries]=$(wc -l <"$RECIPE_RETRIES")
    echo "   apply ${RESULT[$name.apply]} ms, recipe ${RESULT[$name.recipe]} ms (medians of $RUNS):" \
        "${RESULT[$name.ratio]}x; --version ${RESULT[$name.version]} ms: apply ${RESULT[$name.vratio]}x"
    if [ "$BYNAME" = 1 ]; then
        RESULT[$name.byname]=$(median "$tn")
        RESULT[$name.bratio]=$(ratio "${RESULT[$name.byname]}" "${RESULT[$name.apply]}")
        echo "   the recipe as \`wine reg\` by name (start.exe, then reg.exe): ${RESULT[$name.byname]} ms:" \
            "${RESULT[$name.bratio]}x"
    fi
    echo "   recipe commands run again after a failure so far: ${RESULT[$name.retries]}"
    [ "${RESULT[$name.retries]}" = 0 ] || sed 's/^/     /' "$RECIPE_RETRIES"
}

# Warm-up: one untimed run of each command.
run_sc 194 apply tls12-strict --snapshot-dir 'C:\bench\warmup'
run_sc 194 rollback --snapshot-dir 'C:\bench\warmup'
wine "$REG_EXE" add 'HKLM\SOFTWARE\schannelcfg-bench' /v w /t REG_DWORD /d 1 /f </dev/null >/dev/null 2>&1 || true
wine "$REG_EXE" delete 'HKLM\SOFTWARE\schannelcfg-bench' /f </dev/null >/dev/null 2>&1 || true

scenario fresh

echo "== (b) apply on a compliant registry vs --version"
run_sc 194 apply tls12-strict --snapshot-dir 'C:\bench\b'
: >"$TMP/b.apply.ms"
: >"$TMP/b.version.ms"
run_sc 0 apply tls12-strict --snapshot-dir 'C:\bench\b'
for i in $(seq 1 "$RUNS"); do
    if [ $((i % 2)) -eq 1 ]; then
        timed "$TMP/b.apply.ms" run_sc 0 apply tls12-strict --snapshot-dir 'C:\bench\b'
        timed "$TMP/b.version.ms" run_sc 0 --version
    else
        timed "$TMP/b.version.ms" run_sc 0 --version
        timed "$TMP/b.apply.ms" run_sc 0 apply tls12-strict --snapshot-dir 'C:\bench\b'
    fi
done
RESULT[b.apply]=$(median "$TMP/b.apply.ms")
RESULT[b.version]=$(median "$TMP/b.version.ms")
RESULT[b.ratio]=$(ratio2 "${RESULT[b.apply]}" "${RESULT[b.version]}")
echo "   compliant apply ${RESULT[b.apply]} ms, --version ${RESULT[b.version]} ms: ${RESULT[b.ratio]}x"
run_sc 194 rollback --snapshot-dir 'C:\bench\b'

# A Server 2016-like registry, in a fresh prefix.
wineserver -k >/dev/null 2>&1 || true
rm -rf "$WINEPREFIX"
cp -a build/wine/base "$WINEPREFIX"
wineserver -p >/dev/null 2>&1 </dev/null || true
wine cmd /c exit >/dev/null 2>&1 </dev/null || true
run_sc 194 apply tls12-strict --snapshot-dir 'C:\bench\warmup'
run_sc 194 rollback --snapshot-dir 'C:\bench\warmup'
scenario ws2016 examples/states/ws2016-gpo.reg
wineserver -k >/dev/null 2>&1 || true

echo "== (c) registry calls (native, through src/backend_wrap.h)"
if [ "${BUILT[bench_counts]}" = 1 ]; then
    "$TMP/bin/bench_counts" tls12-strict examples/states/ws2016-gpo.reg 10.0.14393 | tee "$TMP/c.txt"
    "$TMP/bin/bench_counts" tls12-strict examples/states/ws2008r2.reg 6.1.7601 | tee -a "$TMP/c.txt"
    RESULT[c.reapply_writes]=$(awk -F'|' '$2 ~ /re-apply/ { gsub(/ /, "", $8); print $8; exit }' "$TMP/c.txt")
else
    echo "   skipped: build/host/bench/bench_counts does not build (see the build step)"
    RESULT[c.reapply_writes]="not built"
fi

echo "== (d) size"
size=$(stat -c %s "$EXE")
RESULT[d.size]=$size
echo "   build/win/schannelcfg.exe: $size bytes ($((size / 1024)) KB)"

echo "== (e) diff of synthetic plans (native)"
sizes="1000 10000"
[ "$BIG" = 1 ] && sizes="$sizes 100000"
if [ "${BUILT[bench_diff]}" = 1 ]; then
    # shellcheck disable=SC2086
    "$TMP/bin/bench_diff" -r 9 $sizes | tee "$TMP/e.txt"
    RESULT[e.10k]=$(awk -F'|' '$2+0 == 10000 { gsub(/ /, "", $5); print $5 }' "$TMP/e.txt")
    echo "   the same 10,000 operations, 1 and 10 values per key:"
    "$TMP/bin/bench_diff" -k 1 -r 5 10000 | tail -1
    "$TMP/bin/bench_diff" -k 10 -r 5 10000 | tail -1
else
    echo "   skipped: build/host/bench/bench_diff does not build (see the build step)"
    RESULT[e.10k]="not built"
fi

echo "== (f) big profiles: raw [key] sections (native)"
SCHANNELCFG=$HOSTBIN RUNS=3 scripts/bench-sections.sh 1000 3000 9000 | tee "$TMP/f.txt"
RESULT[f.apply]=$(awk '$1 == 9000 { print $2 }' "$TMP/f.txt")
RESULT[f.rollback]=$(awk '$1 == 9000 { print $3 }' "$TMP/f.txt")

echo "== (g) a 40 MB state file (native)"
BIN=$HOSTBIN scripts/bench-state.sh 40 3 | tee "$TMP/g.txt"
# The slowest of the four shapes' diff medians.
RESULT[g.diff]=$(awk 'NR > 1 && NF == 3 && $2 ~ /^[0-9]+$/ { if ($3 > m) m = $3 } END { print m + 0 }' "$TMP/g.txt")

echo
# A target met or not; "n/a" when the section did not run.
verdict() { case "$1" in "" | *[!0-9.]*) echo "n/a" ;; *) meets "$@" ;; esac; }
row() { printf '| %-58s | %-38s | %-10s | %-9s |\n' "$@"; }
echo "== summary ($(date -u +%Y-%m-%d), $(nproc) cores, $(wine --version), RUNS=$RUNS)"
row measurement result target met
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..60})" "$(printf -- '-%.0s' {1..40})" \
    "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..11})"
for s in fresh ws2016; do
    row "(a) apply tls12-strict vs ${RESULT[$s.n]} x wine reg add ($s)" \
        "${RESULT[$s.apply]} vs ${RESULT[$s.recipe]} ms: ${RESULT[$s.ratio]}x" ">= 100x" \
        "$(verdict "${RESULT[$s.ratio]}" ">=" 100)"
    [ "$BYNAME" = 1 ] && row "(a) the same, the recipe as \`wine reg\` by name ($s)" \
        "${RESULT[$s.apply]} vs ${RESULT[$s.byname]} ms: ${RESULT[$s.bratio]}x" ">= 100x" \
        "$(verdict "${RESULT[$s.bratio]}" ">=" 100)"
    row "(a) first apply vs --version ($s)" \
        "${RESULT[$s.apply]} vs ${RESULT[$s.version]} ms: ${RESULT[$s.vratio]}x" "<= 1.5x" \
        "$(verdict "${RESULT[$s.vratio]}" "<=" 1.5)"
done
row "(b) apply on a compliant registry vs --version" \
    "${RESULT[b.apply]} vs ${RESULT[b.version]} ms: ${RESULT[b.ratio]}x" "<= 1.1x" \
    "$(verdict "${RESULT[b.ratio]}" "<=" 1.1)"
row "(c) write-class calls of a compliant re-apply" \
    "${RESULT[c.reapply_writes]}" "0" \
    "$(case "${RESULT[c.reapply_writes]}" in 0) echo yes ;; *[!0-9]*) echo n/a ;; *) echo NO ;; esac)"
row "(d) schannelcfg.exe size" "${RESULT[d.size]} bytes" "<= 400 KB" \
    "$(verdict "${RESULT[d.size]}" "<=" 409600)"
row "(e) diff, 10,000 ops vs 10,000 values (median)" "${RESULT[e.10k]} ms" "< 50 ms" \
    "$(verdict "${RESULT[e.10k]}" "<" 50)"
row "(f) apply / rollback of 9,000 [key] sections (median)" \
    "${RESULT[f.apply]} / ${RESULT[f.rollback]} ms" "< 500 ms" \
    "$(verdict "${RESULT[f.apply]}" "<" 500) / $(verdict "${RESULT[f.rollback]}" "<" 500)"
row "(g) diff of a 40 MB state (slowest of 4 shapes, median)" "${RESULT[g.diff]} ms" "< 1500 ms" \
    "$(verdict "${RESULT[g.diff]}" "<" 1500)"
echo "run again after a Wine failure: $(wc -l <"$RECIPE_RETRIES") recipe command(s), $(wc -l <"$LAUNCH_RETRIES") schannelcfg launch(es)"
cat "$RECIPE_RETRIES" "$LAUNCH_RETRIES"
