# Vectra — the whole build, in one make process (non-recursive).
#
# Each folder contributes a fragment (lib/<mod>/module.mk, ...) that adds
# to the variables below; this file holds the rules. Output goes to
# $(BUILD) (build/ for gcc, build/clang/ for clang), host tools to
# $(BUILD)/bin/. See docs/conventions.md for how to add a module.

.DEFAULT_GOAL := all
.SUFFIXES:
# Keep every intermediate file (objects made through chains of pattern
# rules): deleting them costs rebuilds and prints after the test summary.
.SECONDARY:
MAKEFLAGS += --no-builtin-rules
SHELL := /bin/bash

ifeq ($(origin CC),default)
CC := gcc
endif
CC_KIND := $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null)),clang,gcc)
ifeq ($(CC_KIND),clang)
BUILD ?= build/clang
else
BUILD ?= build
endif

include mk/flags.mk

define newline


endef

# ---- what the fragments fill in ----
LIBV_SRCS :=        # libv core: freestanding, link-checked
LIBV_RT_SRCS :=     # compiler support routines for freestanding links
LIBV_TEST_SRCS :=   # hosted unit tests of libv (V_TEST files)
FUZZ_TARGETS :=     # names: tests/fuzz/<name>.c, corpus tests/fuzz/corpus/<name>/
BENCH_TARGETS :=    # names: tests/bench/<name>.c (+ BENCH_LIBS_<name>)
BENCH_PKGS :=       # Debian packages the benchmark peers need
TEST_SUITES :=      # names; TEST_CMD_<name> runs it, TEST_DEPS_<name> builds it
ALL_TARGETS :=      # everything `make all` builds
TEST_PKGS := clang libclang-rt-14-dev   # fuzz smoke runs under clang

# hosted/ first: libv modules that need the substrate link their test
# images with its client objects (HOSTED_CLIENT_OBJS).
include $(wildcard hosted/module.mk)
include $(sort $(wildcard lib/*/module.mk))
include $(wildcard kernel/kernel.mk)
include $(wildcard kernel/bench/bench.mk)
include $(sort $(wildcard tools/*/module.mk))
include $(wildcard hosted/machine/module.mk)
include $(sort $(wildcard services/*/module.mk))
include $(sort $(wildcard apps/*/module.mk))
include tests/tests.mk

# ---- libv, two ways: freestanding (-O2) and hosted with sanitizers ----
LIBV_FREE_OBJS := $(LIBV_SRCS:%.c=$(BUILD)/free/%.o)
LIBV_RT_OBJS := $(LIBV_RT_SRCS:%.c=$(BUILD)/free/%.o)
LIBV_SAN_OBJS := $(LIBV_SRCS:%.c=$(BUILD)/san/%.o)

$(BUILD)/free/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(FREE_CFLAGS) -c $< -o $@

$(BUILD)/san/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(SAN_LIBV_CFLAGS) -c $< -o $@

$(BUILD)/tests/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -c $< -o $@

$(BUILD)/free/libv.a: $(LIBV_FREE_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/free/libv_rt.a: $(LIBV_RT_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/san/libv.a: $(LIBV_SAN_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

LIBV_TEST_OBJS := $(LIBV_TEST_SRCS:%.c=$(BUILD)/tests/%.o)
LIBV_TEST_BIN := $(BUILD)/tests/libv_tests
$(LIBV_TEST_BIN): $(LIBV_TEST_OBJS) \
                  $(BUILD)/tests/lib/test/hosted_main.o $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -o $@

ALL_TARGETS += $(BUILD)/free/libv.a $(BUILD)/free/libv_rt.a $(LIBV_TEST_BIN)

TEST_SUITES += libv linkcheck
TEST_CMD_libv = $(LIBV_TEST_BIN) --suite libv
TEST_DEPS_libv = $(LIBV_TEST_BIN)
TEST_CMD_linkcheck = tests/linkcheck.sh "$(CC)" $(BUILD)/free/libv.a $(BUILD)/free/libv_rt.a
TEST_DEPS_linkcheck = $(BUILD)/free/libv.a $(BUILD)/free/libv_rt.a

# ---- top-level targets ----
.PHONY: all test bench fuzz run clean hostdeps-test hostdeps-bench

all: $(ALL_TARGETS)

# Checked on every run (cheap); installs as root, else prints the command.
hostdeps-test:
	@tools/hostdeps.sh $(TEST_PKGS)
hostdeps-bench:
	@tools/hostdeps.sh $(BENCH_PKGS)

# The suite list goes through a file, one "name<TAB>command" per line, so
# that commands may hold any quoting.
test: all $(foreach s,$(TEST_SUITES),$(TEST_DEPS_$(s)))
	$(file >$(BUILD)/test-suites.list,$(foreach s,$(TEST_SUITES),$(s)	$(TEST_CMD_$(s))$(newline)))
	@tests/run-suites.sh $(BUILD)/test-suites.list

# Boots the native kernel under QEMU with its serial console on this
# terminal. The kernel boots every CPU and starts the first user Task
# from the boot Bundle, passed as the multiboot module (-initrd).
# The CPU model offers SMEP, SMAP and RDRAND so the kernel uses them.
RUN_SMP ?= 2
run: $(BUILD)/kernel/vectra.elf32 $(BUILD)/native/boot.bundle hostdeps-test
	@echo "make run: booting Vectra in QEMU ($(RUN_SMP) CPUs, TCG). Quit with Ctrl-a x."
	@qemu-system-x86_64 -accel tcg -cpu qemu64,+smep,+smap,+rdrand -m 256M \
	    -smp $(RUN_SMP) -kernel $< -initrd $(BUILD)/native/boot.bundle \
	    -display none -monitor none \
	    -serial mon:stdio -no-reboot

clean:
	rm -rf build

# Header dependencies of every object built by the rules above (fragments
# with rules of their own include their own .d files).
-include $(patsubst %.o,%.d,$(LIBV_FREE_OBJS) $(LIBV_RT_OBJS) \
    $(LIBV_SAN_OBJS) $(LIBV_TEST_OBJS) $(FUZZ_LIBV_OBJS) \
    $(FUZZ_TARGETS:%=$(BUILD)/fuzzobj/tests/fuzz/%.o) \
    $(BENCH_TARGETS:%=$(BUILD)/bench/%.o) $(BUILD)/tests/lib/test/hosted_main.o)
