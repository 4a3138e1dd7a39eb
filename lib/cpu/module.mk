# libv cpu: CPU feature detection, a value the caller keeps (v/cpu.h).
LIBV_SRCS += lib/cpu/cpu.c
LIBV_TEST_SRCS += lib/cpu/tests/cpu_test.c
