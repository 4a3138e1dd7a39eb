/* vcodec.h — shared by the vcodec command's files (main.c: arguments,
 * check and fmt; convert.c: conversions through a schema). */
#ifndef VCODEC_H
#define VCODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/io.h>

/* Reads a whole FILE (or standard input for "-") into a malloc'd buffer.
 * 0; 2 with a message when it cannot be read; `too_long` with a message
 * when it holds more than max bytes. */
int vcodec_read_all(const char *name, size_t max, int too_long,
                    uint8_t **data, size_t *len);
/* "<stdin>" for "-", else the name. */
const char *vcodec_display_name(const char *name);
/* Prints "NAME:LINE:COLUMN: reason" for a byte offset into in. */
void vcodec_report_at(const char *name, const uint8_t *in, size_t len,
                      size_t offset, const char *reason);
/* A v_writer write function over stdout (ctx unused). */
v_status vcodec_stdout_write(void *ctx, const void *buf, size_t len,
                             size_t *n);

/* vcodec convert, its arguments parsed: the exit status. */
typedef struct vcodec_convert_args {
    const char *schema, *type, *from, *to, *file;
    const char **include_dirs;
    size_t n_include_dirs;
    bool skip_unknown;
} vcodec_convert_args;
int vcodec_convert(const vcodec_convert_args *args);

#endif
