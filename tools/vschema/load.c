/* load.c — reading schema files and following their imports. */
#include <stdlib.h>
#include <string.h>

#include "vschema.h"

static vs_schema *load_text(vs_ctx *c, const char *file, const char *text,
                            size_t len);

/* The folder part of a path, with its trailing '/', or "". */
static const char *dir_of(vs_ctx *c, const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? vs_strndup(c, path, (size_t)(slash - path + 1)) : "";
}

static int try_read(vs_ctx *c, const char *path, char **data, size_t *len)
{
    return c->read ? c->read(c->read_ctx, path, data, len) : -1;
}

vs_schema *vs_load(vs_ctx *c, const char *path, vs_pos from)
{
    for (size_t i = 0; i < c->n_loaded; i++) {
        if (strcmp(c->loaded[i]->file, path) == 0) {
            if (c->loaded[i]->loading)
                vs_fail(c, from, "import cycle: '%s' imports itself", path);
            return c->loaded[i];
        }
    }
    if (c->load_depth >= VS_MAX_IMPORT_DEPTH)
        vs_fail(c, from, "imports nested more than %d deep",
                VS_MAX_IMPORT_DEPTH);
    char *data = NULL;
    size_t len = 0;
    if (try_read(c, path, &data, &len) != 0)
        vs_fail(c, from, "cannot read '%s'", path);
    char *text = vs_alloc(c, len + 1);
    memcpy(text, data, len);
    free(data);
    return load_text(c, vs_strndup(c, path, strlen(path)), text, len);
}

/* Finds an import: next to the importing file, then in each -I folder. */
static const char *resolve(vs_ctx *c, const vs_schema *from,
                           const vs_import *im)
{
    const char *cand = vs_printf(c, "%s%s", dir_of(c, from->file), im->path);
    for (size_t i = 0; i < c->n_loaded; i++)
        if (strcmp(c->loaded[i]->file, cand) == 0)
            return cand;
    char *data;
    size_t len;
    if (try_read(c, cand, &data, &len) == 0) {
        free(data);
        return cand;
    }
    for (size_t i = 0; i < c->n_include_dirs; i++) {
        const char *alt =
            vs_printf(c, "%s/%s", c->include_dirs[i], im->path);
        if (try_read(c, alt, &data, &len) == 0) {
            free(data);
            return alt;
        }
    }
    return cand; /* fails in vs_load with the path tried first */
}

static vs_schema *load_text(vs_ctx *c, const char *file, const char *text,
                            size_t len)
{
    vs_schema *s = vs_parse(c, file, text, len);
    vs_schema **grown = vs_alloc(c, (c->n_loaded + 1) * sizeof *grown);
    if (c->n_loaded)
        memcpy(grown, c->loaded, c->n_loaded * sizeof *grown);
    grown[c->n_loaded++] = s;
    c->loaded = grown;
    s->loading = true;
    c->load_depth++;
    for (size_t i = 0; i < s->n_imports; i++) {
        vs_import *im = &s->imports[i];
        im->schema = vs_load(c, resolve(c, s, im), im->pos);
        if (strcmp(im->schema->name, s->name) == 0)
            vs_fail(c, im->pos, "'%s' declares schema '%s', the name of "
                    "the importing schema", im->path, s->name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->imports[j].schema->name, im->schema->name) == 0)
                vs_fail(c, im->pos, "schema '%s' imported twice",
                        im->schema->name);
    }
    c->load_depth--;
    s->loading = false;
    vs_check(c, s);
    return s;
}

int vs_parse_text(vs_ctx *c, const char *file, const char *text, size_t len,
                  vs_schema **out)
{
    jmp_buf env;
    c->on_error = &env;
    if (setjmp(env))
        return -1;
    const char *name = vs_strndup(c, file, strlen(file));
    char *copy = vs_alloc(c, len + 1);
    memcpy(copy, text, len);
    *out = load_text(c, name, copy, len);
    return 0;
}

int vs_compile(vs_ctx *c, const char *path, vs_schema **out)
{
    jmp_buf env;
    c->on_error = &env;
    if (setjmp(env))
        return -1;
    vs_pos none = {path, 0, 0};
    *out = vs_load(c, path, none);
    return 0;
}
