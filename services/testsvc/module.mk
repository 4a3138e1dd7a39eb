# The test service image (services/testsvc/testsvc.c), and the echo
# schema's glue (echo.c) its clients share.
TESTSVC_IMAGE := $(BUILD)/image/bin/testsvc
$(TESTSVC_IMAGE): $(BUILD)/image/services/testsvc/testsvc.o \
                  $(BUILD)/image/services/testsvc/echo.o \
                  $(SERVICE_IMAGE_LIBS)
	@mkdir -p $(@D)
	$(CC) -static $^ -pthread -o $@
ALL_TARGETS += $(TESTSVC_IMAGE)
-include $(BUILD)/image/services/testsvc/testsvc.d \
         $(BUILD)/image/services/testsvc/echo.d
