# vctl: the administration commands, linked into the console service
# (services/console/module.mk).
$(BUILD)/image/apps/vctl/%.o: apps/vctl/%.c | $(SERVICE_SCHEMA_HDRS)
	@mkdir -p $(@D)
	$(CC) $(SERVICE_IMAGE_CFLAGS) -c $< -o $@
-include $(BUILD)/image/apps/vctl/vctl.d
