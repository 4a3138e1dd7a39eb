/* vsign — Ed25519 keys and detached signatures of files (docs/tools.md).
 *
 *   vsign keygen -s SECRET -p PUBLIC
 *   vsign public -s SECRET                  (prints the public key line)
 *   vsign sign -s SECRET [-o SIGFILE] FILE  (default SIGFILE: FILE.vsig)
 *   vsign verify -p PUBLIC [-x SIGFILE] FILE
 *
 * Every file is one line of text:
 *   vsign-ed25519-secret-key <64 hex digits: the 32-byte seed>
 *   vsign-ed25519-public-key <64 hex digits>
 *   vsign-ed25519-signature <128 hex digits> key <16 hex digits>
 * The signature is pure Ed25519 (RFC 8032) over the file's bytes; "key"
 * names the first 8 bytes of the signer's public key, so a signature
 * checked against the wrong key says so instead of just failing.
 *
 * Exit status: 0 success (verify: the signature is good); 1 the
 * signature does not verify or is for another key; 2 usage error or an
 * unreadable, malformed or existing file. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <v/crypto.h>
#include <v/mem.h>

#define SECRET_TAG "vsign-ed25519-secret-key "
#define PUBLIC_TAG "vsign-ed25519-public-key "
#define SIG_TAG "vsign-ed25519-signature "
#define KEY_TAG " key "
#define KEY_ID_LEN 8
#define MAX_LINE 256 /* longer than any valid file; bounds the read */

static const char USAGE[] =
    "usage: vsign keygen -s SECRET -p PUBLIC\n"
    "       vsign public -s SECRET\n"
    "       vsign sign -s SECRET [-o SIGFILE] FILE\n"
    "       vsign verify -p PUBLIC [-x SIGFILE] FILE\n"
    "  SIGFILE defaults to FILE.vsig; FILE '-' is standard input.\n";

/* Prints "vsign: <message>" and returns 2, the status for bad input. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("vsign: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

static int usage(const char *why, const char *arg)
{
    fprintf(stderr, "vsign: %s%s%s%s\n", why, arg ? " '" : "",
            arg ? arg : "", arg ? "'" : "");
    fputs(USAGE, stderr);
    return 2;
}

static void to_hex(char *out, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[p[i] >> 4];
        out[2 * i + 1] = digits[p[i] & 15];
    }
    out[2 * n] = '\0';
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Exactly 2n hex digits at s. */
static bool from_hex(uint8_t *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_digit(s[2 * i]);
        int lo = hi < 0 ? -1 : hex_digit(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

/* Reads a small text file whole into line (NUL-terminated, one trailing
 * newline removed). 0, or 2 with a message. */
static int read_line_file(const char *path, const char *what,
                          char line[MAX_LINE + 2])
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return fail("cannot read %s '%s': %s", what, path, strerror(errno));
    size_t n = fread(line, 1, MAX_LINE + 1, f);
    bool err = ferror(f);
    fclose(f);
    if (err)
        return fail("cannot read %s '%s'", what, path);
    if (n > MAX_LINE)
        return fail("%s '%s' is malformed: too long", what, path);
    line[n] = '\0';
    if (strlen(line) != n)
        return fail("%s '%s' is malformed: it holds a NUL byte", what, path);
    if (n > 0 && line[n - 1] == '\n')
        line[--n] = '\0';
    return 0;
}

/* "<tag><2n hex digits>" and nothing more (rest == NULL), or followed by
 * text returned in *rest. */
static bool parse_tagged(const char *line, const char *tag, uint8_t *out,
                         size_t n, const char **rest)
{
    size_t tl = strlen(tag);
    if (strncmp(line, tag, tl) != 0 || strlen(line) < tl + 2 * n)
        return false;
    if (!from_hex(out, line + tl, n))
        return false;
    const char *after = line + tl + 2 * n;
    if (rest) {
        *rest = after;
        return true;
    }
    return *after == '\0';
}

static int load_secret(const char *path, uint8_t pk[32], uint8_t sk[64])
{
    char line[MAX_LINE + 2];
    int rc = read_line_file(path, "secret key", line);
    if (rc)
        return rc;
    uint8_t seed[V_ED25519_SEED_LEN];
    bool ok = parse_tagged(line, SECRET_TAG, seed, sizeof seed, NULL);
    v_mem_wipe(line, sizeof line);
    if (!ok) {
        v_mem_wipe(seed, sizeof seed);
        return fail("secret key '%s' is malformed: expected one line '"
                    SECRET_TAG "<64 hex digits>'", path);
    }
    v_ed25519_keypair(pk, sk, seed);
    v_mem_wipe(seed, sizeof seed);
    return 0;
}

static int load_public(const char *path, uint8_t pk[32])
{
    char line[MAX_LINE + 2];
    int rc = read_line_file(path, "public key", line);
    if (rc)
        return rc;
    if (!parse_tagged(line, PUBLIC_TAG, pk, 32, NULL))
        return fail("public key '%s' is malformed: expected one line '"
                    PUBLIC_TAG "<64 hex digits>'", path);
    return 0;
}

/* The whole input in memory: pure Ed25519 reads the message twice. */
static int read_all(const char *path, uint8_t **data, size_t *len)
{
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail("cannot read '%s': %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (buf == NULL) {
            if (!is_stdin)
                close(fd);
            return fail("'%s': out of memory", path);
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            if (!is_stdin)
                close(fd);
            return fail("cannot read '%s': %s", path, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == cap) {
            uint8_t *bigger = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
            if (bigger == NULL)
                free(buf);
            buf = bigger;
            cap *= 2;
        }
    }
    if (!is_stdin)
        close(fd);
    *data = buf;
    *len = n;
    return 0;
}

/* Writes text to a new file (never over an existing one), with mode. */
static int write_new(const char *path, const char *text, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0 && errno == EEXIST)
        return fail("'%s' already exists; not overwriting it", path);
    if (fd < 0)
        return fail("cannot create '%s': %s", path, strerror(errno));
    size_t len = strlen(text), done = 0;
    while (done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            int e = errno;
            close(fd);
            unlink(path);
            return fail("cannot write '%s': %s", path, strerror(e));
        }
        done += (size_t)w;
    }
    if (close(fd) != 0) {
        unlink(path);
        return fail("cannot write '%s': %s", path, strerror(errno));
    }
    return 0;
}

static int cmd_keygen(const char *secret, const char *public)
{
    uint8_t seed[V_ED25519_SEED_LEN], pk[32], sk[64];
    size_t got = 0;
    while (got < sizeof seed) {
        ssize_t r = getrandom(seed + got, sizeof seed - got, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return fail("no randomness from getrandom: %s",
                        strerror(errno));
        got += (size_t)r;
    }
    v_ed25519_keypair(pk, sk, seed);
    char text[MAX_LINE];
    char hex[129];
    to_hex(hex, seed, sizeof seed);
    snprintf(text, sizeof text, SECRET_TAG "%s\n", hex);
    v_mem_wipe(seed, sizeof seed);
    v_mem_wipe(sk, sizeof sk);
    v_mem_wipe(hex, sizeof hex);
    /* The public file first: if the secret cannot be written, no key is
     * lost; if the public one cannot, no secret is left behind. */
    char pub[MAX_LINE];
    to_hex(hex, pk, 32);
    snprintf(pub, sizeof pub, PUBLIC_TAG "%s\n", hex);
    int rc = write_new(public, pub, 0644);
    if (rc == 0) {
        rc = write_new(secret, text, 0600);
        if (rc)
            unlink(public);
    }
    v_mem_wipe(text, sizeof text);
    return rc;
}

static int cmd_public(const char *secret)
{
    uint8_t pk[32], sk[64];
    int rc = load_secret(secret, pk, sk);
    v_mem_wipe(sk, sizeof sk);
    if (rc)
        return rc;
    char hex[65];
    to_hex(hex, pk, 32);
    printf(PUBLIC_TAG "%s\n", hex);
    return fflush(stdout) == 0 ? 0 : fail("writing the output: %s",
                                          strerror(errno));
}

static int cmd_sign(const char *secret, const char *sigpath, const char *file)
{
    uint8_t pk[32], sk[64], sig[64];
    int rc = load_secret(secret, pk, sk);
    if (rc) {
        v_mem_wipe(sk, sizeof sk);
        return rc;
    }
    uint8_t *data;
    size_t len;
    rc = read_all(file, &data, &len);
    if (rc) {
        v_mem_wipe(sk, sizeof sk);
        return rc;
    }
    v_ed25519_sign(sig, data, len, sk);
    v_mem_wipe(sk, sizeof sk);
    free(data);
    char sighex[129], idhex[2 * KEY_ID_LEN + 1], text[MAX_LINE];
    to_hex(sighex, sig, 64);
    to_hex(idhex, pk, KEY_ID_LEN);
    snprintf(text, sizeof text, SIG_TAG "%s" KEY_TAG "%s\n", sighex, idhex);
    return write_new(sigpath, text, 0644);
}

static int cmd_verify(const char *public, const char *sigpath,
                      const char *file)
{
    uint8_t pk[32], sig[64], id[KEY_ID_LEN];
    int rc = load_public(public, pk);
    if (rc)
        return rc;
    char line[MAX_LINE + 2];
    rc = read_line_file(sigpath, "signature", line);
    if (rc)
        return rc;
    const char *rest;
    if (!parse_tagged(line, SIG_TAG, sig, 64, &rest) ||
        strncmp(rest, KEY_TAG, strlen(KEY_TAG)) != 0 ||
        !parse_tagged(rest, KEY_TAG, id, KEY_ID_LEN, NULL))
        return fail("signature '%s' is malformed: expected one line '" SIG_TAG
                    "<128 hex digits>" KEY_TAG "<16 hex digits>'",
                    sigpath);
    if (memcmp(id, pk, KEY_ID_LEN) != 0) {
        char want[2 * KEY_ID_LEN + 1], got[2 * KEY_ID_LEN + 1];
        to_hex(got, id, KEY_ID_LEN);
        to_hex(want, pk, KEY_ID_LEN);
        fprintf(stderr, "vsign: %s: signature is by key %s, not by the "
                        "given public key %s\n", file, got, want);
        return 1;
    }
    uint8_t *data;
    size_t len;
    rc = read_all(file, &data, &len);
    if (rc)
        return rc;
    v_status st = v_ed25519_verify(sig, data, len, pk);
    free(data);
    if (st != V_OK) {
        fprintf(stderr, "vsign: %s: BAD signature: the file, the signature "
                        "or the key was altered\n", file);
        return 1;
    }
    printf("%s: signature OK\n", file);
    return fflush(stdout) == 0 ? 0 : fail("writing the output: %s",
                                          strerror(errno));
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage("missing command", NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    const char *secret = NULL, *public = NULL, *out = NULL, *file = NULL;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "-s") == 0   ? &secret
                            : strcmp(a, "-p") == 0 ? &public
                            : strcmp(a, "-o") == 0 ? &out
                            : strcmp(a, "-x") == 0 ? &out
                                                   : NULL;
        if (slot) {
            if (i + 1 >= argc)
                return usage("missing value for", a);
            *slot = argv[++i];
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage("unknown option", a);
        } else if (file == NULL) {
            file = a;
        } else {
            return usage("unexpected argument", a);
        }
    }
    char defsig[4096];
    if (strcmp(cmd, "sign") == 0 || strcmp(cmd, "verify") == 0) {
        if (file == NULL)
            return usage("missing FILE", NULL);
        if (out == NULL) {
            if (strcmp(file, "-") == 0)
                return usage("standard input needs an explicit SIGFILE",
                             NULL);
            if ((size_t)snprintf(defsig, sizeof defsig, "%s.vsig", file) >=
                sizeof defsig)
                return usage("FILE name too long", NULL);
            out = defsig;
        }
    } else if (file != NULL) {
        return usage("unexpected argument", file);
    }
    if (strcmp(cmd, "keygen") == 0) {
        if (secret == NULL || public == NULL || out)
            return usage("keygen needs -s SECRET and -p PUBLIC", NULL);
        return cmd_keygen(secret, public);
    }
    if (strcmp(cmd, "public") == 0) {
        if (secret == NULL || public || out)
            return usage("public needs -s SECRET only", NULL);
        return cmd_public(secret);
    }
    if (strcmp(cmd, "sign") == 0) {
        if (secret == NULL || public)
            return usage("sign needs -s SECRET", NULL);
        return cmd_sign(secret, out, file);
    }
    if (strcmp(cmd, "verify") == 0) {
        if (public == NULL || secret)
            return usage("verify needs -p PUBLIC", NULL);
        return cmd_verify(public, out, file);
    }
    return usage("unknown command", cmd);
}
