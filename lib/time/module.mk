# libv time: monotonic instants, wall time with confidence, civil dates.
# Freestanding; reads the Clock only through include/vx (v_time_now is an
# inline wrapper, so libv itself references no substrate symbol).
LIBV_SRCS += lib/time/monotonic.c lib/time/wall.c lib/time/civil.c
LIBV_TEST_SRCS += lib/time/tests/time_test.c lib/time/tests/civil_test.c
