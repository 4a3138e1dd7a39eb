/* The heap's debug mode: how each fault is detected, and the reports.
 *
 * Every free and resize in debug mode first proves that the pointer is a
 * live block of this heap, then that the block is intact:
 *   - outside the heap: no region contains the pointer;
 *   - not a block start (interior pointer, or one the heap never returned):
 *     the blocks of the pointer's region are walked from its start, using
 *     only the heap's own headers, until the block containing the pointer;
 *     the pointer must equal that block's payload start. The walk also
 *     validates each header it passes, so a damaged header is reported as
 *     corruption instead of being followed;
 *   - double free: the containing block is free, or the pointer's would-be
 *     record still carries the "freed" canary (the block was freed and then
 *     merged with a neighbour or reused);
 *   - underrun: the canary word just before the payload no longer matches
 *     its magic mixed with the block address;
 *   - overrun: guard bytes from the end of the requested size to the end of
 *     the block changed, or the next block's header is no longer valid;
 *   - size mismatch: the size passed differs from the recorded request;
 *   - alignment mismatch: the pointer is not aligned as the caller says.
 * On any fault the operation is refused and the heap is not modified.
 * Freed blocks keep their record with the "freed" canary; the guard bytes
 * are re-armed on every allocation and resize. */
#include "heap_internal.h"
#include <v/mem.h>

/* ---- a tiny text builder for report messages (no libc here) ---- */

typedef struct msgbuf {
    char *s;
    size_t n, cap;
} msgbuf;

static void put(msgbuf *m, const char *t)
{
    while (*t != '\0' && m->n + 1 < m->cap)
        m->s[m->n++] = *t++;
    m->s[m->n] = '\0';
}

static void put_dec(msgbuf *m, size_t v)
{
    char d[24];
    int i = 0;
    do {
        d[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    char t[24];
    for (int j = 0; j < i; j++)
        t[j] = d[i - 1 - j];
    t[i] = '\0';
    put(m, t);
}

static void put_hex(msgbuf *m, const void *p)
{
    uintptr_t v = (uintptr_t)p;
    char t[2 + 2 * sizeof v + 1];
    int i = 0;
    t[i++] = '0';
    t[i++] = 'x';
    bool started = false;
    for (int sh = (int)(8 * sizeof v) - 4; sh >= 0; sh -= 4) {
        unsigned nib = (unsigned)(v >> sh) & 15u;
        if (nib != 0 || started || sh == 0) {
            t[i++] = "0123456789abcdef"[nib];
            started = true;
        }
    }
    t[i] = '\0';
    put(m, t);
}

static const char *fault_name(v_heap_fault f)
{
    switch (f) {
    case V_HEAP_FAULT_DOUBLE_FREE: return "double free";
    case V_HEAP_FAULT_INVALID_FREE: return "invalid pointer";
    case V_HEAP_FAULT_SIZE_MISMATCH: return "size mismatch";
    case V_HEAP_FAULT_ALIGN_MISMATCH: return "alignment mismatch";
    case V_HEAP_FAULT_UNDERRUN: return "buffer underrun";
    case V_HEAP_FAULT_OVERRUN: return "buffer overrun";
    case V_HEAP_FAULT_CORRUPT: return "heap corrupted";
    }
    return "fault";
}

/* Sends one report: "heap: <fault>: <op>(<ptr>, <size>): <detail>;
 * block <addr> of <n> bytes; damage at <addr> (block+<k>)". `user` is the
 * block's payload start (NULL if none is involved), `bsize` the size it was
 * allocated with (0 if unknown). */
void heap_report(v_heap *h, v_heap_fault fault, const char *op,
                 const void *ptr, size_t given, const void *user,
                 size_t bsize, const void *where, const char *detail)
{
    if (h->cfg.report == NULL)
        return;
    msgbuf m = {h->msg, 0, sizeof h->msg};
    put(&m, "heap: ");
    put(&m, fault_name(fault));
    put(&m, ": ");
    put(&m, op);
    put(&m, "(");
    put_hex(&m, ptr);
    if (op[0] != 'c') { /* free/resize carry a size; check does not */
        put(&m, ", ");
        put_dec(&m, given);
    }
    put(&m, "): ");
    put(&m, detail);
    if (user != NULL) {
        put(&m, "; block ");
        put_hex(&m, user);
        if (bsize != 0) {
            put(&m, " of ");
            put_dec(&m, bsize);
            put(&m, " bytes");
        }
    }
    if (where != NULL) {
        put(&m, "; damage at ");
        put_hex(&m, where);
        if (user != NULL) {
            const unsigned char *w = where, *u = user;
            put(&m, w < u ? " (block-" : " (block+");
            put_dec(&m, w < u ? (size_t)(u - w) : (size_t)(w - u));
            put(&m, ")");
        }
    }
    v_heap_report r = {fault, op, ptr, user, bsize, given, where, h->msg};
    h->cfg.report(h->cfg.report_ctx, &r);
}

/* ---- arming and checking one block ---- */

void heap_debug_arm(const v_heap *h, hblock *b, size_t requested)
{
    (void)h;
    heap_dbg_rec *rec = hb_rec(b);
    rec->requested = requested;
    rec->canary = canary_for(b, HEAP_MAGIC_LIVE);
    unsigned char *end = (unsigned char *)b + hb_size(b);
    unsigned char *g = (unsigned char *)b + HEAP_DBG_USER_OFF + requested;
    v_mem_set(g, HEAP_GUARD_BYTE, (size_t)(end - g));
}

void heap_debug_disarm(hblock *b)
{
    hb_rec(b)->canary = canary_for(b, HEAP_MAGIC_FREED);
}

/* A header the walk may follow: sane size, inside the region. */
bool heap_header_ok(const struct v_heap_region *r, const hblock *b)
{
    size_t sz = hb_size(b);
    if (b == r->sentinel)
        return sz == 0 && !hb_is_free(b);
    if (sz < HEAP_MIN_BLOCK) /* hb_size() already masks to 16 bytes */
        return false;
    return sz <= (size_t)((const unsigned char *)r->sentinel -
                          (const unsigned char *)b);
}

const struct v_heap_region *heap_region_of(const v_heap *h, const void *p)
{
    for (const struct v_heap_region *r = h->regions; r != NULL; r = r->next)
        if ((uintptr_t)p >= (uintptr_t)r->first &&
            (uintptr_t)p < (uintptr_t)r->sentinel)
            return r;
    return NULL;
}

bool heap_debug_check_block(v_heap *h, const char *op, const void *ptr,
                            size_t given, hblock *b)
{
    heap_dbg_rec *rec = hb_rec(b);
    const unsigned char *user = (const unsigned char *)b + HEAP_DBG_USER_OFF;
    size_t bsz = hb_size(b);
    size_t want = canary_for(b, HEAP_MAGIC_LIVE);
    bool size_ok =
        rec->requested <= bsz - HEAP_DBG_USER_OFF - HEAP_DBG_MIN_GUARD;
    if (rec->canary != want || !size_ok) {
        /* An underrun writes downwards from the block: name the damaged
         * byte nearest to it. */
        const unsigned char *got = (const unsigned char *)&rec->canary;
        const unsigned char *exp = (const unsigned char *)&want;
        const unsigned char *where = got - 1; /* the size word's top byte */
        for (size_t i = sizeof want; i-- > 0;) {
            if (got[i] != exp[i]) {
                where = got + i;
                break;
            }
        }
        heap_report(h, V_HEAP_FAULT_UNDERRUN, op, ptr, given, user,
                    size_ok ? rec->requested : 0, where,
                    "the guard just before the block was overwritten");
        return false;
    }
    const unsigned char *g = user + rec->requested;
    const unsigned char *end = (const unsigned char *)b + bsz;
    for (; g < end; g++) {
        if (*g != HEAP_GUARD_BYTE) {
            heap_report(h, V_HEAP_FAULT_OVERRUN, op, ptr, given, user,
                        rec->requested, g,
                        "the guard after the block was overwritten");
            return false;
        }
    }
    return true;
}

hblock *heap_debug_validate(v_heap *h, const char *op, void *ptr,
                            size_t size, size_t align)
{
    const struct v_heap_region *r = heap_region_of(h, ptr);
    if (r == NULL) {
        heap_report(h, V_HEAP_FAULT_INVALID_FREE, op, ptr, size, NULL, 0,
                    NULL, "the pointer is not in any region of this heap");
        return NULL;
    }
    hblock *b = r->first;
    for (;;) {
        if (!heap_header_ok(r, b) || b == r->sentinel) {
            heap_report(h, V_HEAP_FAULT_CORRUPT, op, ptr, size, NULL, 0,
                        (unsigned char *)b + sizeof(size_t),
                        "a block header is damaged (an overrun of the block "
                        "before it?)");
            return NULL;
        }
        if ((uintptr_t)ptr < (uintptr_t)hb_next(b))
            break;
        b = hb_next(b);
    }
    unsigned char *user = (unsigned char *)b + HEAP_DBG_USER_OFF;
    /* A stale record of a freed block, left where this pointer's block
     * began, says the pointer was returned once and freed since (the block
     * may have merged with a neighbour or been reused). */
    hblock *was = (hblock *)(void *)((unsigned char *)ptr - HEAP_DBG_USER_OFF);
    bool freed_before =
        (uintptr_t)was >= (uintptr_t)b && (uintptr_t)ptr % HEAP_GRAN == 0 &&
        hb_rec(was)->canary == canary_for(was, HEAP_MAGIC_FREED);
    if (freed_before && (hb_is_free(b) || (unsigned char *)ptr != user)) {
        heap_report(h, V_HEAP_FAULT_DOUBLE_FREE, op, ptr, size, ptr,
                    hb_rec(was)->requested, NULL,
                    "the block was already freed");
        return NULL;
    }
    if (hb_is_free(b)) {
        heap_report(h, V_HEAP_FAULT_INVALID_FREE, op, ptr, size, NULL, 0,
                    NULL, "the pointer is inside free memory, not a block "
                          "this heap returned");
        return NULL;
    }
    if ((unsigned char *)ptr != user) {
        heap_report(h, V_HEAP_FAULT_INVALID_FREE, op, ptr, size, user,
                    hb_rec(b)->requested, NULL,
                    (unsigned char *)ptr > user
                        ? "the pointer is inside a block, not its start"
                        : "the pointer is in a block's header, not its start");
        return NULL;
    }
    if (!heap_debug_check_block(h, op, ptr, size, b))
        return NULL;
    hblock *n = hb_next(b);
    if (!heap_header_ok(r, n)) {
        heap_report(h, V_HEAP_FAULT_OVERRUN, op, ptr, size, user,
                    hb_rec(b)->requested, (unsigned char *)n,
                    "the header after the block was overwritten");
        return NULL;
    }
    if (hb_rec(b)->requested != size) {
        heap_report(h, V_HEAP_FAULT_SIZE_MISMATCH, op, ptr, size, user,
                    hb_rec(b)->requested, NULL,
                    "the size passed is not the size allocated");
        return NULL;
    }
    if ((uintptr_t)ptr % align != 0) {
        heap_report(h, V_HEAP_FAULT_ALIGN_MISMATCH, op, ptr, size, user,
                    hb_rec(b)->requested, NULL,
                    "the pointer is not aligned as the call says");
        return NULL;
    }
    return b;
}
