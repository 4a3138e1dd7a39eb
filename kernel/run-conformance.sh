#!/usr/bin/env bash
# Runs tests/conformance/ as a native user Task: boots the test image with
# "conformance" under QEMU (TCG, headless) once per CPU count and prints
# "conformance(native-smpN): N passed, N failed" (the suite's own summary).
# Usage: run-conformance.sh IMAGE.elf32 SMP...
# Not part of `make test` yet: the native backend lacks calls the suite
# exercises (docs/substrate.md §12), so some tests fail by design.
set -u
img=$1
shift
timeout_s=${KERNEL_TEST_TIMEOUT:-300}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
any_fail=0
for smp in "$@"; do
    timeout -k 5 "$timeout_s" qemu-system-x86_64 -accel tcg \
        -cpu qemu64,+smep,+smap,+rdrand -m 512M -smp "$smp" -kernel "$img" \
        -append "conformance" -display none -monitor none \
        -serial "file:$log" -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null
    rc=$?
    # The suite's lines arrive as "[time] cpu I conf: text".
    sed -nE 's/^\[[ 0-9.]+\]( [0-9]+)? [A-Z] conf: //p' "$log" |
        grep -vE '^conformance\(native\): [0-9]+ passed'
    summary=$(sed -nE 's/.* conf: conformance\(native\): ([0-9]+) passed, ([0-9]+) failed.*/\1 \2/p' "$log" | tail -n 1)
    if [ -z "$summary" ]; then
        echo "!!! conformance(native-smp$smp): no summary (QEMU status $rc); last lines:"
        tail -n 20 "$log" | sed 's/^/    /'
        any_fail=1
        continue
    fi
    read -r pass fail <<<"$summary"
    [ "$fail" = 0 ] && [ "$rc" = 1 ] || any_fail=1
    echo "conformance(native-smp$smp): $pass passed, $fail failed"
done
exit $any_fail
