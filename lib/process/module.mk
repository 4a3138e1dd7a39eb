# libv process: the v_main entry shape, the start block that carries args,
# environment and footprint names, and the exit code table
# (docs/process.md).
#
# The pure part (start block codec, exit codes) is ordinary libv. The part
# that calls the substrate (loading the block, spawning with one, the run
# adapter) is its own archive, libv_process.a, because libv.a's link check
# allows no undefined symbol; the start files are per backend:
# lib/process/hosted/start.c here, a _start natively (docs/process.md).
LIBV_SRCS += lib/process/block.c lib/process/exit.c
LIBV_TEST_SRCS += lib/process/tests/block_test.c
FUZZ_TARGETS += process_start

PROCESS_SRCS := lib/process/load.c lib/process/spawn.c lib/process/run.c
PROCESS_FREE_LIB := $(BUILD)/free/libv_process.a
PROCESS_SAN_LIB := $(BUILD)/san/libv_process.a
$(PROCESS_FREE_LIB): $(PROCESS_SRCS:%.c=$(BUILD)/free/%.o)
	@rm -f $@
	$(AR) rcs $@ $^
$(PROCESS_SAN_LIB): $(PROCESS_SRCS:%.c=$(BUILD)/san/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

# The test image: a v_main behind the hosted start file, linked like the
# hosted test images (with hosted/module.mk's client objects).
PROCESS_CLIENT_OBJS := $(HOSTED_CLIENT_OBJS)
PROCESS_CHILD := $(BUILD)/image/bin/proc_child
$(PROCESS_CHILD): $(BUILD)/image/lib/process/tests/proc_child.o \
                  $(BUILD)/image/lib/process/hosted/start.o \
                  $(PROCESS_FREE_LIB) $(BUILD)/free/libv.a \
                  $(PROCESS_CLIENT_OBJS)
	@mkdir -p $(@D)
	$(CC) -static $^ -pthread -o $@

# The tests that need the substrate run in the hosted root Task.
PROCESS_TEST_SRCS := lib/process/tests/spawn_test.c
PROCESS_TEST_OBJS := $(PROCESS_TEST_SRCS:%.c=$(BUILD)/tests/%.o)
PROCESS_TEST_BIN := $(BUILD)/tests/process_tests
$(PROCESS_TEST_BIN): $(PROCESS_TEST_OBJS) \
                     $(BUILD)/tests/lib/test/hosted_main.o \
                     $(PROCESS_SAN_LIB) \
                     $(BUILD)/tests/hosted/libvx_hosted.a \
                     $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -pthread -o $@

ALL_TARGETS += $(PROCESS_FREE_LIB) $(PROCESS_SAN_LIB) $(PROCESS_CHILD) \
               $(PROCESS_TEST_BIN)
TEST_SUITES += process process-linkcheck
TEST_CMD_process = VX_HOSTED_INITIAL=proc_child=$(PROCESS_CHILD) $(PROCESS_TEST_BIN) --suite process
TEST_DEPS_process = $(PROCESS_TEST_BIN) $(PROCESS_CHILD)
# libv_process.a and libv_concurrent.a may call the substrate (vx_*) and
# libv, nothing else: no libc, so they stay freestanding.
TEST_CMD_process-linkcheck = lib/process/tests/vx_linkcheck.sh $(BUILD)/free/libv.a $(BUILD)/free/libv_rt.a $(PROCESS_FREE_LIB) $(CONCURRENT_FREE_LIB)
TEST_DEPS_process-linkcheck = $(BUILD)/free/libv.a $(BUILD)/free/libv_rt.a $(PROCESS_FREE_LIB) $(CONCURRENT_FREE_LIB)
-include $(PROCESS_SRCS:%.c=$(BUILD)/free/%.d) \
         $(PROCESS_SRCS:%.c=$(BUILD)/san/%.d) $(PROCESS_TEST_OBJS:.o=.d) \
         $(BUILD)/image/lib/process/tests/proc_child.d \
         $(BUILD)/image/lib/process/hosted/start.d
