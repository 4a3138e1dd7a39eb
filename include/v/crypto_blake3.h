/* v/crypto_blake3.h — BLAKE3 (the BLAKE3 specification, 2020): hash, keyed
 * hash, key derivation and extendable output, incrementally or one-shot.
 * Included by v/crypto.h.
 *
 * A hasher is a plain value (about 1.9 KiB, most of it the stack of
 * subtree chaining values, enough for 2^64 bytes of input). Finalizing
 * does not change the hasher, so more input may follow and finalizing
 * again gives the hash of the longer input. A keyed or derive-key hasher
 * holds key material: wipe it with v_blake3_wipe when done. */
#ifndef V_CRYPTO_BLAKE3_H
#define V_CRYPTO_BLAKE3_H

#include <stddef.h>
#include <stdint.h>
#include <v/cpu.h>
#include <v/status.h>

#define V_BLAKE3_OUT_LEN 32
#define V_BLAKE3_KEY_LEN 32
#define V_BLAKE3_BLOCK_LEN 64
#define V_BLAKE3_CHUNK_LEN 1024
#define V_BLAKE3_MAX_DEPTH 54 /* 2^54 chunks of 2^10 bytes = 2^64 bytes */

typedef struct v_blake3_hasher {
    uint32_t key[8];          /* IV, the key, or the derived context key */
    uint32_t cv[8];           /* chaining value of the chunk in progress */
    uint64_t chunk_counter;   /* index of the chunk in progress */
    uint8_t buf[V_BLAKE3_BLOCK_LEN];
    uint8_t buf_len;          /* bytes waiting in buf (0..64) */
    uint8_t blocks_done;      /* blocks of this chunk compressed (0..15) */
    uint8_t flags;            /* mode flags: keyed, derive-key */
    uint8_t stack_len;
    uint8_t impl;             /* V_BLAKE3_IMPL_*, AUTO until first needed */
    uint32_t stack[V_BLAKE3_MAX_DEPTH][8]; /* CVs of finished subtrees */
} v_blake3_hasher;

/* Implementations; every one gives identical output. AUTO (what init
 * sets) is the best one that needs no CPU detection: SSE2 on x86-64
 * builds with SSE (SSE2 is part of x86-64), else portable. For SSE4.1 or
 * AVX2, pass the program's v_cpu_detect() answer (v/cpu.h) to
 * v_blake3_use_cpu after init. */
enum {
    V_BLAKE3_IMPL_AUTO = 0,
    V_BLAKE3_IMPL_PORTABLE = 1,
    V_BLAKE3_IMPL_SSE2 = 2,  /* 4 chunks at a time */
    V_BLAKE3_IMPL_SSE41 = 3, /* 4 chunks at a time */
    V_BLAKE3_IMPL_AVX2 = 4,  /* 8 chunks at a time */
};

/* An output reader: the root node, from which any span of the (2^64-byte)
 * output stream can be produced. Seeking is free. */
typedef struct v_blake3_output {
    uint32_t cv[8];
    uint32_t block[16];
    uint8_t block_len;
    uint8_t flags;
    uint64_t position;        /* next output byte to produce */
} v_blake3_output;

void v_blake3_init(v_blake3_hasher *h);
void v_blake3_init_keyed(v_blake3_hasher *h,
                         const uint8_t key[V_BLAKE3_KEY_LEN]);
/* The context should be a hard-coded, globally unique, application-specific
 * string (see the BLAKE3 paper); ctx_len bytes of it are used. */
void v_blake3_init_derive_key(v_blake3_hasher *h, const void *context,
                              size_t ctx_len);
void v_blake3_update(v_blake3_hasher *h, const void *data, size_t n);
/* Writes out_len bytes of output (any length; 32 is the standard hash). */
void v_blake3_finalize(const v_blake3_hasher *h, uint8_t *out,
                       size_t out_len);
/* As finalize, starting at byte `offset` of the output stream. */
void v_blake3_finalize_seek(const v_blake3_hasher *h, uint64_t offset,
                            uint8_t *out, size_t out_len);
/* Picks the widest implementation the features allow (no CPUID: the
 * caller detected them once with v_cpu_detect). Call after init. */
void v_blake3_use_cpu(v_blake3_hasher *h, v_cpu_features cpu);
/* The implementation v_blake3_use_cpu would pick for these features. */
int v_blake3_impl_for_cpu(v_cpu_features cpu);
/* v_blake3_impl_for_cpu(v_cpu_detect()): runs CPUID, which can take tens
 * of microseconds under a hypervisor, so call it once, not per hash. */
int v_blake3_detect_impl(void);

/* Selects one implementation for this hasher (call after init), e.g. to
 * test each against the others: V_ERR_NOT_SUPPORTED if this CPU or build
 * lacks it, V_ERR_INVALID_ARGS for an unknown value. It checks with
 * CPUID, so it is as slow as v_blake3_detect_impl. */
v_status v_blake3_use_impl(v_blake3_hasher *h, int impl);

/* Wipes the hasher (it holds the key in keyed and derive-key modes). */
void v_blake3_wipe(v_blake3_hasher *h);

/* Extendable output as a stream: read sequentially, or seek anywhere. */
void v_blake3_output_init(const v_blake3_hasher *h, v_blake3_output *o);
void v_blake3_output_seek(v_blake3_output *o, uint64_t position);
void v_blake3_output_read(v_blake3_output *o, uint8_t *out, size_t n);

/* One-shot forms; these wipe their internal state. */
void v_blake3(const void *data, size_t n, uint8_t *out, size_t out_len);
void v_blake3_keyed(const uint8_t key[V_BLAKE3_KEY_LEN], const void *data,
                    size_t n, uint8_t *out, size_t out_len);
void v_blake3_derive_key(const void *context, size_t ctx_len,
                         const void *material, size_t n, uint8_t *out,
                         size_t out_len);

#endif
