# The services on the native kernel (docs/services.md, "Native"): the same
# sources as the hosted images, compiled with the kernel's user flags
# (kernel/kernel.mk: USER_CFLAGS, USER_LDFLAGS: static, freestanding, at
# 4 MiB) and linked with the native start file (lib/process/native/),
# kernel/user/vx_native.c for include/vx/, the native log sink and the
# freestanding archives (libv_service/process/concurrent, libv, libv_rt:
# user mode may use SSE and the red zone, so the -ffreestanding objects
# built for hosted images serve natively unchanged). The boot Bundle holds
# initd as boot/init plus logd, the console and their manifests; `make
# run` boots it. Included from services/logd/module.mk.

SVCN := $(BUILD)/native
SVCN_CFLAGS = $(USER_CFLAGS) -I$(SCHEMA_GEN) -I$(SERVICE_GEN)

$(SVCN)/obj/%.o: %.c | $(SERVICE_SCHEMA_HDRS) $(SERVICE_GEN)/boot_key.h
	@mkdir -p $(@D)
	$(CC) $(SVCN_CFLAGS) -c $< -o $@

$(SVCN)/obj/%.o: %.S
	@mkdir -p $(@D)
	$(CC) -MMD -MP -c $< -o $@

# What every native service image links after its own objects.
SVCN_START := $(SVCN)/obj/lib/process/native/start.o
SVCN_LIBS := $(SVCN)/obj/services/native/sink.o $(KDIR)/user/vx_native.o \
             $(SERVICE_FREE_LIB) $(PROCESS_FREE_LIB) \
             $(BUILD)/free/libv_concurrent.a $(BUILD)/free/libv.a \
             $(BUILD)/free/libv_rt.a

SVCN_SRCS_initd := $(INITD_SRCS)
SVCN_SRCS_logd := $(LOGD_SRCS)
SVCN_SRCS_console := services/console/console.c \
                     services/console/native/term.c apps/vctl/vctl.c
SVCN_NAMES := initd logd console
SVCN_OBJS := $(foreach n,$(SVCN_NAMES),$(SVCN_SRCS_$(n):%.c=$(SVCN)/obj/%.o))

# $(1) the service name
define SVCN_IMAGE
$(SVCN)/bin/$(1): $$(SVCN_START) $$(SVCN_SRCS_$(1):%.c=$$(SVCN)/obj/%.o) $$(SVCN_LIBS)
	@mkdir -p $$(@D)
	$$(LD) $$(USER_LDFLAGS) -o $$@ $$(SVCN_START) \
	    $$(SVCN_SRCS_$(1):%.c=$$(SVCN)/obj/%.o) --start-group $$(SVCN_LIBS) --end-group
	strip $$@
endef
$(foreach n,$(SVCN_NAMES),$(eval $(call SVCN_IMAGE,$(n))))

# The console's native manifest adds the serial port's handles.
$(SVCN)/manifests/console.json: services/console/native/manifest.json \
        services/manifest.sh $(SERVICE_VSCHEMA) $(wildcard schemas/*.vs)
	@mkdir -p $(@D)
	services/manifest.sh $< $@ $(SERVICE_VSCHEMA)

SVCN_BOOT := $(SVCN)/boot.bundle
$(SVCN_BOOT): $(SVCN_NAMES:%=$(SVCN)/bin/%) $(BUILD)/services/manifests/logd.json \
              $(SVCN)/manifests/console.json $(VECTRA_KEY) \
              $(SERVICE_GEN)/boot.pub $(BUILD)/bin/mkbundle
	@rm -f $@
	$(BUILD)/bin/mkbundle -k $(VECTRA_KEY) -o $@ boot/init=$(SVCN)/bin/initd \
	    bin/logd=$(SVCN)/bin/logd svc/logd.json=$(BUILD)/services/manifests/logd.json \
	    bin/console=$(SVCN)/bin/console svc/console.json=$(SVCN)/manifests/console.json
ALL_TARGETS += $(SVCN_BOOT)

-include $(SVCN_OBJS:.o=.d) $(SVCN_START:.o=.d) \
         $(SVCN)/obj/services/native/sink.d

# vctl driven through COM1 on the native kernel (the kernel image is
# kernel/kernel.mk's; QEMU TCG, bounded at 60 s).
TEST_SUITES += vctl-native
TEST_CMD_vctl-native = services/console/tests/vctl_native.sh $(KDIR)/vectra.elf32 $(SVCN_BOOT)
TEST_DEPS_vctl-native = $(KDIR)/vectra.elf32 $(SVCN_BOOT) hostdeps-test

# ---- supervision on the native kernel (supervise_native.sh): the boot
# Bundle plus the test service as a crash loop, a healthy service, one
# whose manifest is changed after signing and `echo`; and the probe
# (services/probe), the client Task that checks from inside: `probe`
# makes echo fault and calls it again through the same TX, `isolated`
# (an empty footprint) tries to reach any service ----
SVCN_NAMES += testsvc probe
SVCN_SRCS_testsvc := services/testsvc/testsvc.c services/testsvc/echo.c
SVCN_SRCS_probe := services/probe/probe.c services/testsvc/echo.c
$(eval $(call SVCN_IMAGE,testsvc))
$(eval $(call SVCN_IMAGE,probe))
-include $(SVCN)/obj/services/testsvc/testsvc.d $(SVCN)/obj/services/probe/probe.d \
         $(SVCN)/obj/services/testsvc/echo.d
SVCN_SUPERVISE := $(SVCN)/supervise.bundle
SVCN_SUPERVISE_TESTS := loop lonely tampered echo probe isolated
$(SVCN_SUPERVISE): $(SVCN_NAMES:%=$(SVCN)/bin/%) $(BUILD)/services/manifests/logd.json \
              $(SVCN)/manifests/console.json \
              $(SVCN_SUPERVISE_TESTS:%=$(BUILD)/services/manifests/test-%.json) \
              $(VECTRA_KEY) $(SERVICE_GEN)/boot.pub $(BUILD)/bin/mkbundle
	@rm -f $@ $@.tmp
	$(BUILD)/bin/mkbundle -k $(VECTRA_KEY) -o $@.tmp boot/init=$(SVCN)/bin/initd \
	    bin/logd=$(SVCN)/bin/logd svc/logd.json=$(BUILD)/services/manifests/logd.json \
	    bin/console=$(SVCN)/bin/console svc/console.json=$(SVCN)/manifests/console.json \
	    bin/testsvc=$(SVCN)/bin/testsvc bin/probe=$(SVCN)/bin/probe \
	    $(foreach n,$(SVCN_SUPERVISE_TESTS),svc/$(n).json=$(BUILD)/services/manifests/test-$(n).json)
	@# After signing: one byte of the tampered manifest's marker changes.
	off=$$(grep -obUa 'TAMPER-MARK' $@.tmp | head -n 1 | cut -d: -f1) && \
	    test -n "$$off" && \
	    printf 'X' | dd of=$@.tmp bs=1 seek=$$off conv=notrunc status=none
	mv $@.tmp $@
ALL_TARGETS += $(SVCN_SUPERVISE)

TEST_SUITES += supervise-native
TEST_CMD_supervise-native = services/console/tests/supervise_native.sh $(KDIR)/vectra.elf32 $(SVCN_SUPERVISE)
TEST_DEPS_supervise-native = $(KDIR)/vectra.elf32 $(SVCN_SUPERVISE) hostdeps-test
