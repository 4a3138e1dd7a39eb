/* fuzz_codecs.c — the fuzz targets' shared allocator and codec table
 * (fuzz_codecs.h). */
#include <stdlib.h>

#include "fuzz_codecs.h"

static v_status c_alloc(v_alloc *self, size_t size, size_t align, void **out)
{
    CHECK(size > 0 && align <= 16);
    *out = malloc(size);
    if (!*out)
        return V_ERR_NO_MEMORY;
    ((fuzz_alloc *)self)->live += size;
    return V_OK;
}

static v_status c_resize(v_alloc *self, void *p, size_t o, size_t n,
                         size_t align, void **out)
{
    (void)self; (void)p; (void)o; (void)n; (void)align; (void)out;
    CHECK(0); /* the decoders never resize */
    return V_ERR_NOT_SUPPORTED;
}

static void c_free(v_alloc *self, void *p, size_t size)
{
    if (!p)
        return;
    CHECK(((fuzz_alloc *)self)->live >= size);
    ((fuzz_alloc *)self)->live -= size;
    free(p);
}

static const v_alloc_ops ops = {c_alloc, c_resize, c_free};

fuzz_alloc fuzz_alloc_make(void)
{
    fuzz_alloc a = {{&ops}, 0};
    return a;
}

#define CHECKS(T)                                                         \
    (v_status (*)(const void *, v_encoding_error *))                      \
        vstest_all_##T##_validate,                                        \
    (bool (*)(const void *, const void *))vstest_all_##T##_equal,         \
    (void (*)(v_alloc *, void *))vstest_all_##T##_free
/* Structs and unions have all three forms. */
#define TEXT(T)                                                           \
    {#T,                                                                  \
     {(fuzz_enc_fn)vstest_all_##T##_encode,                               \
      (fuzz_enc_fn)vstest_all_##T##_encode_json,                          \
      (fuzz_enc_fn)vstest_all_##T##_encode_msgpack},                      \
     {(fuzz_dec_fn)vstest_all_##T##_decode,                               \
      (fuzz_dec_fn)vstest_all_##T##_decode_json,                          \
      (fuzz_dec_fn)vstest_all_##T##_decode_msgpack},                      \
     CHECKS(T)}
/* Messages only the binary one. */
#define MESSAGE(T)                                                        \
    {#T,                                                                  \
     {(fuzz_enc_fn)vstest_all_##T##_encode, NULL, NULL},                  \
     {(fuzz_dec_fn)vstest_all_##T##_decode, NULL, NULL},                  \
     CHECKS(T)}

const fuzz_codec fuzz_codecs[FUZZ_N_CODECS] = {
    [FUZZ_POINT] = TEXT(Point),
    [FUZZ_SHAPE] = TEXT(Shape),
    [FUZZ_SCALARS] = TEXT(Scalars),
    [FUZZ_ALL] = TEXT(All),
    [FUZZ_TRANSFER] = MESSAGE(Transfer),
};
