#!/usr/bin/env bash
# The native benchmarks (`make native-bench`, and `make bench` as the
# bench "native"): boots Vectra's test image with "bench" (kernel/
# bench.sh) and the Linux peer (linux/peer.sh: by default, then with
# mitigations=off), both under QEMU TCG with -icount shift=0 on one CPU,
# and prints one DESIGN.md line per pair:
#   bench <name> instructions ours=<x> <peer>=<y> ratio=<r>
# Units are guest instructions per operation (lower is better), so, as
# tests/bench/bench.h does for times, ratio = peer / ours: above 1 means
# Vectra needs fewer instructions. Figures without a peer, and both
# sides' notes, are printed as `# ` lines.
# Usage: native.sh VECTRA-TEST.elf32 UBENCH.elf LINUX-PEER-DIR
set -u
here=$(dirname "$0")
img=$1
ubench=$2
peerdir=$3
initrd=$peerdir/initramfs.cpio

ours=$("$here/../bench.sh" "$img" "$ubench") || {
    echo "$ours"
    echo "bench native: Vectra's side failed" >&2
    exit 1
}
linux=$("$here/linux/peer.sh" "$peerdir" "$initrd") || {
    echo "$linux"
    echo "bench native: the Linux peer failed" >&2
    exit 1
}
linux_off=$("$here/linux/peer.sh" "$peerdir" "$initrd" mitigations=off) || {
    echo "$linux_off"
    echo "bench native: the Linux peer (mitigations=off) failed" >&2
    exit 1
}

echo "# native benchmarks: QEMU TCG -icount shift=0, -cpu qemu64,+smep,+smap,+rdrand, -smp 1; unit = guest instructions per operation"
grep '^# ' <<<"$ours"
grep '^# ' <<<"$linux" | grep -v '^# linux peer: done'
grep -E '^# (linux command line|linux spectre)' <<<"$linux_off" |
    sed 's/^# linux /# linux (mitigations=off) /'

# value LINES KIND NAME: the figure of `KIND NAME instructions=N`.
value() {
    sed -n "s/^$2 $3 instructions=\\([0-9]*\\)\$/\\1/p" <<<"$1" | head -n 1
}

missing=0
# pair BENCH OURS-MEASURE PEER-NAME PEER-LABEL [LINUX-OUTPUT]
pair() {
    local x y
    x=$(value "$ours" measure "$2")
    y=$(value "${5:-$linux}" peer "$3")
    if [ -z "$x" ] || [ -z "$y" ]; then
        echo "bench $1: FAILED (no figure: ours $2='$x', $4='$y')"
        missing=1
        return
    fi
    awk -v n="$1" -v p="$4" -v x="$x" -v y="$y" 'BEGIN {
        printf "bench %s instructions ours=%.2f %s=%.2f ratio=%.2f\n", n, x, p, y, y / x }'
}

pair native_null_syscall native_null_syscall getppid linux_getppid
pair native_ring_round_trip_64 native_ring_round_trip_64b pipe_round_trip_64b linux_pipe
pair native_signal_raise_to_wake native_signal_raise_to_wake eventfd_raise_to_wake linux_eventfd
pair native_signal_raise_to_wake native_signal_raise_to_wake futex_raise_to_wake linux_futex
pair native_signal_raise_to_wake native_signal_raise_to_wake sigwait_raise_to_wake linux_sigwait
pair native_spawn_exit_wait native_task_spawn_user fork_exit_wait linux_fork
pair native_spawn_exit_wait native_task_spawn_user fork_exec_wait linux_fork_exec
pair native_null_syscall native_null_syscall getppid linux_getppid_mitigations_off "$linux_off"
pair native_ring_round_trip_64 native_ring_round_trip_64b pipe_round_trip_64b linux_pipe_mitigations_off "$linux_off"
pair native_signal_raise_to_wake native_signal_raise_to_wake eventfd_raise_to_wake linux_eventfd_mitigations_off "$linux_off"
pair native_spawn_exit_wait native_task_spawn_user fork_exit_wait linux_fork_mitigations_off "$linux_off"
"$here/services.sh" "${img%/*}/vectra.elf32" "${img%/*}/../native/svcbench.bundle" "$(value "$linux" peer fork_exec_wait)" || missing=1 # issue 8: services natively

# Figures with no peer.
grep '^measure ' <<<"$ours" |
    grep -vE ' (native_null_syscall|native_ring_round_trip_64b|native_signal_raise_to_wake|native_task_spawn_user) ' |
    sed 's/^measure /# no peer: /'

# The targets of issue 7, against Linux as shipped (default mitigations).
target() { # NAME OURS-MEASURE PEER-NAME MIN-RATIO
    local x y
    x=$(value "$ours" measure "$2")
    y=$(value "$linux" peer "$3")
    [ -n "$x" ] && [ -n "$y" ] || return
    awk -v n="$1" -v p="$3" -v x="$x" -v y="$y" -v m="$4" 'BEGIN {
        printf "# target: %s at least %gx fewer instructions than linux %s: %s (%.2fx)\n",
            n, m, p, (y / x >= m ? "met" : "NOT MET"), y / x }'
}
target native_null_syscall native_null_syscall getppid 2
target native_ring_round_trip_64 native_ring_round_trip_64b pipe_round_trip_64b 6
exit $missing
