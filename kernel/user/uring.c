/* utest's Ring checks (docs/substrate.md §6): in one Task, and across
 * Tasks with a child echoing messages back. Each check's number is the
 * exit code if it fails. */
#include "usys.h"
#include "utest.h"

#include <stdbool.h>
#include <vx/vx.h>

int urings(void);
int uecho(void);
int uecho_call(void);
int uring_bench(bool call);

static bool same(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

static bool cond(vx_handle h, vx_conditions c)
{
    vx_handle_info in;
    return vx_handle_info_get(h, &in) == VX_OK && in.conditions == c;
}

static int local(void)
{
    vx_ring_params p = {64, 4, 0x1234};
    vx_ring_tx tx, big_tx[3];
    vx_ring_rx rx, big_rx[3];
    if (vx_ring_create(&p, &tx, 0) != VX_ERR_INVALID_ARGS)
        return 1;
    p.slot_count = 3;
    if (vx_ring_create(&p, &tx, &rx) != VX_ERR_INVALID_ARGS)
        return 2;
    p.slot_count = 8192;
    if (vx_ring_create(&p, &tx, &rx) != VX_ERR_INVALID_ARGS)
        return 3;
    p.slot_count = 4;
    p.slot_size = 0;
    if (vx_ring_create(&p, &tx, &rx) != VX_ERR_INVALID_ARGS)
        return 4;
    p.slot_size = 4096;
    p.slot_count = 4096;
    /* 16 MiB of slots each, of a 64 MiB quota that already pays for the
     * image and mode Regions: three fit, a fourth does not. */
    for (int i = 0; i < 3; i++)
        if (vx_ring_create(&p, &big_tx[i], &big_rx[i]) != VX_OK)
            return 5;
    if (vx_ring_create(&p, &tx, &rx) != VX_ERR_LIMIT)
        return 6;
    for (int i = 0; i < 3; i++)
        if (vx_handle_close(big_tx[i].h) != VX_OK ||
            vx_handle_close(big_rx[i].h) != VX_OK)
            return 7;
    return 0;
}

static int queue(void)
{
    vx_ring_params p = {64, 4, 0x1234}, q;
    vx_ring_tx tx, minted;
    vx_ring_rx rx;
    if (vx_ring_create(&p, &tx, &rx) != VX_OK)
        return 10;
    if (vx_ring_params_get(rx.h, &q) != VX_OK || q.slot_size != 64 ||
        q.slot_count != 4 || q.schema_id != 0x1234 ||
        vx_ring_params_get(tx.h, 0) != VX_ERR_INVALID_ARGS)
        return 11;
    if (!cond(tx.h, VX_COND_WRITABLE) || !cond(rx.h, 0))
        return 12;
    char buf[64];
    vx_msg_in in = {buf, sizeof buf, 0, 0, 0, 0, {{0}}};
    if (vx_ring_recv(rx, &in) != VX_ERR_SHOULD_WAIT)
        return 13;
    vx_msg_out m = {"hello", 5, 0, {{0}}};
    for (int i = 0; i < 4; i++)
        if (vx_ring_send(tx, &m) != VX_OK)
            return 14;
    if (vx_ring_send(tx, &m) != VX_ERR_SHOULD_WAIT || !cond(tx.h, 0) ||
        !cond(rx.h, VX_COND_READABLE))
        return 15; /* full */
    in.cap = 2;
    if (vx_ring_recv(rx, &in) != VX_ERR_OUT_OF_RANGE || in.len != 5)
        return 16; /* too long: stays queued */
    in.cap = sizeof buf;
    if (vx_ring_recv(rx, &in) != VX_OK || in.len != 5 || !same(buf, "hello", 5) ||
        in.badge != 0 || in.handle_count != 0)
        return 17;
    /* Badges: stamped by the kernel, from the TX used. */
    if (vx_ring_tx_mint(tx, 0, VX_RIGHT_SEND, &minted) != VX_ERR_INVALID_ARGS ||
        vx_ring_tx_mint(tx, 77, VX_RIGHT_SEND | VX_RIGHT_DUPLICATE | VX_RIGHT_WAIT,
                        &minted) != VX_OK ||
        vx_ring_tx_mint(minted, 78, VX_RIGHT_SEND, &minted) != VX_ERR_ACCESS_DENIED)
        return 18;
    vx_handle_info hi;
    if (vx_handle_info_get(minted.h, &hi) != VX_OK || hi.badge != 77 ||
        hi.type != VX_OBJ_RING_TX)
        return 19;
    size_t done = 0;
    if (vx_ring_recv_batch(rx, &in, 1, &done) != VX_OK || done != 1)
        return 20;
    if (vx_ring_send(minted, &m) != VX_OK)
        return 21;
    vx_msg_in ins[4];
    for (int i = 0; i < 4; i++)
        ins[i] = (vx_msg_in){buf, sizeof buf, 0, 0, 0, 0, {{0}}};
    if (vx_ring_recv_batch(rx, ins, 4, &done) != VX_OK || done != 3 ||
        ins[2].badge != 77 || ins[0].badge != 0)
        return 22;
    /* A handle moves with a message. */
    vx_timer t;
    if (vx_timer_create(&t) != VX_OK || vx_timer_set(t, 0, 0) != VX_OK)
        return 23;
    vx_msg_out mh = {"t", 1, 1, {t.h}};
    if (vx_ring_send(tx, &mh) != VX_OK || vx_handle_info_get(t.h, &hi) != VX_ERR_BAD_HANDLE)
        return 24;
    in.cap = sizeof buf;
    if (vx_ring_recv(rx, &in) != VX_OK || in.handle_count != 1 ||
        vx_handle_info_get(in.handles[0], &hi) != VX_OK || hi.type != VX_OBJ_TIMER ||
        hi.conditions != VX_COND_TIMER_FIRED || vx_handle_close(in.handles[0]) != VX_OK)
        return 25;
    /* Send refusals. */
    vx_msg_out bad = {"x", 1, 1, {tx.h}};
    if (vx_ring_send(tx, &bad) != VX_ERR_INVALID_ARGS)
        return 26; /* itself */
    bad.handles[0] = rx.h;
    if (vx_ring_send(tx, &bad) != VX_ERR_INVALID_ARGS)
        return 27; /* its own RX */
    bad.handle_count = 5;
    bad.handles[0].value = 0x7fff0001u;
    if (vx_ring_send(tx, &bad) != VX_ERR_INVALID_ARGS)
        return 28; /* too many: not looked at */
    bad.handle_count = 1;
    if (vx_ring_send(tx, &bad) != VX_ERR_BAD_HANDLE)
        return 29;
    bad.handle_count = 0;
    bad.len = 65;
    if (vx_ring_send(tx, &bad) != VX_ERR_INVALID_ARGS || vx_ring_send(tx, 0) != VX_ERR_INVALID_ARGS)
        return 30;
    bad.len = 4;
    bad.data = 0;
    if (vx_ring_send(tx, &bad) != VX_ERR_INVALID_ARGS)
        return 31;
    bad.data = (const void *)0x20000000;
    if (vx_ring_send(tx, &bad) != VX_ERR_INVALID_ARGS)
        return 32; /* unreadable data */
    vx_ring_tx weak;
    if (vx_handle_dup(tx.h, VX_RIGHT_WAIT, &weak.h) != VX_OK ||
        vx_ring_send(weak, &m) != VX_ERR_ACCESS_DENIED ||
        vx_ring_recv((vx_ring_rx){tx.h}, &in) != VX_ERR_BAD_HANDLE)
        return 33;
    /* Batch: one bad message fails the whole batch, nothing sent. */
    vx_msg_out two[2] = {{"a", 1, 0, {{0}}}, {"b", 100, 0, {{0}}}};
    if (vx_ring_send_batch(tx, two, 2, &done) != VX_ERR_INVALID_ARGS ||
        vx_ring_recv(rx, &in) != VX_ERR_SHOULD_WAIT)
        return 34;
    two[1].len = 1;
    if (vx_ring_send_batch(tx, two, 2, &done) != VX_OK || done != 2 ||
        vx_ring_send_batch(tx, two, 0, &done) != VX_ERR_INVALID_ARGS)
        return 35;
    /* PEER_CLOSED: queued messages first, then the close. */
    if (vx_handle_close(tx.h) != VX_OK || vx_handle_close(weak.h) != VX_OK ||
        vx_handle_close(minted.h) != VX_OK)
        return 36;
    if (vx_ring_recv(rx, &in) != VX_OK || vx_ring_recv(rx, &in) != VX_OK ||
        vx_ring_recv(rx, &in) != VX_ERR_PEER_CLOSED || !cond(rx.h, VX_COND_PEER_CLOSED))
        return 37;
    if (vx_handle_close(rx.h) != VX_OK)
        return 38;
    /* The other way: the RX gone, senders see PEER_CLOSED. */
    if (vx_ring_create(&p, &tx, &rx) != VX_OK || vx_handle_close(rx.h) != VX_OK ||
        vx_ring_send(tx, &m) != VX_ERR_PEER_CLOSED || !cond(tx.h, VX_COND_PEER_CLOSED) ||
        vx_handle_close(tx.h) != VX_OK)
        return 39;
    return 0;
}

static vx_status child_mode(vx_region image, vx_handle in, vx_handle out,
                            uint64_t mode, vx_task *t)
{
    vx_region m;
    if (vx_region_create(4096, &m) != VX_OK ||
        vx_region_write(m, 0, &mode, sizeof mode) != VX_OK)
        return -100;
    vx_named_handle nh[3] = {{"mode", m.h}, {"in", in}, {"out", out}};
    vx_spawn_args a = {image, "echo", 1u << 20, 16, 3, nh};
    return vx_task_spawn(&a, t);
}

static vx_status child(vx_region image, vx_handle in, vx_handle out, vx_task *t)
{
    return child_mode(image, in, out, UTEST_ECHO, t);
}

static int across(void)
{
    vx_handle ih;
    vx_ring_params p = {64, 8, 1};
    vx_ring_tx to, back_tx;
    vx_ring_rx to_rx, back;
    vx_task c;
    if (vx_task_initial_handle("image", VX_OBJ_REGION, &ih) != VX_OK ||
        vx_ring_create(&p, &to, &to_rx) != VX_OK ||
        vx_ring_create(&p, &back_tx, &back) != VX_OK ||
        child((vx_region){ih}, to_rx.h, back_tx.h, &c) != VX_OK)
        return 50;
    if (vx_signal_bind(back.h, VX_COND_READABLE | VX_COND_PEER_CLOSED, 1) != VX_OK)
        return 51;
    uint8_t req[64], rep[64];
    for (int i = 0; i < 200; i++) {
        for (int j = 0; j < 64; j++)
            req[j] = (uint8_t)(i + j);
        vx_msg_out m = {req, 64, 0, {{0}}};
        if (vx_ring_send(to, &m) != VX_OK)
            return 52;
        vx_msg_in in = {rep, sizeof rep, 0, 0, 0, 0, {{0}}};
        vx_status st;
        uint64_t pend;
        while ((st = vx_ring_recv(back, &in)) == VX_ERR_SHOULD_WAIT)
            if (vx_wait(1u << 1, VX_TIME_INFINITE, &pend) != VX_OK)
                return 53;
        if (st != VX_OK || in.len != 64 || !same(req, rep, 64))
            return 54;
    }
    /* Closing our TX ends the child's loop (PEER_CLOSED), and its end
     * closes its TX to us. */
    vx_task_status st;
    uint64_t pend;
    if (vx_handle_close(to.h) != VX_OK ||
        vx_signal_bind(c.h, VX_COND_TASK_EXITED, 2) != VX_OK ||
        vx_wait(1u << 2, VX_TIME_INFINITE, &pend) != VX_OK ||
        vx_task_status_get(c, &st) != VX_OK || st.state != VX_TASK_EXITED ||
        st.exit_code != 0)
        return 55;
    vx_msg_in in = {rep, sizeof rep, 0, 0, 0, 0, {{0}}};
    if (vx_ring_recv(back, &in) != VX_ERR_PEER_CLOSED)
        return 56;
    return 0;
}

/* Under -icount shift=0: instructions per 64-byte request and reply
 * through two Rings to the echo child (both Tasks on one CPU). */
/* The native round-trip benchmark (kernel/bench/kbench.c): 64 bytes to
 * an echoing child and back. call: one vx_ring_send_recv a round trip on
 * each side (the child's first receive is plain), so 2 system calls;
 * otherwise send, wait and receive apart on each side, 6. */
int uring_bench(bool call)
{
    vx_handle ih;
    vx_ring_params p = {64, 8, 1};
    vx_ring_tx to, back_tx;
    vx_ring_rx to_rx, back;
    vx_task c;
    uint64_t pend;
    if (vx_task_initial_handle("image", VX_OBJ_REGION, &ih) != VX_OK ||
        vx_ring_create(&p, &to, &to_rx) != VX_OK ||
        vx_ring_create(&p, &back_tx, &back) != VX_OK ||
        child_mode((vx_region){ih}, to_rx.h, back_tx.h,
                   call ? UTEST_ECHO_CALL : UTEST_ECHO, &c) != VX_OK ||
        vx_signal_bind(back.h, VX_COND_READABLE | VX_COND_PEER_CLOSED, 1) != VX_OK)
        return -1;
    uint8_t req[64] = {1}, rep[64];
    uint64_t t0 = 0;
    for (int i = 0; i < 1100; i++) {
        if (i == 100)
            t0 = vx_clock_monotonic(); /* after a warm-up */
        vx_msg_out m = {req, 64, 0, {{0}}};
        vx_msg_in in = {rep, sizeof rep, 0, 0, 0, 0, {{0}}};
        vx_status st;
        if (call) {
            if (vx_ring_send_recv(to, &m, back, &in, VX_TIME_INFINITE) !=
                    VX_OK ||
                in.len != 64)
                return -6;
            continue;
        }
        if (vx_ring_send(to, &m) != VX_OK)
            return -2;
        while ((st = vx_ring_recv(back, &in)) == VX_ERR_SHOULD_WAIT)
            if (vx_wait(1u << 1, VX_TIME_INFINITE, &pend) != VX_OK)
                return -3;
        if (st != VX_OK)
            return -4;
    }
    int per = (int)((vx_clock_monotonic() - t0) / 1000);
    if (vx_handle_close(to.h) != VX_OK)
        return -5;
    return per;
}

int urings(void)
{
    int r = local();
    if (!r)
        r = queue();
    if (!r)
        r = across();
    return r;
}

int uecho(void)
{
    vx_handle in, out;
    if (vx_task_initial_handle("in", VX_OBJ_RING_RX, &in) != VX_OK ||
        vx_task_initial_handle("out", VX_OBJ_RING_TX, &out) != VX_OK ||
        vx_signal_bind(in, VX_COND_READABLE | VX_COND_PEER_CLOSED, 0) != VX_OK)
        return 1;
    uint8_t buf[64];
    for (;;) {
        vx_msg_in m = {buf, sizeof buf, 0, 0, 0, 0, {{0}}};
        vx_status st = vx_ring_recv((vx_ring_rx){in}, &m);
        uint64_t pend;
        if (st == VX_ERR_SHOULD_WAIT) {
            if (vx_wait(1, VX_TIME_INFINITE, &pend) != VX_OK)
                return 2;
            continue;
        }
        if (st == VX_ERR_PEER_CLOSED)
            return 0;
        if (st != VX_OK)
            return 3;
        vx_msg_out o = {buf, m.len, 0, {{0}}};
        if (vx_ring_send((vx_ring_tx){out}, &o) != VX_OK)
            return 4;
    }
}

/* uecho as a server of the call: the first request comes by a plain
 * receive (with a wait), then each vx_ring_send_recv replies to one
 * request and waits for the next, until the client closes its TX. */
int uecho_call(void)
{
    vx_handle in, out;
    if (vx_task_initial_handle("in", VX_OBJ_RING_RX, &in) != VX_OK ||
        vx_task_initial_handle("out", VX_OBJ_RING_TX, &out) != VX_OK ||
        vx_signal_bind(in, VX_COND_READABLE | VX_COND_PEER_CLOSED, 0) != VX_OK)
        return 1;
    uint8_t buf[64];
    vx_msg_in m = {buf, sizeof buf, 0, 0, 0, 0, {{0}}};
    vx_status st;
    uint64_t pend;
    while ((st = vx_ring_recv((vx_ring_rx){in}, &m)) == VX_ERR_SHOULD_WAIT)
        if (vx_wait(1, VX_TIME_INFINITE, &pend) != VX_OK)
            return 2;
    while (st == VX_OK) {
        vx_msg_out o = {buf, m.len, 0, {{0}}};
        st = vx_ring_send_recv((vx_ring_tx){out}, &o, (vx_ring_rx){in}, &m,
                               VX_TIME_INFINITE);
    }
    return st == VX_ERR_PEER_CLOSED && m.flags == VX_MSG_IN_SENT ? 0 : 3;
}
