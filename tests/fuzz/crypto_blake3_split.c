/* Fuzz target for the incremental BLAKE3 API: the output is the same
 * however the input is split. Input: mode (1) || split script (8) ||
 * message. Each script byte is a piece length (0 means 1024 + the next
 * byte's value, so pieces cross chunk edges too); the script repeats
 * until the message is used up. Checks hash, keyed and derive-key modes,
 * finalize versus a seeking output reader, and 100 bytes of output. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <v/crypto.h>
#include <v/mem.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void init(v_blake3_hasher *h, uint8_t mode)
{
    static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8};
    switch (mode % 3) {
    case 0: v_blake3_init(h); break;
    case 1: v_blake3_init_keyed(h, key); break;
    default: v_blake3_init_derive_key(h, "fuzz context", 12); break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 9)
        return 0;
    uint8_t mode = data[0];
    const uint8_t *script = data + 1, *msg = data + 9;
    size_t n = size - 9;

    v_blake3_hasher whole, split;
    init(&whole, mode);
    v_blake3_update(&whole, msg, n);
    init(&split, mode);
    size_t off = 0;
    for (unsigned s = 0; off < n; s = (s + 1) % 8) {
        size_t piece = script[s];
        if (piece == 0)
            piece = 1024 + script[(s + 1) % 8];
        if (piece > n - off)
            piece = n - off;
        v_blake3_update(&split, msg + off, piece);
        off += piece;
    }
    uint8_t a[100], b[100], c[100];
    v_blake3_finalize(&whole, a, sizeof a);
    v_blake3_finalize(&split, b, sizeof b);
    check(v_mem_equal(a, b, sizeof a));
    /* Reading the output stream from a sought position agrees too. */
    v_blake3_output o;
    v_blake3_output_init(&split, &o);
    size_t at = mode % 64;
    v_blake3_output_seek(&o, at);
    v_blake3_output_read(&o, c, sizeof c - at);
    check(v_mem_equal(a + at, c, sizeof c - at));
    v_blake3_wipe(&whole);
    v_blake3_wipe(&split);
    return 0;
}
