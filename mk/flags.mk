# Compiler flags, one place. Warnings are errors in all project code.

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wpointer-arith -Wundef -Wformat=2 -Wvla \
        -Wno-unused-parameter
COMMON := -std=c17 -Iinclude -MMD -MP -g -fno-common

# libv is freestanding: compiler-provided headers only, no libc calls.
# gcc would otherwise turn byte loops into memcpy/memset calls, which inside
# lib/mem/rt.c would call themselves.
LIBV_MODE := -ffreestanding
ifeq ($(CC_KIND),gcc)
LIBV_MODE += -fno-tree-loop-distribute-patterns
endif

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
       -fno-omit-frame-pointer

FREE_CFLAGS := $(COMMON) $(WARN) $(LIBV_MODE) -O2 -fno-stack-protector
SAN_LIBV_CFLAGS := $(COMMON) $(WARN) $(LIBV_MODE) -O1 $(SAN)
TEST_CFLAGS := $(COMMON) $(WARN) -O1 $(SAN)

# Benchmarks: both sides at -O2 for the baseline x86-64 ISA (SSE2), the
# same as Debian builds its libraries; see docs/benchmarks.md.
BENCH_CFLAGS := $(COMMON) $(WARN) -O2

# Fuzzing always uses clang's libFuzzer, whatever CC is.
FUZZ_CC := clang
FUZZ_CFLAGS := -std=c17 -Iinclude -g -O1 -fno-omit-frame-pointer \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
