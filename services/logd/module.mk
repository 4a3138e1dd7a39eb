# logd: the log service (services/logd/). Its history is also linked into
# the supervise tests (services/tests/module.mk) to be tested directly.
LOGD_SRCS := services/logd/logd.c services/logd/history.c
LOGD_IMAGE := $(BUILD)/image/bin/logd
$(LOGD_IMAGE): $(LOGD_SRCS:%.c=$(BUILD)/image/%.o) $(SERVICE_IMAGE_LIBS)
	@mkdir -p $(@D)
	$(CC) -static $^ -pthread -o $@
ALL_TARGETS += $(LOGD_IMAGE)
-include $(LOGD_SRCS:%.c=$(BUILD)/image/%.d)

# The native images and boot Bundle (make run). Here, because this file is
# included after services/console/ and services/initd/, whose source lists
# services/native.mk uses.
include services/native.mk
