#!/usr/bin/env bash
# Proof that the registry values schannelcfg writes change what Windows
# really negotiates (issue 8). Under Wine, whose SChannel honours
# SCHANNEL\Protocols\<P>\Client Enabled/DisabledByDefault (../shared/
# TOOLCHAIN.md), a handshake-only SSPI client (tests/tls/tlsclient.c, built
# as build/win/tests/tlsclient.exe; system default protocols, a new process
# per probe because SChannel reads the setting once per process) connects to
# three `openssl s_server` instances on 127.0.0.1, each restricted to one
# version (TLS 1.0, 1.1, 1.2):
#   T0 controls: each server speaks only its own version (openssl s_client).
#   T1 before: all three servers accept the client, each at its version.
#   T2 `apply tls12-strict` (exit 3010): reg query shows TLS 1.0/1.1 client
#      Enabled=0 DisabledByDefault=1, TLS 1.2 client 1/0; `check` is 0; the
#      1.0 and 1.1 servers fail the handshake, the 1.2 server succeeds.
#   T3 `rollback` (3010): the values are gone again; all three succeed.
#   T4 apply tests/tls/no-tls12-client.ini (TLS 1.2 client off, nothing
#      else): the 1.2 server fails, 1.0 and 1.1 still succeed (so it is the
#      1.2 setting, not a broken client); rollback: all three succeed.
# A probe "succeeds" when tlsclient exits 0 and names the server's version;
# it "fails" only with tlsclient's exit 1 (handshake refused): a network
# error, a timeout or a credentials failure is a test failure, not a pass.
# Under Wine 8.0 (GnuTLS) every version negotiates as TOOLCHAIN.md says; a
# refused version makes InitializeSecurityContext return 0x80090304
# (SEC_E_INTERNAL_ERROR) after Wine prints "GnuTLS error: A packet with
# illegal or unsupported version was received."; Windows reports other
# codes, which is why only the exit status is checked.
# The servers are started and stopped here (by PID, each bounded by
# `timeout`), listen on loopback only, on free ports picked at random.
. "$(dirname "$0")/lib_wine.sh"

TLSCLIENT=${TLSCLIENT:-$ROOT/build/win/tests/tlsclient.exe}
FIXTURE=$ROOT/tests/tls/no-tls12-client.ini
SERVER_LIFETIME=150 # seconds; the whole test takes far less
PROBE_MS=8000       # tlsclient's own bound; `timeout` adds a margin around Wine

for f in "$EXE" "$TLSCLIENT"; do
    if [ ! -f "$f" ]; then
        echo "missing $f: run make -f Makefile.mingw tests"
        exit 1
    fi
done
command -v openssl >/dev/null || { echo "openssl is not installed"; exit 1; }

SERVER_PIDS=()
cleanup_tls() {
    local pid
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${SERVER_PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    cleanup_e2e
}
trap cleanup_tls EXIT

# ---- servers

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$TMP/key.pem" -out "$TMP/cert.pem" >"$TMP/req.log" 2>&1 ||
    { cat "$TMP/req.log"; exit 1; }

port_free() {
    ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

# start_server FLAG: an s_server speaking only that version (-tls1,
# -tls1_1, -tls1_2); sets PORT. OpenSSL 3 refuses TLS 1.0/1.1 (SHA-1
# signatures) at its default security level, hence SECLEVEL=0.
start_server() {
    local flag=$1 pid log
    for _ in $(seq 1 20); do
        PORT=$((20000 + RANDOM % 40000))
        port_free "$PORT" || continue
        log=$TMP/server$flag.$PORT.log
        timeout "$SERVER_LIFETIME" openssl s_server -accept "127.0.0.1:$PORT" \
            -cert "$TMP/cert.pem" -key "$TMP/key.pem" "$flag" \
            -cipher 'DEFAULT:@SECLEVEL=0' -www </dev/null >"$log" 2>&1 &
        pid=$!
        for _ in $(seq 1 50); do
            grep -q '^ACCEPT' "$log" 2>/dev/null && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if grep -q '^ACCEPT' "$log" && kill -0 "$pid" 2>/dev/null; then
            SERVER_PIDS+=("$pid")
            return 0
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    echo "cannot start openssl s_server $flag on a free port"
    cat "$log"
    exit 1
}

declare -A PORT_OF
VERSIONS=("TLS 1.0" "TLS 1.1" "TLS 1.2")
declare -A FLAG_OF=(["TLS 1.0"]=-tls1 ["TLS 1.1"]=-tls1_1 ["TLS 1.2"]=-tls1_2)
for v in "${VERSIONS[@]}"; do
    start_server "${FLAG_OF[$v]}"
    PORT_OF[$v]=$PORT
done
echo "  servers: TLS 1.0 on :${PORT_OF[TLS 1.0]}, TLS 1.1 on :${PORT_OF[TLS 1.1]}," \
    "TLS 1.2 on :${PORT_OF[TLS 1.2]}"

# ---- probes

# probe LABEL VERSION ok|fail: one new tlsclient process against the
# VERSION-only server.
probe() {
    local label=$1 v=$2 want=$3 rc=0 out
    timeout $((PROBE_MS / 1000 + 20)) wine "$TLSCLIENT" "${PORT_OF[$v]}" "$PROBE_MS" \
        </dev/null >"$TMP/probe.out" 2>&1 || rc=$?
    out=$(tr -d '\r' <"$TMP/probe.out")
    if [ "$want" = ok ]; then
        if [ "$rc" -eq 0 ] && [[ "$out" == *"negotiated $v "* ]]; then
            ok "$label: $v server accepts the client (${out%% (*})"
        else
            not_ok "$label: $v server should accept the client: exit $rc"
            printf '%s\n' "$out" | sed 's/^/       | /'
        fi
    else
        if [ "$rc" -eq 1 ]; then
            ok "$label: $v server: handshake refused ($(printf '%s' "$out" | tail -1 |
                sed 's/^tlsclient: //'))"
        else
            not_ok "$label: $v server should refuse the handshake (tlsclient exit 1): exit $rc"
            printf '%s\n' "$out" | sed 's/^/       | /'
        fi
    fi
}

# expect_client VERSION ENABLED DISABLEDBYDEFAULT: reg query of
# Protocols\VERSION\Client ("ABSENT" for a missing value).
expect_client() {
    local v=$1
    expect_eq "reg query: $v\\Client Enabled = $2" \
        "$(reg_value "$PROTOS\\$v\\Client" Enabled)" "$2"
    expect_eq "reg query: $v\\Client DisabledByDefault = $3" \
        "$(reg_value "$PROTOS\\$v\\Client" DisabledByDefault)" "$3"
}

# run_sc WHAT EXPECTED-RC ARGS...: the exe, output kept in a file.
run_sc() {
    local what=$1 want=$2 rc=0
    shift 2
    sc "$@" </dev/null >"$TMP/sc.out" 2>&1 || rc=$?
    if [ "$rc" -eq "$want" ]; then
        ok "$what (exit $rc)"
    else
        not_ok "$what: exit $rc, expected $want"
        tr -d '\r' <"$TMP/sc.out" | sed 's/^/       | /' | tail -20
    fi
}

echo "T0 controls: each server speaks only its own version"
for v in "${VERSIONS[@]}"; do
    for other in "${VERSIONS[@]}"; do
        rc=0
        timeout 10 openssl s_client -connect "127.0.0.1:${PORT_OF[$v]}" "${FLAG_OF[$other]}" \
            -cipher 'DEFAULT:@SECLEVEL=0' </dev/null >"$TMP/s_client.out" 2>&1 || rc=$?
        if [ "$v" = "$other" ]; then
            expect_rc "openssl s_client $other -> $v server" "$rc" 0
        elif [ "$rc" -ne 0 ]; then
            ok "openssl s_client $other -> $v server refused"
        else
            not_ok "openssl s_client $other -> $v server: accepted; the server is not restricted"
        fi
    done
done

new_prefix

echo "T1 before: Wine's defaults"
expect_client "TLS 1.0" ABSENT ABSENT
expect_client "TLS 1.2" ABSENT ABSENT
for v in "${VERSIONS[@]}"; do probe before "$v" ok; done

echo "T2 apply tls12-strict"
run_sc "apply tls12-strict" 194 apply tls12-strict
run_sc "check tls12-strict after apply" 0 check tls12-strict
expect_client "TLS 1.0" "REG_DWORD 0x0" "REG_DWORD 0x1"
expect_client "TLS 1.1" "REG_DWORD 0x0" "REG_DWORD 0x1"
expect_client "TLS 1.2" "REG_DWORD 0x1" "REG_DWORD 0x0"
probe tls12-strict "TLS 1.0" fail
probe tls12-strict "TLS 1.1" fail
probe tls12-strict "TLS 1.2" ok

echo "T3 rollback"
run_sc "rollback" 194 rollback
expect_client "TLS 1.0" ABSENT ABSENT
expect_client "TLS 1.1" ABSENT ABSENT
expect_client "TLS 1.2" ABSENT ABSENT
for v in "${VERSIONS[@]}"; do probe "after rollback" "$v" ok; done

echo "T4 fixture: TLS 1.2 client disabled"
run_sc "apply no-tls12-client.ini" 194 apply "Z:${FIXTURE//\//\\}"
expect_client "TLS 1.2" "REG_DWORD 0x0" "REG_DWORD 0x1"
expect_client "TLS 1.0" ABSENT ABSENT
probe no-tls12-client "TLS 1.2" fail
probe no-tls12-client "TLS 1.1" ok
probe no-tls12-client "TLS 1.0" ok
run_sc "rollback of the fixture" 194 rollback
expect_client "TLS 1.2" ABSENT ABSENT
for v in "${VERSIONS[@]}"; do probe "after rollback" "$v" ok; done

finish
