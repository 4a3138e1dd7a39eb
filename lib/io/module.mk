LIBV_SRCS += lib/io/stream.c lib/io/mem_stream.c lib/io/buf_reader.c \
             lib/io/buf_writer.c
LIBV_TEST_SRCS += lib/io/tests/stream_test.c lib/io/tests/buf_test.c
