# lib/service: the service skeleton (include/v/service.h,
# docs/services.md), and the C generated from schemas/ by vschema for the
# services' protocols. Like libv concurrent it calls the substrate, so it
# is its own archive (libv_service.a), freestanding: libv and vx_* only.

# ---- schemas/*.vs of the services -> C (docs/schema.md §7) ----
SCHEMA_GEN := $(BUILD)/gen/schemas
SERVICE_SCHEMAS := service_manifest service_echo initd_control logd_protocol
SERVICE_SCHEMA_HDRS := $(SERVICE_SCHEMAS:%=$(SCHEMA_GEN)/%.h)
# vschema is defined in tools/vschema/module.mk (included later): its path.
SERVICE_VSCHEMA := $(BUILD)/bin/vschema
$(SCHEMA_GEN)/%.h: schemas/%.vs $(SERVICE_VSCHEMA)
	@mkdir -p $(@D)
	$(SERVICE_VSCHEMA) gen $< -o $(@D)
$(SCHEMA_GEN)/%.c: $(SCHEMA_GEN)/%.h
	@test -f $@
SCHEMA_GEN_CFLAGS := -I$(SCHEMA_GEN)
$(SCHEMA_GEN)/free/%.o: $(SCHEMA_GEN)/%.c | $(SERVICE_SCHEMA_HDRS)
	@mkdir -p $(@D)
	$(CC) $(FREE_CFLAGS) $(SCHEMA_GEN_CFLAGS) -c $< -o $@
$(SCHEMA_GEN)/san/%.o: $(SCHEMA_GEN)/%.c | $(SERVICE_SCHEMA_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SAN_LIBV_CFLAGS) $(SCHEMA_GEN_CFLAGS) -c $< -o $@

# ---- the archive ----
SERVICE_SRCS := lib/service/service.c lib/service/prefix.c lib/service/call.c \
                lib/service/log.c
SERVICE_FREE_OBJS := $(SERVICE_SRCS:%.c=$(BUILD)/free/%.o) \
                     $(SERVICE_SCHEMAS:%=$(SCHEMA_GEN)/free/%.o)
SERVICE_SAN_OBJS := $(SERVICE_SRCS:%.c=$(BUILD)/san/%.o) \
                    $(SERVICE_SCHEMAS:%=$(SCHEMA_GEN)/san/%.o)
$(SERVICE_SRCS:%.c=$(BUILD)/free/%.o) $(SERVICE_SRCS:%.c=$(BUILD)/san/%.o): \
    | $(SERVICE_SCHEMA_HDRS)
$(SERVICE_SRCS:%.c=$(BUILD)/free/%.o): FREE_CFLAGS += -I$(SCHEMA_GEN)
$(SERVICE_SRCS:%.c=$(BUILD)/san/%.o): SAN_LIBV_CFLAGS += -I$(SCHEMA_GEN)
SERVICE_FREE_LIB := $(BUILD)/free/libv_service.a
SERVICE_SAN_LIB := $(BUILD)/san/libv_service.a
$(SERVICE_FREE_LIB): $(SERVICE_FREE_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^
$(SERVICE_SAN_LIB): $(SERVICE_SAN_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# What every service image links after its own objects (hosted): the
# start file, the fallback log sink, the archives, the client library.
SERVICE_IMAGE_LIBS := $(BUILD)/image/lib/process/hosted/start.o \
                      $(BUILD)/image/lib/service/hosted/stderr.o \
                      $(SERVICE_FREE_LIB) $(BUILD)/free/libv_process.a \
                      $(BUILD)/free/libv_concurrent.a $(BUILD)/free/libv.a \
                      $(HOSTED_CLIENT_OBJS)

# ---- services (services/*/module.mk use these) ----
# The boot key: VECTRA_KEY names a vsign secret key file. By default the
# build makes a development key under $(BUILD)/keys/ on first use (never
# committed); `make VECTRA_KEY=/path/to/my.key` uses your own. Its public
# key is compiled into initd (and the hosted machine), and mkbundle signs
# the boot Bundle with it.
VECTRA_DEV_KEY := $(BUILD)/keys/dev.key
VECTRA_KEY ?= $(VECTRA_DEV_KEY)
SERVICE_GEN := $(BUILD)/gen/services
$(VECTRA_DEV_KEY): | $(BUILD)/bin/vsign
	@mkdir -p $(@D)
	$(BUILD)/bin/vsign keygen -s $@ -p $(@D)/dev.pub
# boot.pub is checked on every run and rewritten only when the key's
# public half changed, so switching VECTRA_KEY (even back to an older
# file) rebuilds exactly what embeds or is signed with it: boot_key.h,
# initd, the machine, and every Bundle (they depend on boot.pub).
.PHONY: service-key-check
$(SERVICE_GEN)/boot.pub: $(VECTRA_KEY) $(BUILD)/bin/vsign service-key-check
	@mkdir -p $(@D)
	@$(BUILD)/bin/vsign public -s $(VECTRA_KEY) > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
# The public key as a C array (vsign's line: tag, space, 64 hex digits).
$(SERVICE_GEN)/boot_key.h: $(SERVICE_GEN)/boot.pub
	@hex=$$(cut -d' ' -f2 $<); [ $${#hex} = 64 ] || { echo "bad key $<"; exit 1; }; \
	{ echo '/* Generated from $< — the boot Bundle signer. */'; \
	  echo '#include <stdint.h>'; \
	  echo "static const uint8_t initd_boot_key[32] = {"; \
	  echo "$$hex" | sed 's/../0x&,/g'; echo "};"; } > $@.tmp && mv $@.tmp $@

# ---- manifests: templates filled with schema ids (services/manifest.sh) ----
$(BUILD)/services/manifests/%.json: services/%/manifest.json \
        services/manifest.sh $(SERVICE_VSCHEMA) $(wildcard schemas/*.vs)
	@mkdir -p $(@D)
	services/manifest.sh $< $@ $(SERVICE_VSCHEMA)
$(BUILD)/services/manifests/test-%.json: services/tests/manifests/%.json \
        services/manifest.sh $(SERVICE_VSCHEMA) $(wildcard schemas/*.vs)
	@mkdir -p $(@D)
	services/manifest.sh $< $@ $(SERVICE_VSCHEMA)

# ---- service images: own objects + SERVICE_IMAGE_LIBS, static ----
SERVICE_IMAGE_CFLAGS := $(HOSTED_IMAGE_CFLAGS) -I$(SCHEMA_GEN) -I$(SERVICE_GEN)
$(BUILD)/image/services/%.o: services/%.c | $(SERVICE_SCHEMA_HDRS) \
                                            $(SERVICE_GEN)/boot_key.h
	@mkdir -p $(@D)
	$(CC) $(SERVICE_IMAGE_CFLAGS) -c $< -o $@

# ---- fuzzing: request decoders of the service schemas and the reply
# prefix (tests/fuzz/service_request.c) ----
FUZZ_TARGETS += service_request
$(BUILD)/fuzz/service_request: $(BUILD)/fuzzobj/lib/service/prefix.o \
    $(SERVICE_SCHEMAS:%=$(SCHEMA_GEN)/fuzz/%.o)
$(BUILD)/fuzzobj/tests/fuzz/service_request.o: FUZZ_CFLAGS += -I$(SCHEMA_GEN)
$(BUILD)/fuzzobj/tests/fuzz/service_request.o: | $(SERVICE_SCHEMA_HDRS)
$(SCHEMA_GEN)/fuzz/%.o: $(SCHEMA_GEN)/%.c | $(SERVICE_SCHEMA_HDRS) hostdeps-test
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(WARN) $(SCHEMA_GEN_CFLAGS) -c $< -o $@

# ---- tests: in the hosted root Task (ASan, UBSan) ----
SERVICE_TEST_SRCS := $(sort $(wildcard lib/service/tests/*_test.c))
SERVICE_TEST_OBJS := $(SERVICE_TEST_SRCS:%.c=$(BUILD)/tests/%.o)
$(SERVICE_TEST_OBJS): TEST_CFLAGS += -I$(SCHEMA_GEN)
$(SERVICE_TEST_OBJS): | $(SERVICE_SCHEMA_HDRS)
SERVICE_TEST_BIN := $(BUILD)/tests/service_tests
$(SERVICE_TEST_BIN): $(SERVICE_TEST_OBJS) \
                     $(BUILD)/tests/lib/test/hosted_main.o \
                     $(SERVICE_SAN_LIB) $(BUILD)/san/libv_concurrent.a \
                     $(BUILD)/san/libv_process.a \
                     $(BUILD)/tests/hosted/libvx_hosted.a \
                     $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -pthread -o $@

ALL_TARGETS += $(SERVICE_FREE_LIB) $(SERVICE_SAN_LIB) $(SERVICE_TEST_BIN)
TEST_SUITES += service service-linkcheck
TEST_CMD_service = $(SERVICE_TEST_BIN) --suite service
TEST_DEPS_service = $(SERVICE_TEST_BIN)
# libv_service.a calls libv and vx_* only (no libc).
TEST_CMD_service-linkcheck = lib/process/tests/vx_linkcheck.sh $(BUILD)/free/libv.a $(BUILD)/free/libv_rt.a $(BUILD)/free/libv_concurrent.a $(SERVICE_FREE_LIB)
TEST_DEPS_service-linkcheck = $(BUILD)/free/libv.a $(BUILD)/free/libv_rt.a $(BUILD)/free/libv_concurrent.a $(SERVICE_FREE_LIB)

-include $(SERVICE_FREE_OBJS:.o=.d) $(SERVICE_SAN_OBJS:.o=.d) \
         $(SERVICE_TEST_OBJS:.o=.d) $(BUILD)/image/lib/service/hosted/stderr.d
