/* Canonical binary: encode and decode throughput of the code vschema
 * generates (here for schemas/log.vs, the log Record), against msgpack-c
 * (Debian libmsgpack-dev) packing and unpacking the same records, in the
 * same run. Records/s is the comparable figure (both sides do the same
 * records); MB/s is each side's own bytes, and the two encodings differ
 * in size, so it is printed as a note.
 *
 * Equal work, as far as the two designs allow:
 * - The records: generated once from a fixed seed (a few MB encoded):
 *   log records with a task name, a message of ASCII and some UTF-8, and
 *   0..6 key/value fields of every kind.
 * - encode: each record from the same C structs into one preallocated
 *   buffer. Ours validates each record first (lengths, UTF-8, enum
 *   values; encode always does). msgpack-c packs each record as a
 *   positional array (no field names: the canonical binary has field
 *   numbers, not names), with a field as [key, kind, value], into an
 *   sbuffer that keeps its allocation between runs.
 * - decode: back into the same C structs, strings and lists copied into
 *   an arena reset between runs. Ours checks everything the canonical
 *   form requires (shortest varints, order, lengths, UTF-8, ranges).
 *   msgpack-c unpacks each record into its object tree in a zone cleared
 *   between runs and the benchmark copies it into the structs, checking
 *   only the types it needs. */
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <v/alloc.h>

#include "bench.h"
#include "log.h"

enum { RECORDS = 40000, WARMUP = 2, REPS = 9 };

typedef vectra_log_Record record;

static record *recs;
static size_t *offs;              /* record i: [offs[i], offs[i + 1]) */
static uint8_t *out, *doc;
static size_t out_cap, doc_len;
static record *dec;               /* decoded records */
static unsigned char *arena_mem;
static size_t arena_cap;
static v_arena arena;
static msgpack_sbuffer sbuf;
static msgpack_zone zone;

/* ---- the records ---- */

static uint64_t seed = 0x2545f4914f6cdd1du;

static uint64_t rnd(void)
{
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
}

static v_schema_str text(size_t len)
{
    static const char *const words[] = {"link", "down", "retry", "eth0",
                                        "caf\xc3\xa9", "ok", "timeout",
                                        "\xe2\x82\xac", "disk", "42"};
    char *p = malloc(len + 8);
    size_t n = 0;
    while (n < len) {
        const char *w = words[rnd() % 10];
        size_t k = strlen(w);
        if (n + k + 1 > len)
            break;
        memcpy(p + n, w, k);
        n += k;
        p[n++] = ' ';
    }
    return (v_schema_str){p, n};
}

static void make_records(void)
{
    static const char *const tasks[] = {"initd", "netd", "storaged",
                                        "compositord", "vfsd", "fontd"};
    recs = calloc(RECORDS, sizeof *recs);
    uint64_t t = 1000000000u;
    for (size_t i = 0; i < RECORDS; i++) {
        record *r = &recs[i];
        t += rnd() % 5000000;
        r->time_ns = t;
        r->level = (vectra_log_Level)(rnd() % 5);
        const char *task = tasks[rnd() % 6];
        r->task = (v_schema_str){task, strlen(task)};
        r->text = text(16 + rnd() % 120);
        r->fields.count = rnd() % 7;
        r->fields.items = calloc(r->fields.count + 1,
                                 sizeof(vectra_log_Field));
        for (size_t k = 0; k < r->fields.count; k++) {
            vectra_log_Field *f = &r->fields.items[k];
            f->key = text(4 + rnd() % 8);
            f->value.tag = (vectra_log_Value_tag)(1 + rnd() % 5);
            switch (f->value.tag) {
            case VECTRA_LOG_VALUE_TEXT:
                f->value.u.text = text(rnd() % 40);
                break;
            case VECTRA_LOG_VALUE_INTEGER:
                f->value.u.integer = (int64_t)rnd() >> (rnd() % 64);
                break;
            case VECTRA_LOG_VALUE_NATURAL:
                f->value.u.natural = rnd() >> (rnd() % 64);
                break;
            case VECTRA_LOG_VALUE_FLAG:
                f->value.u.flag = rnd() & 1;
                break;
            default: {
                size_t n = rnd() % 32;
                uint8_t *b = malloc(n + 1);
                for (size_t j = 0; j < n; j++)
                    b[j] = (uint8_t)rnd();
                f->value.u.blob = (v_schema_bytes){n ? b : NULL, n};
                if (!n)
                    free(b);
                break;
            }
            }
        }
        if ((r->has_wall_ns = rnd() & 1))
            r->wall_ns = (int64_t)(1700000000000000000u + t);
    }
}

/* ---- ours: the generated canonical binary codec ---- */

static size_t ours_encode_once(void)
{
    size_t pos = 0;
    for (size_t i = 0; i < RECORDS; i++) {
        size_t n;
        offs[i] = pos;
        if (vectra_log_Record_encode(&recs[i], out + pos, out_cap - pos, &n,
                                     NULL) != V_OK) {
            fprintf(stderr, "encoding_canon: encode failed\n");
            exit(1);
        }
        pos += n;
    }
    offs[RECORDS] = pos;
    return pos;
}

static void ours_encode(void *arg)
{
    (void)arg;
    bench_consume(ours_encode_once());
}

static void ours_decode(void *arg)
{
    (void)arg;
    uint64_t sum = 0;
    v_arena_reset(&arena);
    for (size_t i = 0; i < RECORDS; i++) {
        v_encoding_error err;
        if (vectra_log_Record_decode(doc + offs[i], offs[i + 1] - offs[i], 0,
                                     &arena.base, &dec[i], &err) != V_OK) {
            fprintf(stderr, "encoding_canon: decode failed at %zu: %s\n",
                    err.offset, err.reason);
            exit(1);
        }
        sum += dec[i].time_ns + dec[i].fields.count;
    }
    bench_consume(sum);
}

/* ---- the peer: msgpack-c, the same records as positional arrays ---- */

static void pack_str(msgpack_packer *pk, const void *p, size_t n)
{
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, p, n);
}

static void peer_encode_once(void)
{
    msgpack_packer pk;
    msgpack_sbuffer_clear(&sbuf);
    msgpack_packer_init(&pk, &sbuf, msgpack_sbuffer_write);
    for (size_t i = 0; i < RECORDS; i++) {
        const record *r = &recs[i];
        msgpack_pack_array(&pk, r->has_wall_ns ? 6 : 5);
        msgpack_pack_uint64(&pk, r->time_ns);
        msgpack_pack_uint8(&pk, (uint8_t)r->level);
        pack_str(&pk, r->task.ptr, r->task.len);
        pack_str(&pk, r->text.ptr, r->text.len);
        msgpack_pack_array(&pk, r->fields.count);
        for (size_t k = 0; k < r->fields.count; k++) {
            const vectra_log_Field *f = &r->fields.items[k];
            msgpack_pack_array(&pk, 3);
            pack_str(&pk, f->key.ptr, f->key.len);
            msgpack_pack_uint8(&pk, (uint8_t)f->value.tag);
            switch (f->value.tag) {
            case VECTRA_LOG_VALUE_TEXT:
                pack_str(&pk, f->value.u.text.ptr, f->value.u.text.len);
                break;
            case VECTRA_LOG_VALUE_INTEGER:
                msgpack_pack_int64(&pk, f->value.u.integer);
                break;
            case VECTRA_LOG_VALUE_NATURAL:
                msgpack_pack_uint64(&pk, f->value.u.natural);
                break;
            case VECTRA_LOG_VALUE_FLAG:
                f->value.u.flag ? msgpack_pack_true(&pk)
                                : msgpack_pack_false(&pk);
                break;
            default:
                msgpack_pack_bin(&pk, f->value.u.blob.len);
                msgpack_pack_bin_body(&pk, f->value.u.blob.ptr,
                                      f->value.u.blob.len);
                break;
            }
        }
        if (r->has_wall_ns)
            msgpack_pack_int64(&pk, r->wall_ns);
    }
}

static void peer_encode(void *arg)
{
    (void)arg;
    peer_encode_once();
    bench_consume(sbuf.size);
}

static void peer_fail(void)
{
    fprintf(stderr, "encoding_canon: msgpack-c unpack failed\n");
    exit(1);
}

/* A str or bin object copied into the arena, as our decoder copies. */
static const void *copy(const void *p, size_t n)
{
    void *q = NULL;
    if (n == 0)
        return NULL;
    if (v_alloc_bytes(&arena.base, n, 1, &q) != V_OK)
        peer_fail();
    memcpy(q, p, n);
    return q;
}

static void peer_record(const msgpack_object *o, record *r)
{
    if (o->type != MSGPACK_OBJECT_ARRAY || o->via.array.size < 5)
        peer_fail();
    const msgpack_object *a = o->via.array.ptr;
    if (a[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
        a[1].type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
        a[2].type != MSGPACK_OBJECT_STR || a[3].type != MSGPACK_OBJECT_STR ||
        a[4].type != MSGPACK_OBJECT_ARRAY)
        peer_fail();
    memset(r, 0, sizeof *r);
    r->time_ns = a[0].via.u64;
    r->level = (vectra_log_Level)a[1].via.u64;
    r->task = (v_schema_str){copy(a[2].via.str.ptr, a[2].via.str.size),
                             a[2].via.str.size};
    r->text = (v_schema_str){copy(a[3].via.str.ptr, a[3].via.str.size),
                             a[3].via.str.size};
    size_t n = a[4].via.array.size;
    void *items = NULL;
    if (n && v_alloc_array(&arena.base, sizeof(vectra_log_Field),
                           _Alignof(vectra_log_Field), n, &items) != V_OK)
        peer_fail();
    r->fields.items = items;
    r->fields.count = n;
    for (size_t k = 0; k < n; k++) {
        const msgpack_object *fo = &a[4].via.array.ptr[k];
        vectra_log_Field *f = &r->fields.items[k];
        if (fo->type != MSGPACK_OBJECT_ARRAY || fo->via.array.size != 3)
            peer_fail();
        const msgpack_object *fa = fo->via.array.ptr;
        if (fa[0].type != MSGPACK_OBJECT_STR)
            peer_fail();
        f->key = (v_schema_str){copy(fa[0].via.str.ptr, fa[0].via.str.size),
                                fa[0].via.str.size};
        f->value.tag = (vectra_log_Value_tag)fa[1].via.u64;
        const msgpack_object *v = &fa[2];
        switch (f->value.tag) {
        case VECTRA_LOG_VALUE_TEXT:
            f->value.u.text = (v_schema_str){copy(v->via.str.ptr,
                                                  v->via.str.size),
                                             v->via.str.size};
            break;
        case VECTRA_LOG_VALUE_INTEGER: f->value.u.integer = v->via.i64; break;
        case VECTRA_LOG_VALUE_NATURAL: f->value.u.natural = v->via.u64; break;
        case VECTRA_LOG_VALUE_FLAG: f->value.u.flag = v->via.boolean; break;
        default:
            f->value.u.blob = (v_schema_bytes){copy(v->via.bin.ptr,
                                                    v->via.bin.size),
                                               v->via.bin.size};
            break;
        }
    }
    if (o->via.array.size == 6) {
        r->has_wall_ns = true;
        r->wall_ns = a[5].via.i64;
    }
}

static void peer_decode(void *arg)
{
    (void)arg;
    uint64_t sum = 0;
    size_t off = 0;
    msgpack_zone_clear(&zone);
    v_arena_reset(&arena);
    for (size_t i = 0; i < RECORDS; i++) {
        msgpack_object obj;
        msgpack_unpack_return rc = msgpack_unpack((const char *)sbuf.data,
                                                  sbuf.size, &off, &zone,
                                                  &obj);
        if (rc != MSGPACK_UNPACK_SUCCESS && rc != MSGPACK_UNPACK_EXTRA_BYTES)
            peer_fail();
        peer_record(&obj, &dec[i]);
        sum += dec[i].time_ns + dec[i].fields.count;
    }
    if (off != sbuf.size)
        peer_fail();
    bench_consume(sum);
}

int main(void)
{
    make_records();
    out_cap = 64u << 20;
    out = malloc(out_cap);
    offs = malloc((RECORDS + 1) * sizeof *offs);
    dec = calloc(RECORDS, sizeof *dec);
    doc_len = ours_encode_once();
    doc = malloc(doc_len);
    memcpy(doc, out, doc_len);
    arena_cap = 32u * doc_len + (1u << 20);
    arena_mem = malloc(arena_cap);
    if (!arena_mem || v_arena_init(&arena, arena_mem, arena_cap) != V_OK)
        return 1;
    msgpack_sbuffer_init(&sbuf);
    msgpack_zone_init(&zone, 1u << 16);
    peer_encode_once();

    /* Both decoders must give back the records they were given. */
    ours_decode(NULL);
    for (size_t i = 0; i < RECORDS; i++)
        if (!vectra_log_Record_equal(&recs[i], &dec[i])) {
            fprintf(stderr, "encoding_canon: ours decoded %zu wrong\n", i);
            return 1;
        }
    peer_decode(NULL);
    for (size_t i = 0; i < RECORDS; i++)
        if (!vectra_log_Record_equal(&recs[i], &dec[i])) {
            fprintf(stderr, "encoding_canon: peer decoded %zu wrong\n", i);
            return 1;
        }

    printf("# canon: %d log records (schemas/log.vs): canonical binary "
           "%zu bytes, msgpack-c positional arrays %zu bytes\n",
           RECORDS, doc_len, sbuf.size);
    printf("# canon: both sides scalar C, no SIMD (ours: generated code "
           "at -O2 over libv; UTF-8 checked by libv's validator); decode "
           "copies strings into an arena on both sides\n");
    double o = bench_median_ns(ours_encode, NULL, WARMUP, REPS);
    double p = bench_median_ns(peer_encode, NULL, WARMUP, REPS);
    printf("# canon_encode: MB/s of each side's own output: ours=%.1f "
           "msgpack-c=%.1f\n", bench_mb_per_s(doc_len, o),
           bench_mb_per_s(sbuf.size, p));
    bench_report("canon_encode", "records/s", RECORDS / (o / 1e9),
                 "msgpack-c", RECORDS / (p / 1e9));
    o = bench_median_ns(ours_decode, NULL, WARMUP, REPS);
    p = bench_median_ns(peer_decode, NULL, WARMUP, REPS);
    printf("# canon_decode: MB/s of each side's own input: ours=%.1f "
           "msgpack-c=%.1f\n", bench_mb_per_s(doc_len, o),
           bench_mb_per_s(sbuf.size, p));
    bench_report("canon_decode", "records/s", RECORDS / (o / 1e9),
                 "msgpack-c", RECORDS / (p / 1e9));
    msgpack_zone_destroy(&zone);
    msgpack_sbuffer_destroy(&sbuf);
    return 0;
}
