#!/usr/bin/env bash
# make-image.sh DIR [--os 2022|2008r2] [--current N] [--arch AMD64|x86]
#
# Builds a minimal offline Windows installation under DIR:
# DIR/Windows/System32/config/{SYSTEM,SOFTWARE}, real regf hives made with
# hivex's own tools only (hivexregedit --merge onto hivex's seed hive,
# scripts/fetch-hivex-minimal.sh), never by schannelcfg, so the hive
# backend is tested against files it did not write (issue 15).
#
# SYSTEM: Select (Current=N, Default=N, LastKnownGood=other, Failed=0),
#   ControlSet001 and ControlSet002, each with Control\SecurityProviders\
#   SCHANNEL and Session Manager\Environment PROCESSOR_ARCHITECTURE; the
#   current one (N) has TLS 1.2\Client Enabled=1, the other
#   TLS 1.2\Client Enabled=0 (so a write to the wrong set shows).
# SOFTWARE: Microsoft\Windows NT\CurrentVersion as the release has it
#   (2022: 10.0.20348, CurrentMajor/MinorVersionNumber; 2008r2: 6.1.7601),
#   Microsoft\.NETFramework\v4.0.30319, and on AMD64 the same under
#   Wow6432Node with SchUseStrongCrypto=1.
# Defaults: --os 2022 --current 1 --arch AMD64. Prints DIR.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:?usage: make-image.sh DIR [--os 2022|2008r2] [--current N] [--arch AMD64|x86]}
shift
os=2022 current=1 arch=AMD64
while [ $# -gt 0 ]; do
    case $1 in
    --os) os=$2; shift 2 ;;
    --current) current=$2; shift 2 ;;
    --arch) arch=$2; shift 2 ;;
    *) echo "make-image.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
case $current in 1) other=2 ;; 2) other=1 ;; *) echo "make-image.sh: --current 1 or 2" >&2; exit 2 ;; esac

seed=$("$here/scripts/fetch-hivex-minimal.sh")
config="$dir/Windows/System32/config"
mkdir -p "$config"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Emits [KEY] sections for every ancestor of KEY not yet emitted (hivexregedit
# cannot create a key whose parent is missing), then for KEY itself, always
# (the values that follow are KEY's), each after a blank line (it needs one
# before every section).
declare -A seen=()
key() {
    local path=$1 prefix="" part
    local IFS='\'
    for part in $path; do
        prefix=${prefix:+$prefix\\}$part
        if [ -z "${seen[$prefix]:-}" ] || [ "$prefix" = "$path" ]; then
            seen[$prefix]=1
            printf '\n[%s]\n' "$prefix"
        fi
    done
}

S='HKEY_LOCAL_MACHINE\SYSTEM'
{
    echo 'Windows Registry Editor Version 5.00'
    key "$S\\Select"
    printf '"Current"=dword:%08x\n"Default"=dword:%08x\n"LastKnownGood"=dword:%08x\n"Failed"=dword:00000000\n' \
        "$current" "$current" "$other"
    for n in 1 2; do
        cs=$(printf 'ControlSet%03d' "$n")
        key "$S\\$cs\\Control\\Session Manager\\Environment"
        printf '"PROCESSOR_ARCHITECTURE"="%s"\n' "$arch"
        key "$S\\$cs\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client"
        [ "$n" = "$current" ] && echo '"Enabled"=dword:00000001' || echo '"Enabled"=dword:00000000'
        # Keys schannelcfg never manages, beside and above the ones it does (a
        # store that loads only what it uses must leave them exactly as they are).
        key "$S\\$cs\\Control\\SecurityProviders"
        echo '"SecurityProviders"="credssp.dll"'
        key "$S\\$cs\\Control\\SecurityProviders\\WDigest"
        echo '"UseLogonCredential"=dword:00000000'
        key "$S\\$cs\\Control\\Lsa"
        echo '"LmCompatibilityLevel"=dword:00000005'
        key "$S\\$cs\\Services\\Tcpip\\Parameters"
        echo '"Hostname"="golden"'
    done
    key "$S\\MountedDevices"
} >"$work/system.reg"

W='HKEY_LOCAL_MACHINE\SOFTWARE'
{
    echo 'Windows Registry Editor Version 5.00'
    key "$W\\Microsoft\\Windows NT\\CurrentVersion"
    case $os in
    2022)
        printf '"ProductName"="Windows Server 2022 Datacenter"\n"CurrentVersion"="6.3"\n'
        printf '"CurrentMajorVersionNumber"=dword:0000000a\n"CurrentMinorVersionNumber"=dword:00000000\n'
        printf '"CurrentBuildNumber"="20348"\n' ;;
    2008r2)
        printf '"ProductName"="Windows Server 2008 R2 Enterprise"\n"CurrentVersion"="6.1"\n'
        printf '"CurrentBuildNumber"="7601"\n"CSDVersion"="Service Pack 1"\n' ;;
    *) echo "make-image.sh: --os 2022 or 2008r2" >&2; exit 2 ;;
    esac
    key "$W\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon"
    echo '"Shell"="explorer.exe"'
    key "$W\\Microsoft\\Cryptography"
    echo '"MachineGuid"="6f1c1b7e-2a43-4d8e-9f0b-1d2c3b4a5e6f"'
    key "$W\\Classes\\.txt"
    echo '@="txtfile"'
    key "$W\\Microsoft\\.NETFramework\\v4.0.30319"
    echo '"InstallRoot"="C:\\Windows\\Microsoft.NET\\Framework64\\"'
    if [ "$arch" != x86 ]; then
        key "$W\\Wow6432Node\\Microsoft\\.NETFramework\\v4.0.30319"
        echo '"SchUseStrongCrypto"=dword:00000001'
    fi
} >"$work/software.reg"

for hive in SYSTEM SOFTWARE; do
    rm -f "$config/$hive"
    cp "$seed" "$config/$hive"
    chmod 0644 "$config/$hive"
done
hivexregedit --merge --prefix "$S" "$config/SYSTEM" "$work/system.reg"
hivexregedit --merge --prefix "$W" "$config/SOFTWARE" "$work/software.reg"
# The tools' own reading of what they wrote, before any test relies on it.
[ "$(hivexget "$config/SYSTEM" 'Select' Current)" = "$current" ]
[ "$(hivexget "$config/SOFTWARE" 'Microsoft\Windows NT\CurrentVersion' CurrentBuildNumber)" \
    = "$([ "$os" = 2022 ] && echo 20348 || echo 7601)" ]
echo "$dir"
