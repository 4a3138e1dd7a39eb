/* Fixed-size big integers: just the operations exact float conversion
 * needs (multiply by small, shifts, compare, subtract). */
#include "bigint.h"

void v_enc_big_set(v_enc_big *x, uint32_t v)
{
    x->w[0] = v;
    x->n = v != 0;
}

bool v_enc_big_mul_add(v_enc_big *x, uint32_t m, uint32_t a)
{
    uint64_t carry = a;
    for (size_t i = 0; i < x->n; i++) {
        uint64_t t = (uint64_t)x->w[i] * m + carry;
        x->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry) {
        if (x->n == V_ENC_BIG_LIMBS)
            return false;
        x->w[x->n++] = (uint32_t)carry;
    }
    return true;
}

bool v_enc_big_mul_pow10(v_enc_big *x, uint32_t e)
{
    static const uint32_t pow10[10] = {1,      10,      100,      1000,
                                       10000,  100000,  1000000,  10000000,
                                       100000000, 1000000000};
    for (; e >= 9; e -= 9)
        if (!v_enc_big_mul_add(x, pow10[9], 0))
            return false;
    return v_enc_big_mul_add(x, pow10[e], 0);
}

bool v_enc_big_shl(v_enc_big *x, size_t s)
{
    if (x->n == 0)
        return true;
    size_t limbs = s / 32, bits = s % 32;
    size_t top = x->n + limbs + (bits != 0);
    if (top > V_ENC_BIG_LIMBS) {
        /* Fits only if the extra limb would be zero. */
        if (top - 1 > V_ENC_BIG_LIMBS || bits == 0 ||
            (x->w[x->n - 1] >> (32 - bits)) != 0)
            return false;
    }
    if (bits == 0) {
        for (size_t i = x->n; i-- > 0;)
            x->w[i + limbs] = x->w[i];
    } else {
        uint32_t spill = x->w[x->n - 1] >> (32 - bits);
        if (spill)
            x->w[x->n + limbs] = spill;
        for (size_t i = x->n; i-- > 1;)
            x->w[i + limbs] = x->w[i] << bits | x->w[i - 1] >> (32 - bits);
        x->w[limbs] = x->w[0] << bits;
        x->n += spill != 0;
    }
    for (size_t i = 0; i < limbs; i++)
        x->w[i] = 0;
    x->n += limbs;
    return true;
}

void v_enc_big_shr1(v_enc_big *x)
{
    for (size_t i = 0; i < x->n; i++) {
        x->w[i] >>= 1;
        if (i + 1 < x->n)
            x->w[i] |= x->w[i + 1] << 31;
    }
    if (x->n && x->w[x->n - 1] == 0)
        x->n--;
}

int v_enc_big_cmp(const v_enc_big *a, const v_enc_big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (size_t i = a->n; i-- > 0;)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

void v_enc_big_sub(v_enc_big *a, const v_enc_big *b)
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        a->w[i] = (uint32_t)t;
        borrow = (t >> 32) & 1;
    }
    while (a->n && a->w[a->n - 1] == 0)
        a->n--;
}

size_t v_enc_big_bits(const v_enc_big *x)
{
    if (x->n == 0)
        return 0;
    return 32 * (x->n - 1) + (size_t)(32 - __builtin_clz(x->w[x->n - 1]));
}
