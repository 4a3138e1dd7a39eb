# vcodec: check, pretty-print and convert JSON/msgpack/binary documents
# (docs/tools.md). Built as vhash is: $(BUILD)/bin/vcodec at -O2 against
# the freestanding libv (the tool people run), and a sanitized copy that
# the vcodec suite also checks. convert compiles schemas with vschema's
# front end and runs its interpreter, so it links those objects too
# (named here by wildcard: this fragment is read before vschema's).
VCODEC := $(BUILD)/bin/vcodec
VCODEC_SAN := $(BUILD)/tests/tools/vcodec/vcodec-san
VCODEC_SRCS := tools/vcodec/main.c tools/vcodec/convert.c
VCODEC_VS_SRCS := $(filter-out tools/vschema/main.c, \
                    $(sort $(wildcard tools/vschema/*.c)))

$(BUILD)/host/tools/vcodec/%.o: tools/vcodec/%.c
	@mkdir -p $(@D)
	$(CC) $(COMMON) $(WARN) -O2 -c $< -o $@
$(VCODEC): $(VCODEC_SRCS:%.c=$(BUILD)/host/%.o) \
           $(VCODEC_VS_SRCS:%.c=$(BUILD)/host/%.o) $(BUILD)/free/libv.a
	@mkdir -p $(@D)
	$(CC) $^ -o $@
$(VCODEC_SAN): $(VCODEC_SRCS:%.c=$(BUILD)/tests/%.o) \
               $(VCODEC_VS_SRCS:%.c=$(BUILD)/tests/%.o) $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -o $@

ALL_TARGETS += $(VCODEC) $(VCODEC_SAN)
TEST_SUITES += vcodec
TEST_CMD_vcodec = tools/vcodec/tests/cli_check.sh $(VCODEC_SAN) && \
                  tools/vcodec/tests/cli_check.sh $(VCODEC) && \
                  tools/vcodec/tests/convert_check.sh $(VCODEC_SAN) && \
                  tools/vcodec/tests/convert_check.sh $(VCODEC)
TEST_DEPS_vcodec = $(VCODEC) $(VCODEC_SAN)

-include $(VCODEC_SRCS:%.c=$(BUILD)/host/%.d) \
         $(VCODEC_SRCS:%.c=$(BUILD)/tests/%.d)
