#!/usr/bin/env bash
# Runs the in-kernel benchmarks: boots the test image with "bench" under
# QEMU -icount shift=0 (instruction counts, repeatable) on one CPU and
# prints its `measure ...` and `# ...` lines.
# Usage: bench.sh IMAGE.elf32
set -u
img=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
timeout -k 5 "${KERNEL_TEST_TIMEOUT:-300}" qemu-system-x86_64 -accel tcg \
    -icount shift=0 -m 256M -smp 1 -kernel "$img" -append "bench" \
    -display none -monitor none -serial "file:$log" -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null
rc=$?
grep -E '^(measure |# )' "$log"
if [ "$rc" != 1 ]; then
    echo "kernel bench: QEMU exit status $rc; last serial lines:" >&2
    tail -n 20 "$log" >&2
    exit 1
fi
