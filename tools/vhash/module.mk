# vhash: BLAKE3 of files, b3sum's output format (docs/tools.md). Built
# twice: $(BUILD)/bin/vhash at -O2 against the freestanding libv (the tool
# people run), and a sanitized copy that the vhash suite also checks.
VHASH := $(BUILD)/bin/vhash
VHASH_SAN := $(BUILD)/tests/tools/vhash/vhash-san

$(BUILD)/host/tools/vhash/%.o: tools/vhash/%.c
	@mkdir -p $(@D)
	$(CC) $(COMMON) $(WARN) -O2 -c $< -o $@
$(VHASH): $(BUILD)/host/tools/vhash/main.o $(BUILD)/free/libv.a
	@mkdir -p $(@D)
	$(CC) $^ -o $@
$(VHASH_SAN): $(BUILD)/tests/tools/vhash/main.o $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -o $@

ALL_TARGETS += $(VHASH) $(VHASH_SAN)
TEST_SUITES += vhash
TEST_CMD_vhash = tools/vhash/tests/cli_check.sh $(VHASH_SAN) && \
                 tools/vhash/tests/cli_check.sh $(VHASH)
TEST_DEPS_vhash = $(VHASH) $(VHASH_SAN)

-include $(BUILD)/host/tools/vhash/main.d $(BUILD)/tests/tools/vhash/main.d
