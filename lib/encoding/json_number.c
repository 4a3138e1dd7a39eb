/* JSON number text: the grammar check shared by every converter, and
 * exact integer conversion. (Doubles: json_float.c.) */
#include <v/encoding.h>
#include "internal.h"

typedef v_enc_number number_parts;

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t digits(const char *s, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && digit(s[j]))
        j++;
    return j - i;
}

v_status v_enc_json_split(const char *s, size_t len, v_enc_number *p)
{
    size_t i = 0;
    *p = (number_parts){0};
    if (!s)
        return V_ERR_MALFORMED;
    if (i < len && s[i] == '-') {
        p->neg = true;
        i++;
    }
    p->int_digits = s + i;
    p->int_len = digits(s, len, i);
    if (p->int_len == 0 || (p->int_len > 1 && s[i] == '0'))
        return V_ERR_MALFORMED;
    i += p->int_len;
    if (i < len && s[i] == '.') {
        i++;
        p->frac_digits = s + i;
        p->frac_len = digits(s, len, i);
        if (p->frac_len == 0)
            return V_ERR_MALFORMED;
        i += p->frac_len;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        p->has_exp = true;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            p->exp_neg = s[i++] == '-';
        p->exp_digits = s + i;
        p->exp_len = digits(s, len, i);
        if (p->exp_len == 0)
            return V_ERR_MALFORMED;
        i += p->exp_len;
    }
    return i == len ? V_OK : V_ERR_MALFORMED;
}

/* The integer magnitude, or V_ERR_OUT_OF_RANGE above UINT64_MAX. */
static v_status magnitude(const number_parts *p, uint64_t *out)
{
    if (p->frac_digits || p->has_exp)
        return V_ERR_INVALID_ARGS;
    uint64_t m = 0;
    for (size_t k = 0; k < p->int_len; k++) {
        unsigned d = (unsigned)(p->int_digits[k] - '0');
        if (m > (UINT64_MAX - d) / 10)
            return V_ERR_OUT_OF_RANGE;
        m = m * 10 + d;
    }
    *out = m;
    return V_OK;
}

v_status v_json_number_to_u64(const char *text, size_t len, uint64_t *out)
{
    number_parts p;
    uint64_t m;
    v_status s = v_enc_json_split(text, len, &p);
    if (s == V_OK)
        s = magnitude(&p, &m);
    if (s != V_OK)
        return s;
    if (p.neg && m != 0)
        return V_ERR_OUT_OF_RANGE;
    *out = m;
    return V_OK;
}

v_status v_json_number_to_i64(const char *text, size_t len, int64_t *out)
{
    number_parts p;
    uint64_t m;
    v_status s = v_enc_json_split(text, len, &p);
    if (s == V_OK)
        s = magnitude(&p, &m);
    if (s != V_OK)
        return s;
    if (!p.neg) {
        if (m > INT64_MAX)
            return V_ERR_OUT_OF_RANGE;
        *out = (int64_t)m;
    } else {
        if (m > (uint64_t)INT64_MAX + 1)
            return V_ERR_OUT_OF_RANGE;
        *out = m == 0 ? 0 : (int64_t)(0 - m);
    }
    return V_OK;
}
