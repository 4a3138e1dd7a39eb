/* gen_mp.c — msgpack's table for the text-format walk (gen_walk.h): the
 * codecs of structs and unions on the schema-less reader and writer of
 * lib/encoding (docs/schema.md §6).
 *
 * A struct is a map keyed by field name (fields in number order on
 * output, absent optional fields left out), a union a map of one pair,
 * an enum its value's name, bytes a bin, lists and arrays arrays. The
 * writer emits the smallest encodings; the reader accepts any valid
 * msgpack of the right shape (keys in any order, non-minimal forms),
 * rejects duplicate and (unless skipping) unknown keys. */
#include "gen_walk.h"

static const char helpers[] =
"VS_HELPER bool vs_mp_is(const v_msgpack_token *t, const char *name,\n"
"                        size_t n)\n"
"{\n"
"    return t->len == n && v_mem_equal(t->data, name, n);\n"
"}\n"
"\n"
"/* A str or bin payload, copied into in->a (NULL when empty). */\n"
"VS_HELPER v_status vs_mp_copy(v_schema_mp_in *in, const v_msgpack_token *t,\n"
"                              void **out)\n"
"{\n"
"    *out = NULL;\n"
"    if (t->len == 0)\n"
"        return V_OK;\n"
"    v_status s = v_alloc_bytes(in->a, t->len, 1, out);\n"
"    if (s != V_OK) {\n"
"        in->err->offset = t->offset;\n"
"        in->err->reason = \"allocation failed\";\n"
"        return s;\n"
"    }\n"
"    v_mem_copy(*out, t->data, t->len);\n"
"    return V_OK;\n"
"}\n";

static void get_f64(vs_out *o, const vs_type *t, const char *x,
                    const char *tok, const char *ind)
{
    (void)t;
    vs_emit(o, "%sif (%s.kind == V_MSGPACK_FLOAT64)\n%s    %s = %s.f64;\n"
            "%selse if (%s.kind == V_MSGPACK_FLOAT32)\n%s    %s = %s.f32;\n"
            "%selse\n%s    return vs_mp_fail(in, &%s, \"expected a "
            "float\");\n", ind, tok, ind, x, tok, ind, tok, ind, x, tok,
            ind, ind, tok);
}

/* bytes: a bin, copied as a str is. */
static void get_bytes(vs_out *o, const vs_type *t, const char *x,
                      const char *tok, const char *ind)
{
    vs_gen_get_blob(o, &vs_gen_msgpack, t, x, tok, "V_MSGPACK_BIN", "a bin",
                    "bytes longer than their maximum", ind);
}

/* Names are never escaped: matched in the input itself. */
static void get_enum(vs_out *o, const char *e, const char *x,
                     const char *tok, const char *ind)
{
    vs_emit(o, "%sif (!%s_from_name(%s.data, %s.len, &%s))\n%s    "
            "return vs_mp_fail(in, &%s, \"unknown enum value\");\n",
            ind, e, tok, tok, x, ind, tok);
}

/* An array's header holds its count. */
static void get_count(vs_out *o, const char *ind)
{
    vs_emit(o, "%ssize_t count = e.count;\n", ind);
}

/* A map's header holds its count of pairs: the present fields. */
static void struct_put_prologue(vs_out *o, const vs_decl *d)
{
    size_t required = 0;
    for (size_t i = 0; i < d->n_fields; i++)
        required += !d->fields[i].optional;
    vs_emit(o, "    uint32_t pairs = %zu;\n", required);
    for (size_t i = 0; i < d->n_fields; i++)
        if (d->sorted[i]->optional)
            vs_emit(o, "    pairs += v->has_%s;\n", d->sorted[i]->name);
}

static void decode_locals(vs_out *o, const char *n)
{
    vs_emit(o, "    /* Lengths and counts are bounded by the input itself; "
            "the\n     * schema's own limits are checked per value. */\n"
            "    v_msgpack_limits lim = {len, %s_TREE_DEPTH + 8, SIZE_MAX,\n"
            "                            SIZE_MAX, true};\n", n);
}

const vs_gen_format vs_gen_msgpack = {
    .label = "msgpack", .suffix = "msgpack", .tag = "mp",
    .depth = "TREE_DEPTH", .bytes_nest = false, .helpers = helpers,
    .writer = "v_msgpack_writer", .frame = "v_msgpack_frame",
    .in = "v_schema_mp_in", .token = "v_msgpack_token",
    .writer_init = "v_msgpack_writer_init",
    .writer_finish = "v_msgpack_writer_finish",
    .reader_init = "v_msgpack_reader_init", .reader_next = "v_msgpack_next",
    .reader_skip = "v_msgpack_skip",

    .put_bool = "v_msgpack_write_bool", .put_u64 = "v_msgpack_write_u64",
    .put_i64 = "v_msgpack_write_i64", .put_f64 = "v_msgpack_write_f64",
    .put_str = "v_msgpack_write_str", .put_bytes = "v_msgpack_write_bin",
    .put_key = "v_msgpack_write_str",
    .put_array_begin = "v_msgpack_write_array_begin", .array_counted = true,
    .put_array_end = "v_msgpack_write_array_end",
    .map_begin_struct = "v_msgpack_write_map_begin(w, pairs)",
    .map_begin_union = "v_msgpack_write_map_begin(w, 1)",
    .put_map_end = "v_msgpack_write_map_end",
    .struct_put_prologue = struct_put_prologue,

    .tok_bool = "V_MSGPACK_BOOL", .bool_what = "a bool",
    .tok_int = "V_MSGPACK_INT", .fits = "V_MSGPACK_FITS",
    .tok_str = "V_MSGPACK_STR", .str_what = "a str",
    .str_len = "len", .copy_str = "vs_mp_copy",
    .tok_array = "V_MSGPACK_ARRAY_BEGIN",
    .get_f64 = get_f64, .get_bytes = get_bytes, .get_enum = get_enum,
    .get_count = get_count,
    .match = "vs_mp_is(&k, ",
    /* A map's header counts its pairs; its end is a token still. */
    .struct_head =
        "    if (t->kind != V_MSGPACK_MAP_BEGIN)\n"
        "        return vs_mp_fail(in, t, \"expected a map\");\n"
        "    for (uint32_t n = 0; n < t->count; n++) {\n"
        "        if ((s = vs_mp_next(in, &k)) != V_OK)\n"
        "            return s;\n"
        "        if (k.kind != V_MSGPACK_STR)\n"
        "            return vs_mp_fail(in, &k, \"expected a field name\");\n",
    .struct_tail =
        "    if ((s = vs_mp_next(in, &e)) != V_OK) /* the map's end */\n"
        "        return s;\n",
    .no_fields = "    (void)v;\n",
    .union_head =
        "    if (t->kind != V_MSGPACK_MAP_BEGIN || t->count != 1)\n"
        "        return vs_mp_fail(in, t, \"expected a map of one "
        "variant\");\n"
        "    if ((s = vs_mp_next(in, &k)) != V_OK)\n        return s;\n"
        "    if (k.kind != V_MSGPACK_STR)\n"
        "        return vs_mp_fail(in, &k, \"expected a variant name\");\n",
    .union_tail = "    return vs_mp_next(in, &e); /* the map's end */\n",

    .encode_fail = "",
    .decode_locals = decode_locals,
    .in_init = "",
    .end_note = "nothing may follow",
};
