# The native kernel (kernel/): two images from the same objects.
#   $(BUILD)/kernel/vectra.elf        the kernel (ELF64, for GRUB and gdb)
#   $(BUILD)/kernel/vectra.elf32      the same bytes as ELF32, for QEMU -kernel
#   $(BUILD)/kernel/vectra-test.elf32 the kernel plus the in-kernel tests
# libv is compiled again with kernel flags (no red zone, no SSE, kernel
# code model) into $(BUILD)/kernel/libv/. See docs/kernel.md.

KDIR := $(BUILD)/kernel
KERNEL_ARCH := kernel/arch/x86_64

KERNEL_CFLAGS := $(COMMON) $(WARN) -O2 -ffreestanding -fno-pic -fno-pie \
    -mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mno-80387 \
    -fno-stack-protector -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
    -fno-asynchronous-unwind-tables -fno-unwind-tables \
    -Ikernel/include -I$(KERNEL_ARCH)/include
ifeq ($(CC_KIND),gcc)
KERNEL_CFLAGS += -fno-tree-loop-distribute-patterns
endif
KERNEL_ASFLAGS := -MMD -MP -g -Ikernel/include -I$(KERNEL_ARCH)/include
KERNEL_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 \
    -z noexecstack --no-warn-rwx-segments -T $(KERNEL_ARCH)/kernel.ld

# Sources shared by both images; the last stage differs (core/idle.c or
# core/test_main.c). Tests are every .c under kernel/tests/.
KERNEL_SRCS := $(filter-out kernel/core/idle.c kernel/core/test_main.c, \
    $(wildcard kernel/core/*.c kernel/mm/*.c $(KERNEL_ARCH)/*.c)) \
    $(wildcard $(KERNEL_ARCH)/*.S)
KERNEL_TEST_SRCS := $(wildcard kernel/tests/*.c kernel/bench/*.c)

kobj = $(patsubst %,$(KDIR)/obj/%.o,$(basename $(1)))
KERNEL_OBJS := $(call kobj,$(KERNEL_SRCS))
# The libv modules the kernel links, by name. Not all of LIBV_SRCS: some
# modules use floating point (json numbers), which kernel code must not
# (no SSE/x87 state is saved for it), and a module the kernel does not use
# should not be able to break the kernel build. Add modules as needed.
KERNEL_LIBV_MODULES := mem test
KERNEL_LIBV_SRCS := $(filter $(KERNEL_LIBV_MODULES:%=lib/%/%),$(LIBV_SRCS)) \
    $(LIBV_RT_SRCS)
KERNEL_LIBV_OBJS := $(patsubst %.c,$(KDIR)/libv/%.o,$(KERNEL_LIBV_SRCS))

$(KDIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KDIR)/obj/%.o: %.S
	@mkdir -p $(@D)
	$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(KDIR)/libv/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

# An archive, so only the libv objects the kernel uses are linked.
$(KDIR)/libv.a: $(KERNEL_LIBV_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# Two link passes: the first with an empty symbol table, whose `nm` output
# becomes the table of the second. .ksyms sits after .text, so text
# addresses cannot move between passes; the recipe checks that anyway.
# $(1) image name, $(2) its extra objects.
define KERNEL_IMAGE
$(KDIR)/$(1).pass1.elf: $(KERNEL_OBJS) $(2) $(KDIR)/ksyms-empty.o $(KDIR)/libv.a $(KERNEL_ARCH)/kernel.ld
	$(LD) $(KERNEL_LDFLAGS) -o $$@ $(KERNEL_OBJS) $(2) $(KDIR)/ksyms-empty.o $(KDIR)/libv.a

$(KDIR)/$(1).ksyms.S: $(KDIR)/$(1).pass1.elf kernel/tools/gen-ksyms.sh
	kernel/tools/gen-ksyms.sh $$< > $$@

$(KDIR)/$(1).elf: $(KDIR)/$(1).ksyms.o
	$(LD) $(KERNEL_LDFLAGS) -o $$@ $(KERNEL_OBJS) $(2) $$< $(KDIR)/libv.a
	kernel/tools/gen-ksyms.sh $$@ | cmp -s - $(KDIR)/$(1).ksyms.S || \
	    { echo "kernel: text moved between link passes" >&2; rm -f $$@; exit 1; }

$(KDIR)/$(1).elf32: $(KDIR)/$(1).elf
	objcopy -O elf32-i386 $$< $$@
endef

$(KDIR)/ksyms-empty.S: kernel/tools/gen-ksyms.sh
	@mkdir -p $(@D)
	kernel/tools/gen-ksyms.sh > $@

$(KDIR)/%.o: $(KDIR)/%.S
	$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(eval $(call KERNEL_IMAGE,vectra,$(call kobj,kernel/core/idle.c)))
$(eval $(call KERNEL_IMAGE,vectra-test,$(call kobj,kernel/core/test_main.c $(KERNEL_TEST_SRCS))))

KERNEL_IMAGES := $(KDIR)/vectra.elf32 $(KDIR)/vectra-test.elf32
ALL_TARGETS += $(KERNEL_IMAGES)

.PHONY: kernel
kernel: $(KERNEL_IMAGES)

# The kernel suite: boots the test image under QEMU (TCG) on 1 and 4 CPUs.
TEST_SUITES += kernel
TEST_PKGS += qemu-system-x86
TEST_CMD_kernel = kernel/run-tests.sh $(KDIR)/vectra-test.elf32 1 4 crash
TEST_DEPS_kernel = $(KDIR)/vectra-test.elf32 hostdeps-test

# ---- in-kernel benchmarks (QEMU -icount shift=0): make kernel-bench ----
.PHONY: kernel-bench
kernel-bench: $(KDIR)/vectra-test.elf32
	@kernel/bench.sh $<

# ---- make iso / make debug ----
KERNEL_ISO := $(KDIR)/vectra.iso

$(KERNEL_ISO): $(KDIR)/vectra.elf $(KDIR)/vectra-test.elf kernel/tools/mkiso.sh
	kernel/tools/mkiso.sh $@ $(KDIR)/vectra.elf $(KDIR)/vectra-test.elf

.PHONY: iso debug
iso: $(KERNEL_ISO)

# DEBUG_TEST=1 debugs the test image; SMP=N sets the CPU count.
DEBUG_IMAGE := $(if $(DEBUG_TEST),vectra-test,vectra)
debug: $(KDIR)/$(DEBUG_IMAGE).elf32
	kernel/tools/debug.sh $(KDIR)/$(DEBUG_IMAGE).elf32 $(KDIR)/$(DEBUG_IMAGE).elf \
	    "$(if $(DEBUG_TEST),test)"

# ---- fuzz targets for the kernel's parsers (hosted, clang libFuzzer) ----
# Sources live in kernel/tests/fuzz/; each target is built from its own
# file plus the one kernel source it exercises (and libv mem), so no
# kernel-only code is needed on the host. tests/fuzz/smoke.sh runs them in
# `make test` (fuzz-smoke), tests/fuzz/run.sh in `make fuzz`.
FUZZ_TARGETS += kernel_madt kernel_memmap
KERNEL_FUZZ_FLAGS = $(FUZZ_CFLAGS) $(WARN) -Ikernel/include \
    -I$(KERNEL_ARCH)/include

$(BUILD)/fuzz/kernel_madt: kernel/tests/fuzz/madt.c \
        $(KERNEL_ARCH)/acpi_madt.c lib/mem/mem.c | hostdeps-test
	@mkdir -p $(@D)
	$(FUZZ_CC) $(KERNEL_FUZZ_FLAGS) $^ -o $@

$(BUILD)/fuzz/kernel_memmap: kernel/tests/fuzz/memmap.c \
        kernel/mm/memmap.c | hostdeps-test
	@mkdir -p $(@D)
	$(FUZZ_CC) $(KERNEL_FUZZ_FLAGS) $^ -o $@
