#!/usr/bin/env bash
# Golden image, serviced offline on a Linux build host (Packer + qemu,
# libguestfs): make a Windows disk image's TLS configuration match a profile
# without booting it.
#   offline-linux.sh DISK.qcow2|DISK.vhdx [PROFILE]   mounts the Windows
#        partition with guestmount (Debian: libguestfs-tools), services it,
#        unmounts it
#   offline-linux.sh --dir DIR [PROFILE]              DIR is already the root
#        of the Windows installation (mounted some other way)
# The native schannelcfg (built with libhivex) edits the image's hive files
# directly: it refuses dirty hives (boot the image once first), writes each
# changed hive to a temporary file and renames it into place, and writes the
# rollback snapshot into the image's ProgramData\schannelcfg\snapshots.
# Exit: schannelcfg's (0, or 3010 - seen as 194 by the shell - on a change),
# or 1 when the image does not comply afterwards.
set -euo pipefail
SCHANNELCFG=${SCHANNELCFG:-schannelcfg}

if [ "${1:-}" = --dir ]; then
    root=$2
    profile=${3:-tls12-strict}
    mounted=
else
    disk=${1:?usage: offline-linux.sh DISK [PROFILE] | --dir DIR [PROFILE]}
    profile=${2:-tls12-strict}
    root=$(mktemp -d)
    # -i: inspect the disk and mount the Windows system partition at /.
    guestmount -a "$disk" -i --rw "$root"
    mounted=$root
    trap 'guestunmount "$mounted"; rmdir "$mounted"' EXIT
fi

"$SCHANNELCFG" diff "$profile" --image "$root"
rc=0
"$SCHANNELCFG" apply "$profile" --image "$root" --format json >"${APPLY_JSON:-/dev/null}" || rc=$?
case $rc in
0 | 194) ;;                  # applied (194 = 3010 mod 256: reboot required), or nothing to do
*) echo "schannelcfg apply failed: exit $rc" >&2; exit "$rc" ;;
esac
"$SCHANNELCFG" check "$profile" --image "$root" >/dev/null || { echo "image does not comply" >&2; exit 1; }
echo "image complies with $profile"
exit "$rc"
