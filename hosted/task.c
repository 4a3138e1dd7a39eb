/* hosted/task.c — Tasks (docs/substrate.md §3, §11).
 *
 * A spawned Task is a Linux process made by fork + execveat of a sealed
 * private copy of its image, running under the sandbox filter, whose only
 * connection to the world is a socket to the broker (this process). Its
 * pidfd sits in the core's epoll (events.c); when the process has ended,
 * the event thread reaps it through the pidfd and, once no broker thread
 * serves the Task any more, ends the Task in the core: closes its handles,
 * refunds its creator, raises TASK_EXITED. No thread per Task waits. */
#define _GNU_SOURCE
#include "kern.h"
#include "proto.h"
#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define THREADS_MAX 64u
#define TASK_RIGHTS (VX_RIGHT_READ | VX_RIGHT_SIGNAL | VX_RIGHT_WAIT |      \
                     VX_RIGHT_MANAGE | VX_RIGHT_DUPLICATE |                 \
                     VX_RIGHT_TRANSFER)

bool k_name_valid(const char *name)
{
    size_t n = 0;
    for (; name[n] != '\0'; n++) {
        char c = name[n];
        if (n >= VX_NAME_MAX ||
            !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '.' || c == '-'))
            return false;
    }
    return n > 0;
}

void k_task_ref(k_task *t)
{
    t->refs++;
}

void k_task_unref(k_task *t)
{
    if (--t->refs != 0)
        return;
    if (t->pid != 0)
        close(t->pidfd);
    free(t->table);
    free(t->maps);
    free(t);
}

void k_task_end(k_task *t, vx_task_state state, int32_t code)
{
    if (t->state != VX_TASK_RUNNING)
        return;
    t->state = state;
    t->exit_code = state == VX_TASK_EXITED ? code : 0;
    for (uint32_t i = 0; i < t->table_grown; i++)
        if (t->table[i].node != NULL)
            k_node_destroy(t->table[i].node);
    if (t->creator != NULL) {
        t->creator->charged -= t->quota;
        k_task_unref(t->creator);
        t->creator = NULL;
    }
    k_wake(&t->waiters);
    k_wake(&t->watchers); /* TASK_EXITED holds */
}

/* ---- the image ---- */

/* A private, sealed, read-only copy of the image: the Region may change
 * after spawn returns, and Linux refuses to execute a file that is open
 * for writing. Returns an O_RDONLY fd, or -1. */
static int image_snapshot(int region_fd, uint64_t size)
{
    int fd = memfd_create("vx-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -1;
    off_t in = 0;
    uint64_t left = size;
    while (left > 0) {
        ssize_t n = sendfile(fd, region_fd, &in, left > (1u << 30) ? (1u << 30) : (size_t)left);
        if (n <= 0)
            goto fail;
        left -= (uint64_t)n;
    }
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK |
                                   F_SEAL_SEAL) != 0)
        goto fail;
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int ro = open(path, O_RDONLY | O_CLOEXEC);
    close(fd);
    return ro;
fail:
    close(fd);
    return -1;
}

/* The image copy for a spawn from Region o (a descriptor the caller
 * closes), or -1. Copying a large image for every spawn costs more than
 * the rest of it, so the copy is kept in the Region for the next spawn
 * while it is provably the same: no vx_region_write since, and no
 * writable mapping ever handed out (a Task could keep writing through
 * it). The copy is sealed, so it cannot change either. */
static int image_for_spawn(k_object *o)
{
    if (o->u.region.image_kept &&
        (o->u.region.mapped_writable ||
         o->u.region.image_version != o->u.region.version)) {
        close(o->u.region.image_fd);
        o->u.region.image_kept = false;
    }
    if (!o->u.region.image_kept) {
        int fd = image_snapshot(o->u.region.fd, o->u.region.size);
        if (fd < 0 || o->u.region.mapped_writable)
            return fd;
        o->u.region.image_fd = fd;
        o->u.region.image_version = o->u.region.version;
        o->u.region.image_kept = true;
    }
    return fcntl(o->u.region.image_fd, F_DUPFD_CLOEXEC, 0);
}

/* An x86-64 ELF executable, by its header. Anything else is refused before
 * a process is made for it. */
static bool image_is_elf(int region_fd, uint64_t size)
{
    unsigned char h[20];
    if (size < 64 || pread(region_fd, h, sizeof h, 0) != (ssize_t)sizeof h)
        return false;
    return h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F' &&
           h[4] == 2 /* 64-bit */ && h[5] == 1 /* little-endian */ &&
           (h[16] == 2 || h[16] == 3) && h[17] == 0 /* EXEC or DYN */ &&
           h[18] == 62 && h[19] == 0 /* x86-64 */;
}

/* In the child, between fork and exec: raw system calls only. */
__attribute__((noreturn)) static void child_exec(int conn, int image,
                                                 const char *name,
                                                 uint64_t quota)
{
    /* Move the two descriptors to their fixed numbers, out of the way of
     * each other first, then drop every other inherited descriptor except
     * stdin, stdout and stderr (kept for diagnostics). */
    int c = (int)syscall(SYS_fcntl, conn, F_DUPFD, 64);
    int i = (int)syscall(SYS_fcntl, image, F_DUPFD, 64);
    if (c < 0 || i < 0 || syscall(SYS_dup2, c, PROTO_CONN_FD) < 0 ||
        syscall(SYS_dup2, i, PROTO_IMAGE_FD) < 0 ||
        syscall(SYS_close_range, PROTO_IMAGE_FD + 1, ~0u, 0) < 0)
        syscall(SYS_exit_group, 127);
    /* The process's own memory — heap, thread stacks, data: every private
     * writable mapping — is bounded by the quota its creator lent it, so
     * a malloc past it fails (ENOMEM) instead of taking the host's memory.
     * Shared mappings (Regions, lanes) are not counted here: the core
     * charges those. Soft and hard, so the Task cannot raise it. */
    struct rlimit lim = {quota, quota};
    if (quota > RLIM_INFINITY - 1)
        lim.rlim_cur = lim.rlim_max = RLIM_INFINITY - 1;
    if (syscall(SYS_prlimit64, 0, RLIMIT_DATA, &lim, NULL) != 0)
        syscall(SYS_exit_group, 127);
    /* A crash ends the Task (CRASHED) and nothing more: no core file
     * written into the host's working directory, and no time spent
     * writing one before the creator learns of it. */
    struct rlimit none = {0, 0};
    if (syscall(SYS_prlimit64, 0, RLIMIT_CORE, &none, NULL) != 0)
        syscall(SYS_exit_group, 127);
    syscall(SYS_prctl, PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    syscall(SYS_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    struct sock_filter f[SANDBOX_FILTER_MAX];
    size_t n = sandbox_filter(f, SANDBOX_FILTER_MAX,
                              (int)syscall(SYS_getpid));
    struct sock_fprog prog = {(unsigned short)n, f};
    if (n > SANDBOX_FILTER_MAX ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
        syscall(SYS_exit_group, 127);
    char *argv[] = {(char *)name, NULL};
    char *envp[] = {NULL};
    syscall(SYS_execveat, PROTO_IMAGE_FD, "", argv, envp, AT_EMPTY_PATH);
    syscall(SYS_exit_group, 127);
    __builtin_unreachable();
}

void k_task_finish_if_ready(k_task *t)
{
    /* Requests the process sent before it died may still be in its
     * broker threads' hands; they finish first (a wait among them returns
     * at once, see vx_wait), so that nothing is installed into a Task that
     * has ended. The last one to leave calls this again. */
    if (!t->process_gone || t->connections > 0 || t->state != VX_TASK_RUNNING)
        return;
    vx_task_state state;
    int32_t code = 0;
    if (t->wait_exited) {
        state = VX_TASK_EXITED;
        code = t->exit_recorded ? t->exit_code : t->wait_status;
    } else {
        state = t->kill_requested ? VX_TASK_KILLED : VX_TASK_CRASHED;
    }
    k_task_end(t, state, code);
    k_task_unref(t); /* the running Task's own reference */
}

/* The event thread: t's pidfd is readable, its process has ended. */
static void process_ended(void *ctx)
{
    k_task *t = ctx;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid((idtype_t)P_PIDFD, (id_t)t->pidfd, &si, WEXITED | WNOHANG) != 0 ||
        si.si_pid == 0)
        return; /* not reaped (cannot happen for a readable pidfd) */
    k_event_retire(t->exit_event);
    t->exit_event = NULL;
    t->process_gone = true;
    t->wait_exited = si.si_code == CLD_EXITED;
    t->wait_status = si.si_status;
    k_wake(&t->waiters); /* its broker threads in vx_wait return */
    k_task_finish_if_ready(t);
}

static bool start_detached(void *(*fn)(void *), void *arg)
{
    pthread_attr_t a;
    pthread_t id;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    bool ok = pthread_create(&id, &a, fn, arg) == 0;
    pthread_attr_destroy(&a);
    return ok;
}

/* ---- spawn ---- */

static vx_status spawn_check(k_task *t, const vx_spawn_args *a, k_node **img,
                             k_node **moved)
{
    vx_status st = VX_OK;
    bool list_ok = a->handle_count <= VX_SPAWN_HANDLES_MAX &&
                   (a->handles != NULL || a->handle_count == 0);
    st = k_first_error(st, k_lookup_type(t, a->image.h, VX_OBJ_REGION, img));
    if (st == VX_OK && (~(*img)->rights & (VX_RIGHT_READ | VX_RIGHT_EXEC)))
        st = VX_ERR_ACCESS_DENIED;
    if (!list_ok)
        return k_first_error(st, VX_ERR_INVALID_ARGS);
    uint64_t mark = k_next_mark();
    for (uint32_t i = 0; i < a->handle_count; i++) {
        k_node *n;
        vx_status hs = k_lookup(t, a->handles[i].handle, &n);
        if (hs == VX_OK && !(n->rights & VX_RIGHT_TRANSFER))
            hs = VX_ERR_ACCESS_DENIED;
        if (hs == VX_OK && n->mark == mark)
            hs = VX_ERR_INVALID_ARGS;
        if (hs == VX_OK) {
            n->mark = mark;
            moved[i] = n;
        }
        const char *nm = a->handles[i].name;
        if (nm == NULL || !k_name_valid(nm))
            hs = k_first_error(hs, VX_ERR_INVALID_ARGS);
        for (uint32_t j = 0; j < i && nm != NULL; j++)
            if (a->handles[j].name != NULL &&
                strcmp(a->handles[j].name, nm) == 0)
                hs = k_first_error(hs, VX_ERR_INVALID_ARGS);
        st = k_first_error(st, hs);
    }
    if (a->name == NULL || !k_name_valid(a->name) || a->quota_bytes == 0 ||
        a->handle_limit == 0 || a->handle_limit > K_TABLE_MAX ||
        a->handle_limit < a->handle_count)
        st = k_first_error(st, VX_ERR_INVALID_ARGS);
    if (st == VX_OK && !image_is_elf((*img)->obj->u.region.fd,
                                     (*img)->obj->u.region.size))
        st = VX_ERR_INVALID_ARGS;
    return st;
}

vx_status vx_task_spawn(const vx_spawn_args *args, vx_task *out)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    k_node *img = NULL, *moved[VX_SPAWN_HANDLES_MAX] = {0};
    k_task *c = NULL;
    k_object *o = NULL;
    int socks[2] = {-1, -1}, image = -1;
    if (args == NULL || out == NULL)
        goto done;
    st = spawn_check(t, args, &img, moved);
    if (st != VX_OK)
        goto done;
    st = k_charge(t, args->quota_bytes);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_LIMIT;
    if (k_table_free(t) == 0)
        goto done;
    st = k_table_reserve(t, 1);
    if (st != VX_OK)
        goto done;
    st = VX_ERR_NO_MEMORY;
    c = calloc(1, sizeof *c);
    o = k_object_new(K_TASK);
    if (c == NULL || o == NULL)
        goto fail;
    c->quota = args->quota_bytes;
    c->table_limit = args->handle_limit;
    c->free_head = K_TABLE_MAX;
    c->state = VX_TASK_RUNNING;
    c->threads = 1;
    c->pidfd = -1;
    c->refs = 1; /* the Task object's, handed over below */
    if (k_table_reserve(c, args->handle_count) != VX_OK)
        goto fail;
    image = image_for_spawn(img->obj);
    if (image < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, socks) != 0)
        goto fail;
    o->u.task.task = c;
    k_node *tn = k_node_new(o, VX_OBJ_TASK, TASK_RIGHTS, NULL);
    if (tn == NULL)
        goto fail;
    o = NULL; /* owned by tn now, and c by o */
    pid_t pid = fork();
    if (pid < 0) {
        k_node_destroy(tn); /* frees o, and c with it */
        c = NULL;
        goto fail;
    }
    if (pid == 0)
        child_exec(socks[1], image, args->name, args->quota_bytes);
    close(socks[1]);
    close(image);
    c->pid = pid;
    c->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    /* From here the Task exists: nothing below may fail it. */
    for (uint32_t i = 0; i < args->handle_count; i++) {
        k_node *n = moved[i];
        k_uninstall(n);
        vx_handle v = k_install(c, n);
        snprintf(c->initial[i].name, sizeof c->initial[i].name, "%s",
                 args->handles[i].name);
        c->initial[i].handle = v;
        c->initial[i].type = n->type;
    }
    c->initial_count = args->handle_count;
    t->charged += args->quota_bytes;
    c->creator = t;
    k_task_ref(t);
    k_task_ref(c); /* running */
    out->h = k_install(t, tn);
    if (c->pidfd >= 0)
        c->exit_event = k_event_add(c->pidfd, process_ended, c);
    if (c->exit_event == NULL) {
        /* Nobody would see it end: end it here and now instead. */
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
            ;
        c->process_gone = true;
        k_task_end(c, VX_TASK_KILLED, 0);
        k_task_unref(c);
        close(socks[0]);
    } else if (!k_broker_start(c, socks[0])) {
        c->kill_requested = true; /* unreachable: the pidfd ends it */
        kill(pid, SIGKILL);
    }
    st = VX_OK;
    goto done;
fail:
    if (socks[0] >= 0) {
        close(socks[0]);
        close(socks[1]);
    }
    if (image >= 0)
        close(image);
    if (c != NULL)
        free(c->table);
    free(c);
    free(o);
done:
    k_leave();
    return st;
}

vx_status vx_task_kill(vx_task task)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup_type(t, task.h, VX_OBJ_TASK, &n);
    if (st == VX_OK && !(n->rights & VX_RIGHT_MANAGE))
        st = VX_ERR_ACCESS_DENIED;
    if (st == VX_OK) {
        k_task *target = n->obj->u.task.task;
        /* Through the pidfd: once the process is reaped its pid may name
         * another process, the pidfd never does. */
        if (target->state == VX_TASK_RUNNING && !target->kill_requested &&
            !target->process_gone) {
            target->kill_requested = true;
            syscall(SYS_pidfd_send_signal, target->pidfd, SIGKILL, NULL, 0);
        }
    }
    k_leave();
    return st;
}

vx_status vx_task_status_get(vx_task task, vx_task_status *out)
{
    k_task *t = k_enter();
    k_node *n;
    vx_status st = k_lookup_type(t, task.h, VX_OBJ_TASK, &n);
    if (st == VX_OK && !(n->rights & VX_RIGHT_READ))
        st = VX_ERR_ACCESS_DENIED;
    if (st == VX_OK && out == NULL)
        st = VX_ERR_INVALID_ARGS;
    if (st == VX_OK) {
        const k_task *target = n->obj->u.task.task;
        out->state = target->state;
        out->exit_code = target->state == VX_TASK_EXITED ? target->exit_code
                                                         : 0;
        out->quota_bytes = target->quota;
        out->used_bytes = target->charged;
    }
    k_leave();
    return st;
}

vx_status vx_task_usage_get(vx_task_usage *out)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    if (out != NULL) {
        out->quota_bytes = t->quota;
        out->used_bytes = t->charged;
        out->handle_limit = t->table_limit;
        out->handles_used = t->table_used;
        st = VX_OK;
    }
    k_leave();
    return st;
}

vx_status vx_task_initial_handle(const char *name, vx_obj_type type,
                                 vx_handle *out)
{
    if (name == NULL || out == NULL || !k_name_valid(name))
        return VX_ERR_INVALID_ARGS;
    k_task *t = k_enter();
    vx_status st = VX_ERR_OUT_OF_RANGE;
    for (uint32_t i = 0; i < t->initial_count; i++) {
        if (strcmp(t->initial[i].name, name) != 0)
            continue;
        k_node *n;
        if (t->initial[i].type != type)
            st = VX_ERR_INVALID_ARGS;
        else if (k_lookup(t, t->initial[i].handle, &n) != VX_OK)
            st = VX_ERR_BAD_HANDLE;
        else {
            *out = t->initial[i].handle;
            st = VX_OK;
        }
        break;
    }
    k_leave();
    return st;
}

void vx_task_exit(int32_t code)
{
    _exit((int)code);
}

/* ---- threads of the root Task ---- */

struct thread_start {
    void (*entry)(void *);
    void *arg;
};

static void *thread_main(void *p)
{
    struct thread_start s = *(struct thread_start *)p;
    free(p);
    s.entry(s.arg);
    k_task *t = k_enter();
    t->threads--;
    k_leave();
    return NULL;
}

vx_status vx_thread_start(void (*entry)(void *arg), void *arg)
{
    k_task *t = k_enter();
    vx_status st = VX_ERR_INVALID_ARGS;
    if (entry == NULL)
        goto done;
    st = VX_ERR_LIMIT;
    if (t->threads >= THREADS_MAX)
        goto done;
    st = VX_ERR_NO_MEMORY;
    struct thread_start *s = malloc(sizeof *s);
    if (s == NULL)
        goto done;
    s->entry = entry;
    s->arg = arg;
    if (!start_detached(thread_main, s)) {
        free(s);
        goto done;
    }
    t->threads++;
    st = VX_OK;
done:
    k_leave();
    return st;
}
