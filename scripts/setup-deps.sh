#!/usr/bin/env bash
# Installs everything schannelcfg needs on a Debian 12 (bookworm) machine and fetches the
# third-party sources the Windows build compiles (inih, cmocka) into build/deps.
# Idempotent: a second run installs nothing and fetches nothing.
#
# Why fetched, not vendored: the project never carries third-party source in git; Debian's
# source archive is the one network source this project may use (see ../shared/TOOLCHAIN.md).
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
deps="$here/build/deps"
packages=(gcc-mingw-w64-x86-64 wine64 wine libcmocka-dev libinih-dev pkg-config make gcc
          openssl python3 python3-jinja2 valgrind clang libclang-rt-14-dev dpkg-dev xz-utils
          ca-certificates binutils)

sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing_packages() {
    local p
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
    done
}

install_packages() {
    local missing
    missing=$(missing_packages)
    [ -z "$missing" ] && return 0
    echo "setup-deps: installing:" $missing
    sudo_if_needed apt-get update -qq
    # shellcheck disable=SC2086
    sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

# deb-src entries only: no binary package is ever upgraded from trixie.
# bookworm serves cmocka 1.1.5; bookworm's libinih source answers 404 here, trixie's is served.
add_source_entries() {
    local list=/etc/apt/sources.list.d/schannelcfg-src.sources
    [ -f "$list" ] && return 0
    sudo_if_needed tee "$list" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    sudo_if_needed apt-get update -qq
}

fetch_source() { # package suite dir-glob
    local pkg=$1 suite=$2
    ls "$deps"/"$pkg"_*.orig.tar.* >/dev/null 2>&1 && return 0
    add_source_entries
    mkdir -p "$deps"
    (cd "$deps" && apt-get source --download-only -qq "$pkg/$suite")
}

unpack() { # package dest
    local pkg=$1 dest=$2 tarball
    [ -d "$dest" ] && return 0
    tarball=$(ls "$deps"/"$pkg"_*.orig.tar.* | head -n 1)
    mkdir -p "$dest.tmp"
    tar -xf "$tarball" -C "$dest.tmp" --strip-components=1
    mv "$dest.tmp" "$dest"
}

install_packages
fetch_source cmocka bookworm
fetch_source libinih trixie
unpack cmocka "$deps/cmocka"
unpack libinih "$deps/inih"
echo "setup-deps: ready ($deps)"
