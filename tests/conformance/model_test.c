/* Handles against a model: thousands of random dup, close, revoke and
 * move operations on Region handles, checked against a small reference
 * model of the derivation tree (docs/substrate.md §2, §4). Deterministic:
 * a fixed seed, so a failure reproduces. */
#include "conf.h"

enum { SLOTS = 160, OPS = 3000, CHECK_EVERY = 100 };

typedef struct model {
    vx_handle value[SLOTS];
    int parent[SLOTS]; /* -1: a root */
    bool alive[SLOTS];
    int used;
    uint64_t rng;
} model;

static uint32_t next(model *m)
{
    /* xorshift64: enough to shuffle operations, no libc. */
    m->rng ^= m->rng << 13;
    m->rng ^= m->rng >> 7;
    m->rng ^= m->rng << 17;
    return (uint32_t)(m->rng >> 16);
}

static bool descends(const model *m, int j, int i)
{
    for (int p = m->parent[j]; p >= 0; p = m->parent[p])
        if (p == i)
            return true;
    return false;
}

/* A random live slot, or -1. */
static int pick(model *m)
{
    if (m->used == 0)
        return -1;
    for (int tries = 0; tries < 8; tries++) {
        int i = (int)(next(m) % (uint32_t)m->used);
        if (m->alive[i])
            return i;
    }
    for (int i = 0; i < m->used; i++)
        if (m->alive[i])
            return i;
    return -1;
}

static void check(v_test_ctx *v_t, const model *m, int *mismatches)
{
    for (int i = 0; i < m->used; i++) {
        vx_handle_info info;
        bool live = vx_handle_info_get(m->value[i], &info) == VX_OK;
        *mismatches += live != m->alive[i];
    }
    V_EXPECT_EQ(*mismatches, 0);
}

V_TEST(conf_model, random_dup_close_revoke_move)
{
    CONF_BEGIN();
    static model m;
    m = (model){.rng = 0x9e3779b97f4a7c15u};
    vx_ring_tx tx;
    vx_ring_rx rx;
    V_ASSERT(conf_ring(v_t, 8, 4, &tx, &rx));
    int mismatches = 0;
    const vx_rights all = VX_RIGHT_READ | VX_RIGHT_WRITE | VX_RIGHT_MAP |
                          VX_RIGHT_EXEC | VX_RIGHT_DUPLICATE |
                          VX_RIGHT_TRANSFER;
    for (int op = 0; op < OPS && mismatches == 0; op++) {
        uint32_t what = next(&m) % 100;
        int i = pick(&m);
        if ((i < 0 || what < 5) && m.used < SLOTS) {
            vx_region r;
            V_ASSERT_OK(vx_region_create(VX_PAGE_SIZE, &r));
            m.value[m.used] = r.h;
            m.parent[m.used] = -1;
            m.alive[m.used++] = true;
        } else if (i < 0) {
            break;
        } else if (what < 45 && m.used < SLOTS) {
            vx_handle d;
            V_ASSERT_OK(vx_handle_dup(m.value[i], all, &d));
            m.value[m.used] = d;
            m.parent[m.used] = i;
            m.alive[m.used++] = true;
        } else if (what < 70) {
            V_ASSERT_OK(vx_handle_close(m.value[i]));
            m.alive[i] = false;
            for (int j = 0; j < m.used; j++)
                if (m.parent[j] == i)
                    m.parent[j] = m.parent[i];
        } else if (what < 80) {
            V_ASSERT_OK(vx_handle_revoke(m.value[i]));
            for (int j = 0; j < m.used; j++) {
                if (m.alive[j] && descends(&m, j, i)) {
                    m.alive[j] = false;
                }
            }
            /* The dead keep their parent links, but no live node points
             * at a dead one: each dead node's live descendants died too. */
        } else {
            /* Move it through a Ring and back: a new value, the same
             * place in the tree. */
            vx_msg_out out = {NULL, 0, 1, {m.value[i]}};
            V_ASSERT_OK(vx_ring_send(tx, &out));
            vx_msg_in in = {0};
            V_ASSERT_OK(vx_ring_recv(rx, &in));
            V_ASSERT_EQ(in.handle_count, 1u);
            vx_handle_info info;
            mismatches += vx_handle_info_get(m.value[i], &info) == VX_OK;
            m.value[i] = in.handles[0];
        }
        if (op % CHECK_EVERY == 0)
            check(v_t, &m, &mismatches);
    }
    check(v_t, &m, &mismatches);
    /* Every live handle still reaches its Region. */
    for (int i = 0; i < m.used; i++) {
        if (!m.alive[i])
            continue;
        uint64_t size = 0;
        V_EXPECT_OK(vx_region_size((vx_region){m.value[i]}, &size));
        V_EXPECT_OK(vx_handle_close(m.value[i]));
    }
    conf_close(v_t, tx.h);
    conf_close(v_t, rx.h);
    CONF_END(); /* and every Region is gone with its last handle */
}
