#!/usr/bin/env bash
# Baselines from the command line (the native binary on the example states):
#   B1 list groups the built-ins: seeds, baselines, others.
#   B2 check of a baseline: exit 1 on drift, findings grouped under "rule
#      ID" headings, the baseline's document named; --format json: the
#      document's baseline {name, version}, a rule on every changed entry
#      (of that baseline), null rule and baseline for a seed profile.
#   B3 show prints each setting's rule.
#   B4 apply of a baseline, then check: exit 0; then os-defaults: check
#      os-defaults exit 0, and the Group Policy order is gone.
#   B5 a bad rule id in a profile file: exit 2, file:line.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
REGTOOL=${REGTOOL:-$ROOT/build/host/tests/regtool}
if [ ! -x "$REGTOOL" ]; then
    make -s -C "$ROOT" build/host/tests/regtool >/dev/null
fi
W16=$ROOT/examples/states/ws2016-gpo.reg
echo "test_baselines: baselines on the command line"

out=$("$HOSTBIN" list)
expect_contains "B1 list has a Seeds group" "$out" "Seeds"
expect_contains "B1 ... and a Baselines group" "$out" "Baselines"
group_of() { # NAME: the heading above NAME in `list`
    printf '%s\n' "$out" | awk -v n="$1" '/^[A-Z]/{g=$1} $1==n{print g}'
}
expect_eq "B1 nist-800-52r2 is a baseline" "$(group_of nist-800-52r2)" Baselines
expect_eq "B1 azure-mma-tls12 is a seed" "$(group_of azure-mma-tls12)" Seeds
expect_eq "B1 best-practices is another" "$(group_of best-practices)" Others

rc=0
out=$("$HOSTBIN" check nist-800-52r2 --state "$W16" --os 10.0.14393 --no-color) || rc=$?
expect_rc "B2 check nist-800-52r2 on ws2016-gpo drifts" "$rc" 1
expect_contains "B2 ... names the document" "$out" "baseline: NIST SP 800-52 Rev. 2"
expect_contains "B2 ... groups findings by rule" "$out" "rule nist-800-52r2:3.1 ("
expect_contains "B2 ... and the suites' rule" "$out" "rule nist-800-52r2:3.3.1.1 ("
rc=0
"$HOSTBIN" check nist-800-52r2 --state "$W16" --os 10.0.14393 --format json >"$TMP/c.json" || rc=$?
expect_rc "B2 check --format json drifts too" "$rc" 1
res=$("$PY" - "$TMP/c.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
b = d["baseline"]
changed = [e for e in d["entries"] if e["changed"]]
bad = [e["reason"] for e in d["entries"] if not (e["rule"] or "").startswith("nist-800-52r2:")]
print(b["name"], bool(b["version"]), len(changed) > 0, len(bad))
PYEOF
)
expect_eq "B2 JSON: baseline, version, findings, a rule on every entry" "$res" "nist-800-52r2 True True 0"
"$HOSTBIN" diff azure-mma --state "$W16" --format json >"$TMP/s.json" || true
res=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["baseline"], {e["rule"] for e in d["entries"]})' "$TMP/s.json")
expect_eq "B2 a seed profile: baseline and rules null" "$res" "None {None}"

out=$("$HOSTBIN" show pci-dss-4 --os 10.0.20348)
expect_contains "B3 show prints the rule of a setting" "$out" "rule pci-dss-4:4.2.1(versions)"
expect_contains "B3 ... and the baseline" "$out" "baseline:   PCI DSS v4.0"

cp "$W16" "$TMP/w.reg"
rc=0
"$HOSTBIN" apply nist-800-52r2 --state "$TMP/w.reg" --os 10.0.14393 --force >/dev/null 2>&1 || rc=$?
expect_rc "B4 apply nist-800-52r2 (reboot required: 3010 mod 256)" "$rc" 194
rc=0
"$HOSTBIN" check nist-800-52r2 --state "$TMP/w.reg" --os 10.0.14393 >/dev/null || rc=$?
expect_rc "B4 then it complies" "$rc" 0
rc=0
"$HOSTBIN" apply os-defaults --state "$TMP/w.reg" --os 10.0.14393 --force >/dev/null 2>&1 || rc=$?
expect_rc "B4 apply os-defaults" "$rc" 194
rc=0
"$HOSTBIN" check os-defaults --state "$TMP/w.reg" --os 10.0.14393 >/dev/null || rc=$?
expect_rc "B4 then os-defaults complies" "$rc" 0
pol_fn=$("$REGTOOL" dump "$TMP/w.reg" | awk '/^\[/{k=$0} /"Functions"/{print k}' | grep -c Policies || true)
before_fn=$("$REGTOOL" dump "$W16" | awk '/^\[/{k=$0} /"Functions"/{print k}' | grep -c Policies || true)
expect_eq "B4 the state had a Group Policy order" "$before_fn" 1
expect_eq "B4 ... and after os-defaults it is gone" "$pol_fn" 0

printf '[profile]\nname = t\nsummary = t\n[ciphers]\nrule = not a rule\nNULL = disabled\n' >"$TMP/bad.ini"
rc=0
err=$("$HOSTBIN" show "$TMP/bad.ini" 2>&1) || rc=$?
expect_rc "B5 a bad rule id" "$rc" 2
expect_contains "B5 ... names file:line" "$err" "bad.ini:5: rule: expected an id"
finish
