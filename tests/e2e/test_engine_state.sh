#!/usr/bin/env bash
# The engine natively, on .reg state files (build/host/schannelcfg --state):
#   S1-S6 azure-mma / p2s-vpn on an empty registry and on a Windows 7-like
#      one (UTF-8 and UTF-16LE files), disable-dhe with and without a policy
#      list: diff and check never write; apply exits 3010 with the right
#      values; a second apply leaves the file untouched (same inode, same
#      mtime, same bytes); rollback restores the canonical dump exactly and
#      a second rollback is a no-op; `diff --format reg` appended to the
#      original gives the applied registry, the snapshot appended to the
#      applied one gives the original (what reg import would do).
#   R1-R7 refusals, each leaving the state file untouched: apply while the
#      lock is held (5), a tampered snapshot (5), a snapshot outside the
#      snapshot folder (5; --force restores it), a snapshot of another state
#      file (5), a bad profile (2, "file:line:"), a missing profile (2), a
#      malformed state file (2, "file:line:").
# Registries are compared as `regtool dump` output (canonical, every byte of
# every value), never as the tool's own output.
. "$(dirname "$0")/lib.sh"

FIX=$ROOT/tests/fixtures/e2e
REGTOOL=${REGTOOL:-$ROOT/build/host/tests/regtool}
if [ ! -x "$REGTOOL" ]; then
    make -s -C "$ROOT" build/host/tests/regtool >/dev/null
fi

P_TLS12C='SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client'
P_NET4='SOFTWARE\Microsoft\.NETFramework\v4.0.30319'
P_NET4_32='SOFTWARE\Wow6432Node\Microsoft\.NETFramework\v4.0.30319'
P_WINHTTP='SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp'
P_WINHTTP_32='SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings\WinHttp'
P_EAP13='SYSTEM\CurrentControlSet\Services\RasMan\PPP\EAP\13'
P_LOCAL='SYSTEM\CurrentControlSet\Control\Cryptography\Configuration\Local\SSL\00010002'
P_POLICY='SOFTWARE\Policies\Microsoft\Cryptography\Configuration\SSL\00010002'

# run ARGS...: the native tool; OUT gets stdout+stderr, RC the exit code.
run() {
    RC=0
    OUT=$("$HOSTBIN" "$@" 2>&1) || RC=$?
}

# dump FILE [KEY]: canonical dump, or why there is none.
dump() { "$REGTOOL" dump "$@" 2>&1 || echo "regtool dump failed (exit $?)"; }

# val FILE KEY NAME: "TYPE:HEX" of one value (KEY's own values only), or ABSENT.
val() {
    dump "$1" "$2" | KEY="[$2]" NAME="\"$3\"" awk '
        /^\[/ { inkey = ($0 == ENVIRON["KEY"]); next }
        inkey && index($0, "  " ENVIRON["NAME"] " ") == 1 { sub(/^  "[^"]*" /, ""); print; found = 1; exit }
        END { if (!found) print "ABSENT" }'
}

# has_key FILE KEY: yes/no.
has_key() { if dump "$1" | grep -qxF "[$2]"; then echo yes; else echo no; fi; }

# UTF-16LE hex of ASCII text, as dump prints string data.
hex16() { printf '%s' "$1" | iconv -f UTF-8 -t UTF-16LE | od -An -tx1 | tr -d ' \n'; }
dword_hex() { printf '%02x%02x%02x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }

# stamp FILE: inode, size, mtime in ns (a rewrite changes at least one).
stamp() { stat -c '%i %s %.9Y' "$1"; }

same_dump() { # WHAT FILE-A FILE-B
    local a b
    a=$(dump "$2")
    b=$(dump "$3")
    if [ "$a" = "$b" ]; then
        ok "$1"
    else
        not_ok "$1: dumps differ"
        diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | cut -c1-160 | head -20 | sed 's/^/       | /' || true
    fi
}

untouched() { # WHAT FILE COPY STAMP
    if cmp -s "$2" "$3" && [ "$(stamp "$2")" = "$4" ]; then
        ok "$1"
    else
        not_ok "$1: the file was rewritten or changed"
    fi
}

json_ok() { # WHAT TEXT
    if printf '%s' "$2" | python3 -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null; then
        ok "$1"
    else
        not_ok "$1: not JSON"
        printf '%s\n' "$2" | head -5 | sed 's/^/       | /'
    fi
}

snapshot_of() {
    printf '%s\n' "$1" | awk '/^Snapshot .* written before the change:/ { getline; sub(/^ +/, ""); print; exit }'
}

count_snaps() { find "$1" -maxdepth 1 -name '*.reg' 2>/dev/null | wc -l; }

# as_utf8 FILE: a .reg file's text (UTF-16LE with BOM or UTF-8), BOM-less UTF-8.
as_utf8() {
    if [ "$(head -c 2 "$1" | od -An -tx1 | tr -d ' ')" = fffe ]; then
        tail -c +3 "$1" | iconv -f UTF-16LE -t UTF-8
    else
        sed '1s/^\xef\xbb\xbf//' "$1"
    fi
}

# overlay OUT BASE PATCH: BASE's records, then PATCH's (its header line
# dropped), in one file: what `reg import PATCH` does to BASE.
overlay() {
    { as_utf8 "$2"; printf '\r\n'; as_utf8 "$3" | tail -n +2; } >"$1"
}

# scenario NAME PROFILE FIXTURE [utf16]: the whole cycle on a copy of
# FIXTURE. Leaves S (state file), SNAPS, ORIG (copy of the original),
# APPLIED (copy after apply).
scenario() {
    local name=$1 profile=$2 fixture=$3 st
    S=$TMP/$name/state.reg
    SNAPS=$TMP/$name/snaps
    ORIG=$TMP/$name/orig.reg
    APPLIED=$TMP/$name/applied.reg
    mkdir -p "$TMP/$name"
    if [ "${4:-}" = utf16 ]; then
        { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$fixture"; } >"$S"
    else
        cp "$fixture" "$S"
    fi
    cp "$S" "$ORIG"
    st=$(stamp "$S")

    run check "$profile" --state "$S"
    expect_rc "$name: check before apply reports drift" "$RC" 1
    run diff "$profile" --state "$S"
    expect_rc "$name: diff" "$RC" 0
    DIFF_OUT=$OUT
    expect_contains "$name: diff names the changes" "$OUT" "to change"
    run diff "$profile" --state "$S" --format json
    json_ok "$name: diff --format json parses" "$OUT"
    RC=0
    "$HOSTBIN" diff "$profile" --state "$S" --format reg >"$TMP/$name/diff.reg" 2>"$TMP/$name/diff.err" || RC=$?
    expect_rc "$name: diff --format reg" "$RC" 0
    untouched "$name: diff and check leave the file untouched" "$S" "$ORIG" "$st"

    run apply "$profile" --state "$S" --snapshot-dir "$SNAPS"
    expect_rc "$name: apply exits 3010" "$RC" 194
    SNAP=$(snapshot_of "$OUT")
    if [ -n "$SNAP" ] && [ -f "$SNAP" ]; then ok "$name: the snapshot exists"; else not_ok "$name: no snapshot file [$SNAP]"; fi
    expect_eq "$name: one snapshot" "$(count_snaps "$SNAPS")" 1
    if [ "$(dump "$S")" != "$(dump "$ORIG")" ]; then ok "$name: apply changed the registry"; else not_ok "$name: apply changed nothing"; fi
    cp -p "$S" "$APPLIED"

    run check "$profile" --state "$S"
    expect_rc "$name: check after apply" "$RC" 0
    st=$(stamp "$S")
    files_before=$(ls -A "$(dirname "$S")")
    run apply "$profile" --state "$S" --snapshot-dir "$SNAPS"
    expect_rc "$name: second apply" "$RC" 0
    expect_eq "$name: second apply creates no file (not even a lock file)" \
        "$(ls -A "$(dirname "$S")")" "$files_before"
    expect_contains "$name: second apply says so" "$OUT" "Nothing to do"
    untouched "$name: second apply leaves the file untouched" "$S" "$APPLIED" "$st"
    expect_eq "$name: second apply writes no snapshot" "$(count_snaps "$SNAPS")" 1

    run snapshots --snapshot-dir "$SNAPS"
    expect_contains "$name: snapshots lists it" "$OUT" "$(basename "$SNAP" .reg)"
    run snapshots --snapshot-dir "$SNAPS" --format json
    json_ok "$name: snapshots --format json parses" "$OUT"

    overlay "$TMP/$name/orig+diff.reg" "$ORIG" "$TMP/$name/diff.reg"
    same_dump "$name: the original + diff --format reg == the applied registry" \
        "$TMP/$name/orig+diff.reg" "$APPLIED"

    run rollback --state "$S" --snapshot-dir "$SNAPS"
    expect_rc "$name: rollback exits 3010" "$RC" 194
    same_dump "$name: rollback restores the original exactly" "$S" "$ORIG"
    st=$(stamp "$S")
    cp -p "$S" "$TMP/$name/rolledback.reg"
    run rollback --state "$S" --snapshot-dir "$SNAPS"
    expect_rc "$name: second rollback is a no-op" "$RC" 0
    expect_contains "$name: second rollback says so" "$OUT" "Nothing to do"
    untouched "$name: second rollback leaves the file untouched" "$S" "$TMP/$name/rolledback.reg" "$st"
    run check "$profile" --state "$S"
    expect_rc "$name: check after rollback reports drift again" "$RC" 1
}

# reg_import_restores NAME: the snapshot over the applied registry gives the
# original (the snapshot body alone, as reg import would apply it).
# without_empty_keys FILE: the dump less the keys that hold no value and
# have no subkey, repeatedly (what rollback removes and reg import leaves).
without_empty_keys() {
    dump "$1" | awk '
        /^\[/ { keys[++n] = $0; next }
        { vals[n] = vals[n] $0 "\n"; hasval[n] = 1 }
        END {
            for (i = 1; i <= n; i++) { k = substr(keys[i], 2, length(keys[i]) - 2); path[i] = k }
            for (i = 1; i <= n; i++) {
                keep = hasval[i]
                for (j = 1; j <= n && !keep; j++)
                    if (hasval[j] && index(path[j], path[i] "\\") == 1) keep = 1
                if (keep) printf "%s\n%s", keys[i], vals[i]
            }
        }'
}

# reg import of a snapshot: every value as it was; it deletes no key (the
# snapshot has no [-KEY] line), so the keys the apply created stay, empty.
reg_import_restores() {
    local a b
    overlay "$TMP/$1/applied+snap.reg" "$APPLIED" "$SNAP"
    a=$(without_empty_keys "$TMP/$1/applied+snap.reg")
    b=$(without_empty_keys "$ORIG")
    if [ "$a" = "$b" ]; then
        ok "$1: the applied registry + the snapshot (reg import) == the original (but empty keys)"
    else
        not_ok "$1: reg import of the snapshot did not restore the values"
        diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | cut -c1-160 | head -20 | sed 's/^/       | /' || true
    fi
    if as_utf8 "$SNAP" | grep -q '^\[-'; then
        not_ok "$1: the snapshot has a [-KEY] line (reg import would delete a subtree)"
    else
        ok "$1: the snapshot has no [-KEY] line"
    fi
}

echo "test_engine_state"
EMPTY=$TMP/empty.reg
printf 'Windows Registry Editor Version 5.00\r\n' >"$EMPTY"

# ---- S1: azure-mma, empty registry: every key created, then removed ----------
scenario S1 azure-mma "$EMPTY"
expect_eq "S1: applied: TLS 1.2 Client Enabled" "$(val "$APPLIED" "$P_TLS12C" Enabled)" "REG_DWORD:$(dword_hex 1)"
expect_eq "S1: applied: DisabledByDefault" "$(val "$APPLIED" "$P_TLS12C" DisabledByDefault)" "REG_DWORD:$(dword_hex 0)"
expect_eq "S1: applied: .NET 64-bit" "$(val "$APPLIED" "$P_NET4" SchUseStrongCrypto)" "REG_DWORD:$(dword_hex 1)"
expect_eq "S1: applied: .NET 32-bit (Wow6432Node)" "$(val "$APPLIED" "$P_NET4_32" SchUseStrongCrypto)" "REG_DWORD:$(dword_hex 1)"
expect_eq "S1: applied: 4 values in all" "$(dump "$APPLIED" | grep -c '^  ')" 4
expect_eq "S1: rolled back: no key left" "$(dump "$S" | grep -c .)" 0
# (No reg import check here: the snapshot cannot delete [SOFTWARE] and the
# other keys above the TLS roots, which exist on every Windows anyway.)

# ---- S2: azure-mma, Windows 7-like registry (UTF-8 file): existing values ----
scenario S2 azure-mma "$FIX/win7-sp1.reg"
expect_contains "S2: the diff shows DisabledByDefault 1 -> 0" "$DIFF_OUT" \
    "REG_DWORD 0x00000001 (1) → REG_DWORD 0x00000000 (0)"
expect_eq "S2: applied: DisabledByDefault 1 -> 0" "$(val "$APPLIED" "$P_TLS12C" DisabledByDefault)" "REG_DWORD:$(dword_hex 0)"
expect_eq "S2: applied: Enabled added" "$(val "$APPLIED" "$P_TLS12C" Enabled)" "REG_DWORD:$(dword_hex 1)"
expect_eq "S2: applied: .NET 64-bit 0 -> 1" "$(val "$APPLIED" "$P_NET4" SchUseStrongCrypto)" "REG_DWORD:$(dword_hex 1)"
expect_eq "S2: applied: .NET 32-bit added" "$(val "$APPLIED" "$P_NET4_32" SchUseStrongCrypto)" "REG_DWORD:$(dword_hex 1)"
expect_eq "S2: applied: exactly 2 more values than before (2 changed, 2 added)" \
    "$(($(dump "$APPLIED" | grep -c '^  ') - $(dump "$ORIG" | grep -c '^  ')))" 2
reg_import_restores S2
S2_SNAPS=$SNAPS S2_SNAP=$SNAP

# ---- S3: p2s-vpn, empty registry: keys above the TLS roots too ---------------
scenario S3 p2s-vpn "$EMPTY"
expect_eq "S3: applied: WinHTTP 64-bit" "$(val "$APPLIED" "$P_WINHTTP" DefaultSecureProtocols)" "REG_DWORD:$(dword_hex 0xaa0)"
expect_eq "S3: applied: WinHTTP 32-bit (Wow6432Node)" "$(val "$APPLIED" "$P_WINHTTP_32" DefaultSecureProtocols)" "REG_DWORD:$(dword_hex 0xaa0)"
expect_eq "S3: applied: EAP-TLS TlsVersion" "$(val "$APPLIED" "$P_EAP13" TlsVersion)" "REG_DWORD:$(dword_hex 0xc00)"
expect_eq "S3: rolled back: RasMan is gone" "$(has_key "$S" 'SYSTEM\CurrentControlSet\Services\RasMan')" no

# ---- S4: p2s-vpn, Windows 7-like registry as a UTF-16LE file -----------------
scenario S4 p2s-vpn "$FIX/win7-sp1.reg" utf16
expect_eq "S4: applied: EAP-TLS TlsVersion" "$(val "$APPLIED" "$P_EAP13" TlsVersion)" "REG_DWORD:$(dword_hex 0xc00)"
expect_eq "S4: applied: EAP Path kept" "$(val "$APPLIED" "$P_EAP13" Path)" \
    "REG_EXPAND_SZ:$(hex16 '%SystemRoot%\System32\rastls.dll')0000"
expect_eq "S4: applied: WinHTTP 32-bit" "$(val "$APPLIED" "$P_WINHTTP_32" DefaultSecureProtocols)" "REG_DWORD:$(dword_hex 0xaa0)"
reg_import_restores S4

# ---- S5: disable-dhe, local list + policy list -------------------------------
# multi_hex "a b c": REG_MULTI_SZ data as dump prints it.
multi_hex() {
    local s out=""
    for s in $1; do out+="$(hex16 "$s")0000"; done
    printf '%s0000' "$out"
}
# The fixture's lists, from the fixture itself (the commented copy of the
# local list, and the policy REG_SZ line), not from the tool.
local_list=$(tr -d '\r' <"$FIX/dhe-local-policy.reg" | sed -n 's/^; *[0-9][0-9]* \(TLS_[A-Z0-9_]*\)$/\1/p')
policy_list=$(tr -d '\r' <"$FIX/dhe-local-policy.reg" | sed -n 's/^"Functions"="\(.*\)"$/\1/p')
expect_eq "S5: the fixture's comment matches its local list" \
    "$(val "$FIX/dhe-local-policy.reg" "$P_LOCAL" Functions)" "REG_MULTI_SZ:$(multi_hex "$local_list")"
scenario S5 disable-dhe "$FIX/dhe-local-policy.reg"
for suite in $(printf '%s\n' "$local_list" | grep '^TLS_DHE_'); do
    expect_contains "S5: diff lists $suite as removed" "$DIFF_OUT" "- $suite"
done
expect_eq "S5: local list: no TLS_DHE_*, the rest in order" "$(val "$APPLIED" "$P_LOCAL" Functions)" \
    "REG_MULTI_SZ:$(multi_hex "$(printf '%s\n' "$local_list" | grep -v '^TLS_DHE_')")"
expect_eq "S5: policy list: no TLS_DHE_*, the rest in order" "$(val "$APPLIED" "$P_POLICY" Functions)" \
    "REG_SZ:$(hex16 "$(printf '%s' "$policy_list" | tr ',' '\n' | grep -v '^TLS_DHE_' | paste -sd,)")0000"
expect_eq "S5: policy EccCurves untouched" "$(val "$APPLIED" "$P_POLICY" EccCurves)" "$(val "$ORIG" "$P_POLICY" EccCurves)"
reg_import_restores S5

# ---- S6: disable-dhe, no policy list: it is not created ----------------------
scenario S6 disable-dhe "$FIX/dhe-local-only.reg"
expect_eq "S6: local list: no TLS_DHE_*, the rest in order" "$(val "$APPLIED" "$P_LOCAL" Functions)" \
    "REG_MULTI_SZ:$(multi_hex "$(printf '%s\n' "$local_list" | grep -v '^TLS_DHE_')")"
expect_eq "S6: no policy key created" "$(has_key "$APPLIED" 'SOFTWARE\Policies')" no
expect_eq "S6: applied: the same keys as before" "$(dump "$APPLIED" | grep '^\[')" "$(dump "$ORIG" | grep '^\[')"

# ---- refusals -----------------------------------------------------------------
# A fresh Windows 7-like state to refuse things on.
R=$TMP/refuse
mkdir -p "$R"
cp "$FIX/win7-sp1.reg" "$R/state.reg"
cp "$R/state.reg" "$R/orig.reg"
st=$(stamp "$R/state.reg")

# R1: the apply lock (a flock on the state file itself, so that taking it
# writes nothing, and only who may open the file can hold it) is held by
# someone else (flock -o: the lock belongs to flock itself, released when
# its 2 s sleep ends).
flock -o "$R/state.reg" sleep 2 &
holder=$!
for _ in $(seq 50); do
    flock -n "$R/state.reg" true 2>/dev/null || break
    sleep 0.05
done
run apply azure-mma --state "$R/state.reg" --snapshot-dir "$R/snaps"
expect_rc "R1: apply while the lock is held is refused" "$RC" 5
expect_contains "R1: says another apply is running" "$OUT" "another schannelcfg apply or rollback is running"
run rollback --state "$R/state.reg" --snapshot-dir "$R/snaps"
expect_rc "R1: so is rollback" "$RC" 5
wait "$holder" || true
untouched "R1: the state file is untouched" "$R/state.reg" "$R/orig.reg" "$st"
expect_eq "R1: no snapshot written" "$(count_snaps "$R/snaps")" 0
run apply azure-mma --state "$R/state.reg" --snapshot-dir "$R/snaps"
expect_rc "R1: once the lock is free, apply works" "$RC" 194
R_SNAP=$(snapshot_of "$OUT")
if [ -z "$R_SNAP" ] || [ ! -f "$R_SNAP" ]; then
    not_ok "R1: no snapshot to go on with"
    finish
    exit 1
fi
cp -p "$R/state.reg" "$R/applied.reg"
st=$(stamp "$R/state.reg")

# R2: a tampered snapshot (one DWORD changed, file otherwise intact).
cp -p "$R_SNAP" "$R/good-snapshot.reg"
as_utf8 "$R_SNAP" | sed 's/^"DisabledByDefault"=dword:00000001/"DisabledByDefault"=dword:00000000/' |
    { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE; } >"$R/tampered.reg"
if cmp -s "$R/tampered.reg" "$R/good-snapshot.reg"; then
    not_ok "R2: the tampering changed nothing (test broken)"
else
    cp "$R/tampered.reg" "$R_SNAP"
    run rollback "$(basename "$R_SNAP" .reg)" --state "$R/state.reg" --snapshot-dir "$R/snaps"
    expect_rc "R2: rollback of a tampered snapshot is refused" "$RC" 5
    expect_contains "R2: says why" "$OUT" "integrity check failed"
    untouched "R2: the state file is untouched" "$R/state.reg" "$R/applied.reg" "$st"
    run rollback --state "$R/state.reg" --snapshot-dir "$R/snaps"
    expect_rc "R2: rollback (latest) skips the tampered snapshot and finds none" "$RC" 5
    untouched "R2: still untouched" "$R/state.reg" "$R/applied.reg" "$st"
    cp -p "$R/good-snapshot.reg" "$R_SNAP"
fi

# R3: a snapshot outside the snapshot folder.
mkdir -p "$R/elsewhere"
COPY=$R/elsewhere/$(basename "$R_SNAP") # a snapshot's name is its id
cp "$R_SNAP" "$COPY"
run rollback "$COPY" --state "$R/state.reg" --snapshot-dir "$R/snaps"
expect_rc "R3: rollback of a snapshot outside the folder is refused" "$RC" 5
expect_contains "R3: says why" "$OUT" "not inside the snapshot folder"
untouched "R3: the state file is untouched" "$R/state.reg" "$R/applied.reg" "$st"
run rollback "$COPY" --state "$R/state.reg" --snapshot-dir "$R/snaps" --force
expect_rc "R3: --force restores it" "$RC" 194
same_dump "R3: --force restored the original exactly" "$R/state.reg" "$R/orig.reg"

# R4: a snapshot of another state file (S2's, in its own folder).
cp -p "$R/state.reg" "$R/restored.reg"
st=$(stamp "$R/state.reg")
run rollback "$S2_SNAP" --state "$R/state.reg" --snapshot-dir "$S2_SNAPS"
expect_rc "R4: rollback of another state file's snapshot is refused" "$RC" 5
expect_contains "R4: says why" "$OUT" "was taken of"
untouched "R4: the state file is untouched" "$R/state.reg" "$R/restored.reg" "$st"

# R5: a bad profile: every error as file:line, exit 2, nothing written.
cat >"$R/bad.ini" <<'EOF'
[profile]
name = bad
summary = two mistakes

[protocol "TLS 1.2"]
client = enabled
bogus = 1

[protocol "TLS 9.9"]
client = enabled
EOF
run apply "$R/bad.ini" --state "$R/state.reg" --snapshot-dir "$R/snaps"
expect_rc "R5: apply of a bad profile" "$RC" 2
expect_contains "R5: the unknown key, as file:line:" "$OUT" "bad.ini:7:"
expect_contains "R5: the unknown protocol, as file:line:" "$OUT" "bad.ini:9:"
untouched "R5: the state file is untouched" "$R/state.reg" "$R/restored.reg" "$st"
before=$(count_snaps "$R/snaps")
run apply "$R/missing.ini" --state "$R/state.reg" --snapshot-dir "$R/snaps"
expect_rc "R6: apply of a missing profile" "$RC" 2
expect_contains "R6: names the file" "$OUT" "missing.ini"
untouched "R6: the state file is untouched" "$R/state.reg" "$R/restored.reg" "$st"
expect_eq "R5/R6: no snapshot written" "$(count_snaps "$R/snaps")" "$before"

# R7: a malformed state file.
printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\x]\r\n"a"=dword:zz\r\n' >"$R/broken.reg"
cp -p "$R/broken.reg" "$R/broken.orig"
st=$(stamp "$R/broken.reg")
run apply azure-mma --state "$R/broken.reg" --snapshot-dir "$R/snaps"
expect_rc "R7: apply on a malformed state file" "$RC" 2
expect_contains "R7: as file:line:" "$OUT" "broken.reg:4:"
untouched "R7: the file is untouched" "$R/broken.reg" "$R/broken.orig" "$st"

finish
