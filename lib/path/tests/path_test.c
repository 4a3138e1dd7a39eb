/* Operations on v_path values: components, join, parent, name,
 * extension, comparison. */
#include <string.h>
#include <v/path.h>
#include <v/test.h>

static v_path P(const char *s)
{
    v_path p;
    if (v_path_parse(&p, s, strlen(s), 0, NULL) != V_OK)
        v_path_init_relative(&p); /* callers only pass valid text */
    return p;
}

static bool text_is(const v_path *p, const char *want)
{
    char buf[V_PATH_MAX_TEXT + 1];
    return v_path_render(p, buf, sizeof buf, NULL) == V_OK &&
           strcmp(buf, want) == 0;
}

static bool str_is(v_str s, const char *want)
{
    return s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

V_TEST(path, check_component)
{
    V_EXPECT_OK(v_path_check_component("a", 1));
    V_EXPECT_OK(v_path_check_component("...", 3));
    V_EXPECT_OK(v_path_check_component(".x", 2));
    V_EXPECT_STATUS(v_path_check_component("", 0), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_check_component(".", 1), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_check_component("..", 2), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_check_component("a/b", 3), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_check_component("a\0", 2), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_check_component("\x80", 1), V_ERR_MALFORMED);
    static char big[V_PATH_MAX_COMPONENT + 1];
    memset(big, 'b', sizeof big);
    V_EXPECT_OK(v_path_check_component(big, V_PATH_MAX_COMPONENT));
    V_EXPECT_STATUS(v_path_check_component(big, sizeof big), V_ERR_LIMIT);
}

V_TEST(path, components)
{
    v_path p = P("/usr/local/lib");
    v_str c = v_str_make("untouched", 9);
    V_ASSERT_OK(v_path_component(&p, 0, &c));
    V_EXPECT(str_is(c, "usr"));
    V_ASSERT_OK(v_path_component(&p, 1, &c));
    V_EXPECT(str_is(c, "local"));
    V_ASSERT_OK(v_path_component(&p, 2, &c));
    V_EXPECT(str_is(c, "lib"));
    V_EXPECT_STATUS(v_path_component(&p, 3, &c), V_ERR_OUT_OF_RANGE);
    V_EXPECT(str_is(c, "lib"));
    V_EXPECT_STATUS(v_path_component(&p, (size_t)-1, &c),
                    V_ERR_OUT_OF_RANGE);
}

V_TEST(path, push_validates_and_bounds)
{
    v_path p;
    v_path_init_root(&p);
    V_EXPECT_OK(v_path_push(&p, "etc", 3));
    V_EXPECT_STATUS(v_path_push(&p, "a/b", 3), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_push(&p, "..", 2), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_push(&p, "", 0), V_ERR_MALFORMED);
    V_EXPECT(text_is(&p, "/etc"));
    for (int i = 1; i < V_PATH_MAX_DEPTH; i++)
        V_ASSERT_OK(v_path_push(&p, "d", 1));
    V_EXPECT_STATUS(v_path_push(&p, "d", 1), V_ERR_LIMIT);
    V_EXPECT_EQ(v_path_depth(&p), V_PATH_MAX_DEPTH);
    /* Total bytes. */
    static char big[V_PATH_MAX_COMPONENT];
    memset(big, 'q', sizeof big);
    v_path_init_relative(&p);
    for (int i = 0; i < 4; i++)
        V_ASSERT_OK(v_path_push(&p, big, sizeof big));
    V_EXPECT_STATUS(v_path_push(&p, big, 5), V_ERR_LIMIT);
    V_EXPECT_OK(v_path_push(&p, big, 4));
    V_EXPECT_STATUS(v_path_push(&p, big, 1), V_ERR_LIMIT);
    V_EXPECT_EQ(v_path_text_len(&p), V_PATH_MAX_BYTES + 4);
    /* Pushing a component of the path itself. */
    p = P("a/bc");
    v_str c;
    V_ASSERT_OK(v_path_component(&p, 1, &c));
    V_EXPECT_OK(v_path_push(&p, c.p, c.len));
    V_EXPECT(text_is(&p, "a/bc/bc"));
}

V_TEST(path, join)
{
    v_path p = P("/a/b"), r = P("c/d");
    V_EXPECT_OK(v_path_join(&p, &r));
    V_EXPECT(text_is(&p, "/a/b/c/d"));
    V_EXPECT_EQ(v_path_depth(&p), 4);
    v_path abs = P("/x");
    V_EXPECT_STATUS(v_path_join(&p, &abs), V_ERR_INVALID_ARGS);
    V_EXPECT(text_is(&p, "/a/b/c/d"));
    v_path empty = P(".");
    V_EXPECT_OK(v_path_join(&p, &empty));
    V_EXPECT(text_is(&p, "/a/b/c/d"));
    v_path q = P(".");
    V_EXPECT_OK(v_path_join(&q, &r));
    V_EXPECT(text_is(&q, "c/d"));
    /* Self-join. */
    q = P("x/yz");
    V_EXPECT_OK(v_path_join(&q, &q));
    V_EXPECT(text_is(&q, "x/yz/x/yz"));
    /* Depth and byte limits, with p unchanged. */
    v_path deep;
    v_path_init_relative(&deep);
    for (int i = 0; i < V_PATH_MAX_DEPTH / 2 + 1; i++)
        V_ASSERT_OK(v_path_push(&deep, "d", 1));
    v_path before = deep;
    V_EXPECT_STATUS(v_path_join(&deep, &deep), V_ERR_LIMIT);
    V_EXPECT(v_path_equal(&deep, &before));
    static char big[200];
    memset(big, 'w', sizeof big);
    v_path wide;
    v_path_init_relative(&wide);
    for (int i = 0; i < 3; i++)
        V_ASSERT_OK(v_path_push(&wide, big, sizeof big));
    before = wide;
    V_EXPECT_STATUS(v_path_join(&wide, &wide), V_ERR_LIMIT);
    V_EXPECT(v_path_equal(&wide, &before));
}

V_TEST(path, parent)
{
    v_path p = P("/a/b");
    V_EXPECT_OK(v_path_parent(&p));
    V_EXPECT(text_is(&p, "/a"));
    V_EXPECT_OK(v_path_parent(&p));
    V_EXPECT(text_is(&p, "/"));
    V_EXPECT_STATUS(v_path_parent(&p), V_ERR_OUT_OF_RANGE);
    V_EXPECT(text_is(&p, "/"));
    p = P("a");
    V_EXPECT_OK(v_path_parent(&p));
    V_EXPECT(text_is(&p, "."));
    V_EXPECT_STATUS(v_path_parent(&p), V_ERR_OUT_OF_RANGE);
    /* A parent then push reuses the space. */
    p = P("a/long");
    V_EXPECT_OK(v_path_parent(&p));
    V_EXPECT_OK(v_path_push(&p, "s", 1));
    V_EXPECT(text_is(&p, "a/s"));
    V_EXPECT(v_path_equal(&p, &(v_path){0}) == false);
}

V_TEST(path, name_and_extension)
{
    static const struct { const char *path, *name, *ext; } cases[] = {
        /* ext NULL = no extension */
        { "/a/file.txt", "file.txt", "txt" },
        { "a.tar.gz", "a.tar.gz", "gz" },
        { "a.", "a.", "" },
        { "a", "a", NULL },
        { "/x/.bashrc", ".bashrc", NULL },
        { ".bashrc.old", ".bashrc.old", "old" },
        { "..x", "..x", "x" },
        { "...", "...", "" },
        { ".a.", ".a.", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        v_path p = P(cases[i].path);
        v_str name, ext = v_str_make("?", 1);
        V_ASSERT(v_path_name(&p, &name));
        V_EXPECT(str_is(name, cases[i].name));
        bool has = v_path_extension(&p, &ext);
        V_EXPECT_EQ(has, cases[i].ext != NULL);
        if (cases[i].ext)
            V_EXPECT(str_is(ext, cases[i].ext));
        else
            V_EXPECT(str_is(ext, "?"));
    }
    v_path root = P("/"), dot = P(".");
    v_str s = v_str_make("?", 1);
    V_EXPECT(!v_path_name(&root, &s));
    V_EXPECT(!v_path_name(&dot, &s));
    V_EXPECT(!v_path_extension(&root, &s));
    V_EXPECT(str_is(s, "?"));
}

V_TEST(path, with_extension)
{
    static const struct { const char *path, *ext, *out; } cases[] = {
        { "/d/a.txt", "md", "/d/a.md" },
        { "a", "c", "a.c" },
        { "a.tar.gz", "xz", "a.tar.xz" },
        { "a.tar.gz", "", "a.tar" },
        { "a", "", "a" },
        { ".bashrc", "bak", ".bashrc.bak" },
        { ".bashrc", "", ".bashrc" },
        { "a.", "o", "a.o" },
        { "a.", "", "a" },
        { "x/y.z", "tar.gz", "x/y.tar.gz" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        v_path p = P(cases[i].path);
        V_EXPECT_OK(v_path_with_extension(&p, cases[i].ext,
                                          strlen(cases[i].ext)));
        V_EXPECT(text_is(&p, cases[i].out));
    }
    v_path p = P("/d/a.txt"), before = p;
    V_EXPECT_STATUS(v_path_with_extension(&p, ".md", 3), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_with_extension(&p, "m/d", 3), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_with_extension(&p, "m\0", 2), V_ERR_MALFORMED);
    V_EXPECT_STATUS(v_path_with_extension(&p, "\xff", 1), V_ERR_MALFORMED);
    static char big[V_PATH_MAX_COMPONENT + 1];
    memset(big, 'e', sizeof big);
    V_EXPECT_STATUS(v_path_with_extension(&p, big, sizeof big), V_ERR_LIMIT);
    /* "a." + 254 bytes is one too long for a component; 253 fits. */
    V_EXPECT_STATUS(v_path_with_extension(&p, big, 254), V_ERR_LIMIT);
    V_EXPECT(v_path_equal(&p, &before));
    V_EXPECT_OK(v_path_with_extension(&p, big, 253));
    V_EXPECT_EQ(v_path_text_len(&p), 3 + V_PATH_MAX_COMPONENT);
    /* The total byte bound applies too, with p unchanged. */
    v_path full;
    v_path_init_relative(&full);
    for (int i = 0; i < 4; i++)
        V_ASSERT_OK(v_path_push(&full, big, 255));
    V_ASSERT_OK(v_path_push(&full, "a.b", 3));
    before = full;
    /* 1020 + "a.b": "a.cd" reaches the 1024 bytes, "a.cde" passes them. */
    V_EXPECT_STATUS(v_path_with_extension(&full, "cde", 3), V_ERR_LIMIT);
    V_EXPECT(v_path_equal(&full, &before));
    V_EXPECT_OK(v_path_with_extension(&full, "cd", 2));
    V_EXPECT_EQ(v_path_text_len(&full), V_PATH_MAX_BYTES + 4);
    v_path root = P("/"), dot = P(".");
    V_EXPECT_STATUS(v_path_with_extension(&root, "x", 1), V_ERR_OUT_OF_RANGE);
    V_EXPECT_STATUS(v_path_with_extension(&dot, "x", 1), V_ERR_OUT_OF_RANGE);
}

V_TEST(path, equal_and_starts_with)
{
    v_path a = P("/a/bc"), b = P("/a/bc"), c = P("a/bc"), d = P("/ab/c");
    V_EXPECT(v_path_equal(&a, &b));
    V_EXPECT(!v_path_equal(&a, &c));
    V_EXPECT(!v_path_equal(&a, &d)); /* same bytes, other boundaries */
    v_path e = P("/a/bd");
    V_EXPECT(!v_path_equal(&a, &e));
    /* Stale bytes past the end do not matter. */
    v_path f = P("/a/bc/zzz");
    V_ASSERT_OK(v_path_parent(&f));
    V_EXPECT(v_path_equal(&a, &f));

    v_path root = P("/"), dot = P("."), pa = P("/a"), pab = P("/ab");
    V_EXPECT(v_path_starts_with(&a, &a));
    V_EXPECT(v_path_starts_with(&a, &pa));
    V_EXPECT(v_path_starts_with(&a, &root));
    V_EXPECT(!v_path_starts_with(&a, &dot));
    V_EXPECT(v_path_starts_with(&c, &dot));
    V_EXPECT(!v_path_starts_with(&c, &root));
    V_EXPECT(!v_path_starts_with(&d, &pa));
    V_EXPECT(!v_path_starts_with(&a, &pab));
    V_EXPECT(!v_path_starts_with(&pa, &a));
    v_path ra = P("a");
    V_EXPECT(v_path_starts_with(&c, &ra));
    V_EXPECT(!v_path_starts_with(&a, &ra));
}
