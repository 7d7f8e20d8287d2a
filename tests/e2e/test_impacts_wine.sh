#!/usr/bin/env bash
# "What this may break" and the Remote Desktop guard (src/impacts.c).
#   I1 native, state files: diff on ws2008r2 names Remote Desktop and
#      KB3080079 in its section (the version is assumed, so it only warns);
#      with --os 6.1.7601 and 6.0.6002 apply refuses (exit 5, file
#      untouched); --force applies and still says it; --os 6.2.9200 and
#      10.0.17763 are silent about Remote Desktop; JSON carries "impacts".
#   I2 Wine (6.1.7601) without KB3080079: live apply tls12-strict is
#      refused (exit 5) and nothing is written; --force applies (3010).
#   I3 Wine with KB3080079 listed as installed (the base prefix): apply
#      goes on and says what it found.
source "$(dirname "$0")/lib_wine.sh"
PY=/usr/bin/python3

echo "I1 native: state files"
S=$TMP/s.reg
cp "$ROOT/examples/states/ws2008r2.reg" "$S"
OUT=$("$HOSTBIN" diff tls12-strict --state "$S" 2>&1)
expect_contains "I1: diff has the section" "$OUT" "What this may break"
expect_contains "I1: ... naming Remote Desktop" "$OUT" "you lose access to Remote Desktop"
expect_contains "I1: ... and the update" "$OUT" "KB3080079"
expect_contains "I1: ... and that the version was assumed" "$OUT" "pass --os"
for os in 6.1.7601 6.0.6002; do
    RC=0; OUT=$("$HOSTBIN" apply tls12-strict --state "$S" --os $os 2>&1) || RC=$?
    expect_rc "I1: apply on $os is refused" "$RC" 5
    expect_contains "I1: ... naming Remote Desktop ($os)" "$OUT" "Remote Desktop"
    if cmp -s "$S" "$ROOT/examples/states/ws2008r2.reg"; then ok "I1: nothing written ($os)"; else not_ok "I1: the state file changed ($os)"; fi
done
RC=0; OUT=$("$HOSTBIN" apply tls12-strict --state "$S" --os 6.1.7601 --force 2>&1) || RC=$?
expect_rc "I1: --force applies" "$RC" 194
expect_contains "I1: ... and still says it" "$OUT" "you lose access to Remote Desktop"
for os in 6.2.9200 10.0.17763; do
    cp "$ROOT/examples/states/ws2008r2.reg" "$S"
    RC=0; OUT=$("$HOSTBIN" apply tls12-strict --state "$S" --os $os 2>&1) || RC=$?
    expect_rc "I1: apply on $os is not refused" "$RC" 194
    case "$OUT" in
        *"Remote Desktop"*) not_ok "I1: Remote Desktop named on $os" ;;
        *) ok "I1: Remote Desktop not named on $os" ;;
    esac
done
cp "$ROOT/examples/states/ws2008r2.reg" "$S"
RULES=$("$HOSTBIN" diff tls12-strict --state "$S" --os 6.1.7601 --format json 2>/dev/null |
    $PY -c 'import json,sys; print(" ".join(i["rule"] + ":" + i["severity"] for i in json.load(sys.stdin)["impacts"]))')
expect_eq "I1: JSON impacts" "$RULES" "rdp-tls10-server:cuts_remote_admin sql-tls12-updates:breaks winhttp-default-protocols:breaks eap-tls10:breaks dh-min-2048:breaks"

echo "I2 Wine 6.1.7601 without KB3080079"
new_prefix
winreg delete "$KB3080079_PACKAGE" /f >/dev/null
RC=0; OUT=$(sc apply tls12-strict 2>&1) || RC=$?
expect_rc "I2: apply tls12-strict is refused" "$RC" 5
expect_contains "I2: ... naming Remote Desktop and the update" "$OUT" "KB3080079"
expect_contains "I2: ... and how to check for it" "$OUT" "Get-HotFix -Id KB3080079"
expect_eq "I2: nothing written" "$(reg_value "$SCH\\Protocols\\TLS 1.0\\Server" Enabled)" ABSENT
RC=0; OUT=$(sc apply tls12-strict --force 2>&1) || RC=$?
expect_rc "I2: --force applies" "$RC" 194
expect_eq "I2: TLS 1.0 server is off" "$(reg_value "$SCH\\Protocols\\TLS 1.0\\Server" Enabled)" "REG_DWORD 0x0"

echo "I3 Wine 6.1.7601 with KB3080079"
new_prefix
RC=0; OUT=$(sc apply tls12-strict 2>&1) || RC=$?
expect_rc "I3: apply goes on" "$RC" 194
expect_contains "I3: ... and says what it found" "$OUT" "KB3080079 is installed (Component Based Servicing package Package_for_KB3080079~"

echo "I4 Wine: every server TLS version off cuts remote administration, update or not"
new_prefix
P="$TMP/no-server-tls.ini"; PW="Z:$(printf %s "$P" | tr / '\\')"
printf '%s\n' '[profile]' 'name = no-server-tls' 'summary = t' \
    '[protocol "TLS 1.0"]' 'server = disabled' '[protocol "TLS 1.1"]' 'server = disabled' \
    '[protocol "TLS 1.2"]' 'server = disabled' > "$P"
RC=0; OUT=$(sc apply "$PW" 2>&1) || RC=$?
expect_rc "I4: apply is refused" "$RC" 5
expect_contains "I4: ... naming WinRM" "$OUT" "WinRM HTTPS listeners"
expect_eq "I4: nothing written" "$(reg_value "$SCH\\Protocols\\TLS 1.2\\Server" Enabled)" ABSENT
RC=0; OUT=$(sc apply "$PW" --force 2>&1) || RC=$?
expect_rc "I4: --force applies" "$RC" 194
expect_eq "I4: TLS 1.2 server is off" "$(reg_value "$SCH\\Protocols\\TLS 1.2\\Server" Enabled)" "REG_DWORD 0x0"

wine_cleanup
finish
