/* lib/time/monotonic.c — arithmetic on monotonic instants. */
#include <v/time.h>

v_status v_time_elapsed(v_instant earlier, v_instant later, uint64_t *ns)
{
    if (later.ns < earlier.ns)
        return V_ERR_OUT_OF_RANGE;
    *ns = later.ns - earlier.ns;
    return V_OK;
}

v_instant v_time_after(v_instant from, uint64_t ns)
{
    v_instant r;
    r.ns = ns > UINT64_MAX - from.ns ? UINT64_MAX : from.ns + ns;
    return r;
}
