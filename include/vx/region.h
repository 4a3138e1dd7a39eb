/* vx/region.h — Region: a memory object of whole pages.
 * Normative text: docs/substrate.md §5. */
#ifndef VX_REGION_H
#define VX_REGION_H

#include <stddef.h>
#include <vx/status.h>
#include <vx/types.h>

/* Largest Region the ABI allows (a Task's quota usually binds first). */
#define VX_REGION_SIZE_MAX (UINT64_C(1) << 40)

/* Mapping protections; bounded by the handle's READ/WRITE/EXEC rights. */
typedef uint32_t vx_prot;
enum {
    VX_PROT_READ = 1u << 0,
    VX_PROT_WRITE = 1u << 1,
    VX_PROT_EXEC = 1u << 2,
};

/* A zero-filled Region of `size` bytes (a multiple of VX_PAGE_SIZE),
 * charged to the calling Task's quota until the Region is destroyed. */
VX_CALL vx_status vx_region_create(uint64_t size, vx_region *out);

VX_CALL vx_status vx_region_size(vx_region r, uint64_t *size);

/* Copies between a Region and the caller's memory without mapping it. */
VX_CALL vx_status vx_region_read(vx_region r, uint64_t offset, void *buf,
                                 size_t len);
VX_CALL vx_status vx_region_write(vx_region r, uint64_t offset,
                                  const void *buf, size_t len);

/* Maps [offset, offset+len) of r into the calling Task at an address the
 * substrate picks. The mapping outlives the handle. */
VX_CALL vx_status vx_region_map(vx_region r, uint64_t offset, uint64_t len,
                                vx_prot prot, void **addr);

/* Removes exactly one whole mapping made by vx_region_map. */
VX_CALL vx_status vx_region_unmap(void *addr, uint64_t len);

#endif
