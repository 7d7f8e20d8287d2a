#!/usr/bin/env bash
# End-to-end: `--image DIR` (issue 15), an offline Windows installation's
# hives, through the real CLI.
#
# Native part (build/host/schannelcfg, libhivex): test images are real regf
# hives built by hivex's own tools (tests/hive/make-image.sh), checked with
# hivexget and hivexregedit --export, never with schannelcfg:
#   M1 diff reads only, and compiles for the image's Windows, not the host's
#   M2 apply writes the control set Select names, Wow6432Node literally, no
#      CurrentControlSet key; the snapshot and its key go into the image
#   M3 a second apply writes nothing (files byte-identical); check is 0
#   M4 snapshots/capture/--format json name the image
#   M5 rollback --image gives back hivexregedit's exports exactly
#   M6 a dirty hive, a missing hive, a busy image: refused, nothing written
#   M7 a 2008 R2-like image: its own version drives the Remote Desktop guard
# Wine part (schannelcfg.exe, RegLoadKeyW): Wine loads only its own text
# format (docs/offline-images.md section 6), so:
#   W1 a regf image: RegLoadKeyW's refusal named, nothing left loaded
#   W2 a Wine-format image: Select\Current and the image's version are read,
#      apply goes through the loaded hives, and every hive is unloaded
source "$(dirname "$0")/lib_wine.sh"

MAKE_IMAGE=$ROOT/tests/hive/make-image.sh
cfg() { echo "$1/Windows/System32/config"; }
sums() { sha256sum "$(cfg "$1")/SYSTEM" "$(cfg "$1")/SOFTWARE" | awk '{print $1}' | tr '\n' ' '; }
hget() { hivexget "$(cfg "$1")/$2" "$3" "$4" 2>/dev/null || echo ABSENT; }
exports() {
    local h
    for h in SYSTEM SOFTWARE; do
        hivexregedit --export --prefix "HKEY_LOCAL_MACHINE\\$h" "$(cfg "$1")/$h" '\'
    done
}
host() { "$HOSTBIN" "$@" 2>&1; }
SCHK='Control\SecurityProviders\SCHANNEL\Protocols'

echo "== M1 diff reads only, for the image's Windows"
img=$TMP/ws2022
"$MAKE_IMAGE" "$img" --os 2022 --current 2 >/dev/null
exports "$img" >"$TMP/ws2022.before"
before=$(sums "$img")
rc=0; out=$(host diff tls12-strict --image "$img") || rc=$?
expect_rc "diff --image" "$rc" 0
expect_contains "diff names the image" "$out" "(offline image $img)"
expect_contains "WinHTTP gets the 2022 bits (the image's build 20348, not the host's)" "$out" \
    "DefaultSecureProtocols (absent) → REG_DWORD 0x00002800"
expect_eq "diff wrote nothing" "$(sums "$img")" "$before"
rc=0; out=$(host diff tls12-strict --image "$img" --os 6.1.7601) || rc=$?
expect_contains "--os overrides the image's version (WinHTTP without TLS 1.3 before 20348)" "$out" \
    "DefaultSecureProtocols (absent) → REG_DWORD 0x00000800"
rc=0; out=$(host diff tls12-strict --image "$img" --state x.reg) || rc=$?
expect_rc "--image with --state" "$rc" 2
expect_contains "says why" "$out" "--state and --image name two registries"
rc=0; out=$(host check tls12-strict --image "$img" --live) || rc=$?
expect_rc "--image with --live" "$rc" 2
expect_contains "says why" "$out" "an offline image has none running"

echo "== M2 apply: the control set Select names, Wow6432Node literal"
rc=0; out=$(host apply tls12-strict --image "$img") || rc=$?
expect_rc "apply --image (3010: reboot required)" "$rc" 194
expect_eq "TLS 1.0 server off in ControlSet002 (Select\\Current=2)" \
    "$(hget "$img" SYSTEM "ControlSet002\\$SCHK\\TLS 1.0\\Server" Enabled)" 0
expect_eq "ControlSet001 untouched" "$(hget "$img" SYSTEM "ControlSet001\\$SCHK\\TLS 1.0\\Server" Enabled)" ABSENT
expect_eq "no CurrentControlSet key made" "$(hivexget "$(cfg "$img")/SYSTEM" CurrentControlSet >/dev/null 2>&1 && echo yes || echo no)" no
expect_eq "the 32-bit view is Wow6432Node" \
    "$(hget "$img" SOFTWARE 'Wow6432Node\Microsoft\.NETFramework\v4.0.30319' SystemDefaultTlsVersions)" 1
expect_eq "an unmanaged key beside them kept" "$(hget "$img" SYSTEM 'ControlSet002\Control\SecurityProviders' SecurityProviders)" credssp.dll
snapdir=$img/ProgramData/schannelcfg/snapshots
expect_contains "the snapshot is in the image" "$out" "$snapdir/"
expect_eq "its key is the image's, private" "$(stat -c %a "$img/ProgramData/schannelcfg/machine.key")" 600
snap=$(ls "$snapdir"/*.reg | head -1)
snaptext=$(iconv -f UTF-16LE -t UTF-8 "$snap" | tr -d '\r\357\273\277')
expect_contains "the snapshot names keys as the booted machine sees them" "$snaptext" \
    'HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL'
expect_contains "... and its registry as live" "$snaptext" "target: live"
expect_contains "... on the machine the image is (its MachineGuid)" "$snaptext" \
    "machine: 6f1c1b7e-2a43-4d8e-9f0b-1d2c3b4a5e6f"

echo "== M3 a compliant apply writes nothing"
after=$(sums "$img")
rc=0; out=$(host apply tls12-strict --image "$img") || rc=$?
expect_rc "second apply" "$rc" 0
expect_contains "nothing to do" "$out" "Nothing was written"
expect_eq "both hive files byte-identical" "$(sums "$img")" "$after"
rc=0; host check tls12-strict --image "$img" >/dev/null || rc=$?
expect_rc "check --image" "$rc" 0

echo "== M4 snapshots, capture and JSON name the image"
rc=0; out=$(host snapshots --image "$img") || rc=$?
expect_contains "snapshots --image lists it" "$out" "tls12-strict"
rc=0; out=$(host check tls12-strict --image "$img" --format json) || rc=$?
expect_contains "JSON target" "$out" "\"target\": \"image:$img\""
rc=0; out=$(host capture --image "$img") || rc=$?
expect_rc "capture --image" "$rc" 0
expect_contains "capture says where from" "$out" "offline image $img"
expect_contains "capture writes the image's Windows" "$out" "10.0.20348"

echo "== M5 rollback --image"
rc=0; out=$(host rollback --image "$img") || rc=$?
expect_rc "rollback --image" "$rc" 194
exports "$img" >"$TMP/ws2022.after"
if cmp -s "$TMP/ws2022.before" "$TMP/ws2022.after"; then
    ok "hivexregedit's exports are as before the apply"
else
    not_ok "exports differ after rollback"; diff "$TMP/ws2022.before" "$TMP/ws2022.after" | head -20
fi

echo "== M6 refused: dirty, missing, busy"
dirty=$TMP/dirty
"$MAKE_IMAGE" "$dirty" >/dev/null
# Sequence number 2 (offset 8) one behind: a hive with a pending log.
printf '\x00\x00\x00\x00' | dd of="$(cfg "$dirty")/SOFTWARE" bs=1 seek=8 conv=notrunc status=none
before=$(sums "$dirty")
rc=0; out=$(host apply tls12-strict --image "$dirty") || rc=$?
expect_rc "dirty hive refused" "$rc" 2
expect_contains "says it is dirty, and what to do" "$out" "the hive is dirty"
expect_eq "nothing written" "$(sums "$dirty")" "$before"
expect_eq "no snapshot either" "$(ls "$dirty/ProgramData" 2>/dev/null | wc -l)" 0
missing=$TMP/missing
"$MAKE_IMAGE" "$missing" >/dev/null
rm "$(cfg "$missing")/SOFTWARE"
rc=0; out=$(host diff tls12-strict --image "$missing") || rc=$?
expect_rc "missing hive refused" "$rc" 2
expect_contains "names it" "$out" "config/SOFTWARE: no such file or folder"
rc=0; out=$(host diff tls12-strict --image "$TMP/nowhere") || rc=$?
expect_rc "no such folder" "$rc" 2
busy=$TMP/busy
"$MAKE_IMAGE" "$busy" >/dev/null
before=$(sums "$busy")
rc=0; out=$(flock "$(cfg "$busy")" "$HOSTBIN" apply tls12-strict --image "$busy" 2>&1) || rc=$?
expect_rc "another apply holding the image: refused" "$rc" 5
expect_contains "says so" "$out" "running on the image"
expect_eq "nothing written" "$(sums "$busy")" "$before"

echo "== M7 a 2008 R2-like image: its version, its guard"
r2=$TMP/ws2008r2
"$MAKE_IMAGE" "$r2" --os 2008r2 --current 1 >/dev/null
before=$(sums "$r2")
rc=0; out=$(host apply tls12-strict --image "$r2") || rc=$?
expect_rc "TLS 1.0 server off on 6.1 without KB3080079: refused" "$rc" 5
expect_contains "names Remote Desktop and the update" "$out" "KB3080079"
expect_eq "nothing written" "$(sums "$r2")" "$before"
rc=0; out=$(host apply azure-mma --image "$r2") || rc=$?
expect_rc "azure-mma on the 2008 R2 image" "$rc" 194
expect_eq "TLS 1.2 client on in ControlSet001" \
    "$(hget "$r2" SYSTEM "ControlSet001\\$SCHK\\TLS 1.2\\Client" DisabledByDefault)" 0

echo "== M8 the Linux pipeline example on a test image"
pipe=$TMP/pipeline
"$MAKE_IMAGE" "$pipe" >/dev/null
rc=0; out=$(SCHANNELCFG=$HOSTBIN APPLY_JSON=$TMP/pipe.json \
    "$ROOT/examples/pipelines/image/offline-linux.sh" --dir "$pipe" tls12-strict 2>&1) || rc=$?
expect_rc "offline-linux.sh --dir (3010 passed through)" "$rc" 194
expect_contains "it checks the result" "$out" "image complies with tls12-strict"
expect_contains "its JSON says applied" "$(cat "$TMP/pipe.json")" '"status": "applied"'
rc=0; SCHANNELCFG=$HOSTBIN "$ROOT/examples/pipelines/image/offline-linux.sh" --dir "$pipe" tls12-strict >/dev/null 2>&1 || rc=$?
expect_rc "again: nothing to do" "$rc" 0

echo "== W1 Wine: a regf image is refused by RegLoadKeyW, nothing stays loaded"
new_prefix
mounted() { winreg query 'HKLM' | grep -ci 'schannelcfg-image' || true; }
rc=0; out=$(sc diff tls12-strict --image "$img" 2>&1) || rc=$?
expect_rc "diff --image of regf hives under Wine" "$rc" 2
expect_contains "RegLoadKeyW's answer named" "$out" "RegLoadKeyW failed (error 1017"
expect_eq "no hive left loaded" "$(mounted)" 0

echo "== W2 Wine: a Wine-format image loads, is read and unloaded"
wimg=$TMP/wine-image
mkdir -p "$(cfg "$wimg")"
wine_hive() { # FILE, then the body on stdin
    { printf 'WINE REGISTRY Version 2\n;; All keys relative to REGISTRY\\\\Machine\n\n#arch=win64\n\n'; cat; } >"$1"
}
wine_hive "$(cfg "$wimg")/SYSTEM" <<'EOF'
[Select] 1796307244
"Current"=dword:00000002
"Default"=dword:00000002

[ControlSet001\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.0\\Server] 1796307244
"Enabled"=dword:00000001

[ControlSet002\\Control\\Session Manager\\Environment] 1796307244
"PROCESSOR_ARCHITECTURE"="AMD64"

[ControlSet002\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2\\Client] 1796307244
"Enabled"=dword:00000001
EOF
wine_hive "$(cfg "$wimg")/SOFTWARE" <<'EOF'
[Microsoft\\Windows NT\\CurrentVersion] 1796307244
"CurrentBuildNumber"="20348"
"CurrentMajorVersionNumber"=dword:0000000a
"CurrentMinorVersionNumber"=dword:00000000
"CurrentVersion"="6.3"

[Wow6432Node\\Microsoft] 1796307244
EOF
rc=0; out=$(sc diff tls12-strict --image "$wimg" 2>&1) || rc=$?
expect_rc "diff --image of a Wine-format image" "$rc" 0
expect_contains "the image's build, not Wine's 6.1.7601" "$out" "REG_DWORD 0x00002800"
expect_contains "ControlSet002 read as the current set (TLS 1.0 server absent there)" "$out" \
    "TLS 1.0\\Server
    Enabled              (absent) → REG_DWORD 0x00000000"
expect_eq "unloaded after diff" "$(mounted)" 0
rc=0; out=$(sc apply tls12-strict --image "$wimg" 2>&1) || rc=$?
expect_rc "apply --image through the loaded hives" "$rc" 194
expect_contains "its snapshot in the image" "$out" "ProgramData\\schannelcfg\\snapshots\\"
expect_eq "unloaded after apply" "$(mounted)" 0
expect_eq "the host's own registry untouched" "$(reg_value "$PROTOS\\TLS 1.0\\Server" Enabled)" ABSENT
rc=0; out=$(sc apply tls12-strict --image "$wimg" --os 6.1.7601 2>&1) || rc=$?
expect_rc "a refused apply (the Remote Desktop guard, 6.1)" "$rc" 5
expect_eq "unloaded after the refusal" "$(mounted)" 0
rm "$(cfg "$wimg")/SOFTWARE"
rc=0; out=$(sc diff tls12-strict --image "$wimg" 2>&1) || rc=$?
expect_rc "a missing hive under Wine" "$rc" 2
expect_eq "not created by the attempt" "$(ls "$(cfg "$wimg")")" SYSTEM
expect_eq "nothing loaded" "$(mounted)" 0

finish
