/* Writes the Linux peer's initramfs: a "newc" cpio archive (the format
 * the kernel unpacks; see its Documentation/driver-api/early-userspace/
 * buffer-format.rst) holding /init, the mount points /proc and /sys, and
 * the node /dev/console so that init starts with the serial console as
 * its stdin, stdout and stderr. Written here rather than with cpio(1)
 * because making a device node on disk needs root; in the archive it is
 * just a header.
 * Usage: mkcpio OUT.cpio INIT */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned ino = 1;

static void pad4(FILE *f, unsigned long n)
{
    while (n++ % 4)
        fputc(0, f);
}

/* One entry: a 110-byte header of 13 eight-digit hex fields after the
 * magic, the name with its NUL, padding to 4, the data, padding to 4. */
static void entry(FILE *f, const char *name, unsigned mode, unsigned rmajor,
                  unsigned rminor, const void *data, unsigned long size)
{
    unsigned long namesize = strlen(name) + 1;
    fprintf(f, "070701%08X%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08lX%08X",
            ino++, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, rmajor, rminor,
            namesize, 0u);
    fwrite(name, 1, namesize, f);
    pad4(f, 110 + namesize);
    if (size)
        fwrite(data, 1, size, f);
    pad4(f, size);
}

static void *slurp(const char *path, unsigned long *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    unsigned long cap = 0, len = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 1 << 20;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        return NULL;
    }
    *size = len;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkcpio OUT.cpio INIT\n");
        return 2;
    }
    unsigned long size;
    void *init = slurp(argv[2], &size);
    if (!init) {
        perror(argv[2]);
        return 1;
    }
    FILE *f = fopen(argv[1], "wb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    entry(f, "dev", 040755, 0, 0, NULL, 0);
    entry(f, "dev/console", 020600, 5, 1, NULL, 0);
    entry(f, "proc", 040755, 0, 0, NULL, 0);
    entry(f, "sys", 040755, 0, 0, NULL, 0);
    entry(f, "init", 0100755, 0, 0, init, size);
    entry(f, "TRAILER!!!", 0, 0, 0, NULL, 0);
    free(init);
    if (fclose(f) != 0) {
        perror(argv[1]);
        return 1;
    }
    return 0;
}
