#!/usr/bin/env bash
# Exact instruction profile of the native Ring round trip (or any stretch
# of the bench boot): boots the test image with "bench" exactly as
# kernel/bench.sh does (-icount shift=0, one CPU), single-steps STEPS
# instructions from the SKIP+1-th call of BRK through gdb
# (kernel/bench/profile.py), then prints instructions per function for
# one period: from the 3rd to the 5th entry of BRK (two entries of
# sys_ring_send, the request and the echo, make one round trip).
# User-mode instructions show as "(user)". Slow (gdb steps about 300
# instructions a second) but exact, and it needs no QEMU plugin.
# Usage: profile.sh BUILD_DIR [runs.txt]   (e.g. build/h-kperf)
#   PORT=23456 BRK=sys_ring_send SKIP=500 STEPS=9000
set -euo pipefail
b=$1
runs=${2:-}
port=${PORT:-23456}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qemu-system-x86_64 -accel tcg -icount shift=0 \
    -cpu qemu64,+smep,+smap,+rdrand -m 256M -smp 1 \
    -kernel "$b/kernel/vectra-test.elf32" -append bench \
    -initrd "$b/kernel/bench/ubench.elf" -display none -monitor none \
    -serial "file:$tmp/serial.log" -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 -S -gdb "tcp::$port" &
qemu=$!
PORT=$port OUT=$tmp/trace.txt gdb -q -batch \
    -x "$(dirname "$0")/profile.py" "$b/kernel/vectra-test.elf" \
    >"$tmp/gdb.log" 2>&1 || true
kill "$qemu" 2>/dev/null || true
python3 - "$b/kernel/vectra-test.elf" "$tmp/trace.txt" \
    "${BRK:-sys_ring_send}" "$runs" <<'EOF'
import bisect, collections, subprocess, sys
elf, trace, brk, runs = sys.argv[1:5]
syms = []
for line in subprocess.run(["nm", "-n", elf], capture_output=True,
                           text=True).stdout.splitlines():
    p = line.split()
    if len(p) == 3 and p[1] in "tTwW":
        syms.append((int(p[0], 16), p[2]))
addrs = [a for a, _ in syms]
def name(pc):
    if pc < 0x800000000000:
        return "(user)"
    i = bisect.bisect_right(addrs, pc) - 1
    return syms[i][1] if i >= 0 else "?"
pcs = [int(l, 16) for l in open(trace)]
entry = [a for a, n in syms if n == brk][0]
starts = [i for i, pc in enumerate(pcs) if pc == entry]
if len(starts) < 5:
    sys.exit("profile: fewer than 5 entries of %s traced" % brk)
seg = [name(pc) for pc in pcs[starts[2]:starts[4]]]
print("period (entry 3 to 5 of %s): %d instructions" % (brk, len(seg)))
for n, k in collections.Counter(seg).most_common():
    print("%6d %s" % (k, n))
if runs: # the call sequence, as runs of one function
    with open(runs, "w") as f:
        prev, run = None, 0
        for n in seg + [None]:
            if n != prev and prev:
                f.write("%5d %s\n" % (run, prev))
                run = 0
            prev = n
            run += 1
EOF
