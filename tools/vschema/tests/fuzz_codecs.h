/* fuzz_codecs.h — what the fuzz targets over the code generated from
 * tests/all.vs share (tests/fuzz/vschema_decode.c, vcodec_interp.c): a
 * trap for a broken invariant, an allocator that counts what is live, and
 * the generated codecs of each top-level type behind one shape, so that a
 * target picks a type and a format from its input instead of spelling
 * out one function per pair. */
#ifndef VSCHEMA_FUZZ_CODECS_H
#define VSCHEMA_FUZZ_CODECS_H

#include "all.h"

#define CHECK(c) do { if (!(c)) __builtin_trap(); } while (0)

/* malloc underneath, counting the bytes live; resizing traps (the
 * decoders never resize), and so does freeing more than is live. */
typedef struct fuzz_alloc {
    v_alloc base;
    size_t live;
} fuzz_alloc;
fuzz_alloc fuzz_alloc_make(void);

/* Formats, in vs_format's order (value.h). */
enum { FUZZ_BINARY, FUZZ_JSON, FUZZ_MSGPACK, FUZZ_N_FORMATS };

typedef v_status (*fuzz_enc_fn)(const void *v, void *buf, size_t cap,
                                size_t *len, v_encoding_error *err);
typedef v_status (*fuzz_dec_fn)(const void *buf, size_t len, unsigned flags,
                                v_alloc *a, void *out, v_encoding_error *err);

typedef struct fuzz_codec {
    const char *name;                /* the type's bare name */
    fuzz_enc_fn enc[FUZZ_N_FORMATS]; /* NULL: no such form */
    fuzz_dec_fn dec[FUZZ_N_FORMATS];
    v_status (*validate)(const void *v, v_encoding_error *err);
    bool (*equal)(const void *v, const void *w);
    void (*free)(v_alloc *a, void *v);
} fuzz_codec;

/* Indexes into fuzz_codecs; the targets' seed corpora depend on them. */
enum {
    FUZZ_POINT, FUZZ_SHAPE, FUZZ_SCALARS, FUZZ_ALL, FUZZ_TRANSFER,
    FUZZ_N_CODECS
};
extern const fuzz_codec fuzz_codecs[FUZZ_N_CODECS];

/* Room for a value of any of them. */
typedef union fuzz_value {
    vstest_all_Point point;
    vstest_all_Shape shape;
    vstest_all_Scalars scalars;
    vstest_all_All all;
    vstest_all_Transfer transfer;
} fuzz_value;

#endif
