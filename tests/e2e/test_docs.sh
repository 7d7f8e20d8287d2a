#!/usr/bin/env bash
# The documentation's examples are real: the annotated profile in
# profiles/README.md parses and compiles, and README's native main-job
# command works on the bundled state.
source "$(dirname "$0")/lib.sh"

awk '/^```ini/ { f = 1; next } /^```/ { f = 0 } f' "$ROOT/profiles/README.md" |
    sed 's/^include .*$//' > "$TMP/example.ini"
out=$("$HOSTBIN" show "$TMP/example.ini" 2>&1) && rc=0 || rc=$?
expect_rc "profiles/README.md example compiles" "$rc" 0
expect_contains "example sets TLS 1.2 client" "$out" "TLS 1.2 client"

out=$("$HOSTBIN" diff azure-mma --state "$ROOT/examples/states/ws2008r2.reg" 2>&1) && rc=0 || rc=$?
expect_rc "README native diff on the bundled state" "$rc" 0
expect_contains "it shows the TLS 1.2 client change" "$out" "TLS 1.2\\Client"
expect_contains "and the summary" "$out" "4 values to change, reboot required"

out=$("$HOSTBIN" help profiles 2>&1) && rc=0 || rc=$?
expect_rc "help profiles" "$rc" 0
expect_contains "help profiles lists [cipher-suites]" "$out" "[cipher-suites]"

finish
