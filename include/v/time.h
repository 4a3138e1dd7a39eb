/* v/time.h — monotonic time, and wall time that says how sure it is.
 *
 * Two kinds of time that must never be confused:
 * - v_instant: a reading of the substrate's monotonic Clock (nanoseconds
 *   since the substrate started). Good for durations and deadlines; it is
 *   not a date.
 * - v_walltime: a date (UTC nanoseconds since 1970-01-01T00:00:00Z, leap
 *   seconds not counted), always together with its confidence and an
 *   error bound. A v_wallclock that was never set has confidence UNKNOWN
 *   and refuses to produce a date at all (BAD_STATE), so a program cannot
 *   mistake an unset clock for 1970.
 *
 * Everything here is pure and takes the current instant as an argument,
 * except the inline v_time_now and v_wall_read, which read the Clock
 * through include/vx (inline, so libv itself references no substrate
 * symbol and stays linkable anywhere). */
#ifndef V_TIME_H
#define V_TIME_H

#include <stdbool.h>
#include <stdint.h>
#include <v/status.h>
#include <vx/clock.h>

typedef struct v_instant {
    uint64_t ns; /* monotonic nanoseconds; UINT64_MAX: never */
} v_instant;

#define V_INSTANT_NEVER ((v_instant){UINT64_MAX})
#define V_NS_PER_SEC UINT64_C(1000000000)

/* The Clock, now. */
static inline v_instant v_time_now(void)
{
    v_instant i = {vx_clock_monotonic()};
    return i;
}

/* `later - earlier` in *ns. OUT_OF_RANGE if later is before earlier
 * (*ns untouched): a negative duration is always a caller's mix-up. */
v_status v_time_elapsed(v_instant earlier, v_instant later, uint64_t *ns);

/* The instant `ns` after `from`, saturating at V_INSTANT_NEVER; usable as
 * a vx_wait deadline. */
v_instant v_time_after(v_instant from, uint64_t ns);

/* ---- wall time ---- */

typedef enum v_wall_confidence {
    V_WALL_UNKNOWN = 0,      /* never set: no date can be read */
    V_WALL_ESTIMATED = 1,    /* from a source that may be wrong (RTC, user) */
    V_WALL_SYNCHRONISED = 2, /* from a time protocol, with a real bound */
} v_wall_confidence;

/* A date with its quality. The true time lies within
 * [utc_ns - error_ns, utc_ns + error_ns] if the source was honest. */
typedef struct v_walltime {
    int64_t utc_ns;
    uint64_t error_ns;
    v_wall_confidence confidence;
} v_walltime;

/* One observation of wall time: at monotonic instant `at` the time was
 * `utc_ns` give or take `error_ns`; the local oscillator may drift by up to
 * `drift_ppb` nanoseconds per second (parts per billion) from then on. */
typedef struct v_wall_sample {
    v_instant at;
    int64_t utc_ns;
    uint64_t error_ns;
    uint32_t drift_ppb;            /* at most V_WALL_DRIFT_MAX_PPB */
    v_wall_confidence confidence;  /* ESTIMATED or SYNCHRONISED */
} v_wall_sample;

#define V_WALL_DRIFT_MAX_PPB UINT32_C(1000000000)

/* The wall clock: a value the program owns (no hidden global). */
typedef struct v_wallclock {
    v_wall_sample ref; /* confidence UNKNOWN: never set */
} v_wallclock;

/* An unset clock (confidence UNKNOWN). */
void v_wall_init(v_wallclock *w);

/* Sets the clock from a sample. INVALID_ARGS (clock unchanged): confidence
 * is not ESTIMATED or SYNCHRONISED, drift above the maximum, or `at` is
 * V_INSTANT_NEVER. */
v_status v_wall_set(v_wallclock *w, const v_wall_sample *s);

/* Sets the clock from `s` if it is better, judged at instant `now`: the
 * clock is unset; or `s` has the higher confidence; or the same confidence
 * and a smaller error bound at `now`. A sample never lowers the
 * confidence. *taken says whether it was used. Errors: as v_wall_set, and
 * OUT_OF_RANGE if either date at `now` does not fit. */
v_status v_wall_offer(v_wallclock *w, const v_wall_sample *s, v_instant now,
                      bool *taken);

/* The date at monotonic instant `now`: the reference date plus the elapsed
 * time, with the error bound grown by the drift over the elapsed time
 * (either direction). BAD_STATE: the clock was never set (*out untouched).
 * OUT_OF_RANGE: the date would not fit in int64 nanoseconds. */
v_status v_wall_now(const v_wallclock *w, v_instant now, v_walltime *out);

/* v_wall_now at the Clock's current instant. */
static inline v_status v_wall_read(const v_wallclock *w, v_walltime *out)
{
    return v_wall_now(w, v_time_now(), out);
}

/* ---- civil dates (proleptic Gregorian, UTC) ---- */

typedef struct v_civil {
    int32_t year;      /* e.g. 2026; years before 1 are 0, -1, ... */
    uint8_t month;     /* 1..12 */
    uint8_t day;       /* 1..31 */
    uint8_t hour;      /* 0..23 */
    uint8_t minute;    /* 0..59 */
    uint8_t second;    /* 0..59 (leap seconds are not represented) */
    uint32_t nanosecond;
} v_civil;

/* Splits UTC nanoseconds since 1970 into a civil date. Never fails: every
 * int64 value has a date. */
void v_civil_from_utc(int64_t utc_ns, v_civil *out);

/* The reverse. INVALID_ARGS: a field out of its range (including day 31
 * of a 30-day month, or 29 February of a common year). OUT_OF_RANGE: the
 * date does not fit in int64 nanoseconds. */
v_status v_civil_to_utc(const v_civil *c, int64_t *utc_ns);

#endif
