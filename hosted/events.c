/* hosted/events.c — the core's event thread: one epoll over every
 * descriptor through which the host tells the core something happened —
 * a lane's doorbell (lane.c), the timerfd behind the Timers (timer.c), a
 * spawned Task's pidfd (task.c). For each ready descriptor it takes the
 * core lock and calls the owner's handler, which wakes exactly the waiters
 * concerned (wake.c). Handlers never block.
 *
 * An event retired by its owner (under the core lock) may still sit in a
 * batch epoll_wait returned before the retirement; it is marked dead and
 * freed only by this thread, after the batch that might still name it. */
#define _GNU_SOURCE
#include "kern.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

struct k_event {
    int fd;
    void (*fire)(void *ctx);
    void *ctx;
    bool dead;
    struct k_event *next_dead;
};

static int events_epoll = -1;
static struct k_event *events_dead;

static void *events_main(void *arg)
{
    (void)arg;
    for (;;) {
        struct epoll_event ev[32];
        int n = epoll_wait(events_epoll, ev, 32, -1);
        k_enter();
        for (int i = 0; i < n; i++) {
            struct k_event *e = ev[i].data.ptr;
            if (!e->dead)
                e->fire(e->ctx);
        }
        while (events_dead != NULL) {
            struct k_event *e = events_dead;
            events_dead = e->next_dead;
            free(e);
        }
        k_leave();
    }
    return NULL;
}

/* Core lock held. */
static bool events_start(void)
{
    if (events_epoll >= 0)
        return true;
    int fd = epoll_create1(EPOLL_CLOEXEC);
    if (fd < 0)
        return false;
    events_epoll = fd;
    pthread_attr_t at;
    pthread_t id;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    bool ok = pthread_create(&id, &at, events_main, NULL) == 0;
    pthread_attr_destroy(&at);
    if (!ok) {
        close(fd);
        events_epoll = -1;
    }
    return ok;
}

k_event *k_event_add(int fd, void (*fire)(void *ctx), void *ctx)
{
    if (!events_start())
        return NULL;
    k_event *e = calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->fd = fd;
    e->fire = fire;
    e->ctx = ctx;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = e};
    if (epoll_ctl(events_epoll, EPOLL_CTL_ADD, fd, &ev) != 0) {
        free(e);
        return NULL;
    }
    return e;
}

void k_event_retire(k_event *e)
{
    if (e == NULL)
        return;
    epoll_ctl(events_epoll, EPOLL_CTL_DEL, e->fd, NULL);
    e->dead = true;
    e->next_dead = events_dead;
    events_dead = e;
}
