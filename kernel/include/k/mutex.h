/* Sleeping mutexes for thread context (never in interrupt handlers).
 * Waiters are woken in FIFO order; ownership passes directly to the woken
 * thread so a stream of newcomers cannot starve it. */
#ifndef K_MUTEX_H
#define K_MUTEX_H

#include <stdbool.h>
#include <k/waitq.h>

struct thread;

typedef struct kmutex {
    waitq wq;             /* its lock guards owner */
    struct thread *owner;
} kmutex;

#define KMUTEX_INIT {WAITQ_INIT, 0}

void kmutex_lock(kmutex *m);
bool kmutex_trylock(kmutex *m);
/* Panics if the caller is not the owner. */
void kmutex_unlock(kmutex *m);

#endif
