#!/usr/bin/env bash
# What the CLI prints cannot drive the admin's terminal, and the "inside the
# snapshot folder" check compares names the way the file system does.
source "$(dirname "$0")/lib.sh"

# A state file whose key name carries an OSC sequence (set window title)
# and a bell: the error names the key with the bytes escaped.
printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\a\033]2;pwned\007b]\r\n' >"$TMP/evil.reg"
"$HOSTBIN" diff azure-mma --state "$TMP/evil.reg" >"$TMP/out" 2>"$TMP/err" && rc=0 || rc=$?
expect_rc "a key with control characters is an input error" "$rc" 2
expect_contains "the message shows them escaped" "$(cat "$TMP/err")" 'a\x1b]2;pwned\x07b'
if grep -q $'\033\\|\007' "$TMP/err"; then not_ok "raw ESC or BEL reached stderr"; else ok "no raw ESC or BEL on stderr"; fi

# Colour sequences are ours to print; nothing else of that kind passes.
printf '[profile]\nname = t\nsummary = s\x1b]0;x\x07\n' >"$TMP/evil.ini"
"$HOSTBIN" show "$TMP/evil.ini" >"$TMP/out" 2>&1 && rc=0 || rc=$?
if grep -q $'\033\\|\007' "$TMP/out"; then not_ok "raw control bytes from a profile reached the terminal"; else ok "a profile's control bytes are escaped"; fi

# Snapshot folder check: /x/SNAPS is not inside /x/snaps on Linux.
state=$TMP/state.reg
cp "$ROOT/examples/states/ws2008r2.reg" "$state"
"$HOSTBIN" apply azure-mma --state "$state" --snapshot-dir "$TMP/snaps" >/dev/null 2>&1 || true
mkdir -p "$TMP/SNAPS"
cp "$TMP"/snaps/*.reg "$TMP/SNAPS/"
snap=$(ls "$TMP"/SNAPS/*.reg | head -n 1)
"$HOSTBIN" rollback "$snap" --state "$state" --snapshot-dir "$TMP/snaps" >"$TMP/out" 2>&1 && rc=0 || rc=$?
expect_rc "a snapshot in a folder differing only in case is outside the snapshot folder" "$rc" 5
expect_contains "and says so" "$(cat "$TMP/out")" "is not inside the snapshot folder"
inside=$(ls "$TMP"/snaps/*.reg | head -n 1)
"$HOSTBIN" rollback "$inside" --state "$state" --snapshot-dir "$TMP/snaps" >"$TMP/out" 2>&1 && rc=0 || rc=$?
expect_rc "the same snapshot inside the folder is accepted" "$rc" 194

finish
