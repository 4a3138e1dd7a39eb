/* What a service's inbox receives from anyone: bytes for the Request
 * decoders of the service schemas (initd's control, logd, the test echo),
 * and bytes claimed to be a reply for v_service_reply_peek. Whatever
 * decodes must re-encode to the same bytes (canonical), and the reply
 * prefix must round-trip. Never a crash, never an over-read. */
#include <stdint.h>
#include <v/alloc.h>
#include <v/mem.h>
#include <v/service.h>

#include "initd_control.h"
#include "logd_protocol.h"
#include "service_echo.h"
#include "service_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static _Alignas(16) uint8_t mem[1 << 16];
static uint8_t out[1 << 16];

#define ROUND_TRIP(T)                                                       \
    do {                                                                    \
        v_arena a;                                                          \
        (void)v_arena_init(&a, mem, sizeof mem);                            \
        T v;                                                                \
        v_encoding_error err;                                               \
        if (T##_decode(data, size, 0, &a.base, &v, &err) == V_OK) {         \
            size_t n = 0;                                                   \
            if (T##_encode(&v, out, sizeof out, &n, &err) != V_OK ||        \
                n != size || !v_mem_equal(out, data, size))                 \
                __builtin_trap();                                           \
        }                                                                   \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 8192)
        return 0;
    ROUND_TRIP(vectra_initd_Request);
    ROUND_TRIP(vectra_initd_Reply);
    ROUND_TRIP(vectra_logd_Request);
    ROUND_TRIP(vectra_logd_Reply);
    ROUND_TRIP(vectra_echo_Request);
    ROUND_TRIP(vectra_service_Manifest);
    /* the manifest is read from JSON by initd */
    {
        v_arena a;
        (void)v_arena_init(&a, mem, sizeof mem);
        vectra_service_Manifest m;
        v_encoding_error err;
        (void)vectra_service_Manifest_decode_json(data, size, 0, &a.base, &m,
                                                  &err);
    }
    int32_t st;
    uint64_t id;
    if (v_service_reply_peek(data, size, &st, &id) == V_OK) {
        uint8_t buf[32];
        size_t n = 0;
        int32_t st2;
        uint64_t id2;
        if (v_service_error_reply(st, id, buf, sizeof buf, &n) != V_OK ||
            v_service_reply_peek(buf, n, &st2, &id2) != V_OK || st2 != st ||
            id2 != id || n > size || !v_mem_equal(buf, data, n))
            __builtin_trap();
    }
    return 0;
}
