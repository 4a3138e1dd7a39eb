# The hosted backend: include/vx on Linux (docs/substrate.md §11), and the
# conformance suite (tests/conformance/) run against it.
#
# Two libraries implement the same ABI:
# - the broker (hosted/*.c): the kernel core, linked into the root Task —
#   the test binaries. Compiled like the tests, under ASan and UBSan.
# - the client (hosted/client/*.c + hosted/wire.c): linked into images of
#   spawned Tasks, which run under seccomp. Images are static executables
#   without sanitizers: the sandbox forbids the files and /proc reads the
#   sanitizer runtimes need, and a spawned image cannot load shared
#   libraries (no open()).

CONFORMANCE_SRCS := $(sort $(wildcard tests/conformance/*.c))

HOSTED_SRCS := hosted/core.c hosted/wake.c hosted/events.c hosted/table.c \
               hosted/node.c hosted/object.c hosted/region.c hosted/ring.c \
               hosted/signal.c hosted/timer.c hosted/entropy.c hosted/task.c hosted/sandbox.c \
               hosted/broker.c hosted/wire.c hosted/lane.c hosted/lane_ops.c \
               hosted/devices.c hosted/ring_call.c
HOSTED_OBJS := $(HOSTED_SRCS:%.c=$(BUILD)/tests/%.o)
HOSTED_SAN_LIB := $(BUILD)/tests/hosted/libvx_hosted.a

$(HOSTED_SAN_LIB): $(HOSTED_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# ---- the client library and the images spawned by tests ----
HOSTED_CLIENT_SRCS := hosted/client/client.c hosted/client/lane_client.c \
                      hosted/wire.c hosted/lane_ops.c hosted/devices.c \
                      hosted/ring_call.c
HOSTED_CLIENT_OBJS := $(HOSTED_CLIENT_SRCS:%.c=$(BUILD)/image/%.o)
HOSTED_IMAGE_CFLAGS := $(COMMON) $(WARN) -O1

$(BUILD)/image/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOSTED_IMAGE_CFLAGS) -c $< -o $@

# An image: one source file plus the client library, linked statically.
HOSTED_IMAGES := conf_child scribbler conf_suite
HOSTED_IMAGE_BINS := $(HOSTED_IMAGES:%=$(BUILD)/image/bin/%)
HOSTED_IMAGE_OBJ_conf_child := $(BUILD)/image/tests/conformance/images/conf_child.o
HOSTED_IMAGE_OBJ_scribbler := $(BUILD)/image/hosted/tests/scribbler.o
$(BUILD)/image/bin/conf_child: $(HOSTED_IMAGE_OBJ_conf_child) $(HOSTED_CLIENT_OBJS)
$(BUILD)/image/bin/scribbler: $(HOSTED_IMAGE_OBJ_scribbler) $(HOSTED_CLIENT_OBJS)
# The whole conformance suite as an image (libv, harness included, from
# the freestanding build; libc provides memcpy and friends).
HOSTED_IMAGE_OBJ_conf_suite := $(BUILD)/image/hosted/tests/suite_main.o
$(BUILD)/image/bin/conf_suite: $(HOSTED_IMAGE_OBJ_conf_suite) \
                               $(CONFORMANCE_SRCS:%.c=$(BUILD)/image/%.o) \
                               $(HOSTED_CLIENT_OBJS) $(BUILD)/free/libv.a
$(HOSTED_IMAGE_BINS):
	@mkdir -p $(@D)
	$(CC) -static $^ -pthread -o $@

# The root Task of a test binary receives every image as an initial
# handle named after it (VX_HOSTED_INITIAL, docs/substrate.md §11).
hosted_nothing :=
hosted_space := $(hosted_nothing) $(hosted_nothing)
HOSTED_INITIAL := $(subst $(hosted_space),:,$(foreach i,$(HOSTED_IMAGES),$(i)=$(BUILD)/image/bin/$(i)))

# ---- the conformance suite: only include/vx and the libv harness ----
CONFORMANCE_OBJS := $(CONFORMANCE_SRCS:%.c=$(BUILD)/tests/%.o)
CONFORMANCE_BIN := $(BUILD)/tests/conformance_hosted

$(CONFORMANCE_BIN): $(CONFORMANCE_OBJS) \
                    $(BUILD)/tests/lib/test/hosted_main.o \
                    $(HOSTED_SAN_LIB) $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -pthread -o $@

# ---- what only the hosted backend promises: sandbox, hostile Tasks ----
HOSTED_TEST_SRCS := hosted/tests/hosted_test.c hosted/tests/wake_test.c \
                    hosted/tests/quota_test.c hosted/tests/producers_test.c \
                    hosted/tests/lane_test.c \
                    tests/conformance/child.c \
                    tests/conformance/conf.c
HOSTED_TEST_OBJS := $(HOSTED_TEST_SRCS:%.c=$(BUILD)/tests/%.o)
HOSTED_TEST_BIN := $(BUILD)/tests/hosted_tests

$(HOSTED_TEST_BIN): $(HOSTED_TEST_OBJS) $(BUILD)/tests/lib/test/hosted_main.o \
                    $(HOSTED_SAN_LIB) $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -pthread -o $@

ALL_TARGETS += $(HOSTED_SAN_LIB) $(CONFORMANCE_BIN) $(HOSTED_TEST_BIN) \
               $(HOSTED_IMAGE_BINS)
# The same suite again, inside a spawned Task: every call through the
# client library, the protocol and the broker.
HOSTED_RUNNER_BIN := $(BUILD)/tests/run_in_task
$(HOSTED_RUNNER_BIN): $(BUILD)/tests/hosted/tests/run_in_task.o \
                      $(HOSTED_SAN_LIB) $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -pthread -o $@

ALL_TARGETS += $(HOSTED_RUNNER_BIN)
TEST_SUITES += conformance conformance-task hosted
TEST_CMD_conformance = VX_HOSTED_INITIAL=$(HOSTED_INITIAL) $(CONFORMANCE_BIN) --suite 'conformance(hosted)'
TEST_DEPS_conformance = $(CONFORMANCE_BIN) $(HOSTED_IMAGE_BINS)
TEST_CMD_conformance-task = VX_HOSTED_INITIAL=$(HOSTED_INITIAL) $(HOSTED_RUNNER_BIN)
TEST_DEPS_conformance-task = $(HOSTED_RUNNER_BIN) $(HOSTED_IMAGE_BINS)
TEST_CMD_hosted = VX_HOSTED_INITIAL=$(HOSTED_INITIAL) $(HOSTED_TEST_BIN) --suite hosted
TEST_DEPS_hosted = $(HOSTED_TEST_BIN) $(HOSTED_IMAGE_BINS)

-include $(HOSTED_OBJS:.o=.d) $(CONFORMANCE_OBJS:.o=.d) \
         $(HOSTED_TEST_OBJS:.o=.d) $(HOSTED_CLIENT_OBJS:.o=.d) \
         $(CONFORMANCE_SRCS:%.c=$(BUILD)/image/%.d) \
         $(BUILD)/tests/hosted/tests/run_in_task.d \
         $(foreach i,$(HOSTED_IMAGES),$(HOSTED_IMAGE_OBJ_$(i):.o=.d))

# ---- benchmarks: the Ring between two processes (tests/bench/ring_*.c) ----
# The root Task of a benchmark links the core built like the benchmark
# itself (-O2, no sanitizers); its peer is the ring_echo image.
HOSTED_BENCH_OBJS := $(HOSTED_SRCS:%.c=$(BUILD)/bench/%.o)
$(BUILD)/bench/hosted/%.o: hosted/%.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -c $< -o $@
$(BUILD)/image/bin/ring_echo: $(BUILD)/image/tests/bench/ring_echo.o \
                              $(HOSTED_CLIENT_OBJS)
	@mkdir -p $(@D)
	$(CC) -static $^ -pthread -o $@
ALL_TARGETS += $(BUILD)/image/bin/ring_echo
BENCH_TARGETS += ring_ipc
BENCH_CFLAGS_ring_ipc := -DRING_ECHO_IMAGE='"$(abspath $(BUILD)/image/bin/ring_echo)"'
$(BUILD)/bench/bin/ring_ipc: $(BUILD)/bench/ring_ipc.o \
                             $(BUILD)/bench/bench_util.o $(HOSTED_BENCH_OBJS) \
                             | $(BUILD)/image/bin/ring_echo
	@mkdir -p $(@D)
	$(CC) $(filter %.o,$^) -pthread -o $@
-include $(HOSTED_BENCH_OBJS:.o=.d) $(BUILD)/image/tests/bench/ring_echo.d
