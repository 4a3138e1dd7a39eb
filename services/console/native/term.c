/* The native terminal (term.h): the serial port COM1, a 16550 UART, from
 * the console's footprint: `com1` (I/O ports 0x3F8-0x3FF) and `com1.irq`
 * (IRQ 4). The kernel already set the line up (115200 8N1) for its own
 * log, and keeps writing its log lines to the same port: they interleave
 * with the prompt, which is acceptable for a development console.
 *
 * Input is interrupt-driven: the UART raises IRQ 4 when a byte arrives,
 * the IRQ object holds VX_COND_IRQ (bound to a signal bit) until acked, and
 * the line stays masked meanwhile, so every byte the UART holds is read
 * before the ack. A wait also ends after a short deadline, so a byte that
 * arrived between the drain and the ack (its edge lost under the mask) is
 * picked up by the next poll rather than never. Output polls the line
 * status for an empty transmit register before each byte.
 *
 * A serial terminal does not echo by itself: typed bytes are echoed, CR
 * or LF ends a line (CR LF counts once), backspace/DEL erase, Ctrl-D on an
 * empty line is the end of input. Output turns LF into CR LF. */
#include <v/process.h>
#include <vx/vx.h>

#include "../term.h"

#define COM1 0x3F8u
#define RBR 0u  /* receive buffer (read) / transmit holding (write) */
#define IER 1u  /* interrupt enable: bit 0 = received data available */
#define MCR 4u  /* modem control: DTR, RTS, OUT2 (routes the IRQ on a PC) */
#define LSR 5u  /* line status */
#define LSR_DATA 0x01u
#define LSR_THRE 0x20u
#define IRQ_BIT 1u  /* vctl uses bit 8 (console.c) */
#define POLL_NS UINT64_C(50000000)

const char console_term_backend[] = "native";

static vx_ioport port;
static vx_irq irq;
static bool after_cr; /* the last line ended with CR: skip one LF */

static uint32_t in(uint32_t reg)
{
    uint32_t v = 0;
    (void)!vx_ioport_read(port, (uint16_t)(COM1 + reg), 1, &v);
    return v;
}

static void out(uint32_t reg, uint32_t v)
{
    (void)!vx_ioport_write(port, (uint16_t)(COM1 + reg), 1, v & 0xff);
}

int32_t console_term_open(void)
{
    if (v_process_handle("com1", VX_OBJ_IOPORT, &port.h) != V_OK ||
        v_process_handle("com1.irq", VX_OBJ_IRQ, &irq.h) != V_OK)
        return V_EXIT_FOOTPRINT;
    if (vx_signal_bind(irq.h, VX_COND_IRQ, IRQ_BIT) != VX_OK)
        return V_EXIT_START;
    out(MCR, 0x0b);
    out(IER, 0x01);
    while (in(LSR) & LSR_DATA) /* stale input from before the console */
        (void)in(RBR);
    (void)!vx_irq_ack(irq);
    return V_EXIT_OK;
}

static void put(char c)
{
    /* Bounded: a UART that never drains (none attached) drops output. */
    for (int i = 0; i < 100000 && !(in(LSR) & LSR_THRE); i++)
        ;
    out(RBR, (uint8_t)c);
}

void console_term_write(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            put('\r');
        put(text[i]);
    }
}

/* The next input byte, waiting for one. */
static char next(void)
{
    for (;;) {
        if (in(LSR) & LSR_DATA)
            return (char)in(RBR);
        (void)!vx_irq_ack(irq);
        if (in(LSR) & LSR_DATA)
            continue;
        uint64_t pending;
        (void)!vx_wait(UINT64_C(1) << IRQ_BIT,
                      vx_clock_monotonic() + POLL_NS, &pending);
    }
}

bool console_term_read_line(char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    for (;;) {
        char c = next();
        if (c == '\n' && after_cr) {
            after_cr = false;
            continue;
        }
        after_cr = c == '\r';
        if (c == '\r' || c == '\n')
            break;
        if (c == 0x04 && n == 0) {
            *len = 0;
            return false;
        }
        if (c == 0x08 || c == 0x7f) {
            if (n > 0) {
                n--;
                console_term_write(NULL, "\b \b", 3);
            }
            continue;
        }
        if ((unsigned char)c < 0x20)
            continue;
        if (n < cap) {
            buf[n++] = c;
            put(c);
        }
    }
    console_term_write(NULL, "\n", 1);
    *len = n;
    return true;
}
