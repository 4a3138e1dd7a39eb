#!/usr/bin/env bash
# Runs the in-kernel benchmarks: boots the test image with "bench" under
# QEMU -icount shift=0 (instruction counts, repeatable) on one CPU and
# prints its `measure ...` and `# ...` lines. UBENCH (default: bench/
# ubench.elf beside the image) is passed as a boot module: without it the
# signal and user-mode spawn figures are skipped. The CPU model is the
# one `make run` uses (SMEP, SMAP, RDRAND); the Linux peer
# (bench/linux/peer.sh) boots on the same model with the same settings.
# Usage: bench.sh IMAGE.elf32 [UBENCH.elf]
set -u
img=$1
ubench=${2:-$(dirname "$img")/bench/ubench.elf}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
module=()
[ -f "$ubench" ] && module=(-initrd "$ubench")
timeout -k 5 "${KERNEL_TEST_TIMEOUT:-300}" qemu-system-x86_64 -accel tcg \
    -icount shift=0 -cpu qemu64,+smep,+smap,+rdrand -m 256M -smp 1 \
    -kernel "$img" -append "bench" "${module[@]}" \
    -display none -monitor none -serial "file:$log" -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null
rc=$?
grep -E '^(measure |# )' "$log"
if [ "$rc" != 1 ]; then
    echo "kernel bench: QEMU exit status $rc; last serial lines:" >&2
    tail -n 20 "$log" >&2
    exit 1
fi
