#!/usr/bin/env bash
# Boots the normal kernel image the way `make run` does, with the boot
# Bundle as its multiboot module, and with broken modules, and checks the
# boot log. Prints "kernel-boot: N passed, N failed".
# Usage: run-boot.sh IMAGE.elf32 BOOT.bundle
#   good       the first Task starts from the Bundle, reads it, writes
#              through COM1 and exits 0; the kernel then powers off (QEMU
#              exits, or is stopped here once the line appears)
#   none       no module: the kernel panics saying so
#   corrupt    a Bundle with its magic broken: panic naming the reason
#   truncated  the Bundle's first page only: panic naming the reason
# A boot that neither shows its lines nor ends is stopped after
# KERNEL_BOOT_TIMEOUT seconds (default 60) and fails, with its last lines.
set -u
img=$1
bundle=$2
timeout_s=${KERNEL_BOOT_TIMEOUT:-60}
qemu=${QEMU:-qemu-system-x86_64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/serial.log"
pass=0
fail=0

# Broken copies of the Bundle.
cp "$bundle" "$work/corrupt.bundle"
printf 'X' | dd of="$work/corrupt.bundle" bs=1 count=1 conv=notrunc status=none
head -c 4096 "$bundle" > "$work/truncated.bundle"

boot() { # module-or-empty; runs QEMU in the background, sets qpid
    local mod=()
    [ -n "$1" ] && mod=(-initrd "$1")
    : > "$log"
    "$qemu" -accel tcg -cpu qemu64,+smep,+smap,+rdrand -m 256M -smp 2 \
        -kernel "$img" "${mod[@]}" -display none -monitor none \
        -serial "file:$log" -no-reboot \
        -device isa-debug-exit,iobase=0xf4,iosize=0x04 </dev/null \
        2>"$work/qemu.err" &
    qpid=$!
}

# Waits until every wanted line is in the log (0), or QEMU ended or the
# time ran out first (1). Stops QEMU either way; leaves its status in rc.
wait_for() { # wanted-lines...
    local deadline=$((SECONDS + timeout_s)) ok
    rc=
    while :; do
        ok=1
        for want in "$@"; do
            grep -qF -- "$want" "$log" || { ok=0; break; }
        done
        if [ "$ok" = 1 ]; then
            kill "$qpid" 2>/dev/null
            wait "$qpid" 2>/dev/null
            return 0
        fi
        if ! kill -0 "$qpid" 2>/dev/null; then
            wait "$qpid"
            rc=$?
            break
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            kill "$qpid" 2>/dev/null
            wait "$qpid" 2>/dev/null
            rc=timeout
            break
        fi
        sleep 0.2
    done
    # QEMU may have ended right after writing the last line.
    for want in "$@"; do
        grep -qF -- "$want" "$log" || return 1
    done
    return 0
}

report() { # label result(0 = pass) wanted-lines...
    local label=$1 r=$2
    shift 2
    if [ "$r" = 0 ]; then
        pass=$((pass + 1))
        return
    fi
    fail=$((fail + 1))
    echo "!!! kernel-boot($label): QEMU status ${rc:-running}; missing:"
    for want in "$@"; do
        grep -qF -- "$want" "$log" || echo "    '$want'"
    done
    echo "--- last serial lines:"
    tail -n 20 "$log" | sed 's/^/    /'
    [ -s "$work/qemu.err" ] && sed 's/^/    qemu: /' "$work/qemu.err"
}

check() { # label module wanted-lines...
    local label=$1 mod=$2
    shift 2
    boot "$mod"
    wait_for "$@"
    report "$label" $? "$@"
}

check good "$bundle" \
    "boot: starting the first Task 'init' from the boot Bundle" \
    "init: hello from the first user Task (ring 3)" \
    "init: boot.bundle is a Bundle, read-only" \
    "init: this line went out through COM1 from ring 3" \
    "vectra: first Task 'init' exited, code 0" \
    "vectra: nothing more to run; powering off"
# A panic ends QEMU with status 5 (isa-debug-exit); the status is checked
# too, so a boot that printed the line and then hung fails.
check_panic() { # label module wanted-lines...
    local label=$1 mod=$2 r=0 deadline=$((SECONDS + timeout_s))
    shift 2
    boot "$mod"
    while kill -0 "$qpid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
        sleep 0.2
    done
    if kill -0 "$qpid" 2>/dev/null; then
        kill "$qpid" 2>/dev/null
        wait "$qpid" 2>/dev/null
        rc=timeout
    else
        wait "$qpid"
        rc=$?
    fi
    [ "$rc" = 5 ] || r=1
    for want in "$@"; do
        grep -qF -- "$want" "$log" || r=1
    done
    report "$label" $r "$@"
}
check_panic none "" \
    "!!! PANIC: boot: no boot Bundle: the loader passed no module"
check_panic corrupt "$work/corrupt.bundle" \
    "!!! PANIC: boot: module 0" "is not a usable boot Bundle: not a bundle: bad magic"
check_panic truncated "$work/truncated.bundle" \
    "!!! PANIC: boot: module 0" "is not a usable boot Bundle: bundle is truncated"

echo "kernel-boot: $pass passed, $fail failed"
[ "$fail" = 0 ]
