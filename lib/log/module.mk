LIBV_SRCS += lib/log/logger.c lib/log/emit.c lib/log/text_sink.c \
             lib/log/json_sink.c
LIBV_TEST_SRCS += lib/log/tests/log_test.c lib/log/tests/sink_test.c
