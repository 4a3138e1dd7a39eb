/* The common reply prefix (include/v/service.h). Every service's Reply
 * starts `status: i32 = 1; id: u64 = 2;` with all other fields optional, so the
 * canonical encoding of {status, id} alone is a valid Reply of every
 * service: key 0x08, zigzag varint; key 0x10, varint (docs/schema.md §4). */
#include <v/service.h>

static size_t put_varint(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

/* A canonical varint: at most 10 bytes, no redundant trailing zero byte. */
static bool get_varint(const uint8_t *p, size_t len, size_t *pos,
                       uint64_t *v)
{
    uint64_t x = 0;
    for (size_t i = 0; i < 10; i++) {
        if (*pos >= len)
            return false;
        uint8_t b = p[(*pos)++];
        if (i == 9 && b > 1)
            return false;
        x |= (uint64_t)(b & 0x7f) << (7 * i);
        if ((b & 0x80) == 0) {
            if (b == 0 && i > 0)
                return false;
            *v = x;
            return true;
        }
    }
    return false;
}

v_status v_service_error_reply(int32_t status, uint64_t id, void *buf,
                               size_t cap, size_t *len)
{
    if (buf == NULL || len == NULL)
        return V_ERR_INVALID_ARGS;
    if (cap < 22)
        return V_ERR_TRUNCATED;
    uint8_t *p = buf;
    uint32_t zz = ((uint32_t)status << 1) ^ (uint32_t)(status >> 31);
    size_t n = 0;
    p[n++] = 0x08;
    n += put_varint(p + n, zz);
    p[n++] = 0x10;
    n += put_varint(p + n, id);
    *len = n;
    return V_OK;
}

v_status v_service_reply_peek(const void *buf, size_t len, int32_t *status,
                              uint64_t *id)
{
    if ((buf == NULL && len > 0) || status == NULL || id == NULL)
        return V_ERR_INVALID_ARGS;
    const uint8_t *p = buf;
    size_t pos = 0;
    uint64_t key, zz, v;
    if (!get_varint(p, len, &pos, &key) || key != 0x08 ||
        !get_varint(p, len, &pos, &zz) || zz > UINT32_MAX ||
        !get_varint(p, len, &pos, &key) || key != 0x10 ||
        !get_varint(p, len, &pos, &v))
        return V_ERR_MALFORMED;
    uint32_t u = (uint32_t)zz;
    *status = (int32_t)((u >> 1) ^ (0u - (u & 1)));
    *id = v;
    return V_OK;
}
