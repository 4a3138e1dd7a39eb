# vcodec: check, pretty-print and convert JSON/msgpack/binary documents
# (docs/tools.md). Built as vhash is: $(BUILD)/bin/vcodec at -O2 against
# the freestanding libv (the tool people run), and a sanitized copy that
# the vcodec suite also checks.
VCODEC := $(BUILD)/bin/vcodec
VCODEC_SAN := $(BUILD)/tests/tools/vcodec/vcodec-san

$(BUILD)/host/tools/vcodec/%.o: tools/vcodec/%.c
	@mkdir -p $(@D)
	$(CC) $(COMMON) $(WARN) -O2 -c $< -o $@
$(VCODEC): $(BUILD)/host/tools/vcodec/main.o $(BUILD)/free/libv.a
	@mkdir -p $(@D)
	$(CC) $^ -o $@
$(VCODEC_SAN): $(BUILD)/tests/tools/vcodec/main.o $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -o $@

ALL_TARGETS += $(VCODEC) $(VCODEC_SAN)
TEST_SUITES += vcodec
TEST_CMD_vcodec = tools/vcodec/tests/cli_check.sh $(VCODEC_SAN) && \
                  tools/vcodec/tests/cli_check.sh $(VCODEC)
TEST_DEPS_vcodec = $(VCODEC) $(VCODEC_SAN)

-include $(BUILD)/host/tools/vcodec/main.d $(BUILD)/tests/tools/vcodec/main.d
