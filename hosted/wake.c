/* hosted/wake.c — targeted wake-ups (docs/substrate.md §11, "Waiting").
 *
 * Each thread in vx_wait has its own wake object (a condition variable on
 * the core lock, only it sleeps on it) and links itself onto the wait list
 * of every object its waited-for bits are bound to, and onto its Task's
 * list for raised bits. A change to an object wakes the waiters on that
 * object's list and nobody else: a Ring send wakes the threads bound to
 * that Ring, not every thread of every Task. All of it runs under the core
 * lock, and a waiter links itself before its last look at the conditions,
 * so a change made after that look finds it on the list: no lost wake-up.
 * Woken waiters re-evaluate; a wake-up is a hint, never a result.
 *
 * A Task's own list is filtered by bit: raising bit 5 wakes only its
 * threads that wait for bit 5. */
#define _GNU_SOURCE /* pthread_condattr_setclock */
#include "kern.h"

#include <pthread.h>
#include <time.h>

static uint64_t wakeups;  /* waiters woken, ever (core lock held) */
static uint32_t sleeping; /* waiters asleep now */

void k_waiter_init(k_waiter *w)
{
    pthread_condattr_t a;
    pthread_condattr_init(&a);
    /* Deadlines are monotonic: a wall-clock step must not move them. */
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &a);
    pthread_condattr_destroy(&a);
    w->woken = false;
    w->mask = 0;
    w->link_count = 0;
}

void k_waiter_fini(k_waiter *w)
{
    k_waiter_unlink_all(w);
    pthread_cond_destroy(&w->cond);
}

void k_waiter_link(k_waiter *w, k_wait_list *l)
{
    if (w->link_count == K_WAITER_LINKS)
        return; /* cannot happen: one link per signal bit, plus the Task */
    k_wait_link *k = &w->links[w->link_count++];
    k->w = w;
    k->list = l;
    k->prev = NULL;
    k->next = l->head;
    if (l->head != NULL)
        l->head->prev = k;
    l->head = k;
}

void k_waiter_unlink_all(k_waiter *w)
{
    for (uint32_t i = 0; i < w->link_count; i++) {
        k_wait_link *k = &w->links[i];
        if (k->prev != NULL)
            k->prev->next = k->next;
        else
            k->list->head = k->next;
        if (k->next != NULL)
            k->next->prev = k->prev;
    }
    w->link_count = 0;
}

void k_wake_bits(k_wait_list *l, uint64_t bits)
{
    for (k_wait_link *k = l->head; k != NULL; k = k->next) {
        k_waiter *w = k->w;
        /* Woken already (linked twice: two bits on one object), or not
         * waiting for these bits. */
        if (w->woken || !(w->mask & bits))
            continue;
        w->woken = true;
        wakeups++;
        pthread_cond_signal(&w->cond);
    }
}

void k_wake(k_wait_list *l)
{
    k_wake_bits(l, ~UINT64_C(0));
}

void k_waiter_sleep(k_waiter *w, vx_time until)
{
    w->woken = false;
    sleeping++;
    k_cond_wait(&w->cond, until);
    sleeping--;
}

void k_wake_stats(uint64_t *woken, uint32_t *asleep)
{
    k_enter();
    *woken = wakeups;
    *asleep = sleeping;
    k_leave();
}
