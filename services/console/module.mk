# The console service: the terminal and vctl's prompt (apps/vctl).
CONSOLE_OBJS := $(BUILD)/image/services/console/console.o \
                $(BUILD)/image/services/console/hosted/term.o \
                $(BUILD)/image/apps/vctl/vctl.o
CONSOLE_IMAGE := $(BUILD)/image/bin/console
$(CONSOLE_IMAGE): $(CONSOLE_OBJS) $(SERVICE_IMAGE_LIBS)
	@mkdir -p $(@D)
	$(CC) -static $^ -pthread -o $@
ALL_TARGETS += $(CONSOLE_IMAGE)
-include $(CONSOLE_OBJS:.o=.d)

TEST_SUITES += vctl
TEST_CMD_vctl = services/console/tests/vctl_check.sh $(BUILD)/hosted/vectra $(BUILD)/hosted/boot.bundle
TEST_DEPS_vctl = $(BUILD)/hosted/vectra $(BUILD)/hosted/boot.bundle
