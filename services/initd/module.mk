# initd: the first Task (services/initd/initd.h, docs/services.md). The
# boot key, manifests and image rules are in lib/service/module.mk.
INITD_SRCS := services/initd/main.c services/initd/boot.c \
              services/initd/supervise.c services/initd/control.c \
              services/initd/log.c
INITD_OBJS := $(INITD_SRCS:%.c=$(BUILD)/image/%.o)
INITD_IMAGE := $(BUILD)/image/bin/initd
$(INITD_IMAGE): $(INITD_OBJS) $(SERVICE_IMAGE_LIBS)
	@mkdir -p $(@D)
	$(CC) -static $^ -pthread -o $@

ALL_TARGETS += $(INITD_IMAGE)
-include $(INITD_OBJS:.o=.d)
