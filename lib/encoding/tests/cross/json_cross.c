/* JSON cross-checks against cJSON (Debian libcjson-dev, 1.7.15):
 * - generated documents written by libv parse in cJSON to the same
 *   values, and cJSON's own output of them parses in libv to the same;
 * - every input the conformance set accepts parses in both to the same
 *   values, and libv's re-encoding of it parses in cJSON to the same.
 *
 * cJSON keeps every number as a double and every string as a C string,
 * so the comparisons here use those rules (numbers as the double they
 * denote, strings up to a NUL); msgpack_cross.c compares exact values. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <v/test.h>

#include "../json_cases.h"
#include "cross.h"

enum { GEN_DOCS = 3000 };

static const xval_rules cjson_rules = {
    .numbers_as_double = true, .ignore_zero_sign = false,
    .strings_to_nul = true,
};

/* cJSON's tree as an xval (recursion bounded by cJSON's nesting limit
 * and our generator's depth). */
static void from_cjson(const cJSON *c, xval *v)
{
    memset(v, 0, sizeof *v);
    if (cJSON_IsNull(c)) {
        v->kind = XV_NULL;
    } else if (cJSON_IsBool(c)) {
        v->kind = XV_BOOL;
        v->b = cJSON_IsTrue(c);
    } else if (cJSON_IsNumber(c)) {
        v->kind = XV_F64;
        v->d = c->valuedouble;
    } else if (cJSON_IsString(c)) {
        v->kind = XV_STR;
        v->len = strlen(c->valuestring);
        v->s = xdup(c->valuestring, v->len);
    } else {
        v->kind = cJSON_IsArray(c) ? XV_ARRAY : XV_OBJECT;
        for (const cJSON *k = c->child; k; k = k->next) {
            xval *item = xval_push(v);
            from_cjson(k, item);
            if (v->kind == XV_OBJECT) {
                item->key_len = strlen(k->string);
                item->key = xdup(k->string, item->key_len);
            }
        }
    }
}

/* cJSON's tree of a value (numbers as doubles; no NULs in strings). */
static cJSON *to_cjson(const xval *v)
{
    switch (v->kind) {
    case XV_NULL: return cJSON_CreateNull();
    case XV_BOOL: return cJSON_CreateBool(v->b);
    case XV_UINT: return cJSON_CreateNumber((double)v->u);
    case XV_INT: return cJSON_CreateNumber((double)v->i);
    case XV_F64: return cJSON_CreateNumber(v->d);
    case XV_STR: return cJSON_CreateString(v->s);
    case XV_ARRAY:
    case XV_OBJECT: {
        cJSON *c = v->kind == XV_ARRAY ? cJSON_CreateArray()
                                       : cJSON_CreateObject();
        for (size_t k = 0; k < v->n; k++) {
            cJSON *item = to_cjson(&v->items[k]);
            if (v->kind == XV_ARRAY)
                cJSON_AddItemToArray(c, item);
            else
                cJSON_AddItemToObject(c, v->items[k].key, item);
        }
        return c;
    }
    default: abort();
    }
}

/* cJSON's parse of s[0..len): the whole input must be one document. */
static cJSON *cjson_parse(const char *s, size_t len)
{
    char *z = xdup(s, len); /* cJSON wants the NUL inside the length */
    cJSON *c = cJSON_ParseWithLengthOpts(z, len + 1, NULL, 1);
    free(z);
    return c;
}

static void note_doc(v_test_ctx *t, const char *what, const char *doc,
                     size_t len)
{
    char line[200];
    snprintf(line, sizeof line, "%s: %.*s%s", what,
             (int)(len < 120 ? len : 120), doc, len > 120 ? "..." : "");
    v_test_note(t, line);
}

V_TEST(encoding_cross, json_generated_ours_parse_in_cjson)
{
    xrng g = {0x6a736f6e};
    xgen_profile p = {.max_depth = 6, .allow_neg_zero = true};
    for (int i = 0; i < GEN_DOCS; i++) {
        xval v = xgen_value(&g, &p);
        size_t len;
        char *doc = ours_json_write(&v, &len);
        V_ASSERT_NOT_NULL(doc);
        cJSON *c = cjson_parse(doc, len);
        if (!V_EXPECT_NOT_NULL(c)) {
            note_doc(v_t, "cJSON rejected", doc, len);
        } else {
            xval back;
            from_cjson(c, &back);
            if (!V_EXPECT(xval_equal(&v, &back, &cjson_rules)))
                note_doc(v_t, "cJSON read differently", doc, len);
            xval_free(&back);
            cJSON_Delete(c);
        }
        /* And libv reads its own output back exactly. */
        xval ours;
        V_EXPECT(ours_json_read(doc, len, &ours));
        xval_rules exact = {.int_vs_double = true};
        V_EXPECT(xval_equal(&v, &ours, &exact));
        xval_free(&ours);
        free(doc);
        xval_free(&v);
    }
}

/* cJSON's output of a value parses in libv to what it means to cJSON
 * itself (its own parse of the same text). Not necessarily the value it
 * was given: cJSON prints a double with %1.15g when that reads back
 * within DBL_EPSILON (relative), so the last bit can be lost, and
 * -0.0 as "0". */
static void check_cjson_text(v_test_ctx *v_t, const char *doc)
{
    xval ours, theirs;
    cJSON *c = cjson_parse(doc, strlen(doc));
    if (!V_EXPECT_NOT_NULL(c)) {
        note_doc(v_t, "cJSON rejected its own output", doc, strlen(doc));
        return;
    }
    from_cjson(c, &theirs);
    cJSON_Delete(c);
    if (!V_EXPECT(ours_json_read(doc, strlen(doc), &ours))) {
        note_doc(v_t, "libv rejected cJSON's output", doc, strlen(doc));
    } else {
        if (!V_EXPECT(xval_equal(&theirs, &ours, &cjson_rules)))
            note_doc(v_t, "libv read cJSON's output differently", doc,
                     strlen(doc));
        xval_free(&ours);
    }
    xval_free(&theirs);
}

V_TEST(encoding_cross, json_generated_cjson_parse_in_ours)
{
    xrng g = {0x636a736f};
    /* cJSON holds only doubles and C strings. */
    xgen_profile p = {.max_depth = 6, .ints_as_double = true,
                      .allow_neg_zero = true};
    for (int i = 0; i < GEN_DOCS; i++) {
        xval v = xgen_value(&g, &p);
        cJSON *c = to_cjson(&v);
        char *doc = cJSON_PrintUnformatted(c);
        V_ASSERT_NOT_NULL(doc);
        check_cjson_text(v_t, doc);
        char *pretty = cJSON_Print(c); /* the indented layout too */
        check_cjson_text(v_t, pretty);
        cJSON_free(pretty);
        cJSON_free(doc);
        cJSON_Delete(c);
        xval_free(&v);
    }
}

/* Whether a tree holds an infinity (a number beyond the doubles). */
static bool has_infinity(const xval *v)
{
    if (v->kind == XV_F64 && (v->d == HUGE_VAL || v->d == -HUGE_VAL))
        return true;
    for (size_t k = 0; k < v->n; k++)
        if (has_infinity(&v->items[k]))
            return true;
    return false;
}

V_TEST(encoding_cross, json_conformance_accepted_same_in_cjson)
{
    size_t checked = 0, skipped = 0;
    for (size_t i = 0; i < json_conf_case_count; i++) {
        const json_conf_case *cs = &json_conf_cases[i];
        if (!cs->accept)
            continue;
        xval ours;
        V_ASSERT(ours_json_read(cs->input, cs->len, &ours));
        cJSON *c = cjson_parse(cs->input, cs->len);
        if (!V_EXPECT_NOT_NULL(c)) {
            v_test_note(v_t, cs->name);
        } else {
            xval theirs;
            from_cjson(c, &theirs);
            if (!V_EXPECT(xval_equal(&ours, &theirs, &cjson_rules)))
                v_test_note(v_t, cs->name);
            /* Our canonical re-encoding means the same to cJSON. */
            size_t len;
            char *doc = ours_json_write(&ours, &len);
            V_ASSERT_NOT_NULL(doc);
            cJSON *c2 = cjson_parse(doc, len);
            if (V_EXPECT_NOT_NULL(c2)) {
                xval again;
                from_cjson(c2, &again);
                if (!V_EXPECT(xval_equal(&theirs, &again, &cjson_rules)))
                    v_test_note(v_t, cs->name);
                xval_free(&again);
                cJSON_Delete(c2);
            }
            /* cJSON's re-encoding parses in libv to what it means to
             * cJSON. (cJSON prints an infinity, from 1e99999, as null.) */
            if (!has_infinity(&theirs)) {
                char *out = cJSON_PrintUnformatted(c);
                check_cjson_text(v_t, out);
                cJSON_free(out);
            } else {
                skipped++;
            }
            free(doc);
            xval_free(&theirs);
            cJSON_Delete(c);
            checked++;
        }
        xval_free(&ours);
    }
    V_EXPECT_GE(checked, 60);
    V_EXPECT_LE(skipped, 2);
}
