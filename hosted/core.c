/* hosted/core.c — the core lock, sleeping on it, the clock and the root
 * Task (this process, which hosts the core). Who wakes whom is wake.c. */
#define _GNU_SOURCE
#include "kern.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t core_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t core_once = PTHREAD_ONCE_INIT;
static k_task root_task;

#define ROOT_QUOTA_DEFAULT (UINT64_C(256) << 20)
#define ROOT_HANDLES_DEFAULT 1024u

static uint64_t env_number(const char *name, uint64_t fallback, uint64_t max)
{
    const char *s = getenv(name);
    if (s == NULL || *s == '\0')
        return fallback;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno != 0 || *end != '\0' || v == 0 || v > max)
        return fallback;
    return v;
}

/* The root Task's initial handles: VX_HOSTED_INITIAL="name=path:..." makes
 * each host file a Region (READ WRITE MAP EXEC DUPLICATE TRANSFER) under
 * that name. This is how hosted programs receive images to spawn, the way
 * a native Task receives them from the boot Bundle. A malformed entry is
 * reported and skipped: the lookup then fails with OUT_OF_RANGE. */
static void load_initial(k_task *t)
{
    const char *spec = getenv("VX_HOSTED_INITIAL");
    if (spec == NULL)
        return;
    char *copy = strdup(spec), *save = NULL;
    for (char *item = copy ? strtok_r(copy, ":", &save) : NULL; item != NULL;
         item = strtok_r(NULL, ":", &save)) {
        char *eq = strchr(item, '=');
        if (eq == NULL || t->initial_count == VX_SPAWN_HANDLES_MAX)
            continue;
        *eq = '\0';
        vx_handle h;
        if (!k_name_valid(item) || k_region_from_file(t, eq + 1, &h) != VX_OK) {
            fprintf(stderr, "vx hosted: initial handle %s=%s refused\n", item,
                    eq + 1);
            continue;
        }
        uint32_t i = t->initial_count++;
        snprintf(t->initial[i].name, sizeof t->initial[i].name, "%s", item);
        t->initial[i].handle = h;
        t->initial[i].type = VX_OBJ_REGION;
    }
    free(copy);
}

static void core_init(void)
{
    k_task *t = &root_task;
    t->quota = env_number("VX_HOSTED_QUOTA", ROOT_QUOTA_DEFAULT, UINT64_MAX);
    t->table_limit = (uint32_t)env_number("VX_HOSTED_HANDLES",
                                          ROOT_HANDLES_DEFAULT, K_TABLE_MAX);
    t->free_head = K_TABLE_MAX;
    t->state = VX_TASK_RUNNING;
    t->threads = 1;
    t->pidfd = -1;
    t->refs = 1; /* never dropped: the root Task lives as long as we do */
    load_initial(t);
}

_Thread_local k_task *k_current;

k_task *k_enter(void)
{
    pthread_once(&core_once, core_init);
    pthread_mutex_lock(&core_lock);
    return k_current != NULL ? k_current : &root_task;
}

k_task *k_root(void)
{
    return &root_task;
}

void k_leave(void)
{
    pthread_mutex_unlock(&core_lock);
}

void k_cond_wait(pthread_cond_t *c, vx_time until)
{
    if (until == VX_TIME_INFINITE) {
        pthread_cond_wait(c, &core_lock);
        return;
    }
    struct timespec ts;
    ts.tv_sec = (time_t)(until / 1000000000u);
    ts.tv_nsec = (long)(until % 1000000000u);
    pthread_cond_timedwait(c, &core_lock, &ts);
}

vx_time k_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (vx_time)ts.tv_sec * 1000000000u + (vx_time)ts.tv_nsec;
}

vx_time vx_clock_monotonic(void)
{
    return k_now();
}
