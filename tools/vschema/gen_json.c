/* gen_json.c — JSON's table for the text-format walk (gen_walk.h): the
 * codecs of structs and unions on the schema-less reader and writer of
 * lib/encoding (docs/schema.md §6).
 *
 * The same shapes as msgpack: a struct is an object keyed by field name
 * (number order on output, absent optional fields left out), a union an
 * object of one member, an enum its value's name. bytes are an array of
 * integers 0..255: the writer takes a string only whole, so hex would
 * need scratch memory the encoder does not have. Output is canonical
 * JSON (no whitespace, shortest numbers); input may be any valid JSON of
 * the right shape. A list's length is learnt before allocating by
 * scanning it with a copy of the reader. */
#include "gen_walk.h"

static const char helpers[] =
"/* A member name, unescaped into key[0..64]; *n is SIZE_MAX for names\n"
" * longer than any schema name (they match nothing). */\n"
"VS_HELPER void vs_json_key(const v_json_token *k, char key[64], size_t *n)\n"
"{\n"
"    if (k->decoded_len > 64 ||\n"
"        v_json_unescape(k->text, k->len, key, 64, n) != V_OK)\n"
"        *n = SIZE_MAX;\n"
"}\n"
"\n"
"VS_HELPER bool vs_json_is(const char *key, size_t n, const char *name,\n"
"                          size_t len)\n"
"{\n"
"    return n == len && v_mem_equal(key, name, len);\n"
"}\n"
"\n"
"/* Counts the elements of the array that t opens without consuming them,\n"
" * by running a copy of the reader over it; the copy keeps its open\n"
" * containers in in->scratch, as large as the reader's own stack. */\n"
"VS_HELPER v_status vs_json_count(v_schema_json_in *in, const v_json_token *t,\n"
"                                 size_t *count)\n"
"{\n"
"    v_json_reader copy = in->r;\n"
"    v_json_token e;\n"
"    v_status s;\n"
"    v_mem_copy(in->scratch, in->r.stack, in->r.depth * sizeof *in->scratch);\n"
"    copy.stack = in->scratch;\n"
"    *count = 0;\n"
"    for (;;) {\n"
"        if ((s = v_json_next(&copy, &e)) != V_OK) {\n"
"            *in->err = copy.error;\n"
"            return s == V_ERR_END ? V_ERR_MALFORMED : s;\n"
"        }\n"
"        if (e.kind == V_JSON_ARRAY_END && e.depth == t->depth)\n"
"            return V_OK;\n"
"        ++*count;\n"
"        if ((s = v_json_skip(&copy, &e)) != V_OK) {\n"
"            *in->err = copy.error;\n"
"            return s;\n"
"        }\n"
"    }\n"
"}\n"
"\n"
"VS_HELPER v_status vs_json_string(v_schema_json_in *in, const v_json_token *t,\n"
"                                  void **out)\n"
"{\n"
"    size_t n;\n"
"    *out = NULL;\n"
"    if (t->decoded_len == 0)\n"
"        return V_OK;\n"
"    v_status s = v_alloc_bytes(in->a, t->decoded_len, 1, out);\n"
"    if (s != V_OK) {\n"
"        in->err->offset = t->offset;\n"
"        in->err->reason = \"allocation failed\";\n"
"        return s;\n"
"    }\n"
"    /* Cannot fail: the reader validated every escape. */\n"
"    v_json_unescape(t->text, t->len, *out, t->decoded_len, &n);\n"
"    return V_OK;\n"
"}\n"
"\n"
"VS_HELPER v_status vs_json_put_bytes(v_json_writer *w, const uint8_t *p,\n"
"                                     size_t n)\n"
"{\n"
"    v_status s = v_json_write_array_begin(w);\n"
"    for (size_t i = 0; s == V_OK && i < n; i++)\n"
"        s = v_json_write_u64(w, p[i]);\n"
"    return s == V_OK ? v_json_write_array_end(w) : s;\n"
"}\n";

#define TRY "if ((s = "
#define OR_RETURN ") != V_OK)\n%s    return s;\n"

static void get_f64(vs_out *o, const vs_type *t, const char *x,
                    const char *tok, const char *ind)
{
    (void)t;
    vs_emit(o, "%sif (%s.kind != V_JSON_INTEGER && %s.kind != "
            "V_JSON_NUMBER)\n%s    return vs_json_fail(in, &%s, "
            "\"expected a number\");\n", ind, tok, tok, ind, tok);
    vs_emit(o, "%sif (v_json_number_to_f64(%s.text, %s.len, &%s) != "
            "V_OK)\n%s    return vs_json_fail(in, &%s, \"number out of "
            "range\");\n", ind, tok, tok, x, ind, tok);
}

/* bytes: an array of integers 0..255, counted before it is stored. */
static void get_bytes(vs_out *o, const vs_type *t, const char *x,
                      const char *tok, const char *ind)
{
    vs_gen_expect(o, &vs_gen_json, tok, "V_JSON_ARRAY_BEGIN",
                  "an array of bytes", ind);
    vs_emit(o, "%s{\n%s    size_t count;\n%s    uint8_t *p;\n"
            "%s    void *items;\n"
            "%s    " TRY "vs_json_count(in, &%s, &count)) != V_OK)\n"
            "%s        return s;\n"
            "%s    if (count > %u)\n%s        return vs_json_fail(in, &%s, "
            "\"bytes longer than their maximum\");\n"
            "%s    " TRY "vs_json_items(in, &%s, count, 1, 1, &items)) "
            "!= V_OK)\n%s        return s;\n"
            "%s    p = items;\n%s    %s.ptr = p;\n%s    %s.len = count;\n"
            "%s    for (size_t b = 0; b <= count; b++) {\n"
            "%s        v_json_token bt;\n"
            "%s        " TRY "vs_json_next(in, &bt)) != V_OK)\n"
            "%s            return s;\n"
            "%s        if (b == count)\n%s            break; /* the end */\n"
            "%s        if (bt.kind != V_JSON_INTEGER || !(bt.fits & "
            "V_JSON_FITS_U64) ||\n%s            bt.u64 > 255)\n"
            "%s            return vs_json_fail(in, &bt, \"expected a byte "
            "(0 to 255)\");\n"
            "%s        p[b] = (uint8_t)bt.u64;\n%s    }\n%s}\n",
            ind, ind, ind, ind, ind, tok, ind, ind, (unsigned)t->max, ind,
            tok, ind, tok, ind, ind, ind, x, ind, x, ind, ind, ind, ind,
            ind, ind, ind, ind, ind, ind, ind, ind);
}

/* Names may be escaped: unescaped first, as keys are. */
static void get_enum(vs_out *o, const char *e, const char *x,
                     const char *tok, const char *ind)
{
    vs_emit(o, "%s{\n%s    char name[64];\n%s    size_t len;\n"
            "%s    vs_json_key(&%s, name, &len);\n"
            "%s    if (len == SIZE_MAX || !%s_from_name(name, len, &%s))\n"
            "%s        return vs_json_fail(in, &%s, \"unknown enum "
            "value\");\n%s}\n", ind, ind, ind, ind, tok, ind, e, x,
            ind, tok, ind);
}

/* An array's length is learnt by scanning it with a copy of the reader. */
static void get_count(vs_out *o, const char *ind)
{
    vs_emit(o, "%ssize_t count;\n%s" TRY "vs_json_count(in, &e, &count)"
            OR_RETURN, ind, ind, ind);
}

static void decode_locals(vs_out *o, const char *n)
{
    vs_emit(o, "    v_json_frame scratch[%s_JSON_DEPTH + 8];\n"
            "    v_json_limits lim = {len, %s_JSON_DEPTH + 8, SIZE_MAX,\n"
            "                         SIZE_MAX, SIZE_MAX};\n", n, n);
}

const vs_gen_format vs_gen_json = {
    .label = "JSON", .suffix = "json", .tag = "json",
    .depth = "JSON_DEPTH", .bytes_nest = true, .helpers = helpers,
    .writer = "v_json_writer", .frame = "v_json_frame",
    .in = "v_schema_json_in", .token = "v_json_token",
    .writer_init = "v_json_writer_init",
    .writer_finish = "v_json_writer_finish",
    .reader_init = "v_json_reader_init", .reader_next = "v_json_next",
    .reader_skip = "v_json_skip",

    .put_bool = "v_json_write_bool", .put_u64 = "v_json_write_u64",
    .put_i64 = "v_json_write_i64", .put_f64 = "v_json_write_f64",
    .put_str = "v_json_write_string", .put_bytes = "vs_json_put_bytes",
    .put_key = "v_json_write_key",
    .put_array_begin = "v_json_write_array_begin", .array_counted = false,
    .put_array_end = "v_json_write_array_end",
    .map_begin_struct = "v_json_write_object_begin(w)",
    .map_begin_union = "v_json_write_object_begin(w)",
    .put_map_end = "v_json_write_object_end",
    .struct_put_prologue = NULL,

    .tok_bool = "V_JSON_BOOL", .bool_what = "true or false",
    .tok_int = "V_JSON_INTEGER", .fits = "V_JSON_FITS",
    .tok_str = "V_JSON_STRING", .str_what = "a string",
    .str_len = "decoded_len", .copy_str = "vs_json_string",
    .tok_array = "V_JSON_ARRAY_BEGIN",
    .get_f64 = get_f64, .get_bytes = get_bytes, .get_enum = get_enum,
    .get_count = get_count,
    .match = "vs_json_is(key, n, ",
    /* An object's members end at its '}'. */
    .struct_head =
        "    if (t->kind != V_JSON_OBJECT_BEGIN)\n"
        "        return vs_json_fail(in, t, \"expected an object\");\n"
        "    for (;;) {\n"
        "        char key[64];\n        size_t n;\n"
        "        if ((s = vs_json_next(in, &k)) != V_OK)\n"
        "            return s;\n"
        "        if (k.kind == V_JSON_OBJECT_END)\n            break;\n"
        "        vs_json_key(&k, key, &n);\n",
    .struct_tail = "",
    .no_fields = "    (void)v;\n    (void)e;\n",
    .union_head =
        "    char key[64];\n    size_t n;\n"
        "    if (t->kind != V_JSON_OBJECT_BEGIN)\n"
        "        return vs_json_fail(in, t, \"expected an object\");\n"
        "    if ((s = vs_json_next(in, &k)) != V_OK)\n        return s;\n"
        "    if (k.kind != V_JSON_KEY)\n"
        "        return vs_json_fail(in, &k, \"union without a variant\");\n"
        "    vs_json_key(&k, key, &n);\n",
    .union_tail =
        "    if ((s = vs_json_next(in, &e)) != V_OK)\n        return s;\n"
        "    if (e.kind != V_JSON_OBJECT_END)\n"
        "        return vs_json_fail(in, &e, \"union with more than one "
        "variant\");\n    return V_OK;\n",

    .encode_fail = "    else if (s == V_ERR_INVALID_ARGS)\n"
                   "        vs_invalid(err, \"infinity has no JSON form\");\n",
    .decode_locals = decode_locals,
    .in_init = "    in.scratch = scratch;\n",
    .end_note = "only whitespace follows",
};
