/* msgpack: every format byte through the reader, the writer's smallest
 * encodings at each boundary, structure checks, limits and errors. */
#include <v/encoding.h>
#include <v/mem.h>
#include <v/test.h>

static const v_msgpack_limits roomy = {
    .max_input = 1 << 20, .max_depth = 8, .max_string = 1 << 17,
    .max_elements = 1 << 17, .forbid_nan = false,
};

/* Reads one scalar document. */
static v_status read_one(const void *b, size_t n, const v_msgpack_limits *lim,
                         v_msgpack_token *t, v_msgpack_reader *r)
{
    v_msgpack_limits scalars = *lim;
    scalars.max_depth = 0; /* scalars only: no stack needed */
    v_status s = v_msgpack_reader_init(r, b, n, &scalars, NULL);
    if (s == V_OK)
        s = v_msgpack_next(r, t);
    if (s == V_OK) {
        v_msgpack_token end;
        s = v_msgpack_next(r, &end);
        if (s == V_ERR_END)
            s = V_OK;
    }
    return s;
}

V_TEST(encoding, msgpack_read_scalars)
{
    v_msgpack_limits lim = roomy;
    lim.max_depth = 0;
    static const struct {
        const char *b;
        size_t n;
        v_msgpack_kind kind;
        unsigned fits;
        int64_t i;
        uint64_t u;
    } cases[] = {
        {"\x00", 1, V_MSGPACK_INT, 3, 0, 0},
        {"\x7f", 1, V_MSGPACK_INT, 3, 127, 127},
        {"\xe0", 1, V_MSGPACK_INT, 1, -32, 0},
        {"\xff", 1, V_MSGPACK_INT, 1, -1, 0},
        {"\xcc\xff", 2, V_MSGPACK_INT, 3, 255, 255},
        {"\xcd\x12\x34", 3, V_MSGPACK_INT, 3, 0x1234, 0x1234},
        {"\xce\xff\xff\xff\xff", 5, V_MSGPACK_INT, 3, 0xffffffff, 0xffffffff},
        {"\xcf\xff\xff\xff\xff\xff\xff\xff\xff", 9, V_MSGPACK_INT, 2, 0,
         UINT64_MAX},
        {"\xcf\x7f\xff\xff\xff\xff\xff\xff\xff", 9, V_MSGPACK_INT, 3,
         INT64_MAX, INT64_MAX},
        {"\xd0\x80", 2, V_MSGPACK_INT, 1, -128, 0},
        {"\xd0\x05", 2, V_MSGPACK_INT, 3, 5, 5},
        {"\xd1\x80\x00", 3, V_MSGPACK_INT, 1, -32768, 0},
        {"\xd2\x80\x00\x00\x00", 5, V_MSGPACK_INT, 1, INT32_MIN, 0},
        {"\xd3\x80\x00\x00\x00\x00\x00\x00\x00", 9, V_MSGPACK_INT, 1,
         INT64_MIN, 0},
        {"\xc0", 1, V_MSGPACK_NIL, 0, 0, 0},
        {"\xc2", 1, V_MSGPACK_BOOL, 0, 0, 0},
        {"\xc3", 1, V_MSGPACK_BOOL, 0, 1, 0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        v_msgpack_reader r;
        v_msgpack_token t;
        V_ASSERT_OK(read_one(cases[k].b, cases[k].n, &lim, &t, &r));
        V_EXPECT_EQ(t.kind, cases[k].kind);
        V_EXPECT_EQ(t.offset, 0);
        if (t.kind == V_MSGPACK_INT) {
            V_EXPECT_EQ(t.fits, cases[k].fits);
            if (t.fits & V_MSGPACK_FITS_I64)
                V_EXPECT_EQ(t.i64, cases[k].i);
            if (t.fits & V_MSGPACK_FITS_U64)
                V_EXPECT_EQ(t.u64, cases[k].u);
        }
        if (t.kind == V_MSGPACK_BOOL)
            V_EXPECT_EQ(t.boolean, cases[k].i == 1);
    }
}

V_TEST(encoding, msgpack_read_floats_and_nan)
{
    v_msgpack_limits lim = roomy;
    v_msgpack_reader r;
    v_msgpack_token t;
    V_ASSERT_OK(read_one("\xca\x3f\xc0\x00\x00", 5, &lim, &t, &r));
    V_EXPECT_EQ(t.kind, V_MSGPACK_FLOAT32);
    V_EXPECT(t.f32 == 1.5f);
    V_ASSERT_OK(read_one("\xcb\xbf\xf8\x00\x00\x00\x00\x00\x00", 9, &lim, &t,
                         &r));
    V_EXPECT_EQ(t.kind, V_MSGPACK_FLOAT64);
    V_EXPECT(t.f64 == -1.5);
    V_EXPECT_OK(read_one("\xca\x7f\xc0\x00\x00", 5, &lim, &t, &r));
    V_EXPECT(t.f32 != t.f32);
    lim.forbid_nan = true;
    V_EXPECT_STATUS(read_one("\xca\x7f\xc0\x00\x00", 5, &lim, &t, &r),
                    V_ERR_MALFORMED);
    V_EXPECT_STR_EQ(r.error.reason, "NaN is not allowed");
    V_EXPECT_STATUS(read_one("\xcb\x7f\xf8\x00\x00\x00\x00\x00\x01", 9, &lim,
                             &t, &r), V_ERR_MALFORMED);
    /* Negative and signalling NaNs are NaNs too. */
    V_EXPECT_STATUS(read_one("\xca\xff\x80\x00\x01", 5, &lim, &t, &r),
                    V_ERR_MALFORMED);
    V_EXPECT_STATUS(read_one("\xcb\xff\xf0\x00\x00\x00\x00\x00\x01", 9,
                             &lim, &t, &r), V_ERR_MALFORMED);
    V_EXPECT_OK(read_one("\xca\xff\x80\x00\x00", 5, &lim, &t, &r));
    /* Infinity is not NaN. */
    V_EXPECT_OK(read_one("\xcb\x7f\xf0\x00\x00\x00\x00\x00\x00", 9, &lim, &t,
                         &r));
}

V_TEST(encoding, msgpack_read_payloads)
{
    v_msgpack_reader r;
    v_msgpack_token t;
    V_ASSERT_OK(read_one("\xa3" "abc", 4, &roomy, &t, &r));
    V_EXPECT_EQ(t.kind, V_MSGPACK_STR);
    V_EXPECT_EQ(t.len, 3);
    V_EXPECT_MEM_EQ(t.data, "abc", 3);
    V_ASSERT_OK(read_one("\xd9\x02\xc3\xa9", 4, &roomy, &t, &r));
    V_EXPECT_EQ(t.len, 2);
    V_ASSERT_OK(read_one("\xda\x00\x01x", 4, &roomy, &t, &r));
    V_EXPECT_EQ(t.len, 1);
    V_ASSERT_OK(read_one("\xdb\x00\x00\x00\x00", 5, &roomy, &t, &r));
    V_EXPECT_EQ(t.kind, V_MSGPACK_STR);
    V_EXPECT_EQ(t.len, 0);
    V_ASSERT_OK(read_one("\xc4\x02\x00\xff", 4, &roomy, &t, &r));
    V_EXPECT_EQ(t.kind, V_MSGPACK_BIN);
    V_EXPECT_MEM_EQ(t.data, "\x00\xff", 2);
    V_ASSERT_OK(read_one("\xc5\x00\x00", 3, &roomy, &t, &r));
    V_EXPECT_EQ(t.len, 0);
    V_ASSERT_OK(read_one("\xc6\x00\x00\x00\x01\x07", 6, &roomy, &t, &r));
    V_EXPECT_EQ(t.len, 1);
    static const struct { const char *b; size_t n, len; int8_t type; } ext[] = {
        {"\xd4\x01\xaa", 3, 1, 1},
        {"\xd5\xff\xaa\xbb", 4, 2, -1},
        {"\xd6\x02\x01\x02\x03\x04", 6, 4, 2},
        {"\xd7\x03\x01\x02\x03\x04\x05\x06\x07\x08", 10, 8, 3},
        {"\xd8\x04" "0123456789abcdef", 18, 16, 4},
        {"\xc7\x00\x05", 3, 0, 5},
        {"\xc8\x00\x01\x80\x09", 5, 1, -128},
        {"\xc9\x00\x00\x00\x02\x7f\x01\x02", 8, 2, 127},
    };
    for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++) {
        V_ASSERT_OK(read_one(ext[k].b, ext[k].n, &roomy, &t, &r));
        V_EXPECT_EQ(t.kind, V_MSGPACK_EXT);
        V_EXPECT_EQ(t.len, ext[k].len);
        V_EXPECT_EQ(t.ext_type, ext[k].type);
        V_EXPECT_PTR_EQ(t.data, (const uint8_t *)ext[k].b + ext[k].n -
                                    ext[k].len);
    }
}

V_TEST(encoding, msgpack_read_containers)
{
    /* [1, {"a": [], nil: true}, {}] with a 16-bit array header */
    const char doc[] = "\xdc\x00\x03\x01\x82\xa1" "a\x90\xc0\xc3\x80";
    v_msgpack_frame stack[4];
    v_msgpack_reader r;
    v_msgpack_token t;
    V_ASSERT_OK(v_msgpack_reader_init(&r, doc, sizeof doc - 1, &roomy, stack));
    static const struct {
        v_msgpack_kind kind;
        size_t offset, depth;
        bool is_key;
        uint32_t count;
    } want[] = {
        {V_MSGPACK_ARRAY_BEGIN, 0, 0, false, 3},
        {V_MSGPACK_INT, 3, 1, false, 0},
        {V_MSGPACK_MAP_BEGIN, 4, 1, false, 2},
        {V_MSGPACK_STR, 5, 2, true, 0},
        {V_MSGPACK_ARRAY_BEGIN, 7, 2, false, 0},
        {V_MSGPACK_ARRAY_END, 8, 2, false, 0},
        {V_MSGPACK_NIL, 8, 2, true, 0},
        {V_MSGPACK_BOOL, 9, 2, false, 0},
        {V_MSGPACK_MAP_END, 10, 1, false, 0},
        {V_MSGPACK_MAP_BEGIN, 10, 1, false, 0},
        {V_MSGPACK_MAP_END, 11, 1, false, 0},
        {V_MSGPACK_ARRAY_END, 11, 0, false, 0},
    };
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        V_ASSERT_OK(v_msgpack_next(&r, &t));
        V_EXPECT_EQ(t.kind, want[k].kind);
        V_EXPECT_EQ(t.offset, want[k].offset);
        V_EXPECT_EQ(t.depth, want[k].depth);
        V_EXPECT_EQ(t.is_key, want[k].is_key);
        if (t.kind == V_MSGPACK_ARRAY_BEGIN || t.kind == V_MSGPACK_MAP_BEGIN)
            V_EXPECT_EQ(t.count, want[k].count);
    }
    V_EXPECT_STATUS(v_msgpack_next(&r, &t), V_ERR_END);
    V_EXPECT_STATUS(v_msgpack_next(&r, &t), V_ERR_END);
    /* 32-bit headers. */
    V_ASSERT_OK(v_msgpack_reader_init(&r, "\xdd\x00\x00\x00\x00", 5, &roomy,
                                      stack));
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_MSGPACK_ARRAY_BEGIN);
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_MSGPACK_ARRAY_END);
    V_ASSERT_OK(v_msgpack_reader_init(&r, "\xdf\x00\x00\x00\x01\x01\x02", 7,
                                      &roomy, stack));
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_MSGPACK_MAP_BEGIN);
    V_EXPECT_EQ(t.count, 1);
    V_ASSERT_OK(v_msgpack_skip(&r, &t));
    V_EXPECT_STATUS(v_msgpack_next(&r, &t), V_ERR_END);
}

V_TEST(encoding, msgpack_read_errors)
{
    static const struct {
        const char *b;
        size_t n;
        v_status st;
        size_t offset;
        const char *reason;
    } cases[] = {
        {"", 0, V_ERR_MALFORMED, 0, "unexpected end of input"},
        {"\xc1", 1, V_ERR_MALFORMED, 0, "byte 0xc1 is never used"},
        {"\x91\xc1", 2, V_ERR_MALFORMED, 1, "byte 0xc1 is never used"},
        {"\x01\x02", 2, V_ERR_MALFORMED, 1,
         "trailing bytes after the document"},
        {"\x92\x01", 2, V_ERR_MALFORMED, 2, "unexpected end of input"},
        {"\xcd\x01", 2, V_ERR_MALFORMED, 2, "unexpected end of input"},
        {"\xa2" "a", 2, V_ERR_MALFORMED, 2, "unexpected end of input"},
        {"\xd4\x01", 2, V_ERR_MALFORMED, 2, "unexpected end of input"},
        {"\xd4", 1, V_ERR_MALFORMED, 1, "unexpected end of input"},
        {"\xc7\x01", 2, V_ERR_MALFORMED, 2, "unexpected end of input"},
        {"\xa2" "a\xff", 3, V_ERR_MALFORMED, 2, "invalid UTF-8 in str"},
        {"\xa3\xed\xa0\x80", 4, V_ERR_MALFORMED, 1, "invalid UTF-8 in str"},
        /* Declared counts larger than the bytes left fail at once. */
        {"\xdd\x00\x01\x00\x00\x00", 6, V_ERR_MALFORMED, 6,
         "unexpected end of input"},
        {"\x81\x01", 2, V_ERR_MALFORMED, 2, "unexpected end of input"},
    };
    v_msgpack_frame stack[4];
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        v_msgpack_reader r;
        v_msgpack_token t;
        v_status st = v_msgpack_reader_init(&r, cases[k].b, cases[k].n,
                                            &roomy, stack);
        while (st == V_OK)
            st = v_msgpack_next(&r, &t);
        V_EXPECT_STATUS(st, cases[k].st);
        V_EXPECT_EQ(r.error.offset, cases[k].offset);
        V_EXPECT_STR_EQ(r.error.reason, cases[k].reason);
        V_EXPECT_STATUS(v_msgpack_next(&r, &t), cases[k].st);
        V_EXPECT_STATUS(v_msgpack_skip(&r, &t), cases[k].st);
    }
}

/* Every proper prefix of a valid document is an error. */
V_TEST(encoding, msgpack_read_every_prefix_fails)
{
    const char doc[] = "\x83\xa1" "a\xcf\x01\x02\x03\x04\x05\x06\x07\x08"
                       "\xa1" "b\x92\xcb\x40\x00\x00\x00\x00\x00\x00\x00"
                       "\xc7\x02\x01xy\xa1" "c\xc5\x00\x01z";
    v_msgpack_frame stack[4];
    v_msgpack_reader r;
    v_msgpack_token t;
    uint8_t tail[64]; /* prefix at the end: overreads trip ASan */
    for (size_t n = 0; n <= sizeof doc - 1; n++) {
        uint8_t *p = tail + sizeof tail - n;
        v_mem_copy(p, doc, n);
        v_status st = v_msgpack_reader_init(&r, p, n, &roomy, stack);
        while (st == V_OK)
            st = v_msgpack_next(&r, &t);
        if (n < sizeof doc - 1) {
            V_EXPECT_STATUS(st, V_ERR_MALFORMED);
            V_EXPECT_LE(r.error.offset, n);
        } else {
            V_EXPECT_STATUS(st, V_ERR_END);
        }
    }
}

V_TEST(encoding, msgpack_read_limits)
{
    v_msgpack_frame stack[2];
    v_msgpack_limits lim = roomy;
    v_msgpack_reader r;
    v_msgpack_token t;
    lim.max_depth = 2;
    V_ASSERT_OK(v_msgpack_reader_init(&r, "\x91\x91\x90", 3, &lim, stack));
    V_EXPECT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_STATUS(v_msgpack_next(&r, &t), V_ERR_LIMIT);
    V_EXPECT_EQ(r.error.offset, 2);
    V_EXPECT_STR_EQ(r.error.reason, "nesting deeper than max_depth");

    lim = roomy;
    lim.max_string = 2;
    V_EXPECT_OK(read_one("\xa2" "ab", 3, &lim, &t, &r));
    V_EXPECT_STATUS(read_one("\xa3" "abc", 4, &lim, &t, &r), V_ERR_LIMIT);
    V_EXPECT_STR_EQ(r.error.reason, "payload longer than max_string");
    V_EXPECT_STATUS(read_one("\xc4\x03" "abc", 5, &lim, &t, &r), V_ERR_LIMIT);
    V_EXPECT_STATUS(read_one("\xd6\x01" "abcd", 6, &lim, &t, &r),
                    V_ERR_LIMIT);
    /* A huge declared length is a limit error before any bounds trouble. */
    V_EXPECT_STATUS(read_one("\xdb\xff\xff\xff\xff", 5, &lim, &t, &r),
                    V_ERR_LIMIT);

    lim = roomy;
    lim.max_elements = 1;
    V_ASSERT_OK(v_msgpack_reader_init(&r, "\x92\x01\x02", 3, &lim, stack));
    V_EXPECT_STATUS(v_msgpack_next(&r, &t), V_ERR_LIMIT);
    V_EXPECT_STR_EQ(r.error.reason, "array has more than max_elements items");
    V_ASSERT_OK(v_msgpack_reader_init(&r, "\x82\x01\x02\x03\x04", 5, &lim,
                                      stack));
    V_EXPECT_STATUS(v_msgpack_next(&r, &t), V_ERR_LIMIT);
    V_EXPECT_STR_EQ(r.error.reason, "map has more than max_elements pairs");
    V_ASSERT_OK(v_msgpack_reader_init(&r, "\x81\x01\x02", 3, &lim, stack));
    V_EXPECT_OK(v_msgpack_next(&r, &t));

    lim = roomy;
    lim.max_input = 1;
    V_EXPECT_STATUS(v_msgpack_reader_init(&r, "\x01\x02", 2, &lim, stack),
                    V_ERR_LIMIT);
    V_EXPECT_STATUS(v_msgpack_next(&r, &t), V_ERR_LIMIT);
    V_EXPECT_STATUS(v_msgpack_reader_init(NULL, "", 0, &lim, stack),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_msgpack_reader_init(&r, NULL, 1, &lim, stack),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_msgpack_reader_init(&r, "", 0, NULL, stack),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_msgpack_reader_init(&r, "", 0, &lim, NULL),
                    V_ERR_INVALID_ARGS);
}

/* ---- writer ---- */

typedef struct expect_bytes {
    const char *b;
    size_t n;
} expect_bytes;

#define B(s) {s, sizeof(s) - 1}

V_TEST(encoding, msgpack_write_smallest_integers)
{
    static const struct { int64_t v; expect_bytes e; } si[] = {
        {0, B("\x00")}, {127, B("\x7f")}, {128, B("\xcc\x80")},
        {255, B("\xcc\xff")}, {256, B("\xcd\x01\x00")},
        {65535, B("\xcd\xff\xff")}, {65536, B("\xce\x00\x01\x00\x00")},
        {4294967296, B("\xcf\x00\x00\x00\x01\x00\x00\x00\x00")},
        {-1, B("\xff")}, {-32, B("\xe0")}, {-33, B("\xd0\xdf")},
        {-128, B("\xd0\x80")}, {-129, B("\xd1\xff\x7f")},
        {-32768, B("\xd1\x80\x00")}, {-32769, B("\xd2\xff\xff\x7f\xff")},
        {INT32_MIN, B("\xd2\x80\x00\x00\x00")},
        {(int64_t)INT32_MIN - 1, B("\xd3\xff\xff\xff\xff\x7f\xff\xff\xff")},
        {INT64_MIN, B("\xd3\x80\x00\x00\x00\x00\x00\x00\x00")},
    };
    uint8_t buf[16];
    v_msgpack_writer w;
    size_t n;
    for (size_t k = 0; k < sizeof si / sizeof si[0]; k++) {
        V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
        V_EXPECT_OK(v_msgpack_write_i64(&w, si[k].v));
        V_ASSERT_OK(v_msgpack_writer_finish(&w, &n));
        V_EXPECT_EQ(n, si[k].e.n);
        V_EXPECT_MEM_EQ(buf, si[k].e.b, si[k].e.n);
    }
    V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
    V_EXPECT_OK(v_msgpack_write_u64(&w, UINT64_MAX));
    V_ASSERT_OK(v_msgpack_writer_finish(&w, &n));
    V_EXPECT_EQ(n, 9);
    V_EXPECT_MEM_EQ(buf, "\xcf\xff\xff\xff\xff\xff\xff\xff\xff", 9);
    V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
    V_EXPECT_OK(v_msgpack_write_u64(&w, 0xffffffff));
    V_ASSERT_OK(v_msgpack_writer_finish(&w, &n));
    V_EXPECT_MEM_EQ(buf, "\xce\xff\xff\xff\xff", 5);
}

/* Header bytes for payload families at each size boundary. */
V_TEST(encoding, msgpack_write_payload_headers)
{
    static uint8_t payload[70000];
    static uint8_t buf[70016];
    v_mem_set(payload, 'a', sizeof payload);
    static const struct { size_t len; expect_bytes str, bin; } cases[] = {
        {0, B("\xa0"), B("\xc4\x00")},
        {31, B("\xbf"), B("\xc4\x1f")},
        {32, B("\xd9\x20"), B("\xc4\x20")},
        {255, B("\xd9\xff"), B("\xc4\xff")},
        {256, B("\xda\x01\x00"), B("\xc5\x01\x00")},
        {65535, B("\xda\xff\xff"), B("\xc5\xff\xff")},
        {65536, B("\xdb\x00\x01\x00\x00"), B("\xc6\x00\x01\x00\x00")},
    };
    v_msgpack_writer w;
    size_t n;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        size_t len = cases[k].len;
        V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
        V_EXPECT_OK(v_msgpack_write_str(&w, payload, len));
        V_ASSERT_OK(v_msgpack_writer_finish(&w, &n));
        V_EXPECT_EQ(n, cases[k].str.n + len);
        V_EXPECT_MEM_EQ(buf, cases[k].str.b, cases[k].str.n);
        V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
        V_EXPECT_OK(v_msgpack_write_bin(&w, payload, len));
        V_ASSERT_OK(v_msgpack_writer_finish(&w, &n));
        V_EXPECT_EQ(n, cases[k].bin.n + len);
        V_EXPECT_MEM_EQ(buf, cases[k].bin.b, cases[k].bin.n);
    }
    static const struct { size_t len; expect_bytes e; } ext[] = {
        {0, B("\xc7\x00\x05")}, {1, B("\xd4\x05")}, {2, B("\xd5\x05")},
        {3, B("\xc7\x03\x05")}, {4, B("\xd6\x05")}, {8, B("\xd7\x05")},
        {16, B("\xd8\x05")}, {17, B("\xc7\x11\x05")},
        {256, B("\xc8\x01\x00\x05")}, {65536, B("\xc9\x00\x01\x00\x00\x05")},
    };
    for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++) {
        V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, NULL, 0));
        V_EXPECT_OK(v_msgpack_write_ext(&w, 5, payload, ext[k].len));
        V_ASSERT_OK(v_msgpack_writer_finish(&w, &n));
        V_EXPECT_EQ(n, ext[k].e.n + ext[k].len);
        V_EXPECT_MEM_EQ(buf, ext[k].e.b, ext[k].e.n);
    }
}

V_TEST(encoding, msgpack_write_containers_and_floats)
{
    uint8_t buf[64];
    v_msgpack_frame stack[3];
    v_msgpack_writer w;
    size_t n;
    V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, stack, 3));
    V_EXPECT_OK(v_msgpack_write_map_begin(&w, 2));
    V_EXPECT_OK(v_msgpack_write_str(&w, "f", 1));
    V_EXPECT_OK(v_msgpack_write_array_begin(&w, 2));
    V_EXPECT_OK(v_msgpack_write_f32(&w, 1.5f));
    V_EXPECT_OK(v_msgpack_write_f64(&w, -1.5));
    V_EXPECT_OK(v_msgpack_write_array_end(&w));
    V_EXPECT_OK(v_msgpack_write_nil(&w));
    V_EXPECT_OK(v_msgpack_write_bool(&w, true));
    V_EXPECT_OK(v_msgpack_write_map_end(&w));
    V_ASSERT_OK(v_msgpack_writer_finish(&w, &n));
    const char want[] = "\x82\xa1" "f\x92\xca\x3f\xc0\x00\x00"
                        "\xcb\xbf\xf8\x00\x00\x00\x00\x00\x00\xc0\xc3";
    V_EXPECT_EQ(n, sizeof want - 1);
    V_EXPECT_MEM_EQ(buf, want, sizeof want - 1);
    /* Container header sizes. */
    static const struct { uint32_t count; bool map; expect_bytes e; } hdr[] = {
        {15, false, B("\x9f")}, {16, false, B("\xdc\x00\x10")},
        {65536, false, B("\xdd\x00\x01\x00\x00")}, {15, true, B("\x8f")},
        {16, true, B("\xde\x00\x10")}, {65536, true, B("\xdf\x00\x01\x00\x00")},
    };
    for (size_t k = 0; k < sizeof hdr / sizeof hdr[0]; k++) {
        V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, stack, 3));
        if (hdr[k].map)
            V_EXPECT_OK(v_msgpack_write_map_begin(&w, hdr[k].count));
        else
            V_EXPECT_OK(v_msgpack_write_array_begin(&w, hdr[k].count));
        V_EXPECT_EQ(w.out.len, hdr[k].e.n);
        V_EXPECT_MEM_EQ(buf, hdr[k].e.b, hdr[k].e.n);
    }
}

V_TEST(encoding, msgpack_write_structure_checks)
{
    uint8_t buf[64];
    v_msgpack_frame stack[2];
    v_msgpack_writer w;
#define FRESH() V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, \
                                                  stack, 2))
    FRESH();
    V_EXPECT_OK(v_msgpack_write_array_begin(&w, 1));
    V_EXPECT_OK(v_msgpack_write_nil(&w));
    V_EXPECT_STATUS(v_msgpack_write_nil(&w), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "more items than the container declared");
    FRESH();
    V_EXPECT_OK(v_msgpack_write_map_begin(&w, 1));
    V_EXPECT_OK(v_msgpack_write_nil(&w));
    V_EXPECT_STATUS(v_msgpack_write_map_end(&w), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "fewer items than the container declared");
    FRESH();
    V_EXPECT_OK(v_msgpack_write_map_begin(&w, 0));
    V_EXPECT_STATUS(v_msgpack_write_array_end(&w), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "end does not close an array");
    FRESH();
    V_EXPECT_STATUS(v_msgpack_write_map_end(&w), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "end does not close a map");
    FRESH();
    V_EXPECT_OK(v_msgpack_write_array_begin(&w, 0));
    V_EXPECT_STATUS(v_msgpack_writer_finish(&w, NULL), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "unclosed array or map");
    FRESH();
    V_EXPECT_STATUS(v_msgpack_writer_finish(&w, NULL), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "empty document");
    FRESH();
    V_EXPECT_OK(v_msgpack_write_u64(&w, 1));
    V_EXPECT_STATUS(v_msgpack_write_u64(&w, 1), V_ERR_BAD_STATE);
    V_EXPECT_STR_EQ(w.error.reason, "document already has its value");
    FRESH();
    V_EXPECT_OK(v_msgpack_write_array_begin(&w, 1));
    V_EXPECT_OK(v_msgpack_write_array_begin(&w, 1));
    V_EXPECT_STATUS(v_msgpack_write_array_begin(&w, 0), V_ERR_LIMIT);
    FRESH();
    V_EXPECT_STATUS(v_msgpack_write_str(&w, "\xc0\x80", 2),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STR_EQ(w.error.reason, "str is not valid UTF-8");
    V_EXPECT_STATUS(v_msgpack_write_nil(&w), V_ERR_INVALID_ARGS);
    FRESH();
    V_EXPECT_STATUS(v_msgpack_write_bin(&w, NULL, 1), V_ERR_INVALID_ARGS);
    FRESH();
    V_EXPECT_STATUS(v_msgpack_write_ext(&w, 1, NULL, 4), V_ERR_INVALID_ARGS);
    FRESH();
    V_EXPECT_STATUS(v_msgpack_write_ext(&w, 1, NULL, 3), V_ERR_INVALID_ARGS);
    FRESH();
    V_EXPECT_STATUS(v_msgpack_write_str(&w, NULL, 3), V_ERR_INVALID_ARGS);
    /* NULL with length 0 is an empty payload. */
    FRESH();
    V_EXPECT_OK(v_msgpack_write_array_begin(&w, 3));
    V_EXPECT_OK(v_msgpack_write_str(&w, NULL, 0));
    V_EXPECT_OK(v_msgpack_write_bin(&w, NULL, 0));
    V_EXPECT_OK(v_msgpack_write_ext(&w, 7, NULL, 0));
    V_EXPECT_OK(v_msgpack_write_array_end(&w));
    size_t n = 0;
    V_EXPECT_OK(v_msgpack_writer_finish(&w, &n));
    V_EXPECT_EQ(n, 7);
    V_EXPECT_MEM_EQ(buf, "\x93\xa0\xc4\x00\xc7\x00\x07", 7);
#undef FRESH
    V_EXPECT_STATUS(v_msgpack_writer_init(&w, NULL, 1, NULL, NULL, 0),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_msgpack_writer_init(&w, buf, 1, NULL, NULL, 1),
                    V_ERR_INVALID_ARGS);
}

/* Writes one value with `how`, at the top level (the out-of-line general
 * path) and as the one item of an array (the inline path), and expects
 * the same bytes after the array header, or the same error. */
typedef v_status (*write_one)(v_msgpack_writer *w, const void *arg, size_t n);

static v_status one_str(v_msgpack_writer *w, const void *a, size_t n)
{
    return v_msgpack_write_str(w, a, n);
}
static v_status one_i64(v_msgpack_writer *w, const void *a, size_t n)
{
    return v_msgpack_write_i64(w, *(const int64_t *)a);
}
static v_status one_u64(v_msgpack_writer *w, const void *a, size_t n)
{
    return v_msgpack_write_u64(w, *(const uint64_t *)a);
}
static v_status one_f64(v_msgpack_writer *w, const void *a, size_t n)
{
    return v_msgpack_write_f64(w, *(const double *)a);
}

static void same_both_ways(v_test_ctx *v_t, write_one how, const void *arg,
                           size_t n)
{
    static uint8_t top[70016], in[70016];
    v_msgpack_frame stack[1];
    v_msgpack_writer a, b;
    size_t na = 0, nb = 0;
    V_ASSERT_OK(v_msgpack_writer_init(&a, top, sizeof top, NULL, NULL, 0));
    V_ASSERT_OK(v_msgpack_writer_init(&b, in, sizeof in, NULL, stack, 1));
    V_ASSERT_OK(v_msgpack_write_array_begin(&b, 1));
    v_status sa = how(&a, arg, n), sb = how(&b, arg, n);
    V_EXPECT_EQ(sa, sb);
    if (sa != V_OK) {
        V_EXPECT_EQ(a.error.offset, b.error.offset);
        V_EXPECT_STR_EQ(a.error.reason, b.error.reason);
        V_EXPECT_STATUS(v_msgpack_write_array_end(&b), sa); /* sticky */
        return;
    }
    V_ASSERT_OK(v_msgpack_write_array_end(&b));
    V_ASSERT_OK(v_msgpack_writer_finish(&a, &na));
    V_ASSERT_OK(v_msgpack_writer_finish(&b, &nb));
    V_ASSERT_EQ(nb, na + 1);
    V_EXPECT_EQ(in[0], 0x91);
    V_EXPECT_MEM_EQ(in + 1, top, na);
}

V_TEST(encoding, msgpack_write_inline_paths_match_general)
{
    static uint8_t text[70000];
    /* 8-32 bytes go through the overlapping-words copy, 33 and more
     * through 16-byte blocks: each class at and inside its edges. */
    static const size_t lens[] = {0,  1,  3,  4,   7,   8,     9,    10,
                                  15, 16, 17, 24,  31,  32,    33,   47,
                                  48, 49, 255, 256, 65535, 65536};
    for (size_t k = 0; k < sizeof text; k++)
        text[k] = (uint8_t)('a' + k % 26);
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        size_t len = lens[k];
        same_both_ways(v_t, one_str, text, len);
        if (len < 2)
            continue;
        /* A two-byte character at the end, then a bad byte there. */
        text[len - 2] = 0xc3;
        text[len - 1] = 0xa9;
        same_both_ways(v_t, one_str, text, len);
        text[len - 1] = 0x41; /* C3 then ASCII: ill-formed at len-2 */
        same_both_ways(v_t, one_str, text, len);
        text[len - 2] = (uint8_t)('a' + (len - 2) % 26);
        text[len - 1] = (uint8_t)('a' + (len - 1) % 26);
    }
    static const int64_t iv[] = {0, 1, 127, 128, 255, 256, 65535, 65536,
                                 4294967295, 4294967296, INT64_MAX, -1, -32,
                                 -33, -128, -129, -32768, -32769, INT32_MIN,
                                 (int64_t)INT32_MIN - 1, INT64_MIN};
    for (size_t k = 0; k < sizeof iv / sizeof iv[0]; k++) {
        uint64_t u = (uint64_t)iv[k];
        double d = (double)iv[k];
        same_both_ways(v_t, one_i64, &iv[k], 0);
        same_both_ways(v_t, one_u64, &u, 0);
        same_both_ways(v_t, one_f64, &d, 0);
    }
}

/* Near the end of the buffer the inline paths step aside; the general
 * path writes what fits and reports the full buffer. */
V_TEST(encoding, msgpack_write_inline_paths_at_buffer_end)
{
    uint8_t buf[8];
    v_msgpack_frame stack[2];
    v_msgpack_writer w;
    size_t n;
    V_ASSERT_OK(v_msgpack_writer_init(&w, buf, sizeof buf, NULL, stack, 2));
    V_ASSERT_OK(v_msgpack_write_array_begin(&w, 3));
    V_EXPECT_OK(v_msgpack_write_u64(&w, 300));      /* 3 bytes: 4 used */
    V_EXPECT_OK(v_msgpack_write_str(&w, "abc", 3)); /* 4 bytes: 8 used */
    V_EXPECT_STATUS(v_msgpack_write_nil(&w), V_ERR_TRUNCATED);
    V_EXPECT_STATUS(v_msgpack_write_array_end(&w), V_ERR_TRUNCATED);
    V_EXPECT_MEM_EQ(buf, "\x93\xcd\x01\x2c\xa3" "abc", 8);
    /* Exactly full is fine. */
    V_ASSERT_OK(v_msgpack_writer_init(&w, buf, 6, NULL, stack, 2));
    V_ASSERT_OK(v_msgpack_write_array_begin(&w, 2));
    V_EXPECT_OK(v_msgpack_write_array_begin(&w, 1));
    V_EXPECT_OK(v_msgpack_write_u64(&w, 300));
    V_EXPECT_OK(v_msgpack_write_array_end(&w));
    V_EXPECT_OK(v_msgpack_write_bool(&w, false));
    V_EXPECT_OK(v_msgpack_write_array_end(&w));
    V_EXPECT_OK(v_msgpack_writer_finish(&w, &n));
    V_EXPECT_EQ(n, 6);
    V_EXPECT_MEM_EQ(buf, "\x92\x91\xcd\x01\x2c\xc2", 6);
}

V_TEST(encoding, msgpack_write_buffer_full)
{
    uint8_t buf[4];
    v_msgpack_writer w;
    V_ASSERT_OK(v_msgpack_writer_init(&w, buf, 3, NULL, NULL, 0));
    V_EXPECT_STATUS(v_msgpack_write_str(&w, "abc", 3), V_ERR_TRUNCATED);
    V_EXPECT_MEM_EQ(buf, "\xa3" "ab", 3);
    V_EXPECT_STATUS(v_msgpack_writer_finish(&w, NULL), V_ERR_TRUNCATED);
    V_ASSERT_OK(v_msgpack_writer_init(&w, buf, 4, NULL, NULL, 0));
    V_EXPECT_OK(v_msgpack_write_str(&w, "abc", 3));
    V_EXPECT_OK(v_msgpack_writer_finish(&w, NULL));
}

typedef struct sink_buf {
    uint8_t data[256];
    size_t len;
} sink_buf;

static v_status sink_write(void *ctx, const void *bytes, size_t len,
                           size_t *n)
{
    sink_buf *s = ctx;
    *n = 0;
    if (len > sizeof s->data - s->len)
        return V_ERR_NO_MEMORY;
    v_mem_copy(s->data + s->len, bytes, len);
    s->len += len;
    *n = len;
    return V_OK;
}

/* Written through a sink, read back token by token. */
V_TEST(encoding, msgpack_round_trip_through_sink)
{
    uint8_t stage[5];
    v_msgpack_frame stack[4];
    v_msgpack_writer w;
    sink_buf sb = {.len = 0};
    v_encoding_sink sink = {sink_write, &sb};
    V_ASSERT_OK(v_msgpack_writer_init(&w, stage, sizeof stage, &sink, stack,
                                      4));
    V_EXPECT_OK(v_msgpack_write_array_begin(&w, 4));
    V_EXPECT_OK(v_msgpack_write_i64(&w, -1000000));
    V_EXPECT_OK(v_msgpack_write_str(&w, "h\xc3\xa9llo world, longer", 20));
    V_EXPECT_OK(v_msgpack_write_ext(&w, -1, "\x00\x00\x00\x01", 4));
    V_EXPECT_OK(v_msgpack_write_map_begin(&w, 1));
    V_EXPECT_OK(v_msgpack_write_bin(&w, "\x00\x01", 2));
    V_EXPECT_OK(v_msgpack_write_u64(&w, 1ull << 40));
    V_EXPECT_OK(v_msgpack_write_map_end(&w));
    V_EXPECT_OK(v_msgpack_write_array_end(&w));
    size_t n;
    V_ASSERT_OK(v_msgpack_writer_finish(&w, &n));
    V_EXPECT_EQ(n, sb.len);
    v_msgpack_reader r;
    v_msgpack_token t;
    V_ASSERT_OK(v_msgpack_reader_init(&r, sb.data, sb.len, &roomy, stack));
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.count, 4);
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.i64, -1000000);
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.len, 20);
    V_EXPECT_MEM_EQ(t.data, "h\xc3\xa9llo world, longer", 20);
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_MSGPACK_EXT);
    V_EXPECT_EQ(t.ext_type, -1);
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_MSGPACK_MAP_BEGIN);
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_MSGPACK_BIN);
    V_EXPECT(t.is_key);
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.u64, 1ull << 40);
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_MSGPACK_MAP_END);
    V_ASSERT_OK(v_msgpack_next(&r, &t));
    V_EXPECT_EQ(t.kind, V_MSGPACK_ARRAY_END);
    V_EXPECT_STATUS(v_msgpack_next(&r, &t), V_ERR_END);
}
