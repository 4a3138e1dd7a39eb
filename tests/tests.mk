# Fuzz targets, benchmarks and the cross-cutting test suites.

# ---- fuzzing (clang libFuzzer), objects kept apart from the main build ----
FUZZ_LIBV_OBJS := $(LIBV_SRCS:%.c=$(BUILD)/fuzzobj/%.o)
FUZZ_BINS := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60

$(BUILD)/fuzzobj/%.o: %.c | hostdeps-test
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARN) -MMD -MP -ffreestanding -c $< -o $@

$(BUILD)/fuzz/%: $(BUILD)/fuzzobj/tests/fuzz/%.o $(FUZZ_LIBV_OBJS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $^ -o $@

fuzz: $(FUZZ_BINS)
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(BUILD)/fuzz-corpus $(FUZZ_BINS)

TEST_SUITES += fuzz-smoke
TEST_CMD_fuzz-smoke = tests/fuzz/smoke.sh $(FUZZ_BINS)
TEST_DEPS_fuzz-smoke = $(FUZZ_BINS)

# ---- benchmarks: libv as the freestanding -O2 build, peers from Debian ----
BENCH_BINS := $(BENCH_TARGETS:%=$(BUILD)/bench/bin/%)

$(BUILD)/bench/%.o: tests/bench/%.c | hostdeps-bench
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $(BENCH_CFLAGS_$*) -c $< -o $@

$(BUILD)/bench/bin/%: $(BUILD)/bench/%.o $(BUILD)/bench/bench_util.o \
                      $(BUILD)/free/libv.a
	@mkdir -p $(@D)
	$(CC) $^ $(BENCH_LIBS_$*) -o $@

bench: $(BENCH_BINS)
	@tests/bench/run.sh $(BENCH_BINS)
