#!/usr/bin/env bash
# The native service benchmark (docs/benchmarks.md, "Services natively"):
# boots the normal kernel with the bench Bundle (services/tests/bench/:
# initd as the first Task, benchd driving it, trivial as the service it
# starts and restarts) under QEMU TCG with -icount shift=0 on one CPU, the
# settings of kernel/bench.sh and the Linux peer, and prints
#   bench <name> instructions ours=<x> linux_fork_exec=<y> ratio=<r>
# for spawn-to-first-message and crash-to-restarted (the latter also
# without initd's 1 ms backoff), with `# ` notes. The peer figure is the
# Linux peer's fork + execve + waitpid of a static program that exits at
# once (`peer fork_exec_wait` of linux/init.c); without it the figures
# are printed as `# no peer:` lines. Nothing here stops the machine from
# inside: QEMU is ended once benchd has printed its last line (or at the
# time limit).
# Usage: services.sh KERNEL.elf32 BUNDLE [LINUX-FORK-EXEC-WAIT]
set -u
img=$1
bundle=$2
peer=${3:-}
limit=${SVC_BENCH_TIMEOUT:-300}
log=$(mktemp)
qpid=
cleanup() {
    [ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
    rm -f "$log" "$log.err"
}
trap cleanup EXIT

qemu-system-x86_64 -accel tcg -icount shift=0,sleep=off \
    -cpu qemu64,+smep,+smap,+rdrand -m 256M -smp 1 \
    -kernel "$img" -initrd "$bundle" \
    -display none -monitor none -serial "file:$log" -no-reboot \
    </dev/null 2>"$log.err" &
qpid=$!
start=$SECONDS
# benchd's last line, or the end of the first Task (initd), or a panic.
done_re="benchd: svcbench: |vectra: first Task 'init' (exited|killed|crashed)"
while ! grep -aqE "$done_re|!!! PANIC" "$log"; do
    if ! kill -0 "$qpid" 2>/dev/null ||
       [ $((SECONDS - start)) -ge "$limit" ]; then
        break
    fi
    sleep 0.5
done
sleep 0.5 # the line is whole by now; what follows is initd powering off
kill "$qpid" 2>/dev/null
wait "$qpid" 2>/dev/null
qpid=

# benchd's lines come through the kernel log as "...benchd: TEXT".
ours=$(tr -d '\r' <"$log" | sed -n 's/^.*benchd: //p')
if ! grep -q '^svcbench: done' <<<"$ours"; then
    echo "bench services: benchd did not finish; QEMU said:" >&2
    cat "$log.err" >&2
    echo "last serial lines:" >&2
    tr -d '\r' <"$log" | tail -n 30 >&2
    exit 1
fi
echo "# services: Vectra's normal kernel and the bench Bundle (initd," \
     "benchd, trivial), -icount shift=0,sleep=off: only initd's 1 ms" \
     "backoff idles, and an idle CPU jumps to the next timer deadline"
grep '^# ' <<<"$ours"

value() { sed -n "s/^measure $1 instructions=\\([0-9]*\\)\$/\\1/p" <<<"$ours"; }
spawn=$(value native_service_spawn_to_first_message)
crash=$(value native_service_crash_to_restarted)
if [ -z "$spawn" ] || [ -z "$crash" ]; then
    echo "bench native_service: FAILED (no figure: spawn='$spawn' crash='$crash')"
    exit 1
fi
# initd arms its backoff Timer for 1 ms after it handled the exit; the CPU
# idles until then (what initd does after arming it is hidden in the ms).
less=$((crash - 1000000))

line() { # NAME OURS
    if [ -n "$peer" ]; then
        awk -v n="$1" -v x="$2" -v y="$peer" 'BEGIN {
            printf "bench %s instructions ours=%d linux_fork_exec=%d ratio=%.2f\n",
                n, x, y, y / x }'
    else
        echo "# no peer: $1 instructions=$2"
    fi
}
line native_service_spawn_to_first_message "$spawn"
line native_service_crash_to_restarted "$crash"
line native_service_crash_to_restarted_less_backoff "$less"
# The rest: a restart request (kill, then start at once: no backoff) and
# a control request initd refuses at once (what a request costs).
grep '^measure ' <<<"$ours" |
    grep -vE ' (native_service_spawn_to_first_message|native_service_crash_to_restarted) ' |
    sed 's/^measure /# no peer: /'
