/* Fuzz target: the JSON pull parser over arbitrary bytes, tight limits.
 *
 * Invariants checked: an error has a reason and an offset within the
 * input; a document that parses is balanced and its strings unescape to
 * exactly decoded_len bytes of valid UTF-8; writing the token stream back
 * with the writer and parsing that gives the same stream; writing it a
 * second time gives the same bytes (the output is canonical). */
#include <stddef.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <v/encoding.h>

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

enum { MAX_DEPTH = 16 };

static const v_json_limits limits = {
    .max_input = 1 << 20, .max_depth = MAX_DEPTH, .max_string = 1024,
    .max_number = 64, .max_elements = 256,
};

typedef struct rec {
    v_json_kind kind;
    const char *s;   /* decoded string, or number text */
    size_t len;
    unsigned fits;
    int64_t i64;
    uint64_t u64;
    bool b;
} rec;

typedef struct stream {
    rec *recs;
    size_t n;
    char *arena;      /* decoded strings */
    size_t arena_len;
} stream;

static void free_stream(stream *st)
{
    free(st->recs);
    free(st->arena);
}

/* The converter must agree bit for bit with the C library's strtod
 * (glibc rounds correctly), and report overflow where strtod does. */
static void check_f64(const char *text, size_t len)
{
    char tmp[80];
    double d, want;
    CHECK(len < sizeof tmp);
    memcpy(tmp, text, len);
    tmp[len] = 0;
    want = strtod(tmp, NULL);
    v_status s = v_json_number_to_f64(text, len, &d);
    if (s == V_ERR_OUT_OF_RANGE) {
        CHECK(want == HUGE_VAL || want == -HUGE_VAL);
        return;
    }
    CHECK(s == V_OK && memcmp(&d, &want, sizeof d) == 0);
    /* The canonical text of that double reads back as it. */
    char out[V_JSON_F64_MAX + 1];
    size_t n;
    CHECK(v_json_format_f64(d, out, &n) == V_OK && n <= V_JSON_F64_MAX);
    out[n] = 0;
    double back = strtod(out, NULL);
    CHECK(memcmp(&back, &d, sizeof d) == 0);
}

/* Parses buf into st. Returns the final status (V_ERR_END when valid). */
static v_status parse(const uint8_t *buf, size_t size, stream *st)
{
    v_json_frame stack[MAX_DEPTH];
    v_json_reader r;
    v_json_token t;
    v_status s = v_json_reader_init(&r, buf, size, &limits, stack);
    st->recs = malloc((size + 1) * sizeof(rec));
    st->arena = malloc(size + 1);
    st->n = st->arena_len = 0;
    CHECK(st->recs && st->arena);
    if (s != V_OK) {
        CHECK(s == V_ERR_LIMIT && v_json_next(&r, &t) == V_ERR_LIMIT);
        return s;
    }
    size_t depth = 0;
    while ((s = v_json_next(&r, &t)) == V_OK) {
        CHECK(st->n <= size);
        CHECK(t.offset < size && t.depth <= MAX_DEPTH);
        CHECK(t.text >= (const char *)buf &&
              t.text + t.len <= (const char *)buf + size);
        rec *rc = &st->recs[st->n++];
        memset(rc, 0, sizeof *rc);
        rc->kind = t.kind;
        switch (t.kind) {
        case V_JSON_OBJECT_BEGIN: case V_JSON_ARRAY_BEGIN:
            CHECK(t.depth == depth);
            depth++;
            break;
        case V_JSON_OBJECT_END: case V_JSON_ARRAY_END:
            CHECK(depth > 0);
            depth--;
            CHECK(t.depth == depth);
            break;
        case V_JSON_KEY: case V_JSON_STRING: {
            size_t n = 0;
            char *out = st->arena + st->arena_len;
            CHECK(t.decoded_len <= t.len && t.decoded_len <= 1024);
            CHECK(v_json_unescape(t.text, t.len, out, t.decoded_len, &n) ==
                  V_OK);
            CHECK(n == t.decoded_len);
            CHECK(t.has_escapes == (memchr(t.text, '\\', t.len) != NULL));
            if (n) {
                char tmp;
                size_t n2;
                CHECK(v_json_unescape(t.text, t.len, &tmp, 0, &n2) ==
                      V_ERR_TRUNCATED);
            }
            rc->s = out;
            rc->len = n;
            st->arena_len += n;
            break;
        }
        case V_JSON_INTEGER: {
            int64_t i;
            uint64_t u;
            CHECK(t.fits);
            rc->fits = t.fits;
            rc->i64 = t.i64;
            rc->u64 = t.u64;
            if (t.fits & V_JSON_FITS_I64)
                CHECK(v_json_number_to_i64(t.text, t.len, &i) == V_OK &&
                      i == t.i64);
            else
                CHECK(v_json_number_to_i64(t.text, t.len, &i) ==
                      V_ERR_OUT_OF_RANGE);
            if (t.fits & V_JSON_FITS_U64)
                CHECK(v_json_number_to_u64(t.text, t.len, &u) == V_OK &&
                      u == t.u64);
            check_f64(t.text, t.len);
            break;
        }
        case V_JSON_NUMBER: {
            check_f64(t.text, t.len);
            rc->s = t.text;
            rc->len = t.len;
            break;
        }
        case V_JSON_BOOL:
            rc->b = t.boolean;
            break;
        case V_JSON_NULL:
            break;
        default:
            CHECK(0);
        }
    }
    if (s == V_ERR_END) {
        CHECK(depth == 0 && st->n > 0);
    } else {
        CHECK(s == V_ERR_MALFORMED || s == V_ERR_LIMIT);
        CHECK(r.error.reason != NULL && r.error.offset <= size);
    }
    /* Errors and END are sticky. */
    CHECK(v_json_next(&r, &t) == s);
    return s;
}

/* Writes the stream with the writer; returns its length. */
static size_t write_stream(const stream *st, char *out, size_t cap,
                           unsigned indent)
{
    v_json_frame stack[MAX_DEPTH];
    v_json_writer w;
    CHECK(v_json_writer_init(&w, out, cap, NULL, stack, MAX_DEPTH) == V_OK);
    if (indent)
        CHECK(v_json_writer_set_indent(&w, indent) == V_OK);
    for (size_t i = 0; i < st->n; i++) {
        const rec *rc = &st->recs[i];
        v_status s = V_OK;
        switch (rc->kind) {
        case V_JSON_OBJECT_BEGIN: s = v_json_write_object_begin(&w); break;
        case V_JSON_OBJECT_END: s = v_json_write_object_end(&w); break;
        case V_JSON_ARRAY_BEGIN: s = v_json_write_array_begin(&w); break;
        case V_JSON_ARRAY_END: s = v_json_write_array_end(&w); break;
        case V_JSON_KEY: s = v_json_write_key(&w, rc->s, rc->len); break;
        case V_JSON_STRING: s = v_json_write_string(&w, rc->s, rc->len); break;
        case V_JSON_INTEGER:
            s = (rc->fits & V_JSON_FITS_U64) ? v_json_write_u64(&w, rc->u64)
                                             : v_json_write_i64(&w, rc->i64);
            break;
        case V_JSON_NUMBER:
            s = v_json_write_number_text(&w, rc->s, rc->len);
            break;
        case V_JSON_BOOL: s = v_json_write_bool(&w, rc->b); break;
        case V_JSON_NULL: s = v_json_write_null(&w); break;
        default: CHECK(0);
        }
        CHECK(s == V_OK);
    }
    size_t len = 0;
    CHECK(v_json_writer_finish(&w, &len) == V_OK);
    return len;
}

static bool same(const stream *a, const stream *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++) {
        const rec *x = &a->recs[i], *y = &b->recs[i];
        if (x->kind != y->kind || x->len != y->len || x->b != y->b ||
            x->fits != y->fits || x->i64 != y->i64 || x->u64 != y->u64)
            return false;
        if (x->len && memcmp(x->s, y->s, x->len) != 0)
            return false;
    }
    return true;
}

/* Whether any object in the stream repeats a key (by decoded bytes),
 * found the slow obvious way, as the oracle for the parser's check. */
static bool has_duplicate_key(const stream *st)
{
    size_t starts[MAX_DEPTH + 1], depth = 0;
    size_t *keys = malloc((st->n + 1) * sizeof *keys), nkeys = 0;
    bool dup = false;
    CHECK(keys);
    for (size_t i = 0; i < st->n && !dup; i++) {
        const rec *rc = &st->recs[i];
        if (rc->kind == V_JSON_OBJECT_BEGIN || rc->kind == V_JSON_ARRAY_BEGIN)
            starts[depth++] = nkeys;
        else if (rc->kind == V_JSON_OBJECT_END ||
                 rc->kind == V_JSON_ARRAY_END)
            nkeys = starts[--depth];
        else if (rc->kind == V_JSON_KEY) {
            for (size_t k = starts[depth - 1]; k < nkeys; k++) {
                const rec *o = &st->recs[keys[k]];
                if (o->len == rc->len && memcmp(o->s, rc->s, rc->len) == 0)
                    dup = true;
            }
            keys[nkeys++] = i;
        }
    }
    free(keys);
    return dup;
}

/* Parses with the duplicate-key check on; returns the final status. */
static v_status parse_checked(const uint8_t *buf, size_t size,
                              const char **reason)
{
    v_json_frame stack[MAX_DEPTH];
    v_json_reader r;
    v_json_token t;
    v_json_key_slot *slots = malloc((size + 1) * sizeof *slots);
    CHECK(slots);
    v_status s = v_json_reader_init(&r, buf, size, &limits, stack);
    if (s == V_OK)
        s = v_json_reader_check_duplicates(&r, slots, size + 1);
    while (s == V_OK)
        s = v_json_next(&r, &t);
    *reason = r.error.reason;
    free(slots);
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    stream a;
    if (parse(data, size, &a) != V_ERR_END) {
        free_stream(&a);
        return 0;
    }
    const char *reason = NULL;
    v_status cs = parse_checked(data, size, &reason);
    if (has_duplicate_key(&a))
        CHECK(cs == V_ERR_MALFORMED && strcmp(reason, "duplicate key") == 0);
    else
        CHECK(cs == V_ERR_END);
    /* Each decoded byte needs at most 6 output bytes (\u00xx). */
    size_t cap = size * 6 + 16;
    char *out1 = malloc(cap), *out2 = malloc(cap);
    CHECK(out1 && out2);
    size_t n1 = write_stream(&a, out1, cap, 0);
    stream b;
    CHECK(parse((const uint8_t *)out1, n1, &b) == V_ERR_END);
    CHECK(same(&a, &b));
    size_t n2 = write_stream(&b, out2, cap, 0);
    CHECK(n1 == n2 && memcmp(out1, out2, n1) == 0);
    /* The indented layout holds the same values. Each token adds at most
     * a line break, ", " and 2 spaces per level. */
    size_t pcap = n1 + (a.n + 1) * (3 + 2 * MAX_DEPTH);
    char *pretty = malloc(pcap);
    CHECK(pretty);
    size_t np = write_stream(&a, pretty, pcap, 2);
    stream c;
    CHECK(parse((const uint8_t *)pretty, np, &c) == V_ERR_END);
    CHECK(same(&a, &c));
    free_stream(&c);
    free(pretty);
    free_stream(&a);
    free_stream(&b);
    free(out1);
    free(out2);
    return 0;
}
