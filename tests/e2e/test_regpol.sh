#!/usr/bin/env bash
# `diff PROFILE --format pol` (a Registry.pol, src/regpol.h), checked by an
# independent reader, Samba's samba.dcerpc.preg (Debian's python3-samba,
# through Debian's own /usr/bin/python3):
#   P1 for each baseline and a seed on the example states: the file parses
#      (PReg header, version 1); every entry agrees with the state `apply`
#      produces (a value: same type and bytes; "**del.NAME": the value is
#      gone), and every value apply changes has its entry (nothing missing,
#      nothing extra).
#   P2 the Windows exe under Wine writes the same bytes (binary stdout), and
#      the same again with --output FILE.
#   P3 --format pol on check, --output without --format pol, and a profile
#      that does not compile: exit 2, nothing on stdout.
. "$(dirname "$0")/lib_wine.sh"

PY=/usr/bin/python3
REGTOOL=${REGTOOL:-$ROOT/build/host/tests/regtool}
if [ ! -x "$REGTOOL" ]; then
    make -s -C "$ROOT" build/host/tests/regtool >/dev/null
fi

# compare POL BEFORE_DUMP AFTER_DUMP: prints "ok N" or the mismatches.
compare() {
    "$PY" - "$@" <<'PYEOF'
import sys
from samba.ndr import ndr_unpack
from samba.dcerpc import preg

def dump(path):
    vals, key = {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("["):
            key = line[1:-1]
        elif line.startswith('  "'):
            name, rest = line[3:].split('" ', 1)
            vals[(key.lower(), name.lower())] = rest
    return vals

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"PReg\x01\x00\x00\x00", "bad header"
pol = ndr_unpack(preg.file, data)
before, after = dump(sys.argv[2]), dump(sys.argv[3])
names = {1: "REG_SZ", 3: "REG_BINARY", 4: "REG_DWORD", 7: "REG_MULTI_SZ"}
bad, seen = [], set()
for e in pol.entries:
    k = (e.keyname.lower(), e.valuename.lower())
    if e.valuename.lower().startswith("**del."):
        k = (e.keyname.lower(), e.valuename[6:].lower())
        if k in after:
            bad.append("deleted but present after apply: %r" % (k,))
    else:
        d = e.data
        if isinstance(d, int):
            raw = d.to_bytes(4, "little")
        elif isinstance(d, str):
            raw = (d + "\0").encode("utf-16-le")
        elif isinstance(d, (list, tuple)) and d and isinstance(d[0], int):
            raw = bytes(d)
        elif isinstance(d, (list, tuple)):
            raw = "".join(s + "\0" for s in d).encode("utf-16-le") + b"\0\0"
        else:
            raw = bytes(d)
        want = "%s:%s" % (names.get(e.type, "?"), raw.hex())
        if after.get(k) != want:
            bad.append("%r: pol %s, apply %s" % (k, want, after.get(k)))
    seen.add(k)
for k in set(before) | set(after):
    if before.get(k) != after.get(k) and k not in seen:
        bad.append("apply changed %r, the Registry.pol has no entry" % (k,))
print("\n".join(bad) if bad else "ok %d" % len(pol.entries))
PYEOF
}

check_profile() { # PROFILE STATE OS
    local p=$1 state=$2 os=$3 out
    cp "$state" "$TMP/s.reg"
    if ! "$HOSTBIN" diff "$p" --state "$TMP/s.reg" --os "$os" --format pol >"$TMP/p.pol"; then
        not_ok "P1 $p $os: diff --format pol failed"
        return
    fi
    "$REGTOOL" dump "$TMP/s.reg" >"$TMP/before.txt"
    "$HOSTBIN" apply "$p" --state "$TMP/s.reg" --os "$os" --force >/dev/null 2>&1 || true
    "$REGTOOL" dump "$TMP/s.reg" >"$TMP/after.txt"
    out=$(compare "$TMP/p.pol" "$TMP/before.txt" "$TMP/after.txt" 2>&1)
    case $out in
    "ok "*) ok "P1 $p on $(basename "$state") $os: $out entries agree with apply" ;;
    *) not_ok "P1 $p $os: $out" ;;
    esac
}

echo "test_regpol: Registry.pol export"
if ! "$PY" -c 'import samba.dcerpc.preg' 2>/dev/null; then
    not_ok "python3-samba is not installed (scripts/setup-deps.sh installs it)"
    finish
fi
W7=$ROOT/examples/states/ws2008r2.reg
W16=$ROOT/examples/states/ws2016-gpo.reg
for p in nist-800-52r2 pci-dss-4 fips-140 mozilla-intermediate os-defaults tls12-strict; do
    check_profile "$p" "$W7" 6.1.7601
    check_profile "$p" "$W16" 10.0.14393
done
check_profile mozilla-modern "$W16" 10.0.20348
check_profile os-defaults "$W16" 10.0.20348

# P2: the exe's bytes are the native binary's.
new_prefix
cp "$W16" "$TMP/w.reg"
"$HOSTBIN" diff nist-800-52r2 --state "$TMP/w.reg" --os 10.0.14393 --format pol >"$TMP/native.pol"
rc=0
sc diff nist-800-52r2 --state "$(winepath -w "$TMP/w.reg" 2>/dev/null)" --os 10.0.14393 \
    --format pol >"$TMP/exe.pol" 2>"$TMP/exe.err" || rc=$?
if [ "$rc" = 0 ] && cmp -s "$TMP/native.pol" "$TMP/exe.pol"; then
    ok "P2 schannelcfg.exe writes the same $(wc -c <"$TMP/exe.pol") bytes"
else
    not_ok "P2 exe rc=$rc, bytes differ: $(cat "$TMP/exe.err")"
fi

rc=0
sc diff nist-800-52r2 --state "$(winepath -w "$TMP/w.reg" 2>/dev/null)" --os 10.0.14393 \
    --format pol --output "$(winepath -w "$TMP/exe-out.pol" 2>/dev/null)" >/dev/null 2>&1 || rc=$?
if [ "$rc" = 0 ] && cmp -s "$TMP/native.pol" "$TMP/exe-out.pol"; then
    ok "P2 ... and with --output FILE"
else
    not_ok "P2 exe --output: rc=$rc, or the bytes differ"
fi

# P3: refusals.
rc=0
"$HOSTBIN" diff nist-800-52r2 --state "$W16" --output "$TMP/x" >"$TMP/o" 2>"$TMP/e" || rc=$?
expect_rc "P3 --output without --format pol" "$rc" 2
expect_contains "P3 ... says what it is for" "$(cat "$TMP/e")" "--output is for --format pol"
rc=0
"$HOSTBIN" check nist-800-52r2 --state "$W16" --format pol >"$TMP/o" 2>"$TMP/e" || rc=$?
expect_rc "P3 check --format pol is a usage error" "$rc" 2
expect_contains "P3 ... saying what --format takes" "$(cat "$TMP/e")" "must be text or json"
rc=0
"$HOSTBIN" diff mozilla-modern --state "$W16" --os 6.1.7601 --format pol >"$TMP/o" 2>"$TMP/e" || rc=$?
expect_rc "P3 a profile that refuses the release" "$rc" 2
expect_eq "P3 ... and nothing written to stdout" "$(wc -c <"$TMP/o")" 0
finish
