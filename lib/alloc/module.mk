LIBV_SRCS += lib/alloc/arena.c lib/alloc/pool.c lib/alloc/heap.c \
             lib/alloc/heap_debug.c lib/alloc/heap_check.c
LIBV_TEST_SRCS += lib/alloc/tests/arena_test.c lib/alloc/tests/pool_test.c \
                  lib/alloc/tests/heap_test.c lib/alloc/tests/heap_debug_test.c \
                  lib/alloc/tests/heap_stress_test.c
BENCH_TARGETS += heap
