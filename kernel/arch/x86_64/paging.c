/* x86-64 4-level paging for the kernel address space (see k/vm.h).
 *
 * Intermediate entries are always present+writable; the leaf carries the
 * real protection (x86 takes the most restrictive along the walk, so
 * permissive upper levels let one table serve pages of any protection).
 * Kernel-half leaves are global: they survive CR3 switches. */
#include <arch/cpu.h>
#include <k/log.h>
#include <k/mm.h>
#include <k/panic.h>
#include <k/pmm.h>
#include <k/spinlock.h>
#include <k/tlb.h>
#include <k/vm.h>

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_U (1ull << 2)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_G (1ull << 8)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull

#define HUGE_2M 0x200000ull

static spinlock lock = SPINLOCK_INIT;
static uint64_t table_frames;

static uint64_t *table(uint64_t entry)
{
    return phys_to_virt(entry & PTE_ADDR);
}

static unsigned index_at(uintptr_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * (level - 1))) & 511;
}

static bool canonical(uintptr_t va)
{
    uint64_t top = (uint64_t)va >> 47;
    return top == 0 || top == 0x1ffff;
}

static uint64_t leaf_bits(uintptr_t va, unsigned prot)
{
    uint64_t b = PTE_P;
    if (prot & VM_WRITE)
        b |= PTE_W;
    if (!(prot & VM_EXEC))
        b |= PTE_NX;
    if (prot & VM_USER)
        b |= PTE_U;
    if (prot & VM_NOCACHE)
        b |= PTE_PCD | PTE_PWT;
    if ((uint64_t)va >> 63)
        b |= PTE_G;
    return b;
}

static unsigned prot_of(uint64_t e)
{
    unsigned p = VM_READ;
    if (e & PTE_W)
        p |= VM_WRITE;
    if (!(e & PTE_NX))
        p |= VM_EXEC;
    if (e & PTE_U)
        p |= VM_USER;
    if (e & PTE_PCD)
        p |= VM_NOCACHE;
    return p;
}

/* Walks from root down to level `stop` (1 = page table), creating missing
 * tables when asked. Returns the entry at `stop`, or NULL with *why set. */
static uint64_t *walk(uint64_t root, uintptr_t va, int stop, bool create,
                      v_status *why)
{
    uint64_t *t = phys_to_virt(root);
    for (int level = 4; level > stop; level--) {
        uint64_t *e = &t[index_at(va, level)];
        if (!(*e & PTE_P)) {
            if (!create) {
                *why = V_ERR_BAD_STATE;
                return 0;
            }
            uint64_t f = pmm_alloc_zeroed();
            if (!f) {
                *why = V_ERR_NO_MEMORY;
                return 0;
            }
            table_frames++;
            /* User-half tables carry U so a user leaf is reachable; the
             * leaf decides. Kernel-half tables never do. */
            *e = f | PTE_P | PTE_W | ((uint64_t)va >> 63 ? 0 : PTE_U);
        } else if (*e & PTE_PS) {
            *why = V_ERR_BAD_STATE; /* inside a large page */
            return 0;
        }
        t = table(*e);
    }
    return &t[index_at(va, stop)];
}

static uint64_t kernel_root;

/* Kernel-half addresses always go through the kernel's own tables (an
 * address space shares them, but a top-level entry made later would
 * otherwise land in one address space only); user-half addresses through
 * the current address space. */
static uint64_t root_for(uintptr_t va)
{
    if ((uint64_t)va >> 63 && kernel_root) /* 0 before vm_init */
        return kernel_root;
    return read_cr3() & PTE_ADDR;
}

uint64_t vm_kernel_root(void)
{
    return kernel_root;
}

v_status vm_map(uintptr_t va, uint64_t pa, unsigned prot)
{
    if (va % PAGE_SIZE || pa % PAGE_SIZE || !canonical(va) ||
        pa & ~PTE_ADDR)
        return V_ERR_INVALID_ARGS;
    v_status why = V_OK;
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t *e = walk(root_for(va), va, 1, true, &why);
    if (e && (*e & PTE_P))
        why = V_ERR_BAD_STATE;
    else if (e)
        __atomic_store_n(e, pa | leaf_bits(va, prot), __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&lock, flags);
    return why;
}

v_status vm_unmap(uintptr_t va, uint64_t *pa)
{
    if (va % PAGE_SIZE || !canonical(va))
        return V_ERR_INVALID_ARGS;
    v_status why = V_OK;
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t *e = walk(root_for(va), va, 1, false, &why);
    if (e && !(*e & PTE_P))
        why = V_ERR_BAD_STATE;
    else if (e) {
        if (pa)
            *pa = *e & PTE_ADDR;
        __atomic_store_n(e, 0, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&lock, flags);
    if (why == V_OK)
        tlb_flush_page(va); /* after unlocking: see k/tlb.h */
    return why;
}

v_status vm_protect(uintptr_t va, unsigned prot)
{
    if (va % PAGE_SIZE || !canonical(va))
        return V_ERR_INVALID_ARGS;
    v_status why = V_OK;
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t *e = walk(root_for(va), va, 1, false, &why);
    if (e && !(*e & PTE_P))
        why = V_ERR_BAD_STATE;
    else if (e)
        __atomic_store_n(e, (*e & PTE_ADDR) | leaf_bits(va, prot),
                         __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&lock, flags);
    if (why == V_OK)
        tlb_flush_page(va);
    return why;
}

/* Batches of UNMAP_BATCH pages: cleared under the lock, one shootdown,
 * then the frames are freed; a frame must not be reused while any CPU
 * may still hold a translation to it. */
#define UNMAP_BATCH 64

void vm_unmap_free_range(uintptr_t va, size_t pages)
{
    while (pages) {
        size_t n = pages < UNMAP_BATCH ? pages : UNMAP_BATCH;
        uint64_t frames[UNMAP_BATCH];
        size_t got = 0;
        uint64_t flags = spin_lock_irqsave(&lock);
        for (size_t i = 0; i < n; i++) {
            v_status why;
            uintptr_t at = va + i * PAGE_SIZE;
            uint64_t *e = walk(root_for(at), at, 1, false, &why);
            if (e && (*e & PTE_P)) {
                frames[got++] = *e & PTE_ADDR;
                __atomic_store_n(e, 0, __ATOMIC_RELEASE);
            }
        }
        spin_unlock_irqrestore(&lock, flags);
        tlb_flush_range(va, n);
        for (size_t i = 0; i < got; i++)
            pmm_free(frames[i]);
        va += n * PAGE_SIZE;
        pages -= n;
    }
}

bool vm_query(uintptr_t va, uint64_t *pa, unsigned *prot)
{
    if (!canonical(va))
        return false;
    uint64_t *t = phys_to_virt(root_for(va));
    for (int level = 4; level >= 1; level--) {
        uint64_t e = __atomic_load_n(&t[index_at(va, level)],
                                     __ATOMIC_ACQUIRE);
        if (!(e & PTE_P))
            return false;
        if (level == 1 || (e & PTE_PS)) {
            uint64_t span = 1ull << (12 + 9 * (level - 1));
            if (pa)
                *pa = (e & PTE_ADDR & ~(span - 1)) | (va & (span - 1));
            if (prot)
                *prot = prot_of(e);
            return true;
        }
        t = table(e);
    }
    return false;
}

bool vm_is_mapped(uintptr_t va)
{
    return vm_query(va, 0, 0);
}

uint64_t vm_table_frames(void)
{
    return table_frames;
}

/* ---- user address spaces (k/aspace.h builds on these) ---- */

#define USER_HALF_SLOTS 256

uint64_t vm_root_create(void)
{
    uint64_t r = pmm_alloc_zeroed();
    if (!r)
        return 0;
    uint64_t flags = spin_lock_irqsave(&lock);
    table_frames++;
    /* The kernel half: the same lower tables as every address space, so
     * kernel mappings made later appear everywhere. Its leaves lack U, so
     * ring 3 can never touch them. */
    uint64_t *k = phys_to_virt(kernel_root), *n = phys_to_virt(r);
    for (unsigned i = USER_HALF_SLOTS; i < 512; i++)
        n[i] = k[i];
    spin_unlock_irqrestore(&lock, flags);
    return r;
}

v_status vm_root_map(uint64_t r, uintptr_t va, uint64_t pa, unsigned prot)
{
    if (va % PAGE_SIZE || pa % PAGE_SIZE || (uint64_t)va >> 47 ||
        pa & ~PTE_ADDR)
        return V_ERR_INVALID_ARGS;
    v_status why = V_OK;
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t *e = walk(r, va, 1, true, &why);
    if (e && (*e & PTE_P))
        why = V_ERR_BAD_STATE;
    else if (e)
        __atomic_store_n(e, pa | leaf_bits(va, prot | VM_USER),
                         __ATOMIC_RELEASE);
    spin_unlock_irqrestore(&lock, flags);
    return why;
}

v_status vm_root_unmap(uint64_t r, uintptr_t va, uint64_t *pa)
{
    if (va % PAGE_SIZE || (uint64_t)va >> 47)
        return V_ERR_INVALID_ARGS;
    v_status why = V_OK;
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t *e = walk(r, va, 1, false, &why);
    if (e && !(*e & PTE_P))
        why = V_ERR_BAD_STATE;
    else if (e) {
        if (pa)
            *pa = *e & PTE_ADDR;
        __atomic_store_n(e, 0, __ATOMIC_RELEASE);
    }
    spin_unlock_irqrestore(&lock, flags);
    /* Every CPU, not just those on r: cheap enough, and always right. */
    if (why == V_OK)
        tlb_flush_page(va);
    return why;
}

bool vm_root_query(uint64_t r, uintptr_t va, uint64_t *pa, unsigned *prot)
{
    if ((uint64_t)va >> 47)
        return false;
    v_status why;
    uint64_t flags = spin_lock_irqsave(&lock);
    uint64_t *e = walk(r, va, 1, false, &why);
    bool ok = e && (*e & PTE_P);
    if (ok && pa)
        *pa = *e & PTE_ADDR;
    if (ok && prot)
        *prot = prot_of(*e);
    spin_unlock_irqrestore(&lock, flags);
    return ok;
}

/* Frees the user half: every leaf's frame and every table, then the root.
 * No CPU may still run on r (the scheduler loads the kernel's root when
 * it switches to a thread without an address space, so a Task whose
 * threads are all joined is off every CPU). */
static void free_level(uint64_t *t, int level)
{
    for (unsigned i = 0; i < 512; i++) {
        uint64_t e = t[i];
        if (!(e & PTE_P))
            continue;
        if (level > 1) {
            free_level(table(e), level - 1);
            table_frames--;
        }
        pmm_free(e & PTE_ADDR);
    }
}

void vm_root_destroy(uint64_t r)
{
    uint64_t *t = phys_to_virt(r);
    for (unsigned i = 0; i < USER_HALF_SLOTS; i++) {
        uint64_t e = t[i];
        if (e & PTE_P) {
            free_level(table(e), 3);
            table_frames--;
            pmm_free(e & PTE_ADDR);
        }
    }
    table_frames--;
    pmm_free(r);
}

/* ---- building the kernel's tables at boot ---- */

extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __kernel_end[];
extern char boot_stack_guard[];

/* Boot tables reach only the first GiB through the direct map; every
 * table frame we write before the switch must lie there. */
#define EARLY_LIMIT 0x40000000ull

static uint64_t early_table(void)
{
    uint64_t f = pmm_alloc_zeroed();
    if (!f || f >= EARLY_LIMIT)
        kpanic("vm: no low frame for the kernel page tables");
    table_frames++;
    return f;
}

static uint64_t *early_walk(uint64_t pml4, uintptr_t va, int stop)
{
    uint64_t *t = phys_to_virt(pml4);
    for (int level = 4; level > stop; level--) {
        uint64_t *e = &t[index_at(va, level)];
        if (!(*e & PTE_P))
            *e = early_table() | PTE_P | PTE_W;
        t = table(*e);
    }
    return &t[index_at(va, stop)];
}

static void map_image(uint64_t pml4, char *from, char *to, unsigned prot)
{
    for (uintptr_t va = (uintptr_t)from; va < (uintptr_t)to; va += PAGE_SIZE)
        *early_walk(pml4, va, 1) = kimage_to_phys((void *)va) |
                                   leaf_bits(va, prot);
}

void vm_init(uint64_t phys_top)
{
    uint64_t pml4 = early_table();
    uint64_t top = (phys_top + HUGE_2M - 1) & ~(HUGE_2M - 1);
    for (uint64_t pa = 0; pa < top; pa += HUGE_2M) {
        uintptr_t va = (uintptr_t)phys_to_virt(pa);
        *early_walk(pml4, va, 2) = pa | PTE_PS | leaf_bits(va, VM_WRITE);
    }
    map_image(pml4, __text_start, __text_end, VM_EXEC);
    map_image(pml4, __rodata_start, __data_start, VM_READ);
    map_image(pml4, __data_start, __kernel_end, VM_WRITE);
    *early_walk(pml4, (uintptr_t)boot_stack_guard, 1) = 0;
    /* The kernel virtual area's top-level table exists from the start, so
     * every address space made later can share it by copying one entry. */
    early_walk(pml4, KVA_BASE, 3);
    kernel_root = pml4;
    write_cr3(pml4);
    kinfo("vm: kernel page tables live, direct map of %lu MiB, %lu table "
          "frames", top >> 20, table_frames);
}
