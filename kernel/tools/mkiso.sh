#!/usr/bin/env bash
# Builds a GRUB (BIOS) bootable ISO holding the kernel and the test image.
# Usage: mkiso.sh OUT.iso KERNEL.elf TEST-KERNEL.elf
# GRUB 2's multiboot loader reads the ELF64 image itself (QEMU's -kernel
# needs the ELF32 copy instead). Menu: the kernel, and the in-kernel test
# run (which reports on COM1 and powers off through isa-debug-exit when
# present).
set -euo pipefail
out=$1 kernel=$2 test_kernel=$3
tools/hostdeps.sh grub-pc-bin grub-common xorriso mtools
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/vectra.elf"
cp "$test_kernel" "$dir/boot/vectra-test.elf"
cat > "$dir/boot/grub/grub.cfg" <<'CFG'
set timeout=3
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console

menuentry "Vectra" {
    multiboot /boot/vectra.elf
    boot
}
menuentry "Vectra in-kernel tests" {
    multiboot /boot/vectra-test.elf test
    boot
}
CFG
grub-mkrescue -o "$out" "$dir" 2>/dev/null
echo "iso: $out"
