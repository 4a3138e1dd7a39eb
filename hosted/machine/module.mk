# The hosted machine: build/<BUILD>/hosted/vectra boots the boot Bundle
# build/<BUILD>/hosted/boot.bundle (initd, logd, the console) with initd as
# the first Task (hosted/machine/vectra.c). This file is included before
# services/*/module.mk, so it names their outputs by path.
VECTRA_MACHINE := $(BUILD)/hosted/vectra
VECTRA_BOOT := $(BUILD)/hosted/boot.bundle
VECTRA_BOOT_SERVICES := logd console
$(VECTRA_BOOT): $(BUILD)/image/bin/initd \
                $(VECTRA_BOOT_SERVICES:%=$(BUILD)/image/bin/%) \
                $(VECTRA_BOOT_SERVICES:%=$(BUILD)/services/manifests/%.json) \
                $(VECTRA_KEY) $(SERVICE_GEN)/boot.pub $(BUILD)/bin/mkbundle
	@mkdir -p $(@D)
	@rm -f $@
	$(BUILD)/bin/mkbundle -k $(VECTRA_KEY) -o $@ bin/initd=$(BUILD)/image/bin/initd \
	    $(foreach s,$(VECTRA_BOOT_SERVICES),bin/$(s)=$(BUILD)/image/bin/$(s) \
	        svc/$(s).json=$(BUILD)/services/manifests/$(s).json)

# The root Task hosts the core built like the tests (ASan, UBSan).
$(BUILD)/tests/hosted/machine/vectra.o: TEST_CFLAGS += -I$(SCHEMA_GEN) -I$(SERVICE_GEN) \
    -DVECTRA_BOOT_BUNDLE='"$(abspath $(VECTRA_BOOT))"'
$(BUILD)/tests/hosted/machine/vectra.o: | $(SERVICE_SCHEMA_HDRS) $(SERVICE_GEN)/boot_key.h
$(VECTRA_MACHINE): $(BUILD)/tests/hosted/machine/vectra.o \
                   $(BUILD)/san/libv_process.a $(BUILD)/tests/hosted/libvx_hosted.a \
                   $(BUILD)/san/libv.a | $(VECTRA_BOOT)
	@mkdir -p $(@D)
	$(CC) $(SAN) $(filter %.o %.a,$^) -pthread -o $@

ALL_TARGETS += $(VECTRA_MACHINE) $(VECTRA_BOOT)
-include $(BUILD)/tests/hosted/machine/vectra.d

# `make run-hosted`: the hosted machine in this terminal, at vctl's prompt.
.PHONY: run-hosted
run-hosted: $(VECTRA_MACHINE)
	$(VECTRA_MACHINE)
