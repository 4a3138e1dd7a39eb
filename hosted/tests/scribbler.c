/* hosted/tests/scribbler.c — a hostile Task image: it ignores the client
 * library and writes frames of random operations with random bodies (and
 * finally one with an absurd length) straight onto its broker connection,
 * then returns. The broker must answer each one without harm to itself or
 * any other Task. */
#include "../proto.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/random.h>
#include <unistd.h>

static uint32_t rnd(void)
{
    uint32_t v = 0;
    while (getrandom(&v, sizeof v, 0) != (ssize_t)sizeof v)
        ;
    return v;
}

int main(void)
{
    uint8_t body[512];
    for (int i = 0; i < 2000; i++) {
        uint32_t len = rnd() % sizeof body;
        for (uint32_t j = 0; j < len; j++)
            body[j] = (uint8_t)rnd();
        /* Mostly real operations, whose decoders are what is under test;
         * some unknown ones. Skipped: OP_WAIT may block the connection for
         * good, OP_THREAD_DONE hangs it up, OP_TASK_EXIT sets the exit
         * code the test checks — all allowed, none useful here. */
        int32_t op = (int32_t)(rnd() % (OP_END_ + 2));
        if (op == OP_WAIT || op == OP_THREAD_DONE || op == OP_TASK_EXIT)
            continue;
        if (!wire_send(PROTO_CONN_FD, op, body, len, -1))
            return 1;
        /* Every request is answered (else the broker would block on a
         * full socket, as it may: the Task only hurts itself). */
        proto_frame f;
        uint8_t *reply;
        int fd;
        if (!wire_recv(PROTO_CONN_FD, &f, &reply, &fd))
            return 3;
        free(reply);
        if (fd >= 0)
            close(fd);
    }
    proto_frame absurd = {OP_HANDLE_CLOSE, UINT32_MAX};
    if (write(PROTO_CONN_FD, &absurd, sizeof absurd) != sizeof absurd)
        return 2;
    return 0;
}
