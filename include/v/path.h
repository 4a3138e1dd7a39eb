/* v/path.h — paths as lists of validated components, never as strings.
 *
 * A v_path is absolute or relative, plus 0..V_PATH_MAX_DEPTH components.
 * Every component is valid by construction:
 *   - 1..V_PATH_MAX_COMPONENT bytes of well-formed UTF-8;
 *   - no '/' and no NUL byte inside;
 *   - never "." or "..".
 * The bytes of all components together are at most V_PATH_MAX_BYTES.
 * Exceeding any of these bounds is V_ERR_LIMIT; breaking a rule is
 * V_ERR_MALFORMED. Every operation keeps the invariants, and on error
 * leaves its output path exactly as it was.
 *
 * Text exists only at the boundary: v_path_parse turns text into a path,
 * v_path_render turns a path into text. The canonical text is
 *   "/"                     the absolute root (no components),
 *   "."                     the empty relative path,
 *   "/a/b", "a/b"           components joined by single '/', absolute
 *                           paths with one leading '/', no trailing '/'.
 * Parsing canonical text and rendering it again gives the same bytes.
 *
 * Dot components. By default v_path_parse is strict: it accepts only
 * canonical text, so "a/./b", "a/../b", "a//b", "a/" and "" are
 * V_ERR_MALFORMED (the whole text "." is the one exception: it is the
 * canonical spelling of the empty relative path). With
 * V_PATH_PARSE_RESOLVE the parser instead resolves lexically: empty
 * components (repeated or trailing '/') and "." are dropped, ".." removes
 * the component before it, and a ".." with nothing left to remove is
 * V_ERR_OUT_OF_RANGE, for relative paths as for absolute ones (a v_path
 * cannot point above where it starts). Lexical means no file system is
 * asked: "a/link/.." becomes "a" even if link is a symbolic link.
 *
 * Storage: a v_path holds its bytes inline, in a fixed-size struct
 * (about 1.2 KiB). That makes it a plain value: copy it with `=`, keep it
 * on the stack, never free it, no allocator and no NO_MEMORY in any path
 * operation; the cost is a fixed bound on total length, which a path
 * handed to a file system needs anyway. */
#ifndef V_PATH_H
#define V_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/alloc.h>
#include <v/status.h>
#include <v/text.h>

/* Longest component, in bytes (as NAME_MAX on most file systems). */
#define V_PATH_MAX_COMPONENT 255
/* Most components in one path. */
#define V_PATH_MAX_DEPTH 64
/* Most bytes of all components together (separators not counted). */
#define V_PATH_MAX_BYTES 1024
/* Longest canonical text: a leading '/', the bytes, a '/' between each
 * two components. Buffers of V_PATH_MAX_TEXT + 1 bytes always fit a
 * rendered path and its NUL. */
#define V_PATH_MAX_TEXT (1 + V_PATH_MAX_BYTES + V_PATH_MAX_DEPTH - 1)

typedef struct v_path {
    bool absolute;
    uint8_t depth;                   /* number of components */
    uint16_t end[V_PATH_MAX_DEPTH];  /* component i is bytes[end[i-1]..end[i]) */
    char bytes[V_PATH_MAX_BYTES];    /* components, back to back */
} v_path;

/* The absolute root "/" and the empty relative path ".". */
void v_path_init_root(v_path *p);
void v_path_init_relative(v_path *p);

/* ---------------------------------------------------------------- parsing */

enum {
    V_PATH_PARSE_STRICT = 0,
    V_PATH_PARSE_RESOLVE = 1u << 0, /* resolve ".", ".." and empty parts */
};

/* Parses text[0..len) (no NUL needed; a NUL byte inside is MALFORMED).
 * Errors: V_ERR_MALFORMED (rules above; empty text; invalid UTF-8),
 * V_ERR_LIMIT (a bound exceeded, or len > V_PATH_MAX_TEXT in strict mode
 * or > 4 * V_PATH_MAX_TEXT when resolving), V_ERR_OUT_OF_RANGE (".." above
 * the start, resolve mode), V_ERR_INVALID_ARGS (unknown flag). On error
 * *out is untouched and *bad_offset (may be NULL) is the offset in text
 * where the problem was found. */
v_status v_path_parse(v_path *out, const char *text, size_t len,
                      unsigned flags, size_t *bad_offset);

/* Checks that name[0..len) may be a component (the rules above). */
v_status v_path_check_component(const char *name, size_t len);

/* -------------------------------------------------------------- rendering */

/* Length of the canonical text, without a NUL. */
size_t v_path_text_len(const v_path *p);

/* Writes the canonical text and a NUL into buf[0..cap). *needed (may be
 * NULL) = text length without the NUL. V_ERR_TRUNCATED when cap <
 * needed + 1: buf then holds the first cap - 1 bytes and a NUL (nothing
 * when cap == 0). */
v_status v_path_render(const v_path *p, char *buf, size_t cap,
                       size_t *needed);

/* Renders into memory from `alloc`: *text (NUL-terminated, *len bytes
 * before the NUL) is allocated with *len + 1 bytes, alignment 1; free it
 * with v_alloc_free(alloc, *text, *len + 1). */
v_status v_path_render_alloc(const v_path *p, v_alloc *alloc, char **text,
                             size_t *len);

/* ------------------------------------------------------------- inspection */

static inline bool v_path_is_absolute(const v_path *p)
{
    return p->absolute;
}

static inline size_t v_path_depth(const v_path *p)
{
    return p->depth;
}

/* Component i (0 = first). i >= depth gives V_ERR_OUT_OF_RANGE, *out
 * untouched. The slice points into p. */
v_status v_path_component(const v_path *p, size_t i, v_str *out);

/* The last component; false (and *out untouched) when depth is 0. */
bool v_path_name(const v_path *p, v_str *out);

/* The extension of the name: the bytes after its last '.', when that '.'
 * is not the name's first byte. So "a.tar.gz" -> "gz", "a." -> "" (true,
 * empty), and "a" and ".bashrc" have none (false): a leading
 * dot marks a hidden file, not an extension; "..x" -> "x". False too when
 * depth is 0. The slice points into p. */
bool v_path_extension(const v_path *p, v_str *out);

/* Same absoluteness, same components. */
bool v_path_equal(const v_path *a, const v_path *b);

/* True when prefix has the same absoluteness and its components are the
 * first components of p (whole components: "/ab" does not start with
 * "/a"). Every path starts with itself; "/" starts every absolute path,
 * "." every relative one. */
bool v_path_starts_with(const v_path *p, const v_path *prefix);

/* -------------------------------------------------------------- building */

/* Appends one component (checked by v_path_check_component). */
v_status v_path_push(v_path *p, const char *name, size_t len);

/* Appends the components of rel, which must be relative
 * (V_ERR_INVALID_ARGS otherwise). p and rel may be the same path. */
v_status v_path_join(v_path *p, const v_path *rel);

/* Removes the last component. V_ERR_OUT_OF_RANGE when depth is 0 (the
 * parent of "/" or of "." is not a path). */
v_status v_path_parent(v_path *p);

/* Replaces the extension of the name by ext[0..len) (no leading '.'), or
 * adds one when there is none; len == 0 removes the extension and its
 * '.'. Errors: V_ERR_OUT_OF_RANGE when depth is 0; V_ERR_MALFORMED when
 * ext starts with '.' or the new name is not a valid component; and
 * V_ERR_LIMIT. */
v_status v_path_with_extension(v_path *p, const char *ext, size_t len);

#endif
