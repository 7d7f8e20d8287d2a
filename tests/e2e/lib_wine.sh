# What the end-to-end tests need of Wine (sourced, not run; sources lib.sh):
# each scenario gets a throwaway Wine prefix copied from the base prefix that
# scripts/test.sh prepared (build/wine/base), and runs the real .exe.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

WINE_BASE=${WINE_BASE:-$ROOT/build/wine/base}
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" WINEARCH=win64
unset DISPLAY

wine_cleanup() {
    if [ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ]; then
        wineserver -k >/dev/null 2>&1 || true
    fi
}

# new_prefix: a fresh registry for one scenario (about 2 s).
new_prefix() {
    if [ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ]; then
        wineserver -k >/dev/null 2>&1 || true
        rm -rf "$WINEPREFIX"
    fi
    export WINEPREFIX="$TMP/prefix.$RANDOM$RANDOM"
    cp -a "$WINE_BASE" "$WINEPREFIX"
    wineserver -p >/dev/null 2>&1 </dev/null || true
    # Start the prefix's background services now, with /dev/null as their
    # stdout: started from inside $(...) they would inherit its pipe and
    # the substitution would wait for them forever.
    wine cmd /c exit >/dev/null 2>&1 </dev/null || true
}

# wine_run ARGS...: runs `wine ARGS` with its output going to files, then
# prints them (stdout, then stderr to stderr) and returns its exit code.
# Never give wine a pipe: a Wine service it starts lazily inherits the pipe
# and the reader waits for it forever.
wine_run() {
    local rc=0
    wine "$@" >"$TMP/wine.out" 2>"$TMP/wine.err" </dev/null || rc=$?
    cat "$TMP/wine.out"   # as is: --format reg writes UTF-16LE bytes
    cat "$TMP/wine.err" >&2
    return $rc
}

# sc ARGS...: runs schannelcfg.exe; prints its stdout and stderr; returns
# its exit code modulo 256 (3010 arrives as 194).
sc() {
    wine_run "$EXE" "$@"
}

# winreg ARGS...: wine's reg.exe, output with CRs stripped.
winreg() {
    local rc=0
    wine_run reg "$@" >"$TMP/winreg.out" 2>&1 || rc=$?
    tr -d '\r' <"$TMP/winreg.out"
    return $rc
}

# reg_value KEY NAME [/reg:32|/reg:64]: prints "TYPE DATA" as reg query shows
# them, or "ABSENT". ABSENT only when reg.exe says so ("Unable to find"):
# now and then Wine fails to start a program at all (no output, non-zero
# exit), which once made W5 read a freshly imported list as absent; such a
# run is repeated, up to three times in all.
reg_value() {
    local key=$1 name=$2 view=${3:-/reg:64} out try rc
    for try in 1 2 3; do
        rc=0
        wine reg query "$key" /v "$name" "$view" >"$TMP/regq.out" 2>"$TMP/regq.err" </dev/null || rc=$?
        out=$(tr -d '\r' <"$TMP/regq.out")
        [ "$rc" -ne 0 ] && ! grep -q "Unable to find" "$TMP/regq.err" "$TMP/regq.out" && continue
        break
    done
    if [ "$rc" -ne 0 ]; then
        echo ABSENT
        return 0
    fi
    printf '%s\n' "$out" | awk -v n="$name" '
        { line = $0; sub(/^ +/, "", line) }
        index(line, n "    ") == 1 {
            rest = substr(line, length(n) + 5); split(rest, f, "    ")
            data = substr(rest, length(f[1]) + 5); print f[1] " " data; found = 1; exit }
        END { if (!found) print "ABSENT" }'
}

# The Component Based Servicing package the base prefix lists as installed
# (scripts/wine-prefix.sh): KB3080079, Remote Desktop over TLS 1.1/1.2.
KB3080079_PACKAGE='HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Component Based Servicing\Packages\Package_for_KB3080079~31bf3856ad364e35~amd64~~6.1.1.1'
