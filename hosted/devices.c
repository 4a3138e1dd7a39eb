/* hosted/devices.c — device access (vx/io.h) on Linux: a hosted Task has
 * no devices, so every call is NOT_SUPPORTED. Linked into the root Task
 * (the core) and into spawned Tasks (the client) alike, since neither
 * side has anything to ask the other. */
#include <vx/vx.h>

vx_status vx_ioport_read(vx_ioport p, uint16_t port, uint32_t width,
                         uint32_t *value)
{
    (void)p, (void)port, (void)width, (void)value;
    return VX_ERR_NOT_SUPPORTED;
}

vx_status vx_ioport_write(vx_ioport p, uint16_t port, uint32_t width,
                          uint32_t value)
{
    (void)p, (void)port, (void)width, (void)value;
    return VX_ERR_NOT_SUPPORTED;
}

vx_status vx_irq_ack(vx_irq irq)
{
    (void)irq;
    return VX_ERR_NOT_SUPPORTED;
}
