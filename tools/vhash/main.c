/* vhash — BLAKE3 of files or standard input, printed as b3sum prints it:
 * one line "<hex>  <name>" per input (docs/tools.md).
 *
 *   vhash [--length N] [--keyed | --derive-key CONTEXT] [--no-names]
 *         [--raw] [--] [FILE]...
 *
 * Exit status: 0 all inputs hashed; 1 some input could not be read (the
 * others are still hashed, as b3sum does) or output failed; 2 usage
 * error (bad option, bad length, bad key), nothing hashed. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <v/cpu.h>
#include <v/crypto.h>
#include <v/mem.h>

#define READ_SIZE (256u * 1024u) /* big enough for the 8-lane path */

static const char USAGE[] =
    "usage: vhash [--length N] [--keyed | --derive-key CONTEXT] "
    "[--no-names] [--raw] [FILE]...\n"
    "  BLAKE3 of each FILE ('-' or none: standard input), printed as\n"
    "  '<hex>  <name>'. --keyed reads the 32-byte key from standard input.\n";

struct opts {
    uint64_t length;
    bool keyed, derive, no_names, raw;
    const char *context;
};

static int usage_error(const char *what, const char *arg)
{
    if (arg)
        fprintf(stderr, "vhash: %s '%s'\n", what, arg);
    else
        fprintf(stderr, "vhash: %s\n", what);
    fputs(USAGE, stderr);
    return 2;
}

/* Decimal, no sign, no spaces, fits in 64 bits. */
static bool parse_u64(const char *s, uint64_t *out)
{
    uint64_t v = 0;
    if (*s == '\0')
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return false;
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* Reads the whole key from standard input: exactly 32 raw bytes. */
static int read_key(uint8_t key[V_BLAKE3_KEY_LEN])
{
    uint8_t buf[V_BLAKE3_KEY_LEN + 1];
    size_t got = 0;
    for (;;) {
        ssize_t r = read(0, buf + got, sizeof buf - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "vhash: reading the key from standard input: %s\n",
                    strerror(errno));
            return 2;
        }
        if (r == 0)
            break;
        got += (size_t)r;
        if (got == sizeof buf)
            break;
    }
    if (got != V_BLAKE3_KEY_LEN) {
        v_mem_wipe(buf, sizeof buf);
        fprintf(stderr, "vhash: --keyed: the key on standard input must be "
                        "exactly 32 bytes (got %s)\n",
                got > V_BLAKE3_KEY_LEN ? "more" : "fewer");
        return 2;
    }
    memcpy(key, buf, V_BLAKE3_KEY_LEN);
    v_mem_wipe(buf, sizeof buf);
    return 0;
}

/* Hashes everything readable from fd into h. 0, or errno. */
static int absorb(int fd, v_blake3_hasher *h, uint8_t *buf)
{
    for (;;) {
        ssize_t r = read(fd, buf, READ_SIZE);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return errno;
        if (r == 0)
            return 0;
        v_blake3_update(h, buf, (size_t)r);
    }
}

/* b3sum's escaping: a name holding a backslash, newline or carriage
 * return is written with those escaped, and the line starts with '\'. */
static bool needs_escape(const char *name)
{
    return strpbrk(name, "\\\n\r") != NULL;
}

static void put_name(const char *name)
{
    for (const char *p = name; *p; p++) {
        if (*p == '\\')
            fputs("\\\\", stdout);
        else if (*p == '\n')
            fputs("\\n", stdout);
        else if (*p == '\r')
            fputs("\\r", stdout);
        else
            putchar(*p);
    }
}

static void print_result(const v_blake3_hasher *h, const char *name,
                         const struct opts *o)
{
    v_blake3_output out;
    v_blake3_output_init(h, &out);
    bool escaped = !o->no_names && !o->raw && needs_escape(name);
    if (escaped)
        putchar('\\');
    uint8_t bytes[512];
    char hex[2 * sizeof bytes];
    static const char digits[] = "0123456789abcdef";
    for (uint64_t left = o->length; left > 0;) {
        size_t n = left < sizeof bytes ? (size_t)left : sizeof bytes;
        v_blake3_output_read(&out, bytes, n);
        if (o->raw) {
            fwrite(bytes, 1, n, stdout);
        } else {
            for (size_t i = 0; i < n; i++) {
                hex[2 * i] = digits[bytes[i] >> 4];
                hex[2 * i + 1] = digits[bytes[i] & 15];
            }
            fwrite(hex, 1, 2 * n, stdout);
        }
        left -= n;
    }
    v_mem_wipe(&out, sizeof out);
    v_mem_wipe(bytes, sizeof bytes);
    if (o->raw)
        return;
    if (!o->no_names) {
        fputs("  ", stdout);
        put_name(name);
    }
    putchar('\n');
}

/* 0 hashed and printed, 1 could not read (message printed). */
static int hash_one(const char *name, const v_blake3_hasher *proto,
                    const struct opts *o, uint8_t *buf)
{
    bool is_stdin = strcmp(name, "-") == 0;
    int fd = is_stdin ? 0 : open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "vhash: %s: %s\n", name, strerror(errno));
        return 1;
    }
    v_blake3_hasher h = *proto;
    int err = absorb(fd, &h, buf);
    if (!is_stdin)
        close(fd);
    if (err) {
        fprintf(stderr, "vhash: %s: %s\n", name, strerror(err));
        v_blake3_wipe(&h);
        return 1;
    }
    print_result(&h, name, o);
    v_blake3_wipe(&h);
    return 0;
}

int main(int argc, char **argv)
{
    struct opts o = {.length = V_BLAKE3_OUT_LEN};
    int first_file = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            first_file = i + 1;
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            first_file = i;
            break;
        }
        if (strcmp(a, "--length") == 0 || strcmp(a, "-l") == 0 ||
            strncmp(a, "--length=", 9) == 0) {
            const char *v = a[2] == 'l' && a[8] == '=' ? a + 9 : argv[++i];
            if (v == NULL)
                return usage_error("missing value for", a);
            if (!parse_u64(v, &o.length))
                return usage_error("--length needs a byte count, not", v);
        } else if (strcmp(a, "--derive-key") == 0 ||
                   strncmp(a, "--derive-key=", 13) == 0) {
            const char *v = a[12] == '=' ? a + 13 : argv[++i];
            if (v == NULL)
                return usage_error("missing value for", a);
            o.derive = true;
            o.context = v;
        } else if (strcmp(a, "--keyed") == 0) {
            o.keyed = true;
        } else if (strcmp(a, "--no-names") == 0) {
            o.no_names = true;
        } else if (strcmp(a, "--raw") == 0) {
            o.raw = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(USAGE, stdout);
            return 0;
        } else {
            return usage_error("unknown option", a);
        }
    }
    if (o.keyed && o.derive)
        return usage_error("--keyed and --derive-key exclude each other",
                           NULL);
    char *stdin_only[] = {"-", NULL};
    char **files = first_file < argc ? argv + first_file : stdin_only;
    int nfiles = first_file < argc ? argc - first_file : 1;
    if (o.raw && nfiles != 1)
        return usage_error("--raw needs exactly one input", NULL);
    if (o.keyed) {
        for (int i = 0; i < nfiles; i++)
            if (strcmp(files[i], "-") == 0)
                return usage_error("--keyed reads the key from standard "
                                   "input, so it cannot also hash it",
                                   NULL);
    }

    /* One CPUID query for the whole run; every hasher is a copy. */
    v_blake3_hasher proto;
    if (o.keyed) {
        uint8_t key[V_BLAKE3_KEY_LEN];
        int rc = read_key(key);
        if (rc)
            return rc;
        v_blake3_init_keyed(&proto, key);
        v_mem_wipe(key, sizeof key);
    } else if (o.derive) {
        v_blake3_init_derive_key(&proto, o.context, strlen(o.context));
    } else {
        v_blake3_init(&proto);
    }
    v_blake3_use_cpu(&proto, v_cpu_detect());

    uint8_t *buf = malloc(READ_SIZE);
    if (buf == NULL) {
        fputs("vhash: out of memory\n", stderr);
        return 1;
    }
    int status = 0;
    for (int i = 0; i < nfiles; i++)
        if (hash_one(files[i], &proto, &o, buf))
            status = 1;
    v_blake3_wipe(&proto);
    free(buf);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "vhash: writing the output: %s\n", strerror(errno));
        status = 1;
    }
    return status;
}
