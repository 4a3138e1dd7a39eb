LIBV_SRCS += lib/path/path.c lib/path/name.c lib/path/parse.c \
             lib/path/render.c
LIBV_TEST_SRCS += lib/path/tests/path_test.c lib/path/tests/parse_test.c
FUZZ_TARGETS += path_parse
