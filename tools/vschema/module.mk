# vschema: the schema compiler (docs/schema.md), a hosted tool built with
# the test flags (ASan, UBSan) and linked with the sanitized libv (for
# BLAKE3). Its own tests are a separate suite: parser errors, and round
# trips through code it generates from tools/vschema/tests/all.vs.

VSCHEMA_CORE_SRCS := tools/vschema/ctx.c tools/vschema/lex.c \
                     tools/vschema/parse.c tools/vschema/load.c \
                     tools/vschema/check.c tools/vschema/canon.c \
                     tools/vschema/gen_c.c tools/vschema/gen_mp.c \
                     tools/vschema/gen_json.c
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
VSCHEMA_TEST_SRCS := $(sort $(wildcard tools/vschema/tests/*_test.c))
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

-include $(patsubst %.o,%.d,$(VSCHEMA_TEST_OBJS) $(VSCHEMA_GEN_SAN_OBJS) \
    $(VSCHEMA_GEN_FREE_OBJS))

# ---- fuzz targets: the parser, and the decoders generated from all.vs ----
FUZZ_TARGETS += vschema_parse vschema_decode
$(BUILD)/fuzz/vschema_parse: $(VSCHEMA_CORE_SRCS:%.c=$(BUILD)/fuzzobj/%.o)
$(BUILD)/fuzzobj/tests/fuzz/vschema_parse.o: FUZZ_CFLAGS += -Itools/vschema
$(BUILD)/fuzz/vschema_decode: $(VSCHEMA_TEST_SCHEMAS:%=$(VSCHEMA_GEN)/fuzz/%.o)
$(BUILD)/fuzzobj/tests/fuzz/vschema_decode.o: FUZZ_CFLAGS += -I$(VSCHEMA_GEN)
$(BUILD)/fuzzobj/tests/fuzz/vschema_decode.o: | $(VSCHEMA_GEN_HDRS)
$(VSCHEMA_GEN)/fuzz/%.o: $(VSCHEMA_GEN)/%.c $(VSCHEMA_GEN_HDRS) | hostdeps-test
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARN) -I$(VSCHEMA_GEN) -c $< -o $@
