LIBV_SRCS += lib/text/utf8.c lib/text/utf8_validate.c \
             lib/text/utf8_validate_sse2.c lib/text/str.c \
             lib/text/strbuf.c lib/text/fmt.c
LIBV_TEST_SRCS += lib/text/tests/utf8_test.c lib/text/tests/utf8_paths_test.c \
                  lib/text/tests/fmt_test.c \
                  lib/text/tests/str_test.c lib/text/tests/strbuf_test.c
FUZZ_TARGETS += utf8_validate fmt
BENCH_TARGETS += utf8
BENCH_PKGS += libglib2.0-dev pkg-config
BENCH_CFLAGS_utf8 = $$(pkg-config --cflags glib-2.0)
BENCH_LIBS_utf8 = $$(pkg-config --libs glib-2.0)
