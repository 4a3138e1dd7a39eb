# The test service image (services/testsvc/testsvc.c).
TESTSVC_IMAGE := $(BUILD)/image/bin/testsvc
$(TESTSVC_IMAGE): $(BUILD)/image/services/testsvc/testsvc.o \
                  $(SERVICE_IMAGE_LIBS)
	@mkdir -p $(@D)
	$(CC) -static $^ -pthread -o $@
ALL_TARGETS += $(TESTSVC_IMAGE)
-include $(BUILD)/image/services/testsvc/testsvc.d
