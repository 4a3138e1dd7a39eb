# libv random: confidence-levelled ChaCha20 generators (needs lib/crypto).
LIBV_SRCS += lib/random/random.c
LIBV_TEST_SRCS += lib/random/tests/random_test.c
