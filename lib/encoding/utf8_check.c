/* UTF-8 well-formedness for the encoding module: the text module's
 * validator (Unicode Table 3-7; bad offset = first byte of the first
 * ill-formed sequence). Kept behind this one function so the module
 * depends on the text module in exactly one place. */
#include <v/text.h>
#include "internal.h"

v_status v_enc_utf8_check(const uint8_t *bytes, size_t len, size_t *bad)
{
    return v_utf8_validate(bytes, len, bad);
}
