#!/usr/bin/env python3
"""(Re)creates the hostile-input corpus in tests/hostile/, deterministically.

    python3 tests/hostile/make-corpus.py        (from anywhere; needs build/host/schannelcfg)

Writes:
  states/*.reg      malformed .reg state files
  snapshots/*.reg   forged or damaged rollback snapshots, derived from real ones
  valid/*.reg       the real snapshots they derive from (positive controls:
                    these must load; the tests check that they do), named by
                    their ids (a snapshot's file name is its id)
  profiles/*.ini    malformed profiles ("; expect:" headers, as tests/bad-profiles/)
  FILE.expect       beside every file that cannot carry such a header (each state
                    and snapshot, the UTF-16 and Latin-1 profiles): the same
                    "; expect: TEXT" and "; expect-line: N" lines, nothing else
                    ("; expect-warning: TEXT" for the two states read with a
                    warning; README.md, "Expected errors")

The real snapshots come from `schannelcfg apply` on examples/states/*.reg at
a fixed time (SCHANNELCFG_FAKE_TIME). Their "; target:" line names the
temporary state file, so it is replaced by a fixed one and the integrity
line recomputed (the script checks first that it computes the tool's own
hash). Derived snapshots either keep the stale hash (the integrity check
must refuse them) or carry a correct, recomputed one (then a later check,
the header, scope or count check, must refuse them).
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(ROOT, "build", "host", "schannelcfg")
REL = "tests/hostile"

V5 = "Windows Registry Editor Version 5.00"
PREAMBLE = (V5 + "\r\n\r\n"
            "; schannelcfg snapshot - restores the registry as it was before an apply.\r\n")
SHA = "; sha256: "
HKLM = "HKEY_LOCAL_MACHINE"
SCH = HKLM + r"\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL"
RUN = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Run"
FAKE_TIME = "1700000000"

written = []  # the class of each sidecar written ("state", "snapshot", "profile")


def utf16(text):
    return b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass")


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))


def hdr(message, line=None, key="expect"):
    """The expectation lines: a text profile's header, or a sidecar's content."""
    assert "\n" not in message and "\r" not in message
    return "; %s: %s\n" % (key, message) + ("; expect-line: %d\n" % line if line else "")


def sidecar(rel, cls, message, line, key="expect"):
    """FILE.expect beside a file that cannot carry the header itself."""
    write(rel + ".expect", hdr(message, line, key))
    written.append(cls)


def line_of(text, needle):
    """1-based line of the first occurrence of needle in text."""
    at = text.index(needle)
    return text.count("\n", 0, at) + 1


# ---------------------------------------------------------------- states

def state(name, data, message, line, key="expect"):
    rel = "states/" + name + ".reg"
    write(rel, data)
    sidecar(rel, "state", message, line, key)


def make_states():
    tls12 = "[" + SCH + r"\Protocols\TLS 1.2\Client]"
    good = V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled\"=dword:00000001\r\n\r\n"

    whole = utf16(good)
    state("01-utf16-odd-byte-count", whole[:len(whole) // 2 | 1],
          "UTF-16 file has an odd number of bytes (truncated?)", 1)
    state("02-utf16-without-bom", good.encode("utf-16-le"),
          "looks like UTF-16 without a byte-order mark", 1)
    state("03-utf16-big-endian-bom", b"\xfe\xff" + good.encode("utf-16-be"),
          "UTF-16 big-endian is not a .reg encoding", 1)
    state("04-nul-byte-utf8",
          (V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled\"=dword:0000\x000001\r\n").encode(),
          "file contains a NUL byte (expected text)", 4)
    state("05-line-100k",
          V5 + "\r\n\r\n" + tls12 + "\r\n\"Note\"=\"" + "x" * 100000 + "\"\r\n",
          "line longer than 65536 characters", 4)
    state("06-dword-nine-digits", V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled\"=dword:100000000\r\n",
          "expected dword:XXXXXXXX with 1 to 8 hex digits", 4)
    state("07-hex-c-unknown-type", V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled\"=hex(c):01,00\r\n",
          "unknown value type hex(c) (known: 0-b)", 4)
    state("08-hex-ffffffff-unknown-type",
          V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled\"=hex(ffffffff):01,00\r\n",
          "unknown value type hex(ffffffff) (known: 0-b)", 4)
    state("09-hkey-current-user",
          V5 + "\r\n\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run]\r\n"
          "\"evil\"=\"C:\\\\evil.exe\"\r\n",
          "skipped [HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run] and "
          "its values", 3, "expect-warning")
    state("10-hkey-users", V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled\"=dword:1\r\n\r\n"
          "[HKEY_USERS\\.DEFAULT\\Software]\r\n\"x\"=dword:1\r\n",
          "skipped [HKEY_USERS\\.DEFAULT\\Software] and its values", 6, "expect-warning")
    state("11-missing-header", tls12 + "\r\n\"Enabled\"=dword:00000001\r\n",
          "expected \"Windows Registry Editor Version 5.00\" or \"REGEDIT4\" on the first line", 1)
    state("12-garbage-header", "Windows Registry Editor Version 6.66\r\n\r\n" + tls12 + "\r\n",
          "expected \"Windows Registry Editor Version 5.00\" or \"REGEDIT4\" on the first line", 1)
    state("13-empty-file", b"", "empty file (expected", 1)
    state("14-utf16-bom-only", b"\xff\xfe", "empty file (expected", 1)
    state("15-utf8-bom-only", b"\xef\xbb\xbf", "empty file (expected", 1)
    state("16-value-before-key", V5 + "\r\n\r\n\"Enabled\"=dword:00000001\r\n" + tls12 + "\r\n",
          "value before any [KEY] header", 3)
    state("17-value-under-deleted-key",
          V5 + "\r\n\r\n[-" + SCH + "\\Protocols]\r\n\"Enabled\"=dword:00000001\r\n",
          "value under a deleted key [-...]", 4)
    state("18-unterminated-quote", V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled=dword:00000001\r\n",
          "missing closing quote", 4)
    state("19-unknown-escape", V5 + "\r\n\r\n" + tls12 + "\r\n\"Note\"=\"C:\\Windows\"\r\n",
          "unknown escape \"\\W\" in a quoted string", 4)
    state("20-eof-in-continued-hex",
          V5 + "\r\n\r\n" + tls12 + "\r\n\"Blob\"=hex:01,02,03,\\\r\n  04,05,\\\r\n",
          "file ends inside a continued hex list", 5)
    state("21-invalid-utf8-v5",
          (V5 + "\r\n\r\n" + tls12 + "\r\n").encode() + b"\"caf\xe9\"=dword:00000001\r\n",
          "file is neither UTF-16LE with a byte-order mark nor valid UTF-8", 4)
    state("22-empty-path-component",
          V5 + "\r\n\r\n[" + HKLM + "\\SYSTEM\\\\CurrentControlSet]\r\n\"x\"=dword:1\r\n",
          "has an empty component", 3)
    state("23-key-name-300-chars", V5 + "\r\n\r\n[" + SCH + "\\Ciphers\\" + "K" * 300 + "]\r\n",
          "is longer than 255 characters", 3)
    state("24-delete-hklm", V5 + "\r\n\r\n[-HKEY_LOCAL_MACHINE]\r\n",
          "refusing to delete HKEY_LOCAL_MACHINE itself", 3)
    state("25-lone-cr", V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled\"=dword:1\r\"x\"=dword:0\r\n",
          "stray carriage return in the middle of a line", 4)
    state("26-truncated-in-hex-list",
          V5 + "\r\n\r\n" + tls12 + "\r\n\"Blob\"=hex:01,02,0",
          "expected two hex digits in a hex list", 4)
    state("27-hkey-local-machine-lookalike",
          V5 + "\r\n\r\n[HKEY_LOCAL_MACHINEX\\SOFTWARE]\r\n\"x\"=dword:1\r\n",
          "is outside HKEY_LOCAL_MACHINE", 3)
    state("28-value-directly-under-hklm", V5 + "\r\n\r\n[HKEY_LOCAL_MACHINE]\r\n\"x\"=dword:1\r\n",
          "values directly under HKEY_LOCAL_MACHINE are not supported", 4)
    state("29-key-header-unclosed", V5 + "\r\n\r\n[" + SCH + "\\Protocols\r\n",
          "key header without closing ']'", 3)
    state("30-control-char-in-key", V5 + "\r\n\r\n[" + SCH + "\\Ciphers\\RC4\t128]\r\n",
          "contains a control character", 3)
    state("31-hex-not-a-byte", V5 + "\r\n\r\n" + tls12 + "\r\n\"Blob\"=hex:01,zz,03\r\n",
          "\"zz\" is not a hex byte", 4)
    state("32-utf16-nul-character", utf16(V5 + "\r\n\r\n" + tls12 + "\r\n\"Ena\x00bled\"=dword:1\r\n"),
          "file contains a NUL character (expected text)", 4)
    # An unpaired surrogate: reg export copies one from a value as is. Decoding
    # it to U+FFFD would make a --state apply rewrite that value silently.
    state("33-utf16-unpaired-surrogate",
          utf16(V5 + "\r\n\r\n" + tls12 + "\r\n\"Note\"=\"a\ud800b\"\r\n"),
          "invalid UTF-16 (an unpaired surrogate)", 4)
    state("34-dword-with-0x", V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled\"=dword:0x1\r\n",
          "expected dword:XXXXXXXX with 1 to 8 hex digits", 4)
    state("35-hex-type-nine-digits", V5 + "\r\n\r\n" + tls12 + "\r\n\"Enabled\"=hex(000000007):00,00\r\n",
          "expected hex(TYPE): with a hex type number", 4)


# ---------------------------------------------------------------- snapshots

def split_snapshot(data):
    text = data[2:].decode("utf-16-le")
    assert data[:2] == b"\xff\xfe" and text.startswith(PREAMBLE + SHA), "not a snapshot"
    rest = text[len(PREAMBLE) + len(SHA):]
    digest, hashed = rest[:64], rest[66:]
    assert rest[64:66] == "\r\n"
    return digest, hashed


def join_snapshot(hashed, digest=None):
    if digest is None:
        digest = hashlib.sha256(hashed.encode("utf-8", "surrogatepass")).hexdigest()
    return PREAMBLE + SHA + digest + "\r\n" + hashed


BODY_LINE0 = 5  # the hashed text starts on line 5


def real_snapshot(state_name, profile):
    """Runs the real tool; returns the snapshot bytes with a fixed target."""
    with tempfile.TemporaryDirectory() as tmp:
        st = os.path.join(tmp, state_name + ".reg")
        shutil.copyfile(os.path.join(ROOT, "examples", "states", state_name + ".reg"), st)
        snaps = os.path.join(tmp, "snaps")
        env = dict(os.environ, SCHANNELCFG_FAKE_TIME=FAKE_TIME, NO_COLOR="1")
        rc = subprocess.run([TOOL, "apply", profile, "--state", st, "--snapshot-dir", snaps],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if rc.returncode not in (0, 194):
            sys.exit("make-corpus: apply %s on %s failed (%d): %s" %
                     (profile, state_name, rc.returncode, rc.stderr.decode()))
        (name,) = os.listdir(snaps)
        with open(os.path.join(snaps, name), "rb") as f:
            data = f.read()
        real_target = os.path.realpath(st)
    digest, hashed = split_snapshot(data)
    if hashlib.sha256(hashed.encode("utf-8")).hexdigest() != digest:
        sys.exit("make-corpus: the tool's snapshot hash is not sha256 of the text after "
                 "the integrity line; update this script")
    old = "; target: state:" + real_target + "\r\n"
    assert old in hashed
    hashed = hashed.replace(old, "; target: state:/hostile/" + state_name + ".reg\r\n")
    return name, utf16(join_snapshot(hashed))


def snapshot(name, data, message, line):
    rel = "snapshots/" + name + ".reg"
    write(rel, data if isinstance(data, bytes) else utf16(data))
    sidecar(rel, "snapshot", message, line)


def header_set(hashed, field, value):
    start = hashed.index("; " + field + ": ")
    end = hashed.index("\r\n", start)
    return hashed[:start] + "; " + field + ": " + value + hashed[end:]


# The ids of the genuine snapshots (time FAKE_TIME, first of that second).
VALID_A = "20231114T221320Z-0001-tls12-strict"
VALID_B = "20231114T221320Z-0001-p2s-vpn"


def make_snapshots():
    _, a = real_snapshot("ws2016-gpo", "tls12-strict")
    _, b = real_snapshot("ws2008r2", "p2s-vpn")
    write("valid/" + VALID_A + ".reg", a)
    write("valid/" + VALID_B + ".reg", b)
    da, ha = split_snapshot(a)
    db, hb = split_snapshot(b)
    assert "; values: 62\r\n" in ha and "created-above-root" in ha and "hex(7):" in ha

    def body_line(hashed, needle):
        return BODY_LINE0 + line_of(hashed, needle) - 1

    integrity = "integrity check failed"
    # damaged or edited, stale hash
    at = ha.index("\"Enabled\"=dword:00000001")
    edited = ha[:at] + "\"Enabled\"=dword:00000000" + ha[at + 24:]
    snapshot("01-body-byte-changed", join_snapshot(edited, da), integrity, None)
    text = join_snapshot(ha, da)
    cut = text.index("\r\n\r\n", len(text) // 2) + 4
    snapshot("02-truncated-at-half", text[:cut], integrity, None)
    snapshot("03-header-profile-edited",
             join_snapshot(header_set(ha, "profile", "azure-mma-tls12"), da), integrity, None)
    snapshot("04-header-target-edited",
             join_snapshot(header_set(ha, "target", "live"), da), integrity, None)
    snapshot("05-sha256-line-removed", PREAMBLE + ha,
             "no \"sha256:\" line right after the snapshot title", None)
    snapshot("06-sha256-bad-hex", join_snapshot(ha, da.upper()),
             "integrity line damaged (expected 64 hex digits)", None)
    snapshot("07-sha256-short", join_snapshot(ha, da[:40]),
             "integrity line damaged (expected 64 hex digits)", None)
    snapshot("08-lf-line-endings", join_snapshot(ha.replace("\r\n", "\n"), da), integrity, None)
    # header refused, hash recomputed (so the header check is what refuses)
    snapshot("09-format-9", join_snapshot(header_set(ha, "format", "9")),
             "snapshot format 9 is not supported (expected 2", None)
    no_id = ha.replace(ha[ha.index("; id: "):ha.index("; time: ")], "")
    snapshot("10-missing-id", join_snapshot(no_id), "snapshot header lacks \"id:\"", None)
    # out of scope, hash recomputed: the scope check must refuse them
    run = (header_set(ha, "values", "63") + "\r\n[" + HKLM + "\\" + RUN + "]\r\n"
           "\"evil\"=\"C:\\\\Users\\\\Public\\\\evil.exe\"\r\n")
    snapshot("11-run-key-value-rehashed", join_snapshot(run),
             "HKLM\\" + RUN + " \"evil\" is not a documented TLS value",
             body_line(run, "\"evil\""))
    dele = ha + "\r\n[-" + HKLM + "\\SOFTWARE]\r\n"
    snapshot("12-delete-software-rehashed", join_snapshot(dele),
             "[-HKLM\\SOFTWARE] would delete a whole subtree",
             body_line(dele, "[-" + HKLM + "\\SOFTWARE]"))
    above = ha.replace("; created-keys:", "; created-above-root: 64 " + RUN + "\r\n; created-keys:")
    snapshot("13-created-above-root-not-ancestor", join_snapshot(above),
             "created-above-root \"" + RUN + "\" is not a TLS key or an ancestor of one", None)
    snapshot("14-plain-reg-not-a-snapshot",
             open(os.path.join(ROOT, "examples", "states", "ws2008r2.reg"), "rb").read(),
             "not a schannelcfg snapshot", None)
    snapshot("15-utf16-odd-byte-count", a + b"\x00",
             "UTF-16 file has an odd number of bytes (truncated?)", 1)
    snapshot("16-values-count-wrong-rehashed", join_snapshot(header_set(ha, "values", "61")),
             "header says 61 values, the file holds 62", None)
    hkcu = (header_set(ha, "values", "63") + "\r\n[HKEY_CURRENT_USER\\Software\\Microsoft\\"
            "Windows\\CurrentVersion\\Run]\r\n\"evil\"=\"C:\\\\evil.exe\"\r\n")
    snapshot("17-hkey-current-user-rehashed", join_snapshot(hkcu),
             "is outside HKEY_LOCAL_MACHINE", body_line(hkcu, "[HKEY_CURRENT_USER"))
    bare = hb + "\r\n[" + HKLM + "\\" + RUN + "]\r\n"
    snapshot("18-bare-key-outside-rehashed", join_snapshot(bare),
             "HKLM\\" + RUN + " is not a TLS key",
             body_line(bare, "[" + HKLM + "\\" + RUN + "]"))
    wow = (header_set(hb, "values", str(int(hb.split("; values: ")[1].split("\r")[0]) + 1)) +
           "\r\n[" + HKLM + "\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\CurrentVersion\\Run]\r\n"
           "\"evil\"=\"C:\\\\evil.exe\"\r\n")
    snapshot("19-wow6432node-run-rehashed", join_snapshot(wow),
             "HKLM\\" + RUN + " \"evil\" is not a documented TLS value",
             body_line(wow, "\"evil\""))
    sib = (header_set(hb, "values", str(int(hb.split("; values: ")[1].split("\r")[0]) + 1)) +
           "\r\n[" + SCH + "X]\r\n\"Enabled\"=dword:00000000\r\n")
    snapshot("20-sibling-of-root-rehashed", join_snapshot(sib),
             "SCHANNELX \"Enabled\" is not a documented TLS value",
             body_line(sib, "[" + SCH + "X]") + 1)
    delv = (header_set(hb, "values", str(int(hb.split("; values: ")[1].split("\r")[0]) + 1)) +
            "\r\n[" + HKLM + "\\SYSTEM\\CurrentControlSet\\Control\\Lsa]\r\n"
            "\"RunAsPPL\"=-\r\n")
    snapshot("21-delete-value-outside-rehashed", join_snapshot(delv),
             "Control\\Lsa \"RunAsPPL\" is not a documented TLS value",
             body_line(delv, "\"RunAsPPL\""))
    cut = ha.index(",\\\r\n", ha.index("hex(7):")) + 4
    snapshot("22-truncated-in-continued-hex-rehashed", join_snapshot(ha[:cut]),
             "file ends inside a continued hex list", body_line(ha, "hex(7):"))
    # what the current decoder would turn the surrogate into: the hash matches
    # that decoding, so only rejecting the surrogate itself refuses the file
    sur_at = hb.index("\"TlsVersion\"")
    sur = hb[:sur_at] + "\"Tls\ud800Version\"" + hb[sur_at + 12:]
    digest = hashlib.sha256(sur.replace("\ud800", "\ufffd").encode("utf-8")).hexdigest()
    snapshot("23-unpaired-surrogate-rehashed", utf16(join_snapshot(sur, digest)),
             "invalid UTF-16 (an unpaired surrogate)", body_line(hb, "\"TlsVersion\""))
    snapshot("24-nul-character", join_snapshot(ha.replace("\"Enabled\"", "\"Ena\x00bled\"", 1), da),
             "file contains a NUL character (expected text)", body_line(ha, "\"Enabled\""))
    snapshot("25-empty-file", b"", "empty file (expected", 1)
    unk = ha.replace("\"Enabled\"=dword:00000001", "\"Enabled\"=hex(c):01,00,00,00", 1)
    snapshot("26-unknown-type-rehashed", join_snapshot(unk),
             "unknown value type hex(c)", body_line(unk, "hex(c)"))
    # issue 11: code-loading values inside the old, wide TLS subtrees
    eap = (header_set(hb, "values", str(int(hb.split("; values: ")[1].split("\r")[0]) + 1)) +
           "\r\n[" + HKLM + "\\SYSTEM\\CurrentControlSet\\Services\\RasMan\\PPP\\EAP\\13]\r\n"
           "\"Path\"=\"C:\\\\Users\\\\Public\\\\evil.dll\"\r\n")
    snapshot("27-eap-method-dll-rehashed", join_snapshot(eap),
             "EAP\\13 \"Path\" is not a documented TLS value", body_line(eap, "\"Path\""))
    dbg = (header_set(hb, "values", str(int(hb.split("; values: ")[1].split("\r")[0]) + 1)) +
           "\r\n[" + HKLM + "\\SOFTWARE\\Microsoft\\.NETFramework]\r\n"
           "\"DbgManagedDebugger\"=\"C:\\\\evil.exe %ld\"\r\n")
    snapshot("28-dotnet-debugger-rehashed", join_snapshot(dbg),
             "\"DbgManagedDebugger\" is not a documented TLS value",
             body_line(dbg, "\"DbgManagedDebugger\""))
    dots = ha.replace("\\Protocols\\TLS 1.0\\", "\\Protocols\\..\\TLS 1.0\\", 1)
    snapshot("29-dot-dot-component-rehashed", join_snapshot(dots),
             "has a \".\" or \"..\" component", None)
    anyk = header_set(ha, "allow-any-key", "yes")
    snapshot("30-allow-any-key-header-rehashed", join_snapshot(anyk),
             "restore it only with --allow-any-key", None)
    # a genuine snapshot copied under a name that sorts last: not that snapshot
    snapshot("99991231T235959Z-9999-tls12-strict", a,
             "the file name does not match the snapshot id", None)


# ---------------------------------------------------------------- profiles

PROFILE_HEAD = "[profile]\nname = bad\nsummary = a hostile profile for the tests\n"


def profile(name, text, message=None, line=None):
    """A profile with "; expect:" headers, or (message given separately, for
    bytes that cannot carry a header) one with a FILE.expect sidecar."""
    rel = "profiles/" + name + ".ini"
    write(rel, text)
    if message is not None:
        sidecar(rel, "profile", message, line)


def make_profiles():
    tls = "\n[protocol \"TLS 1.2\"]\nclient = enabled\n"
    inc_err = "must be a built-in profile name or NAME.ini in the same folder"
    profile("01-include-unc-path",
            hdr("include: \"\\\\server\\share\\evil.ini\" " + inc_err, 6) + PROFILE_HEAD +
            "include = \\\\server\\share\\evil.ini\n" + tls)
    profile("02-include-alternate-stream",
            hdr("include: \"tls12-strict.ini:evil\" " + inc_err, 6) + PROFILE_HEAD +
            "include = tls12-strict.ini:evil\n" + tls)
    profile("03-include-dot", hdr("include: \".\" " + inc_err, 6) + PROFILE_HEAD +
            "include = .\n" + tls)
    profile("04-include-dotdot-backslash",
            hdr("include: \"..\\..\\profiles\\tls12-strict\" " + inc_err, 6) + PROFILE_HEAD +
            "include = ..\\..\\profiles\\tls12-strict\n" + tls)
    profile("05-include-absolute-windows",
            hdr("include: \"\\Windows\\System32\\drivers\\etc\\hosts\" " + inc_err, 6) +
            PROFILE_HEAD + "include = \\Windows\\System32\\drivers\\etc\\hosts\n" + tls)
    profile("06-duplicate-profile-section",
            hdr("section [profile] appears twice (first at line 3)", 7) + PROFILE_HEAD +
            "\n[profile]\nname = again\n" + tls)
    profile("07-duplicate-key-section",
            hdr("section [key \"x\"] appears twice (first at line 7)", 10) + PROFILE_HEAD +
            "\n[key \"x\"]\npath = HKLM\\" + SCH[len(HKLM) + 1:] + "\n\n[key \"x\"]\n"
            "path = HKLM\\" + SCH[len(HKLM) + 1:] + "\\Ciphers\n")
    profile("08-duplicate-section-spacing",
            hdr("section [protocol  \"tls 1.2\"] appears twice (first at line 7)", 10) +
            PROFILE_HEAD + tls + "\n[protocol  \"tls 1.2\"]\nserver = enabled\n")
    profile("09-raw-key-wow6432-run",
            hdr("is outside the TLS-related roots", 8) + PROFILE_HEAD +
            "\n[key \"run\"]\npath = HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows\\"
            "CurrentVersion\\Run\nview = 32\n\"evil\" = \"C:\\\\evil.exe\"\n")
    profile("10-raw-key-sibling-prefix",
            hdr("is outside the TLS-related roots", 8) + PROFILE_HEAD +
            "\n[key \"sib\"]\npath = HKLM\\" + SCH[len(HKLM) + 1:] + "X\n"
            "\"Enabled\" = dword:00000000\n")
    profile("11-raw-dword-nine-digits",
            hdr("expected dword:XXXXXXXX with 1 to 8 hex digits", 9) + PROFILE_HEAD +
            "\n[key \"x\"]\npath = HKLM\\" + SCH[len(HKLM) + 1:] + "\n"
            "\"Enabled\" = dword:100000000\n")
    profile("12-raw-unknown-type",
            hdr("unknown value type hex(ffffffff)", 9) + PROFILE_HEAD +
            "\n[key \"x\"]\npath = HKLM\\" + SCH[len(HKLM) + 1:] + "\n"
            "\"Enabled\" = hex(ffffffff):01,00\n")
    profile("13-raw-key-hku",
            hdr("path: expected HKLM\\... (schannelcfg manages HKEY_LOCAL_MACHINE only)", 8) +
            PROFILE_HEAD + "\n[key \"x\"]\npath = HKEY_USERS\\.DEFAULT\\Software\n"
            "\"x\" = dword:1\n")
    profile("14-raw-key-empty-component",
            hdr("has an empty component", 8) + PROFILE_HEAD +
            "\n[key \"x\"]\npath = HKLM\\SYSTEM\\\\CurrentControlSet\\Control\\"
            "SecurityProviders\\SCHANNEL\n\"Enabled\" = dword:0\n")
    profile("15-lone-cr-hides-a-key",
            hdr("client: expected enabled, disabled or default", 8) + PROFILE_HEAD +
            "\n[protocol \"TLS 1.2\"]\nclient = enabled\rserver = disabled\n")
    # no header possible: these bytes are not text (a sidecar carries it)
    body = PROFILE_HEAD + tls
    profile("16-utf16le-with-bom", utf16(body), "NUL byte in the file (expected text)", 1)
    profile("17-utf16le-without-bom", body.encode("utf-16-le"),
            "NUL byte in the file (expected text)", 1)
    profile("18-utf8-bom-then-latin1", b"\xef\xbb\xbf" + PROFILE_HEAD.encode() +
            b"\n[protocol \"TLS 1.2\"]\nclient = \xe9nabled\n", "not valid UTF-8 text", 6)
    profile("19-line-100k", hdr("line longer than 65536 characters", 6) + PROFILE_HEAD +
            "; " + "x" * 100000 + "\n" + tls)
    profile("20-truncated-section-header", hdr("section header without closing ']'", 6) +
            PROFILE_HEAD + "[protocol \"TLS 1.2")


def main():
    if not os.access(TOOL, os.X_OK):
        sys.exit("make-corpus: build the native tool first (make)")
    for sub in ("states", "snapshots", "valid", "profiles"):
        shutil.rmtree(os.path.join(HERE, sub), ignore_errors=True)
    if os.path.exists(os.path.join(HERE, "expect.tsv")):  # the old one-table form
        os.remove(os.path.join(HERE, "expect.tsv"))
    make_states()
    make_snapshots()
    make_profiles()
    print("make-corpus: %d states, %d snapshots, %d header-less profiles (each with FILE.expect)" %
          tuple(written.count(c) for c in ("state", "snapshot", "profile")))


if __name__ == "__main__":
    main()
