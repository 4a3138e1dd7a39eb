/* Fuzz target for v_path_parse. For any bytes, in both modes: no crash;
 * and when parsing succeeds, the path renders to canonical text that
 * parses strictly back to an equal path. In strict mode the canonical
 * text must be the input itself: strict parsing accepts nothing else. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <v/mem.h>
#include <v/path.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void one_mode(const uint8_t *data, size_t size, unsigned flags)
{
    v_path p;
    size_t bad = (size_t)-1;
    v_status s = v_path_parse(&p, (const char *)data, size, flags, &bad);
    if (s != V_OK) {
        check(s == V_ERR_MALFORMED || s == V_ERR_LIMIT ||
              s == V_ERR_OUT_OF_RANGE);
        check(bad <= size);
        return;
    }
    char text[V_PATH_MAX_TEXT + 1];
    size_t len;
    check(v_path_render(&p, text, sizeof text, &len) == V_OK);
    check(len == v_path_text_len(&p) && len <= V_PATH_MAX_TEXT);
    check(text[len] == '\0');
    if (flags == V_PATH_PARSE_STRICT)
        check(len == size && v_mem_equal(text, data, size));

    v_path q;
    check(v_path_parse(&q, text, len, V_PATH_PARSE_STRICT, NULL) == V_OK);
    check(v_path_equal(&p, &q));

    /* Every component is valid on its own, and the accessors agree. */
    for (size_t i = 0; i < v_path_depth(&p); i++) {
        v_str c;
        check(v_path_component(&p, i, &c) == V_OK);
        check(v_path_check_component(c.p, c.len) == V_OK);
    }
    v_str name, ext;
    if (v_path_name(&p, &name) && v_path_extension(&p, &ext)) {
        check(ext.p + ext.len == name.p + name.len && ext.p > name.p + 1);
        /* Setting the extension it already has changes nothing. (Its
         * removal is not undone by adding it back: "x..y" without "y"
         * is "x.", whose own extension is "".) */
        char saved[V_PATH_MAX_COMPONENT];
        size_t n = ext.len;
        v_mem_copy(saved, ext.p, n);
        if (n > 0) {
            check(v_path_with_extension(&q, saved, n) == V_OK);
            check(v_path_equal(&p, &q));
        }
        /* Removing it fails only when the stem is not a name
         * ("..x" would leave "."). */
        v_status r = v_path_with_extension(&q, "", 0);
        check(r == V_OK || r == V_ERR_MALFORMED);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one_mode(data, size, V_PATH_PARSE_STRICT);
    one_mode(data, size, V_PATH_PARSE_RESOLVE);
    return 0;
}
