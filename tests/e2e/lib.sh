# Shared helpers for the end-to-end tests (sourced, not run): what every
# test needs (paths, a temporary folder, ok/not_ok/expect_*, finish) and the
# registry paths the tests name, declared once. What is Wine's (a throwaway
# prefix per scenario, running the real .exe, reg.exe) is in lib_wine.sh,
# which the Wine tests source instead (it sources this file).
set -euo pipefail

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
EXE=${EXE:-$ROOT/build/win/schannelcfg.exe}
HOSTBIN=${HOSTBIN:-$ROOT/build/host/schannelcfg}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/sc-e2e.XXXXXX")
PASS=0
FAIL=0

# Registry paths (as reg.exe spells them).
SCH='HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL'
PROTOS="$SCH\\Protocols"
TLS12="$PROTOS\\TLS 1.2"
TLS12C="$TLS12\\Client"
NETFX='HKLM\SOFTWARE\Microsoft\.NETFramework'
NETFX32='HKLM\SOFTWARE\Wow6432Node\Microsoft\.NETFramework'
NET4="$NETFX\\v4.0.30319"
INET='HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Internet Settings'
INET32='HKLM\SOFTWARE\Wow6432Node\Microsoft\Windows\CurrentVersion\Internet Settings'
WINHTTP="$INET\\WinHttp"
RASMAN='HKLM\SYSTEM\CurrentControlSet\Services\RasMan'
EAP13="$RASMAN\\PPP\\EAP\\13"
LOCAL_SSL='HKLM\SYSTEM\CurrentControlSet\Control\Cryptography\Configuration\Local\SSL\00010002'
POLICY_CRYPTO='HKLM\SOFTWARE\Policies\Microsoft\Cryptography'
POLICY_SSL="$POLICY_CRYPTO\\Configuration\\SSL\\00010002"
CRYPTO='HKLM\SOFTWARE\Microsoft\Cryptography'

# At exit: lib_wine.sh's wine_cleanup (if sourced), then the temporary folder.
cleanup_e2e() {
    if declare -F wine_cleanup >/dev/null; then wine_cleanup; fi
    rm -rf "$TMP"
}
trap cleanup_e2e EXIT

ok() { PASS=$((PASS + 1)); echo "  ok   $*"; }
not_ok() { FAIL=$((FAIL + 1)); echo "  FAIL $*"; }

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got [$2], expected [$3]"; fi
}

# expect_rc WHAT ACTUAL EXPECTED
expect_rc() {
    if [ "$2" -eq "$3" ]; then ok "$1 (exit $2)"; else not_ok "$1: exit $2, expected $3"; fi
}

# expect_contains WHAT HAYSTACK NEEDLE
expect_contains() {
    case "$2" in
    *"$3"*) ok "$1" ;;
    *) not_ok "$1: output lacks [$3]"; printf '%s\n' "$2" | sed 's/^/       | /' | head -40 ;;
    esac
}

finish() {
    echo "  $PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ]
}
