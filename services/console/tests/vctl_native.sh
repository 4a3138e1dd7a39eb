#!/usr/bin/env bash
# vctl through the console on the native kernel: boots the kernel with the
# native boot Bundle (initd, logd, the console) under QEMU (TCG), types
# commands into COM1 as a person would (each after the prompt appears,
# ended by CR), and checks the serial output. Natively `poweroff` ends
# initd, after which the kernel idles ("nothing more to run"); QEMU is
# stopped here once that line appears. Every wait is bounded; the whole
# run by VCTL_NATIVE_TIMEOUT seconds (default 60).
# Usage: vctl_native.sh KERNEL.elf32 BOOT.bundle
set -u
img=$1 bundle=$2
limit=${VCTL_NATIVE_TIMEOUT:-60}
qemu=${QEMU:-qemu-system-x86_64}
work=$(mktemp -d)
qpid=
cleanup() {
    [ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
    exec 3>&- 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
out="$work/serial.log"
pass=0 fail=0
start=$(date +%s)

mkfifo "$work/in"
"$qemu" -accel tcg -cpu qemu64,+smep,+smap,+rdrand -m 256M -smp 2 \
    -kernel "$img" -initrd "$bundle" -display none -monitor none \
    -serial stdio -no-reboot <"$work/in" >"$out" 2>"$work/qemu.err" &
qpid=$!
exec 3>"$work/in"

count() { grep -ao -- "$1" "$out" 2>/dev/null | wc -l; }
# Waits until pattern $1 occurs at least $2 times; false on timeout.
wait_for() {
    while [ "$(count "$1")" -lt "$2" ]; do
        if [ $(( $(date +%s) - start )) -ge "$limit" ] ||
           ! kill -0 "$qpid" 2>/dev/null; then
            return 1
        fi
        sleep 0.2
    done
}
prompts=0
type_cmd() { # waits for the next prompt, then types $1 and CR
    prompts=$((prompts + 1))
    wait_for 'vectra> ' "$prompts" || return 1
    printf '%s\r' "$1" >&3
}
ok() { echo "pass vctl-native.$1"; pass=$((pass + 1)); }
bad() {
    echo "FAIL vctl-native.$1: $2; serial output was:"
    tr -d '\r' <"$out" | sed 's/^/    /' | tail -n 40
    fail=$((fail + 1))
}
check() { # name, then a grep -E pattern that must match a line
    if tr -d '\r' <"$out" | grep -Eaq -- "$2"; then ok "$1"
    else bad "$1" "no line matches '$2'"; fi
}
check_count() { # name, pattern (fixed string), minimum count
    local n
    n=$(count "$2")
    if [ "$n" -ge "$3" ]; then ok "$1"
    else bad "$1" "'$2' seen $n times, wanted at least $3"; fi
}

type_cmd 'tasks' &&
type_cmd 'logs console' &&
type_cmd 'restart logd' &&
type_cmd 'tasks' &&
type_cmd 'bogus' &&
type_cmd 'restart console' &&
{ prompts=0; wait_for 'Vectra (native)' 2; } &&
{ prompts=$(count 'vectra> '); prompts=$((prompts - 1)); type_cmd 'tasks'; } &&
type_cmd 'poweroff' &&
wait_for 'nothing more to run' 1
echo "# vctl-native: $(( $(date +%s) - start )) s"

check banner 'Vectra \(native\)\. Type help for commands\.'
check tasks_shows_initd '^initd +running +0 '
check tasks_shows_logd '^logd +running +0 '
check tasks_shows_console '^console +running +0 '
check restart_ok 'restart logd: ok'
check restart_counted '^logd +running +1 +[0-9]+K +killed'
check logs_shows_records 'info +console: console ready'
check unknown_command 'unknown command .bogus.; try help'
check_count console_restarted 'Vectra (native)' 2
check console_restart_counted '^console +running +1 +[0-9]+K +killed'
check poweroff_prints 'powering off'
check initd_exits_cleanly "first Task 'init' exited, code 0"

echo "vctl-native: $pass passed, $fail failed"
[ "$fail" = 0 ]
