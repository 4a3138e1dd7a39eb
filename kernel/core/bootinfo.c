/* Multiboot (v1) information parsing. Every pointer in the structure is a
 * physical address supplied by the loader, read through the direct map;
 * every length is bounded before use, so a confused loader produces log
 * warnings rather than a wild read. */
#include <arch/layout.h>
#include <k/bootinfo.h>
#include <k/log.h>
#include <k/mm.h>
#include <v/mem.h>

boot_info g_boot;

#define MBI_CMDLINE (1u << 2)
#define MBI_MODS (1u << 3)
#define MBI_MMAP (1u << 6)
/* The boot page tables map only the first 1 GiB through the direct map. */
#define EARLY_LIMIT 0x40000000u

typedef struct __attribute__((packed)) mb_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
} mb_info;

typedef struct __attribute__((packed)) mb_mmap_entry {
    uint32_t size;
    uint64_t base, len;
    uint32_t type;
} mb_mmap_entry;

typedef struct __attribute__((packed)) mb_module {
    uint32_t start, end, string, reserved;
} mb_module;

static bool readable(uint64_t p, uint64_t n)
{
    return p < EARLY_LIMIT && n <= EARLY_LIMIT - p;
}

/* Copies a NUL-terminated loader string, cut to cap - 1 bytes. */
static void copy_string(char *dst, size_t cap, uint32_t phys)
{
    dst[0] = '\0';
    if (!phys || !readable(phys, cap))
        return;
    const char *s = phys_to_virt(phys);
    size_t i = 0;
    while (i + 1 < cap && s[i]) {
        dst[i] = s[i];
        i++;
    }
    dst[i] = '\0';
}

static void parse_mmap(const mb_info *mi)
{
    uint64_t p = mi->mmap_addr, end = p + mi->mmap_length;
    if (!readable(p, mi->mmap_length)) {
        kwarn("boot: memory map at 0x%lx is out of reach", p);
        return;
    }
    while (p + sizeof(mb_mmap_entry) <= end) {
        const mb_mmap_entry *e = phys_to_virt(p);
        if (g_boot.mmap_count == BOOT_MMAP_MAX) {
            kwarn("boot: memory map has more than %d entries; rest ignored",
                  BOOT_MMAP_MAX);
            break;
        }
        mem_range *r = &g_boot.mmap[g_boot.mmap_count++];
        r->base = e->base;
        r->len = e->len;
        r->type = e->type;
        if (e->size < 20) { /* a zero size would loop forever */
            kwarn("boot: memory map entry size %u too small", e->size);
            break;
        }
        p += (uint64_t)e->size + 4;
    }
}

static void parse_modules(const mb_info *mi)
{
    uint64_t n = mi->mods_count;
    if (n > BOOT_MODULES_MAX) {
        kwarn("boot: %lu modules; only %d kept", n, BOOT_MODULES_MAX);
        n = BOOT_MODULES_MAX;
    }
    if (!readable(mi->mods_addr, n * sizeof(mb_module)))
        return;
    const mb_module *m = phys_to_virt(mi->mods_addr);
    for (uint64_t i = 0; i < n; i++) {
        if (m[i].end < m[i].start) {
            kwarn("boot: module %lu ends before it starts; ignored", i);
            continue;
        }
        boot_module *b = &g_boot.modules[g_boot.module_count++];
        b->start = m[i].start;
        b->end = m[i].end;
        copy_string(b->name, sizeof b->name, m[i].string);
    }
}

void bootinfo_parse(uint64_t mbi)
{
    if (!readable(mbi, sizeof(mb_info))) {
        kerror("boot: multiboot info at 0x%lx is out of reach", mbi);
        return;
    }
    mb_info mi;
    v_mem_copy(&mi, phys_to_virt(mbi), sizeof mi);
    if (mi.flags & MBI_CMDLINE)
        copy_string(g_boot.cmdline, sizeof g_boot.cmdline, mi.cmdline);
    if (mi.flags & MBI_MMAP)
        parse_mmap(&mi);
    else
        kwarn("boot: loader gave no memory map");
    if (mi.flags & MBI_MODS)
        parse_modules(&mi);
    kinfo("boot: cmdline \"%s\", %zu map entries, %zu modules",
          g_boot.cmdline, g_boot.mmap_count, g_boot.module_count);
    for (size_t i = 0; i < g_boot.module_count; i++) {
        const boot_module *b = &g_boot.modules[i];
        kinfo("boot: module %zu [0x%lx, 0x%lx) \"%s\"", i, b->start, b->end,
              b->name);
    }
}

int bootinfo_has_word(const char *w)
{
    size_t n = v_cstr_len(w);
    const char *s = g_boot.cmdline;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t k = 0;
        while (s[k] && s[k] != ' ')
            k++;
        if (k == n && v_mem_equal(s, w, n))
            return 1;
        s += k;
    }
    return 0;
}
