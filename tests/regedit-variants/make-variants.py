#!/usr/bin/env python3
"""Writes the regedit variants corpus: .reg files in the forms admins meet
(IIS Crypto backups, Microsoft's blocks, reg export, hardening scripts),
each paired with what Wine's regedit does with it, in expect.tsv.

Run from anywhere: python3 tests/regedit-variants/make-variants.py
Each variant writes only below HKEY_LOCAL_MACHINE\\SOFTWARE\\scv\\<ID> (or
HKEY_CURRENT_USER\\Software\\scv\\<ID>), so one Wine prefix can import them
all. expect.tsv columns (tab-separated):
  file     the variant
  kind     same      regedit imports it; schannelcfg reads the same values
           refused   regedit ignores a line (or the file); schannelcfg
                     refuses it at `line`; regedit never sets "probe"
           stricter  regedit reads it, but in a way other readers do not
                     (or the file is damaged): schannelcfg refuses at `line`
           diverge   schannelcfg reads it differently from Wine's regedit,
                     on purpose (see `why`)
  line     the line schannelcfg names (refused/stricter), else 0
  message  text schannelcfg's message contains (refused/stricter); for
           `same` files with other hives, the warning's text
  why      one line: what regedit does
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
V5 = "Windows Registry Editor Version 5.00"
V4 = "REGEDIT4"
HK = "HKEY_LOCAL_MACHINE\\SOFTWARE\\scv\\"
HKCU = "HKEY_CURRENT_USER\\Software\\scv\\"

variants = []


def variant(name, lines, kind="same", line=0, message="", why="", enc="utf16",
            header=V5, eol="\r\n", final_eol=True, raw=None):
    variants.append(dict(name=name, lines=lines, kind=kind, line=line, message=message,
                         why=why, enc=enc, header=header, eol=eol, final_eol=final_eol,
                         raw=raw))


def key(vid, sub=""):
    return "[" + HK + vid + ("\\" + sub if sub else "") + "]"


def utf16hex(text):
    """hex list of text as UTF-16LE with a terminator, as regedit writes it"""
    data = (text + "\0").encode("utf-16-le")
    return ",".join("%02x" % b for b in data)


def multihex(*items):
    data = "".join(i + "\0" for i in items) + "\0"
    return ",".join("%02x" % b for b in data.encode("utf-16-le"))


def ansihex(*items, multi=False):
    data = "".join(i + "\0" for i in items) + ("\0" if multi else "")
    return ",".join("%02x" % b for b in data.encode("latin-1"))


# ---- encodings -------------------------------------------------------------
BASIC = lambda v: [
    "", key(v), '"Enabled"=dword:00000001', '"DisabledByDefault"=dword:00000000',
    '"Name"="TLS 1.2"', '"Bin"=hex:01,02,ab,ff', '']
variant("01-utf16le-bom", BASIC("01") + [key("01", "Multi"),
        '"Functions"=hex(7):' + multihex("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256"),
        '"Expand"=hex(2):' + utf16hex("%SystemRoot%\\x")],
        why="reg export's own form: read as written")
variant("02-utf8-no-bom", BASIC("02"), enc="utf8",
        why="8-bit file, ASCII text: read as written")
variant("03-utf8-bom", BASIC("03"), enc="utf8bom", kind="diverge",
        why="Wine 8 regedit reads EF BB BF as part of the header and imports nothing; "
        "schannelcfg reads UTF-8 with a BOM (and keeps it when saving)")
variant("04-regedit4-ansi", ["", key("04"), '"Enabled"=dword:00000001',
        '"Multi"=hex(7):' + ansihex("a", "b", multi=True),
        '"Expand"=hex(2):' + ansihex("%x%"), '"Sz"=hex(1):' + ansihex("ab")],
        enc="utf8", header=V4,
        why="REGEDIT4: hex(1)/(2)/(7) bytes are single-byte text, widened to UTF-16LE")
variant("05-regedit4-utf16", ["", key("05"), '"Enabled"=dword:00000001',
        '"Multi"=hex(7):' + multihex("a", "b")], header=V4,
        why="a REGEDIT4 header in a UTF-16LE file: hex(7) data is UTF-16LE already (not widened)")
variant("06-utf8-v5-hex7", ["", key("06"), '"Multi"=hex(7):' + multihex("a")],
        enc="utf8", kind="diverge",
        why="regedit widens hex(7) bytes of any 8-bit file; schannelcfg reads v5 hex(7) as "
        "UTF-16LE (what schannelcfg's own UTF-8 state files hold)")
variant("07-utf8-non-ascii", ["", key("07"), '"Name"="caf\u00e9"'], enc="utf8",
        kind="diverge",
        why="regedit reads 8-bit files in the ANSI code page (caf\u00c3\u00a9); schannelcfg as UTF-8")
variant("08-header-leading-space", BASIC("08"), header="  " + V5,
        why="spaces before the header are skipped")
variant("09-header-trailing-space", ["", key("09"), '"probe"=dword:00000001'],
        header=V5 + " ", kind="refused", line=1, message="first line",
        why="a header with trailing text is 'fuzzy': nothing is imported")
variant("10-header-regedit31", ["", key("10"), '"probe"=dword:00000001'], header="REGEDIT",
        kind="refused", line=1, message="first line",
        why="REGEDIT alone is the Windows 3.1 format (HKEY_CLASSES_ROOT lines only)")

# ---- comments --------------------------------------------------------------
variant("11-comment-after-dword", ["", key("11"),
        '"Enabled"=dword:00000001 ; TLS 1.2 on', '"B"=dword:2;no space',
        '"C"=dword:00000003\t; tab'],
        why="'; ...' after a dword is a comment")
variant("12-comment-after-string", ["", key("12"), '"A"="text" ; comment',
        '"B"="a ; not a comment"', '"C"="x";c', '"D"=""  ;empty'],
        why="'; ...' after the closing quote is a comment; inside quotes it is text")
variant("13-comment-after-hex", ["", key("13"), '"A"=hex:01,02 ; comment',
        '"B"=hex(b):01,00,00,00,00,00,00,00 ;q', '"C"=hex:01,02,;trailing comma',
        '"D"=hex: ; empty'],
        why="'; ...' after hex data is a comment")
variant("14-comment-after-delete", ["", key("14"), '"A"=dword:1', '"B"=dword:2',
        '"A"=- ; gone', '"B"=-;gone too'],
        why="'\"v\"=- ; ...' deletes the value")
variant("15-comment-after-key", ["", key("15") + " ; the TLS 1.2 key", '"A"=dword:1',
        key("15", "Sub") + ";no space", '"B"=dword:2'],
        why="text after the last ']' is ignored (a comment)")
variant("16-hash-comment-line", ["# hardening script v2", "", key("16"), "# a comment",
        '"A"=dword:1', "  # indented", '"B"=dword:2'],
        why="a line that starts with none of [ @ \" is ignored, '#' included")
variant("17-indented-lines", ["", "  " + key("17"), "\t\"A\"=dword:1", "    @=\"d\"",
        "   ; indented comment", ' "B"="x"'],
        why="spaces and tabs before [ @ \" are skipped")
variant("18-hash-after-value", ["", key("18"), '"probe"=dword:00000001 # comment'],
        kind="refused", line=4, message="after the data",
        why="'#' after data is not a comment: the line is ignored")
variant("19-comment-semicolon-lines", ["; exported by IIS Crypto", ";", "", key("19"),
        ";;; many", '"A"=dword:1', "; last"],
        why="';' lines anywhere")

# ---- continuations ---------------------------------------------------------
variant("20-continuation-comment-line", ["", key("20"),
        '"Functions"=hex(7):54,00,4c,00,\\', "; a comment inside", "  53,00,00,00,00,00"],
        why="a ';' line inside a continued hex list is skipped")
variant("21-continuation-blank-line", ["", key("21"), '"Bin"=hex:01,02,\\', "", "   ",
        "  03,04"],
        why="blank lines inside a continued hex list are skipped")
variant("22-continuation-comment-after-backslash", ["", key("22"),
        '"Bin"=hex:01,02,\\ ; more below', "  03,04"],
        why="'; ...' after the continuation backslash is a comment")
variant("23-continuation-tabs", ["", key("23"), '"Bin"=hex:01,\\', "\t\t02,\\", "\t03"],
        why="tabs indent continuation lines")
variant("24-continuation-missing-comma", ["", key("24"), '"probe"=hex:01,02\\', "  03"],
        kind="refused", line=4, message="hex",
        why="'02\\' (no comma before the backslash) is invalid: the value is ignored")
variant("25-continuation-into-value", ["", key("25"), '"probe"=hex:01,02,\\',
        '"probe2"=dword:1'],
        kind="refused", line=5, message="continued hex list",
        why="a continuation line that is not hex drops the value and that line")
variant("26-continuation-eof", ["", key("26"), '"probe"=hex:01,02,\\'], final_eol=False,
        kind="stricter", line=4, message="file ends inside a continued hex list",
        why="regedit stores what it has (a truncated file)")

# ---- blank lines and line ends ----------------------------------------------
variant("27-blank-lines", ["", "", "   ", "\t", key("27"), "", '"A"=dword:1', "  ", "",
        '"B"=dword:2', "", ""],
        why="blank (and whitespace-only) lines anywhere")
variant("28-no-blank-after-header", [key("28"), '"A"=dword:1'], final_eol=False,
        why="no blank line after the header, none at the end")
variant("29-lf-only", BASIC("29"), eol="\n", enc="utf8", why="LF line ends")
variant("30-crcrlf", BASIC("30"), eol="\r\r\n",
        why="CR CR LF (a CRLF file through a text-mode copy): each CR ends a line, "
        "so every other line is blank")
variant("31-mixed-line-ends", None, raw=lambda: V5 + "\r\n\r\n" + key("31") + "\n" +
        '"A"=dword:1\r\r\n"B"=dword:2\r\n"C"=hex:01,\\\r\r\n  02\n',
        why="CRLF, LF and CR CR LF in one file")
variant("32-lone-cr", None, raw=lambda: V5 + "\r\n\r\n" + key("32") + "\r\n" +
        '"A"=dword:1\r"probe"=dword:1\r\n', kind="stricter", line=4,
        message="carriage return",
        why="regedit ends a line at a lone CR; most viewers and editors do not")

# ---- key spellings ---------------------------------------------------------
variant("33-key-odd-case", ["", "[hKeY_lOcAl_MaChInE\\SOFTWARE\\scv\\33\\MiXed]",
        '"A"=dword:1', "[HKEY_LOCAL_MACHINE\\software\\SCV\\33\\mixed\\Sub]", '"B"=dword:2'],
        why="the hive name is matched ignoring case; key names too")
variant("34-key-trailing-backslash", ["", "[" + HK + "34\\X\\]", '"A"=dword:1'],
        why="a trailing backslash is dropped: the key is X")
variant("35-hklm-abbreviation", ["", "[HKLM\\SOFTWARE\\scv\\35]", '"probe"=dword:1'],
        kind="refused", line=3, message="HKLM",
        why="regedit knows only the full hive names: 'Unable to open the registry key'")
variant("36-key-space-after-bracket", ["", "[ " + HK + "36]", '"probe"=dword:1'],
        kind="refused", line=3, message="after '['",
        why="'[ ' (a space after '[') makes the line ignored")
variant("37-key-double-backslash", ["", "[" + HK + "37\\\\A]", '"probe"=dword:1'],
        kind="stricter", line=3, message="empty component",
        why="Wine creates 37\\A (empty names collapse); Windows refuses an empty key name")
variant("38-key-trailing-space", ["", "[" + HK + "38\\Spaced ]", '"A"=dword:1'],
        why="a space before ']' is part of the key name")
variant("39-key-junk-after-bracket", ["", key("39") + " junk", '"probe"=dword:1'],
        kind="stricter", line=3, message="after ']'",
        why="regedit ignores text after the last ']'; unless it is a ';' comment, "
        "it was meant as something")
variant("40-key-space-in-hive", ["", "[HKEY_LOCAL_MACHINE \\SOFTWARE\\scv\\40]",
        '"probe"=dword:1'], kind="refused", line=3, message="HKEY_LOCAL_MACHINE",
        why="'HKEY_LOCAL_MACHINE ' is no hive")

# ---- other hives -----------------------------------------------------------
variant("41-hkcu-section", ["", "[" + HKCU + "41]", '"User"=dword:1', "",
        key("41"), '"Enabled"=dword:1', "", "[" + HKCU + "41\\Sub]", '"U2"="x"'],
        message="HKEY_CURRENT_USER",
        why="imported into HKCU; schannelcfg skips it with a warning, HKLM still loads")
variant("42-other-hives", ["", "[HKEY_USERS\\.DEFAULT\\Software\\scv\\42]", '"U"=dword:1',
        "[HKEY_CLASSES_ROOT\\scv42]", '@="x"', "[HKEY_CURRENT_CONFIG\\Software\\scv\\42]",
        '"C"=dword:1', key("42"), '"Enabled"=dword:1', "[-" + HKCU + "42]"],
        message="HKEY_USERS",
        why="imported into their hives; schannelcfg skips every such section")

# ---- types -----------------------------------------------------------------
variant("43-hex0-none", ["", key("43"), '"None"=hex(0):01,02', '"Empty"=hex(0):',
        '"Binary"=hex(3):0a,0b'],
        why="hex(0) is REG_NONE, hex(3) REG_BINARY")
variant("44-hexb-qword", ["", key("44"), '"Q"=hex(b):08,07,06,05,04,03,02,01',
        '"Q2"=hex(B):ff,ff,ff,ff,ff,ff,ff,ff'],
        why="hex(b) is REG_QWORD, the type digit in either case")
variant("45-hex-all-types", ["", key("45"), '"T1"=hex(1):' + utf16hex("sz"),
        '"T4"=hex(4):01,00,00,00', '"T5"=hex(5):00,00,00,01', '"T6"=hex(6):41,00',
        '"T8"=hex(8):01', '"T9"=hex(9):02', '"Ta"=hex(a):03',
        '"Tlong"=hex(00000004):05,00,00,00'],
        why="hex(N) for N 0-b stores type N")
variant("46-hex-digit-case", ["", key("46"), '"A"=hex:AB,cd,Ef', '"B"=dword:ABCDEF01',
        '"C"=dword:abcdef01'], why="hex digits in either case")
variant("47-hex-single-digit", ["", key("47"), '"probe"=hex:1,2,a,0f'], kind="stricter",
        line=4, message="two hex digits",
        why="regedit reads one digit as a byte, so a file cut inside a byte still imports "
        "(hostile corpus 26)")
variant("48-hex-space-before-comma", ["", key("48"), '"probe"=hex:01 ,02'],
        kind="refused", line=4, message="blank before ','",
        why="a space before a comma makes the line invalid")
variant("49-hex-unknown-type", ["", key("49"), '"probe"=hex(c):01'], kind="stricter",
        line=4, message="unknown value type",
        why="regedit stores type 12; no TLS value has it (hostile corpus 07)")
variant("50-type-uppercase", ["", key("50"), '"probe"=DWORD:00000001'], kind="refused",
        line=4, message="expected",
        why="type tags are case-sensitive: DWORD: is not dword:")
variant("51-dword-forms", ["", key("51"), '"A"=dword: 1', '"B"=dword:1', '"C"=dword:ffffffff  ',
        '"D"=dword:0'], why="spaces after 'dword:', 1 to 8 digits")
variant("52-dword-empty-comment", ["", key("52"), '"probe"=dword: ;no digits'],
        kind="stricter", line=4, message="dword",
        why="regedit stores 0 for 'dword:' with no digits before a comment")
variant("53-dword-0x", ["", key("53"), '"probe"=dword:0x1'], kind="refused", line=4,
        message="dword", why="0x is not hex digits: the line is ignored")
variant("54-string-escapes", ["", key("54"), r'"A"="C:\\dir\\ \"q\""',
        r'"B"="line1\nline2"', r'"C"="cr\r"', r'"D\"q"="name with a quote"'],
        why="\\\\ \\\" \\n \\r are escapes (Wine's reg export writes \\n and \\r)")
variant("55-string-unknown-escape", ["", key("55"), r'"probe"="a\Wb"'], kind="stricter",
        line=4, message="escape",
        why="regedit warns and drops the backslash (hostile corpus 19)")
variant("56-string-unterminated", ["", key("56"), '"probe"="abc'], kind="refused", line=4,
        message="quote", why="no closing quote: the line is ignored")
variant("57-string-junk-after", ["", key("57"), '"probe"="abc" x'], kind="refused", line=4,
        message="after the closing quote", why="text after the string: the line is ignored")
variant("58-default-value", ["", key("58"), '@="first"', '@ = "second"', key("58", "E"),
        '""="empty name"'],
        why="@ (and \"\") is the default value; spaces around '=' are fine")

# ---- duplicates and deletions ----------------------------------------------
variant("59-duplicate-values", ["", key("59"), '"A"=dword:1', '"A"=dword:2', '"a"="text"',
        '"B"="x"', key("59", "Other"), '"C"=dword:1', key("59"), '"B"=dword:5'],
        why="the last assignment wins (names ignore case); sections merge")
variant("60-delete-value", ["", key("60"), '"A"=dword:1', '"A"=-', '"Missing"=-',
        '"B"=dword:1', '"B"=-', '"B"=dword:3'],
        why="\"v\"=- deletes (a missing value is fine); a later line sets it again")
variant("61-delete-key", ["", key("61", "Gone\\Deep"), '"A"=dword:1', key("61", "Kept"),
        '"K"=dword:1', "[-" + HK + "61\\Gone]", "[-" + HK + "61\\Never\\There]",
        key("61", "Gone"), '"Again"=dword:1'],
        why="[-KEY] deletes the subtree; a later [KEY] creates it again")
variant("62-delete-key-hklm", ["", key("62"), '"A"=dword:1', "[-HKLM\\SOFTWARE\\scv\\62]",
        '"probe"=dword:1'], kind="refused", line=5, message="HKLM",
        why="[-HKLM\\...] ends the whole import ('Invalid system key')")
variant("63-delete-key-space", ["", key("63"), '"A"=dword:1', "[- " + HK + "63]",
        '"probe"=dword:1'], kind="refused", line=5, message="after '[-'",
        why="'[- ' is ignored (and its values go nowhere)")
variant("64-delete-value-junk", ["", key("64"), '"probe"=-x'],
        kind="refused", line=4, message="after '-'",
        why="'\"v\"=-x' is no deletion: the line is ignored")
variant("65-empty-hex", ["", key("65"), '"Bin"=hex:', '"Multi"=hex(7):', '"Exp"=hex(2):'],
        why="empty hex data stores an empty value of that type")
variant("67-hex-string-unterminated", ["", key("67"), '"E"=hex(2):41,00',
        '"M"=hex(7):41,00', '"S"=hex(1):61,00,62,00'], kind="diverge",
        why="regedit adds a UTF-16 NUL to hex(1)/(2)/(7) data that lacks one; reg import "
        "(and schannelcfg) keep the bytes as written")
variant("66-value-before-key", ['"probe"=dword:1', "", key("66"), '"A"=dword:1'],
        kind="refused", line=2, message="before any",
        why="a value before any key goes nowhere")


def encode(v):
    if v["raw"]:
        text = v["raw"]()
    else:
        text = v["eol"].join([v["header"]] + v["lines"]) + (v["eol"] if v["final_eol"] else "")
    if v["enc"] == "utf16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if v["enc"] == "utf8bom" else data


def main():
    for f in os.listdir(HERE):
        if f.endswith(".reg"):
            os.remove(os.path.join(HERE, f))
    rows = ["file\tkind\tline\tmessage\twhy"]
    for v in variants:
        name = v["name"] + ".reg"
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(encode(v))
        rows.append("\t".join([name, v["kind"], str(v["line"]), v["message"], v["why"]]))
    with open(os.path.join(HERE, "expect.tsv"), "w", encoding="utf-8") as f:
        f.write("\n".join(rows) + "\n")
    print("%d variants" % len(variants))


main()
