/* The kernel's own symbol table, embedded at build time (a second link
 * pass feeds `nm` output of the first back in; kernel/tools/gen-ksyms.sh),
 * so backtraces name functions without a debugger. */
#ifndef K_KSYMS_H
#define K_KSYMS_H

#include <stdbool.h>
#include <stdint.h>

/* Finds the function containing addr: its name and addr's offset in it.
 * False for addresses outside the kernel's text. */
bool ksyms_lookup(uint64_t addr, const char **name, uint64_t *offset);
/* The address of a function by name, 0 if unknown (for tests). */
uint64_t ksyms_address(const char *name);

#endif
