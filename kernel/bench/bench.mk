# Native benchmarks against a Linux peer (kernel/bench/, docs/benchmarks.md).
#   make kernel-bench   Vectra's side only (kernel/bench.sh)
#   make native-bench   both sides and the `bench ...` lines
#   make bench          runs native-bench too, as the bench "native"
# Included by the top Makefile after kernel/kernel.mk, whose variables
# (KDIR, USER_CFLAGS, USER_LDFLAGS) this uses.

# ubench: the user program for the measurements utest lacks. A boot module
# (bench.sh passes it with -initrd), so the kernel image does not change.
UBENCH_ELF := $(KDIR)/bench/ubench.elf

$(KDIR)/bench/ubench.o: kernel/bench/user/ubench.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(UBENCH_ELF): $(KDIR)/user/crt0.o $(KDIR)/bench/ubench.o $(KDIR)/user/vx_native.o
	$(LD) $(USER_LDFLAGS) -o $@ $^
	strip $@

kernel-bench: $(UBENCH_ELF)

-include $(KDIR)/bench/ubench.d

# The Linux peer: Debian 12's Linux 6.1 (fetched once into $(LINUX_PEER_DIR)
# by kernel/bench/linux/peer.sh) booting a static /init in an initramfs.
LINUX_PEER_DIR := $(BUILD)/linux-peer
BENCH_PKGS += qemu-system-x86 libc6-dev

$(LINUX_PEER_DIR)/init: kernel/bench/linux/init.c kernel/bench/params.h | hostdeps-bench
	@mkdir -p $(@D)
	$(CC) -std=c17 $(WARN) -O2 -static $< -o $@

$(LINUX_PEER_DIR)/mkcpio: kernel/bench/linux/mkcpio.c
	@mkdir -p $(@D)
	$(CC) -std=c17 $(WARN) -O2 $< -o $@

$(LINUX_PEER_DIR)/initramfs.cpio: $(LINUX_PEER_DIR)/init $(LINUX_PEER_DIR)/mkcpio
	$(LINUX_PEER_DIR)/mkcpio $@ $<

NATIVE_BENCH_DEPS := kernel/bench/native.sh kernel/bench.sh \
    kernel/bench/linux/peer.sh $(KDIR)/vectra-test.elf32 $(UBENCH_ELF) \
    $(LINUX_PEER_DIR)/initramfs.cpio
NATIVE_BENCH_CMD := kernel/bench/native.sh $(KDIR)/vectra-test.elf32 \
    $(UBENCH_ELF) $(LINUX_PEER_DIR)

.PHONY: native-bench
native-bench: $(NATIVE_BENCH_DEPS) | hostdeps-bench
	@$(NATIVE_BENCH_CMD)

# `make bench` runs every $(BUILD)/bench/bin/<name> of BENCH_TARGETS; this
# explicit rule (it wins over tests/tests.mk's pattern rule) makes "native"
# a script that runs the pair of boots above.
BENCH_TARGETS += native
$(BUILD)/bench/bin/native: $(NATIVE_BENCH_DEPS) | hostdeps-bench
	@mkdir -p $(@D)
	printf '#!/bin/sh\ncd "%s" && exec %s\n' '$(CURDIR)' '$(NATIVE_BENCH_CMD)' > $@
	chmod +x $@
