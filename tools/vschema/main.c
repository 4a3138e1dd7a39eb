/* main.c — the vschema command line (docs/schema.md §7).
 *
 *   vschema check FILE          parse and check; silent on success
 *   vschema canon FILE [TYPE]   print the canonical form (of one type)
 *   vschema id FILE [TYPE]      print the schema (or type) id in hex
 *   vschema gen FILE -o DIR     write DIR/<base>.h and DIR/<base>.c
 * Options anywhere: -I DIR adds an import folder.
 * Exit status: 0 success, 1 schema error (printed as file:line:col:
 * message), 2 usage or output error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vschema.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: vschema check FILE [-I DIR]...\n"
            "       vschema canon FILE [TYPE] [-I DIR]...\n"
            "       vschema id FILE [TYPE] [-I DIR]...\n"
            "       vschema gen FILE -o DIR [-I DIR]...\n");
    return 2;
}

static const vs_decl *find_type(const vs_schema *s, const char *name)
{
    for (size_t i = 0; i < s->n_decls; i++)
        if (strcmp(s->decls[i]->name, name) == 0)
            return s->decls[i];
    return NULL;
}

/* The file name without folder and without ".vs". */
static char *base_name(vs_ctx *c, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *b = slash ? slash + 1 : path;
    size_t n = strlen(b);
    if (n > 3 && strcmp(b + n - 3, ".vs") == 0)
        n -= 3;
    return vs_strndup(c, b, n);
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *cmd = argv[1];
    const char *file = NULL, *type = NULL, *out_dir = NULL;
    const char *dirs[64];
    size_t n_dirs = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-I") == 0 && i + 1 < argc) {
            if (n_dirs == sizeof dirs / sizeof dirs[0])
                return usage();
            dirs[n_dirs++] = argv[++i];
        } else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
            out_dir = argv[++i];
        } else if (argv[i][0] == '-') {
            return usage();
        } else if (!file) {
            file = argv[i];
        } else if (!type) {
            type = argv[i];
        } else {
            return usage();
        }
    }
    bool is_gen = strcmp(cmd, "gen") == 0;
    bool takes_type = strcmp(cmd, "canon") == 0 || strcmp(cmd, "id") == 0;
    if (!file || (is_gen && !out_dir) || (!is_gen && out_dir) ||
        (type && !takes_type) ||
        (!is_gen && !takes_type && strcmp(cmd, "check") != 0))
        return usage();

    vs_ctx c;
    vs_ctx_init(&c, vs_read_file, NULL);
    c.include_dirs = dirs;
    c.n_include_dirs = n_dirs;
    vs_schema *s;
    int status = 0;
    if (vs_compile(&c, file, &s) != 0) {
        fprintf(stderr, "%s\n", c.error);
        status = 1;
    } else if (takes_type) {
        const vs_decl *root = type ? find_type(s, type) : NULL;
        if (type && !root) {
            fprintf(stderr, "vschema: schema '%s' has no type '%s'\n",
                    s->name, type);
            status = 2;
        } else {
            size_t len;
            char *canon = vs_canonical(&c, s, root, &len);
            if (cmd[0] == 'c')
                fwrite(canon, 1, len, stdout);
            else
                printf("0x%016llx\n", (unsigned long long)vs_id(canon, len));
        }
    } else if (is_gen) {
        if (vs_gen_c(&c, s, out_dir, base_name(&c, file)) != 0) {
            fprintf(stderr, "%s\n", c.error);
            status = 2;
        }
    }
    vs_ctx_free(&c);
    if (fflush(stdout) != 0)
        status = 2;
    return status;
}
