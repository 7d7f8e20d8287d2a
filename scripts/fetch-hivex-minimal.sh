#!/usr/bin/env bash
# Fetches hivex's seed hive (images/minimal in the hivex source: an empty 8 KiB
# regf hive, one root key) from Debian's source archive into
# build/deps/hivex/minimal, the one file the hive tests start every test hive
# from (hivex cannot create a hive from nothing; no Debian binary package ships one).
#
# Only apt is used, through the same private, deb-src-only configuration as
# setup-deps.sh (build/apt): nothing outside build/ changes, no binary package
# is ever upgraded. bookworm's hivex 1.3.23 source answers 404 on this
# archive; trixie's hivex_1.3.24.orig.tar.gz is served (its .dsc and
# .debian.tar.xz may 404: apt-get then exits non-zero although the tarball
# came, so the tarball is checked against the SHA-256 that the signed
# Sources index names, not trusted because apt said so).
# Idempotent: a second run fetches nothing. Prints the path of the hive.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
deps="$here/build/deps"
aptdir="$here/build/apt"
out="$deps/hivex/minimal"
suite=${HIVEX_SUITE:-trixie}

if [ -f "$out" ]; then
    echo "$out"
    exit 0
fi

apt_private=(-o "Dir::Etc::SourceList=$aptdir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
             -o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache=$aptdir/cache"
             -o "APT::Sandbox::User=root")

if [ ! -f "$aptdir/sources.list" ] || ! grep -q " $suite main" "$aptdir/sources.list"; then
    mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
    cat >>"$aptdir/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main
SRC
    rm -f "$aptdir/updated"
fi
if [ ! -f "$aptdir/updated" ]; then
    apt-get "${apt_private[@]}" update -qq
    touch "$aptdir/updated"
fi

# The tarball's name and SHA-256 as the suite's signed Sources index names them.
uris=$(apt-get "${apt_private[@]}" source --print-uris -qq "hivex/$suite")
read -r tarball want < <(printf '%s\n' "$uris" | awk '$2 ~ /^hivex_.*\.orig\.tar\.gz$/ {
    sub(/^SHA256:/, "", $4); print $2, $4; exit }')
[ -n "${tarball:-}" ] && [ -n "${want:-}" ] ||
    { echo "fetch-hivex-minimal: no hivex .orig.tar.gz with a SHA-256 in $suite's Sources" >&2; exit 1; }
upstream=${tarball#hivex_}
upstream=${upstream%.orig.tar.gz}

mkdir -p "$deps"
if [ ! -f "$deps/$tarball" ]; then
    # Non-zero when the .dsc or .debian.tar.xz answers 404; the tarball decides.
    (cd "$deps" && apt-get "${apt_private[@]}" source --download-only -qq "hivex/$suite" >/dev/null 2>&1) || true
fi
[ -f "$deps/$tarball" ] || { echo "fetch-hivex-minimal: $tarball was not served" >&2; exit 1; }
got=$(sha256sum "$deps/$tarball" | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
    echo "fetch-hivex-minimal: $tarball: SHA-256 $got, the Sources index says $want" >&2
    rm -f "$deps/$tarball"
    exit 1
fi

mkdir -p "$deps/hivex"
tar --no-same-owner -xzf "$deps/$tarball" -C "$deps/hivex" --strip-components=2 "hivex-$upstream/images/minimal"
# The seed must be what the tests assume: a regf hive whose base block is clean.
head -c 4 "$out" | grep -q '^regf$' || { echo "fetch-hivex-minimal: $out is not a regf hive" >&2; rm -f "$out"; exit 1; }
chmod 0444 "$out"
echo "$out"
