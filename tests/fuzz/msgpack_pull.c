/* Fuzz target: the msgpack pull parser over arbitrary bytes, tight
 * limits. Invariants as for json_pull: errors carry a reason and an
 * in-range offset; valid documents are balanced, and re-encoding the
 * token stream with the writer gives bytes that parse to the same stream
 * and re-encode to themselves (smallest encodings are a fixed point). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <v/encoding.h>

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

enum { MAX_DEPTH = 16 };

static const v_msgpack_limits limits = {
    .max_input = 1 << 20, .max_depth = MAX_DEPTH, .max_string = 1024,
    .max_elements = 256, .forbid_nan = false,
};

typedef struct rec {
    v_msgpack_kind kind;
    const uint8_t *data;
    size_t len;
    uint32_t count;
    int8_t ext_type;
    bool b, is_key;
    unsigned fits;
    int64_t i64;
    uint64_t u64;
    uint64_t float_bits;
} rec;

static v_status parse(const uint8_t *buf, size_t size, rec **out, size_t *n)
{
    v_msgpack_frame stack[MAX_DEPTH];
    v_msgpack_reader r;
    v_msgpack_token t;
    /* Every token but an END consumes a byte; ENDs match BEGINs. */
    rec *recs = malloc((2 * size + 1) * sizeof(rec));
    CHECK(recs);
    *out = recs;
    *n = 0;
    v_status s = v_msgpack_reader_init(&r, buf, size, &limits, stack);
    if (s != V_OK)
        return s;
    size_t depth = 0;
    while ((s = v_msgpack_next(&r, &t)) == V_OK) {
        CHECK(*n < 2 * size + 1);
        CHECK(t.offset <= size && t.depth <= MAX_DEPTH);
        rec *rc = &recs[(*n)++];
        memset(rc, 0, sizeof *rc);
        rc->kind = t.kind;
        rc->is_key = t.is_key;
        switch (t.kind) {
        case V_MSGPACK_ARRAY_BEGIN: case V_MSGPACK_MAP_BEGIN:
            CHECK(t.depth == depth);
            depth++;
            rc->count = t.count;
            CHECK(t.count <= 256);
            break;
        case V_MSGPACK_ARRAY_END: case V_MSGPACK_MAP_END:
            CHECK(depth > 0);
            depth--;
            CHECK(t.depth == depth);
            break;
        case V_MSGPACK_STR: case V_MSGPACK_BIN: case V_MSGPACK_EXT:
            CHECK(t.len <= 1024);
            CHECK(t.data >= buf && t.data + t.len <= buf + size);
            rc->data = t.data;
            rc->len = t.len;
            rc->ext_type = t.ext_type;
            break;
        case V_MSGPACK_INT:
            CHECK(t.fits);
            rc->fits = t.fits;
            rc->i64 = t.i64;
            rc->u64 = t.u64;
            if (t.fits == (V_MSGPACK_FITS_I64 | V_MSGPACK_FITS_U64))
                CHECK((uint64_t)t.i64 == t.u64);
            break;
        case V_MSGPACK_FLOAT32: {
            uint32_t u;
            memcpy(&u, &t.f32, 4);
            rc->float_bits = u;
            break;
        }
        case V_MSGPACK_FLOAT64:
            memcpy(&rc->float_bits, &t.f64, 8);
            break;
        case V_MSGPACK_BOOL:
            rc->b = t.boolean;
            break;
        case V_MSGPACK_NIL:
            break;
        default:
            CHECK(0);
        }
    }
    if (s == V_ERR_END) {
        CHECK(depth == 0 && *n > 0);
    } else {
        CHECK(s == V_ERR_MALFORMED || s == V_ERR_LIMIT);
        CHECK(r.error.reason != NULL && r.error.offset <= size);
    }
    CHECK(v_msgpack_next(&r, &t) == s);
    return s;
}

static size_t write_stream(const rec *recs, size_t n, uint8_t *out,
                           size_t cap)
{
    v_msgpack_frame stack[MAX_DEPTH];
    v_msgpack_writer w;
    CHECK(v_msgpack_writer_init(&w, out, cap, NULL, stack, MAX_DEPTH) ==
          V_OK);
    for (size_t i = 0; i < n; i++) {
        const rec *rc = &recs[i];
        v_status s = V_OK;
        switch (rc->kind) {
        case V_MSGPACK_ARRAY_BEGIN:
            s = v_msgpack_write_array_begin(&w, rc->count);
            break;
        case V_MSGPACK_MAP_BEGIN:
            s = v_msgpack_write_map_begin(&w, rc->count);
            break;
        case V_MSGPACK_ARRAY_END: s = v_msgpack_write_array_end(&w); break;
        case V_MSGPACK_MAP_END: s = v_msgpack_write_map_end(&w); break;
        case V_MSGPACK_STR: s = v_msgpack_write_str(&w, rc->data, rc->len); break;
        case V_MSGPACK_BIN: s = v_msgpack_write_bin(&w, rc->data, rc->len); break;
        case V_MSGPACK_EXT:
            s = v_msgpack_write_ext(&w, rc->ext_type, rc->data, rc->len);
            break;
        case V_MSGPACK_INT:
            s = (rc->fits & V_MSGPACK_FITS_U64)
                    ? v_msgpack_write_u64(&w, rc->u64)
                    : v_msgpack_write_i64(&w, rc->i64);
            break;
        case V_MSGPACK_FLOAT32: {
            float f;
            uint32_t u = (uint32_t)rc->float_bits;
            memcpy(&f, &u, 4);
            s = v_msgpack_write_f32(&w, f);
            break;
        }
        case V_MSGPACK_FLOAT64: {
            double d;
            memcpy(&d, &rc->float_bits, 8);
            s = v_msgpack_write_f64(&w, d);
            break;
        }
        case V_MSGPACK_BOOL: s = v_msgpack_write_bool(&w, rc->b); break;
        case V_MSGPACK_NIL: s = v_msgpack_write_nil(&w); break;
        default: CHECK(0);
        }
        CHECK(s == V_OK);
    }
    size_t len = 0;
    CHECK(v_msgpack_writer_finish(&w, &len) == V_OK);
    return len;
}

/* Payload pointers differ between the two parses, so compare contents. */
static bool same(const rec *a, size_t na, const rec *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        const rec *x = &a[i], *y = &b[i];
        if (x->kind != y->kind || x->len != y->len || x->count != y->count ||
            x->ext_type != y->ext_type || x->b != y->b ||
            x->is_key != y->is_key || x->fits != y->fits ||
            x->i64 != y->i64 || x->u64 != y->u64 ||
            x->float_bits != y->float_bits)
            return false;
        if (x->len && memcmp(x->data, y->data, x->len) != 0)
            return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rec *a, *b;
    size_t na, nb;
    if (parse(data, size, &a, &na) != V_ERR_END) {
        free(a);
        return 0;
    }
    /* Smallest encodings never exceed the input's. */
    uint8_t *out1 = malloc(size + 1), *out2 = malloc(size + 1);
    CHECK(out1 && out2);
    size_t n1 = write_stream(a, na, out1, size);
    CHECK(n1 <= size);
    CHECK(parse(out1, n1, &b, &nb) == V_ERR_END);
    CHECK(same(a, na, b, nb));
    size_t n2 = write_stream(b, nb, out2, size);
    CHECK(n1 == n2 && memcmp(out1, out2, n1) == 0);
    free(a);
    free(b);
    free(out1);
    free(out2);
    return 0;
}
