/* hosted/entropy.c — vx_entropy_read from getrandom(2), which blocks only
 * until the host's pool is first seeded: exactly the ABI's promise. */
#include <errno.h>
#include <sys/random.h>
#include <vx/entropy.h>

vx_status vx_entropy_read(void *buf, size_t len)
{
    if ((buf == NULL && len > 0) || len > VX_ENTROPY_READ_MAX)
        return VX_ERR_INVALID_ARGS;
    size_t done = 0;
    while (done < len) {
        ssize_t got = getrandom((char *)buf + done, len - done, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return VX_ERR_NOT_SUPPORTED; /* ENOSYS: no source to trust */
        }
        done += (size_t)got;
    }
    return VX_OK;
}
