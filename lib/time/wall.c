/* lib/time/wall.c — wall time with an explicit confidence and error bound.
 *
 * The clock is one reference sample; a reading extrapolates from it with
 * the monotonic Clock and widens the error bound by the worst-case drift
 * over the time elapsed (in either direction: a reading from before the
 * sample is just as uncertain). */
#include <v/time.h>

void v_wall_init(v_wallclock *w)
{
    w->ref.at.ns = 0;
    w->ref.utc_ns = 0;
    w->ref.error_ns = 0;
    w->ref.drift_ppb = 0;
    w->ref.confidence = V_WALL_UNKNOWN;
}

static bool sample_valid(const v_wall_sample *s)
{
    return (s->confidence == V_WALL_ESTIMATED ||
            s->confidence == V_WALL_SYNCHRONISED) &&
           s->drift_ppb <= V_WALL_DRIFT_MAX_PPB &&
           s->at.ns != V_INSTANT_NEVER.ns;
}

v_status v_wall_set(v_wallclock *w, const v_wall_sample *s)
{
    if (!sample_valid(s))
        return V_ERR_INVALID_ARGS;
    w->ref = *s;
    return V_OK;
}

/* d * ppb / 1e9, saturating, without a 128-bit type. */
static uint64_t drift_over(uint64_t d, uint32_t ppb)
{
    uint64_t whole = d / V_NS_PER_SEC, part = d % V_NS_PER_SEC;
    uint64_t a;
    if (__builtin_mul_overflow(whole, (uint64_t)ppb, &a))
        return UINT64_MAX;
    uint64_t b = part * ppb / V_NS_PER_SEC; /* < 1e18: no overflow */
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The date a sample gives for instant `now`. */
static v_status extrapolate(const v_wall_sample *s, v_instant now,
                            v_walltime *out)
{
    int64_t utc;
    uint64_t d;
    if (now.ns >= s->at.ns) {
        d = now.ns - s->at.ns;
        if (d > (uint64_t)INT64_MAX ||
            __builtin_add_overflow(s->utc_ns, (int64_t)d, &utc))
            return V_ERR_OUT_OF_RANGE;
    } else {
        d = s->at.ns - now.ns;
        if (d > (uint64_t)INT64_MAX ||
            __builtin_sub_overflow(s->utc_ns, (int64_t)d, &utc))
            return V_ERR_OUT_OF_RANGE;
    }
    uint64_t grow = drift_over(d, s->drift_ppb);
    out->utc_ns = utc;
    out->error_ns = grow > UINT64_MAX - s->error_ns ? UINT64_MAX
                                                     : s->error_ns + grow;
    out->confidence = s->confidence;
    return V_OK;
}

v_status v_wall_now(const v_wallclock *w, v_instant now, v_walltime *out)
{
    if (w->ref.confidence == V_WALL_UNKNOWN)
        return V_ERR_BAD_STATE;
    return extrapolate(&w->ref, now, out);
}

v_status v_wall_offer(v_wallclock *w, const v_wall_sample *s, v_instant now,
                      bool *taken)
{
    if (!sample_valid(s))
        return V_ERR_INVALID_ARGS;
    v_walltime offered;
    v_status st = extrapolate(s, now, &offered);
    if (st != V_OK)
        return st;
    bool better = true;
    if (w->ref.confidence != V_WALL_UNKNOWN) {
        v_walltime current;
        st = extrapolate(&w->ref, now, &current);
        if (st != V_OK)
            return st;
        if (s->confidence != current.confidence)
            better = s->confidence > current.confidence;
        else
            better = offered.error_ns < current.error_ns;
    }
    if (better)
        w->ref = *s;
    *taken = better;
    return V_OK;
}
