# Schema-less JSON and msgpack: pull parsers and writers (docs/encoding.md).
LIBV_SRCS += lib/encoding/utf8_check.c lib/encoding/out.c \
             lib/encoding/json_read.c lib/encoding/json_unescape.c \
             lib/encoding/json_number.c lib/encoding/json_write.c \
             lib/encoding/json_dupkeys.c lib/encoding/json_float.c \
             lib/encoding/json_float_write.c lib/encoding/bigint.c \
             lib/encoding/msgpack_read.c lib/encoding/msgpack_write.c
LIBV_TEST_SRCS += $(wildcard lib/encoding/tests/*_test.c)
FUZZ_TARGETS += json_pull msgpack_pull
