LIBV_SRCS += lib/mem/mem.c lib/mem/status.c
LIBV_RT_SRCS += lib/mem/rt.c
LIBV_TEST_SRCS += lib/mem/tests/mem_test.c
