#!/usr/bin/env bash
# The main job, end to end, on a fresh Debian 12 machine: installs what it
# needs, builds schannelcfg.exe, and in a throwaway Wine prefix (a real
# advapi32 registry) runs diff -> apply -> check -> rollback of a profile
# (default azure-mma), showing the registry before and after with reg query.
#   scripts/demo.sh [PROFILE]
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-azure-mma}

scripts/setup-deps.sh
make -f Makefile.mingw -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
scripts/wine-prefix.sh

export WINEPREFIX="$PWD/build/wine/demo" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY
rm -rf "$WINEPREFIX"
cp -a build/wine/base "$WINEPREFIX"
wineserver -p >/dev/null 2>&1 || true
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT

exe=build/win/schannelcfg.exe
tls12='HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2\Client'

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { step "schannelcfg $*"; set +e; wine "$exe" "$@"; rc=$?; set -e; echo "(exit code $rc$([ $rc -eq 194 ] && echo ' = 3010 mod 256: applied, reboot required'))"; }
query() { step "reg query \"$1\""; wine reg query "$1" 2>&1 | tr -d '\r' || true; }

run --version
run show "$profile"
query "$tls12"
run diff "$profile"
run apply "$profile"
query "$tls12"
run check "$profile"
run apply "$profile"
run snapshots
run rollback
query "$tls12"
run check "$profile"
echo
echo "Demo done (Wine prefix: $WINEPREFIX)."
