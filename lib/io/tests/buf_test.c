/* The buffered reader and writer against sources and sinks that move
 * every possible chunk size and fail at every position. */
#include <v/io.h>
#include <v/test.h>
#include "fault.h"

static const char lines[] = "alpha\nbe\r\n\ngamma delta\nlast";
#define LINES_LEN (sizeof lines - 1)

V_TEST(io, buf_init_rejects_empty_storage)
{
    v_io_buf_reader br;
    v_io_buf_writer bw;
    char s[4];
    v_reader r = { NULL, NULL };
    v_writer w = { NULL, NULL };
    V_EXPECT_STATUS(v_io_buf_reader_init(&br, r, s, 0), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_io_buf_reader_init(&br, r, NULL, 4),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_io_buf_writer_init(&bw, w, s, 0), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_io_buf_writer_init(&bw, w, NULL, 4),
                    V_ERR_INVALID_ARGS);
}

V_TEST(io, buf_reader_passes_every_byte_for_every_size)
{
    char store[16], out[64];
    for (size_t bufcap = 1; bufcap <= 9; bufcap++) {
        for (size_t chunk = 1; chunk <= LINES_LEN; chunk++) {
            for (size_t ask = 1; ask <= 12; ask++) {
                fault_reader f;
                v_reader src = fault_reader_make(&f, lines, LINES_LEN, chunk,
                                                 FAULT_NEVER, V_OK);
                v_io_buf_reader br;
                V_ASSERT_OK(v_io_buf_reader_init(&br, src, store, bufcap));
                v_reader r = v_io_buf_reader_as_reader(&br);
                size_t got = 0, n;
                v_status s;
                while ((s = v_read(&r, out + got, ask, &n)) == V_OK) {
                    V_ASSERT(n >= 1 && n <= ask);
                    got += n;
                }
                V_ASSERT_STATUS(s, V_ERR_END);
                V_ASSERT_EQ(got, LINES_LEN);
                V_ASSERT(memcmp(out, lines, LINES_LEN) == 0);
            }
        }
    }
}

V_TEST(io, buf_reader_delivers_buffered_bytes_before_the_error)
{
    char store[8], out[64];
    for (size_t at = 0; at < LINES_LEN; at++) {
        fault_reader f;
        v_reader src = fault_reader_make(&f, lines, LINES_LEN, 5, at,
                                         V_ERR_IO);
        f.fail_once = true;
        v_io_buf_reader br;
        V_ASSERT_OK(v_io_buf_reader_init(&br, src, store, sizeof store));
        v_reader r = v_io_buf_reader_as_reader(&br);
        size_t got;
        V_ASSERT_STATUS(v_read_full(&r, out, sizeof out, &got), V_ERR_IO);
        V_ASSERT_EQ(got, at);
        /* Not sticky: the source recovered, reading goes on. */
        size_t more;
        V_ASSERT_STATUS(v_read_full(&r, out + got, sizeof out - got, &more),
                        V_ERR_END);
        V_ASSERT_EQ(got + more, LINES_LEN);
        V_ASSERT(memcmp(out, lines, LINES_LEN) == 0);
    }
}

V_TEST(io, buf_reader_large_reads_bypass_the_buffer)
{
    char store[4], out[16];
    fault_reader f;
    v_reader src = fault_reader_make(&f, lines, LINES_LEN, 100, FAULT_NEVER,
                                     V_OK);
    v_io_buf_reader br;
    V_ASSERT_OK(v_io_buf_reader_init(&br, src, store, sizeof store));
    v_reader r = v_io_buf_reader_as_reader(&br);
    size_t n;
    V_EXPECT_OK(v_read(&r, out, sizeof out, &n));
    V_EXPECT_EQ(n, sizeof out);
    V_EXPECT_EQ(v_io_buf_reader_buffered(&br), 0);
    V_EXPECT_OK(v_read(&r, out, 1, &n));
    V_EXPECT_EQ(v_io_buf_reader_buffered(&br), 3);
    V_EXPECT_EQ(out[0], lines[16]);
}

V_TEST(io, read_line_splits_lines_for_every_chunk_size)
{
    static const char *const want[] = { "alpha", "be", "", "gamma delta",
                                        "last" };
    char store[5], out[32];
    for (size_t chunk = 1; chunk <= LINES_LEN; chunk++) {
        fault_reader f;
        v_reader src = fault_reader_make(&f, lines, LINES_LEN, chunk,
                                         FAULT_NEVER, V_OK);
        v_io_buf_reader br;
        V_ASSERT_OK(v_io_buf_reader_init(&br, src, store, sizeof store));
        for (size_t i = 0; i < 5; i++) {
            size_t n = 99;
            V_ASSERT_OK(v_io_buf_reader_read_line(&br, out, sizeof out, &n));
            V_ASSERT_EQ(n, strlen(want[i]));
            V_ASSERT(memcmp(out, want[i], n) == 0);
        }
        size_t n = 99;
        V_ASSERT_STATUS(v_io_buf_reader_read_line(&br, out, sizeof out, &n),
                        V_ERR_END);
        V_ASSERT_EQ(n, 0);
    }
}

V_TEST(io, read_line_bound)
{
    char store[4], out[16];
    v_io_mem_reader m;
    v_io_buf_reader br;
    size_t n;
    /* Exactly cap bytes, then '\n': fits. */
    v_io_mem_reader_init(&m, "abcd\nxy", 7);
    V_ASSERT_OK(v_io_buf_reader_init(&br, v_io_mem_reader_as_reader(&m),
                                     store, sizeof store));
    V_EXPECT_OK(v_io_buf_reader_read_line(&br, out, 4, &n));
    V_EXPECT_EQ(n, 4);
    V_EXPECT_MEM_EQ(out, "abcd", 4);
    V_EXPECT_OK(v_io_buf_reader_read_line(&br, out, 4, &n));
    V_EXPECT_EQ(n, 2);
    /* Exactly cap bytes, then the end: fits. */
    v_io_mem_reader_init(&m, "abcd", 4);
    V_ASSERT_OK(v_io_buf_reader_init(&br, v_io_mem_reader_as_reader(&m),
                                     store, sizeof store));
    V_EXPECT_OK(v_io_buf_reader_read_line(&br, out, 4, &n));
    V_EXPECT_EQ(n, 4);
    V_EXPECT_STATUS(v_io_buf_reader_read_line(&br, out, 4, &n), V_ERR_END);
    /* Longer: LIMIT with the first cap bytes; the rest follows. */
    v_io_mem_reader_init(&m, "abcdefg\nz", 9);
    V_ASSERT_OK(v_io_buf_reader_init(&br, v_io_mem_reader_as_reader(&m),
                                     store, sizeof store));
    V_EXPECT_STATUS(v_io_buf_reader_read_line(&br, out, 3, &n), V_ERR_LIMIT);
    V_EXPECT_EQ(n, 3);
    V_EXPECT_MEM_EQ(out, "abc", 3);
    V_EXPECT_OK(v_io_buf_reader_read_line(&br, out, 8, &n));
    V_EXPECT_EQ(n, 4);
    V_EXPECT_MEM_EQ(out, "defg", 4);
    /* cap == 0: only an empty line fits. */
    V_EXPECT_STATUS(v_io_buf_reader_read_line(&br, out, 0, &n), V_ERR_LIMIT);
    V_EXPECT_EQ(n, 0);
    v_io_mem_reader_init(&m, "\n", 1);
    V_ASSERT_OK(v_io_buf_reader_init(&br, v_io_mem_reader_as_reader(&m),
                                     store, sizeof store));
    V_EXPECT_OK(v_io_buf_reader_read_line(&br, out, 0, &n));
    V_EXPECT_EQ(n, 0);
    /* A lone '\r' at the end without '\n' is data, not a line ending. */
    v_io_mem_reader_init(&m, "ab\r", 3);
    V_ASSERT_OK(v_io_buf_reader_init(&br, v_io_mem_reader_as_reader(&m),
                                     store, sizeof store));
    V_EXPECT_OK(v_io_buf_reader_read_line(&br, out, 8, &n));
    V_EXPECT_EQ(n, 3);
}

V_TEST(io, read_line_errors_keep_the_stored_bytes)
{
    char store[4], out[16];
    for (size_t at = 0; at < LINES_LEN; at++) {
        for (size_t cap = 1; cap <= 12; cap++) {
            fault_reader f;
            v_reader src = fault_reader_make(&f, lines, LINES_LEN, 3, at,
                                             V_ERR_PEER_CLOSED);
            v_io_buf_reader br;
            V_ASSERT_OK(v_io_buf_reader_init(&br, src, store, sizeof store));
            /* Count bytes delivered (plus the '\n's and '\r's dropped)
             * until the error: it must show up exactly at `at`. */
            size_t consumed = 0;
            v_status s;
            for (;;) {
                size_t n = 99;
                s = v_io_buf_reader_read_until(&br, '\n', out, cap, &n);
                V_ASSERT(n <= cap);
                V_ASSERT(memcmp(out, lines + consumed, n) == 0);
                consumed += n;
                if (s != V_OK && s != V_ERR_LIMIT)
                    break;
            }
            V_ASSERT_STATUS(s, V_ERR_PEER_CLOSED);
            V_ASSERT_EQ(consumed, at);
        }
    }
}

V_TEST(io, read_line_error_right_after_a_full_buffer)
{
    /* cap bytes stored, then the source fails instead of telling whether a
     * '\n' follows: the error is reported, with the bytes. */
    char store[8], out[8];
    fault_reader f;
    v_reader src = fault_reader_make(&f, "abcd\n", 5, 8, 3, V_ERR_IO);
    v_io_buf_reader br;
    V_ASSERT_OK(v_io_buf_reader_init(&br, src, store, sizeof store));
    size_t n;
    V_EXPECT_STATUS(v_io_buf_reader_read_line(&br, out, 3, &n), V_ERR_IO);
    V_EXPECT_EQ(n, 3);
    V_EXPECT_MEM_EQ(out, "abc", 3);
}

V_TEST(io, buf_writer_every_size_every_failure)
{
    char store[16];
    for (size_t bufcap = 1; bufcap <= 9; bufcap++) {
        for (size_t chunk = 1; chunk <= 6; chunk++) {
            for (size_t piece = 1; piece <= 7; piece++) {
                for (size_t at = 0; at <= LINES_LEN; at++) {
                    fault_writer f;
                    v_writer dst = fault_writer_make(
                        &f, chunk, at == LINES_LEN ? FAULT_NEVER : at,
                        V_ERR_IO);
                    v_io_buf_writer bw;
                    V_ASSERT_OK(v_io_buf_writer_init(&bw, dst, store,
                                                     bufcap));
                    v_writer w = v_io_buf_writer_as_writer(&bw);
                    size_t accepted = 0;
                    v_status s = V_OK;
                    while (accepted < LINES_LEN && s == V_OK) {
                        size_t k = LINES_LEN - accepted;
                        size_t n;
                        s = v_write(&w, lines + accepted,
                                    k < piece ? k : piece, &n);
                        accepted += n;
                    }
                    if (s == V_OK)
                        s = v_io_buf_writer_flush(&bw);
                    if (at == LINES_LEN) {
                        V_ASSERT_OK(s);
                        V_ASSERT_EQ(f.len, LINES_LEN);
                        V_ASSERT_EQ(v_io_buf_writer_pending(&bw), 0);
                    } else {
                        V_ASSERT_STATUS(s, V_ERR_IO);
                        V_ASSERT_EQ(f.len, at);
                        V_ASSERT_STATUS(v_io_buf_writer_error(&bw),
                                        V_ERR_IO);
                        /* Nothing lost: what dst got plus what waits is
                         * exactly what was accepted. */
                        V_ASSERT_EQ(f.len + v_io_buf_writer_pending(&bw),
                                    accepted);
                        V_ASSERT(memcmp(bw.buf, lines + at,
                                        accepted - at) == 0);
                        /* Sticky. */
                        size_t n = 99;
                        V_ASSERT_STATUS(v_write(&w, "x", 1, &n), V_ERR_IO);
                        V_ASSERT_EQ(n, 0);
                        V_ASSERT_STATUS(v_io_buf_writer_flush(&bw), V_ERR_IO);
                        /* Recovery: the pending bytes go out, in order. */
                        f.fail_at = FAULT_NEVER;
                        v_io_buf_writer_clear_error(&bw);
                        V_ASSERT_OK(v_io_buf_writer_flush(&bw));
                        V_ASSERT_EQ(f.len, accepted);
                        V_ASSERT_OK(v_write_all(&w, lines + accepted,
                                                LINES_LEN - accepted, NULL));
                        V_ASSERT_OK(v_io_buf_writer_flush(&bw));
                        V_ASSERT_EQ(f.len, LINES_LEN);
                    }
                    V_ASSERT(memcmp(f.out, lines, f.len) == 0);
                }
            }
        }
    }
}

V_TEST(io, buf_writer_holds_small_writes)
{
    char store[8];
    fault_writer f;
    v_writer dst = fault_writer_make(&f, 100, FAULT_NEVER, V_OK);
    v_io_buf_writer bw;
    V_ASSERT_OK(v_io_buf_writer_init(&bw, dst, store, sizeof store));
    v_writer w = v_io_buf_writer_as_writer(&bw);
    size_t n;
    V_EXPECT_OK(v_write(&w, "abc", 3, &n));
    V_EXPECT_OK(v_write(&w, "defgh", 5, &n));
    V_EXPECT_EQ(f.calls, 0);
    V_EXPECT_EQ(v_io_buf_writer_pending(&bw), 8);
    V_EXPECT_OK(v_write(&w, "i", 1, &n));
    V_EXPECT_EQ(f.calls, 1);
    V_EXPECT_EQ(f.len, 8);
    V_EXPECT_OK(v_io_buf_writer_flush(&bw));
    V_EXPECT_OK(v_io_buf_writer_flush(&bw));
    V_EXPECT_EQ(f.calls, 2);
    V_EXPECT_MEM_EQ(f.out, "abcdefghi", 9);
}
