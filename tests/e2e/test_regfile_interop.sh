#!/usr/bin/env bash
# .reg interoperability with Wine's reg.exe (the real advapi32 underneath):
#  (a) our writer's file (regtool fixture: regfile_format_* + regfile_encode
#      UTF-16LE) -> `reg import` -> `reg query` shows every value with the
#      type and data we meant, in the right view (/reg:32, /reg:64);
#  (b) `reg export` of those keys -> our parser gives the same registry as
#      our own file (mem_dump, byte for byte, every type);
#  (c) `reg export` really wrote UTF-16LE with a byte-order mark, so (b)
#      went through the UTF-16 path of the parser.
# The expected values in (a) are spelled out here, independently of the
# writer, so a writer that emits wrong data fails.
. "$(dirname "$0")/lib_wine.sh"

REGTOOL=${REGTOOL:-$ROOT/build/host/tests/regtool}
if [ ! -x "$REGTOOL" ]; then
    make -s -C "$ROOT" build/host/tests/regtool >/dev/null
fi

K64='HKLM\SOFTWARE\schannelcfg-test'
K32PHYS='HKLM\SOFTWARE\Wow6432Node\schannelcfg-test'
CIPHERS='HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers'
RC4="$CIPHERS\\RC4 128/128"
# The same keys as physical paths below HKLM, as regtool dump takes them.
P64='SOFTWARE\schannelcfg-test'
P32='SOFTWARE\Wow6432Node\schannelcfg-test'
PRC4='SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 128/128'

# default_value KEY VIEW: "TYPE DATA" of the key's default value, or ABSENT.
default_value() {
    local out
    if ! out=$(wine reg query "$1" /ve "$2" 2>/dev/null | tr -d '\r'); then
        echo ABSENT
        return 0
    fi
    printf '%s\n' "$out" | awk '
        { line = $0; sub(/^ +/, "", line) }
        index(line, "(Default)    ") == 1 {
            rest = substr(line, 14); split(rest, f, "    ")
            print f[1] " " substr(rest, length(f[1]) + 5); found = 1; exit }
        END { if (!found) print "ABSENT" }'
}

# The 300 bytes of the fixture's "binary" value, as reg query prints them.
binary_hex() {
    local i
    for ((i = 0; i < 300; i++)); do printf '%02X' $(((i * 37 + 11) % 256)); done
}

first_bytes() { head -c "$2" "$1" | od -An -tx1 | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'; }

echo "test_regfile_interop"
new_prefix
FIX=$TMP/fixture.reg
"$REGTOOL" fixture "$FIX"
expect_eq "our fixture is UTF-16LE with BOM" "$(first_bytes "$FIX" 4)" "ff fe 57 00"

# ---- (a) reg import of our file, reg query of every value --------------------
out=$(winreg import "$(winepath -w "$FIX" 2>/dev/null)"; echo "rc=${PIPESTATUS[0]}")
expect_contains "reg import of our file" "$out" "rc=0"

v64() { reg_value "$K64" "$1" /reg:64; }
expect_eq "(a) default value @"        "$(default_value "$K64" /reg:64)" "REG_SZ default value"
expect_eq "(a) REG_SZ with \\ and \""  "$(v64 sz)" 'REG_SZ C:\Program Files\x "quoted"'
expect_eq "(a) empty REG_SZ"           "$(v64 'sz empty')" "REG_SZ "
expect_eq "(a) REG_EXPAND_SZ"          "$(v64 expand)" 'REG_EXPAND_SZ %SystemRoot%\system32'
expect_eq "(a) REG_MULTI_SZ"           "$(v64 multi)" 'REG_MULTI_SZ TLS 1.2\0TLS 1.3\0C:\a "b"'
expect_eq "(a) REG_BINARY, 300 bytes"  "$(v64 binary)" "REG_BINARY $(binary_hex)"
expect_eq "(a) REG_BINARY, short"      "$(v64 'binary short')" "REG_BINARY 0001ABFF"
expect_eq "(a) REG_DWORD"              "$(v64 dword)" "REG_DWORD 0x12345678"
expect_eq "(a) REG_DWORD max"          "$(v64 'dword max')" "REG_DWORD 0xffffffff"
# Wine 8's reg query prints REG_QWORD data as "(null)"; Windows prints the
# number. The type is checked here, the data in (b).
qword=$(v64 qword)
case "$qword" in
"REG_QWORD 0x102030405060708" | "REG_QWORD (null)") ok "(a) REG_QWORD" ;;
*) not_ok "(a) REG_QWORD: got [$qword]" ;;
esac
expect_eq "(a) REG_NONE"               "$(v64 none)" "REG_NONE 0102"
expect_eq "(a) empty REG_NONE"         "$(v64 'none empty')" "REG_NONE "
expect_eq "(a) REG_SZ without terminator (hex(1))" "$(v64 'sz unterminated')" "REG_SZ ab"
expect_eq "(a) 64-bit view value"      "$(v64 bits)" "REG_DWORD 0x40"

expect_eq "(a) 32-bit view value"      "$(reg_value "$K64" bits /reg:32)" "REG_DWORD 0x20"
expect_eq "(a) 32-bit view REG_SZ"     "$(reg_value "$K64" sz32 /reg:32)" "REG_SZ thirty-two"
expect_eq "(a) 64-bit values absent from the 32-bit view" "$(reg_value "$K64" dword /reg:32)" "ABSENT"
expect_eq "(a) 32-bit values absent from the 64-bit view" "$(reg_value "$K64" sz32 /reg:64)" "ABSENT"
expect_eq "(a) 32-bit view is Wow6432Node" "$(reg_value "$K32PHYS" bits /reg:64)" "REG_DWORD 0x20"

expect_eq "(a) RC4 128/128, 64-bit view" "$(reg_value "$RC4" Enabled /reg:64)" "REG_DWORD 0x0"
expect_eq "(a) RC4 128/128, 32-bit view (SYSTEM is shared)" \
    "$(reg_value "$RC4" Enabled /reg:32)" "REG_DWORD 0x0"
subkeys=$(winreg query "$CIPHERS" | grep -i '^HKEY_LOCAL_MACHINE.*\\Ciphers\\' || true)
expect_eq "(a) 'RC4 128/128' is one key" "$subkeys" \
    'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Ciphers\RC4 128/128'

# ---- (b) reg export -> our parser == our own file ----------------------------
# A 32-bit view export names the logical path; export Wow6432Node from the
# 64-bit view so the file says which view the key is in.
export_key() { # KEY FILE
    local out
    out=$(winreg export "$1" "$(winepath -w "$2" 2>/dev/null)" /reg:64 /y; echo "rc=${PIPESTATUS[0]}")
    expect_contains "reg export $1" "$out" "rc=0"
}
E64=$TMP/export64.reg
E32=$TMP/export32.reg
ERC4=$TMP/exportrc4.reg
export_key "$K64" "$E64"
export_key "$K32PHYS" "$E32"
export_key "$RC4" "$ERC4"

# reg export writes every REG_SZ as quoted text, so a REG_SZ stored without
# its terminator comes back terminated (regedit does the same): that one
# value is compared apart.
without_unterminated() { grep -v '^  "sz unterminated" ' || true; }

# dump FILE KEY: regtool dump, or its error message (never stops the script).
dump() { "$REGTOOL" dump "$1" "$2" 2>&1 || echo "regtool dump failed (exit $?)"; }

compare_dumps() { # WHAT EXPORT PHYSICAL-KEY
    local theirs ours
    theirs=$(dump "$2" "$3" | without_unterminated)
    ours=$(dump "$FIX" "$3" | without_unterminated)
    if [ -z "$ours" ]; then
        not_ok "$1: our dump is empty"
    elif [ "$theirs" = "$ours" ]; then
        ok "$1 ($(printf '%s\n' "$ours" | wc -l) lines)"
    else
        not_ok "$1: dumps differ"
        diff <(printf '%s\n' "$theirs") <(printf '%s\n' "$ours") | cut -c1-160 | sed 's/^/       | /' | head -40 || true
    fi
}
compare_dumps "(b) 64-bit key: reg export == our file" "$E64" "$P64"
compare_dumps "(b) 32-bit key: reg export == our file" "$E32" "$P32"
compare_dumps "(b) RC4 128/128: reg export == our file" "$ERC4" "$PRC4"

dump64=$(dump "$E64" "$P64")
for t in REG_SZ REG_EXPAND_SZ REG_MULTI_SZ REG_BINARY REG_DWORD REG_QWORD REG_NONE; do
    expect_contains "(b) the export holds a $t" "$dump64" " $t:"
done
# "café €" and an emoji, compared as UTF-16LE bytes
expect_contains "(b) non-ASCII REG_SZ survives" "$dump64" \
    '"sz unicode" REG_SZ:630061006600e9002000ac2020003dd800de0000'
expect_contains "(b) unterminated REG_SZ came back as text" "$dump64" \
    '"sz unterminated" REG_SZ:61006200'

# ---- (c) the export really was UTF-16LE with a BOM ---------------------------
for f in "$E64" "$E32" "$ERC4"; do
    expect_eq "(c) $(basename "$f") starts with FF FE 'W' 00" "$(first_bytes "$f" 4)" "ff fe 57 00"
done

finish
