/* msgpack cross-checks against msgpack-c (Debian libmsgpack-dev, 4.0):
 * - generated documents: libv's bytes unpack in msgpack-c to the same
 *   values, and are byte for byte what msgpack-c's packer makes of the
 *   same values (both produce the smallest encodings); msgpack-c's bytes
 *   parse in libv to the same values;
 * - every input the JSON conformance set accepts, carried to msgpack by
 *   libv, unpacks in msgpack-c to the values libv read from the JSON,
 *   and msgpack-c re-packs its object to the same bytes.
 * Comparisons are exact: integers by value, floats bit for bit (one NaN
 * equals another), strings and bytes in full. */
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <v/test.h>

#include "../json_cases.h"
#include "cross.h"

enum { GEN_DOCS = 3000 };

static const xval_rules exact = {.numbers_as_double = false};

static void from_msgpack(const msgpack_object *o, xval *v)
{
    memset(v, 0, sizeof *v);
    switch (o->type) {
    case MSGPACK_OBJECT_NIL: v->kind = XV_NULL; break;
    case MSGPACK_OBJECT_BOOLEAN: v->kind = XV_BOOL; v->b = o->via.boolean; break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        v->kind = XV_UINT;
        v->u = o->via.u64;
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        v->kind = XV_INT;
        v->i = o->via.i64;
        break;
    case MSGPACK_OBJECT_FLOAT32: v->kind = XV_F32; v->f = (float)o->via.f64; break;
    case MSGPACK_OBJECT_FLOAT64: v->kind = XV_F64; v->d = o->via.f64; break;
    case MSGPACK_OBJECT_STR:
        v->kind = XV_STR;
        v->s = xdup(o->via.str.ptr, o->via.str.size);
        v->len = o->via.str.size;
        break;
    case MSGPACK_OBJECT_BIN:
        v->kind = XV_BIN;
        v->s = xdup(o->via.bin.ptr, o->via.bin.size);
        v->len = o->via.bin.size;
        break;
    case MSGPACK_OBJECT_EXT:
        v->kind = XV_EXT;
        v->ext_type = o->via.ext.type;
        v->s = xdup(o->via.ext.ptr, o->via.ext.size);
        v->len = o->via.ext.size;
        break;
    case MSGPACK_OBJECT_ARRAY:
        v->kind = XV_ARRAY;
        for (uint32_t k = 0; k < o->via.array.size; k++)
            from_msgpack(&o->via.array.ptr[k], xval_push(v));
        break;
    case MSGPACK_OBJECT_MAP:
        v->kind = XV_OBJECT;
        for (uint32_t k = 0; k < o->via.map.size; k++) {
            const msgpack_object_kv *kv = &o->via.map.ptr[k];
            xval *item = xval_push(v);
            from_msgpack(&kv->val, item);
            if (kv->key.type != MSGPACK_OBJECT_STR)
                abort(); /* generated keys are strings */
            item->key = xdup(kv->key.via.str.ptr, kv->key.via.str.size);
            item->key_len = kv->key.via.str.size;
        }
        break;
    }
}

static void pack(msgpack_packer *pk, const xval *v)
{
    switch (v->kind) {
    case XV_NULL: msgpack_pack_nil(pk); break;
    case XV_BOOL: v->b ? msgpack_pack_true(pk) : msgpack_pack_false(pk); break;
    case XV_UINT: msgpack_pack_uint64(pk, v->u); break;
    case XV_INT: msgpack_pack_int64(pk, v->i); break;
    case XV_F64: msgpack_pack_double(pk, v->d); break;
    case XV_NUMTEXT: msgpack_pack_double(pk, v->d); break;
    case XV_F32: msgpack_pack_float(pk, v->f); break;
    case XV_STR:
        msgpack_pack_str(pk, v->len);
        msgpack_pack_str_body(pk, v->s, v->len);
        break;
    case XV_BIN:
        msgpack_pack_bin(pk, v->len);
        msgpack_pack_bin_body(pk, v->s, v->len);
        break;
    case XV_EXT:
        msgpack_pack_ext(pk, v->len, v->ext_type);
        msgpack_pack_ext_body(pk, v->s, v->len);
        break;
    case XV_ARRAY:
        msgpack_pack_array(pk, v->n);
        for (size_t k = 0; k < v->n; k++)
            pack(pk, &v->items[k]);
        break;
    case XV_OBJECT:
        msgpack_pack_map(pk, v->n);
        for (size_t k = 0; k < v->n; k++) {
            msgpack_pack_str(pk, v->items[k].key_len);
            msgpack_pack_str_body(pk, v->items[k].key, v->items[k].key_len);
            pack(pk, &v->items[k]);
        }
        break;
    }
}

/* msgpack-c's unpack of the whole of s[0..len) as one object. */
static bool unpack(const uint8_t *s, size_t len, xval *out)
{
    msgpack_unpacked u;
    size_t off = 0;
    msgpack_unpacked_init(&u);
    bool ok = msgpack_unpack_next(&u, (const char *)s, len, &off) ==
                  MSGPACK_UNPACK_SUCCESS &&
              off == len;
    if (ok)
        from_msgpack(&u.data, out);
    msgpack_unpacked_destroy(&u);
    return ok;
}

static void note_hex(v_test_ctx *t, const char *what, const uint8_t *s,
                     size_t len)
{
    char line[200];
    int o = snprintf(line, sizeof line, "%s (%zu bytes):", what, len);
    for (size_t k = 0; k < len && o < (int)sizeof line - 4; k++)
        o += snprintf(line + o, sizeof line - (size_t)o, " %02x", s[k]);
    v_test_note(t, line);
}

V_TEST(encoding_cross, msgpack_generated_both_ways)
{
    xrng g = {0x6d736770};
    xgen_profile p = {.max_depth = 6, .allow_nul = true, .msgpack_only = true,
                      .allow_neg_zero = true};
    for (int i = 0; i < GEN_DOCS; i++) {
        xval v = xgen_value(&g, &p);
        size_t len;
        uint8_t *ours = ours_msgpack_write(&v, &len);
        V_ASSERT_NOT_NULL(ours);
        xval theirs;
        if (!V_EXPECT(unpack(ours, len, &theirs))) {
            note_hex(v_t, "msgpack-c rejected", ours, len);
        } else {
            if (!V_EXPECT(xval_equal(&v, &theirs, &exact)))
                note_hex(v_t, "msgpack-c read differently", ours, len);
            xval_free(&theirs);
        }
        msgpack_sbuffer sb;
        msgpack_packer pk;
        msgpack_sbuffer_init(&sb);
        msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
        pack(&pk, &v);
        /* Both sides choose the smallest encodings: the same bytes. */
        if (!V_EXPECT(sb.size == len && memcmp(sb.data, ours, len) == 0)) {
            note_hex(v_t, "libv", ours, len);
            note_hex(v_t, "msgpack-c", (const uint8_t *)sb.data, sb.size);
        }
        xval back;
        if (V_EXPECT(ours_msgpack_read((const uint8_t *)sb.data, sb.size,
                                       &back))) {
            V_EXPECT(xval_equal(&v, &back, &exact));
            xval_free(&back);
        }
        msgpack_sbuffer_destroy(&sb);
        free(ours);
        xval_free(&v);
    }
}

/* msgpack-c's unpacker nests at most MSGPACK_EMBED_STACK_SIZE (32)
 * containers; deeper accepted inputs are left out, by name. */
static bool too_deep_for_msgpack_c(const char *name)
{
    return strcmp(name, "y_structure_depth_64") == 0;
}

V_TEST(encoding_cross, msgpack_conformance_accepted_same_in_msgpack_c)
{
    size_t checked = 0;
    for (size_t i = 0; i < json_conf_case_count; i++) {
        const json_conf_case *cs = &json_conf_cases[i];
        if (!cs->accept || too_deep_for_msgpack_c(cs->name))
            continue;
        xval v;
        V_ASSERT(ours_json_read(cs->input, cs->len, &v));
        size_t len;
        uint8_t *ours = ours_msgpack_write(&v, &len);
        V_ASSERT_NOT_NULL(ours);
        xval theirs;
        msgpack_unpacked u;
        size_t off = 0;
        msgpack_unpacked_init(&u);
        if (V_EXPECT(msgpack_unpack_next(&u, (const char *)ours, len, &off) ==
                         MSGPACK_UNPACK_SUCCESS &&
                     off == len)) {
            from_msgpack(&u.data, &theirs);
            if (!V_EXPECT(xval_equal(&v, &theirs, &exact)))
                v_test_note(v_t, cs->name);
            xval_free(&theirs);
            msgpack_sbuffer sb;
            msgpack_packer pk;
            msgpack_sbuffer_init(&sb);
            msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
            msgpack_pack_object(&pk, u.data);
            if (!V_EXPECT(sb.size == len && memcmp(sb.data, ours, len) == 0))
                v_test_note(v_t, cs->name);
            msgpack_sbuffer_destroy(&sb);
            checked++;
        } else {
            v_test_note(v_t, cs->name);
        }
        msgpack_unpacked_destroy(&u);
        free(ours);
        xval_free(&v);
    }
    V_EXPECT_GE(checked, 60);
}
