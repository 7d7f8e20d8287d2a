#!/usr/bin/env bash
# Snapshots nobody else can use, and --state files that lose nothing: each
# finding of the adversarial review (issue "Snapshots nobody else can use")
# as a test against the real schannelcfg.exe under Wine, or the native
# binary on state files.
#   F1 a forged snapshot (valid SHA-256, named to sort last, in a folder that
#      existed before) is never restored by an admin's plain `rollback`,
#      is listed INVALID, and an explicit rollback of it is refused (exit 5,
#      naming reg import); a forged HMAC line too.
#   F2 a profile writing EAP\13 "Path" is refused (exit 2, nothing written).
#   F3 a weak snapshot folder (others may write) refuses apply (exit 5, the
#      icacls fix named), and so does a weak key folder; nothing written.
#   F4 --state never creates or uses the machine-wide folder.
#   F5 another machine's snapshot (MachineGuid) is refused unless --force.
#   F6 `reg import SNAPSHOT` keeps a subkey and value made after the apply.
#   F7 two concurrent applies into one snapshot folder keep two snapshots
#      (native: two state files, 5 rounds; Wine: live + a state file).
#   F8 concurrent --state applies of a big state: each exits 5 or its
#      change is present at the end (no lost update).
#   F9 invisible and bidi characters are printed escaped.
#   F10 a profile named "rollback" is undone by rollback (issue "One table,
#      one store": the snapshot kind was guessed from the profile name).
set -euo pipefail
source "$(dirname "$0")/lib_wine.sh"

echo "test_snapshot_security"

# forge FILE ID MACHINE [hmac|format1]: a snapshot for the live registry
# whose id (and name) sorts after any real one, with a correct SHA-256 (or
# a random "HMAC") around a body that enables SSL 2.0, disables TLS 1.2 and
# plants an EAP method DLL and a .NET debugger.
forge() {
    python3 - "$@" <<'PY'
import hashlib, os, sys
path, ident, machine = sys.argv[1:4]
mode = sys.argv[4] if len(sys.argv) > 4 else ""
keyed = mode == "hmac"
HK = "HKEY_LOCAL_MACHINE\\"
SCH = HK + "SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\"
hashed = ("; Restore with: schannelcfg rollback ID   (or: reg import THIS-FILE)\r\n"
          "; format: 2\r\n; id: %s\r\n; kind: apply\r\n; time: 9999-12-31T23:59:59Z\r\n"
          "; profile: azure-mma-tls12\r\n; target: live\r\n; machine: %s\r\n"
          "; allow-any-key: no\r\n; tool: schannelcfg 0.1.0\r\n; values: 4\r\n"
          "; existed-keys: 0\r\n; created-keys: 0\r\n"
          "\r\n[" + SCH + "SSL 2.0\\Server]\r\n\"Enabled\"=dword:00000001\r\n"
          "\r\n[" + SCH + "TLS 1.2\\Server]\r\n\"Enabled\"=dword:00000000\r\n"
          "\r\n[" + HK + "SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13]\r\n"
          "\"Path\"=\"C:\\\\Users\\\\Public\\\\evil.dll\"\r\n"
          "\r\n[" + HK + "SOFTWARE\\Microsoft\\.NETFramework]\r\n"
          "\"DbgManagedDebugger\"=\"C:\\\\Users\\\\Public\\\\evil.exe\"\r\n") % (ident, machine)
if mode == "format1":  # what schannelcfg before format 2 wrote and accepted
    hashed = (hashed.replace("; format: 2", "; format: 1").replace("; kind: apply\r\n", "")
              .replace("; machine: %s\r\n" % machine, "").replace("; allow-any-key: no\r\n", ""))
if keyed:
    line = "; hmac-sha256: " + os.urandom(32).hex()
else:
    line = "; sha256: " + hashlib.sha256(hashed.encode()).hexdigest()
text = ("Windows Registry Editor Version 5.00\r\n\r\n"
        "; schannelcfg snapshot - restores the registry as it was before an apply.\r\n"
        + line + "\r\n" + hashed)
open(path, "wb").write(b"\xff\xfe" + text.encode("utf-16-le"))
PY
}

# nothing_planted WHAT: none of the forged values reached the registry.
nothing_planted() {
    expect_eq "$1: SSL 2.0 Server Enabled" "$(reg_value "$SCH\\Protocols\\SSL 2.0\\Server" Enabled)" ABSENT
    expect_eq "$1: TLS 1.2 Server Enabled" "$(reg_value "$SCH\\Protocols\\TLS 1.2\\Server" Enabled)" ABSENT
    expect_eq "$1: EAP\\13 Path" "$(reg_value "$EAP13" Path)" ABSENT
    expect_eq "$1: .NET DbgManagedDebugger" "$(reg_value "$NETFX" DbgManagedDebugger)" ABSENT
}

native_only=false
if [ ! -f "$EXE" ] || [ ! -f "$WINE_BASE/system.reg" ] || ! command -v wine >/dev/null; then
    echo "  (Wine parts skipped: needs $EXE and the Wine prefix)"
    native_only=true
fi

if ! $native_only; then
    echo "F1 a forged snapshot in a folder that existed before"
    new_prefix
    C=$WINEPREFIX/drive_c
    mkdir -p "$C/ProgramData/schannelcfg/snapshots" # made before any apply
    GUID=$(reg_value "$CRYPTO" MachineGuid | sed 's/^REG_SZ //')
    [ -n "$GUID" ] && [ "$GUID" != ABSENT ] && ok "F1: the prefix has a MachineGuid" ||
        not_ok "F1: no MachineGuid in the prefix"
    RC=0; sc apply azure-mma >/dev/null 2>&1 || RC=$?
    expect_rc "F1: the admin's apply azure-mma" "$RC" 194
    FORGED=99991231T235959Z-9999-azure-mma-tls12
    forge "$C/ProgramData/schannelcfg/snapshots/$FORGED.reg" "$FORGED" "$GUID"
    OLDFORMAT=99991231T235959Z-9998-azure-mma-tls12
    forge "$C/ProgramData/schannelcfg/snapshots/$OLDFORMAT.reg" "$OLDFORMAT" "$GUID" format1
    RC=0; OUT=$(sc snapshots 2>&1) || RC=$?
    expect_contains "F1: snapshots lists the forged file as invalid" "$OUT" "$FORGED.reg"
    expect_contains "F1: ... INVALID" "$(printf '%s\n' "$OUT" | grep -F "$FORGED")" "INVALID (never chosen)"
    expect_contains "F1: ... and the old-format one too" "$(printf '%s\n' "$OUT" | grep -F "$OLDFORMAT")" "INVALID (never chosen)"
    RC=0; OUT=$(sc rollback 2>&1) || RC=$?
    expect_rc "F1: the admin's plain rollback" "$RC" 194
    expect_contains "F1: it restored the admin's own snapshot" "$OUT" "-0001-azure-mma-tls12"
    nothing_planted "F1: after rollback"
    expect_eq "F1: TLS 1.2 Client Enabled is gone again" "$(reg_value "$TLS12C" Enabled)" ABSENT
    RC=0; OUT=$(sc rollback "$FORGED" 2>&1) || RC=$?
    expect_rc "F1: an explicit rollback of the forged snapshot is refused" "$RC" 5
    expect_contains "F1: ... as not authenticated" "$OUT" "not authenticated"
    expect_contains "F1: ... naming reg import as the way by hand" "$OUT" "reg import FILE"
    forge "$C/ProgramData/schannelcfg/snapshots/$FORGED.reg" "$FORGED" "$GUID" hmac
    RC=0; OUT=$(sc rollback "$FORGED" 2>&1) || RC=$?
    expect_rc "F1: a forged HMAC line is refused" "$RC" 5
    expect_contains "F1: ... its HMAC does not verify" "$OUT" "authentication failed"
    nothing_planted "F1: after the refusals"

    echo "F2 a profile writing EAP\\13 Path"
    RC=0; OUT=$(sc apply "$(printf 'Z:%s' "${ROOT//\//\\}")\\tests\\bad-profiles\\59-raw-eap-path.ini" 2>&1) || RC=$?
    expect_rc "F2: apply of a raw EAP\\13 Path is refused" "$RC" 2
    expect_contains "F2: ... not a documented TLS value" "$OUT" "\"Path\" is not a documented TLS value"
    expect_eq "F2: EAP\\13 Path" "$(reg_value "$EAP13" Path)" ABSENT

    echo "F3 weak folders"
    new_prefix
    C=$WINEPREFIX/drive_c
    mkdir -p "$C/ProgramData/schannelcfg/snapshots"
    chmod 0777 "$C/ProgramData/schannelcfg/snapshots" # everyone may write (Wine maps modes to ACLs)
    RC=0; OUT=$(sc apply azure-mma 2>&1) || RC=$?
    expect_rc "F3: apply into a snapshot folder others may write" "$RC" 5
    expect_contains "F3: ... names the folder as not protected" "$OUT" "snapshots is not protected"
    expect_contains "F3: ... gives the icacls fix" "$OUT" "icacls \"C:\\ProgramData\\schannelcfg\\snapshots\" /inheritance:r"
    expect_eq "F3: nothing written" "$(reg_value "$TLS12C" Enabled)" ABSENT
    chmod 0755 "$C/ProgramData/schannelcfg/snapshots"
    chmod 0777 "$C/ProgramData/schannelcfg"
    RC=0; OUT=$(sc apply azure-mma 2>&1) || RC=$?
    expect_rc "F3: apply with a key folder others may write" "$RC" 5
    expect_contains "F3: ... names it" "$OUT" "schannelcfg is not protected"
    expect_eq "F3: nothing written" "$(reg_value "$TLS12C" Enabled)" ABSENT
    [ ! -e "$C/ProgramData/schannelcfg/machine.key" ] && ok "F3: no key was made there" ||
        not_ok "F3: a key was written into a weak folder"
    mkdir -p "$C/weak"
    chmod 0777 "$C/weak"
    chmod 0755 "$C/ProgramData/schannelcfg"
    RC=0; OUT=$(sc apply azure-mma --snapshot-dir 'C:\weak' 2>&1) || RC=$?
    expect_rc "F3: --snapshot-dir a folder others may write" "$RC" 5
    expect_eq "F3: nothing written" "$(reg_value "$TLS12C" Enabled)" ABSENT

    echo "F4 --state keeps away from the machine-wide folder"
    new_prefix
    C=$WINEPREFIX/drive_c
    mkdir -p "$C/st"
    cp "$ROOT/examples/states/ws2008r2.reg" "$C/st/x.reg"
    RC=0; sc apply azure-mma --state 'C:\st\x.reg' >/dev/null 2>&1 || RC=$?
    expect_rc "F4: apply --state" "$RC" 194
    [ ! -e "$C/ProgramData/schannelcfg" ] && ok "F4: no machine-wide folder was made" ||
        not_ok "F4: --state created C:\\ProgramData\\schannelcfg"
    expect_eq "F4: its snapshot is beside the state file" "$(ls "$C/st/x.snapshots" | grep -c '\.reg$')" 1
    RC=0; sc rollback --state 'C:\st\x.reg' >/dev/null 2>&1 || RC=$?
    expect_rc "F4: rollback --state finds it there" "$RC" 194
    REGTOOL=$ROOT/build/host/tests/regtool
    expect_eq "F4: the state file holds what it held before" "$("$REGTOOL" dump "$C/st/x.reg" | md5sum)" \
        "$("$REGTOOL" dump "$ROOT/examples/states/ws2008r2.reg" | md5sum)"

    echo "F5 another machine's snapshot"
    RC=0; sc apply azure-mma >/dev/null 2>&1 || RC=$?
    expect_rc "F5: apply" "$RC" 194
    GUID=$(reg_value "$CRYPTO" MachineGuid | sed 's/^REG_SZ //')
    winreg add "$CRYPTO" /v MachineGuid /t REG_SZ /d 00000000-1111-2222-3333-444444444444 /f >/dev/null
    RC=0; OUT=$(sc rollback 2>&1) || RC=$?
    expect_rc "F5: rollback on a machine with another MachineGuid" "$RC" 5
    expect_contains "F5: ... says so" "$OUT" "was taken on machine $GUID"
    expect_eq "F5: nothing restored" "$(reg_value "$TLS12C" Enabled)" "REG_DWORD 0x1"
    RC=0; sc rollback --force >/dev/null 2>&1 || RC=$?
    expect_rc "F5: --force restores it" "$RC" 194
    expect_eq "F5: restored" "$(reg_value "$TLS12C" Enabled)" ABSENT
    winreg add "$CRYPTO" /v MachineGuid /t REG_SZ /d "$GUID" /f >/dev/null

    echo "F6 reg import keeps what was made after the apply"
    RC=0; OUT=$(sc apply tls12-strict 2>&1) || RC=$?
    expect_rc "F6: apply tls12-strict" "$RC" 194
    SNAP=$(printf '%s\n' "$OUT" | sed -n 's/^  \(C:.*\.reg\)$/\1/p' | tr -d '\r' | head -1)
    LATER="$SCH\\Protocols\\TLS 1.0\\Client\\Later"
    winreg add "$LATER" /v Keep /t REG_DWORD /d 7 /f >/dev/null
    winreg add "$SCH\\Protocols\\TLS 1.0\\Client" /v Note /t REG_SZ /d kept /f >/dev/null
    RC=0; winreg import "$SNAP" >/dev/null || RC=$?
    expect_rc "F6: reg import of the snapshot" "$RC" 0
    expect_eq "F6: the later subkey's value survives" "$(reg_value "$LATER" Keep)" "REG_DWORD 0x7"
    expect_eq "F6: a later value in a created key survives" "$(reg_value "$SCH\\Protocols\\TLS 1.0\\Client" Note)" "REG_SZ kept"
    expect_eq "F6: the apply's own value is gone" "$(reg_value "$SCH\\Protocols\\TLS 1.0\\Client" Enabled)" ABSENT
    if winreg query "$NETFX" >/dev/null 2>&1; then ok "F6: .NETFramework is still there"; else not_ok "F6: .NETFramework was deleted"; fi

    echo "F7 live + a state file, at once, into one folder"
    new_prefix
    C=$WINEPREFIX/drive_c
    mkdir -p "$C/st"
    cp "$ROOT/examples/states/ws2008r2.reg" "$C/st/x.reg"
    sc apply azure-mma --snapshot-dir 'C:\shared' >/dev/null 2>&1 || true # makes the key and folder
    sc rollback --snapshot-dir 'C:\shared' >/dev/null 2>&1 || true
    rm -f "$C/shared"/*.reg
    export SCHANNELCFG_FAKE_TIME=1700000000 # the same second: the same first id
    wine "$EXE" apply p2s-vpn --snapshot-dir 'C:\shared' >"$TMP/f7a.out" 2>&1 </dev/null &
    wine "$EXE" apply p2s-vpn --state 'C:\st\x.reg' --snapshot-dir 'C:\shared' >"$TMP/f7b.out" 2>&1 </dev/null &
    wait
    unset SCHANNELCFG_FAKE_TIME
    expect_eq "F7: two snapshots in the shared folder" "$(ls "$C/shared" | grep -c '\.reg$')" 2
fi

echo "F7 native: two state files, one snapshot folder, at once (5 rounds)"
kept=0
for round in 1 2 3 4 5; do
    d=$TMP/f7-$round
    mkdir -p "$d"
    cp "$ROOT/examples/states/ws2016-gpo.reg" "$d/a.reg"
    cp "$ROOT/examples/states/ws2008r2.reg" "$d/b.reg"
    SCHANNELCFG_FAKE_TIME=1700000000 "$HOSTBIN" apply azure-mma --state "$d/a.reg" --snapshot-dir "$d/snaps" >/dev/null 2>&1 &
    SCHANNELCFG_FAKE_TIME=1700000000 "$HOSTBIN" apply azure-mma --state "$d/b.reg" --snapshot-dir "$d/snaps" >/dev/null 2>&1 &
    wait
    [ "$(ls "$d/snaps" | grep -c '\.reg$')" -eq 2 ] && kept=$((kept + 1))
done
expect_eq "F7: both snapshots kept, every round" "$kept" 5

echo "F8 concurrent --state applies on a big state file"
BIG=$TMP/big.reg
python3 - "$ROOT/examples/states/ws2016-gpo.reg" "$BIG" <<'PY'
import sys
src, dst = sys.argv[1:3]
data = open(src, "rb").read()
text = data[2:].decode("utf-16-le") if data[:2] == b"\xff\xfe" else data.decode("utf-8-sig")
filler = "".join("\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Filler\\K%06d]\r\n\"V\"=\"%s\"\r\n" % (i, "x" * 120)
                 for i in range(120000))
open(dst, "w", encoding="utf-8", newline="").write(text.rstrip("\r\n") + "\r\n" + filler)
PY
lost=0 ok_rounds=0 refused=0
for delay in 0 0.05 0.1 0.2 0.3 0.5 0.8; do
    S=$TMP/f8-$delay.reg
    cp "$BIG" "$S"
    RA=0 RB=0
    "$HOSTBIN" apply azure-mma --state "$S" --snapshot-dir "$TMP/f8-snaps" >/dev/null 2>&1 &
    pa=$!
    sleep "$delay"
    "$HOSTBIN" apply p2s-vpn --state "$S" --snapshot-dir "$TMP/f8-snaps" >/dev/null 2>&1 &
    pb=$!
    wait "$pa" || RA=$?
    wait "$pb" || RB=$?
    good=true
    for pair in "azure-mma:$RA" "p2s-vpn:$RB"; do
        p=${pair%%:*} rc=${pair##*:}
        case $rc in
        5) refused=$((refused + 1)) ;;
        194) "$HOSTBIN" check "$p" --state "$S" >/dev/null 2>&1 || { good=false; lost=$((lost + 1)); } ;;
        *) good=false; echo "       | delay $delay: $p exited $rc" ;;
        esac
    done
    $good && ok_rounds=$((ok_rounds + 1))
done
echo "  (7 rounds: $refused applies refused as busy, the others applied)"
expect_eq "F8: no change lost at any delay (each exit 5 or present at the end)" "$lost" 0
expect_eq "F8: every round ended well" "$ok_rounds" 7

echo "F10 a profile named \"rollback\" is an apply like any other"
# Its snapshot's kind is in the hashed header (kind: apply), not guessed
# from the profile name: `rollback` undoes it, not the apply before it.
S=$TMP/f10.reg
cp "$ROOT/examples/states/ws2008r2.reg" "$S"
printf '[profile]\nname    = rollback\nsummary = a profile that happens to be called rollback\n\n[protocol "TLS 1.0"]\nserver = disabled\n' >"$TMP/rollback.ini"
"$HOSTBIN" apply azure-mma --state "$S" --snapshot-dir "$TMP/f10-snaps" >/dev/null 2>&1 || true
SCHANNELCFG_FAKE_TIME=$(($(date +%s) + 5)) "$HOSTBIN" apply "$TMP/rollback.ini" --state "$S" --snapshot-dir "$TMP/f10-snaps" >/dev/null 2>&1 || true
RC=0; SCHANNELCFG_FAKE_TIME=$(($(date +%s) + 10)) "$HOSTBIN" rollback --state "$S" --snapshot-dir "$TMP/f10-snaps" >/dev/null 2>&1 || RC=$?
expect_rc "F10: rollback" "$RC" 194
RC=0; "$HOSTBIN" check azure-mma --state "$S" >/dev/null 2>&1 || RC=$?
expect_rc "F10: azure-mma is still applied" "$RC" 0
RC=0; "$HOSTBIN" check "$TMP/rollback.ini" --state "$S" >/dev/null 2>&1 || RC=$?
expect_rc "F10: the profile called rollback was undone" "$RC" 1

echo "F9 invisible and bidi characters are printed escaped"
B=$TMP/bidi.reg
printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\xe2\x80\xae\\Client]\r\n"Enabled"=dword:00000001\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Ciphers\\RC4 128\xe2\x80\x8b/128]\r\n"Enabled"=dword:00000001\r\n' >"$B"
OUT=$("$HOSTBIN" capture --state "$B" 2>&1 || true)
expect_contains "F9: U+202E (right-to-left override) shown as \\u202e" "$OUT" 'TLS 1.2\u202e\Client'
expect_contains "F9: U+200B (zero-width space) shown as \\u200b" "$OUT" 'RC4 128\u200b/128'
if printf '%s' "$OUT" | grep -q $'\xe2\x80\xae\|\xe2\x80\x8b'; then
    not_ok "F9: a raw bidi or zero-width character reached the output"
else
    ok "F9: no raw bidi or zero-width character in the output"
fi

finish
