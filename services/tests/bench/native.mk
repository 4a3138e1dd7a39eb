# The native service benchmark (kernel/bench/services.sh, docs/
# benchmarks.md "Services natively"): a boot Bundle holding initd as
# boot/init, benchd (the driver) and trivial (the service initd starts and
# restarts), signed with the build's key like every boot Bundle. Uses
# services/native.mk's rules (SVCN_IMAGE); included from services/tests/
# module.mk, after it. `make svc-bench` runs it alone; `make native-bench`
# and `make bench` run it through kernel/bench/native.sh.

SVCB_DIR := services/tests/bench
SVCN_SRCS_benchd := $(SVCB_DIR)/benchd.c
SVCN_SRCS_trivial := $(SVCB_DIR)/trivial.c services/testsvc/echo.c
$(eval $(call SVCN_IMAGE,benchd))
$(eval $(call SVCN_IMAGE,trivial))

$(SVCN)/manifests/bench-%.json: $(SVCB_DIR)/%.json services/manifest.sh \
        $(SERVICE_VSCHEMA) $(wildcard schemas/*.vs)
	@mkdir -p $(@D)
	services/manifest.sh $< $@ $(SERVICE_VSCHEMA)

SVCB_BUNDLE := $(SVCN)/svcbench.bundle
$(SVCB_BUNDLE): $(SVCN)/bin/initd $(SVCN)/bin/benchd $(SVCN)/bin/trivial \
        $(SVCN)/manifests/bench-benchd.json \
        $(SVCN)/manifests/bench-trivial.json \
        $(VECTRA_KEY) $(SERVICE_GEN)/boot.pub $(BUILD)/bin/mkbundle
	@rm -f $@
	$(BUILD)/bin/mkbundle -k $(VECTRA_KEY) -o $@ boot/init=$(SVCN)/bin/initd \
	    bin/benchd=$(SVCN)/bin/benchd \
	    svc/benchd.json=$(SVCN)/manifests/bench-benchd.json \
	    bin/trivial=$(SVCN)/bin/trivial \
	    svc/trivial.json=$(SVCN)/manifests/bench-trivial.json
ALL_TARGETS += $(SVCB_BUNDLE)

# What kernel/bench/native.sh's call of services.sh needs: extra
# prerequisites of the two targets kernel/bench/bench.mk defines.
SVCB_DEPS := kernel/bench/services.sh $(KDIR)/vectra.elf32 $(SVCB_BUNDLE)
native-bench: $(SVCB_DEPS)
$(BUILD)/bench/bin/native: $(SVCB_DEPS)

.PHONY: svc-bench
svc-bench: $(SVCB_DEPS) | hostdeps-bench
	@kernel/bench/services.sh $(KDIR)/vectra.elf32 $(SVCB_BUNDLE)

-include $(SVCN)/obj/$(SVCB_DIR)/benchd.d $(SVCN)/obj/$(SVCB_DIR)/trivial.d
