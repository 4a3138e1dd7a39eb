# vsign: Ed25519 key generation, detached signing and verification of
# files (docs/tools.md). Built as vhash is: $(BUILD)/bin/vsign at -O2
# against the freestanding libv, and a sanitized copy for the suite.
VSIGN := $(BUILD)/bin/vsign
VSIGN_SAN := $(BUILD)/tests/tools/vsign/vsign-san

$(BUILD)/host/tools/vsign/%.o: tools/vsign/%.c
	@mkdir -p $(@D)
	$(CC) $(COMMON) $(WARN) -O2 -c $< -o $@
$(VSIGN): $(BUILD)/host/tools/vsign/main.o $(BUILD)/free/libv.a
	@mkdir -p $(@D)
	$(CC) $^ -o $@
$(VSIGN_SAN): $(BUILD)/tests/tools/vsign/main.o $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -o $@

ALL_TARGETS += $(VSIGN) $(VSIGN_SAN)
TEST_SUITES += vsign
TEST_CMD_vsign = tools/vsign/tests/cli_check.sh $(VSIGN_SAN) && \
                 tools/vsign/tests/cli_check.sh $(VSIGN)
TEST_DEPS_vsign = $(VSIGN) $(VSIGN_SAN)

-include $(BUILD)/host/tools/vsign/main.d $(BUILD)/tests/tools/vsign/main.d
