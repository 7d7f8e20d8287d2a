#!/usr/bin/env bash
# diff / check / apply / snapshots / rollback of the real schannelcfg.exe
# under Wine (real advapi32), one throwaway prefix per scenario:
#   W1 azure-mma on Wine's bare registry (every key is created), snapshots
#      in C:\sc-snaps: diff/check/json/reg never write; apply (3010), each
#      value in both views; second apply writes nothing; rollback restores
#      the exports byte for byte and removes the created keys; rollback
#      twice is a no-op.
#   W2 p2s-vpn on the bare registry, default %ProgramData% snapshots;
#      rollback removes even the keys above the TLS roots; reg import alone
#      leaves exactly the created-above-root keys, empty.
#   W3 fresh prefix: apply --format json; `reg import SNAPSHOT` alone
#      restores; the `diff --format reg` files of W1 and W2, imported, give
#      W1's and W2's applied states.
#   W4 a Windows 7-like registry (fixture): azure-mma changes existing
#      values and rollback puts them back; p2s-vpn undone by reg import alone.
#   W5 disable-dhe with a Server 2016 local list and a policy list: no
#      TLS_DHE_* left, the rest in order; reg import / --format reg.
#   W6 disable-dhe without a policy list: the policy key is not created.
# Registry state is compared as `reg export` files, byte for byte: all of
# HKLM\SYSTEM (within one prefix), the touched SYSTEM and SOFTWARE subtrees,
# and non-recursive `reg query` listings of their parents (keys created
# beside them). Expected values are spelled out here or computed from what
# Wine held before, never taken from the tool's output.
. "$(dirname "$0")/lib_wine.sh"

FIX=$ROOT/tests/fixtures/e2e
SNAPS='C:\sc-snaps'


# HKLM\SYSTEM is exported whole (0.2 s) for comparisons inside one prefix.
# Across prefixes it differs by Wine's per-prefix display device (Control\
# Video\{GUID}, DriverDateData), so those compare these subtrees instead:
EXPORT_KEYS=('HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders'
    'HKLM\SYSTEM\CurrentControlSet\Control\Cryptography' "$RASMAN"
    "$NETFX" "$NETFX32" "$INET" "$INET32" 'HKLM\SOFTWARE\Policies' 'HKLM\SOFTWARE\Wow6432Node\Policies')
# ... and these keys are listed without recursion (keys created beside them).
LIST_KEYS=('HKLM\SYSTEM\CurrentControlSet\Control' 'HKLM\SYSTEM\CurrentControlSet\Services'
    'HKLM\SOFTWARE' 'HKLM\SOFTWARE\Microsoft' 'HKLM\SOFTWARE\Wow6432Node'
    'HKLM\SOFTWARE\Wow6432Node\Microsoft' 'HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion')

# fresh_prefix: new_prefix, then one quiet Wine run. The first program run in
# a prefix starts Wine's services, which inherit its stdout: were that a
# pipe (winreg ... | tr), the pipe would never close.
fresh_prefix() {
    new_prefix
    wine reg query 'HKLM\SOFTWARE' /ve </dev/null >/dev/null 2>&1 || true
}

# wpath UNIX-PATH: the same file through Wine's Z: drive.
wpath() { printf 'Z:%s' "${1//\//\\}"; }
# unix_of C:\X\Y: the prefix's file behind a C: path.
unix_of() { local p=${1//\\//}; printf '%s/drive_c/%s' "$WINEPREFIX" "${p#[Cc]:/}"; }

# scr ARGS...: runs the exe; OUT gets stdout+stderr, RC the exit code.
scr() {
    RC=0
    OUT=$(sc "$@" 2>&1) || RC=$?
}

# save_state NAME: the registry state compared by same_state. One batch
# file runs every reg.exe in one Wine session (three times faster than a
# wine process per key). (Wine's cmd runs the right side of "a >nul || b"
# even when a succeeds, hence "if errorlevel".)
# Wine's cmd now and then fails to start a program it has started a hundred
# times ("Can't recognize 'reg export ...' as an internal or external
# command"): a launch failure inside Wine, not a registry difference. That is
# what made W5 fail one run in three on a fresh machine (an export read
# "ABSENT ...\Internet Settings"). reg.exe is named by its full path (no
# search of the current folder and PATH), and a batch in which a command
# (or cmd itself) could not be started is run again, up to three times.
REG_EXE='C:\windows\system32\reg.exe'
save_state() {
    local try
    local want=$((1 + ${#EXPORT_KEYS[@]} + ${#LIST_KEYS[@]})) got
    for try in 1 2 3; do
        save_state_once "$1"
        got=$(find "$TMP/state.$1" -type f | wc -l)
        if [ "$got" -eq "$want" ] && ! grep -rlaq "Can't recognize\|no export written" "$TMP/state.$1"; then
            return 0
        fi
        echo "  (save_state $1: Wine could not start cmd or reg.exe ($got of $want files): again)"
    done
}
save_state_once() {
    local d=$TMP/state.$1 i=0 k f
    rm -rf "$d"
    mkdir -p "$d"
    {
        echo '@echo off'
        f=$(wpath "$d/system-whole.reg")
        echo "$REG_EXE export \"HKLM\\SYSTEM\" \"$f\" /y >nul 2>\"$f.err\""
        echo "if errorlevel 1 echo export of HKLM\\SYSTEM failed>\"$f\""
        echo "if errorlevel 1 type \"$f.err\">>\"$f\""
        for k in "${EXPORT_KEYS[@]}"; do
            i=$((i + 1))
            f=$(wpath "$d/$i.reg")
            echo "$REG_EXE export \"$k\" \"$f\" /reg:64 /y >nul 2>\"$f.err\""
            echo "if errorlevel 1 echo ABSENT $k>\"$f\""
            echo "if errorlevel 1 type \"$f.err\">>\"$f\""
        done
        for k in "${LIST_KEYS[@]}"; do
            i=$((i + 1))
            f=$(wpath "$d/$i.txt")
            echo "$REG_EXE query \"$k\" /reg:64 >\"$f\" 2>&1"
            echo "if errorlevel 1 echo ABSENT $k>>\"$f\""
        done
    } | sed 's/$/\r/' >"$d.cmd"
    wine cmd /c "$(wpath "$d.cmd")" </dev/null >/dev/null 2>&1 || true
    rm -f "$d"/*.err
    [ -s "$d/system-whole.reg" ] || echo "save_state $1: no export written" >"$d/system-whole.reg"
}

# same_state WHAT A B [across]: the two saved states are byte-identical
# ("across": taken in different prefixes, whole-SYSTEM export left out).
same_state() {
    local a=$TMP/state.$2 b=$TMP/state.$3 f x=()
    [ "${4:-}" = across ] && x=(-x system-whole.reg)
    if [ ! -d "$a" ] || [ ! -d "$b" ]; then
        not_ok "$1: state $2 or $3 was not saved"
    elif diff -rq "${x[@]}" "$a" "$b" >/dev/null; then
        ok "$1"
    else
        not_ok "$1: registry differs"
        for f in $(diff -rq "${x[@]}" "$a" "$b" | awk '{print $2}'); do
            diff <(decode "$f") <(decode "$b/$(basename "$f")") | cut -c1-160 | head -20 |
                sed 's/^/       | /' || true
        done
    fi
}
decode() {
    case "$1" in
    *.reg) iconv -f UTF-16LE -t UTF-8 "$1" 2>/dev/null | tr -d '\r' || cat "$1" ;;
    *) tr -d '\r' <"$1" ;;
    esac
}

# key_gone WHAT KEY [VIEW]: reg query of KEY fails.
key_gone() {
    if wine reg query "$2" "${3:-/reg:64}" >/dev/null 2>&1; then
        not_ok "$1: $2 still exists"
    else
        ok "$1"
    fi
}

# key_values KEY: the values of KEY (no subkeys), as reg query prints them.
key_values() {
    wine reg query "$1" /reg:64 2>&1 | tr -d '\r' | grep '^    ' || true
}

# import_utf16 FIXTURE: reg import of an ASCII fixture, converted to UTF-16LE
# with a BOM (reg import widens hex(2)/hex(7) data of BOM-less files).
import_utf16() {
    local f=$TMP/import.$RANDOM.reg out
    { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$1"; } >"$f"
    out=$(winreg import "$(wpath "$f")"; echo "rc=${PIPESTATUS[0]}")
    expect_contains "reg import $(basename "$1")" "$out" "rc=0"
}

# reg_import WHAT WINDOWS-PATH
reg_import() {
    local out
    out=$(winreg import "$2"; echo "rc=${PIPESTATUS[0]}")
    expect_contains "$1" "$out" "rc=0"
}

# created_keys SNAPSHOT-UNIX-PATH: "VIEW PATH" of every key the snapshot's
# header lists as created by its apply (created-key, created-above-root).
created_keys() {
    iconv -f UTF-16LE -t UTF-8 "$1" | tr -d '\r' |
        sed -n 's/^; created-\(key\|above-root\): \(32\|64\) /\2 /p'
}

# remove_created WHAT SNAPSHOT-UNIX-PATH: after `reg import`, the keys the
# apply created remain (the snapshot deletes no key): check that each holds
# no value in its whole subtree, then delete it as rollback would.
remove_created() {
    local view path vals holding=0 n=0
    while read -r view path; do
        [ -n "$path" ] || continue
        wine reg query "HKLM\\$path" "/reg:$view" >/dev/null 2>&1 || continue
        n=$((n + 1))
        vals=$(wine reg query "HKLM\\$path" /s "/reg:$view" 2>/dev/null | tr -d '\r' | grep -c '^    ' || true)
        [ "$vals" -eq 0 ] || holding=$((holding + 1))
    done <<<"$(created_keys "$2")"
    expect_eq "$1: the $n created keys left by reg import hold no values" "$holding" 0
    while read -r view path; do
        [ -n "$path" ] || continue
        wine reg delete "HKLM\\$path" /f "/reg:$view" >/dev/null 2>&1 || true
    done <<<"$(created_keys "$2")"
}

json_ok() { # WHAT TEXT
    if printf '%s' "$2" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null; then
        ok "$1"
    else
        not_ok "$1: not JSON"
        printf '%s\n' "$2" | head -5 | sed 's/^/       | /'
    fi
}

# json_field TEXT EXPR: python expression on the parsed document d.
json_field() {
    printf '%s' "$1" | python3 -c "import json,sys; d=json.load(sys.stdin); print($2)" 2>&1 || true
}

# snapshot_of OUTPUT: the Windows path the apply says it wrote.
snapshot_of() {
    printf '%s\n' "$1" | awk '/^Snapshot .* written before the change:/ { getline; sub(/^ +/, ""); print; exit }'
}

count_snaps() { find "$1" -maxdepth 1 -name '*.reg' 2>/dev/null | wc -l; }

# The checks every scenario makes around one profile and apply:
#   diff (text, json, reg) and check write nothing; apply exits 3010 and
#   says where the snapshot is; a second apply writes nothing.
# Leaves the states NAME.pre and NAME.applied, APPLY_OUT and SNAP (Windows
# path of the snapshot); SNAPDIR_UNIX is the snapshot folder.
# common_apply NAME PROFILE [apply options...]
common_apply() {
    local name=$1 profile=$2
    shift 2
    save_state "$name.pre"
    scr check "$profile"
    expect_rc "$name: check before apply reports drift" "$RC" 1
    scr diff "$profile"
    expect_rc "$name: diff" "$RC" 0
    DIFF_OUT=$OUT
    expect_contains "$name: diff names the changes" "$OUT" "to change"
    scr diff "$profile" --format json
    json_ok "$name: diff --format json parses" "$OUT"
    DIFF_REG=$TMP/$name.diff.reg
    RC=0
    sc diff "$profile" --format reg >"$DIFF_REG" 2>"$TMP/$name.diff.err" || RC=$?
    expect_rc "$name: diff --format reg" "$RC" 0
    save_state "$name.afterdiff"
    same_state "$name: diff and check leave the registry byte-identical" "$name.pre" "$name.afterdiff"

    scr apply "$profile" "$@"
    APPLY_OUT=$OUT
    expect_rc "$name: apply exits 3010" "$RC" 194
    SNAP=$(snapshot_of "$OUT")
    if [ -n "$SNAP" ]; then ok "$name: apply names its snapshot ($SNAP)"; else not_ok "$name: apply names no snapshot"; fi
    save_state "$name.applied"
    if diff -rq "$TMP/state.$name.pre" "$TMP/state.$name.applied" >/dev/null; then
        not_ok "$name: apply changed nothing in the exports"
    else
        ok "$name: apply changed the exports"
    fi
    local before
    before=$(count_snaps "$SNAPDIR_UNIX")
    expect_eq "$name: one snapshot file" "$before" 1

    scr check "$profile"
    expect_rc "$name: check after apply" "$RC" 0
    scr apply "$profile" "$@"
    expect_rc "$name: second apply" "$RC" 0
    expect_contains "$name: second apply says so" "$OUT" "Nothing to do"
    save_state "$name.again"
    same_state "$name: second apply writes nothing" "$name.applied" "$name.again"
    expect_eq "$name: second apply writes no snapshot" "$(count_snaps "$SNAPDIR_UNIX")" "$before"
}

# common_rollback NAME [rollback options...]: rollback restores NAME.pre
# exactly; a second one is a no-op.
common_rollback() {
    local name=$1
    shift
    scr rollback "$@"
    expect_rc "$name: rollback exits 3010" "$RC" 194
    save_state "$name.rolledback"
    same_state "$name: rollback restores the pre-apply exports" "$name.pre" "$name.rolledback"
    scr rollback "$@"
    expect_rc "$name: second rollback is a no-op" "$RC" 0
    expect_contains "$name: second rollback says so" "$OUT" "Nothing to do"
    save_state "$name.rolledback2"
    same_state "$name: second rollback writes nothing" "$name.pre" "$name.rolledback2"
}

echo "test_engine_wine"

# ---- W1: azure-mma on the bare registry --------------------------------------
fresh_prefix
SNAPDIR_UNIX=$WINEPREFIX/drive_c/sc-snaps
key_gone "W1: no TLS 1.2 key before" "$TLS12"
key_gone "W1: no .NETFramework key before (64)" "$NETFX"
key_gone "W1: no .NETFramework key before (32)" "$NETFX32"
common_apply W1 azure-mma --snapshot-dir "$SNAPS"
W1_DIFF_REG=$DIFF_REG
for v in "TLS 1.2\\Client" Enabled DisabledByDefault "v4.0.30319 (32-bit view)" SchUseStrongCrypto; do
    expect_contains "W1: diff shows $v" "$DIFF_OUT" "$v"
done
expect_contains "W1: apply reports 3010" "$APPLY_OUT" "(exit 3010)"
expect_eq "W1: TLS 1.2 Client Enabled" "$(reg_value "$TLS12C" Enabled)" "REG_DWORD 0x1"
expect_eq "W1: TLS 1.2 Client DisabledByDefault" "$(reg_value "$TLS12C" DisabledByDefault)" "REG_DWORD 0x0"
expect_eq "W1: TLS 1.2 Client Enabled, 32-bit view (SYSTEM is shared)" \
    "$(reg_value "$TLS12C" Enabled /reg:32)" "REG_DWORD 0x1"
expect_eq "W1: TLS 1.2 Client holds nothing else" "$(key_values "$TLS12C" | wc -l)" 2
expect_eq "W1: .NET SchUseStrongCrypto, 64-bit view" "$(reg_value "$NET4" SchUseStrongCrypto /reg:64)" "REG_DWORD 0x1"
expect_eq "W1: .NET SchUseStrongCrypto, 32-bit view" "$(reg_value "$NET4" SchUseStrongCrypto /reg:32)" "REG_DWORD 0x1"
expect_eq "W1: the 32-bit view value is in Wow6432Node" \
    "$(reg_value "$NETFX32\\v4.0.30319" SchUseStrongCrypto /reg:64)" "REG_DWORD 0x1"
expect_eq "W1: no .NET value outside the two views" "$(reg_value "$NETFX" SchUseStrongCrypto)" "ABSENT"
scr snapshots --snapshot-dir "$SNAPS"
expect_rc "W1: snapshots" "$RC" 0
snap_id=$(basename "${SNAP//\\//}" .reg)
expect_contains "W1: snapshots lists the apply's snapshot" "$OUT" "$snap_id"
expect_contains "W1: snapshots names the profile" "$OUT" "azure-mma-tls12"
scr snapshots --snapshot-dir "$SNAPS" --format json
json_ok "W1: snapshots --format json parses" "$OUT"
expect_eq "W1: the json snapshot is valid" "$(json_field "$OUT" "[s['valid'] for s in d['snapshots'] if s['id'] == '$snap_id']")" "[True]"
expect_eq "W1: the json path is the one apply printed" \
    "$(json_field "$OUT" "[s['path'] for s in d['snapshots'] if s['id'] == '$snap_id'][0]")" "$SNAP"
if [ -f "$SNAPDIR_UNIX/$snap_id.reg" ]; then ok "W1: the snapshot is in C:\\sc-snaps"; else not_ok "W1: no $snap_id.reg in C:\\sc-snaps"; fi
common_rollback W1 --snapshot-dir "$SNAPS"
key_gone "W1: rollback removed the created TLS 1.2 key" "$TLS12"
key_gone "W1: rollback removed the created .NETFramework (64)" "$NETFX"
key_gone "W1: rollback removed the created .NETFramework (32)" "$NETFX32"
scr check azure-mma
expect_rc "W1: check after rollback reports drift again" "$RC" 1

# ---- W2: p2s-vpn on the bare registry, default snapshot folder ---------------
fresh_prefix
SNAPDIR_UNIX=$WINEPREFIX/drive_c/ProgramData/schannelcfg/snapshots
key_gone "W2: no RasMan key before" "$RASMAN"
key_gone "W2: no 32-bit Internet Settings key before" "$INET32"
common_apply W2 p2s-vpn
W2_DIFF_REG=$DIFF_REG
for v in "WinHttp (32-bit view)" DefaultSecureProtocols "EAP\\13" TlsVersion; do
    expect_contains "W2: diff shows $v" "$DIFF_OUT" "$v"
done
expect_contains "W2: the snapshot is in %ProgramData%" "$SNAP" 'C:\ProgramData\schannelcfg\snapshots\'
expect_eq "W2: WinHTTP DefaultSecureProtocols, 64-bit view" \
    "$(reg_value "$WINHTTP" DefaultSecureProtocols /reg:64)" "REG_DWORD 0xaa0"
expect_eq "W2: WinHTTP DefaultSecureProtocols, 32-bit view" \
    "$(reg_value "$WINHTTP" DefaultSecureProtocols /reg:32)" "REG_DWORD 0xaa0"
expect_eq "W2: the 32-bit view value is in Wow6432Node" \
    "$(reg_value "$INET32\\WinHttp" DefaultSecureProtocols /reg:64)" "REG_DWORD 0xaa0"
expect_eq "W2: EAP-TLS TlsVersion" "$(reg_value "$EAP13" TlsVersion)" "REG_DWORD 0xc00"
expect_eq "W2: EAP-TLS key holds nothing else" "$(key_values "$EAP13" | wc -l)" 1
scr snapshots
expect_contains "W2: snapshots (default folder) lists it" "$OUT" "$(basename "${SNAP//\\//}" .reg)"
common_rollback W2
key_gone "W2: rollback removed RasMan (created above the EAP root)" "$RASMAN"
key_gone "W2: rollback removed the 32-bit Internet Settings (above the WinHTTP root)" "$INET32"
key_gone "W2: rollback removed WinHttp (64)" "$WINHTTP"
# reg import alone deletes no key (snapshot.h): after it, exactly the keys
# the header lists as created remain, empty; removing them gives the state
# before the apply.
scr apply p2s-vpn
expect_rc "W2: apply again" "$RC" 194
snap=$(snapshot_of "$OUT")
reg_import "W2: reg import of the snapshot" "$snap"
remove_created W2 "$SNAPDIR_UNIX/$(basename "${snap//\\//}")"
save_state W2.imported
same_state "W2: reg import + removing those empty keys gives the pre-apply exports" W2.pre W2.imported

# ---- W3: fresh prefix: reg import alone; --format reg of W1 and W2 -----------
fresh_prefix
SNAPDIR_UNIX=$WINEPREFIX/drive_c/sc-snaps
save_state W3.pre
same_state "W3: a fresh prefix starts where W1 did" W1.pre W3.pre across
scr apply azure-mma --snapshot-dir "$SNAPS" --format json
expect_rc "W3: apply --format json exits 3010" "$RC" 194
json_ok "W3: apply --format json parses" "$OUT"
expect_eq "W3: json status and exit code" "$(json_field "$OUT" "d['status'], d['exit_code'], d['reboot_required']")" \
    "applied 3010 True"
snap=$(json_field "$OUT" "d['snapshot_path']")
save_state W3.applied
same_state "W3: the same applied state as W1" W1.applied W3.applied across
reg_import "W3: reg import of the snapshot" "$snap"
remove_created W3 "$(unix_of "$snap")"
save_state W3.imported
same_state "W3: reg import <snapshot> (and removing the empty keys it leaves) restores the pre-apply exports" W3.pre W3.imported
reg_import "W3: reg import of W1's diff --format reg (azure-mma)" "$(wpath "$W1_DIFF_REG")"
save_state W3.fromreg
same_state "W3: azure-mma diff --format reg, imported, gives W1's applied state" W1.applied W3.fromreg across
scr check azure-mma
expect_rc "W3: check azure-mma after importing its diff" "$RC" 0
reg_import "W3: reg import of the snapshot again" "$snap"
remove_created "W3 again" "$(unix_of "$snap")"
save_state W3.imported2
same_state "W3: back at the start" W3.pre W3.imported2
reg_import "W3: reg import of W2's diff --format reg (p2s-vpn)" "$(wpath "$W2_DIFF_REG")"
save_state W3.fromreg2
same_state "W3: p2s-vpn diff --format reg, imported, gives W2's applied state" W2.applied W3.fromreg2 across
scr check p2s-vpn
expect_rc "W3: check p2s-vpn after importing its diff" "$RC" 0

# ---- W4: a Windows 7-like registry: existing values ---------------------------
fresh_prefix
SNAPDIR_UNIX=$WINEPREFIX/drive_c/sc-snaps
import_utf16 "$FIX/win7-sp1.reg"
expect_eq "W4: seeded TLS 1.2 DisabledByDefault" "$(reg_value "$TLS12C" DisabledByDefault)" "REG_DWORD 0x1"
expect_eq "W4: seeded EAP Path (REG_EXPAND_SZ)" "$(reg_value "$EAP13" Path)" 'REG_EXPAND_SZ %SystemRoot%\System32\rastls.dll'
common_apply W4 azure-mma --snapshot-dir "$SNAPS"
expect_contains "W4: the diff shows the existing value changing" "$DIFF_OUT" "REG_DWORD 0x00000001 (1) → REG_DWORD 0x00000000 (0)"
expect_eq "W4: DisabledByDefault 1 -> 0" "$(reg_value "$TLS12C" DisabledByDefault)" "REG_DWORD 0x0"
expect_eq "W4: Enabled added" "$(reg_value "$TLS12C" Enabled)" "REG_DWORD 0x1"
expect_eq "W4: .NET 64-bit 0 -> 1" "$(reg_value "$NET4" SchUseStrongCrypto /reg:64)" "REG_DWORD 0x1"
expect_eq "W4: .NET 32-bit added" "$(reg_value "$NET4" SchUseStrongCrypto /reg:32)" "REG_DWORD 0x1"
expect_eq "W4: other .NET values untouched" "$(reg_value "$NETFX" InstallRoot)" 'REG_SZ C:\Windows\Microsoft.NET\Framework64\'
mkdir -p "$WINEPREFIX/drive_c/elsewhere"
cp "$SNAPDIR_UNIX/$(basename "${SNAP//\\//}")" "$WINEPREFIX/drive_c/elsewhere/copy.reg"
scr rollback 'C:\elsewhere\copy.reg' --snapshot-dir "$SNAPS"
expect_rc "W4: rollback of a snapshot outside the folder is refused" "$RC" 5
save_state W4.refused
same_state "W4: the refused rollback wrote nothing" W4.applied W4.refused
# By file name this time (the apply's own path): the second run restores the
# same snapshot again, so it is a no-op too.
common_rollback W4 "$SNAP" --snapshot-dir "$SNAPS"
expect_eq "W4: rollback kept the existing TLS 1.2 key and its value" \
    "$(reg_value "$TLS12C" DisabledByDefault)" "REG_DWORD 0x1"
expect_eq "W4: rollback restored .NET 64-bit 0" "$(reg_value "$NET4" SchUseStrongCrypto /reg:64)" "REG_DWORD 0x0"
save_state W4.p2s.pre
scr apply p2s-vpn --snapshot-dir "$SNAPS"
expect_rc "W4: apply p2s-vpn" "$RC" 194
expect_eq "W4: EAP-TLS TlsVersion" "$(reg_value "$EAP13" TlsVersion)" "REG_DWORD 0xc00"
expect_eq "W4: the other EAP values untouched" "$(key_values "$EAP13" | wc -l)" 6
snap=$(snapshot_of "$OUT")
reg_import "W4: reg import of the p2s-vpn snapshot" "$snap"
remove_created W4 "$(unix_of "$snap")"
save_state W4.p2s.imported
same_state "W4: reg import <snapshot> (and removing the empty keys it leaves) restores the pre-apply exports" W4.p2s.pre W4.p2s.imported

# ---- W5: disable-dhe, local list and policy list ------------------------------
# Lists as reg query prints them: REG_MULTI_SZ "a\0b\0c", the policy
# REG_SZ "a,b,c". KIND is multi or csv.
items() { # KIND DATA: one item a line
    if [ "$1" = multi ]; then printf '%s\n' "$2" | sed 's/\\0/\n/g'; else printf '%s\n' "$2" | tr ',' '\n'; fi
}
# without_dhe KIND DATA: DATA with every TLS_DHE_* removed, order kept
# (computed from what Wine holds, not from the tool).
without_dhe() {
    local sep=','
    [ "$1" = multi ] && sep='\0'
    items "$1" "$2" | grep -v '^TLS_DHE_' |
        SEP=$sep awk 'NR > 1 { printf "%s", ENVIRON["SEP"] } { printf "%s", $0 }'
}
count_items() { items "$1" "$2" | grep -c .; }
count_dhe() { items "$1" "$2" | grep -c '^TLS_DHE_' || true; }

fresh_prefix
SNAPDIR_UNIX=$WINEPREFIX/drive_c/sc-snaps
import_utf16 "$FIX/dhe-local-policy.reg"
local_before=$(reg_value "$LOCAL_SSL" Functions)
policy_before=$(reg_value "$POLICY_SSL" Functions)
curves_before=$(reg_value "${LOCAL_SSL%00010002}00010003" Functions)
ecc_before=$(reg_value "$POLICY_SSL" EccCurves)
local_data=${local_before#REG_MULTI_SZ }
policy_data=${policy_before#REG_SZ }
expect_eq "W5: seeded local list: 32 suites, 9 TLS_DHE_*" \
    "$(count_items multi "$local_data") $(count_dhe multi "$local_data")" "32 9"
expect_eq "W5: seeded policy list: 9 suites, 3 TLS_DHE_*" \
    "$(count_items csv "$policy_data") $(count_dhe csv "$policy_data")" "9 3"
common_apply W5 disable-dhe --snapshot-dir "$SNAPS"
W5_DIFF_REG=$DIFF_REG
for suite in $(items multi "$local_data" | grep '^TLS_DHE_'); do
    expect_contains "W5: diff lists $suite as removed" "$DIFF_OUT" "- $suite"
done
expect_eq "W5: local list: no TLS_DHE_*, the rest in order" "$(reg_value "$LOCAL_SSL" Functions)" \
    "REG_MULTI_SZ $(without_dhe multi "$local_data")"
expect_eq "W5: policy list: no TLS_DHE_*, the rest in order" "$(reg_value "$POLICY_SSL" Functions)" \
    "REG_SZ $(without_dhe csv "$policy_data")"
expect_eq "W5: curve list untouched" "$(reg_value "${LOCAL_SSL%00010002}00010003" Functions)" "$curves_before"
expect_eq "W5: policy EccCurves untouched" "$(reg_value "$POLICY_SSL" EccCurves)" "$ecc_before"
common_rollback W5 --snapshot-dir "$SNAPS"
expect_eq "W5: rollback restored the local list" "$(reg_value "$LOCAL_SSL" Functions)" "$local_before"
expect_eq "W5: rollback restored the policy list" "$(reg_value "$POLICY_SSL" Functions)" "$policy_before"
scr apply disable-dhe --snapshot-dir "$SNAPS"
expect_rc "W5: apply again after rollback" "$RC" 194
save_state W5.applied2
same_state "W5: the same state as the first apply" W5.applied W5.applied2
reg_import "W5: reg import of the snapshot" "$(snapshot_of "$OUT")"
save_state W5.imported
same_state "W5: reg import <snapshot> alone restores the pre-apply exports" W5.pre W5.imported
# Back at the seeded state (checked above), as in a fresh prefix:
reg_import "W5: reg import of diff --format reg" "$(wpath "$W5_DIFF_REG")"
save_state W5.fromreg
same_state "W5: diff --format reg, imported, gives the applied state" W5.applied W5.fromreg

# ---- W6: disable-dhe without a policy list ----------------------------------
fresh_prefix
SNAPDIR_UNIX=$WINEPREFIX/drive_c/sc-snaps
import_utf16 "$FIX/dhe-local-only.reg"
key_gone "W6: no policy key before" "$POLICY_CRYPTO"
local_before=$(reg_value "$LOCAL_SSL" Functions)
common_apply W6 disable-dhe --snapshot-dir "$SNAPS"
expect_eq "W6: local list: no TLS_DHE_*, the rest in order" "$(reg_value "$LOCAL_SSL" Functions)" \
    "REG_MULTI_SZ $(without_dhe multi "${local_before#REG_MULTI_SZ }")"
key_gone "W6: apply did not create the policy key" "$POLICY_CRYPTO"
key_gone "W6: nor HKLM\\SOFTWARE\\Policies\\Microsoft" 'HKLM\SOFTWARE\Policies\Microsoft'
common_rollback W6 --snapshot-dir "$SNAPS"
expect_eq "W6: rollback restored the local list" "$(reg_value "$LOCAL_SSL" Functions)" "$local_before"

finish
