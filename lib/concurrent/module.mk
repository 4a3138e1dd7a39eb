# libv concurrent: the in-Task mpsc channel, the cooperative executor and
# timers as futures. Freestanding, but it calls the substrate (vx_wait,
# vx_signal_*, timers), so it is its own archive rather than part of
# libv.a, whose link check allows no undefined symbol at all. A program
# links it together with libv.a and a backend (hosted: the core for a root
# Task, the client library for an image; native: kernel/user/vx_native.c).
CONCURRENT_SRCS := lib/concurrent/chan.c lib/concurrent/exec.c \
                   lib/concurrent/sleep.c
CONCURRENT_FREE_LIB := $(BUILD)/free/libv_concurrent.a
CONCURRENT_SAN_LIB := $(BUILD)/san/libv_concurrent.a
$(CONCURRENT_FREE_LIB): $(CONCURRENT_SRCS:%.c=$(BUILD)/free/%.o)
	@rm -f $@
	$(AR) rcs $@ $^
$(CONCURRENT_SAN_LIB): $(CONCURRENT_SRCS:%.c=$(BUILD)/san/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

# The tests run in the hosted root Task. vx_wait is wrapped at link time
# so the tests count the executor's waits independently of its own stats.
CONCURRENT_TEST_SRCS := $(sort $(wildcard lib/concurrent/tests/*_test.c)) \
                        lib/concurrent/tests/wait_count.c
CONCURRENT_TEST_OBJS := $(CONCURRENT_TEST_SRCS:%.c=$(BUILD)/tests/%.o)
CONCURRENT_TEST_BIN := $(BUILD)/tests/concurrent_tests
$(CONCURRENT_TEST_BIN): $(CONCURRENT_TEST_OBJS) \
                        $(BUILD)/tests/lib/test/hosted_main.o \
                        $(CONCURRENT_SAN_LIB) \
                        $(BUILD)/tests/hosted/libvx_hosted.a \
                        $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -Wl,--wrap=vx_wait -pthread -o $@

# The same tests inside a spawned, sandboxed Task: an image whose v_main
# (hosted start file, lib/process) runs them, started by a root runner.
CONCURRENT_IMAGE := $(BUILD)/image/bin/concurrent_suite
CONCURRENT_IMAGE_OBJS := $(CONCURRENT_TEST_SRCS:%.c=$(BUILD)/image/%.o) \
                         $(BUILD)/image/lib/concurrent/tests/suite_task.o \
                         $(BUILD)/image/lib/process/hosted/start.o
$(CONCURRENT_IMAGE): $(CONCURRENT_IMAGE_OBJS) \
                     $(BUILD)/free/libv_process.a $(CONCURRENT_FREE_LIB) \
                     $(BUILD)/free/libv.a $(HOSTED_CLIENT_OBJS)
	@mkdir -p $(@D)
	$(CC) -static $^ -Wl,--wrap=vx_wait -pthread -o $@
CONCURRENT_RUNNER := $(BUILD)/tests/concurrent_in_task
$(CONCURRENT_RUNNER): $(BUILD)/tests/lib/concurrent/tests/in_task.o \
                      $(BUILD)/san/libv_process.a \
                      $(BUILD)/tests/hosted/libvx_hosted.a \
                      $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -pthread -o $@

ALL_TARGETS += $(CONCURRENT_FREE_LIB) $(CONCURRENT_SAN_LIB) \
               $(CONCURRENT_TEST_BIN) $(CONCURRENT_IMAGE) $(CONCURRENT_RUNNER)
TEST_SUITES += concurrent concurrent-task
TEST_CMD_concurrent = $(CONCURRENT_TEST_BIN) --suite concurrent
TEST_DEPS_concurrent = $(CONCURRENT_TEST_BIN)
TEST_CMD_concurrent-task = VX_HOSTED_INITIAL=concurrent_suite=$(CONCURRENT_IMAGE) $(CONCURRENT_RUNNER)
TEST_DEPS_concurrent-task = $(CONCURRENT_RUNNER) $(CONCURRENT_IMAGE)
-include $(CONCURRENT_SRCS:%.c=$(BUILD)/free/%.d) \
         $(CONCURRENT_SRCS:%.c=$(BUILD)/san/%.d) $(CONCURRENT_TEST_OBJS:.o=.d) \
         $(CONCURRENT_IMAGE_OBJS:.o=.d) \
         $(BUILD)/tests/lib/concurrent/tests/in_task.d
