/* Ed25519 verification, RFC 8032 §5.1.7, strict and cofactorless (see
 * v/crypto_25519.h and docs/crypto.md).
 *
 * Everything here is public (key, message, signature), so the time taken
 * may depend on the data: [S]B - [k]A is computed with variable-time
 * width-w NAF digits, branches on them and table indices chosen by them.
 * Nothing secret ever reaches this file.
 *
 * The double-scalar multiplication walks both NAFs together (Straus /
 * Shamir), one doubling per bit: about 253 doublings, plus one addition
 * per nonzero digit. B's digits use width 8 (odd multiples 1B..127B,
 * precomputed in ed25519_table.c; about 28 additions), A's width 5 (1A..15A,
 * computed per call with 7 additions; about 42 additions). */
#include <v/crypto.h>
#include <v/mem.h>

#include "bytes.h"
#include "ed25519_table.h"
#include "fe25519.h"
#include "ge25519.h"
#include "sc25519.h"

/* The width-w NAF of a < 2^253: naf[i] is 0 or odd with |naf[i]| <
 * 2^(w-1), at most one of any w consecutive digits is nonzero, and
 * a = sum naf[i] 2^i. A negative digit borrows 2^w from the bits above,
 * which is why a fifth word catches the carry. */
static void wnaf(int8_t naf[256], const uint8_t a[32], int w)
{
    uint64_t k[5] = {v_load64_le(a), v_load64_le(a + 8), v_load64_le(a + 16),
                     v_load64_le(a + 24), 0};
    const uint64_t window = ((uint64_t)1 << w) - 1;
    const int half = 1 << (w - 1);
    for (int i = 0; i < 256; i++)
        naf[i] = 0;
    int i = 0;
    while (i < 256) {
        int word = i >> 6, bit = i & 63;
        if (!((k[word] >> bit) & 1)) {
            i++;
            continue;
        }
        uint64_t v = k[word] >> bit;
        if (bit + w > 64)
            v |= k[word + 1] << (64 - bit);
        int d = (int)(v & window);
        /* Clear the w bits just read; a negative digit adds 2^w back. */
        k[word] &= ~(window << bit);
        if (bit + w > 64)
            k[word + 1] &= ~(window >> (64 - bit));
        if (d >= half) {
            d -= 1 << w;
            int at = i + w;
            for (int j = at >> 6; j < 5; j++) {
                uint64_t add = j == at >> 6 ? (uint64_t)1 << (at & 63) : 1;
                k[j] += add;
                if (k[j] >= add)   /* no carry out of this word */
                    break;
            }
        }
        naf[i] = (int8_t)d;
        i += w;
    }
}

/* r = [s]B - [k]A, with A given as a point. Variable time. */
static void double_scalarmult_vartime(ge_p2 *r, const uint8_t s[32],
                                      const ge_p3 *a, const uint8_t k[32])
{
    int8_t ns[256], nk[256];
    ge_cached ta[8];      /* (2j + 1) A */
    ge_p1p1 t;
    ge_p3 u, a2;

    wnaf(ns, s, 8);
    wnaf(nk, k, 5);

    ge_p2 a_p2;
    ge_p3_to_cached(&ta[0], a);
    ge_p3_to_p2(&a_p2, a);
    ge_dbl(&t, &a_p2);
    ge_p1p1_to_p3(&a2, &t);
    for (int j = 1; j < 8; j++) {
        ge_add(&t, &a2, &ta[j - 1]);
        ge_p1p1_to_p3(&u, &t);
        ge_p3_to_cached(&ta[j], &u);
    }

    int i = 255;
    while (i >= 0 && ns[i] == 0 && nk[i] == 0)
        i--;
    ge_p2_identity(r);
    for (; i >= 0; i--) {
        ge_dbl(&t, r);
        if (ns[i] == 0 && nk[i] == 0) {
            ge_p1p1_to_p2(r, &t);
            continue;
        }
        if (ns[i] > 0) {
            ge_p1p1_to_p3(&u, &t);
            ge_madd(&t, &u, &v_ed25519_base_odd[ns[i] / 2]);
        } else if (ns[i] < 0) {
            ge_p1p1_to_p3(&u, &t);
            ge_msub(&t, &u, &v_ed25519_base_odd[-ns[i] / 2]);
        }
        /* Subtracting [k]A: a positive digit subtracts. */
        if (nk[i] > 0) {
            ge_p1p1_to_p3(&u, &t);
            ge_sub(&t, &u, &ta[nk[i] / 2]);
        } else if (nk[i] < 0) {
            ge_p1p1_to_p3(&u, &t);
            ge_add(&t, &u, &ta[-nk[i] / 2]);
        }
        ge_p1p1_to_p2(r, &t);
    }
}

v_status v_ed25519_verify(const uint8_t sig[V_ED25519_SIG_LEN],
                          const void *msg, size_t n,
                          const uint8_t pk[V_ED25519_PUBLIC_LEN])
{
    ge_p3 a;
    ge_p2 check_point;
    uint8_t k_wide[64], k[32], check[32];
    v_sha512_ctx s;
    if (!sc_is_canonical(sig + 32))
        return V_ERR_MALFORMED;
    if (!ge_frombytes(&a, pk))
        return V_ERR_MALFORMED;
    /* R is not decoded: the encoding of [S]B - [k]A is canonical, so
     * comparing bytes rejects any non-canonical R by itself. */
    v_sha512_init(&s);
    v_sha512_update(&s, sig, 32);
    v_sha512_update(&s, pk, 32);
    v_sha512_update(&s, msg, n);
    v_sha512_final(&s, k_wide);
    sc_reduce64(k, k_wide);

    double_scalarmult_vartime(&check_point, sig + 32, &a, k);
    ge_tobytes(check, &check_point);
    return v_mem_equal(check, sig, 32) ? V_OK : V_ERR_MALFORMED;
}
