/* Region objects (docs/substrate.md §5): zero-filled whole pages, all
 * allocated at creation and charged to the creator's quota until the
 * Region is destroyed. Mappings hold a reference, so the frames live as
 * long as any handle or mapping does. */
#ifndef K_REGION_H
#define K_REGION_H

#include <stddef.h>
#include <stdint.h>
#include <k/object.h>
#include <k/quota.h>
#include <v/status.h>

#define REGION_SIZE_MAX (1ull << 40)

/* LIMIT if size exceeds q's unused quota; NO_MEMORY. size must already
 * be valid (whole pages, 1 page .. REGION_SIZE_MAX). */
v_status region_create(uint64_t size, kquota *q, kobject **out);
uint64_t region_size(kobject *o);
/* The frame backing page index i (< size / page). */
uint64_t region_frame(kobject *o, uint64_t i);
/* Copies between the Region and user memory; the range is checked by the
 * caller. INVALID_ARGS if the user buffer faults part-way. */
v_status region_copy_out(kobject *o, uint64_t offset, uint64_t user_dst,
                         size_t len);
v_status region_copy_in(kobject *o, uint64_t offset, uint64_t user_src,
                        size_t len);

/* Copies within the kernel; the range is checked by the caller. */
void region_read_kernel(kobject *o, uint64_t offset, void *dst, size_t len);
void region_write_kernel(kobject *o, uint64_t offset, const void *src,
                         size_t len);

#endif
