/* BLAKE3, portable C, written from the BLAKE3 specification.
 *
 * The input is split into 1 KiB chunks, each hashed into a chaining value
 * (CV) by compressing its 64-byte blocks in turn; CVs are merged pairwise
 * into a binary tree whose root, compressed with the ROOT flag and a block
 * counter, yields as many output bytes as wanted.
 *
 * Incremental hashing keeps a stack of subtree CVs. Two rules keep it
 * exact: the last block seen is never compressed until more input arrives
 * (it may need CHUNK_END or ROOT), and a finished chunk's CV is pushed only
 * when a later chunk has started, merging while the chunk count is even,
 * so a merged parent is never the root.
 *
 * Whole chunks that are known not to be last can be hashed several at a
 * time by the vector paths in blake3_simd.c (the hasher's `impl` says
 * which); each gives exactly the CVs this file's compress() would.
 *
 * Constant time: ARX only, fixed message schedule, no data-dependent
 * branches or indices (lengths are public). */
#include <v/crypto.h>
#include <v/mem.h>

#include "blake3_impl.h"
#include "bytes.h"

enum {
    CHUNK_START = B3_CHUNK_START,
    CHUNK_END = B3_CHUNK_END,
    PARENT = B3_PARENT,
    ROOT = B3_ROOT,
    KEYED_HASH = B3_KEYED_HASH,
    DERIVE_KEY_CONTEXT = B3_DERIVE_KEY_CONTEXT,
    DERIVE_KEY_MATERIAL = B3_DERIVE_KEY_MATERIAL,
};

const uint32_t v_blake3_iv[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};
#define IV v_blake3_iv

/* The message word order for each of the 7 rounds: round r+1 applies the
 * specification's permutation (2,6,3,10,7,0,4,13,1,11,12,5,9,14,15,8) to
 * round r's order. Precomputed so no words are moved at run time. */
const uint8_t v_blake3_schedule[7][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8},
    {3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1},
    {10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6},
    {12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4},
    {9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7},
    {11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13},
};

#define G(a, b, c, d, x, y)                  \
    do {                                     \
        s[a] = s[a] + s[b] + (x);            \
        s[d] = v_rotr32(s[d] ^ s[a], 16);    \
        s[c] = s[c] + s[d];                  \
        s[b] = v_rotr32(s[b] ^ s[c], 12);    \
        s[a] = s[a] + s[b] + (y);            \
        s[d] = v_rotr32(s[d] ^ s[a], 8);     \
        s[c] = s[c] + s[d];                  \
        s[b] = v_rotr32(s[b] ^ s[c], 7);     \
    } while (0)

/* Working memory for compressions, owned by the public entry point and
 * wiped once when it returns (wiping inside every compression would cost
 * more than the compression). */
typedef struct scratch {
    uint32_t block[16];
    uint32_t out[16];
    uint32_t cv[8];
} scratch;

/* The compression function. The state is built directly in out (all 16
 * output words: the first 8 are the new CV, all 16 are output bytes for a
 * root block), so the function itself leaves nothing on the stack to
 * wipe. out must not alias cv or block. */
static void compress(const uint32_t cv[8], const uint32_t block[16],
                     uint64_t counter, uint32_t block_len, uint32_t flags,
                     uint32_t out[16])
{
    uint32_t *s = out;
    for (int i = 0; i < 8; i++)
        s[i] = cv[i];
    s[8] = IV[0];
    s[9] = IV[1];
    s[10] = IV[2];
    s[11] = IV[3];
    s[12] = (uint32_t)counter;
    s[13] = (uint32_t)(counter >> 32);
    s[14] = block_len;
    s[15] = flags;
    for (int r = 0; r < 7; r++) {
        const uint8_t *m = v_blake3_schedule[r];
        G(0, 4, 8, 12, block[m[0]], block[m[1]]);
        G(1, 5, 9, 13, block[m[2]], block[m[3]]);
        G(2, 6, 10, 14, block[m[4]], block[m[5]]);
        G(3, 7, 11, 15, block[m[6]], block[m[7]]);
        G(0, 5, 10, 15, block[m[8]], block[m[9]]);
        G(1, 6, 11, 12, block[m[10]], block[m[11]]);
        G(2, 7, 8, 13, block[m[12]], block[m[13]]);
        G(3, 4, 9, 14, block[m[14]], block[m[15]]);
    }
    for (int i = 0; i < 8; i++) {
        s[i] ^= s[i + 8];
        s[i + 8] ^= cv[i];
    }
}

static void load_block(uint32_t w[16], const uint8_t *p)
{
    for (int i = 0; i < 16; i++)
        w[i] = v_load32_le(p + 4 * i);
}

/* Compresses a block into the CV in place (a non-final chunk block). */
static void compress_in_place(uint32_t cv[8], const uint8_t *p,
                              uint64_t counter, uint32_t flags, scratch *x)
{
    load_block(x->block, p);
    compress(cv, x->block, counter, V_BLAKE3_BLOCK_LEN, flags, x->out);
    for (int i = 0; i < 8; i++)
        cv[i] = x->out[i];
}

/* cv = parent(left, right). cv may alias right. */
static void parent_cv(const uint32_t left[8], const uint32_t right[8],
                      const uint32_t key[8], uint32_t flags, uint32_t cv[8],
                      scratch *x)
{
    for (int i = 0; i < 8; i++) {
        x->block[i] = left[i];
        x->block[i + 8] = right[i];
    }
    compress(key, x->block, 0, V_BLAKE3_BLOCK_LEN, flags | PARENT, x->out);
    for (int i = 0; i < 8; i++)
        cv[i] = x->out[i];
}

static void hasher_init(v_blake3_hasher *h, const uint32_t key[8],
                        uint8_t flags)
{
    for (int i = 0; i < 8; i++)
        h->key[i] = h->cv[i] = key[i];
    h->chunk_counter = 0;
    h->buf_len = 0;
    h->blocks_done = 0;
    h->flags = flags;
    h->stack_len = 0;
    h->impl = V_BLAKE3_IMPL_AUTO;
}

void v_blake3_init(v_blake3_hasher *h)
{
    hasher_init(h, IV, 0);
}

void v_blake3_init_keyed(v_blake3_hasher *h,
                         const uint8_t key[V_BLAKE3_KEY_LEN])
{
    uint32_t k[8];
    for (int i = 0; i < 8; i++)
        k[i] = v_load32_le(key + 4 * i);
    hasher_init(h, k, KEYED_HASH);
    v_mem_wipe(k, sizeof k);
}

void v_blake3_init_derive_key(v_blake3_hasher *h, const void *context,
                              size_t ctx_len)
{
    uint8_t ctx_key[V_BLAKE3_KEY_LEN];
    uint32_t k[8];
    hasher_init(h, IV, DERIVE_KEY_CONTEXT);
    v_blake3_update(h, context, ctx_len);
    v_blake3_finalize(h, ctx_key, sizeof ctx_key);
    for (int i = 0; i < 8; i++)
        k[i] = v_load32_le(ctx_key + 4 * i);
    hasher_init(h, k, DERIVE_KEY_MATERIAL);
    v_mem_wipe(ctx_key, sizeof ctx_key);
    v_mem_wipe(k, sizeof k);
}

/* Adds a finished chunk's CV to the stack. More input follows it, so
 * merging is safe: after chunk number c is done there are c + 1 chunks,
 * and each trailing zero bit of that count is a completed subtree. */
static void push_chunk_cv(v_blake3_hasher *h, uint32_t cv[8], scratch *x)
{
    uint64_t total = h->chunk_counter + 1;
    while ((total & 1) == 0) {
        h->stack_len--;
        parent_cv(h->stack[h->stack_len], cv, h->key, h->flags, cv, x);
        total >>= 1;
    }
    for (int i = 0; i < 8; i++)
        h->stack[h->stack_len][i] = cv[i];
    h->stack_len++;
    h->chunk_counter++;
}

/* The chunk in progress is full and more input follows: fold its CV into
 * the stack and start the next chunk. */
static void finish_chunk(v_blake3_hasher *h, scratch *x)
{
    uint32_t flags = h->flags | CHUNK_END |
                     (h->blocks_done == 0 ? CHUNK_START : 0);
    load_block(x->block, h->buf);
    compress(h->cv, x->block, h->chunk_counter, h->buf_len, flags, x->out);
    for (int i = 0; i < 8; i++)
        x->cv[i] = x->out[i];
    push_chunk_cv(h, x->cv, x);
    for (int i = 0; i < 8; i++)
        h->cv[i] = h->key[i];
    h->blocks_done = 0;
    h->buf_len = 0;
}

/* At a chunk boundary with more than `lanes` whole chunks still to come
 * after them: hash groups of chunks side by side. Returns bytes used. */
static size_t hash_whole_chunks(v_blake3_hasher *h, const uint8_t *p,
                                size_t n, scratch *x)
{
    size_t used = 0;
#if V_BLAKE3_SIMD
    /* AUTO is SSE2: part of x86-64, so no detection is needed. */
    size_t lanes = h->impl == V_BLAKE3_IMPL_AVX2       ? 8
                   : h->impl == V_BLAKE3_IMPL_PORTABLE ? 0
                                                        : 4;
    uint32_t cvs[8][8];
    /* Strictly more input must remain, so none of these is the root. */
    while (lanes && n - used > lanes * V_BLAKE3_CHUNK_LEN) {
        if (lanes == 8)
            v_blake3_hash8_avx2(p + used, h->key, h->chunk_counter,
                                h->flags, cvs);
        else if (h->impl == V_BLAKE3_IMPL_SSE41)
            v_blake3_hash4_sse41(p + used, h->key, h->chunk_counter,
                                 h->flags, (uint32_t(*)[8])cvs);
        else
            v_blake3_hash4_sse2(p + used, h->key, h->chunk_counter,
                                h->flags, (uint32_t(*)[8])cvs);
        for (size_t i = 0; i < lanes; i++)
            push_chunk_cv(h, cvs[i], x);
        used += lanes * V_BLAKE3_CHUNK_LEN;
    }
    v_mem_wipe(cvs, sizeof cvs);
#else
    (void)h;
    (void)p;
    (void)n;
    (void)x;
#endif
    return used;
}

void v_blake3_use_cpu(v_blake3_hasher *h, v_cpu_features cpu)
{
    h->impl = (uint8_t)v_blake3_impl_for_cpu(cpu);
}

v_status v_blake3_use_impl(v_blake3_hasher *h, int impl)
{
    if (impl < V_BLAKE3_IMPL_AUTO || impl > V_BLAKE3_IMPL_AVX2)
        return V_ERR_INVALID_ARGS;
    if (impl > V_BLAKE3_IMPL_PORTABLE && impl > v_blake3_detect_impl())
        return V_ERR_NOT_SUPPORTED;
    h->impl = (uint8_t)impl;
    return V_OK;
}

void v_blake3_update(v_blake3_hasher *h, const void *data, size_t n)
{
    const uint8_t *p = data;
    scratch x;
    if (n == 0)
        return;
    while (n > 0) {
        if (h->buf_len == V_BLAKE3_BLOCK_LEN) {
            /* The buffered block is not the last one: compress it. */
            if (h->blocks_done == V_BLAKE3_CHUNK_LEN / V_BLAKE3_BLOCK_LEN - 1) {
                finish_chunk(h, &x);
            } else {
                compress_in_place(h->cv, h->buf, h->chunk_counter,
                                  h->flags | (h->blocks_done == 0
                                                  ? CHUNK_START : 0), &x);
                h->blocks_done++;
                h->buf_len = 0;
            }
        }
        if (h->buf_len == 0 && h->blocks_done == 0 &&
            n > V_BLAKE3_CHUNK_LEN && h->impl != V_BLAKE3_IMPL_PORTABLE) {
            size_t used = hash_whole_chunks(h, p, n, &x);
            p += used;
            n -= used;
        }
        /* Whole blocks straight from the input, while each is known not
         * to be the last of its chunk nor of the input. */
        while (h->buf_len == 0 && n > V_BLAKE3_BLOCK_LEN &&
               h->blocks_done < V_BLAKE3_CHUNK_LEN / V_BLAKE3_BLOCK_LEN - 1) {
            compress_in_place(h->cv, p, h->chunk_counter,
                              h->flags | (h->blocks_done == 0 ? CHUNK_START
                                                              : 0), &x);
            h->blocks_done++;
            p += V_BLAKE3_BLOCK_LEN;
            n -= V_BLAKE3_BLOCK_LEN;
        }
        size_t take = V_BLAKE3_BLOCK_LEN - h->buf_len;
        if (take > n)
            take = n;
        v_mem_copy(h->buf + h->buf_len, p, take);
        h->buf_len = (uint8_t)(h->buf_len + take);
        p += take;
        n -= take;
    }
    v_mem_wipe(&x, sizeof x);
}

void v_blake3_output_init(const v_blake3_hasher *h, v_blake3_output *o)
{
    uint32_t cv[8], block[16], out[16];
    uint8_t last[V_BLAKE3_BLOCK_LEN] = {0};
    v_mem_copy(last, h->buf, h->buf_len);
    load_block(block, last);
    for (int i = 0; i < 8; i++)
        cv[i] = h->cv[i];
    uint64_t counter = h->chunk_counter;
    uint32_t block_len = h->buf_len;
    uint32_t flags = h->flags | CHUNK_END |
                     (h->blocks_done == 0 ? CHUNK_START : 0);
    /* Fold the stack from the top: each step turns the node so far into
     * the right child of a parent. */
    for (size_t i = h->stack_len; i-- > 0;) {
        compress(cv, block, counter, block_len, flags, out);
        for (int j = 0; j < 8; j++) {
            block[j] = h->stack[i][j];
            block[j + 8] = out[j];
            cv[j] = h->key[j];
        }
        counter = 0;
        block_len = V_BLAKE3_BLOCK_LEN;
        flags = h->flags | PARENT;
    }
    for (int i = 0; i < 8; i++)
        o->cv[i] = cv[i];
    for (int i = 0; i < 16; i++)
        o->block[i] = block[i];
    o->block_len = (uint8_t)block_len;
    o->flags = (uint8_t)(flags | ROOT);
    o->position = 0;
    v_mem_wipe(cv, sizeof cv);
    v_mem_wipe(block, sizeof block);
    v_mem_wipe(out, sizeof out);
    v_mem_wipe(last, sizeof last);
}

void v_blake3_output_seek(v_blake3_output *o, uint64_t position)
{
    o->position = position;
}

void v_blake3_output_read(v_blake3_output *o, uint8_t *out, size_t n)
{
    uint32_t words[16];
    uint8_t bytes[V_BLAKE3_BLOCK_LEN];
    while (n > 0) {
        uint64_t counter = o->position / V_BLAKE3_BLOCK_LEN;
        size_t skip = (size_t)(o->position % V_BLAKE3_BLOCK_LEN);
        compress(o->cv, o->block, counter, o->block_len, o->flags, words);
        for (int i = 0; i < 16; i++)
            v_store32_le(bytes + 4 * i, words[i]);
        size_t take = V_BLAKE3_BLOCK_LEN - skip;
        if (take > n)
            take = n;
        v_mem_copy(out, bytes + skip, take);
        out += take;
        n -= take;
        o->position += take;
    }
    v_mem_wipe(words, sizeof words);
    v_mem_wipe(bytes, sizeof bytes);
}

void v_blake3_finalize_seek(const v_blake3_hasher *h, uint64_t offset,
                            uint8_t *out, size_t out_len)
{
    v_blake3_output o;
    v_blake3_output_init(h, &o);
    v_blake3_output_seek(&o, offset);
    v_blake3_output_read(&o, out, out_len);
    v_mem_wipe(&o, sizeof o);
}

void v_blake3_finalize(const v_blake3_hasher *h, uint8_t *out,
                       size_t out_len)
{
    v_blake3_finalize_seek(h, 0, out, out_len);
}

void v_blake3_wipe(v_blake3_hasher *h)
{
    v_mem_wipe(h, sizeof *h);
}

void v_blake3(const void *data, size_t n, uint8_t *out, size_t out_len)
{
    v_blake3_hasher h;
    v_blake3_init(&h);
    v_blake3_update(&h, data, n);
    v_blake3_finalize(&h, out, out_len);
    v_blake3_wipe(&h);
}

void v_blake3_keyed(const uint8_t key[V_BLAKE3_KEY_LEN], const void *data,
                    size_t n, uint8_t *out, size_t out_len)
{
    v_blake3_hasher h;
    v_blake3_init_keyed(&h, key);
    v_blake3_update(&h, data, n);
    v_blake3_finalize(&h, out, out_len);
    v_blake3_wipe(&h);
}

void v_blake3_derive_key(const void *context, size_t ctx_len,
                         const void *material, size_t n, uint8_t *out,
                         size_t out_len)
{
    v_blake3_hasher h;
    v_blake3_init_derive_key(&h, context, ctx_len);
    v_blake3_update(&h, material, n);
    v_blake3_finalize(&h, out, out_len);
    v_blake3_wipe(&h);
}
