/* JSON parse and serialise: libv's pull parser and writer against cJSON
 * (Debian libcjson-dev), on the same generated corpus of more than 5 MB
 * (encoding_corpus.c), in the same run. MB/s of JSON text, higher is
 * better: the median thread CPU time of runs alternating between the two
 * sides, after warm-up (bench_pair_cpu_ns).
 *
 * Equal work, as far as the two designs allow:
 * - parse: cJSON builds its tree (a node per value, every string copied
 *   and unescaped into its own allocation, every number through strtod)
 *   and the tree is freed again. libv's pull parser visits every token;
 *   for it the benchmark unescapes every string that has escapes into a
 *   scratch buffer (an escape-free string is already its own decoded
 *   form: a slice of the input), converts every number to its C value
 *   (integers come converted; other numbers through
 *   v_json_number_to_f64) and folds everything into a checksum. libv
 *   also validates UTF-8, which cJSON does not.
 * - serialise: cJSON prints its tree into a preallocated buffer
 *   (cJSON_PrintPreallocated); libv's writer writes the same values from
 *   a flat array of them into a preallocated buffer, checking structure
 *   and UTF-8 as it goes. Both produce compact JSON; cJSON's doubles are
 *   %.15g/%.17g text, libv's the shortest that reads back exactly. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <v/encoding.h>

#include "bench.h"
#include "encoding_corpus.h"

enum { RECORDS = 17000, DEPTH = 16, WARMUP = 2, REPS = 9 };

static corpus cor;
static char *doc;          /* the corpus as JSON text (libv's writer) */
static size_t doc_len;
static char *out;          /* serialiser output */
static size_t out_cap;
static cJSON *tree;        /* cJSON's tree of the corpus */
static char scratch[4096]; /* unescaped strings */

static const v_json_limits lim = {
    .max_input = 1u << 30, .max_depth = DEPTH, .max_string = 4096,
    .max_number = 64, .max_elements = 1u << 30,
};

static v_status write_corpus(v_json_writer *w)
{
    v_status s = V_OK;
    for (size_t k = 0; k < cor.n_ev && s == V_OK; k++) {
        const corpus_event *e = &cor.ev[k];
        switch (e->kind) {
        case CK_OBJECT_BEGIN: s = v_json_write_object_begin(w); break;
        case CK_OBJECT_END: s = v_json_write_object_end(w); break;
        case CK_ARRAY_BEGIN: s = v_json_write_array_begin(w); break;
        case CK_ARRAY_END: s = v_json_write_array_end(w); break;
        case CK_KEY: s = v_json_write_key(w, e->s, e->n); break;
        case CK_STRING: s = v_json_write_string(w, e->s, e->n); break;
        case CK_INT: s = v_json_write_i64(w, e->i); break;
        case CK_DOUBLE: s = v_json_write_f64(w, e->d); break;
        case CK_BOOL: s = v_json_write_bool(w, e->b); break;
        case CK_NULL: s = v_json_write_null(w); break;
        }
    }
    return s;
}

static size_t ours_serialise_once(void)
{
    v_json_frame stack[DEPTH];
    v_json_writer w;
    size_t n = 0;
    if (v_json_writer_init(&w, out, out_cap, NULL, stack, DEPTH) != V_OK ||
        write_corpus(&w) != V_OK || v_json_writer_finish(&w, &n) != V_OK) {
        fprintf(stderr, "encoding_json: libv writer failed: %s\n",
                w.error.reason ? w.error.reason : "?");
        exit(1);
    }
    return n;
}

static void ours_serialise(void *arg)
{
    bench_consume(ours_serialise_once());
}

static void cjson_serialise(void *arg)
{
    if (!cJSON_PrintPreallocated(tree, out, (int)out_cap, 0)) {
        fprintf(stderr, "encoding_json: cJSON print failed\n");
        exit(1);
    }
    bench_consume((uint8_t)out[0]);
}

static uint64_t ours_parse_once(void)
{
    v_json_frame stack[DEPTH];
    v_json_reader r;
    v_json_token t;
    v_status s;
    uint64_t sum = 0;
    if (v_json_reader_init(&r, doc, doc_len, &lim, stack) != V_OK)
        exit(1);
    while ((s = v_json_next(&r, &t)) == V_OK) {
        switch (t.kind) {
        case V_JSON_KEY:
        case V_JSON_STRING:
            if (t.has_escapes) {
                size_t n;
                if (v_json_unescape(t.text, t.len, scratch, sizeof scratch,
                                    &n) != V_OK)
                    exit(1);
                sum += n + (uint8_t)scratch[0];
            } else {
                sum += t.len;
            }
            break;
        case V_JSON_INTEGER:
            sum += t.u64 ^ (uint64_t)t.i64;
            break;
        case V_JSON_NUMBER: {
            double d;
            if (v_json_number_to_f64(t.text, t.len, &d) != V_OK)
                exit(1);
            sum += (uint64_t)(int64_t)d;
            break;
        }
        default:
            sum += t.kind;
        }
    }
    if (s != V_ERR_END) {
        fprintf(stderr, "encoding_json: libv parse failed at %zu: %s\n",
                r.error.offset, r.error.reason);
        exit(1);
    }
    return sum;
}

static void ours_parse(void *arg)
{
    bench_consume(ours_parse_once());
}

static void cjson_parse(void *arg)
{
    cJSON *c = cJSON_ParseWithLength(doc, doc_len);
    if (!c) {
        fprintf(stderr, "encoding_json: cJSON parse failed\n");
        exit(1);
    }
    bench_consume((uint64_t)cJSON_GetArraySize(c));
    cJSON_Delete(c);
}

/* cJSON's tree of the corpus, built from the events (not timed). */
static cJSON *build_tree(void)
{
    cJSON *stack[DEPTH + 1];
    size_t depth = 0;
    char key[256];
    cJSON *root = NULL;
    bool have_key = false;
    for (size_t k = 0; k < cor.n_ev; k++) {
        const corpus_event *e = &cor.ev[k];
        cJSON *v = NULL;
        switch (e->kind) {
        case CK_OBJECT_END:
        case CK_ARRAY_END:
            depth--;
            continue;
        case CK_KEY:
            memcpy(key, e->s, e->n);
            key[e->n] = 0;
            have_key = true;
            continue;
        case CK_OBJECT_BEGIN: v = cJSON_CreateObject(); break;
        case CK_ARRAY_BEGIN: v = cJSON_CreateArray(); break;
        case CK_STRING: {
            char *s = malloc(e->n + 1);
            memcpy(s, e->s, e->n);
            s[e->n] = 0;
            v = cJSON_CreateString(s);
            free(s);
            break;
        }
        case CK_INT: v = cJSON_CreateNumber((double)e->i); break;
        case CK_DOUBLE: v = cJSON_CreateNumber(e->d); break;
        case CK_BOOL: v = cJSON_CreateBool(e->b); break;
        case CK_NULL: v = cJSON_CreateNull(); break;
        }
        if (depth == 0)
            root = v;
        else if (have_key)
            cJSON_AddItemToObject(stack[depth - 1], key, v);
        else
            cJSON_AddItemToArray(stack[depth - 1], v);
        have_key = false;
        if (e->kind == CK_OBJECT_BEGIN || e->kind == CK_ARRAY_BEGIN)
            stack[depth++] = v;
    }
    return root;
}

int main(void)
{
    corpus_build(&cor, RECORDS);
    out_cap = 64u << 20;
    out = malloc(out_cap);
    doc_len = ours_serialise_once();
    doc = malloc(doc_len);
    memcpy(doc, out, doc_len);
    if (doc_len < 5000000) {
        fprintf(stderr, "encoding_json: corpus only %zu bytes\n", doc_len);
        return 1;
    }
    tree = build_tree();
    /* Sanity: cJSON reads the corpus, and its own print of the same
     * values has the same shape. */
    cJSON *check = cJSON_ParseWithLength(doc, doc_len);
    if (!check || cJSON_GetArraySize(check) != RECORDS)
        return 1;
    cJSON_Delete(check);

    printf("# json corpus: %zu bytes, %d records, %zu strings (%zu with "
           "escapes), %zu numbers (%zu doubles); same text for both parsers\n",
           doc_len, RECORDS, cor.n_strings, cor.n_escaped, cor.n_numbers,
           cor.n_doubles);
    printf("# json: both sides scalar C (libv: 8-byte SWAR string scan, "
           "no SIMD); cJSON uses libc strtod/sprintf/sscanf for numbers\n");
    printf("# json_parse: cJSON parse builds and frees its tree; libv "
           "visits every token, unescapes every string with escapes, "
           "converts every number, validates UTF-8\n");
    double o, c;
    bench_pair_cpu_ns(ours_parse, cjson_parse, NULL, WARMUP, REPS, &o, &c);
    bench_report("json_parse", "MB/s", bench_mb_per_s(doc_len, o), "cjson",
                 bench_mb_per_s(doc_len, c));
    printf("# json_serialise: cJSON_PrintPreallocated from its tree; libv "
           "writer from a flat value array, into a preallocated buffer; MB "
           "of libv's output (cJSON's differs only in number text)\n");
    bench_pair_cpu_ns(ours_serialise, cjson_serialise, NULL, WARMUP, REPS, &o,
                      &c);
    bench_report("json_serialise", "MB/s", bench_mb_per_s(doc_len, o),
                 "cjson", bench_mb_per_s(doc_len, c));
    cJSON_Delete(tree);
    free(out);
    free(doc);
    corpus_free(&cor);
    return 0;
}
