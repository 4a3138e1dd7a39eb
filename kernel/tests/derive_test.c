/* The derivation tree directly (k/handle.h): dup children, closing a
 * middle node hands its children up, revoke reaches descendants in other
 * tables and in flight (emptying those, which stay in their message),
 * spares the revoker, its ancestors and siblings, and every object goes
 * exactly when its last handle does; the same from every CPU at once. */
#include <k/handle.h>
#include <k/sched.h>
#include <k/smp.h>
#include <v/test.h>

#include "probe_object.h"

static bool live(htable *t, uint32_t v)
{
    kobject *o;
    vx_rights r;
    if (htable_get(t, v, VX_OBJ_NONE, &o, &r) != V_OK)
        return false;
    kobject_unref(o);
    return true;
}

/* A new handle derived from parent (to the same object). */
static uint32_t dup(v_test_ctx *v_t, htable *t, uint32_t parent)
{
    kobject *o;
    vx_rights r;
    uint32_t v = 0;
    V_EXPECT_OK(htable_get(t, parent, VX_OBJ_NONE, &o, &r));
    V_EXPECT_OK(htable_derive(t, parent, o, r, &v));
    return v;
}

V_TEST(kernel, derive_close_reparents_and_revoke_reaches)
{
    int gone = 0;
    htable t;
    htable_init(&t, 64);
    uint32_t root, a, b, c, s;
    V_ASSERT_OK(htable_add(&t, probe_object_new(&gone), VX_RIGHT_READ, &root));
    a = dup(v_t, &t, root);
    b = dup(v_t, &t, a);   /* root -> a -> b -> c, and a -> s */
    c = dup(v_t, &t, b);
    s = dup(v_t, &t, a);
    V_EXPECT_OK(htable_close(&t, b)); /* c now hangs from a */
    V_EXPECT_OK(htable_revoke(&t, a));
    V_EXPECT(live(&t, root) && live(&t, a));
    V_EXPECT(!live(&t, c) && !live(&t, s));
    V_EXPECT_EQ(htable_live(&t), 2u);
    V_EXPECT_OK(htable_revoke(&t, a)); /* nothing left below: fine */
    V_EXPECT_STATUS(htable_revoke(&t, c), V_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(htable_derive(&t, c, probe_object_new(&gone), 0, &s),
                    V_ERR_BAD_HANDLE);
    V_EXPECT_EQ(gone, 1); /* only the probe derive refused */
    /* Revoking a child spares its parent and siblings. */
    uint32_t x = dup(v_t, &t, a), y = dup(v_t, &t, a), z = dup(v_t, &t, x);
    V_EXPECT_OK(htable_revoke(&t, x));
    V_EXPECT(live(&t, x) && live(&t, y) && live(&t, a) && !live(&t, z));
    htable_fini(&t);
    V_EXPECT_EQ(gone, 2);
}

V_TEST(kernel, derive_revoke_across_tables_and_in_flight)
{
    int gone = 0;
    htable t1, t2;
    htable_init(&t1, 64);
    htable_init(&t2, 64);
    uint32_t root, a, b, moved;
    V_ASSERT_OK(htable_add(&t1, probe_object_new(&gone), VX_RIGHT_READ, &root));
    a = dup(v_t, &t1, root);
    b = dup(v_t, &t1, a);
    uint32_t grandchild = dup(v_t, &t1, b);
    /* a moves to t2 (keeping its place), b goes in flight. */
    handle_tree_lock();
    hnode *na = htable_detach_locked(&t1, a);
    V_EXPECT_OK(htable_attach_locked(&t2, na, &moved));
    hnode *nb = htable_detach_locked(&t1, b);
    handle_tree_unlock();
    V_EXPECT(!live(&t1, a) && !live(&t1, b) && live(&t2, moved));
    V_EXPECT_OK(htable_revoke(&t1, root));
    V_EXPECT(!live(&t2, moved) && !live(&t1, grandchild) && live(&t1, root));
    V_EXPECT(nb->obj == 0); /* emptied, still the message's */
    V_EXPECT_EQ(gone, 0);
    hnodes_release(&nb, 1);
    htable_fini(&t2);
    htable_fini(&t1);
    V_EXPECT_EQ(gone, 1);
}

V_TEST(kernel, derive_in_flight_node_keeps_its_children)
{
    int gone = 0;
    htable t;
    htable_init(&t, 64);
    uint32_t root, a, b, back;
    V_ASSERT_OK(htable_add(&t, probe_object_new(&gone), VX_RIGHT_READ, &root));
    a = dup(v_t, &t, root);
    b = dup(v_t, &t, a);
    handle_tree_lock();
    hnode *na = htable_detach_locked(&t, a);
    handle_tree_unlock();
    /* Dropped in flight (its Ring went away): like a close, so b now
     * hangs from root and a revoke of root still reaches it. */
    hnodes_release(&na, 1);
    V_EXPECT(live(&t, b));
    V_EXPECT_OK(htable_revoke(&t, root));
    V_EXPECT(!live(&t, b));
    /* A node in flight arrives in a table again with its subtree. */
    a = dup(v_t, &t, root);
    b = dup(v_t, &t, a);
    handle_tree_lock();
    na = htable_detach_locked(&t, a);
    V_EXPECT_OK(htable_attach_locked(&t, na, &back));
    handle_tree_unlock();
    V_EXPECT(!live(&t, a) && live(&t, back));
    V_EXPECT_OK(htable_revoke(&t, back));
    V_EXPECT(!live(&t, b) && live(&t, back));
    htable_fini(&t);
    V_EXPECT_EQ(gone, 1);
}

V_TEST(kernel, derive_random_against_a_model)
{
    /* Random dup, close and revoke on one table, checked against a
     * parent array after every step. */
    enum { N = 96, STEPS = 3000 };
    int gone = 0;
    htable t;
    htable_init(&t, N + 1);
    static uint32_t val[N];
    static int parent[N];
    static bool alive[N];
    int used = 1;
    V_ASSERT_OK(htable_add(&t, probe_object_new(&gone), 0, &val[0]));
    parent[0] = -1;
    alive[0] = true;
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    int bad = 0;
    for (int step = 0; step < STEPS; step++) {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        int i = (int)((rng >> 8) % (uint64_t)used);
        unsigned op = (unsigned)(rng >> 40) % 4;
        if (!alive[i])
            continue;
        if (op <= 1 && used < N) {
            val[used] = dup(v_t, &t, val[i]);
            parent[used] = i;
            alive[used++] = true;
        } else if (op == 2 && i != 0) {
            V_EXPECT_OK(htable_close(&t, val[i]));
            alive[i] = false;
            for (int j = 0; j < used; j++)
                if (parent[j] == i)
                    parent[j] = parent[i];
        } else if (op == 3) {
            V_EXPECT_OK(htable_revoke(&t, val[i]));
            for (int j = 0; j < used; j++) {
                bool below = false;
                for (int p = parent[j]; p >= 0 && !below; p = parent[p])
                    below = p == i;
                if (below && alive[j])
                    alive[j] = false;
            }
        }
        for (int j = 0; j < used; j++)
            bad += live(&t, val[j]) != alive[j];
    }
    V_EXPECT_EQ(bad, 0);
    htable_fini(&t);
    V_EXPECT_EQ(gone, 1);
}

/* ---- concurrency: dup, close, revoke and moves from every CPU at once
 * on two shared tables; nothing may crash, deadlock or leak. ---- */

typedef struct stress {
    htable t[2];
    uint32_t root[2];
    uint64_t seed;
} stress;

typedef struct worker {
    stress *s;
    uint64_t rng;
    uint32_t mine[16];  /* values this worker made (may go stale) */
    uint8_t where[16];  /* which table */
    hnode *flying[4];   /* nodes it holds in flight */
} worker;

static uint32_t wnext(worker *w)
{
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 7;
    w->rng ^= w->rng << 17;
    return (uint32_t)(w->rng >> 16);
}

static void stress_worker(void *arg)
{
    worker *w = arg;
    stress *s = w->s;
    for (int step = 0; step < 1500; step++) {
        uint32_t r = wnext(w), i = r % 16, f = (r >> 8) % 4;
        htable *t = &s->t[w->where[i]];
        switch ((r >> 12) % 6) {
        case 0:
        case 1: { /* dup from the root or from one of ours */
            uint32_t from = w->mine[i] ? w->mine[i] : s->root[w->where[i]];
            kobject *o;
            vx_rights rt;
            uint32_t v;
            if (htable_get(t, from, VX_OBJ_NONE, &o, &rt) == V_OK &&
                htable_derive(t, from, o, rt, &v) == V_OK)
                w->mine[(i + 1) % 16] = v, w->where[(i + 1) % 16] = w->where[i];
            break;
        }
        case 2:
            (void)htable_close(t, w->mine[i]);
            break;
        case 3:
            (void)htable_revoke(t, w->mine[i]);
            break;
        case 4: /* into flight, or back into the other table */
            handle_tree_lock();
            if (!w->flying[f]) {
                if (htable_node_locked(t, w->mine[i]))
                    w->flying[f] = htable_detach_locked(t, w->mine[i]);
            } else if (w->flying[f]->obj) { /* not revoked in flight */
                uint32_t v;
                uint8_t to = (uint8_t)!w->where[i];
                if (htable_attach_locked(&s->t[to], w->flying[f], &v) ==
                    V_OK) {
                    w->flying[f] = 0;
                    w->mine[i] = v;
                    w->where[i] = to;
                }
            }
            handle_tree_unlock();
            break;
        default: /* a message dropped with its handles */
            if (w->flying[f]) {
                hnodes_release(&w->flying[f], 1);
                w->flying[f] = 0;
            }
            break;
        }
    }
    for (int f = 0; f < 4; f++)
        if (w->flying[f])
            hnodes_release(&w->flying[f], 1);
}

V_TEST(kernel, derive_concurrent_from_every_cpu)
{
    enum { W = 4 };
    static stress s;
    static worker w[W];
    int gone = 0;
    for (int k = 0; k < 2; k++) {
        htable_init(&s.t[k], 4096);
        V_ASSERT_OK(htable_add(&s.t[k], probe_object_new(&gone), VX_RIGHT_READ,
                               &s.root[k]));
    }
    thread *th[W];
    for (int i = 0; i < W; i++) {
        w[i] = (worker){.s = &s, .rng = 0x1234567u * (uint64_t)(i + 1)};
        th[i] = thread_create_on("derive", stress_worker, &w[i],
                                 SCHED_PRIO_DEFAULT, (unsigned)i % smp_cpu_count());
        V_ASSERT(th[i]);
    }
    for (int i = 0; i < W; i++)
        thread_join(th[i]);
    V_EXPECT_EQ(gone, 0); /* the roots still hold both probes */
    htable_fini(&s.t[0]);
    htable_fini(&s.t[1]);
    V_EXPECT_EQ(gone, 2);
}
