/* The contract checks of v_read/v_write and the loops v_write_all and
 * v_read_full, against streams that fail at every position. */
#include <v/io.h>
#include <v/test.h>
#include "fault.h"

static const char text[] = "The quick brown fox jumps over the lazy dog";
#define TEXT_LEN (sizeof text - 1)

static v_status bad_zero_read(void *ctx, void *buf, size_t cap, size_t *n)
{
    *n = 0;
    return V_OK;
}

static v_status bad_over_read(void *ctx, void *buf, size_t cap, size_t *n)
{
    *n = cap + 1;
    return V_OK;
}

static v_status bad_err_with_bytes(void *ctx, void *buf, size_t cap,
                                   size_t *n)
{
    *n = 3;
    return V_ERR_IO;
}

static v_status bad_zero_write(void *ctx, const void *buf, size_t len,
                               size_t *n)
{
    *n = 0;
    return V_OK;
}

static v_status bad_over_write(void *ctx, const void *buf, size_t len,
                               size_t *n)
{
    *n = len + 1;
    return V_OK;
}

static v_status counting_read(void *ctx, void *buf, size_t cap, size_t *n)
{
    (*(int *)ctx)++;
    *n = 0;
    return V_ERR_END;
}

static v_status counting_write(void *ctx, const void *buf, size_t len,
                               size_t *n)
{
    (*(int *)ctx)++;
    *n = 0;
    return V_ERR_IO;
}

V_TEST(io, contract_violations_become_io_errors)
{
    char buf[8];
    size_t n = 99;
    v_reader r = { bad_zero_read, NULL };
    V_EXPECT_STATUS(v_read(&r, buf, sizeof buf, &n), V_ERR_IO);
    V_EXPECT_EQ(n, 0);
    r.read = bad_over_read;
    n = 99;
    V_EXPECT_STATUS(v_read(&r, buf, sizeof buf, &n), V_ERR_IO);
    V_EXPECT_EQ(n, 0);
    r.read = bad_err_with_bytes;
    n = 99;
    V_EXPECT_STATUS(v_read(&r, buf, sizeof buf, &n), V_ERR_IO);
    V_EXPECT_EQ(n, 0);

    v_writer w = { bad_zero_write, NULL };
    n = 99;
    V_EXPECT_STATUS(v_write(&w, "abc", 3, &n), V_ERR_IO);
    V_EXPECT_EQ(n, 0);
    w.write = bad_over_write;
    V_EXPECT_STATUS(v_write(&w, "abc", 3, &n), V_ERR_IO);
    V_EXPECT_EQ(n, 0);
    /* A zero-progress writer cannot make v_write_all spin. */
    w.write = bad_zero_write;
    size_t done = 99;
    V_EXPECT_STATUS(v_write_all(&w, "abc", 3, &done), V_ERR_IO);
    V_EXPECT_EQ(done, 0);
}

V_TEST(io, zero_length_calls_do_not_reach_the_stream)
{
    int calls = 0;
    v_reader r = { counting_read, &calls };
    v_writer w = { counting_write, &calls };
    size_t n = 99;
    V_EXPECT_OK(v_read(&r, NULL, 0, &n));
    V_EXPECT_EQ(n, 0);
    n = 99;
    V_EXPECT_OK(v_write(&w, NULL, 0, &n));
    V_EXPECT_EQ(n, 0);
    V_EXPECT_OK(v_write_all(&w, NULL, 0, &n));
    V_EXPECT_OK(v_read_full(&r, NULL, 0, &n));
    V_EXPECT_EQ(calls, 0);
    /* The out counts of the loops may be NULL. */
    V_EXPECT_STATUS(v_write_all(&w, "x", 1, NULL), V_ERR_IO);
    char c;
    V_EXPECT_STATUS(v_read_full(&r, &c, 1, NULL), V_ERR_END);
    V_EXPECT_EQ(calls, 2);
}

V_TEST(io, write_all_every_chunk_size_and_failure_point)
{
    for (size_t chunk = 1; chunk <= TEXT_LEN + 1; chunk++) {
        fault_writer f;
        v_writer w = fault_writer_make(&f, chunk, FAULT_NEVER, V_OK);
        size_t done = 0;
        V_ASSERT_OK(v_write_all(&w, text, TEXT_LEN, &done));
        V_ASSERT_EQ(done, TEXT_LEN);
        V_ASSERT_EQ(f.len, TEXT_LEN);
        V_ASSERT(memcmp(f.out, text, TEXT_LEN) == 0);
        V_ASSERT_EQ(f.calls, (TEXT_LEN + chunk - 1) / chunk);

        for (size_t at = 0; at < TEXT_LEN; at++) {
            w = fault_writer_make(&f, chunk, at, V_ERR_PEER_CLOSED);
            done = 99;
            V_ASSERT_STATUS(v_write_all(&w, text, TEXT_LEN, &done),
                            V_ERR_PEER_CLOSED);
            V_ASSERT_EQ(done, at);
            V_ASSERT_EQ(f.len, at);
            V_ASSERT(memcmp(f.out, text, at) == 0);
        }
    }
}

V_TEST(io, read_full_every_chunk_size_and_failure_point)
{
    char buf[TEXT_LEN + 8];
    for (size_t chunk = 1; chunk <= TEXT_LEN + 1; chunk++) {
        fault_reader f;
        v_reader r = fault_reader_make(&f, text, TEXT_LEN, chunk,
                                       FAULT_NEVER, V_OK);
        size_t got = 0;
        V_ASSERT_OK(v_read_full(&r, buf, TEXT_LEN, &got));
        V_ASSERT_EQ(got, TEXT_LEN);
        V_ASSERT(memcmp(buf, text, TEXT_LEN) == 0);
        /* Asking for more than there is: END, with all bytes counted. */
        r = fault_reader_make(&f, text, TEXT_LEN, chunk, FAULT_NEVER, V_OK);
        V_ASSERT_STATUS(v_read_full(&r, buf, sizeof buf, &got), V_ERR_END);
        V_ASSERT_EQ(got, TEXT_LEN);
        for (size_t at = 0; at < TEXT_LEN; at++) {
            r = fault_reader_make(&f, text, TEXT_LEN, chunk, at,
                                  V_ERR_TIMED_OUT);
            V_ASSERT_STATUS(v_read_full(&r, buf, TEXT_LEN, &got),
                            V_ERR_TIMED_OUT);
            V_ASSERT_EQ(got, at);
            V_ASSERT(memcmp(buf, text, at) == 0);
        }
    }
}

V_TEST(io, mem_reader_reads_then_stays_at_end)
{
    v_io_mem_reader m;
    v_io_mem_reader_init(&m, "hello", 5);
    v_reader r = v_io_mem_reader_as_reader(&m);
    char buf[4];
    size_t n;
    V_EXPECT_OK(v_read(&r, buf, 3, &n));
    V_EXPECT_EQ(n, 3);
    V_EXPECT_MEM_EQ(buf, "hel", 3);
    V_EXPECT_OK(v_read(&r, buf, 4, &n));
    V_EXPECT_EQ(n, 2);
    V_EXPECT_MEM_EQ(buf, "lo", 2);
    V_EXPECT_STATUS(v_read(&r, buf, 4, &n), V_ERR_END);
    V_EXPECT_EQ(n, 0);
    V_EXPECT_STATUS(v_read(&r, buf, 4, &n), V_ERR_END);
    /* An empty or NULL slice is at its end at once. */
    v_io_mem_reader_init(&m, NULL, 10);
    V_EXPECT_STATUS(v_read(&r, buf, 4, &n), V_ERR_END);
    v_io_mem_reader_init(&m, "x", 0);
    V_EXPECT_STATUS(v_read(&r, buf, 4, &n), V_ERR_END);
}

V_TEST(io, fixed_writer_short_write_then_truncated)
{
    char buf[8];
    v_io_fixed_writer f;
    v_io_fixed_writer_init(&f, buf, sizeof buf);
    v_writer w = v_io_fixed_writer_as_writer(&f);
    size_t n;
    V_EXPECT_OK(v_write(&w, "abcde", 5, &n));
    V_EXPECT_EQ(n, 5);
    V_EXPECT_OK(v_write(&w, "fghij", 5, &n));
    V_EXPECT_EQ(n, 3);
    V_EXPECT_EQ(f.len, 8);
    V_EXPECT_MEM_EQ(buf, "abcdefgh", 8);
    V_EXPECT_STATUS(v_write(&w, "z", 1, &n), V_ERR_TRUNCATED);
    V_EXPECT_EQ(n, 0);
    /* write_all: the longest prefix that fits, then TRUNCATED. */
    v_io_fixed_writer_init(&f, buf, 4);
    size_t done;
    V_EXPECT_STATUS(v_write_all(&w, "123456", 6, &done), V_ERR_TRUNCATED);
    V_EXPECT_EQ(done, 4);
    V_EXPECT_MEM_EQ(buf, "1234", 4);
    /* A zero-size buffer is full from the start. */
    v_io_fixed_writer_init(&f, NULL, 4);
    V_EXPECT_STATUS(v_write(&w, "1", 1, &n), V_ERR_TRUNCATED);
    v_io_fixed_writer_init(&f, buf, 0);
    V_EXPECT_STATUS(v_write(&w, "1", 1, &n), V_ERR_TRUNCATED);
}

V_TEST(io, grow_writer_grows_and_fails_cleanly)
{
    test_alloc ta;
    test_alloc_init(&ta, 1000);
    v_io_grow_writer g;
    v_io_grow_writer_init(&g, &ta.base, 1000);
    v_writer w = v_io_grow_writer_as_writer(&g);
    size_t n;
    for (int i = 0; i < 100; i++) {
        V_ASSERT_OK(v_write(&w, "0123456789", 10, &n));
        V_ASSERT_EQ(n, 10);
    }
    V_EXPECT_EQ(g.len, 1000);
    V_EXPECT_LE(g.cap, 1000);
    V_EXPECT_MEM_EQ(g.data + 990, "0123456789", 10);
    /* The limit: a write that would pass max is refused whole. */
    V_EXPECT_STATUS(v_write(&w, "x", 1, &n), V_ERR_LIMIT);
    V_EXPECT_EQ(n, 0);
    V_EXPECT_EQ(g.len, 1000);
    v_io_grow_writer_free(&g);
    V_EXPECT_EQ(ta.live, 0);
    V_EXPECT_NULL(g.data);

    /* Every allocation failure leaves the contents as they were. */
    for (unsigned fail = 0; fail < 6; fail++) {
        test_alloc_init(&ta, fail);
        v_io_grow_writer_init(&g, &ta.base, 100000);
        w = v_io_grow_writer_as_writer(&g);
        size_t total = 0;
        v_status s = V_OK;
        for (int i = 0; i < 200 && s == V_OK; i++) {
            s = v_write(&w, text, TEXT_LEN, &n);
            if (s == V_OK)
                total += n;
        }
        V_EXPECT_STATUS(s, V_ERR_NO_MEMORY);
        V_EXPECT_EQ(n, 0);
        V_EXPECT_EQ(g.len, total);
        for (size_t off = 0; off < total; off += TEXT_LEN)
            V_ASSERT(memcmp(g.data + off, text, TEXT_LEN) == 0);
        v_io_grow_writer_free(&g);
        V_EXPECT_EQ(ta.live, 0);
    }
}
