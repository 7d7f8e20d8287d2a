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
          ca-certificates binutils
          libhivex-dev libhivex-bin libwin-hivex-perl
          nmap python3-samba
          chromium)  # issue 17: the report's HTML checked in a real browser

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

# The sources come through a private apt configuration under build/apt:
# deb-src entries only (no binary package is ever upgraded from trixie),
# and nothing outside the project is changed. bookworm serves cmocka 1.1.5;
# bookworm's libinih source answers 404 here, trixie's is served.
aptdir="$here/build/apt"
apt_private=(-o "Dir::Etc::SourceList=$aptdir/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
             -o "Dir::State::Lists=$aptdir/lists" -o "Dir::Cache=$aptdir/cache"
             -o "APT::Sandbox::User=root")

private_apt_update() {
    [ -f "$aptdir/updated" ] && return 0
    mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
    cat >"$aptdir/sources.list" <<'SRC'
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
SRC
    apt-get "${apt_private[@]}" update -qq
    touch "$aptdir/updated"
}

fetch_source() { # package suite
    local pkg=$1 suite=$2
    ls "$deps"/"$pkg"_*.orig.tar.* >/dev/null 2>&1 && return 0
    private_apt_update
    mkdir -p "$deps"
    (cd "$deps" && apt-get "${apt_private[@]}" source --download-only -qq "$pkg/$suite")
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
# hivex's seed hive, the start of every test image (tests/hive/make-image.sh).
"$here/scripts/fetch-hivex-minimal.sh" >/dev/null
echo "setup-deps: ready ($deps)"
