/* vcodec — check, pretty-print and convert encoded documents
 * (docs/tools.md).
 *
 *   vcodec check FILE|-
 *   vcodec fmt [--indent N] [FILE|-]
 *   vcodec convert --schema S --type T --from F --to F [-I DIR]...
 *                  [--skip-unknown] [FILE|-]
 *
 * Exit status: 0 success; 1 the input is not a valid document (the
 * message gives where and why); 2 usage error, a schema that does not
 * compile, unreadable input or failed output. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <v/encoding.h>

#include "vcodec.h"

/* Bounds for documents without a schema. Generous for people's files,
 * still finite so a hostile input fails with a message, not an OOM. */
#define MAX_INPUT (256u * 1024u * 1024u)
#define MAX_DEPTH 1024u
#define MAX_ELEMENTS (16u * 1024u * 1024u)
#define MAX_NUMBER 4096u
/* Keys of all open objects remembered for the duplicate check. Each key
 * is compared with its object's earlier ones, so this also caps the
 * quadratic cost of one huge object. */
#define KEY_SLOTS 65536u
#define OUT_STAGE (64u * 1024u)

static const char USAGE[] =
    "usage: vcodec check FILE|-\n"
    "       vcodec fmt [--indent N] [FILE|-]\n"
    "       vcodec convert --schema S --type T --from json|msgpack|binary\n"
    "                      --to json|msgpack|binary [-I DIR]...\n"
    "                      [--skip-unknown] [FILE|-]\n"
    "  check: exit 0 if FILE is valid JSON (RFC 8259, strict), else 1 and\n"
    "  'NAME:LINE:COLUMN: reason' on standard error.\n"
    "  fmt: the JSON document re-indented for reading (default 2 spaces).\n"
    "  convert: a value of type T of schema S from one encoding to another\n"
    "  (exit 1 and 'NAME: offset N: reason' if the input is not one).\n";

static int usage_error(const char *what, const char *arg)
{
    if (arg)
        fprintf(stderr, "vcodec: %s '%s'\n", what, arg);
    else
        fprintf(stderr, "vcodec: %s\n", what);
    fputs(USAGE, stderr);
    return 2;
}

/* The whole input in memory: the pull parser works over one buffer.
 * 0, or 2 with a message (too_long for an input over max bytes). */
int vcodec_read_all(const char *name, size_t max, int too_long,
                    uint8_t **data, size_t *len)
{
    bool is_stdin = strcmp(name, "-") == 0;
    int fd = is_stdin ? 0 : open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(stderr, "vcodec: %s: %s\n", name, strerror(errno));
        return 2;
    }
    size_t cap = 64 * 1024, n = 0;
    uint8_t *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            if (n > max) {
                fprintf(stderr, "vcodec: %s: longer than %zu bytes\n",
                        vcodec_display_name(name), max);
                rc = too_long;
                break;
            }
            uint8_t *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            fprintf(stderr, "vcodec: %s: %s\n", name, strerror(errno));
            rc = 2;
            break;
        }
        if (r == 0) {
            /* Also when the last read crossed the bound. */
            if (n > max) {
                fprintf(stderr, "vcodec: %s: longer than %zu bytes\n",
                        vcodec_display_name(name), max);
                rc = too_long;
            }
            break;
        }
        n += (size_t)r;
    }
    if (!is_stdin)
        close(fd);
    if (buf == NULL) {
        fputs("vcodec: out of memory\n", stderr);
        return 2;
    }
    if (rc) {
        free(buf);
        return rc;
    }
    *data = buf;
    *len = n;
    return 0;
}

const char *vcodec_display_name(const char *name)
{
    return strcmp(name, "-") == 0 ? "<stdin>" : name;
}

/* Prints "NAME:LINE:COLUMN: reason". Lines count '\n'; columns count
 * bytes from 1 (as the vschema compiler's errors do), so a tab or a
 * multi-byte character is one column per byte. */
void vcodec_report_at(const char *name, const uint8_t *in, size_t len,
                      size_t offset, const char *reason)
{
    size_t line = 1, col = 1;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        if (in[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    fprintf(stderr, "%s:%zu:%zu: %s\n", vcodec_display_name(name), line, col,
            reason ? reason : "invalid document");
}

struct json_parse {
    v_json_reader r;
    v_json_frame *stack;
    v_json_key_slot *slots;
};

static int json_open(struct json_parse *p, const uint8_t *in, size_t len)
{
    static const v_json_limits lim = {
        .max_input = MAX_INPUT, .max_depth = MAX_DEPTH,
        .max_string = MAX_INPUT, .max_number = MAX_NUMBER,
        .max_elements = MAX_ELEMENTS,
    };
    p->stack = calloc(MAX_DEPTH, sizeof *p->stack);
    p->slots = calloc(KEY_SLOTS, sizeof *p->slots);
    if (p->stack == NULL || p->slots == NULL ||
        v_json_reader_init(&p->r, in, len, &lim, p->stack) != V_OK ||
        v_json_reader_check_duplicates(&p->r, p->slots, KEY_SLOTS) !=
            V_OK) {
        fputs("vcodec: out of memory\n", stderr);
        return 2;
    }
    return 0;
}

static void json_close(struct json_parse *p)
{
    free(p->stack);
    free(p->slots);
}

/* Runs the parser over the whole document: 0 valid, 1 invalid (reported),
 * 2 could not start. */
static int json_validate(const char *name, const uint8_t *in, size_t len)
{
    struct json_parse p;
    int rc = json_open(&p, in, len);
    if (rc == 0) {
        v_json_token tok;
        v_status s;
        while ((s = v_json_next(&p.r, &tok)) == V_OK)
            ;
        if (s != V_ERR_END) {
            const v_encoding_error *e = v_json_reader_error(&p.r);
            vcodec_report_at(name, in, len, e->offset, e->reason);
            rc = 1;
        }
    }
    json_close(&p);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    if (argc != 1)
        return usage_error("check needs exactly one FILE (or '-')", NULL);
    uint8_t *in;
    size_t len;
    int rc = vcodec_read_all(argv[0], MAX_INPUT, 2, &in, &len);
    if (rc)
        return rc;
    rc = json_validate(argv[0], in, len);
    free(in);
    return rc;
}

v_status vcodec_stdout_write(void *ctx, const void *buf, size_t len,
                             size_t *n)
{
    (void)ctx;
    *n = fwrite(buf, 1, len, stdout);
    return *n == len ? V_OK : V_ERR_IO;
}

/* Copies the validated document token by token into an indenting
 * writer. Numbers go through as written, so no digit is lost. 0, or 2
 * when output failed. */
static int json_reformat(const uint8_t *in, size_t len, unsigned indent)
{
    struct json_parse p;
    v_json_frame *wstack = calloc(MAX_DEPTH, sizeof *wstack);
    uint8_t *stage = malloc(OUT_STAGE);
    char *text = NULL;
    size_t text_cap = 0;
    /* rc 3: failed, already reported; 2: output failed, reported below. */
    int rc = json_open(&p, in, len) ? 3 : 0;
    if (rc == 0 && (wstack == NULL || stage == NULL)) {
        fputs("vcodec: out of memory\n", stderr);
        rc = 3;
    }
    v_writer sink = {.write = vcodec_stdout_write};
    v_json_writer w;
    if (rc == 0 && (v_json_writer_init(&w, stage, OUT_STAGE, &sink, wstack,
                                       MAX_DEPTH) != V_OK ||
                    v_json_writer_set_indent(&w, indent) != V_OK))
        rc = 2;
    v_json_token tok;
    v_status s = V_OK;
    while (rc == 0 && (s = v_json_next(&p.r, &tok)) == V_OK) {
        switch (tok.kind) {
        case V_JSON_OBJECT_BEGIN: s = v_json_write_object_begin(&w); break;
        case V_JSON_OBJECT_END: s = v_json_write_object_end(&w); break;
        case V_JSON_ARRAY_BEGIN: s = v_json_write_array_begin(&w); break;
        case V_JSON_ARRAY_END: s = v_json_write_array_end(&w); break;
        case V_JSON_KEY:
        case V_JSON_STRING: {
            if (tok.decoded_len + 1 > text_cap) {
                char *t = realloc(text, tok.decoded_len + 1);
                if (t == NULL) {
                    s = V_ERR_NO_MEMORY;
                    break;
                }
                text = t;
                text_cap = tok.decoded_len + 1;
            }
            size_t n;
            s = v_json_unescape(tok.text, tok.len, text, text_cap, &n);
            if (s != V_OK)
                break;
            s = tok.kind == V_JSON_KEY ? v_json_write_key(&w, text, n)
                                       : v_json_write_string(&w, text, n);
            break;
        }
        case V_JSON_INTEGER:
        case V_JSON_NUMBER:
            s = v_json_write_number_text(&w, tok.text, tok.len);
            break;
        case V_JSON_BOOL: s = v_json_write_bool(&w, tok.boolean); break;
        case V_JSON_NULL: s = v_json_write_null(&w); break;
        default: s = V_ERR_MALFORMED; break;
        }
        if (s == V_ERR_NO_MEMORY) {
            fputs("vcodec: out of memory\n", stderr);
            rc = 3;
        } else if (s != V_OK) {
            rc = 2;
        }
    }
    if (rc == 0 && s != V_ERR_END)
        rc = 2; /* cannot happen: the document was validated */
    size_t total;
    if (rc == 0 &&
        (v_json_writer_finish(&w, &total) != V_OK || putchar('\n') == EOF ||
         fflush(stdout) != 0))
        rc = 2;
    if (rc == 2 || ferror(stdout))
        fprintf(stderr, "vcodec: writing the output: %s\n",
                errno ? strerror(errno) : "failed");
    json_close(&p);
    free(wstack);
    free(stage);
    free(text);
    return rc || ferror(stdout) ? 2 : 0;
}

static int cmd_fmt(int argc, char **argv)
{
    unsigned indent = 2;
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--indent") == 0) {
            if (++i == argc)
                return usage_error("missing value for", a);
            char *end;
            unsigned long v = strtoul(argv[i], &end, 10);
            if (argv[i][0] < '0' || argv[i][0] > '9' || *end != '\0' ||
                v < 1 || v > 16)
                return usage_error("--indent needs 1 to 16, not", argv[i]);
            indent = (unsigned)v;
        } else if (a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option", a);
        } else if (file != NULL) {
            return usage_error("fmt takes at most one FILE", NULL);
        } else {
            file = a;
        }
    }
    if (file == NULL)
        file = "-";
    uint8_t *in;
    size_t len;
    int rc = vcodec_read_all(file, MAX_INPUT, 2, &in, &len);
    if (rc)
        return rc;
    /* Validate first, so an invalid document prints nothing on stdout. */
    rc = json_validate(file, in, len);
    if (rc == 0)
        rc = json_reformat(in, len, indent);
    free(in);
    return rc;
}

static bool is_format(const char *f)
{
    return strcmp(f, "json") == 0 || strcmp(f, "msgpack") == 0 ||
           strcmp(f, "binary") == 0;
}

/* Options may come in any order; -I may repeat. */
static int cmd_convert(int argc, char **argv)
{
    vcodec_convert_args a = {0};
    const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
    int rc;
    if (!dirs) {
        fputs("vcodec: out of memory\n", stderr);
        return 2;
    }
    a.include_dirs = dirs;
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        const char **slot = strcmp(o, "--schema") == 0 ? &a.schema
                            : strcmp(o, "--type") == 0 ? &a.type
                            : strcmp(o, "--from") == 0 ? &a.from
                            : strcmp(o, "--to") == 0   ? &a.to
                            : strcmp(o, "-I") == 0
                                ? &dirs[a.n_include_dirs]
                                : NULL;
        if (slot) {
            if (++i == argc) {
                free(dirs);
                return usage_error("missing value for", o);
            }
            *slot = argv[i];
            if (slot == &dirs[a.n_include_dirs])
                a.n_include_dirs++;
        } else if (strcmp(o, "--skip-unknown") == 0) {
            a.skip_unknown = true;
        } else if (o[0] == '-' && o[1] != '\0') {
            free(dirs);
            return usage_error("unknown option", o);
        } else if (a.file != NULL) {
            free(dirs);
            return usage_error("convert takes at most one FILE", NULL);
        } else {
            a.file = o;
        }
    }
    if (!a.schema || !a.type || !a.from || !a.to)
        rc = usage_error("convert needs --schema, --type, --from and --to",
                         NULL);
    else if (!is_format(a.from))
        rc = usage_error("--from needs json, msgpack or binary, not", a.from);
    else if (!is_format(a.to))
        rc = usage_error("--to needs json, msgpack or binary, not", a.to);
    else
        rc = vcodec_convert(&a);
    free(dirs);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("missing command", NULL);
    const char *cmd = argv[1];
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "fmt") == 0)
        return cmd_fmt(argc - 2, argv + 2);
    if (strcmp(cmd, "convert") == 0)
        return cmd_convert(argc - 2, argv + 2);
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
        strcmp(cmd, "help") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    return usage_error("unknown command", cmd);
}
