/* Memory bring-up and the usage report. */
#include <k/bootinfo.h>
#include <k/heap.h>
#include <k/log.h>
#include <k/memmap.h>
#include <k/mm.h>
#include <k/pmm.h>
#include <k/vm.h>

extern char __kernel_end[];

#define EARLY_LIMIT 0x40000000ull
/* The direct map covers at least the low 4 GiB (device registers and ACPI
 * tables live there, outside RAM) and at most this much RAM. */
#define DIRECT_MAP_MIN 0x100000000ull
#define DIRECT_MAP_MAX 0x1000000000ull

static mem_range raw[BOOT_MMAP_MAX + BOOT_MODULES_MAX + 2];
static mem_range usable[BOOT_MMAP_MAX * 2];

static void reserve(size_t *n, uint64_t base, uint64_t end)
{
    raw[*n].base = base;
    raw[*n].len = end - base;
    raw[*n].type = 0; /* anything but MEM_USABLE */
    (*n)++;
}

void mm_init(void)
{
    size_t n = 0;
    for (size_t i = 0; i < g_boot.mmap_count; i++)
        raw[n++] = g_boot.mmap[i];
    /* Never hand out: the real-mode area (BIOS data, and where the AP
     * start-up code will go), the kernel image, the boot modules. */
    reserve(&n, 0, 0x100000);
    reserve(&n, KERNEL_PHYS_BASE, kimage_to_phys(__kernel_end));
    for (size_t i = 0; i < g_boot.module_count; i++)
        reserve(&n, g_boot.modules[i].start, g_boot.modules[i].end);

    size_t m;
    v_status s = memmap_clean(raw, n, usable, sizeof usable / sizeof usable[0],
                              &m);
    if (s != V_OK)
        kwarn("mm: memory map cleaning: %s; using the first %zu ranges",
              v_status_name(s), m);
    uint64_t top = 0;
    for (size_t i = 0; i < m; i++) {
        kdebug("mm: usable [0x%lx, 0x%lx)", usable[i].base,
               usable[i].base + usable[i].len);
        if (usable[i].base + usable[i].len > top)
            top = usable[i].base + usable[i].len;
    }
    pmm_init(usable, m, EARLY_LIMIT);
    if (top < DIRECT_MAP_MIN)
        top = DIRECT_MAP_MIN;
    if (top > DIRECT_MAP_MAX) {
        kwarn("mm: only the first %lu GiB are direct-mapped",
              (uint64_t)(DIRECT_MAP_MAX >> 30));
        top = DIRECT_MAP_MAX;
    }
    vm_init(top);
    heap_init();
}

void mm_report(void)
{
    uint64_t total = pmm_total_frames(), free = pmm_free_frames();
    kwarn("mm: frames: %lu total, %lu free, %lu used (%lu KiB)", total, free,
          total - free, (total - free) * 4);
    uint64_t tables = vm_table_frames(), heap = heap_frames();
    kwarn("mm:   page tables: %lu frames", tables);
    kwarn("mm:   heap: %lu frames", heap);
    heap_report();
    uint64_t known = tables + heap;
    uint64_t used = total - free;
    kwarn("mm:   other (thread stacks, boot-time users): %lu frames",
          used > known ? used - known : 0);
}
