# gdb script for kernel/bench/profile.sh: an exact per-function
# instruction profile of one stretch of the bench boot. Under -icount
# shift=0 every figure kbench prints is an instruction count, and
# single-stepping through gdb counts the same instructions one by one, so
# the profile adds up to the figure (a Ring round trip read 8,245 steps
# against the bench's 8,244). Environment: PORT (QEMU's gdb stub), BRK (a
# function: the stretch starts at its SKIP+1-th call), SKIP, STEPS, OUT
# (one hex rip per line).
import os
import gdb

gdb.execute("set pagination off")
gdb.execute("set architecture i386:x86-64")
gdb.execute("target remote localhost:%s" % os.environ["PORT"])
gdb.execute("hbreak %s" % os.environ.get("BRK", "sys_ring_send"))
gdb.execute("continue")
skip = int(os.environ.get("SKIP", "500"))
if skip:
    gdb.execute("ignore 1 %d" % skip)
    gdb.execute("continue")
gdb.execute("delete")
with open(os.environ.get("OUT", "trace.txt"), "w") as out:
    for _ in range(int(os.environ.get("STEPS", "9000"))):
        pc = int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF
        out.write("%x\n" % pc)
        gdb.execute("stepi", to_string=True)
gdb.execute("kill")
