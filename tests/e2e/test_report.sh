#!/usr/bin/env bash
# schannelcfg report over a small fleet made on the spot with the real
# native binary (state files stand in for machines: the machine is the
# file's name): the CSV parsed back by Python's csv module and compared
# with the documents themselves (Python's json); the JSON aggregate's
# counts; the HTML rendered by a real headless browser (Debian's chromium):
# a screenshot, the DOM after its script ran (counts, chart bars, sorting
# by "#sort="), no console errors; every broken document of
# tests/fixtures/report/bad skipped with its message. Under Wine, the exe's
# live check names the computer.
# REPORT_SCREENSHOT=FILE keeps the screenshot (scripts/report-screenshot.sh).
source "$(dirname "$0")/lib_wine.sh"

PY=/usr/bin/python3
STATES=$ROOT/examples/states
BAD=$ROOT/tests/fixtures/report/bad
FLEET=$TMP/fleet
mkdir -p "$FLEET" "$TMP/machines" "$TMP/prep"

# ---- a fleet: 6 machines, 2 profiles, 3 releases, one duplicate, reboots

reboot_marker() { # FILE.reg: appends the servicing stack's RebootPending key
    printf '\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\RebootPending]\r\n' |
        iconv -f UTF-8 -t UTF-16LE >>"$1"
}

check_doc() { # MACHINE STATE PROFILE TIME [--os V]
    local m=$1 state=$2 profile=$3 t=$4
    shift 4
    cp "$state" "$TMP/machines/$m.reg"
    SCHANNELCFG_FAKE_TIME=$t "$HOSTBIN" check "$profile" --state "$TMP/machines/$m.reg" "$@" \
        --format json >"$FLEET/$m.json" 2>/dev/null || true
}

check_doc web01 "$STATES/ws2008r2.reg" azure-mma 1764763200
check_doc web02 "$STATES/ws2008r2.reg" azure-mma 1764763260
cp "$STATES/ws2008r2.reg" "$TMP/prep/web03.reg"
"$HOSTBIN" apply azure-mma --state "$TMP/prep/web03.reg" >/dev/null 2>&1 || true
reboot_marker "$TMP/prep/web03.reg"
check_doc web03 "$TMP/prep/web03.reg" azure-mma 1764763320
check_doc sql01 "$STATES/ws2016-gpo.reg" tls12-strict 1764763380 --os 10.0.14393
check_doc sql02 "$STATES/ws2016-gpo.reg" tls12-strict 1764763440 --os 10.0.20348
cp "$STATES/ws2016-gpo.reg" "$TMP/prep/gold.reg"
"$HOSTBIN" apply disable-dhe --state "$TMP/prep/gold.reg" --os 10.0.20348 >/dev/null 2>&1 || true
check_doc gold "$TMP/prep/gold.reg" disable-dhe 1764763500 --os 10.0.20348
# an older run of web02 (must lose to the newer) and a UTF-16LE copy of
# sql02 as PowerShell 5.1's '>' writes it (must be read like the original)
cp "$FLEET/web02.json" "$TMP/web02-old.json"
sed -i 's/"time": "[^"]*"/"time": "2025-01-01T00:00:00Z"/' "$TMP/web02-old.json"
cp "$TMP/web02-old.json" "$FLEET/web02-old.json"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE <"$FLEET/sql02.json"; } >"$FLEET/sql02-ps.json"
rm "$FLEET/sql02.json"
cp "$FLEET/web01.json" "$TMP/web01-only.json"

docs=$(ls "$FLEET"/*.json | wc -l)
expect_eq "the fleet has 7 documents" "$docs" 7

# ---- CSV, parsed back and compared with the documents

out=$("$HOSTBIN" report "$FLEET" --format csv 2>"$TMP/csv.err") && rc=0 || rc=$?
expect_rc "report --format csv" "$rc" 0
printf '%s' "$out" >"$TMP/fleet.csv"
got=$($PY - "$TMP/fleet.csv" "$FLEET" <<'PYEOF'
import csv, glob, json, sys, codecs
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
docs = {}
for path in glob.glob(sys.argv[2] + '/*.json'):
    raw = open(path, 'rb').read()
    text = raw[2:].decode('utf-16-le') if raw[:2] == codecs.BOM_UTF16_LE else raw.decode()
    d = json.loads(text)
    old = docs.get(d['machine'].lower())
    if not old or d['time'] >= old['time']:
        docs[d['machine'].lower()] = d
problems = []
if [r['machine'] for r in rows] != sorted((d['machine'] for d in docs.values()), key=str.lower):
    problems.append('machines %s' % [r['machine'] for r in rows])
for r in rows:
    d = docs[r['machine'].lower()]
    os = d['os']
    want = {'machine': d['machine'], 'release': '%d.%d.%d' % (os['major'], os['minor'], os['build']),
            'profile': d['profile'], 'compliant': 'yes' if d['changes'] == 0 else 'no',
            'values_drifting': str(d['changes']), 'reboot_pending': 'yes' if d['reboot_pending'] else 'no',
            'time': d['time']}
    if r != want:
        problems.append('%s: %s != %s' % (r['machine'], r, want))
print('\n'.join(problems) if problems else 'same')
PYEOF
)
expect_eq "every CSV row is its machine's newest document" "$got" same
expect_contains "stderr counts read, skipped and duplicates" "$(cat "$TMP/csv.err")" \
    "7 documents read, 0 skipped, 1 duplicate; 6 machines, 2 compliant"

# ---- JSON aggregate

out=$("$HOSTBIN" report "$FLEET" "$BAD" --format json 2>/dev/null) && rc=0 || rc=$?
expect_rc "report --format json (with the broken corpus)" "$rc" 0
got=$(printf '%s' "$out" | $PY -c '
import json, sys
r = json.load(sys.stdin)
print(r["kind"], r["documents_read"], r["documents_skipped"], r["duplicates"], r["machines"],
      r["compliant"], r["reboot_pending"], len(r["profiles"]), len(r["releases"]),
      [m["machine"] for m in r["machine_list"] if m["reboot_pending"]],
      r["drifting_settings"][0]["machines"])')
nbad=$(ls "$BAD"/*.json | wc -l)
# the most drifting value, counted from the kept documents themselves
top=$($PY - "$FLEET" <<'PYEOF'
import codecs, collections, glob, json, sys
count, seen = collections.Counter(), {}
for path in glob.glob(sys.argv[1] + '/*.json'):
    raw = open(path, 'rb').read()
    d = json.loads(raw[2:].decode('utf-16-le') if raw[:2] == codecs.BOM_UTF16_LE else raw.decode())
    if d['machine'] not in seen or d['time'] >= seen[d['machine']]['time']:
        seen[d['machine']] = d
for d in seen.values():
    count.update({(e['key'], e['value'], e['view']) for e in d['entries'] if e['changed']})
print(count.most_common(1)[0][1])
PYEOF
)
expect_eq "aggregate counts" "$got" "report $((7 + nbad)) $nbad 1 6 2 1 3 3 ['web03'] $top"

# ---- broken documents: each named with its message, then skipped

"$HOSTBIN" report "$BAD" "$TMP/web01-only.json" --format csv >"$TMP/bad.csv" 2>"$TMP/bad.err" && rc=0 || rc=$?
expect_rc "a folder of broken documents and one good one" "$rc" 0
missing=0
while IFS=$'\t' read -r file want; do
    case "$file" in '#'* | '') continue ;; esac
    line=$(grep -F "$BAD/$file: skipped: " "$TMP/bad.err" || true)
    case "$line" in
    *"$want"*) ;;
    *) missing=$((missing + 1)); echo "       | $file: got [$line], expected [$want]" ;;
    esac
done <"$BAD/EXPECTED"
expect_eq "every broken document is named with its message" "$missing" 0
expect_eq "only the good one is a row" "$(tail -n +2 "$TMP/bad.csv" | wc -l)" 1
"$HOSTBIN" report "$BAD" >/dev/null 2>"$TMP/none.err" && rc=0 || rc=$?
expect_rc "nothing usable: exit 2" "$rc" 2
expect_contains "and says so" "$(cat "$TMP/none.err")" "no check or apply document among the $nbad files"
"$HOSTBIN" report "$FLEET" --format text >/dev/null 2>&1 && rc=0 || rc=$?
expect_rc "--format text is not a report format" "$rc" 2

# ---- HTML in a real browser

# (the skipped file named as a user would, relative: the page shows it)
(cd "$ROOT" && "$HOSTBIN" report "$FLEET" tests/fixtures/report/bad/05-schema-2.json) \
    >"$TMP/fleet.html" 2>/dev/null
expect_eq "no external resource in the page" \
    "$(grep -Eic '(src|href)="(https?:)?//|@import|url\(' "$TMP/fleet.html")" 0

# No network: the page is a local file, and the browser's own background
# services (updates, metrics, safe browsing) are off.
browser() { # OUTPUT-ARGS... URL: headless chromium, bounded in time
    timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-domain-reliability --no-pings --disable-extensions \
        --user-data-dir="$TMP/chromium" --enable-logging=stderr --v=0 "$@"
}

browser --window-size=1200,1500 --screenshot="$TMP/report.png" "file://$TMP/fleet.html" \
    >/dev/null 2>"$TMP/shot.err" || true
expect_eq "the browser took a screenshot (PNG)" \
    "$(head -c 8 "$TMP/report.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')" 89504e470d0a1a0a
browser --dump-dom "file://$TMP/fleet.html#sort=drifting-desc" >"$TMP/dom.html" 2>"$TMP/dom.err" || true
expect_eq "no console messages while rendering" \
    "$(grep -c 'CONSOLE' "$TMP/dom.err" "$TMP/shot.err" | awk -F: '{ s += $2 } END { print s }')" 0
got=$($PY - "$TMP/dom.html" <<'PYEOF'
import sys
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.stack, self.text = {}, [], {}
        self.rects = {}; self.body = {}; self.rows = []; self.in_machines = False; self.cell = None
        self.cur = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'body': self.body = a
        if 'id' in a: self.cur = a['id']; self.text[self.cur] = ''
        if tag == 'svg': self.svg = a.get('id')
        if tag == 'rect': self.rects.setdefault((self.svg, a.get('class')), []).append(int(a['width']))
        if tag == 'table' and a.get('id') == 'machines': self.in_machines = True
        if self.in_machines and tag == 'tr': self.rows.append([])
        if self.in_machines and tag == 'td': self.cell = ''
    def handle_endtag(self, tag):
        if tag == 'table': self.in_machines = False
        if tag == 'td' and self.cell is not None: self.rows[-1].append(self.cell); self.cell = None
        if tag == 'b': self.cur = None
    def handle_data(self, d):
        if self.cur: self.text[self.cur] += d
        if self.cell is not None: self.cell += d
p = P(); p.feed(open(sys.argv[1]).read())
counts = [p.text.get(k, '?').strip() for k in ('count-machines', 'count-compliant', 'count-drifting',
          'count-reboot', 'count-read', 'count-skipped', 'count-duplicates')]
bars = [len(p.rects.get((c, k), [])) for c in ('chart-profiles', 'chart-releases') for k in ('ok', 'drift')]
drift = [int(r[5]) for r in p.rows if r]
print(' '.join(counts), bars, p.body.get('data-sortable'), drift == sorted(drift, reverse=True) and drift[0] > drift[-1])
PYEOF
)
expect_eq "DOM: counts, one bar pair per group, script ran, sorted by #sort=drifting-desc" \
    "$got" "6 2 4 1 8 1 1 [3, 3, 3, 3] ready True"
if [ -n "${REPORT_SCREENSHOT:-}" ]; then cp "$TMP/report.png" "$REPORT_SCREENSHOT"; fi

# ---- the exe under Wine: examples/pipelines/ansible/report.yml's check
# command line, as the host runs it (cmd, C:\Tools); its document names
# the computer and is read by report like the others.

new_prefix
mkdir -p "$WINEPREFIX/drive_c/Tools"
cp "$EXE" "$WINEPREFIX/drive_c/Tools/schannelcfg.exe"
line=$(sed -n 's/^ *ansible.windows.win_shell: //p' "$ROOT/examples/pipelines/ansible/report.yml" |
    sed 's/{{ profile }}/tls12-strict/')
wine_run cmd /c "$line" >/dev/null 2>&1 && rc=0 || rc=$?
expect_rc "the playbook's check command (drift on a fresh Wine)" "$rc" 1
doc=$WINEPREFIX/drive_c/windows/temp/schannelcfg-check.json
want=$(wine_run cmd /c echo %COMPUTERNAME% 2>/dev/null | tr -d '\r\n')
got=$($PY -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["machine"].upper(), d["os"]["assumed"], d["target"])' "$doc" 2>&1)
expect_eq "exe: a live check's machine is the computer name" "$got" "${want^^} False live"
mkdir -p "$TMP/results" && cp "$doc" "$TMP/results/host1.json"
out=$("$HOSTBIN" report "$TMP/results" --format csv 2>/dev/null) && rc=0 || rc=$?
expect_contains "report reads the fetched document" "${out,,}" "\"${want,,}\","
# and the exe's own report of a folder (C:\results), as a Windows control
# node (SCCM, a file share) would run it
mkdir -p "$WINEPREFIX/drive_c/results"
cp "$doc" "$WINEPREFIX/drive_c/results/host1.json"
cp "$BAD/05-schema-2.json" "$WINEPREFIX/drive_c/results/"
out=$(wine_run "$EXE" report 'C:\results' --format csv 2>"$TMP/exe-report.err") && rc=0 || rc=$?
expect_rc "exe: report of a folder" "$rc" 0
expect_contains "exe: its row" "${out,,}" "\"${want,,}\","
expect_contains "exe: the bad one named" "$(cat "$TMP/exe-report.err")" 'C:\results\05-schema-2.json: skipped: schema 2'

finish
