#!/usr/bin/env bash
# The Linux peer of the native benchmarks: boots Debian 12's Linux 6.1
# under the same QEMU, CPU model and -icount shift=0 settings as Vectra's
# side (kernel/bench.sh), with init.c as its only program, and prints the
# `peer ...` and `# ...` lines it writes to the serial console.
#
# The kernel is Debian's linux-image package, resolved through the
# linux-image-amd64 metapackage, fetched once with `apt-get download` and
# unpacked with dpkg-deb (never installed); only boot/vmlinuz-* is kept,
# in CACHE_DIR, with the package name and version beside it, so later
# runs do not download again.
# Usage: peer.sh CACHE_DIR INITRAMFS [KERNEL-COMMAND-LINE-WORDS...]
set -u
dir=$1
initrd=$2
shift 2
mkdir -p "$dir"

fetch() {
    local pkg dl deb
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
          sed -n 's/^ *Depends: \(linux-image-6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' |
          head -n 1)
    if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
        apt-get update -q >/dev/null
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
              sed -n 's/^ *Depends: \(linux-image-6\.1\.[0-9]*-[0-9]*-amd64\)$/\1/p' |
              head -n 1)
    fi
    if [ -z "$pkg" ]; then
        echo "linux peer: apt knows no linux-image-amd64 depending on a" \
             "Linux 6.1 image (not Debian 12, or run apt-get update)" >&2
        return 1
    fi
    dl=$(mktemp -d "$dir/dl.XXXXXX")
    if ! (cd "$dl" && apt-get download -q "$pkg" >/dev/null 2>&1); then
        echo "linux peer: apt-get download $pkg failed" >&2
        rm -rf "$dl"
        return 1
    fi
    deb=$(ls "$dl"/*.deb)
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dl" --wildcards './boot/vmlinuz-*'
    mv "$dl"/boot/vmlinuz-* "$dir/vmlinuz" &&
        echo "$pkg $(dpkg-deb -f "$deb" Version)" > "$dir/linux-package"
    local ok=$?
    rm -rf "$dl"
    return $ok
}

if [ ! -s "$dir/vmlinuz" ] || [ ! -s "$dir/linux-package" ]; then
    echo "# linux peer: fetching Debian's kernel (once; cached in $dir)"
    fetch || exit 1
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# panic=-1 reboots at once on a panic, which -no-reboot turns into QEMU
# exiting; a clean run ends with init's reboot(RB_POWER_OFF).
timeout -k 5 "${LINUX_PEER_TIMEOUT:-600}" qemu-system-x86_64 -accel tcg \
    -icount shift=0 -cpu qemu64,+smep,+smap,+rdrand -m 256M -smp 1 \
    -kernel "$dir/vmlinuz" -initrd "$initrd" \
    -append "console=ttyS0 quiet panic=-1 $*" \
    -display none -monitor none -serial "file:$log" -no-reboot </dev/null
rc=$?
echo "# linux package: $(cat "$dir/linux-package")"
tr -d '\r' < "$log" | grep -E '^(peer |# )'
if [ "$rc" != 0 ] || ! grep -q '^# linux peer: done' "$log"; then
    echo "linux peer: QEMU exit status $rc; last serial lines:" >&2
    tr -d '\r' < "$log" | tail -n 20 >&2
    exit 1
fi
