/* Hardware randomness (arch/x86_64/entropy.c). */
#ifndef ARCH_ENTROPY_H
#define ARCH_ENTROPY_H

#include <stdbool.h>
#include <stdint.h>

bool arch_entropy_available(void);
/* 64 random bits; false if the generator failed ten times in a row. */
bool arch_entropy64(uint64_t *out);

#endif
