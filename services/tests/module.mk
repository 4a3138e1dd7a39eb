# Supervision tests (services/tests/): initd, the test service and a test
# boot Bundle signed with the build's key, driven from the hosted root
# Task. (Included before services/testsvc/module.mk: paths, not names.)
SVC_TEST_MANIFESTS := echo loop lonely friend bad misnamed unheld reserved
SVC_TEST_BUNDLE := $(BUILD)/services/test.bundle
$(SVC_TEST_BUNDLE): $(SVC_TEST_MANIFESTS:%=$(BUILD)/services/manifests/test-%.json) \
                    $(BUILD)/services/manifests/logd.json \
                    $(BUILD)/image/bin/testsvc $(BUILD)/image/bin/logd \
                    $(VECTRA_KEY) $(SERVICE_GEN)/boot.pub $(BUILD)/bin/mkbundle
	@mkdir -p $(@D)
	@rm -f $@
	$(BUILD)/bin/mkbundle -k $(VECTRA_KEY) -o $@ bin/testsvc=$(BUILD)/image/bin/testsvc \
	    bin/logd=$(BUILD)/image/bin/logd svc/logd.json=$(BUILD)/services/manifests/logd.json \
	    $(foreach n,$(SVC_TEST_MANIFESTS),svc/$(n).json=$(BUILD)/services/manifests/test-$(n).json)

SVC_TEST_SRCS := services/tests/supervise_test.c services/tests/logd_test.c \
                 services/tests/machine.c services/logd/history.c \
                 services/testsvc/echo.c
SVC_TEST_OBJS := $(SVC_TEST_SRCS:%.c=$(BUILD)/tests/%.o)
$(SVC_TEST_OBJS): TEST_CFLAGS += -I$(SCHEMA_GEN)
$(SVC_TEST_OBJS): | $(SERVICE_SCHEMA_HDRS)
SVC_TEST_BIN := $(BUILD)/tests/supervise_tests
$(SVC_TEST_BIN): $(SVC_TEST_OBJS) $(BUILD)/tests/lib/test/hosted_main.o \
                 $(SERVICE_SAN_LIB) $(BUILD)/san/libv_process.a \
                 $(BUILD)/san/libv_concurrent.a \
                 $(BUILD)/tests/hosted/libvx_hosted.a $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -pthread -o $@

ALL_TARGETS += $(SVC_TEST_BIN) $(SVC_TEST_BUNDLE)
TEST_SUITES += supervise
TEST_CMD_supervise = VX_HOSTED_INITIAL=initd=$(BUILD)/image/bin/initd:bundle=$(SVC_TEST_BUNDLE) $(SVC_TEST_BIN) --suite supervise
TEST_DEPS_supervise = $(SVC_TEST_BIN) $(SVC_TEST_BUNDLE) $(BUILD)/image/bin/initd
-include $(SVC_TEST_OBJS:.o=.d)

# ---- benchmark: spawn-to-first-message, crash-to-restarted ----
# (tests/bench/service_lifecycle.c; its bundle restarts with 1 ms backoff)
$(BUILD)/services/manifests/bench-echo.json: services/tests/bench/echo.json \
        services/manifest.sh $(SERVICE_VSCHEMA) $(wildcard schemas/*.vs)
	@mkdir -p $(@D)
	services/manifest.sh $< $@ $(SERVICE_VSCHEMA)
SVC_BENCH_BUNDLE := $(BUILD)/services/bench.bundle
$(SVC_BENCH_BUNDLE): $(BUILD)/services/manifests/bench-echo.json \
                     $(BUILD)/image/bin/testsvc $(VECTRA_KEY) $(SERVICE_GEN)/boot.pub $(BUILD)/bin/mkbundle
	@mkdir -p $(@D)
	@rm -f $@
	$(BUILD)/bin/mkbundle -k $(VECTRA_KEY) -o $@ bin/testsvc=$(BUILD)/image/bin/testsvc \
	    svc/echo.json=$(BUILD)/services/manifests/bench-echo.json
SVC_BENCH_TRIVIAL := $(BUILD)/bench/peer/service_trivial
$(SVC_BENCH_TRIVIAL): tests/bench/service_trivial.c
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -static $< -o $@
BENCH_TARGETS += service_lifecycle
BENCH_CFLAGS_service_lifecycle := -I$(SCHEMA_GEN) \
    -DSERVICE_BENCH_INITD='"$(abspath $(BUILD)/image/bin/initd)"' \
    -DSERVICE_BENCH_TESTSVC='"$(abspath $(BUILD)/image/bin/testsvc)"' \
    -DSERVICE_BENCH_BUNDLE='"$(abspath $(SVC_BENCH_BUNDLE))"' \
    -DSERVICE_BENCH_TRIVIAL='"$(abspath $(SVC_BENCH_TRIVIAL))"'
$(BUILD)/bench/service_lifecycle.o: | $(SERVICE_SCHEMA_HDRS)
$(BUILD)/bench/services/tests/machine.o: services/tests/machine.c | $(SERVICE_SCHEMA_HDRS)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -I$(SCHEMA_GEN) -c $< -o $@
$(BUILD)/bench/bin/service_lifecycle: $(BUILD)/bench/service_lifecycle.o \
        $(BUILD)/bench/services/tests/machine.o $(BUILD)/bench/bench_util.o \
        $(HOSTED_BENCH_OBJS) $(SERVICE_FREE_LIB) $(BUILD)/free/libv_process.a \
        $(BUILD)/free/libv_concurrent.a $(BUILD)/free/libv.a \
        | $(SVC_BENCH_BUNDLE) $(SVC_BENCH_TRIVIAL) $(BUILD)/image/bin/initd \
          $(BUILD)/image/bin/testsvc
	@mkdir -p $(@D)
	$(CC) $(filter %.o %.a,$^) -pthread -o $@
-include $(BUILD)/bench/services/tests/machine.d $(BUILD)/bench/service_lifecycle.d

# The native service benchmark (its own fragment).
include services/tests/bench/native.mk
