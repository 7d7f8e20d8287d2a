#!/usr/bin/env bash
# Creates the base Wine prefix the tests copy (build/wine/base), once.
# A prefix costs ~12 s to create and ~2 s to copy; tests never touch the base.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
base=${1:-$here/build/wine/base}
[ -f "$base/system.reg" ] && exit 0
export WINEPREFIX="$base.tmp" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY
rm -rf "$WINEPREFIX"
mkdir -p "$(dirname "$base")"
echo "wine-prefix: creating $base (about 15 s)"
wineboot --init >/dev/null 2>&1
wineserver -w
rm -rf "$base"
mv "$WINEPREFIX" "$base"
