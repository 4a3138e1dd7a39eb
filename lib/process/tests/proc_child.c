/* The image the process tests spawn: a v_main that reports what it was
 * started with over its "out" Ring, one message per item, then exits with
 * the code its arguments ask for. Written against libv and include/vx
 * only, so it is the same program on both backends. */
#include <v/mem.h>
#include <v/process.h>
#include <vx/vx.h>

static vx_ring_tx out;

static void say(const char *tag, const char *s)
{
    uint8_t msg[256];
    size_t n = v_cstr_len(s);
    if (n > sizeof msg - 2)
        n = sizeof msg - 2;
    msg[0] = (uint8_t)tag[0];
    msg[1] = ':';
    v_mem_copy(msg + 2, s, n);
    vx_msg_out m = {msg, (uint32_t)(n + 2), 0, {{0}}};
    for (;;) {
        vx_status st = vx_ring_send(out, &m);
        if (st != VX_ERR_SHOULD_WAIT)
            return;
        uint64_t p;
        if (vx_wait(1, VX_TIME_INFINITE, &p) != VX_OK)
            return;
    }
}

static void say_count(const char *tag, uint32_t v)
{
    char d[12];
    int i = 11;
    d[i] = '\0';
    do {
        d[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    say(tag, d + i);
}

int32_t v_main(const v_process *p)
{
    vx_handle h;
    if (v_process_handle("out", VX_OBJ_RING_TX, &h) != V_OK)
        return V_EXIT_FOOTPRINT;
    out = (vx_ring_tx){h};
    if (vx_signal_bind(h, VX_COND_WRITABLE, 0) != VX_OK)
        return V_EXIT_FAILURE;
    say_count("A", p->argc);
    for (uint32_t i = 0; i < p->argc; i++)
        say("a", p->argv[i]);
    say_count("E", p->envc);
    for (uint32_t i = 0; i < p->envc; i++)
        say("e", p->envv[i]);
    say_count("H", p->handle_count);
    for (uint32_t i = 0; i < p->handle_count; i++)
        say("h", p->handle_names[i]);
    const char *mode = v_process_env(p, "MODE");
    say("m", mode != NULL ? mode : "-");
    if (p->argc == 2 && v_cstr_compare(p->argv[0], "exit") == 0) {
        int32_t code = 0;
        for (const char *c = p->argv[1]; *c >= '0' && *c <= '9'; c++)
            code = code * 10 + (*c - '0');
        return code;
    }
    return V_EXIT_OK;
}
