/* The hosted terminal (term.h): blocking reads of standard input, one
 * byte at a time so nothing after the newline is consumed, and writes to
 * standard output. */
#include <unistd.h>

#include <v/process.h>

#include "../term.h"

const char console_term_backend[] = "hosted";

int32_t console_term_open(void)
{
    return V_EXIT_OK;
}

bool console_term_read_line(char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    for (;;) {
        char c;
        ssize_t r = read(0, &c, 1);
        if (r <= 0) {
            *len = n;
            return n > 0;
        }
        if (c == '\n')
            break;
        if (n < cap)
            buf[n++] = c;
    }
    *len = n;
    return true;
}

void console_term_write(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t w = write(1, text, len);
        if (w <= 0)
            return;
        text += w;
        len -= (size_t)w;
    }
}
