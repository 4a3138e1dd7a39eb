/* hosted/node.c — handle nodes and the derivation tree.
 *
 * Every handle is a node; dup and mint make the new node a child of its
 * source. Closing a node hands its children to its own parent, so revoking
 * an ancestor still reaches them. Revoke destroys descendants only: they
 * all name the revoker's object on the revoker's side, which the revoker
 * itself keeps alive, so no object is torn down in the middle of the walk. */
#include "kern.h"

#include <stdlib.h>

static void link_child(k_node *parent, k_node *c)
{
    c->parent = parent;
    c->prev_sibling = NULL;
    c->next_sibling = NULL;
    if (parent == NULL)
        return;
    c->next_sibling = parent->first_child;
    if (parent->first_child != NULL)
        parent->first_child->prev_sibling = c;
    parent->first_child = c;
}

static void unlink_child(k_node *c)
{
    if (c->parent == NULL)
        return;
    if (c->prev_sibling != NULL)
        c->prev_sibling->next_sibling = c->next_sibling;
    else
        c->parent->first_child = c->next_sibling;
    if (c->next_sibling != NULL)
        c->next_sibling->prev_sibling = c->prev_sibling;
    c->parent = NULL;
    c->prev_sibling = NULL;
    c->next_sibling = NULL;
}

k_node *k_node_new(k_object *obj, vx_obj_type type, vx_rights rights,
                   k_node *parent)
{
    k_node *n = calloc(1, sizeof *n);
    if (n == NULL)
        return NULL;
    n->obj = obj;
    n->type = type;
    n->rights = rights;
    obj->refs++;
    k_ring_touch(obj); /* a second handle ends a lane */
    if (type == VX_OBJ_RING_TX) {
        obj->u.ring.tx_count++;
        obj->u.ring.a_tx = n;
        n->ring_next = obj->u.ring.tx_nodes;
        if (n->ring_next != NULL)
            n->ring_next->ring_prev = n;
        obj->u.ring.tx_nodes = n;
    } else if (type == VX_OBJ_RING_RX) {
        obj->u.ring.rx_count++;
        obj->u.ring.a_rx = n;
    }
    link_child(parent, n);
    return n;
}

/* Keeps k_object.u.ring.a_tx/a_rx naming a live node when n goes: its
 * parent or a child of the same side, if any (dup and mint derive nodes of
 * the same side of the same Ring). */
static void forget_ring_node(k_node *n)
{
    k_object *o = n->obj;
    k_node **a = n->type == VX_OBJ_RING_TX ? &o->u.ring.a_tx
                                           : &o->u.ring.a_rx;
    if (*a != n)
        return;
    *a = NULL;
    if (n->parent != NULL && n->parent->obj == o && n->parent->type == n->type)
        *a = n->parent;
    else if (n->first_child != NULL)
        *a = n->first_child;
}

void k_node_destroy(k_node *n)
{
    k_ring_touch(n->obj);
    if (n->type == VX_OBJ_RING_TX || n->type == VX_OBJ_RING_RX)
        forget_ring_node(n);
    if (n->type == VX_OBJ_RING_TX) {
        if (n->ring_prev != NULL)
            n->ring_prev->ring_next = n->ring_next;
        else
            n->obj->u.ring.tx_nodes = n->ring_next;
        if (n->ring_next != NULL)
            n->ring_next->ring_prev = n->ring_prev;
    }
    if (n->owner != NULL)
        k_uninstall(n);
    if (n->flight_slot != NULL)
        *n->flight_slot = NULL; /* the message now carries an empty slot */
    while (n->first_child != NULL) {
        k_node *c = n->first_child;
        unlink_child(c);
        link_child(n->parent, c);
    }
    unlink_child(n);
    k_object *o = n->obj;
    vx_obj_type type = n->type;
    free(n);
    if (type == VX_OBJ_RING_TX && --o->u.ring.tx_count == 0)
        k_ring_side_closed(o, type);
    else if (type == VX_OBJ_RING_RX && --o->u.ring.rx_count == 0)
        k_ring_side_closed(o, type);
    /* PEER_CLOSED may hold now. (A waiter linked on o pins it, so o is
     * alive here whenever its list is not empty.) */
    if (o->waiters.head != NULL)
        k_wake(&o->waiters);
    k_object_unref(o);
}

/* Iterative so that a deep chain of dups cannot exhaust the stack: find a
 * leaf below n, destroy it, repeat. */
static void destroy_descendants(k_node *n)
{
    while (n->first_child != NULL) {
        k_node *leaf = n->first_child;
        while (leaf->first_child != NULL)
            leaf = leaf->first_child;
        k_node_destroy(leaf);
    }
}

vx_status vx_handle_dup(vx_handle h, vx_rights rights, vx_handle *out)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup(t, h, &n);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_ACCESS_DENIED;
    if (!(n->rights & VX_RIGHT_DUPLICATE) || (rights & ~n->rights) != 0)
        goto done;
    st = VX_ERR_INVALID_ARGS;
    if (out == NULL)
        goto done;
    st = VX_ERR_LIMIT;
    if (k_table_free(t) == 0)
        goto done;
    st = k_table_reserve(t, 1);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_NO_MEMORY;
    k_node *d = k_node_new(n->obj, n->type, rights, n);
    if (d == NULL)
        goto done;
    d->badge = n->badge;
    *out = k_install(t, d);
    st = VX_OK;
done:
    k_leave();
    return st;
}

vx_status vx_handle_close(vx_handle h)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup(t, h, &n);
    if (st == VX_OK)
        k_node_destroy(n);
    k_leave();
    return st;
}

vx_status vx_handle_revoke(vx_handle h)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup(t, h, &n);
    if (st == VX_OK)
        destroy_descendants(n);
    k_leave();
    return st;
}

vx_status vx_handle_info_get(vx_handle h, vx_handle_info *out)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup(t, h, &n);
    if (st == VX_OK && out == NULL)
        st = VX_ERR_INVALID_ARGS;
    if (st == VX_OK) {
        out->type = n->type;
        out->rights = n->rights;
        out->conditions = k_conditions(n);
        out->reserved = 0;
        out->badge = n->badge;
    }
    k_leave();
    return st;
}
