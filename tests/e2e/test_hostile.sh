#!/usr/bin/env bash
# The hostile-input corpus (tests/hostile/README.md) through the real CLI.
#   H1 native (build/host/schannelcfg), every input:
#      profiles (tests/bad-profiles/, tests/hostile/profiles/): `diff P` and
#        `apply P` with --state on a copy of a realistic state file: exit 2;
#      states (tests/hostile/states/, a copy as --state): `diff` and `apply`
#        of a built-in profile: exit 2; the two with another hive's section
#        ("; expect-warning:") are read with that warning instead: `diff`
#        exits 0 and leaves the file as it was, `apply` exits 194 (3010)
#        and the rewritten file still holds the section, byte for byte;
#      snapshots (tests/hostile/snapshots/), placed inside and outside
#        --snapshot-dir: `rollback SNAPSHOT --force --state`: exit 5;
#      a 10,000-deep include chain made here: exit 2.
#      Each time: stderr starts a line with the file's path (with ":LINE:"
#      where its "; expect-line:" names one) and carries its "; expect:"
#      text, both from the file's header or its FILE.expect (README.md,
#      "Expected errors"); the state file is byte for
#      byte the same, not rewritten (inode, size, mtime); no snapshot is
#      written. Input errors exit 2; refused snapshots exit 5 (README, exit
#      codes).
#   H2 controls: the genuine snapshots the forgeries come from
#      (tests/hostile/valid/) restore a state exactly (3010); one outside the
#      snapshot folder is refused without --force (5).
#   H3 the real schannelcfg.exe under Wine, on the live registry: a handful
#      of snapshots (`rollback C:\hostile\X.reg --force`, inside and outside
#      the snapshot folder), states (`apply --state C:\hostile\X.reg`) and
#      profiles (`apply C:\hostile\X.ini`): exit 5 / 2 / 2, the message names
#      the Windows path; `diff --state` of 09-hkey-current-user: exit 0, the
#      warning names the Windows path and line; `reg export` of SecurityProviders, SOFTWARE\Policies
#      and both Run keys is byte for byte the same afterwards, the state
#      files are unchanged and no snapshot was written.
. "$(dirname "$0")/lib_wine.sh"
cd "$ROOT"

H=tests/hostile
REGTOOL=${REGTOOL:-$ROOT/build/host/tests/regtool}
REALISTIC=examples/states/ws2016-gpo.reg
[ -f "$H/states/01-utf16-odd-byte-count.reg.expect" ] || { echo "no FILE.expect sidecars: run python3 $H/make-corpus.py"; exit 1; }
[ -x "$HOSTBIN" ] || make -s -C "$ROOT" build/host/schannelcfg >/dev/null
[ -x "$REGTOOL" ] || make -s -C "$ROOT" build/host/tests/regtool >/dev/null

# run ARGS...: the native tool; OUT gets stderr (stdout is dropped), RC the exit code.
run() {
    RC=0
    OUT=$("$HOSTBIN" "$@" 2>&1 >/dev/null) || RC=$?
}

# snapdir_opt COMMAND: --snapshot-dir for apply (diff takes none). No spaces in $TMP.
snapdir_opt() { [ "$1" = apply ] && echo "--snapshot-dir $SNAPS" || true; }

stamp() { stat -c '%i %s %.9Y' "$1"; }
listing() { if [ -d "$1" ]; then (cd "$1" && ls -A); else echo "(no folder)"; fi; }

# expectation FILE: sets EXP_MSG and EXP_LINE ("" for none) from the
# "; expect:" / "; expect-line:" lines of FILE.expect when there is one,
# else of FILE's own header; EXP_WARN=1 when EXP_MSG is an
# "; expect-warning:" (a state read with a warning), else "".
expectation() {
    local from=$1
    [ -f "$1.expect" ] && from=$1.expect
    EXP_MSG=$(head -c 4096 "$from" | tr -d '\r' | sed -n '1,5{s/^; expect: //p}' | head -1)
    EXP_WARN=
    if [ -z "$EXP_MSG" ]; then
        EXP_MSG=$(head -c 4096 "$from" | tr -d '\r' | sed -n '1,5{s/^; expect-warning: //p}' | head -1)
        [ -z "$EXP_MSG" ] || EXP_WARN=1
    fi
    EXP_LINE=$(head -c 4096 "$from" | tr -d '\r' | sed -n '1,5{s/^; expect-line: //p}' | head -1)
    [ -n "$EXP_MSG" ] || not_ok "$1: no \"; expect:\" line (in the file or in $1.expect)"
}

# checks WHAT WANT-RC NAMED-PATH STATE STATE-COPY STAMP SNAPDIR LISTING:
# exit code, a stderr line starting with the path (and line) carrying the
# message, the state untouched, the snapshot folder as it was.
checks() {
    local what=$1 want=$2 named=$3 prefix problems=
    if [ -n "$EXP_LINE" ]; then prefix="$named:$EXP_LINE: "; else prefix="$named: "; fi
    [ "$RC" -eq "$want" ] || problems+=" exit $RC, expected $want;"
    if ! printf '%s\n' "$OUT" | grep -aF -- "$prefix" | grep -qaF -- "$EXP_MSG"; then
        problems+=" no stderr line with [$prefix] and [$EXP_MSG];"
    fi
    cmp -s "$4" "$5" || problems+=" the state file changed;"
    [ "$(stamp "$4")" = "$6" ] || problems+=" the state file was rewritten;"
    [ "$(listing "$7")" = "$8" ] || problems+=" the snapshot folder changed: $(listing "$7" | tr '\n' ' ');"
    if [ -z "$problems" ]; then
        ok "$what (exit $RC)"
    else
        not_ok "$what:$problems"
        printf '%s\n' "$OUT" | head -5 | cut -c1-300 | sed 's/^/       | /'
    fi
}

# flat FILE FROM-LINE: FILE's lines from FROM-LINE up to the next key
# header, newlines as \001: one string for grep -F.
flat() {
    awk -v from="$2" 'NR == from { on = 1; print; next } on && /^\[/ { exit } on' "$1" |
        tr '\n' '\001'
}

# warned_state STATE COPY: a state with another hive's section (its
# "; expect-warning:"): diff reads it with the warning and writes nothing;
# apply writes it, with the section as it was.
warned_state() {
    local s=$1 copy=$2 st name section
    name=$(basename "$s")
    st=$(stamp "$copy")
    run diff tls12-strict --state "$copy"
    checks "state $name: diff (read, with a warning)" 0 "$copy" "$copy" "$s" "$st" "$SNAPS" "(no folder)"
    run apply tls12-strict --state "$copy" --snapshot-dir "$TMP/warned-snaps"
    expect_rc "state $name: apply" "$RC" 194
    expect_contains "state $name: apply warns" "$OUT" "$copy:$EXP_LINE: $EXP_MSG"
    section=$(flat "$s" "$EXP_LINE")
    if [ -n "$section" ] && tr '\n' '\001' <"$copy" | grep -qaF -- "$section"; then
        ok "state $name: the rewritten file keeps the section of line $EXP_LINE"
    else
        not_ok "state $name: the rewritten file lost the section of line $EXP_LINE"
    fi
    rm -rf "$TMP/warned-snaps" "$copy.snapshots"
}

echo "H1 native: profiles, states, snapshots, a 10,000-deep include chain"
STATE=$TMP/state.reg
ORIG=$TMP/state.orig.reg
cp "$REALISTIC" "$STATE"
cp "$REALISTIC" "$ORIG"
SNAPS=$TMP/snaps
OUTSIDE=$TMP/outside
mkdir -p "$OUTSIDE"
n_profiles=0 n_states=0 n_snapshots=0

for p in tests/bad-profiles/*.ini $H/profiles/*.ini; do
    expectation "$p"
    for cmd in diff apply; do
        st=$(stamp "$STATE")
        run "$cmd" "$p" --state "$STATE" $(snapdir_opt "$cmd")
        checks "profile $p: $cmd" 2 "$p" "$STATE" "$ORIG" "$st" "$SNAPS" "(no folder)"
    done
    n_profiles=$((n_profiles + 1))
done

for s in $H/states/*.reg; do
    expectation "$s"
    copy=$TMP/$(basename "$s")
    cp "$s" "$copy"
    if [ -n "$EXP_WARN" ]; then
        warned_state "$s" "$copy"
    else
        for cmd in diff apply; do
            st=$(stamp "$copy")
            run "$cmd" tls12-strict --state "$copy" $(snapdir_opt "$cmd")
            checks "state $(basename "$s"): $cmd" 2 "$copy" "$copy" "$s" "$st" "$SNAPS" "(no folder)"
        done
    fi
    rm -f "$copy"
    n_states=$((n_states + 1))
done

mkdir -p "$SNAPS"
for s in $H/snapshots/*.reg; do
    expectation "$s"
    name=$(basename "$s")
    for where in "$SNAPS" "$OUTSIDE"; do
        cp "$s" "$where/$name"
        before=$(listing "$SNAPS")
        st=$(stamp "$STATE")
        run rollback "$where/$name" --force --state "$STATE" --snapshot-dir "$SNAPS"
        checks "snapshot $name $([ "$where" = "$SNAPS" ] && echo inside || echo outside) the folder" \
            5 "$where/$name" "$STATE" "$ORIG" "$st" "$SNAPS" "$before"
        rm -f "$where/$name"
    done
    n_snapshots=$((n_snapshots + 1))
done

# c00000.ini includes c00001 ... includes c09999.ini
CHAIN=$TMP/chain
mkdir -p "$CHAIN"
for ((i = 0; i < 10000; i++)); do
    printf -v f '%s/c%05d.ini' "$CHAIN" "$i"
    printf -v next 'c%05d' $((i + 1))
    if [ "$i" -lt 9999 ]; then
        printf '[profile]\nname = link\nsummary = a link\ninclude = %s\n' "$next" >"$f"
    else
        printf '[profile]\nname = end\nsummary = the end\n' >"$f"
    fi
done
EXP_LINE=4
EXP_MSG="includes nested deeper than the limit at $CHAIN/c00016.ini"
st=$(stamp "$STATE")
run apply "$CHAIN/c00000.ini" --state "$STATE" --snapshot-dir "$TMP/chain-snaps"
checks "a 10,000-deep include chain" 2 "$CHAIN/c00015.ini" "$STATE" "$ORIG" "$st" \
    "$TMP/chain-snaps" "(no folder)"
rm -rf "$CHAIN"

total=$((n_profiles + n_states + n_snapshots + 1))
echo "  inputs: $n_profiles profiles, $n_states states, $n_snapshots snapshots, 1 include chain = $total"
if [ "$total" -ge 50 ]; then ok "at least 50 malformed inputs ($total)"; else not_ok "only $total inputs"; fi

echo "H2 controls: genuine snapshots restore; outside the folder needs --force"
S2=$TMP/control.reg
cp "$REALISTIC" "$S2"
SNAPS2=$TMP/snaps2
run apply tls12-strict --state "$S2" --snapshot-dir "$SNAPS2"
expect_rc "apply tls12-strict to the realistic state" "$RC" 194
# A snapshot's file name is its id (a copy under another name is refused).
GENUINE=20231114T221320Z-0001-tls12-strict.reg
cp "$H/valid/$GENUINE" "$SNAPS2/$GENUINE"
run rollback "$SNAPS2/$GENUINE" --force --state "$S2" --snapshot-dir "$SNAPS2"
expect_rc "the genuine snapshot, inside the folder, rolls back" "$RC" 194
expect_eq "the state is restored exactly" "$("$REGTOOL" dump "$S2" | md5sum)" \
    "$("$REGTOOL" dump "$REALISTIC" | md5sum)"
cp $H/valid/20231114T221320Z-0001-p2s-vpn.reg "$OUTSIDE/"
st=$(stamp "$S2")
run rollback "$OUTSIDE/20231114T221320Z-0001-p2s-vpn.reg" --state "$S2" --snapshot-dir "$SNAPS2"
expect_rc "a genuine snapshot outside the folder, without --force" "$RC" 5
expect_contains "the refusal says why" "$OUT" "is not inside the snapshot folder"
[ "$(stamp "$S2")" = "$st" ] && ok "nothing was written" || not_ok "the state file was rewritten"

echo "H3 under Wine: the real exe on the live registry"
if [ ! -f "$EXE" ] || [ ! -f "$WINE_BASE/system.reg" ] || ! command -v wine >/dev/null; then
    echo "  skipped: needs $EXE and the Wine prefix (scripts/wine-prefix.sh)"
    finish
    exit $?
fi
new_prefix
C=$WINEPREFIX/drive_c
mkdir -p "$C/hostile" "$C/sc-snaps"
# One apply and rollback first: they create this machine's snapshot key, so
# that the refusals below are about the files, not a missing key.
sc apply azure-mma >/dev/null 2>&1 || true
sc rollback >/dev/null 2>&1 || true
W_SNAPS=(01-body-byte-changed 11-run-key-value-rehashed 12-delete-software-rehashed
    13-created-above-root-not-ancestor 19-wow6432node-run-rehashed 23-unpaired-surrogate-rehashed)
# 09-hkey-current-user is read (with a warning) since other hives' sections
# are skipped: its place here takes 27, the other "outside HKLM" state.
W_STATES=(01-utf16-odd-byte-count 03-utf16-big-endian-bom 24-delete-hklm
    27-hkey-local-machine-lookalike 33-utf16-unpaired-surrogate)
W_WARNED=09-hkey-current-user
W_PROFILES=(tests/bad-profiles/19-raw-key-outside-roots.ini $H/profiles/09-raw-key-wow6432-run.ini
    $H/profiles/16-utf16le-with-bom.ini)
EXPORTS=('HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders' 'HKLM\SOFTWARE\Policies'
    'HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Run'
    'HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Run')

# export_all TAG: every key of EXPORTS to C:\export-TAG-N.reg (or a note that
# it is absent), in one Wine session. reg.exe by its full path, and the
# batch again when Wine's cmd could not start it (see save_state in
# test_engine_wine.sh): "absent" then means only that the key is missing.
export_all() {
    local i try bat=$C/export.bat
    : >"$bat"
    for i in "${!EXPORTS[@]}"; do
        printf 'C:\\windows\\system32\\reg.exe export "%s" C:\\export-%s-%d.reg /y >nul 2>C:\\export-%s-%d.err\r\nif errorlevel 1 echo absent> C:\\export-%s-%d.reg\r\nif errorlevel 1 type C:\\export-%s-%d.err>> C:\\export-%s-%d.reg\r\n' \
            "${EXPORTS[$i]}" "$1" "$i" "$1" "$i" "$1" "$i" "$1" "$i" "$1" "$i" >>"$bat"
    done
    for try in 1 2 3; do
        wine_run cmd /c 'C:\export.bat' >/dev/null 2>&1 || true
        grep -laq "Can't recognize" "$C"/export-"$1"-*.reg 2>/dev/null || break
    done
    rm -f "$C"/export-"$1"-*.err
}

export_all before
# The comparison means something only if the exports hold the keys.
for i in 0 1; do
    if iconv -f UTF-16LE -t UTF-8 "$C/export-before-$i.reg" 2>/dev/null | grep -qF "[${EXPORTS[$i]/HKLM/HKEY_LOCAL_MACHINE}]"; then
        ok "wine: ${EXPORTS[$i]} exported"
    else
        not_ok "wine: ${EXPORTS[$i]} was not exported"
    fi
done
for s in "${W_SNAPS[@]}"; do
    cp "$H/snapshots/$s.reg" "$C/hostile/$s.reg"
    cp "$H/snapshots/$s.reg" "$C/sc-snaps/$s.reg"
done
for s in "${W_STATES[@]}" "$W_WARNED"; do cp "$H/states/$s.reg" "$C/hostile/$s.reg"; done
for p in "${W_PROFILES[@]}"; do cp "$p" "$C/hostile/"; done
snaps_before=$(listing "$C/sc-snaps")

# wsc WHAT WANT NAMED ARGS...: runs the exe, checks exit code and message.
wsc() {
    local what=$1 want=$2 named=$3 prefix
    shift 3
    RC=0
    OUT=$(sc "$@" 2>&1 >/dev/null) || RC=$?
    if [ -n "$EXP_LINE" ]; then prefix="$named:$EXP_LINE: "; else prefix="$named: "; fi
    if [ "$RC" -eq "$want" ] && printf '%s\n' "$OUT" | grep -aF -- "$prefix" | grep -qaF -- "$EXP_MSG"; then
        ok "$what (exit $RC)"
    else
        not_ok "$what: exit $RC (expected $want), expected [$prefix...$EXP_MSG]"
        printf '%s\n' "$OUT" | head -5 | cut -c1-300 | sed 's/^/       | /'
    fi
}

for s in "${W_SNAPS[@]}"; do
    expectation "$H/snapshots/$s.reg"
    # On the live registry a file that parses is first refused for having
    # no HMAC: these carry a plain (recomputable) SHA-256.
    case $s in 23-*) ;; *) EXP_LINE= EXP_MSG="not authenticated" ;; esac
    wsc "wine: rollback $s (outside the folder, --force)" 5 "C:\\hostile\\$s.reg" \
        rollback "C:\\hostile\\$s.reg" --force --snapshot-dir 'C:\sc-snaps'
    wsc "wine: rollback $s (inside the folder)" 5 "C:\\sc-snaps\\$s.reg" \
        rollback "C:\\sc-snaps\\$s.reg" --force --snapshot-dir 'C:\sc-snaps'
done
for s in "${W_STATES[@]}"; do
    expectation "$H/states/$s.reg"
    wsc "wine: apply --state $s" 2 "C:\\hostile\\$s.reg" \
        apply tls12-strict --state "C:\\hostile\\$s.reg" --snapshot-dir 'C:\sc-snaps'
    if cmp -s "$H/states/$s.reg" "$C/hostile/$s.reg"; then ok "wine: $s unchanged"; else not_ok "wine: $s changed"; fi
done
expectation "$H/states/$W_WARNED.reg"
[ -n "$EXP_WARN" ] || not_ok "wine: $W_WARNED has no \"; expect-warning:\""
wsc "wine: diff --state $W_WARNED (read, with a warning)" 0 "C:\\hostile\\$W_WARNED.reg" \
    diff tls12-strict --state "C:\\hostile\\$W_WARNED.reg"
if cmp -s "$H/states/$W_WARNED.reg" "$C/hostile/$W_WARNED.reg"; then
    ok "wine: $W_WARNED unchanged"
else
    not_ok "wine: $W_WARNED changed"
fi
for p in "${W_PROFILES[@]}"; do
    expectation "$p"
    name=$(basename "$p")
    EXP_MSG=${EXP_MSG//$p/C:\\hostile\\$name}
    wsc "wine: apply $name (live registry)" 2 "C:\\hostile\\$name" \
        apply "C:\\hostile\\$name" --snapshot-dir 'C:\sc-snaps'
done

export_all after
for i in "${!EXPORTS[@]}"; do
    if cmp -s "$C/export-before-$i.reg" "$C/export-after-$i.reg"; then
        ok "wine: ${EXPORTS[$i]} unchanged"
    else
        not_ok "wine: ${EXPORTS[$i]} changed"
    fi
done
expect_eq "wine: no snapshot was written" "$(listing "$C/sc-snaps")" "$snaps_before"

finish
