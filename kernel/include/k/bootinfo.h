/* What the boot loader told us, copied into kernel memory at boot so that
 * nothing later depends on the loader's structures staying intact. The
 * memory map is kept raw (as the loader gave it); mm cleans it. Modules
 * stay where the loader put them: their frames are reserved, not copied
 * (the next stage reads the boot Bundle from one). */
#ifndef K_BOOTINFO_H
#define K_BOOTINFO_H

#include <stddef.h>
#include <stdint.h>
#include <k/memmap.h>

#define BOOT_MMAP_MAX 128
#define BOOT_MODULES_MAX 16
#define BOOT_CMDLINE_MAX 256
#define BOOT_MODNAME_MAX 64

typedef struct boot_module {
    uint64_t start; /* physical, page-aligned by the loader (flag 0) */
    uint64_t end;   /* exclusive */
    char name[BOOT_MODNAME_MAX];
} boot_module;

typedef struct boot_info {
    char cmdline[BOOT_CMDLINE_MAX];
    mem_range mmap[BOOT_MMAP_MAX];
    size_t mmap_count;
    boot_module modules[BOOT_MODULES_MAX];
    size_t module_count;
} boot_info;

extern boot_info g_boot;

/* Parses the multiboot (v1) information at physical address mbi. Logs and
 * skips what it cannot use; never fails (a kernel with no map panics later
 * in mm with a clearer message). */
void bootinfo_parse(uint64_t mbi);

/* True when the kernel command line contains the word w. */
int bootinfo_has_word(const char *w);

#endif
