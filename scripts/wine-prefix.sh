#!/usr/bin/env bash
# Creates the base Wine prefix the tests copy (build/wine/base), once.
# A prefix costs ~12 s to create and ~2 s to copy; tests never touch the base.
#
# Wine reports Windows 7 SP1 (6.1.7601). The base is a patched one: it
# lists KB3080079 (Remote Desktop over TLS 1.1/1.2) as an installed
# Component Based Servicing package, as a maintained 2008 R2 server does,
# so that applying TLS 1.0-server-off profiles is not refused
# (src/impacts.c); tests/e2e/test_impacts_wine.sh removes it again.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-$here/build/wine/base}
stamp=$base/.schannelcfg-base-2
[ -f "$base/system.reg" ] && [ -f "$stamp" ] && exit 0
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY
CBS='HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages'
KB3080079="$CBS\\Package_for_KB3080079~31bf3856ad364e35~amd64~~6.1.1.1"

if [ ! -f "$base/system.reg" ]; then
    export WINEPREFIX="$base.tmp"
    rm -rf "$WINEPREFIX"
    mkdir -p "$(dirname "$base")"
    echo "wine-prefix: creating $base (about 15 s)"
    wineboot --init >/dev/null 2>&1
    wineserver -w
    rm -rf "$base"
    mv "$WINEPREFIX" "$base"
fi
export WINEPREFIX=$base
wine reg add "$KB3080079" /v CurrentState /t REG_DWORD /d 0x70 /f >/dev/null 2>&1 </dev/null
wineserver -w
touch "$stamp"
