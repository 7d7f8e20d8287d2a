#!/usr/bin/env bash
# The shipped binary itself: imports only system DLLs, hardened PE flags, the
# manifest (asInvoker, Windows 7-11 supportedOS), size, and that it runs.
source "$(dirname "$0")/lib_wine.sh"

echo "test_exe: $EXE"
objdump=x86_64-w64-mingw32-objdump
headers=$($objdump -p "$EXE")

# Every DLL in the import table must ship with Windows.
allowed=" KERNEL32.dll ADVAPI32.dll msvcrt.dll SHELL32.dll ole32.dll "
dlls=$(printf '%s\n' "$headers" | awk '/DLL Name:/ { print $3 }')
[ -n "$dlls" ] && ok "import table read" || not_ok "no imports found"
for dll in $dlls; do
    case "$allowed" in
    *" $dll "*) ok "imports system DLL $dll" ;;
    *) not_ok "imports $dll, which is not a system DLL" ;;
    esac
done

for flag in DYNAMIC_BASE NX_COMPAT HIGH_ENTROPY_VA; do
    expect_contains "PE DllCharacteristics has $flag" "$headers" "$flag"
done
expect_contains "console subsystem" "$headers" "Subsystem		00000003"
# The PE header's minimum OS and subsystem versions must not exceed 6.1
# (Windows 7 / 2008 R2 refuses to start an image that asks for more).
version_field() { printf '%s\n' "$headers" | awk -v f="$1" '$1 == f { print $2 }'; }
for pair in MajorOSystemVersion:MinorOSystemVersion MajorSubsystemVersion:MinorSubsystemVersion; do
    major=$(version_field "${pair%%:*}"); minor=$(version_field "${pair##*:}")
    if [ -n "$major" ] && [ $((10#$major * 100 + 10#$minor)) -le 601 ]; then
        ok "${pair%%:*} $major.$minor runs on Windows 7"
    else
        not_ok "${pair%%:*} is [$major.$minor], above 6.1"
    fi
done

manifest=$(strings -n 8 "$EXE" | tr -d '\r')
expect_contains "manifest asks for asInvoker" "$manifest" 'requestedExecutionLevel level="asInvoker"'
for id in 35138b9a-5d96-4fbd-8e2d-a2440225f93a 4a2f28e3-53b9-4441-ba9c-d69d4a4a6e38 \
    1f676c76-80e1-4239-95bb-83d0f6d0da78 8e0f7a12-bfb3-4fe8-b9a5-48fd50a15a9a; do
    expect_contains "manifest supportedOS $id" "$manifest" "$id"
done

size=$(stat -c %s "$EXE")
echo "  exe size: $size bytes"
[ "$size" -le 409600 ] && ok "exe is at most 400 KB ($size bytes)" || not_ok "exe is $size bytes (> 400 KB)"

new_prefix
out=$(sc --version 2>&1) && rc=0 || rc=$?
expect_rc "--version under Wine" "$rc" 0
expect_contains "--version prints the version" "$out" "schannelcfg "
out=$(sc no-such-command 2>&1) && rc=0 || rc=$?
expect_rc "unknown command is a usage error" "$rc" 2
out=$(sc diff 2>&1) && rc=0 || rc=$?
expect_rc "missing argument is a usage error" "$rc" 2
out=$(sc diff azure-mma --bogus 2>&1) && rc=0 || rc=$?
expect_rc "unknown option is a usage error" "$rc" 2
out=$(sc help apply 2>&1) && rc=0 || rc=$?
expect_contains "help apply documents exit 3010" "$out" "3010"

finish
