#!/usr/bin/env bash
# `make debug`: boots the kernel in QEMU paused at the first instruction,
# with its gdb stub on localhost:1234, and attaches gdb with the kernel's
# symbols (kernel/tools/gdbinit). Serial output goes to the terminal
# QEMU was started from... here, a log file named below, since gdb owns
# the terminal.
# Usage: debug.sh KERNEL.elf32 KERNEL.elf [kernel command line]
set -euo pipefail
img=$1 elf=$2 cmdline=${3:-}
log=${DEBUG_SERIAL_LOG:-$(dirname "$elf")/debug-serial.log}
qemu-system-x86_64 -accel tcg -m 256M -smp "${SMP:-1}" -kernel "$img" \
    -append "$cmdline" -display none -monitor none -serial "file:$log" \
    -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 -S -s &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT
echo "debug: QEMU paused (pid $qemu), serial log in $log"
gdb -q -x kernel/tools/gdbinit "$elf"
