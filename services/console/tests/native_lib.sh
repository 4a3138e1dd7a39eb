# Shared by the native console tests (vctl_native.sh, supervise_native.sh):
# boots QEMU (TCG) with a kernel and a boot Bundle, serial on a FIFO, and
# gives the scripts type_cmd, wait_for, wait_exit, check and check_count.
# Every wait is bounded; the whole run by NATIVE_TIMEOUT seconds (default
# 60).
# Before sourcing: img, bundle, suite (the name printed before each test).
set -u
limit=${NATIVE_TIMEOUT:-${VCTL_NATIVE_TIMEOUT:-60}}
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
# Waits for QEMU to end by itself (after a power-off); false on timeout.
# Its exit status is then in qrc.
qrc=
wait_exit() {
    while kill -0 "$qpid" 2>/dev/null; do
        [ $(( $(date +%s) - start )) -ge "$limit" ] && return 1
        sleep 0.2
    done
    wait "$qpid"
    qrc=$?
    qpid=
}
ok() { echo "pass $suite.$1"; pass=$((pass + 1)); }
bad() {
    echo "FAIL $suite.$1: $2; serial output was:"
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

