/* ELF64 executables for user Tasks: validation, then loading.
 *
 * elf_parse trusts nothing in the image: it checks every header field it
 * uses and every program header, and refuses anything but a static
 * x86-64 executable whose loadable segments lie in the user half, do not
 * share pages, are never both writable and executable, and contain the
 * entry point in an executable segment. The reason for a refusal is a
 * fixed string (for the log line and the tests). */
#ifndef K_ELF_H
#define K_ELF_H

#include <stddef.h>
#include <stdint.h>
#include <v/status.h>

#define ELF_MAX_PHDRS 16

typedef struct elf_segment {
    uint64_t vaddr, memsz;  /* where, and how much (zero-filled after filesz) */
    uint64_t offset, filesz;
    unsigned prot;          /* VM_WRITE / VM_EXEC (k/vm.h) */
} elf_segment;

typedef struct elf_image {
    uint64_t entry;
    unsigned count;
    elf_segment seg[ELF_MAX_PHDRS];
} elf_image;

/* INVALID_ARGS with *why set if the image is not one we run. Segments
 * must end below limit (the start of the Task's stack area). */
v_status elf_parse(const void *image, size_t len, uint64_t limit,
                   elf_image *out, const char **why);

/* Copies the parsed segments into fresh frames mapped in the address
 * space with top-level table root. NO_MEMORY leaves whatever was mapped
 * for vm_root_destroy to free. */
v_status elf_load(uint64_t root, const void *image, const elf_image *e);

#endif
