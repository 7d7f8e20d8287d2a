#!/usr/bin/env bash
# State files keep what they were (security review), natively with
# build/host/schannelcfg --state:
#   B1 a 40 MB UTF-8 state: apply azure-mma (3010), then diff/check/rollback
#      still read it, it stays UTF-8 without BOM and under the size limit,
#      and rollback gives back exactly the original registry.
#   E1 encodings: UTF-16LE stays UTF-16LE, UTF-8 with BOM keeps it, LF line
#      ends stay LF.
#   L1 a symlinked state stays a symlink; its target gets the new content.
#   M1 mode 0600 stays 0600.
#   F1 a FIFO as --state, as the profile or as a profile include is refused
#      at once (exit 2, "not a regular file"), never read.
# Registries are compared as `regtool dump` output.
. "$(dirname "$0")/lib.sh"

REGTOOL=${REGTOOL:-$(dirname "$HOSTBIN")/tests/regtool}
if [ ! -x "$REGTOOL" ]; then
    make -s -C "$ROOT" build/host/tests/regtool >/dev/null
    REGTOOL=$ROOT/build/host/tests/regtool
fi
SNAPS=$TMP/snaps
SCH='HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL'

# run ARGS...: the native tool; OUT gets stdout+stderr, RC the exit code.
run() {
    RC=0
    OUT=$("$HOSTBIN" "$@" 2>&1) || RC=$?
}

first_hex() { head -c "$2" "$1" | od -An -tx1 | tr -d ' \n'; }

# small_state FILE: a Windows 7-like state as UTF-8 without BOM, CRLF.
small_state() {
    tail -c +3 "$ROOT/examples/states/ws2008r2.reg" | iconv -f UTF-16LE -t UTF-8 >"$1"
}

# big_state FILE MB: small_state plus MB megabytes of keys under SCHANNEL.
big_state() {
    small_state "$1"
    awk -v mb="$2" -v sch="$SCH" 'BEGIN {
        target = mb * 1024 * 1024; size = 0
        for (n = 0; size < target; n++) {
            s = sprintf("[%s\\Bench\\Key%07d]\r\n\"Enabled\"=dword:00000001\r\n\"Name\"=\"bench value %d\"\r\n\"Blob\"=hex:01,02,03,04,05,06,07,08\r\n\r\n", sch, n, n)
            printf "%s", s; size += length(s)
        }
    }' >>"$1"
}

echo "== B1: a 40 MB UTF-8 state file"
BIG=$TMP/big.reg
big_state "$BIG" 40
"$REGTOOL" dump "$BIG" >"$TMP/big.before"
run apply azure-mma --state "$BIG" --snapshot-dir "$SNAPS"
expect_rc "B1: apply" "$RC" 194
expect_eq "B1: still UTF-8 without BOM" "$(first_hex "$BIG" 7)" "$(printf Windows | od -An -tx1 | tr -d ' \n')"
size=$(stat -c %s "$BIG")
if [ "$size" -lt 67108864 ]; then ok "B1: $size bytes, under the limit"; else not_ok "B1: $size bytes"; fi
run diff azure-mma --state "$BIG"
expect_rc "B1: diff reads it" "$RC" 0
expect_contains "B1: diff: nothing to change" "$OUT" "nothing to change"
run check azure-mma --state "$BIG"
expect_rc "B1: check: compliant" "$RC" 0
run rollback --state "$BIG" --snapshot-dir "$SNAPS"
expect_rc "B1: rollback" "$RC" 194
expect_eq "B1: still UTF-8 after rollback" "$(first_hex "$BIG" 3)" "57696e"
if cmp -s "$TMP/big.before" <("$REGTOOL" dump "$BIG"); then
    ok "B1: rollback restored the original registry"
else
    not_ok "B1: the registry after rollback differs from the original"
fi
rm -f "$BIG" "$TMP/big.before"

echo "== E1: encodings and line ends"
S=$TMP/e.reg
small_state "$TMP/u8.reg"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$TMP/u8.reg"; } >"$S"
run apply azure-mma --state "$S" --snapshot-dir "$SNAPS"
expect_rc "E1: apply to UTF-16LE" "$RC" 194
expect_eq "E1: UTF-16LE stays UTF-16LE" "$(first_hex "$S" 4)" "fffe5700"
{ printf '\xef\xbb\xbf'; cat "$TMP/u8.reg"; } >"$S"
run apply azure-mma --state "$S" --snapshot-dir "$SNAPS"
expect_rc "E1: apply to UTF-8 with BOM" "$RC" 194
expect_eq "E1: the BOM stays" "$(first_hex "$S" 4)" "efbbbf57"
tr -d '\r' <"$TMP/u8.reg" >"$S"
run apply azure-mma --state "$S" --snapshot-dir "$SNAPS"
expect_rc "E1: apply to UTF-8 with LF" "$RC" 194
expect_eq "E1: LF stays LF (no CR)" "$(tr -cd '\r' <"$S" | wc -c)" 0
expect_eq "E1: ...and no BOM" "$(first_hex "$S" 3)" "57696e"

echo "== L1: a symlinked state file"
mkdir -p "$TMP/real"
small_state "$TMP/real/state.reg"
ln -s real/state.reg "$TMP/link.reg"
run apply azure-mma --state "$TMP/link.reg" --snapshot-dir "$SNAPS"
expect_rc "L1: apply through the link" "$RC" 194
if [ -L "$TMP/link.reg" ]; then ok "L1: the link stays a link"; else not_ok "L1: the link was replaced"; fi
expect_eq "L1: it still points at its target" "$(readlink "$TMP/link.reg")" "real/state.reg"
run check azure-mma --state "$TMP/real/state.reg"
expect_rc "L1: the target got the change" "$RC" 0
expect_eq "L1: no temporary file left" "$(ls "$TMP/real")" "state.reg"

echo "== M1: mode"
small_state "$TMP/m.reg"
chmod 600 "$TMP/m.reg"
run apply azure-mma --state "$TMP/m.reg" --snapshot-dir "$SNAPS"
expect_rc "M1: apply" "$RC" 194
expect_eq "M1: 0600 stays 0600" "$(stat -c %a "$TMP/m.reg")" 600

echo "== F1: FIFOs are refused, not read"
mkfifo "$TMP/fifo.reg"
start=$(date +%s)
RC=0
OUT=$(timeout 10 "$HOSTBIN" diff azure-mma --state "$TMP/fifo.reg" 2>&1) || RC=$?
expect_rc "F1: diff --state FIFO" "$RC" 2
expect_contains "F1: ...says why" "$OUT" "not a regular file"
RC=0
OUT=$(timeout 10 "$HOSTBIN" apply azure-mma --state "$TMP/fifo.reg" --snapshot-dir "$SNAPS" 2>&1) || RC=$?
expect_rc "F1: apply --state FIFO" "$RC" 2
mkdir -p "$TMP/prof"
mkfifo "$TMP/prof/inc.ini"
printf '[profile]\nname = site\nsummary = includes a FIFO\ninclude = inc.ini\n' >"$TMP/prof/site.ini"
small_state "$TMP/f.reg"
RC=0
OUT=$(timeout 10 "$HOSTBIN" diff "$TMP/prof/site.ini" --state "$TMP/f.reg" 2>&1) || RC=$?
expect_rc "F1: a FIFO include" "$RC" 2
# profile_load.c looks an include up with read_file, so a refused FIFO
# reads as "no such file": the message names it, the point is it is not read.
expect_contains "F1: ...names it" "$OUT" "inc.ini"
RC=0
OUT=$(timeout 10 "$HOSTBIN" diff "$TMP/prof/inc.ini" --state "$TMP/f.reg" 2>&1) || RC=$?
expect_rc "F1: a FIFO as the profile" "$RC" 2
expect_contains "F1: ...says why" "$OUT" "not a regular file"
elapsed=$(($(date +%s) - start))
if [ "$elapsed" -lt 10 ]; then ok "F1: refused within ${elapsed}s"; else not_ok "F1: took ${elapsed}s"; fi

finish
