#!/usr/bin/env bash
# Golden images and fleets, under Wine with the real exe: the pipeline
# examples' commands and exit-code handling, one Event Log event per
# apply/rollback, --format json on every command, capture round trip, and
# the Windows-version checks (Wine reports 6.1.7601, Windows 7 SP1).
source "$(dirname "$0")/lib_wine.sh"

PIPE=$ROOT/examples/pipelines
PY=/usr/bin/python3   # Debian's python, where python3-jinja2 is installed

# The examples call C:\Tools\schannelcfg.exe: put the exe (and the image
# profile) there in each prefix.
tools_prefix() {
    new_prefix
    mkdir -p "$WINEPREFIX/drive_c/Tools"
    cp "$EXE" "$WINEPREFIX/drive_c/Tools/schannelcfg.exe"
    cp "$PIPE"/image/pin-cipher-order.* "$PIPE"/image/pin-cipher-order-task.xml "$WINEPREFIX/drive_c/Tools/"
}

wcmd() { # runs a Windows command line; prints output; returns its exit code
    wine_run cmd /c "$@" 2>&1
}

json_ok() { # WHAT JSON: parses and has schema 1 and the expected kind
    local what=$1 json=$2 kind=$3 got
    # object_pairs_hook: a key given twice in one object is an error too.
    got=$(printf '%s' "$json" | $PY -c '
import json, sys
def once(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise SystemExit("duplicate key in " + repr(keys))
    return dict(pairs)
d = json.load(sys.stdin, object_pairs_hook=once)
print(d["schema"], d["kind"])' 2>&1) || true
    expect_eq "$what is JSON (schema 1, kind $kind)" "$got" "1 $kind"
}

echo "-- Packer: the provisioners' commands, with valid_exit_codes"
tools_prefix
codes_of() { # the valid_exit_codes of the N-th provisioner in the .hcl
    awk '/valid_exit_codes/ { n++; if (n == '"$1"') { gsub(/[^0-9,]/, ""); print } }' "$PIPE/packer/tls.pkr.hcl"
}
cmds=$(grep -o '"C:\\\\Tools[^"]*"' "$PIPE/packer/tls.pkr.hcl" | sed 's/^"//; s/"$//; s/\\\\/\\/g')
i=0
while IFS= read -r cmd; do
    i=$((i + 1))
    out=$(wcmd "$cmd") && rc=0 || rc=$?
    rc=$((rc == 194 ? 3010 : rc))
    case ",$(codes_of $i)," in
    *",$rc,"*) ok "packer provisioner $i: exit $rc is in valid_exit_codes [$(codes_of $i)]" ;;
    *) not_ok "packer provisioner $i: exit $rc not in [$(codes_of $i)]: $out" ;;
    esac
done <<<"$cmds"
expect_eq "packer runs two schannelcfg provisioners" "$i" 2

echo "-- Ansible: changed_when / failed_when on real results"
tools_prefix
ansible_cmd=$(awk '/win_command: C:\\Tools\\schannelcfg.exe apply/ { sub(/.*win_command: /, ""); print; exit }' "$PIPE/ansible/schannelcfg.yml")
changed_expr=$(awk '/changed_when: \(/ { sub(/.*changed_when: /, ""); print; exit }' "$PIPE/ansible/schannelcfg.yml")
failed_expr=$(awk '/failed_when: schannelcfg.rc/ { sub(/.*failed_when: /, ""); print; exit }' "$PIPE/ansible/schannelcfg.yml")
judge() { # RC STDOUT -> "changed=<bool> failed=<bool>" as Ansible would decide
    RC=$1 OUT=$2 CH=$changed_expr FA=$failed_expr $PY - <<'EOF'
import json, os
from jinja2 import Environment
env = Environment()
env.filters["from_json"] = json.loads
reg = {"rc": int(os.environ["RC"]), "stdout": os.environ["OUT"]}
def ev(expr):
    return bool(env.compile_expression(expr)(schannelcfg=reg))
failed = ev(os.environ["FA"])
changed = ev(os.environ["CH"]) if not failed else False
print("changed=%s failed=%s" % (changed, failed))
EOF
}
out=$(wcmd "$ansible_cmd" 2>/dev/null) && rc=0 || rc=$?
expect_eq "ansible: first apply is changed, not failed" "$(judge $((rc == 194 ? 3010 : rc)) "$out")" "changed=True failed=False"
out=$(wcmd "$ansible_cmd" 2>/dev/null) && rc=0 || rc=$?
expect_eq "ansible: second apply is not changed" "$(judge "$rc" "$out")" "changed=False failed=False"
bad_cmd=${ansible_cmd/tls12-strict/no-such-profile}
out=$(wcmd "$bad_cmd" 2>/dev/null) && rc=0 || rc=$?
expect_eq "ansible: an unknown profile fails the task" "$(judge "$rc" "{}")" "changed=False failed=True"

echo "-- Intune: detection and remediation"
tools_prefix
intune_exit() { # FILE RC: the exit the script maps schannelcfg's exit code to
    case $(basename "$1") in
    detect.ps1) grep -q 'if ($code -eq 0) { exit 0 } else { exit 1 }' "$1" && { [ "$2" -eq 0 ] && echo 0 || echo 1; } ;;
    remediate.ps1) grep -q 'if ($code -in 0, 3010) { exit 0 } else { exit 1 }' "$1" && { case $2 in 0|3010) echo 0 ;; *) echo 1 ;; esac; } ;;
    esac
}
script_cmd() { # the schannelcfg command line of a .ps1
    local exe args
    exe=$(sed -n 's/^\$exe = "\(.*\)"/\1/p' "$1")
    args=$(sed -n 's/^\$output = & \$exe \(.*\) 2>&1/\1/p' "$1")
    printf '%s %s' "$exe" "$args"
}
out=$(wcmd "$(script_cmd "$PIPE/intune/detect.ps1")") && rc=0 || rc=$?
expect_eq "intune: detection on a fresh machine asks for remediation" "$(intune_exit "$PIPE/intune/detect.ps1" "$rc")" 1
out=$(wcmd "$(script_cmd "$PIPE/intune/remediate.ps1")") && rc=0 || rc=$?
expect_eq "intune: remediation succeeds" "$(intune_exit "$PIPE/intune/remediate.ps1" $((rc == 194 ? 3010 : rc)))" 0
out=$(wcmd "$(script_cmd "$PIPE/intune/detect.ps1")") && rc=0 || rc=$?
expect_eq "intune: detection after remediation is compliant" "$(intune_exit "$PIPE/intune/detect.ps1" "$rc")" 0

echo "-- Image: pin a cipher order without GPO"
tools_prefix
out=$(wcmd 'set SCHANNELCFG_NO_TASK=1&& C:\Tools\pin-cipher-order.cmd') && rc=0 || rc=$?
expect_rc "pin-cipher-order refuses on Windows 7 (the names are 2016+)" "$rc" 2
expect_contains "and says which suite" "$out" "does not exist on Windows Server 2008 R2 / 7"
# Wine's Task Scheduler ignores boot triggers, principals and actions in
# task XML, so the task is checked as XML here, and the command it runs is
# run directly below.
out=$(wcmd 'set SCHANNELCFG_NO_TASK=1&& set SCHANNELCFG_EXTRA=--force&& C:\Tools\pin-cipher-order.cmd') && rc=0 || rc=$?
expect_rc "pin-cipher-order --force applies" "$rc" 194
got=$(reg_value 'HKLM\SYSTEM\CurrentControlSet\Control\Cryptography\Configuration\Local\SSL\00010002' Functions)
expect_eq "the local list is the pinned order" "$got" "REG_MULTI_SZ $(sed -n 's/^order = //p' "$PIPE/image/pin-cipher-order.ini" | sed 's/ /\\0/g')"
task=$($PY -c '
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
root = ET.parse(sys.argv[1]).getroot()
print(root.find("t:Triggers/t:BootTrigger", ns) is not None,
      root.find("t:Principals/t:Principal/t:UserId", ns).text,
      root.find("t:Actions/t:Exec/t:Command", ns).text,
      root.find("t:Actions/t:Exec/t:Arguments", ns).text)' "$PIPE/image/pin-cipher-order-task.xml")
expect_eq "the startup task: boot trigger, SYSTEM, schannelcfg apply of the profile" "$task" \
    'True S-1-5-18 C:\Tools\schannelcfg.exe apply C:\Tools\pin-cipher-order.ini'
grep -qF 'schtasks /create /f /tn "schannelcfg pin cipher order" /xml "%~dp0pin-cipher-order-task.xml"' \
    "$PIPE/image/pin-cipher-order.cmd" && ok "the script registers that task" || not_ok "the script does not register the task XML"
out=$(wcmd 'C:\Tools\schannelcfg.exe apply C:\Tools\pin-cipher-order.ini --force') && rc=0 || rc=$?
expect_rc "the task's command on a pinned image writes nothing" "$rc" 0
expect_contains "and says so" "$out" "Nothing to do"

echo "-- Event Log: one event per apply and rollback, none for reads"
new_prefix
events() { # runs schannelcfg with eventlog tracing; prints the event lines
    WINEDEBUG=-all,+eventlog wine_run "$EXE" "$@" 2>&1 >/dev/null | grep 'ReportEventW' || true
}
ev=$(events diff azure-mma)
expect_eq "diff logs nothing" "$ev" ""
ev=$(events apply azure-mma)
expect_eq "apply logs exactly one event" "$(printf '%s\n' "$ev" | grep -c ReportEventW)" 1
for field in "schannelcfg apply by " "azure-mma-tls12" "4 value(s) changed" "snapshot 2" "reboot required: yes"; do
    expect_contains "the apply event says [$field]" "$ev" "$field"
done
ev=$(events apply azure-mma)
expect_eq "a compliant apply logs nothing (it did nothing)" "$ev" ""
ev=$(events rollback)
expect_eq "rollback logs exactly one event" "$(printf '%s\n' "$ev" | grep -c ReportEventW)" 1
expect_contains "the rollback event names the rollback" "$ev" "schannelcfg rollback by "

echo "-- --format json on every command"
new_prefix
json_ok "list" "$(sc list --format json)" list
json_ok "show" "$(sc show tls12-strict --format json)" show
json_ok "diff" "$(sc diff tls12-strict --format json)" diff
json_ok "check" "$(sc check tls12-strict --format json)" check
json_ok "apply" "$(sc apply tls12-strict --format json)" apply
json_ok "snapshots" "$(sc snapshots --format json)" snapshots
json_ok "capture" "$(sc capture --format json 2>/dev/null)" capture
json_ok "rollback" "$(sc rollback --format json)" rollback
sc apply tls12-strict --format json >"$TMP/apply.json" 2>/dev/null || true
status=$($PY -c 'import json,sys; d=json.load(sys.stdin); print(d["status"], d["exit_code"], d["changes"] > 0)' <"$TMP/apply.json")
expect_eq "apply JSON: status, exit code, changes" "$status" "applied 3010 True"

echo "-- capture after apply tls12-strict, applied to a fresh prefix"
new_prefix
sc apply tls12-strict >/dev/null 2>&1 || true
sc capture >"$TMP/captured.ini" 2>"$TMP/capture.err" && rc=0 || rc=$?
expect_rc "capture" "$rc" 0
expect_contains "capture says TLS 1.0 client is disabled" "$(cat "$TMP/captured.ini")" $'[protocol "TLS 1.0"]\nclient = disabled'
export_tree() { wine_run reg export "$1" "$TMP/$2.reg" /y >/dev/null 2>&1; iconv -f UTF-16 -t UTF-8 "$TMP/$2.reg" | tr -d '\r' | grep -v '^$'; }
want=$(export_tree 'HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL' want)
cp "$TMP/captured.ini" "$TMP/keep.ini"
new_prefix
cp "$TMP/keep.ini" "$WINEPREFIX/drive_c/captured.ini"
out=$(sc apply 'C:\captured.ini' 2>&1) && rc=0 || rc=$?
expect_rc "the captured profile applies to a fresh prefix" "$rc" 194
got=$(export_tree 'HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL' got)
expect_eq "SCHANNEL subtree identical to the captured machine's" "$got" "$want"
out=$(sc check 'C:\captured.ini' 2>&1) && rc=0 || rc=$?
expect_rc "and it is compliant with the captured profile" "$rc" 0

echo "-- Windows version (Wine reports 6.1.7601)"
new_prefix
out=$(sc apply best-practices 2>&1) && rc=0 || rc=$?
expect_rc "best-practices (2012 R2+) refused on Windows 7" "$rc" 2
expect_contains "with the reason" "$out" "applies to windows >= 6.3"
printf '[profile]\nname = t13\nsummary = s\n[protocol "TLS 1.3"]\nclient = enabled\n' >"$WINEPREFIX/drive_c/t13.ini"
out=$(sc apply 'C:\t13.ini' 2>&1) && rc=0 || rc=$?
expect_rc "enabling TLS 1.3 refused before build 20348" "$rc" 2
expect_contains "naming TLS 1.3" "$out" "TLS 1.3 is enabled, but this Windows (6.1.7601)"
out=$(reg_value 'HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.3\Client' Enabled)
expect_eq "and nothing was written" "$out" ABSENT
out=$(sc show p2s-vpn 2>&1) && rc=0 || rc=$?
expect_contains "p2s-vpn names KB3140245 on Windows 7" "$out" "KB3140245"
expect_contains "p2s-vpn names KB2977292 on Windows 7" "$out" "KB2977292"

finish
