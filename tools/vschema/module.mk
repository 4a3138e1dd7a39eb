# vschema: the schema compiler (docs/schema.md), a hosted tool built with
# the test flags (ASan, UBSan) and linked with the sanitized libv (for
# BLAKE3). Its own tests are a separate suite: parser errors, and round
# trips through code it generates from tools/vschema/tests/all.vs.

VSCHEMA_CORE_SRCS := tools/vschema/ctx.c tools/vschema/lex.c \
                     tools/vschema/parse.c tools/vschema/load.c \
                     tools/vschema/check.c tools/vschema/canon.c \
                     tools/vschema/gen_c.c tools/vschema/gen_walk.c \
                     tools/vschema/gen_mp.c tools/vschema/gen_json.c
# The run-time interpreter of schemas (value.h), used by vcodec convert.
VSCHEMA_CORE_SRCS += tools/vschema/value.c tools/vschema/interp_bin.c \
                     tools/vschema/interp_walk.c tools/vschema/interp_json.c \
                     tools/vschema/interp_mp.c
VSCHEMA_CORE_OBJS := $(VSCHEMA_CORE_SRCS:%.c=$(BUILD)/tests/%.o)
# Two builds: $(BUILD)/bin/vschema at -O2 against the freestanding libv
# (the tool people run), and a sanitized copy that generates the test code
# and that the vschema-cli suite checks too.
VSCHEMA := $(BUILD)/tests/tools/vschema/vschema-san
VSCHEMA_BIN := $(BUILD)/bin/vschema
VSCHEMA_HOST_OBJS := $(VSCHEMA_CORE_SRCS:%.c=$(BUILD)/host/%.o) \
                     $(BUILD)/host/tools/vschema/main.o

$(VSCHEMA): $(BUILD)/tests/tools/vschema/main.o $(VSCHEMA_CORE_OBJS) \
            $(BUILD)/san/libv.a
	@mkdir -p $(@D)
	$(CC) $(SAN) $^ -o $@

$(BUILD)/host/tools/vschema/%.o: tools/vschema/%.c
	@mkdir -p $(@D)
	$(CC) $(COMMON) $(WARN) -O2 -c $< -o $@
$(VSCHEMA_BIN): $(VSCHEMA_HOST_OBJS) $(BUILD)/free/libv.a
	@mkdir -p $(@D)
	$(CC) $^ -o $@

ALL_TARGETS += $(VSCHEMA) $(VSCHEMA_BIN)

-include $(patsubst %.o,%.d,$(VSCHEMA_CORE_OBJS) \
    $(BUILD)/tests/tools/vschema/main.o $(VSCHEMA_HOST_OBJS))

# ---- code generated for the tests, from tools/vschema/tests/*.vs ----
VSCHEMA_GEN := $(BUILD)/vschema-gen
VSCHEMA_TEST_SCHEMAS := all part
VSCHEMA_GEN_SRCS := $(VSCHEMA_TEST_SCHEMAS:%=$(VSCHEMA_GEN)/%.c)
VSCHEMA_GEN_HDRS := $(VSCHEMA_TEST_SCHEMAS:%=$(VSCHEMA_GEN)/%.h)

# One run writes both files; the header is the target, the .c follows it.
$(VSCHEMA_GEN)/%.h: tools/vschema/tests/%.vs $(VSCHEMA)
	@mkdir -p $(@D)
	$(VSCHEMA) gen $< -o $(@D)
$(VSCHEMA_GEN)/%.c: $(VSCHEMA_GEN)/%.h
	@test -f $@
# all.vs imports part.vs.
$(VSCHEMA_GEN)/all.h: tools/vschema/tests/part.vs

# Generated code compiled two ways: with the test flags (linked into the
# tests) and freestanding at -O2, as libv is, to prove it needs only libv.
$(VSCHEMA_GEN)/san/%.o: $(VSCHEMA_GEN)/%.c $(VSCHEMA_GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -I$(VSCHEMA_GEN) -c $< -o $@
$(VSCHEMA_GEN)/free/%.o: $(VSCHEMA_GEN)/%.c $(VSCHEMA_GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(FREE_CFLAGS) -I$(VSCHEMA_GEN) -c $< -o $@
VSCHEMA_GEN_SAN_OBJS := $(VSCHEMA_TEST_SCHEMAS:%=$(VSCHEMA_GEN)/san/%.o)
VSCHEMA_GEN_FREE_OBJS := $(VSCHEMA_TEST_SCHEMAS:%=$(VSCHEMA_GEN)/free/%.o)

# ---- the vschema suite ----
VSCHEMA_TEST_SRCS := $(sort $(wildcard tools/vschema/tests/*_test.c)) \
                     tools/vschema/tests/sample.c
VSCHEMA_TEST_OBJS := $(VSCHEMA_TEST_SRCS:%.c=$(BUILD)/tests/%.o)
$(VSCHEMA_TEST_OBJS): TEST_CFLAGS += -I$(VSCHEMA_GEN) -Itools/vschema
$(VSCHEMA_TEST_OBJS): | $(VSCHEMA_GEN_HDRS)
VSCHEMA_TEST_BIN := $(BUILD)/tests/vschema_tests
$(VSCHEMA_TEST_BIN): $(VSCHEMA_TEST_OBJS) $(VSCHEMA_CORE_OBJS) \
                     $(VSCHEMA_GEN_SAN_OBJS) \
                     $(BUILD)/tests/lib/test/hosted_main.o $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -o $@

ALL_TARGETS += $(VSCHEMA_TEST_BIN) $(VSCHEMA_GEN_FREE_OBJS)
TEST_SUITES += vschema vschema-cli
TEST_CMD_vschema = $(VSCHEMA_TEST_BIN) --suite vschema
TEST_DEPS_vschema = $(VSCHEMA_TEST_BIN)
# Generated code links against libv alone.
TEST_SUITES += vschema-deps
TEST_CMD_vschema-deps = tools/vschema/tests/deps_check.sh \
    $(BUILD)/free/libv.a $(BUILD)/free/libv_rt.a $(VSCHEMA_GEN_FREE_OBJS)
TEST_DEPS_vschema-deps = $(BUILD)/free/libv.a $(BUILD)/free/libv_rt.a \
    $(VSCHEMA_GEN_FREE_OBJS)
# The command line: exit codes and messages, through a script.
TEST_CMD_vschema-cli = tools/vschema/tests/cli_check.sh $(VSCHEMA) && \
                      tools/vschema/tests/cli_check.sh $(VSCHEMA_BIN)
TEST_DEPS_vschema-cli = $(VSCHEMA) $(VSCHEMA_BIN)
# Every schema under schemas/ compiles, and its generated C too.
TEST_SUITES += schemas
# And schemas/bundle.vs holds what a real Bundle's manifest holds.
TEST_CMD_schemas = tools/vschema/tests/schemas_check.sh $(VSCHEMA) $(CC) && \
    tools/vschema/tests/bundle_schema_check.sh $(BUILD)/bin/vcodec \
        $(BUILD)/bin/mkbundle $(BUILD)/bin/vsign
TEST_DEPS_schemas = $(VSCHEMA) $(BUILD)/bin/vcodec $(BUILD)/bin/mkbundle \
                    $(BUILD)/bin/vsign

-include $(patsubst %.o,%.d,$(VSCHEMA_TEST_OBJS) $(VSCHEMA_GEN_SAN_OBJS) \
    $(VSCHEMA_GEN_FREE_OBJS))

# ---- fuzz targets: the parser, and the decoders generated from all.vs ----
FUZZ_TARGETS += vschema_parse vschema_decode
$(BUILD)/fuzz/vschema_parse: $(VSCHEMA_CORE_SRCS:%.c=$(BUILD)/fuzzobj/%.o)
$(BUILD)/fuzzobj/tests/fuzz/vschema_parse.o: FUZZ_CFLAGS += -Itools/vschema
# Both targets over the generated code share an allocator and a table of
# its codecs (tools/vschema/tests/fuzz_codecs.h).
VSCHEMA_FUZZ_SHARED := $(BUILD)/fuzzobj/tools/vschema/tests/fuzz_codecs.o \
                       $(VSCHEMA_TEST_SCHEMAS:%=$(VSCHEMA_GEN)/fuzz/%.o)
VSCHEMA_FUZZ_OBJS := $(BUILD)/fuzzobj/tools/vschema/tests/fuzz_codecs.o \
                     $(BUILD)/fuzzobj/tests/fuzz/vschema_decode.o \
                     $(BUILD)/fuzzobj/tests/fuzz/vcodec_interp.o
$(VSCHEMA_FUZZ_OBJS): FUZZ_CFLAGS += -I$(VSCHEMA_GEN) -Itools/vschema/tests
$(VSCHEMA_FUZZ_OBJS): | $(VSCHEMA_GEN_HDRS)
$(BUILD)/fuzz/vschema_decode: $(VSCHEMA_FUZZ_SHARED)
$(VSCHEMA_GEN)/fuzz/%.o: $(VSCHEMA_GEN)/%.c $(VSCHEMA_GEN_HDRS) | hostdeps-test
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARN) -MMD -MP -I$(VSCHEMA_GEN) -c $< -o $@
# Header dependencies of the fuzzing objects (libv's headers change).
-include $(VSCHEMA_CORE_SRCS:%.c=$(BUILD)/fuzzobj/%.d) \
         $(VSCHEMA_TEST_SCHEMAS:%=$(VSCHEMA_GEN)/fuzz/%.d) \
         $(BUILD)/fuzzobj/tools/vschema/tests/fuzz_codecs.d

# The interpreter's decoders (value.h) against the generated ones, input
# by input (tests/fuzz/vcodec_interp.c). The schema is read at run time
# from its absolute path, baked in here.
FUZZ_TARGETS += vcodec_interp
$(BUILD)/fuzz/vcodec_interp: $(VSCHEMA_CORE_SRCS:%.c=$(BUILD)/fuzzobj/%.o) \
    $(VSCHEMA_FUZZ_SHARED)
$(BUILD)/fuzzobj/tests/fuzz/vcodec_interp.o: FUZZ_CFLAGS += -Itools/vschema \
    -DVCODEC_FUZZ_SCHEMA='"$(CURDIR)/tools/vschema/tests/all.vs"'

# ---- benchmark: generated canonical binary against msgpack-c ----
# tests/bench/encoding_canon.c uses the code generated from the log
# record schema, built as libv is (freestanding, -O2). libv.a comes again
# after the generated object, which needs it.
BENCH_TARGETS += encoding_canon
BENCH_PKGS += libmsgpack-dev
VSCHEMA_BENCH_GEN := $(BUILD)/vschema-gen/bench
BENCH_CFLAGS_encoding_canon = -I$(VSCHEMA_BENCH_GEN)
BENCH_LIBS_encoding_canon = $(BUILD)/free/libv.a -lmsgpackc
$(VSCHEMA_BENCH_GEN)/log.h: schemas/log.vs $(VSCHEMA_BIN)
	@mkdir -p $(@D)
	$(VSCHEMA_BIN) gen $< -o $(@D)
$(VSCHEMA_BENCH_GEN)/log.c: $(VSCHEMA_BENCH_GEN)/log.h
	@test -f $@
$(VSCHEMA_BENCH_GEN)/log.o: $(VSCHEMA_BENCH_GEN)/log.c \
                            $(VSCHEMA_BENCH_GEN)/log.h
	$(CC) $(FREE_CFLAGS) -I$(VSCHEMA_BENCH_GEN) -c $< -o $@
$(BUILD)/bench/encoding_canon.o: | $(VSCHEMA_BENCH_GEN)/log.h
$(BUILD)/bench/bin/encoding_canon: $(VSCHEMA_BENCH_GEN)/log.o
-include $(VSCHEMA_BENCH_GEN)/log.d
