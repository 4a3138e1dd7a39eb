/* The console's terminal. Hosted: the Task's standard input and output,
 * which hosted Tasks keep (docs/substrate.md §11). Natively: the serial
 * port through the IRQ and I/O-port handles of its footprint (to come). */
#ifndef CONSOLE_TERM_H
#define CONSOLE_TERM_H

#include <stdbool.h>
#include <stddef.h>

/* Reads one line (without its newline) into buf[cap]; longer lines are
 * cut. false at the end of input. */
bool console_term_read_line(char *buf, size_t cap, size_t *len);
void console_term_write(void *ctx, const char *text, size_t len);

#endif
