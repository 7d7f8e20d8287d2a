#!/usr/bin/env bash
# `schannelcfg probe` on the wire (issue 18), under Wine, loopback only:
#   P1 five `openssl s_server` instances on 127.0.0.1, each restricted to one
#      protocol and a chosen cipher list: probe (one new process each)
#      reports exactly that protocol accepted, with a suite from the list.
#   P2 a real peer: nmap's ssl-enum-ciphers scans the same servers; for every
#      protocol probe and nmap agree on accepted/refused wherever the probe
#      could test it (Wine 8's SChannel cannot start TLS 1.3 or SSL 3.0 as a
#      client: probe says "refused_by": "client" there), and every suite
#      probe saw is one nmap lists and one the server was given
#      (tests/e2e/probe_vs_nmap.py, which also prints the table).
#   P3 exit codes: a closed port is a network failure (7), a bad host 2.
#   P4 probe --offer in a throwaway prefix, a new process each time: TLS 1.0
#      and 1.1 offered before; after `apply tls12-strict` only TLS 1.2, as the
#      registry says (no version difference); after `rollback` 1.0 and 1.1
#      again. check --live wraps check's JSON and adds the live offer.
# nmap runs a connect scan (-sT): no raw sockets, whatever the privileges.
# Servers are started and stopped here by PID (each also bounded by
# `timeout`), on free ports picked at random, retried on a collision.
. "$(dirname "$0")/lib_wine.sh"

PY=/usr/bin/python3
SERVER_LIFETIME=120
for tool in openssl nmap "$PY"; do
    command -v "$tool" >/dev/null || { echo "missing $tool (scripts/setup-deps.sh installs it)"; exit 1; }
done
[ -f "$EXE" ] || { echo "missing $EXE: run make -f Makefile.mingw"; exit 1; }

PIDS=()
stop_servers() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    cleanup_e2e
}
trap stop_servers EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=probe.test \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >"$TMP/req.log" 2>&1 ||
    { cat "$TMP/req.log"; exit 1; }

# serve NAME ARGS...: an s_server with ARGS on a free loopback port; sets
# PORT_OF[NAME]. A port another process took first shows as a server that
# exits without printing ACCEPT: then another port is tried.
declare -A PORT_OF
serve() {
    local name=$1 port pid log try i
    shift
    for try in 1 2 3 4 5 6 7 8; do
        port=$((20000 + RANDOM % 40000))
        log=$TMP/server.$name.log
        timeout "$SERVER_LIFETIME" openssl s_server -accept "127.0.0.1:$port" \
            -cert "$TMP/cert.pem" -key "$TMP/key.pem" -www "$@" </dev/null >"$log" 2>&1 &
        pid=$!
        for i in $(seq 1 40); do
            grep -q '^ACCEPT' "$log" && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        if grep -q '^ACCEPT' "$log" && kill -0 "$pid" 2>/dev/null; then
            PIDS+=("$pid")
            PORT_OF[$name]=$port
            return 0
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    echo "cannot start s_server $name"; cat "$log"; exit 1
}

# NAME  PROTOCOL  s_server arguments  IANA names of the suites it was given
SERVERS=(
    "tls10|TLS 1.0|-tls1 -cipher ECDHE-RSA-AES128-SHA:@SECLEVEL=0|TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"
    "tls11|TLS 1.1|-tls1_1 -cipher AES256-SHA:@SECLEVEL=0|TLS_RSA_WITH_AES_256_CBC_SHA"
    "tls12|TLS 1.2|-tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256|TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
    "tls12rsa|TLS 1.2|-tls1_2 -cipher AES128-GCM-SHA256|TLS_RSA_WITH_AES_128_GCM_SHA256"
    "tls13|TLS 1.3|-tls1_3 -ciphersuites TLS_AES_256_GCM_SHA384|TLS_AES_256_GCM_SHA384"
)
for s in "${SERVERS[@]}"; do
    IFS='|' read -r name proto args suites <<<"$s"
    # shellcheck disable=SC2086
    serve "$name" $args
done

new_prefix

# json_get FILE EXPR: a Python expression over the document `d`.
json_get() {
    "$PY" -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); print(eval(sys.argv[2]))' "$1" "$2"
}

echo "P1 one protocol and a cipher list per server"
specs=()
for s in "${SERVERS[@]}"; do
    IFS='|' read -r name proto args suites <<<"$s"
    out=$TMP/probe.$name.json
    rc=0
    timeout 60 wine "$EXE" probe "127.0.0.1:${PORT_OF[$name]}" --format json --timeout 4000 \
        </dev/null >"$out" 2>"$TMP/probe.err" || rc=$?
    expect_rc "probe $name" "$rc" 0
    accepted=$(json_get "$out" '",".join(p["protocol"] for p in d["protocols"] if p["accepted"])')
    by_client=$(json_get "$out" '",".join(p["protocol"] for p in d["protocols"] if p["refused_by"] == "client")')
    if [[ ",$by_client," == *",$proto,"* ]]; then
        expect_eq "probe $name: nothing accepted ($proto: this client cannot)" "$accepted" ""
    else
        expect_eq "probe $name: accepted exactly $proto" "$accepted" "$proto"
        suite=$(json_get "$out" '[p["cipher_suite"] for p in d["protocols"] if p["accepted"]][0]')
        expect_contains "probe $name: negotiated $suite, one of the server's" ",$suites," ",$suite,"
    fi
    specs+=("$name=${PORT_OF[$name]}=$out=$suites")
done
expect_eq "probe: a server's certificate subject" \
    "$(json_get "$TMP/probe.tls12.json" '[p["certificate"]["subject"] for p in d["protocols"] if p["accepted"]][0]')" \
    "CN=probe.test"

echo "P2 the same servers through nmap ssl-enum-ciphers"
ports=$(IFS=,; echo "${PORT_OF[*]}")
rc=0
timeout 60 nmap -sT -Pn -n -p "$ports" --script ssl-enum-ciphers -oX "$TMP/nmap.xml" 127.0.0.1 \
    >"$TMP/nmap.txt" 2>&1 || rc=$?
expect_rc "nmap ssl-enum-ciphers" "$rc" 0
rc=0
"$PY" "$ROOT/tests/e2e/probe_vs_nmap.py" "$TMP/nmap.xml" "${specs[@]}" >"$TMP/compare.txt" || rc=$?
grep -E '^  (ok|FAIL)' "$TMP/compare.txt" || true
grep '^|' "$TMP/compare.txt" >"$ROOT/build/probe-vs-nmap.md" || true
expect_rc "probe and nmap agree (table: build/probe-vs-nmap.md)" "$rc" 0
# Every row the probe could test was compared (none skipped silently).
expect_eq "the comparison covered every testable protocol" \
    "$(grep -c '^  ok   .*: probe' "$TMP/compare.txt")" \
    "$(grep -E '^\| [a-z0-9]+ \| (SSL|TLS) ' "$TMP/compare.txt" | grep -vc 'n/a (client')"

echo "P3 exit codes"
closed=$((20000 + RANDOM % 40000))
while ss -Hltn "sport = :$closed" | grep -q .; do closed=$((20000 + RANDOM % 40000)); done
rc=0
timeout 30 wine "$EXE" probe "127.0.0.1:$closed" --timeout 2000 </dev/null >"$TMP/p3.out" 2>&1 || rc=$?
expect_rc "probe of a closed port: network failure" "$rc" 7
rc=0
wine "$EXE" probe 'bad_host!' </dev/null >"$TMP/p3.out" 2>&1 || rc=$?
expect_rc "probe of a bad host" "$rc" 2
rc=0
wine "$EXE" probe 127.0.0.1:1 127.0.0.2:1 </dev/null >"$TMP/p3.out" 2>&1 || rc=$?
expect_rc "probe of two hosts: one host a run" "$rc" 2

rc=0
out=$("$HOSTBIN" probe 127.0.0.1 2>&1) || rc=$?
expect_rc "the native build: probe needs Windows" "$rc" 2
expect_contains "and says so" "$out" "probe needs Windows (SChannel)"
rc=0
wine "$EXE" help probe </dev/null >"$TMP/help.out" 2>&1 || rc=$?
expect_contains "help probe documents exit 7" "$(tr -d '\r' <"$TMP/help.out")" "7     probe: no connection"

echo "P4 probe --offer before and after apply tls12-strict, and after rollback"
# offer LABEL: one new process; the offered and configured versions.
offer() {
    local rc=0
    timeout 60 wine "$EXE" probe --offer --format json </dev/null >"$TMP/offer.$1.json" \
        2>"$TMP/offer.err" || rc=$?
    expect_rc "probe --offer ($1)" "$rc" 0
    OFFERED=$(json_get "$TMP/offer.$1.json" '",".join(d["offered"]["versions"])')
    CONFIGURED=$(json_get "$TMP/offer.$1.json" '",".join(d["configured"]["versions"])')
    VERSION_DIFFS=$(json_get "$TMP/offer.$1.json" '",".join(x["name"] for x in d["differences"] if x["what"] == "version")')
}
offer before
expect_eq "before: TLS 1.0, 1.1 and 1.2 offered" "$OFFERED" "TLS 1.0,TLS 1.1,TLS 1.2"
expect_eq "before: the hello lists its suites (Wine's GnuTLS has 25)" \
    "$(json_get "$TMP/offer.before.json" 'len(d["offered"]["cipher_suites"]) > 10')" True
rc=0
sc apply tls12-strict >"$TMP/apply.out" 2>&1 || rc=$?
expect_rc "apply tls12-strict" "$rc" 194
offer strict
expect_eq "after apply: only TLS 1.2 offered" "$OFFERED" "TLS 1.2"
expect_eq "after apply: the registry says TLS 1.2 too" "$CONFIGURED" "TLS 1.2"
expect_eq "after apply: no version differs" "$VERSION_DIFFS" ""
expect_eq "after apply: TLS 1.0 refused by the client at a ServerHello" \
    "$(json_get "$TMP/offer.strict.json" '[v["server_hello_sent"] and not v["offered"] for v in d["offered"]["version_tests"] if v["version"] == "TLS 1.0"][0]')" True
rc=0
timeout 60 wine "$EXE" check tls12-strict --live --format json </dev/null >"$TMP/live.json" \
    2>"$TMP/live.err" || rc=$?
# Wine reads no cipher-suite order (../shared/REGISTRY.md): the live suites
# differ from tls12-strict's list, so check --live reports drift (1).
expect_rc "check --live after apply (suites: Wine ignores the order)" "$rc" 1
expect_eq "check --live: the check part is compliant" \
    "$(json_get "$TMP/live.json" 'd["check"]["changes"]')" 0
expect_eq "check --live: the live part has no version difference" \
    "$(json_get "$TMP/live.json" '",".join(x["name"] for x in d["live"]["differences"] if x["what"] == "version")')" ""
rc=0
sc rollback >"$TMP/rollback.out" 2>&1 || rc=$?
expect_rc "rollback" "$rc" 194
offer "after rollback"
expect_eq "after rollback: TLS 1.0 and 1.1 offered again" "$OFFERED" "TLS 1.0,TLS 1.1,TLS 1.2"

finish
