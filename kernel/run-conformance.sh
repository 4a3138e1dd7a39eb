#!/usr/bin/env bash
# Runs tests/conformance/ as a native user Task: boots the test image with
# "conformance" under QEMU (TCG, headless) once per CPU count and prints
# "conformance(native-smpN): N passed, N failed" (the suite's own summary).
# Usage: run-conformance.sh IMAGE.elf32 SMP...
# The `conformance-native` suite of `make test`. A boot takes a few
# seconds under TCG; one that hangs is killed after KERNEL_TEST_TIMEOUT
# seconds (120) and counts as a failure, with the last serial lines shown.
set -u
img=$1
shift
timeout_s=${KERNEL_TEST_TIMEOUT:-120}
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
        case $rc in
        124|137) why="hung: killed after ${timeout_s}s" ;;
        *) why="no summary (QEMU status $rc)" ;;
        esac
        echo "!!! conformance(native-smp$smp): $why; last lines:"
        tail -n 20 "$log" | sed 's/^/    /'
        any_fail=1
        echo "conformance(native-smp$smp): 0 passed, 1 failed"
        continue
    fi
    read -r pass fail <<<"$summary"
    [ "$fail" = 0 ] && [ "$rc" = 1 ] || any_fail=1
    echo "conformance(native-smp$smp): $pass passed, $fail failed"
done
exit $any_fail
