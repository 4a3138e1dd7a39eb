/* v/io.h — byte streams: readers, writers, memory and buffered adapters.
 *
 * A v_reader / v_writer is a small value: one function pointer and the
 * context it is called with. Anything can be a stream (a file handle, a
 * channel, a byte slice) and adapters wrap one value inside another.
 *
 * The contract below is what every implementation must follow, and what
 * every caller may rely on. v_read and v_write enforce it: a callback that
 * breaks it is reported as V_ERR_IO instead of, say, looping forever.
 *
 * READ   v_status read(ctx, buf, cap, &n), cap > 0:
 *        V_OK          1 <= n <= cap bytes were stored in buf.
 *        V_ERR_END     end of stream; n = 0. Once a reader has reported
 *                      END it keeps reporting END.
 *        other error   n = 0; the status is the device's, passed on
 *                      unchanged (V_ERR_IO, V_ERR_SHOULD_WAIT, ...).
 *        Never V_OK with n = 0, never an error together with bytes: a
 *        reader that fails after producing bytes returns those bytes with
 *        V_OK and the error on the next call.
 *        v_read with cap == 0 returns V_OK, n = 0 without calling read.
 *
 * WRITE  v_status write(ctx, buf, len, &n), len > 0:
 *        V_OK          1 <= n <= len bytes (the first n) were accepted. A
 *                      write may be short: the caller retries the rest
 *                      (v_write_all does).
 *        error         n = 0; nothing of this call was accepted. The status
 *                      passes on unchanged.
 *        v_write with len == 0 returns V_OK, n = 0 without calling write.
 *
 * Helpers that loop (v_write_all, v_read_full, the buffered reader's
 * read_until) report how many bytes moved even when they return an error,
 * so no byte is ever lost without the caller knowing. */
#ifndef V_IO_H
#define V_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <v/alloc.h>
#include <v/status.h>

typedef struct v_reader {
    v_status (*read)(void *ctx, void *buf, size_t cap, size_t *n);
    void *ctx;
} v_reader;

typedef struct v_writer {
    v_status (*write)(void *ctx, const void *buf, size_t len, size_t *n);
    void *ctx;
} v_writer;

/* One call of r's read, checked against the contract. *n is always set. */
v_status v_read(const v_reader *r, void *buf, size_t cap, size_t *n);
/* One call of w's write, checked against the contract. *n is always set. */
v_status v_write(const v_writer *w, const void *buf, size_t len, size_t *n);

/* Writes all len bytes, retrying short writes. Returns V_OK with
 * *written = len, or the first error with *written (may be NULL) = the
 * bytes accepted before it. */
v_status v_write_all(const v_writer *w, const void *buf, size_t len,
                     size_t *written);

/* Reads exactly len bytes, retrying short reads. Returns V_OK with
 * *got = len; V_ERR_END when the stream ended first; or the reader's error.
 * In every case *got (may be NULL) = the bytes stored in buf. */
v_status v_read_full(const v_reader *r, void *buf, size_t len, size_t *got);

/* ------------------------------------------------------------- in memory */

/* Reads the bytes of a slice it borrows, then reports END. */
typedef struct v_io_mem_reader {
    const uint8_t *data;
    size_t len;
    size_t pos;
} v_io_mem_reader;

void v_io_mem_reader_init(v_io_mem_reader *m, const void *data, size_t len);
v_reader v_io_mem_reader_as_reader(v_io_mem_reader *m);

/* Writes into a fixed buffer it borrows. A write that does not fit
 * entirely stores what fits (a short write); a write when the buffer is
 * already full returns V_ERR_TRUNCATED. So v_write_all into a buffer that
 * is too small stores the longest prefix that fits, then reports
 * TRUNCATED: the same meaning TRUNCATED has everywhere in libv. */
typedef struct v_io_fixed_writer {
    uint8_t *buf;
    size_t cap;
    size_t len; /* bytes written so far: buf[0..len) */
} v_io_fixed_writer;

void v_io_fixed_writer_init(v_io_fixed_writer *f, void *buf, size_t cap);
v_writer v_io_fixed_writer_as_writer(v_io_fixed_writer *f);

/* Appends to memory obtained from an allocator, up to max bytes in all.
 * Every write is accepted whole or not at all: V_ERR_NO_MEMORY when the
 * allocator fails, V_ERR_LIMIT when the data would exceed max; in both
 * cases the contents are unchanged. */
typedef struct v_io_grow_writer {
    v_alloc *alloc;
    uint8_t *data; /* NULL until the first byte */
    size_t len;
    size_t cap;    /* bytes allocated */
    size_t max;
} v_io_grow_writer;

void v_io_grow_writer_init(v_io_grow_writer *g, v_alloc *alloc, size_t max);
v_writer v_io_grow_writer_as_writer(v_io_grow_writer *g);
/* Frees the memory; the writer is empty and reusable. */
void v_io_grow_writer_free(v_io_grow_writer *g);

/* --------------------------------------------------------------- buffered */

/* Reads from src in chunks of up to cap bytes through a buffer the caller
 * provides. Errors of src are passed on unchanged and are not sticky (a
 * SHOULD_WAIT may be retried); bytes already buffered are always delivered
 * before an error or END is reported. */
typedef struct v_io_buf_reader {
    v_reader src;
    uint8_t *buf;
    size_t cap;
    size_t start; /* buffered bytes are buf[start..end) */
    size_t end;
} v_io_buf_reader;

/* storage[0..cap) becomes the buffer; cap must be > 0 (else
 * V_ERR_INVALID_ARGS). */
v_status v_io_buf_reader_init(v_io_buf_reader *b, v_reader src,
                              void *storage, size_t cap);
v_reader v_io_buf_reader_as_reader(v_io_buf_reader *b);
/* Bytes buffered but not yet consumed. */
size_t v_io_buf_reader_buffered(const v_io_buf_reader *b);

/* Copies bytes into out[0..cap) until and including the first `delim`.
 *   V_OK            *n bytes stored, the last one is delim, or the stream
 *                   ended after at least one byte without a delim (the
 *                   last piece of text; check out[*n-1]).
 *   V_ERR_END       the stream ended before any byte; *n = 0.
 *   V_ERR_LIMIT     cap bytes were stored without finding delim; they are
 *                   consumed, and the next call continues after them.
 *   other error     from the source; *n bytes (already consumed) were
 *                   stored before it.
 * *n is always the number of bytes stored. cap == 0 is V_ERR_LIMIT. */
v_status v_io_buf_reader_read_until(v_io_buf_reader *b, uint8_t delim,
                                    void *out, size_t cap, size_t *n);

/* One line: like read_until('\n'), but the '\n' is consumed and not
 * stored (nor counted in *n), and a "\r\n" ending loses its '\r' too. A
 * line longer than cap is V_ERR_LIMIT with its first cap bytes stored and
 * consumed. */
v_status v_io_buf_reader_read_line(v_io_buf_reader *b, void *out,
                                   size_t cap, size_t *n);

/* Collects small writes in a buffer the caller provides and passes them
 * to dst in large writes.
 *
 * Errors are sticky: once dst fails, that status is kept and every later
 * write or flush returns it at once, with nothing accepted. The bytes dst
 * did not take stay in the buffer (v_io_buf_writer_pending counts them),
 * so a failed flush loses nothing; after v_io_buf_writer_clear_error the
 * next flush retries them. A byte counts as written once it is in the
 * buffer: call v_io_buf_writer_flush and check it to know it reached dst. */
typedef struct v_io_buf_writer {
    v_writer dst;
    uint8_t *buf;
    size_t cap;
    size_t len;   /* buf[0..len) waits for dst */
    v_status err; /* sticky, V_OK while healthy */
} v_io_buf_writer;

/* cap must be > 0 (else V_ERR_INVALID_ARGS). */
v_status v_io_buf_writer_init(v_io_buf_writer *b, v_writer dst,
                              void *storage, size_t cap);
v_writer v_io_buf_writer_as_writer(v_io_buf_writer *b);
/* Passes every buffered byte to dst. V_OK means dst accepted all. */
v_status v_io_buf_writer_flush(v_io_buf_writer *b);
size_t v_io_buf_writer_pending(const v_io_buf_writer *b);
/* The sticky status (V_OK while healthy). */
v_status v_io_buf_writer_error(const v_io_buf_writer *b);
/* Forgets the sticky error (for example after SHOULD_WAIT); buffered
 * bytes are kept for the next flush. */
void v_io_buf_writer_clear_error(v_io_buf_writer *b);

#endif
