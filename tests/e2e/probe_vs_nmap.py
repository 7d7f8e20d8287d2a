#!/usr/bin/python3
"""Compares `schannelcfg probe --format json` with nmap's ssl-enum-ciphers
(nmap -oX) for the servers of tests/e2e/test_probe_wine.sh.

  probe_vs_nmap.py NMAP.XML NAME=PORT=PROBE.JSON=SUITES...

SUITES is the comma-separated list of IANA suite names the server was
given (what its negotiated suite must be one of). For every protocol of
every server: probe and nmap must agree on accepted/refused wherever the
probe could test it (a protocol this machine's SChannel refused itself,
"refused_by": "client", is not a statement about the server), and every
suite probe saw (negotiated or enumerated) must be one nmap lists for that
protocol and one the server was given. Prints the table (Markdown) and one
"ok"/"FAIL" line per check; exits 1 on any failure."""
import json
import sys
import xml.etree.ElementTree as ET

PROTOCOLS = ["SSL 3.0", "TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"]
NMAP_NAME = {p: p.replace("SSL ", "SSLv").replace("TLS ", "TLSv") for p in PROTOCOLS}


def nmap_results(path):
    """{port: {"TLSv1.2": {suite names}}} from nmap's XML."""
    out = {}
    for port in ET.parse(path).getroot().iter("port"):
        protos = {}
        for script in port.iter("script"):
            if script.get("id") != "ssl-enum-ciphers":
                continue
            for proto in script.findall("table"):
                names = set()
                for ciphers in proto.findall("table"):
                    if ciphers.get("key") != "ciphers":
                        continue
                    for c in ciphers.findall("table"):
                        for e in c.findall("elem"):
                            if e.get("key") == "name":
                                # nmap names TLS 1.3 suites TLS_AKE_WITH_*
                                names.add(e.text.replace("TLS_AKE_WITH_", "TLS_"))
                protos[proto.get("key")] = names
        out[int(port.get("portid"))] = protos
    return out


def main():
    nmap = nmap_results(sys.argv[1])
    failures = 0
    rows = ["| server | protocol | probe | nmap | probe's suites | nmap's suites |",
            "|---|---|---|---|---|---|"]

    def check(ok, what):
        nonlocal failures
        print(("  ok   " if ok else "  FAIL ") + what)
        failures += not ok

    for spec in sys.argv[2:]:
        name, port, probe_file, given = spec.split("=", 3)
        given = set(given.split(","))
        with open(probe_file, encoding="utf-8") as f:
            probe = json.load(f)
        server = nmap.get(int(port), {})
        for p in probe["protocols"]:
            proto = p["protocol"]
            seen = set(p["suites"]["accepted"]) | ({p["cipher_suite"]} if p["accepted"] else set())
            nm = server.get(NMAP_NAME[proto])
            testable = p["accepted"] or p["refused_by"] == "server"
            probe_word = ("accepted" if p["accepted"]
                          else "refused by server" if testable else "n/a (client cannot)")
            rows.append("| %s | %s | %s | %s | %s | %s |" % (
                name, proto, probe_word, "accepted" if nm else "refused",
                ", ".join(sorted(seen)) or "-", ", ".join(sorted(nm)) if nm else "-"))
            if testable:
                check(p["accepted"] == bool(nm),
                      "%s %s: probe %s, nmap %s" % (name, proto, probe_word,
                                                    "accepted" if nm else "refused"))
            for s in sorted(seen):
                check(nm is not None and s in nm, "%s %s: nmap lists %s" % (name, proto, s))
                check(s in given, "%s %s: %s is one the server was given" % (name, proto, s))
    print("\n".join(rows))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
