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
KERNEL_OBJS := $(call kobj,$(KERNEL_SRCS)) $(KDIR)/obj/kernel/user/embed.o
# The libv modules the kernel links, by name. Not all of LIBV_SRCS: some
# modules use floating point (json numbers), which kernel code must not
# (no SSE/x87 state is saved for it), and a module the kernel does not use
# should not be able to break the kernel build. Add modules as needed.
KERNEL_LIBV_MODULES := mem test
# Single files of other modules: the boot Bundle's structural checks
# (kernel/core/boot_bundle.c), without lib/bundle/verify.c's crypto.
KERNEL_LIBV_FILES := lib/bundle/open.c lib/bundle/name.c lib/path/path.c \
    lib/text/utf8.c lib/text/utf8_validate.c
KERNEL_LIBV_SRCS := $(filter $(KERNEL_LIBV_MODULES:%=lib/%/%),$(LIBV_SRCS)) \
    $(KERNEL_LIBV_FILES) $(LIBV_RT_SRCS)
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

# ---- the kernel's own user programs (kernel/user/): the first Task
# (hello) goes into the boot Bundle, the test programs are embedded in
# both images by kernel/user/embed.S ----
# Static, freestanding, linked at 4 MiB, SSE allowed (the kernel saves
# each user thread's FPU/SSE state: arch/fpu.h), no stack protector (no
# TLS), no red zone (utest's inline assembly pushes).
USER_CFLAGS := $(COMMON) $(WARN) -O2 -ffreestanding -fno-pic -fno-pie \
    -fno-stack-protector -mno-red-zone \
    -fno-asynchronous-unwind-tables -fno-unwind-tables -Ikernel/include
USER_LDFLAGS := -nostdlib -static -z max-page-size=0x1000 -z separate-code \
    -z noexecstack -Ttext-segment=0x400000 -e _start
USER_PROGS := hello utest conf_suite conf_child

$(KDIR)/user/%.o: kernel/user/%.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(KDIR)/user/%.o: kernel/user/%.S
	@mkdir -p $(@D)
	$(CC) -MMD -MP -Ikernel/include -c $< -o $@

# $(1) program, $(2) its sources besides $(1).c
define USER_PROG
$(KDIR)/user/$(1).elf: $(KDIR)/user/crt0.o $(patsubst %,$(KDIR)/user/%.o,$(1) $(2))
	$$(LD) $$(USER_LDFLAGS) -o $$@ $$^
	strip $$@
endef
# The conformance suite for native (make conformance-native): the same
# sources as the hosted runs plus the libv harness, built as user code.
# -U__linux__: the child image's Linux-only probe must not be compiled.
CONF_NATIVE_SRCS := $(filter-out tests/conformance/images/%, \
    $(sort $(wildcard tests/conformance/*.c))) lib/test/test.c \
    lib/mem/mem.c lib/mem/status.c lib/mem/rt.c
CONF_NATIVE_OBJS := $(CONF_NATIVE_SRCS:%.c=$(KDIR)/user/src/%.o)
$(KDIR)/user/src/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -U__linux__ -Itests/conformance -c $< -o $@

$(KDIR)/user/conf_suite.elf: $(KDIR)/user/crt0.o $(KDIR)/user/conf_main.o \
        $(KDIR)/user/vx_native.o $(CONF_NATIVE_OBJS)
	$(LD) $(USER_LDFLAGS) -o $@ $^
	strip $@

$(KDIR)/user/conf_child.elf: $(KDIR)/user/crt0.o $(KDIR)/user/main_shim.o \
        $(KDIR)/user/vx_native.o \
        $(KDIR)/user/src/tests/conformance/images/conf_child.o \
        $(KDIR)/user/src/lib/mem/rt.o $(KDIR)/user/src/lib/mem/mem.o
	$(LD) $(USER_LDFLAGS) -o $@ $^
	strip $@

$(eval $(call USER_PROG,hello,vx_native))
$(eval $(call USER_PROG,utest,uhandles uregion utask usignal uring uthread \
    ufpu urevoke uio vx_native))

$(KDIR)/obj/kernel/user/embed.o: kernel/user/embed.S \
        $(filter-out %/hello.elf,$(USER_PROGS:%=$(KDIR)/user/%.elf))
	@mkdir -p $(@D)
	$(CC) $(KERNEL_ASFLAGS) \
	    -DUSER_UTEST_PATH='"$(KDIR)/user/utest.elf"' \
	    -DUSER_CONF_SUITE_PATH='"$(KDIR)/user/conf_suite.elf"' \
	    -DUSER_CONF_CHILD_PATH='"$(KDIR)/user/conf_child.elf"' -c $< -o $@

-include $(wildcard $(KDIR)/user/*.d) $(CONF_NATIVE_OBJS:.o=.d)
-include $(KERNEL_OBJS:.o=.d) $(KERNEL_LIBV_OBJS:.o=.d) \
    $(patsubst %.o,%.d,$(call kobj,$(KERNEL_TEST_SRCS) kernel/core/idle.c \
    kernel/core/test_main.c))

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

# ---- the boot Bundle: the first multiboot module (make run: -initrd),
# holding the first Task as boot/init (docs/bundle.md, "The boot
# Bundle"), signed with the build's key (VECTRA_KEY, lib/service/
# module.mk: a development key made under $(BUILD)/keys/ on first use) ----
KERNEL_BOOT_BUNDLE := $(KDIR)/boot.bundle
$(KERNEL_BOOT_BUNDLE): $(KDIR)/user/hello.elf $(VECTRA_KEY) \
        $(SERVICE_GEN)/boot.pub $(BUILD)/bin/mkbundle
	@rm -f $@
	$(BUILD)/bin/mkbundle -k $(VECTRA_KEY) -o $@ boot/init=$(KDIR)/user/hello.elf
ALL_TARGETS += $(KERNEL_BOOT_BUNDLE)

# Boots the normal image with that Bundle, and with broken ones, and
# checks the boot log (kernel/run-boot.sh).
TEST_SUITES += kernel-boot
TEST_CMD_kernel-boot = kernel/run-boot.sh $(KDIR)/vectra.elf32 $(KERNEL_BOOT_BUNDLE)
TEST_DEPS_kernel-boot = $(KDIR)/vectra.elf32 $(KERNEL_BOOT_BUNDLE) hostdeps-test

.PHONY: kernel
kernel: $(KERNEL_IMAGES)

# The kernel suite: boots the test image under QEMU (TCG) on 1 and 4 CPUs.
TEST_SUITES += kernel
TEST_PKGS += qemu-system-x86
TEST_CMD_kernel = kernel/run-tests.sh $(KDIR)/vectra-test.elf32 1 4 crash
TEST_DEPS_kernel = $(KDIR)/vectra-test.elf32 hostdeps-test

# ---- the conformance suite as a native user Task, on 1 and 4 CPUs: the
# same sources as conformance(hosted), so the same count must pass ----
TEST_SUITES += conformance-native
TEST_CMD_conformance-native = kernel/run-conformance.sh $(KDIR)/vectra-test.elf32 1 4
TEST_DEPS_conformance-native = $(KDIR)/vectra-test.elf32 hostdeps-test

.PHONY: conformance-native
conformance-native: $(KDIR)/vectra-test.elf32
	kernel/run-conformance.sh $< 1 4

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
