#!/usr/bin/env bash
# schannelcfg's .reg reader against Wine's regedit, variant by variant
# (tests/regedit-variants/, made by make-variants.py; expect.tsv says what
# regedit does with each). One fresh prefix: every variant writes only below
# its own HKLM\SOFTWARE\scv\ID (or HKCU\Software\scv\ID), so one batch of
# `regedit /s` imports them all, and one `reg export` per hive reads back
# what regedit made of them. Then, per variant:
#   same      regtool dump of the variant == regtool dump of the export's
#             slice for that ID (value by value, types and bytes); a variant
#             with other hives' sections also names the warning the CLI
#             prints (file:line) and regedit's import of that hive
#   refused   schannelcfg refuses with FILE:LINE: and the expected text;
#             regedit set no "probe" value (it ignored the line or file)
#   stricter  schannelcfg refuses with FILE:LINE: (regedit reads it anyway)
#   diverge   schannelcfg reads the file; both readings are shown
. "$(dirname "$0")/lib_wine.sh"

REGTOOL=${REGTOOL:-$ROOT/build/host/tests/regtool}
VARIANTS=$ROOT/tests/regedit-variants
[ -x "$REGTOOL" ] || { echo "test_regedit_differential: no $REGTOOL (make first)"; exit 1; }
[ -x "$HOSTBIN" ] || { echo "test_regedit_differential: no $HOSTBIN (make first)"; exit 1; }

echo "test_regedit_differential"
start=$SECONDS
new_prefix

winpath() { printf 'Z:%s' "${1//\//\\}"; }
BAT=$TMP/import.bat
{
    while IFS='|' read -r file _; do
        [ "$file" = file ] && continue
        printf 'C:\\windows\\regedit.exe /s %s\r\n' "$(winpath "$VARIANTS/$file")"
    done < <(tr '\t' '|' <"$VARIANTS/expect.tsv")
    # 49's probe is of type 12, which no reader of ours takes: out of the export
    printf 'C:\\windows\\system32\\reg.exe delete HKLM\\SOFTWARE\\scv\\49 /f\r\n'
    for h in 'HKLM\SOFTWARE\scv hklm' 'HKCU\Software\scv hkcu' 'HKU\.DEFAULT\Software\scv hku'; do
        printf 'C:\\windows\\system32\\reg.exe export %s %s /y\r\n' "${h% *}" "$(winpath "$TMP/${h#* }.reg")"
    done
} >"$BAT"
wine cmd /c "$(winpath "$BAT")" >"$TMP/import.out" 2>&1 </dev/null || true
if [ ! -s "$TMP/hklm.reg" ]; then
    # Wine's cmd now and then fails to start a program: once more
    wine cmd /c "$(winpath "$BAT")" >"$TMP/import.out" 2>&1 </dev/null || true
fi
[ -s "$TMP/hklm.reg" ] || { not_ok "reg export after the imports"; sed 's/^/       | /' "$TMP/import.out" | head -20; finish; exit 1; }
ok "regedit /s of every variant, reg export of HKLM\\SOFTWARE\\scv"

# the export's slice for one variant (regtool dump of reg export's file)
theirs() { "$REGTOOL" dump "$TMP/hklm.reg" "SOFTWARE\\scv\\$1" 2>&1 || true; }

count=0
while IFS='|' read -r file kind line message why; do
    [ "$file" = file ] && continue
    count=$((count + 1))
    id=${file%%-*}
    path=$VARIANTS/$file
    ours=$("$REGTOOL" dump "$path" "SOFTWARE\\scv\\$id" 2>&1) && rc=0 || rc=$?
    case $kind in
    same)
        if [ $rc -ne 0 ]; then
            not_ok "$file: schannelcfg refuses what regedit imports: $ours"
        elif [ "$ours" = "$(theirs "$id")" ] && [ -n "$ours" ]; then
            ok "$file: same values ($(printf '%s\n' "$ours" | grep -c '^  ') values)"
        else
            not_ok "$file: readings differ ($why)"
            diff <(theirs "$id") <(printf '%s\n' "$ours") | sed 's/^/       | /' | head -20 || true
        fi
        if [ -n "$message" ]; then
            err=$("$HOSTBIN" capture --state "$path" 2>&1 >/dev/null) || true
            expect_contains "$file: the CLI warns, naming file:line" "$err" \
                "warning: $path:"
            expect_contains "$file: ... and the hive" "$err" "[$message"
            if [ "$message" = HKEY_CURRENT_USER ]; then
                expect_contains "$file: regedit imported the HKCU section" \
                    "$(iconv -f UTF-16LE -t UTF-8 "$TMP/hkcu.reg" | tr -d '\r')" \
                    "[HKEY_CURRENT_USER\\Software\\scv\\$id]"
            fi
        fi
        ;;
    refused | stricter)
        if [ $rc -eq 0 ]; then
            not_ok "$file: schannelcfg accepts what it must refuse ($why)"
        else
            expect_contains "$file: refused at $line" "$ours" "$path:$line: "
            case $ours in *"$message"*) ;; *) not_ok "$file: message lacks [$message]: $ours" ;; esac
        fi
        if [ "$kind" = refused ]; then
            case $(theirs "$id") in
            *'"probe"'*) not_ok "$file: regedit did import the probe, so it does not refuse it" ;;
            *) ok "$file: regedit ignored it too" ;;
            esac
        fi
        ;;
    diverge)
        if [ $rc -ne 0 ]; then
            not_ok "$file: schannelcfg refuses it: $ours"
        else
            ok "$file: read (known difference: $why)"
            if [ -n "${VERBOSE:-}" ]; then
                diff <(theirs "$id") <(printf '%s\n' "$ours") | sed 's/^/       | /' || true
            fi
        fi
        ;;
    *) not_ok "$file: unknown kind $kind" ;;
    esac
done < <(tr '\t' '|' <"$VARIANTS/expect.tsv")

expect_eq "at least 40 variants" "$([ "$count" -ge 40 ] && echo yes)" yes
echo "  $count variants in $((SECONDS - start)) s"
finish
