/* mkbundle — build, verify and list Bundles (docs/bundle.md,
 * docs/tools.md).
 *
 *   mkbundle -k SECRET -o OUT NAME=PATH...   writes a signed bundle
 *   mkbundle verify -p PUBLIC BUNDLE         checks signature and hashes
 *   mkbundle list BUNDLE                     prints entries (unverified)
 *
 * Key files are vsign's (docs/tools.md): one line, a tag, a space, 64 hex
 * digits. The byte work is libv's (lib/bundle); this file only moves
 * files in and out and turns reasons into messages.
 *
 * Exit status: 0 success; 1 the bundle fails verification; 2 usage, or
 * an unreadable, malformed or existing file. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <v/bundle.h>
#include <v/crypto_25519.h>
#include <v/mem.h>

static const char USAGE[] =
    "usage: mkbundle -k SECRET_KEY_FILE -o OUT NAME=PATH...\n"
    "       mkbundle verify -p PUBLIC_KEY_FILE BUNDLE\n"
    "       mkbundle list BUNDLE\n";

#define KEY_FILE_MAX 256

static int usage(const char *why)
{
    fprintf(stderr, "mkbundle: %s\n%s", why, USAGE);
    return 2;
}

/* Reads a whole file. Returns 0, or 2 after printing why. */
static int read_all(const char *path, uint8_t **data, size_t *len,
                    size_t max)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "mkbundle: cannot read '%s': %s\n", path,
                strerror(errno));
        return 2;
    }
    size_t cap = 4096, n = 0;
    uint8_t *p = malloc(cap);
    while (p) {
        n += fread(p + n, 1, cap - n, f);
        if (n < cap || n > max)
            break;
        uint8_t *q = realloc(p, cap * 2);
        if (!q) {
            free(p);
            p = NULL;
            break;
        }
        p = q;
        cap *= 2;
    }
    int err = p == NULL ? ENOMEM : ferror(f) ? EIO : 0;
    fclose(f);
    if (!err && n > max)
        err = EFBIG;
    if (err) {
        free(p);
        fprintf(stderr, "mkbundle: cannot read '%s': %s\n", path,
                strerror(err));
        return 2;
    }
    *data = p;
    *len = n;
    return 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* One line "TAG <64 hex digits>", final newline optional. */
static int load_key(const char *path, const char *tag, uint8_t out[32])
{
    uint8_t *text;
    size_t len;
    if (read_all(path, &text, &len, KEY_FILE_MAX) != 0)
        return 2;
    size_t tl = strlen(tag);
    bool ok = len > 0 && len <= KEY_FILE_MAX;
    if (ok && text[len - 1] == '\n')
        len--;
    ok = ok && len == tl + 1 + 64 && memcmp(text, tag, tl) == 0 &&
         text[tl] == ' ';
    for (size_t i = 0; ok && i < 32; i++) {
        int hi = hex_value((char)text[tl + 1 + 2 * i]);
        int lo = hex_value((char)text[tl + 2 + 2 * i]);
        ok = hi >= 0 && lo >= 0;
        out[i] = (uint8_t)(hi << 4 | (lo & 15));
    }
    v_mem_wipe(text, len);
    free(text);
    if (!ok) {
        v_mem_wipe(out, 32);
        fprintf(stderr, "mkbundle: key file '%s' is malformed: expected one "
                "line '%s <64 hex digits>'\n", path, tag);
        return 2;
    }
    return 0;
}

static int by_name(const void *a, const void *b)
{
    const v_bundle_input *x = a, *y = b;
    size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, n);
    if (c)
        return c;
    return x->name_len < y->name_len ? -1 : x->name_len > y->name_len;
}

static int cmd_create(const char *secret, const char *out, int n,
                      char **args)
{
    uint8_t seed[32], pk[32], sk[64];
    if (load_key(secret, "vsign-ed25519-secret-key", seed) != 0)
        return 2;
    v_ed25519_keypair(pk, sk, seed);
    v_mem_wipe(seed, sizeof seed);

    int rc = 2;
    v_bundle_input *in = calloc((size_t)n + 1, sizeof *in);
    uint8_t *bundle = NULL;
    uint64_t size = 0;
    int i = 0;
    if (!in)
        goto done;
    for (; i < n; i++) {
        char *eq = strchr(args[i], '=');
        if (!eq || eq == args[i] || eq[1] == '\0') {
            fprintf(stderr, "mkbundle: '%s' is not NAME=PATH\n", args[i]);
            goto done;
        }
        in[i].name = args[i];
        in[i].name_len = (size_t)(eq - args[i]);
        if (v_bundle_check_name(in[i].name, in[i].name_len) != V_OK) {
            fprintf(stderr, "mkbundle: '%.*s' is not a valid entry name: "
                    "1..255 bytes of '/'-separated components, no '.', '..' "
                    "or empty ones\n", (int)in[i].name_len, in[i].name);
            goto done;
        }
        uint8_t *data;
        size_t len;
        if (read_all(eq + 1, &data, &len, (size_t)V_BUNDLE_MAX_SIZE) != 0)
            goto done;
        in[i].data = data;
        in[i].size = len;
    }
    qsort(in, (size_t)n, sizeof *in, by_name);
    v_bundle_reason why;
    if (v_bundle_size(in, (size_t)n, &size, &why) != V_OK) {
        int j = 1;
        while (why == V_BUNDLE_DUPLICATE_NAME && j < n &&
               by_name(&in[j - 1], &in[j]) != 0)
            j++;
        if (why == V_BUNDLE_DUPLICATE_NAME && j < n)
            fprintf(stderr, "mkbundle: two entries are named '%.*s'\n",
                    (int)in[j].name_len, in[j].name);
        else
            fprintf(stderr, "mkbundle: %s\n", v_bundle_reason_text(why));
        goto done;
    }
    bundle = malloc((size_t)size);
    size_t len = 0;
    if (!bundle || v_bundle_write(in, (size_t)n, sk, bundle, (size_t)size,
                                  &len, &why) != V_OK) {
        fprintf(stderr, "mkbundle: cannot build the bundle: %s\n",
                bundle ? v_bundle_reason_text(why) : "out of memory");
        goto done;
    }
    int fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0) {
        if (errno == EEXIST)
            fprintf(stderr, "mkbundle: '%s' already exists; not "
                    "overwriting it\n", out);
        else
            fprintf(stderr, "mkbundle: cannot create '%s': %s\n", out,
                    strerror(errno));
        goto done;
    }
    size_t done_bytes = 0;
    while (done_bytes < len) {
        ssize_t w = write(fd, bundle + done_bytes, len - done_bytes);
        if (w <= 0)
            break;
        done_bytes += (size_t)w;
    }
    if (close(fd) != 0 || done_bytes != len) {
        fprintf(stderr, "mkbundle: cannot write '%s'\n", out);
        unlink(out);
        goto done;
    }
    rc = 0;
done:
    for (int j = 0; in && j < n; j++)
        free((void *)in[j].data);
    free(in);
    free(bundle);
    v_mem_wipe(sk, sizeof sk);
    return rc;
}

static int cmd_verify(const char *public, const char *path)
{
    uint8_t pk[32];
    if (load_key(public, "vsign-ed25519-public-key", pk) != 0)
        return 2;
    uint8_t *data;
    size_t len;
    if (read_all(path, &data, &len, (size_t)V_BUNDLE_MAX_SIZE) != 0)
        return 2;
    v_bundle b;
    v_bundle_reason why;
    int rc = 0;
    if (v_bundle_open(&b, data, len, pk, &why) != V_OK) {
        fprintf(stderr, "mkbundle: %s: %s\n", path, v_bundle_reason_text(why));
        rc = 1;
    }
    for (uint32_t i = 0; rc == 0 && i < b.count; i++) {
        v_bundle_entry e;
        v_bundle_entry_at(&b, i, &e);
        if (v_bundle_entry_verify(&e, &why) != V_OK) {
            fprintf(stderr, "mkbundle: %s: entry '%.*s': %s\n", path,
                    (int)e.name_len, e.name, v_bundle_reason_text(why));
            rc = 1;
        }
    }
    if (rc == 0)
        printf("%s: OK, %u entries\n", path, (unsigned)b.count);
    free(data);
    return rc;
}

/* Names may hold any UTF-8 but '/' and NUL; control bytes and '\' are
 * escaped so that one entry is one line. */
static void put_name(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f || c == '\\')
            printf("\\x%02x", c);
        else
            putchar(c);
    }
}

static int cmd_list(const char *path)
{
    uint8_t *data;
    size_t len;
    if (read_all(path, &data, &len, (size_t)V_BUNDLE_MAX_SIZE) != 0)
        return 2;
    v_bundle b;
    v_bundle_reason why;
    if (v_bundle_inspect(&b, data, len, &why) != V_OK) {
        fprintf(stderr, "mkbundle: %s: %s\n", path, v_bundle_reason_text(why));
        free(data);
        return 1;
    }
    for (uint32_t i = 0; i < b.count; i++) {
        v_bundle_entry e;
        v_bundle_entry_at(&b, i, &e);
        for (unsigned j = 0; j < V_BUNDLE_HASH_LEN; j++)
            printf("%02x", e.hash[j]);
        printf(" %llu ", (unsigned long long)e.size);
        put_name(e.name, e.name_len);
        putchar('\n');
    }
    free(data);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0) {
        if (argc != 5 || strcmp(argv[2], "-p") != 0)
            return usage("verify takes -p PUBLIC_KEY_FILE BUNDLE");
        return cmd_verify(argv[3], argv[4]);
    }
    if (argc >= 2 && strcmp(argv[1], "list") == 0) {
        if (argc != 3)
            return usage("list takes one BUNDLE");
        return cmd_list(argv[2]);
    }
    const char *secret = NULL, *out = NULL;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-k") == 0 && !secret)
            secret = argv[i + 1];
        else if (strcmp(argv[i], "-o") == 0 && !out)
            out = argv[i + 1];
        else
            return usage("unknown or repeated option");
    }
    if (!secret || !out)
        return usage("-k SECRET_KEY_FILE and -o OUT are required");
    if (argc - i > (int)V_BUNDLE_MAX_ENTRIES)
        return usage("too many entries (at most 65535)");
    return cmd_create(secret, out, argc - i, argv + i);
}
