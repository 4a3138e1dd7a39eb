# mkbundle: build, verify and list Bundles (docs/bundle.md,
# docs/tools.md). Built as vhash is: $(BUILD)/bin/mkbundle at -O2 against
# the freestanding libv, and a sanitized copy for the suite.
MKBUNDLE := $(BUILD)/bin/mkbundle
MKBUNDLE_SAN := $(BUILD)/tests/tools/mkbundle/mkbundle-san

$(BUILD)/host/tools/mkbundle/%.o: tools/mkbundle/%.c
	@mkdir -p $(@D)
	$(CC) $(COMMON) $(WARN) -O2 -c $< -o $@
$(MKBUNDLE): $(BUILD)/host/tools/mkbundle/main.o $(BUILD)/free/libv.a
	@mkdir -p $(@D)
	$(CC) $^ -o $@
$(MKBUNDLE_SAN): $(BUILD)/tests/tools/mkbundle/main.o $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -o $@

ALL_TARGETS += $(MKBUNDLE) $(MKBUNDLE_SAN)
TEST_SUITES += mkbundle
TEST_CMD_mkbundle = tools/mkbundle/tests/cli_check.sh $(MKBUNDLE_SAN) \
                    $(VSIGN) && \
                    tools/mkbundle/tests/cli_check.sh $(MKBUNDLE) $(VSIGN)
TEST_DEPS_mkbundle = $(MKBUNDLE) $(MKBUNDLE_SAN) $(VSIGN)

-include $(BUILD)/host/tools/mkbundle/main.d \
         $(BUILD)/tests/tools/mkbundle/main.d
