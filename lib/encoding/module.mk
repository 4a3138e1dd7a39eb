# Schema-less JSON and msgpack: pull parsers and writers (docs/encoding.md).
LIBV_SRCS += lib/encoding/utf8_check.c lib/encoding/out.c \
             lib/encoding/json_read.c lib/encoding/json_unescape.c \
             lib/encoding/json_number.c lib/encoding/json_write.c \
             lib/encoding/json_dupkeys.c lib/encoding/json_float.c \
             lib/encoding/json_float_write.c lib/encoding/bigint.c \
             lib/encoding/f64_shortest.c lib/encoding/f64_pow5_table.c \
             lib/encoding/msgpack_read.c lib/encoding/msgpack_write.c
LIBV_TEST_SRCS += $(wildcard lib/encoding/tests/*_test.c) \
                  lib/encoding/tests/json_cases.c \
                  lib/encoding/tests/f64_exact_ref.c
FUZZ_TARGETS += json_pull msgpack_pull

# Cross-checks against cJSON and msgpack-c: a separate hosted binary (the
# libv test binary links no third-party code).
TEST_PKGS += libcjson-dev libmsgpack-dev
ENCODING_CROSS_SRCS := lib/encoding/tests/cross/model.c \
                       lib/encoding/tests/cross/ours.c \
                       lib/encoding/tests/cross/json_cross.c \
                       lib/encoding/tests/cross/msgpack_cross.c \
                       lib/encoding/tests/json_cases.c \
                  lib/encoding/tests/f64_exact_ref.c
ENCODING_CROSS_OBJS := $(ENCODING_CROSS_SRCS:%.c=$(BUILD)/tests/%.o)
ENCODING_CROSS_BIN := $(BUILD)/tests/encoding_cross
$(ENCODING_CROSS_OBJS): | hostdeps-test
$(ENCODING_CROSS_BIN): $(ENCODING_CROSS_OBJS) \
                       $(BUILD)/tests/lib/test/hosted_main.o $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -lcjson -lmsgpackc -lm -o $@
TEST_SUITES += encoding-cross
TEST_CMD_encoding-cross = $(ENCODING_CROSS_BIN) --suite encoding-cross
TEST_DEPS_encoding-cross = $(ENCODING_CROSS_BIN)
-include $(ENCODING_CROSS_OBJS:.o=.d)

# Benchmarks against cJSON and msgpack-c (`make bench`). Both share the
# generated corpus (tests/bench/encoding_corpus.c), linked in through an
# extra prerequisite of each binary.
BENCH_TARGETS += encoding_json encoding_msgpack
BENCH_PKGS += libcjson-dev libmsgpack-dev
BENCH_LIBS_encoding_json = -lcjson
BENCH_LIBS_encoding_msgpack = -lmsgpackc
$(BUILD)/bench/bin/encoding_json $(BUILD)/bench/bin/encoding_msgpack: \
    $(BUILD)/bench/encoding_corpus.o
-include $(BUILD)/bench/encoding_corpus.d
