/* The console's terminal, one implementation per backend. Hosted
 * (hosted/term.c): the Task's standard input and output, which hosted
 * Tasks keep (docs/substrate.md §11). Natively (native/term.c): the
 * serial port COM1 through the I/O-port and IRQ handles of its footprint
 * (`com1`, `com1.irq`). */
#ifndef CONSOLE_TERM_H
#define CONSOLE_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Prepares the terminal (natively: takes the footprint's device handles
 * and programs the UART). A V_EXIT_* code: V_EXIT_OK when ready. */
int32_t console_term_open(void);

/* The greeting's backend word: "hosted" or "native". */
extern const char console_term_backend[];

/* Reads one line (without its newline) into buf[cap]; longer lines are
 * cut. false at the end of input. */
bool console_term_read_line(char *buf, size_t cap, size_t *len);
void console_term_write(void *ctx, const char *text, size_t len);

#endif
