LIBV_SRCS += lib/test/test.c

# The harness checks itself through a binary of deliberately failing tests.
HARNESS_SELFTEST := $(BUILD)/tests/harness_selftest
$(HARNESS_SELFTEST): $(BUILD)/tests/lib/test/tests/selftest_cases.o \
                     $(BUILD)/tests/lib/test/hosted_main.o $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -o $@
ALL_TARGETS += $(HARNESS_SELFTEST)
TEST_SUITES += harness
TEST_CMD_harness = lib/test/tests/harness_check.sh $(HARNESS_SELFTEST)
TEST_DEPS_harness = $(HARNESS_SELFTEST)
-include $(BUILD)/tests/lib/test/tests/selftest_cases.d
