/* The physical memory map, and the cleaning that turns what firmware
 * reports into something an allocator can trust.
 *
 * Firmware maps may be unsorted, may overlap, and may list the same bytes
 * as both usable and reserved. The rule here: a byte is usable only if
 * some entry says usable and no entry says anything else. The result is
 * sorted, disjoint, page-aligned usable ranges (partial pages are dropped,
 * because a frame must be wholly usable). */
#ifndef K_MEMMAP_H
#define K_MEMMAP_H

#include <stddef.h>
#include <stdint.h>
#include <v/status.h>

enum { MEM_USABLE = 1 }; /* multiboot type 1; every other type reserves */

typedef struct mem_range {
    uint64_t base;
    uint64_t len;
    uint32_t type;
} mem_range;

/* Cleans in[0..n) into out (capacity cap), setting *out_n. Entries of
 * length 0 are ignored; an entry running past 2^64 is cut at 2^64 - 1.
 * Returns V_ERR_LIMIT when out is too small (out then holds the first cap
 * ranges) and V_ERR_INVALID_ARGS for NULL arrays with nonzero sizes. */
v_status memmap_clean(const mem_range *in, size_t n, mem_range *out,
                      size_t cap, size_t *out_n);

#endif
