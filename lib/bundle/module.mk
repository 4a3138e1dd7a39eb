# Bundles: signed, content-addressed archives (docs/bundle.md).
LIBV_SRCS += lib/bundle/name.c lib/bundle/open.c lib/bundle/verify.c \
             lib/bundle/write.c
LIBV_TEST_SRCS += lib/bundle/tests/bundle_test.c
FUZZ_TARGETS += bundle_open
