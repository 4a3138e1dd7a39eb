# libv crypto. A source joins LIBV_SRCS only once it builds cleanly under
# gcc and clang with -Werror and its known-answer tests pass.
LIBV_SRCS += lib/crypto/sha256.c lib/crypto/sha512.c lib/crypto/hmac.c \
             lib/crypto/blake3.c lib/crypto/blake3_simd.c \
             lib/crypto/chacha20.c lib/crypto/chacha20_simd.c \
             lib/crypto/poly1305.c lib/crypto/poly1305_avx2.c lib/crypto/aead.c \
             lib/crypto/fe25519.c lib/crypto/fe25519_invert.c \
             lib/crypto/x25519.c lib/crypto/x25519_mulx.c \
             lib/crypto/sc25519.c \
             lib/crypto/ed25519.c lib/crypto/ed25519_verify.c \
             lib/crypto/ed25519_table.c \
             lib/crypto/blake2b.c lib/crypto/argon2id.c
LIBV_TEST_SRCS += lib/crypto/tests/sha2_test.c \
                  lib/crypto/tests/hmac_hkdf_test.c \
                  lib/crypto/tests/blake3_test.c \
                  lib/crypto/tests/chacha_test.c \
                  lib/crypto/tests/x25519_test.c \
                  lib/crypto/tests/x25519_mulx_test.c \
                  lib/crypto/tests/ed25519_test.c \
                  lib/crypto/tests/argon2_test.c lib/crypto/tests/sc25519_test.c \
                  lib/crypto/tests/fe25519_test.c \
                  lib/crypto/tests/ed25519_portable.c

# Fuzz targets: signature verification, AEAD open, incremental BLAKE3.
FUZZ_TARGETS += crypto_ed25519_verify crypto_aead_open crypto_blake3_split

# Differential tests against libsodium and OpenSSL: a separate hosted
# binary (the libv test binary links no third-party code).
TEST_PKGS += libsodium-dev libssl-dev
CRYPTO_DIFF_SRCS := lib/crypto/tests/diff/diff_sym.c \
                    lib/crypto/tests/diff/diff_asym.c \
                    lib/crypto/tests/diff/diff_x25519.c
CRYPTO_DIFF_OBJS := $(CRYPTO_DIFF_SRCS:%.c=$(BUILD)/tests/%.o)
CRYPTO_DIFF_BIN := $(BUILD)/tests/crypto_diff
$(CRYPTO_DIFF_OBJS): | hostdeps-test
$(CRYPTO_DIFF_BIN): $(CRYPTO_DIFF_OBJS) $(BUILD)/tests/lib/test/hosted_main.o \
                    $(BUILD)/san/libv.a
	$(CC) $(SAN) $^ -lsodium -lcrypto -o $@
TEST_SUITES += crypto-diff
TEST_CMD_crypto-diff = $(CRYPTO_DIFF_BIN) --suite crypto-diff
TEST_DEPS_crypto-diff = $(CRYPTO_DIFF_BIN)

# Benchmarks against libsodium, OpenSSL and libargon2 (`make bench`).
BENCH_TARGETS += crypto_aead crypto_hash crypto_asym
BENCH_PKGS += libsodium-dev libssl-dev libargon2-dev
BENCH_LIBS_crypto_aead = -lsodium -lcrypto
BENCH_LIBS_crypto_hash = -lsodium -lcrypto
BENCH_LIBS_crypto_asym = -lsodium -largon2
-include $(CRYPTO_DIFF_OBJS:.o=.d)
