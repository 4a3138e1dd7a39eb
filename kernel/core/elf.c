/* ELF64 validation and loading (k/elf.h). Fields are read with v_mem_copy
 * from wherever they sit, so a misaligned or truncated image cannot make
 * the kernel read outside it or fault on alignment. */
#include <arch/layout.h>
#include <arch/user.h>
#include <k/elf.h>
#include <k/mm.h>
#include <k/pmm.h>
#include <k/vm.h>
#include <v/mem.h>

typedef struct ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} ehdr;

typedef struct phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
} phdr;

_Static_assert(sizeof(ehdr) == 64, "ELF64 header is 64 bytes");
_Static_assert(sizeof(phdr) == 56, "ELF64 program header is 56 bytes");

#define ET_EXEC 2
#define EM_X86_64 62
#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_STACK 0x6474e551u
#define PT_GNU_RELRO 0x6474e552u
#define PT_GNU_PROPERTY 0x6474e553u
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u

static uint64_t page_down(uint64_t a)
{
    return a & ~(uint64_t)(PAGE_SIZE - 1);
}

#define REFUSE(text)     \
    do {                 \
        *why = (text);   \
        return V_ERR_INVALID_ARGS; \
    } while (0)

static v_status check_load(const phdr *p, size_t len, uint64_t limit,
                           elf_segment *s, const char **why)
{
    if (p->flags & ~(PF_R | PF_W | PF_X))
        REFUSE("segment has unknown flags");
    if ((p->flags & PF_W) && (p->flags & PF_X))
        REFUSE("segment is both writable and executable");
    if (p->memsz == 0)
        REFUSE("loadable segment is empty");
    if (p->filesz > p->memsz)
        REFUSE("segment's file size exceeds its memory size");
    if (p->offset > len || p->filesz > len - p->offset)
        REFUSE("segment lies outside the image");
    if (p->align & (p->align - 1))
        REFUSE("segment alignment is not a power of two");
    if (p->align >= PAGE_SIZE &&
        p->vaddr % PAGE_SIZE != p->offset % PAGE_SIZE)
        REFUSE("segment address and offset disagree modulo the page size");
    if (p->vaddr < USER_BASE || p->vaddr >= limit ||
        p->memsz > limit - p->vaddr)
        REFUSE("segment lies outside the user area");
    s->vaddr = p->vaddr;
    s->memsz = p->memsz;
    s->offset = p->offset;
    s->filesz = p->filesz;
    s->prot = (p->flags & PF_W ? VM_WRITE : 0) | (p->flags & PF_X ? VM_EXEC : 0);
    return V_OK;
}

v_status elf_parse(const void *image, size_t len, uint64_t limit,
                   elf_image *out, const char **why)
{
    static const uint8_t magic[4] = {0x7f, 'E', 'L', 'F'};
    const uint8_t *b = image;
    ehdr h;
    if (!image || len < sizeof h)
        REFUSE("image shorter than an ELF header");
    v_mem_copy(&h, b, sizeof h);
    if (!v_mem_equal(h.ident, magic, 4))
        REFUSE("not an ELF file");
    if (h.ident[4] != 2)
        REFUSE("not a 64-bit ELF file");
    if (h.ident[5] != 1)
        REFUSE("not little-endian");
    if (h.ident[6] != 1 || h.version != 1)
        REFUSE("unknown ELF version");
    if (h.type != ET_EXEC)
        REFUSE("not a static executable (ET_EXEC)");
    if (h.machine != EM_X86_64)
        REFUSE("not an x86-64 executable");
    if (h.ehsize != sizeof h)
        REFUSE("bad ELF header size");
    if (h.phentsize != sizeof(phdr))
        REFUSE("bad program header size");
    if (h.phnum == 0)
        REFUSE("no program headers");
    if (h.phnum > ELF_MAX_PHDRS)
        REFUSE("too many program headers");
    if (h.phoff > len || (uint64_t)h.phnum * sizeof(phdr) > len - h.phoff)
        REFUSE("program headers lie outside the image");

    elf_image e = {.entry = h.entry, .count = 0};
    bool entry_ok = false;
    for (unsigned i = 0; i < h.phnum; i++) {
        phdr p;
        v_mem_copy(&p, b + h.phoff + i * sizeof p, sizeof p);
        switch (p.type) {
        case PT_LOAD:
            break;
        case PT_NULL: case PT_NOTE: case PT_PHDR: case PT_GNU_STACK:
        case PT_GNU_RELRO: case PT_GNU_PROPERTY:
            continue; /* nothing for the loader to do */
        case PT_DYNAMIC:
        case PT_INTERP:
            REFUSE("dynamically linked executables are not supported");
        case PT_TLS:
            REFUSE("thread-local storage is not supported");
        default:
            REFUSE("unknown program header type");
        }
        elf_segment *s = &e.seg[e.count];
        v_status st = check_load(&p, len, limit, s, why);
        if (st != V_OK)
            return st;
        /* In address order and on pages of their own: one page has one
         * protection. */
        if (e.count) {
            const elf_segment *prev = &e.seg[e.count - 1];
            if (page_down(s->vaddr) < page_down(prev->vaddr + prev->memsz - 1) + PAGE_SIZE)
                REFUSE("segments overlap, share a page or are out of order");
        }
        if ((s->prot & VM_EXEC) && h.entry >= s->vaddr &&
            h.entry - s->vaddr < s->memsz)
            entry_ok = true;
        e.count++;
    }
    if (!e.count)
        REFUSE("no loadable segment");
    if (!entry_ok)
        REFUSE("entry point is not in an executable segment");
    *out = e;
    *why = 0;
    return V_OK;
}

v_status elf_load(uint64_t root, const void *image, const elf_image *e)
{
    const uint8_t *b = image;
    for (unsigned i = 0; i < e->count; i++) {
        const elf_segment *s = &e->seg[i];
        uint64_t end = s->vaddr + s->memsz;
        for (uint64_t va = page_down(s->vaddr); va < end; va += PAGE_SIZE) {
            uint64_t pa = pmm_alloc_zeroed();
            if (!pa)
                return V_ERR_NO_MEMORY;
            /* The file bytes that fall in [va, va + page). */
            uint64_t from = va > s->vaddr ? va : s->vaddr;
            uint64_t file_end = s->vaddr + s->filesz;
            uint64_t to = va + PAGE_SIZE < file_end ? va + PAGE_SIZE : file_end;
            if (from < to)
                v_mem_copy((uint8_t *)phys_to_virt(pa) + (from - va),
                           b + s->offset + (from - s->vaddr), to - from);
            v_status st = vm_root_map(root, va, pa, s->prot);
            if (st != V_OK) {
                pmm_free(pa);
                return st;
            }
        }
    }
    return V_OK;
}
