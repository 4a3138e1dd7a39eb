/* Argon2id, RFC 9106 (version 0x13), portable C, single-threaded.
 *
 * Side channels: Argon2id is a hybrid by design. The first half of the
 * first pass picks reference blocks from a counter (data-independent, like
 * Argon2i); after that the choice depends on memory contents (like
 * Argon2d), so memory access patterns there do depend on the password.
 * That is the algorithm's trade-off, not an implementation leak; the
 * arithmetic itself has no secret-dependent branches. All memory,
 * including scratch blocks and H0, is wiped before returning. */
#include <v/crypto.h>
#include <v/mem.h>

#include "blake2b.h"
#include "bytes.h"

enum { QWORDS = 128, BLOCK_BYTES = 1024, SYNC_POINTS = 4, TYPE_ID = 2,
       VERSION = 0x13 };

typedef struct block {
    uint64_t v[QWORDS];
} block;

/* The scratch blocks live in the caller-provided allocation too, so the
 * kernel stack never holds 4 KiB of Argon2 state. */
typedef struct scratch {
    block r, tmp, input, address, zero_pass;
} scratch;

static uint64_t fblamka(uint64_t x, uint64_t y)
{
    return x + y + 2 * (uint64_t)(uint32_t)x * (uint32_t)y;
}

#define GB(a, b, c, d)                              \
    do {                                            \
        v[a] = fblamka(v[a], v[b]);                 \
        v[d] = v_rotr64(v[d] ^ v[a], 32);           \
        v[c] = fblamka(v[c], v[d]);                 \
        v[b] = v_rotr64(v[b] ^ v[c], 24);           \
        v[a] = fblamka(v[a], v[b]);                 \
        v[d] = v_rotr64(v[d] ^ v[a], 16);           \
        v[c] = fblamka(v[c], v[d]);                 \
        v[b] = v_rotr64(v[b] ^ v[c], 63);           \
    } while (0)

/* The permutation P over 16 words of a block, given by their indices.
 * Used with constant indices only (below), so the compiler keeps the 16
 * words in registers. */
#define P(i0, i1, i2, i3, i4, i5, i6, i7, i8, i9, i10, i11, i12, i13, i14, \
          i15)                                                            \
    do {                                                                  \
        uint64_t v[16] = {b[i0], b[i1], b[i2], b[i3], b[i4], b[i5],       \
                          b[i6], b[i7], b[i8], b[i9], b[i10], b[i11],     \
                          b[i12], b[i13], b[i14], b[i15]};                \
        GB(0, 4, 8, 12);                                                  \
        GB(1, 5, 9, 13);                                                  \
        GB(2, 6, 10, 14);                                                 \
        GB(3, 7, 11, 15);                                                 \
        GB(0, 5, 10, 15);                                                 \
        GB(1, 6, 11, 12);                                                 \
        GB(2, 7, 8, 13);                                                  \
        GB(3, 4, 9, 14);                                                  \
        b[i0] = v[0]; b[i1] = v[1]; b[i2] = v[2]; b[i3] = v[3];           \
        b[i4] = v[4]; b[i5] = v[5]; b[i6] = v[6]; b[i7] = v[7];           \
        b[i8] = v[8]; b[i9] = v[9]; b[i10] = v[10]; b[i11] = v[11];       \
        b[i12] = v[12]; b[i13] = v[13]; b[i14] = v[14]; b[i15] = v[15];   \
    } while (0)

/* Rows: 16 consecutive words. */
static void permute_row(uint64_t *b)
{
    P(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}

/* Columns: the 16-byte register i of each of the 8 rows, i.e. words 2i
 * and 2i + 1 of every row (b points at word 2i of row 0). */
static void permute_column(uint64_t *b)
{
    P(0, 1, 16, 17, 32, 33, 48, 49, 64, 65, 80, 81, 96, 97, 112, 113);
}

/* next = G(prev, ref), or next ^= G(prev, ref) on later passes. */
static void fill_block(const block *prev, const block *ref, block *next,
                       int with_xor, scratch *s)
{
    block *r = &s->r, *tmp = &s->tmp;
    for (int i = 0; i < QWORDS; i++)
        r->v[i] = tmp->v[i] = prev->v[i] ^ ref->v[i];
    if (with_xor) {
        for (int i = 0; i < QWORDS; i++)
            tmp->v[i] ^= next->v[i];
    }
    for (int row = 0; row < 8; row++)
        permute_row(r->v + 16 * row);
    for (int col = 0; col < 8; col++)
        permute_column(r->v + 2 * col);
    for (int i = 0; i < QWORDS; i++)
        next->v[i] = r->v[i] ^ tmp->v[i];
}

/* H' (RFC 9106 §3.3): variable-length hash built from BLAKE2b. */
static void hprime(uint8_t *out, uint32_t out_len, const uint8_t *in,
                   size_t in_len)
{
    uint8_t len_le[4], v[64];
    blake2b_ctx c;
    v_store32_le(len_le, out_len);
    if (out_len <= 64) {
        blake2b_init(&c, out_len);
        blake2b_update(&c, len_le, 4);
        blake2b_update(&c, in, in_len);
        blake2b_final(&c, out);
        return;
    }
    blake2b_init(&c, 64);
    blake2b_update(&c, len_le, 4);
    blake2b_update(&c, in, in_len);
    blake2b_final(&c, v);
    /* Emit the first half of V_1 .. V_r, then V_{r+1}, a BLAKE2b of V_r
     * sized to finish exactly (r = ceil(T / 32) - 2). */
    uint32_t left = out_len;
    for (;;) {
        v_mem_copy(out, v, 32);
        out += 32;
        left -= 32;
        if (left <= 64)
            break;
        blake2b(v, 64, v, 64);
    }
    blake2b(out, left, v, 64);
    v_mem_wipe(v, sizeof v);
}

static void load_block(block *b, const uint8_t bytes[BLOCK_BYTES])
{
    for (int i = 0; i < QWORDS; i++)
        b->v[i] = v_load64_le(bytes + 8 * i);
}

struct instance {
    block *mem;
    scratch *s;
    uint32_t passes, lanes, lane_len, seg_len, blocks;
};

static void next_addresses(struct instance *in)
{
    static const block zero;
    scratch *s = in->s;
    s->input.v[6]++;
    fill_block(&zero, &s->input, &s->zero_pass, 0, s);
    fill_block(&zero, &s->zero_pass, &s->address, 0, s);
}

/* RFC 9106 §3.4.1.2: map J1 into the blocks this position may reference. */
static uint32_t index_alpha(const struct instance *in, uint32_t pass,
                            uint32_t slice, uint32_t index, uint32_t j1,
                            int same_lane)
{
    uint32_t area;
    if (pass == 0) {
        if (slice == 0)
            area = index - 1;
        else if (same_lane)
            area = slice * in->seg_len + index - 1;
        else
            area = slice * in->seg_len - (index == 0 ? 1 : 0);
    } else {
        if (same_lane)
            area = in->lane_len - in->seg_len + index - 1;
        else
            area = in->lane_len - in->seg_len - (index == 0 ? 1 : 0);
    }
    uint64_t x = ((uint64_t)j1 * j1) >> 32;
    uint64_t y = ((uint64_t)area * x) >> 32;
    uint32_t rel = (uint32_t)(area - 1 - y);
    uint32_t start = 0;
    if (pass != 0 && slice != SYNC_POINTS - 1)
        start = (slice + 1) * in->seg_len;
    return (uint32_t)(((uint64_t)start + rel) % in->lane_len);
}

static void fill_segment(struct instance *in, uint32_t pass, uint32_t lane,
                         uint32_t slice)
{
    scratch *s = in->s;
    int independent = pass == 0 && slice < SYNC_POINTS / 2;
    uint32_t first = 0;
    if (independent) {
        v_mem_set(&s->input, 0, sizeof s->input);
        s->input.v[0] = pass;
        s->input.v[1] = lane;
        s->input.v[2] = slice;
        s->input.v[3] = in->blocks;
        s->input.v[4] = in->passes;
        s->input.v[5] = TYPE_ID;
    }
    if (pass == 0 && slice == 0) {
        first = 2; /* blocks 0 and 1 come from H0 */
        if (independent)
            next_addresses(in);
    }
    for (uint32_t i = first; i < in->seg_len; i++) {
        uint32_t col = slice * in->seg_len + i;
        uint32_t cur = lane * in->lane_len + col;
        uint32_t prev = col == 0 ? cur + in->lane_len - 1 : cur - 1;
        uint64_t pseudo;
        if (independent) {
            if (i % QWORDS == 0)
                next_addresses(in);
            pseudo = s->address.v[i % QWORDS];
        } else {
            pseudo = in->mem[prev].v[0];
        }
        uint32_t ref_lane = (uint32_t)((pseudo >> 32) % in->lanes);
        if (pass == 0 && slice == 0)
            ref_lane = lane;
        uint32_t ref_col = index_alpha(in, pass, slice, i, (uint32_t)pseudo,
                                       ref_lane == lane);
        fill_block(&in->mem[prev], &in->mem[ref_lane * in->lane_len + ref_col],
                   &in->mem[cur], pass != 0, s);
    }
}

static void le32(blake2b_ctx *c, uint32_t x)
{
    uint8_t b[4];
    v_store32_le(b, x);
    blake2b_update(c, b, 4);
}

v_status v_argon2id(uint8_t *out, size_t out_len, const void *pwd,
                    size_t pwd_len, const void *salt, size_t salt_len,
                    const v_argon2_params *p, v_alloc *alloc)
{
    if (p == NULL || alloc == NULL || out == NULL)
        return V_ERR_INVALID_ARGS;
    if (p->t_cost < V_ARGON2_MIN_T || p->t_cost > V_ARGON2_MAX_T ||
        p->lanes < V_ARGON2_MIN_LANES || p->lanes > V_ARGON2_MAX_LANES ||
        p->m_cost_kib < 8 * p->lanes || p->m_cost_kib > V_ARGON2_MAX_M_KIB)
        return V_ERR_INVALID_ARGS;
    if (out_len < V_ARGON2_MIN_OUT || out_len > V_ARGON2_MAX_INPUT ||
        salt_len < V_ARGON2_MIN_SALT || salt_len > V_ARGON2_MAX_INPUT ||
        pwd_len > V_ARGON2_MAX_INPUT ||
        p->secret_len > V_ARGON2_MAX_INPUT || p->ad_len > V_ARGON2_MAX_INPUT)
        return V_ERR_INVALID_ARGS;
    if ((pwd == NULL && pwd_len) || salt == NULL ||
        (p->secret == NULL && p->secret_len) || (p->ad == NULL && p->ad_len))
        return V_ERR_INVALID_ARGS;

    struct instance in;
    in.passes = p->t_cost;
    in.lanes = p->lanes;
    /* m' = 4p * floor(m / 4p): whole segments in every lane. */
    in.blocks = p->m_cost_kib / (SYNC_POINTS * p->lanes) * SYNC_POINTS *
                p->lanes;
    in.lane_len = in.blocks / p->lanes;
    in.seg_len = in.lane_len / SYNC_POINTS;
    uint64_t bytes = (uint64_t)in.blocks * BLOCK_BYTES + sizeof(scratch);
    if (bytes > (uint64_t)(size_t)-1)
        return V_ERR_NO_MEMORY;
    void *mem;
    v_status st = v_alloc_bytes(alloc, (size_t)bytes, _Alignof(block), &mem);
    if (st != V_OK)
        return st;
    in.mem = mem;
    in.s = (scratch *)(in.mem + in.blocks);

    /* H0 (§3.2). */
    uint8_t h0[72], blockbytes[BLOCK_BYTES];
    blake2b_ctx c;
    blake2b_init(&c, 64);
    le32(&c, p->lanes);
    le32(&c, (uint32_t)out_len);
    le32(&c, p->m_cost_kib);
    le32(&c, p->t_cost);
    le32(&c, VERSION);
    le32(&c, TYPE_ID);
    le32(&c, (uint32_t)pwd_len);
    blake2b_update(&c, pwd, pwd_len);
    le32(&c, (uint32_t)salt_len);
    blake2b_update(&c, salt, salt_len);
    le32(&c, (uint32_t)p->secret_len);
    blake2b_update(&c, p->secret, p->secret_len);
    le32(&c, (uint32_t)p->ad_len);
    blake2b_update(&c, p->ad, p->ad_len);
    blake2b_final(&c, h0);

    /* First two blocks of each lane: H'(H0 || LE32(column) || LE32(lane)). */
    for (uint32_t l = 0; l < in.lanes; l++) {
        for (uint32_t col = 0; col < 2; col++) {
            v_store32_le(h0 + 64, col);
            v_store32_le(h0 + 68, l);
            hprime(blockbytes, BLOCK_BYTES, h0, sizeof h0);
            load_block(&in.mem[l * in.lane_len + col], blockbytes);
        }
    }

    for (uint32_t pass = 0; pass < in.passes; pass++)
        for (uint32_t slice = 0; slice < SYNC_POINTS; slice++)
            for (uint32_t l = 0; l < in.lanes; l++)
                fill_segment(&in, pass, l, slice);

    /* C = XOR of every lane's last block; tag = H'(C). */
    block *final = &in.s->r;
    *final = in.mem[in.lane_len - 1];
    for (uint32_t l = 1; l < in.lanes; l++)
        for (int i = 0; i < QWORDS; i++)
            final->v[i] ^= in.mem[l * in.lane_len + in.lane_len - 1].v[i];
    for (int i = 0; i < QWORDS; i++)
        v_store64_le(blockbytes + 8 * i, final->v[i]);
    hprime(out, (uint32_t)out_len, blockbytes, sizeof blockbytes);

    v_mem_wipe(h0, sizeof h0);
    v_mem_wipe(blockbytes, sizeof blockbytes);
    v_mem_wipe(mem, (size_t)bytes);
    v_alloc_free(alloc, mem, (size_t)bytes);
    return V_OK;
}
