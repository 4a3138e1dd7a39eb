/* Fuzz target: the process start block decoder (lib/process/block.c).
 * A spawner's bytes are untrusted: decoding must never read out of bounds,
 * and a block it accepts must re-encode to the same bytes (one
 * encoding per value, docs/process.md). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <v/process.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy exactly `size` long, so ASan sees any overread. */
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    v_process p;
    if (v_process_decode(&p, copy, size) == V_OK) {
        /* Bytes after the block's recorded size are ignored, so the
         * re-encoding must equal a prefix of the input. */
        v_process_spec spec = {p.argc, p.argv, p.envc, p.envv,
                               p.handle_count, p.handle_names};
        size_t len = 0;
        uint8_t *again = malloc(size ? size : 1);
        if (!again || v_process_encode(&spec, again, size, &len) != V_OK ||
            len > size || memcmp(again, data, len) != 0)
            abort();
        free(again);
    }
    free(copy);
    return 0;
}
