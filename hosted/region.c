/* hosted/region.c — Regions as memfds (docs/substrate.md §5, §11).
 * A memfd is already a file descriptor, so the same Region can later be
 * mapped by another process; pread/pwrite copy without mapping. */
#define _GNU_SOURCE
#include "kern.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define REGION_RIGHTS (VX_RIGHT_READ | VX_RIGHT_WRITE | VX_RIGHT_MAP |     \
                       VX_RIGHT_EXEC | VX_RIGHT_DUPLICATE |                 \
                       VX_RIGHT_TRANSFER)

void k_region_destroy(k_object *o)
{
    close(o->u.region.fd);
    if (o->u.region.image_kept)
        close(o->u.region.image_fd);
}

vx_status vx_region_create(uint64_t size, vx_region *out)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    if (out == NULL || size == 0 || size % VX_PAGE_SIZE != 0 ||
        size > VX_REGION_SIZE_MAX)
        goto done;
    st = k_charge(t, size);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_LIMIT;
    if (k_table_free(t) == 0)
        goto done;
    st = k_table_reserve(t, 1);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_NO_MEMORY;
    /* Sealed at its size: a Task holding a writable descriptor (to map
     * it) must not shrink it under other mappings, which would fault. */
    int fd = memfd_create("vx-region", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        goto done;
    if (ftruncate(fd, (off_t)size) != 0 ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
        close(fd);
        goto done;
    }
    k_object *o = k_object_new(K_REGION);
    if (o == NULL) {
        close(fd);
        goto done;
    }
    o->u.region.fd = fd;
    o->u.region.size = size;
    k_node *n = k_node_new(o, VX_OBJ_REGION, REGION_RIGHTS, NULL);
    if (n == NULL) {
        close(fd);
        free(o);
        goto done;
    }
    k_object_charge(o, t, size);
    out->h = k_install(t, n);
    st = VX_OK;
done:
    k_leave();
    return st;
}

vx_status vx_region_size(vx_region r, uint64_t *size)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup_type(t, r.h, VX_OBJ_REGION, &n);
    if (st == VX_OK && size == NULL)
        st = VX_ERR_INVALID_ARGS;
    if (st == VX_OK)
        *size = n->obj->u.region.size;
    k_leave();
    return st;
}

/* Checks shared by read and write; on VX_OK *o is the Region. */
static vx_status copy_check(k_task *t, vx_region r, vx_rights need,
                            uint64_t offset, const void *buf, size_t len,
                            k_object **o)
{
    k_node *n;
    vx_status st = k_lookup_type(t, r.h, VX_OBJ_REGION, &n);
    if (st != VX_OK)
        return st;
    if (!(n->rights & need))
        return VX_ERR_ACCESS_DENIED;
    if (buf == NULL && len > 0)
        return VX_ERR_INVALID_ARGS;
    uint64_t size = n->obj->u.region.size;
    if (offset > size || len > size - offset)
        return VX_ERR_OUT_OF_RANGE;
    *o = n->obj;
    return VX_OK;
}

vx_status vx_region_read(vx_region r, uint64_t offset, void *buf, size_t len)
{
    k_task *t = k_enter();
    k_object *o;
    vx_status st = copy_check(t, r, VX_RIGHT_READ, offset, buf, len, &o);
    int fd = st == VX_OK ? o->u.region.fd : -1;
    size_t done = 0;
    while (st == VX_OK && done < len) {
        ssize_t got = pread(fd, (char *)buf + done, len - done,
                            (off_t)(offset + done));
        if (got <= 0)
            st = VX_ERR_NO_MEMORY;
        else
            done += (size_t)got;
    }
    k_leave();
    return st;
}

vx_status vx_region_write(vx_region r, uint64_t offset, const void *buf,
                          size_t len)
{
    k_task *t = k_enter();
    k_object *o;
    vx_status st = copy_check(t, r, VX_RIGHT_WRITE, offset, buf, len, &o);
    int fd = -1;
    if (st == VX_OK) {
        fd = o->u.region.fd;
        o->u.region.version++; /* a kept image copy is out of date */
    }
    size_t done = 0;
    while (st == VX_OK && done < len) {
        ssize_t put = pwrite(fd, (const char *)buf + done, len - done,
                             (off_t)(offset + done));
        if (put <= 0)
            st = VX_ERR_NO_MEMORY; /* the host refused the pages */
        else
            done += (size_t)put;
    }
    k_leave();
    return st;
}

/* Every check of vx_region_map, in the spec's order. */
static vx_status map_check(k_task *t, vx_region r, uint64_t offset,
                           uint64_t len, vx_prot prot, bool addr_given,
                           k_node **out)
{
    k_node *n;
    vx_status st = k_lookup_type(t, r.h, VX_OBJ_REGION, &n);
    if (st != VX_OK)
        return st;
    if (!(n->rights & VX_RIGHT_MAP) ||
        ((prot & VX_PROT_READ) && !(n->rights & VX_RIGHT_READ)) ||
        ((prot & VX_PROT_WRITE) && !(n->rights & VX_RIGHT_WRITE)) ||
        ((prot & VX_PROT_EXEC) && !(n->rights & VX_RIGHT_EXEC)))
        return VX_ERR_ACCESS_DENIED;
    if (!addr_given || prot == 0 ||
        (prot & ~(vx_prot)(VX_PROT_READ | VX_PROT_WRITE | VX_PROT_EXEC)) ||
        ((prot & VX_PROT_WRITE) && (prot & VX_PROT_EXEC)) || len == 0 ||
        offset % VX_PAGE_SIZE != 0 || len % VX_PAGE_SIZE != 0)
        return VX_ERR_INVALID_ARGS;
    uint64_t size = n->obj->u.region.size;
    if (offset > size || len > size - offset)
        return VX_ERR_OUT_OF_RANGE;
    *out = n;
    return VX_OK;
}

vx_status k_region_map_fd(vx_region r, uint64_t offset, uint64_t len,
                          vx_prot prot, bool addr_given, int *fd)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = map_check(t, r, offset, len, prot, addr_given, &n);
    if (st == VX_OK) {
        /* Without WRITE, hand over a read-only descriptor, so the mapping
         * cannot be made writable later with mprotect. */
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", n->obj->u.region.fd);
        if (prot & VX_PROT_WRITE)
            n->obj->u.region.mapped_writable = true;
        *fd = open(path, (prot & VX_PROT_WRITE) ? O_RDWR | O_CLOEXEC
                                                : O_RDONLY | O_CLOEXEC);
        if (*fd < 0)
            st = VX_ERR_NO_MEMORY;
    }
    k_leave();
    return st;
}

vx_status vx_region_map(vx_region r, uint64_t offset, uint64_t len,
                        vx_prot prot, void **addr)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = map_check(t, r, offset, len, prot, addr != NULL, &n);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_NO_MEMORY;
    if (t->map_count == t->map_cap) {
        size_t cap = t->map_cap ? t->map_cap * 2 : 16;
        k_mapping *m = realloc(t->maps, cap * sizeof *m);
        if (m == NULL)
            goto done;
        t->maps = m;
        t->map_cap = cap;
    }
    int p = ((prot & VX_PROT_READ) ? PROT_READ : 0) |
            ((prot & VX_PROT_WRITE) ? PROT_WRITE : 0) |
            ((prot & VX_PROT_EXEC) ? PROT_EXEC : 0);
    if (prot & VX_PROT_WRITE)
        n->obj->u.region.mapped_writable = true;
    void *a = mmap(NULL, (size_t)len, p, MAP_SHARED, n->obj->u.region.fd,
                   (off_t)offset);
    if (a == MAP_FAILED)
        goto done;
    t->maps[t->map_count++] = (k_mapping){a, len};
    *addr = a;
    st = VX_OK;
done:
    k_leave();
    return st;
}

vx_status vx_region_unmap(void *addr, uint64_t len)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    for (size_t i = 0; i < t->map_count; i++) {
        if (t->maps[i].addr == addr && t->maps[i].len == len) {
            munmap(addr, (size_t)len);
            t->maps[i] = t->maps[--t->map_count];
            st = VX_OK;
            break;
        }
    }
    k_leave();
    return st;
}

vx_status k_region_from_file(k_task *t, const char *path, vx_handle *out)
{
    int file = open(path, O_RDONLY | O_CLOEXEC);
    if (file < 0)
        return VX_ERR_INVALID_ARGS;
    vx_status st = VX_ERR_INVALID_ARGS;
    off_t end = lseek(file, 0, SEEK_END);
    if (end <= 0)
        goto done;
    uint64_t size = ((uint64_t)end + VX_PAGE_SIZE - 1) / VX_PAGE_SIZE *
                    VX_PAGE_SIZE;
    st = k_charge(t, size);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_LIMIT;
    if (k_table_free(t) == 0 || k_table_reserve(t, 1) != VX_OK)
        goto done;
    st = VX_ERR_NO_MEMORY;
    int fd = memfd_create("vx-region", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        goto done;
    bool copied = ftruncate(fd, (off_t)size) == 0;
    static char chunk[1 << 16]; /* only ever used at start-up, once */
    for (off_t at = 0; copied && at < end;) {
        ssize_t got = pread(file, chunk, sizeof chunk, at);
        copied = got > 0 && pwrite(fd, chunk, (size_t)got, at) == got;
        at += got;
    }
    if (!copied ||
        fcntl(fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
        close(fd);
        goto done;
    }
    k_object *o = k_object_new(K_REGION);
    k_node *n = o != NULL ? k_node_new(o, VX_OBJ_REGION, REGION_RIGHTS, NULL)
                          : NULL;
    if (n == NULL) {
        free(o);
        close(fd);
        goto done;
    }
    o->u.region.fd = fd;
    o->u.region.size = size;
    k_object_charge(o, t, size);
    *out = k_install(t, n);
    st = VX_OK;
done:
    close(file);
    return st;
}
