#!/usr/bin/env bash
# Boots the kernel test image under QEMU (TCG, headless) once per CPU count
# and reports each run as "kernel(smpN): N passed, N failed".
# Usage: run-tests.sh IMAGE.elf32 SMP... [crash]
#   SMP    a CPU count: the image runs every in-kernel test and exits
#          through isa-debug-exit (QEMU status 1 = pass, 3 = failures,
#          5 = crash).
#   crash  two boots that must crash usefully: "crash-test" takes a
#          deliberate unexpected page fault, "crash-stack" overflows a
#          thread's stack into its guard page (a double fault, reported
#          from its own stack). Each passes only if the crash report
#          (vector, CR2, registers, thread, symbolised backtrace) appears
#          and QEMU ends with the crash status rather than hanging.
# A run that hangs is killed after KERNEL_TEST_TIMEOUT seconds (default
# 120) and counts as a failure, with the last serial lines shown.
# KERNEL_TEST_ARGS adds kernel command-line words (e.g. filter=kernel.vm*).
set -u
img=$1
shift
timeout_s=${KERNEL_TEST_TIMEOUT:-120}
qemu=${QEMU:-qemu-system-x86_64}
any_fail=0
log=$(mktemp)
moddir=$(mktemp -d)
trap 'rm -rf "$log" "$moddir"' EXIT
# A boot module with known bytes: kernel.boot_module_is_kept checks that it
# arrives, keeps its name, and is never handed out as free memory.
module="$moddir/test-module.bin"
printf 'vectra boot module\n' > "$module"

boot() { # smp cmdline
    timeout -k 5 "$timeout_s" "$qemu" -accel tcg -cpu qemu64,+smep,+smap,+rdrand -m 256M -smp "$1" \
        -kernel "$img" -append "$2" -initrd "$module" -display none -monitor none \
        -serial "file:$log" -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null
}

why_failed() { # rc
    case $1 in
    124|137) echo "hung: killed after ${timeout_s}s" ;;
    1) echo "no tests ran" ;;
    5) echo "kernel crashed" ;;
    *) echo "QEMU exit status $1" ;;
    esac
}

show_tail() {
    echo "--- last serial lines:"
    tail -n 25 "$log" | sed 's/^/    /'
}

run_tests() { # smp
    local label="kernel(smp$1)"
    boot "$1" "test ${KERNEL_TEST_ARGS:-}"
    local rc=$? pass=0 fail=0
    # Everything except the kernel's own summary line, which is replaced
    # by ours below (the suite runner adds up every summary line).
    grep -v -E "^kernel\(smp[0-9]+\): [0-9]+ passed, [0-9]+ failed" "$log"
    local summary
    summary=$(sed -nE "s/^kernel\\(smp$1\\): ([0-9]+) passed, ([0-9]+) failed.*/\\1 \\2/p" "$log" | tail -n 1)
    if [ -n "$summary" ]; then
        read -r pass fail <<<"$summary"
    fi
    if [ -z "$summary" ] || { [ "$rc" != 1 ] && [ "$rc" != 3 ]; } ||
       { [ "$rc" = 3 ] && [ "$fail" = 0 ]; } || { [ "$rc" = 1 ] && [ "$fail" != 0 ]; } ||
       [ "$((pass + fail))" = 0 ]; then
        echo "!!! $label: $(why_failed "$rc")"
        show_tail
        fail=$((fail + 1))
    fi
    [ "$fail" = 0 ] || any_fail=1
    echo "$label: $pass passed, $fail failed"
}

run_crash() { # label cmdline expected-lines...
    local label=$1 cmdline=$2
    shift 2
    boot "${CRASH_SMP:-4}" "$cmdline"
    local rc=$? ok=1
    [ "$rc" = 5 ] || ok=0
    for want in "$@"; do
        grep -qF -- "$want" "$log" || { ok=0; echo "!!! $label: no '$want' in the report"; }
    done
    if [ "$ok" = 1 ]; then
        echo "$label: 1 passed, 0 failed"
    else
        echo "!!! $label: $(why_failed "$rc")"
        show_tail
        any_fail=1
        echo "$label: 0 passed, 1 failed"
    fi
}

for what in "$@"; do
    case $what in
    crash)
        run_crash "kernel(crash)" crash-test \
            '!!! exception 14: #PF page fault' 'cr2 0x0000000000000008' \
            'rip 0x' "thread 'boot'" 'backtrace:' 'crash_test_fault+0x' \
            'kernel_run+0x'
        run_crash "kernel(crash-stack)" crash-stack \
            '!!! exception 8: #DF double fault' "thread 'overflow'" \
            'probably a stack overflow' \
            'crash_test_recurse+0x' 'backtrace:'
        ;;
    *) run_tests "$what" ;;
    esac
done
exit $any_fail
