/* lib/time/civil.c — UTC nanoseconds <-> proleptic Gregorian dates.
 *
 * Days are counted in 400-year eras (146097 days each, the Gregorian
 * cycle), with years starting on 1 March so that the leap day falls at the
 * end of a year; that makes the month lengths a fixed linear pattern
 * (153 days per five months) and needs no tables. */
#include <v/time.h>

#define SECS_PER_DAY INT64_C(86400)
#define DAYS_PER_ERA INT64_C(146097)
/* Days from 0000-03-01 to 1970-01-01. */
#define EPOCH_SHIFT INT64_C(719468)

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void v_civil_from_utc(int64_t utc_ns, v_civil *out)
{
    int64_t secs = floor_div(utc_ns, (int64_t)V_NS_PER_SEC);
    int64_t ns = utc_ns % (int64_t)V_NS_PER_SEC; /* secs * 1e9 may overflow */
    if (ns < 0)
        ns += (int64_t)V_NS_PER_SEC;
    int64_t days = floor_div(secs, SECS_PER_DAY);
    int64_t sod = secs - days * SECS_PER_DAY;

    int64_t z = days + EPOCH_SHIFT;
    int64_t era = floor_div(z, DAYS_PER_ERA);
    int64_t doe = z - era * DAYS_PER_ERA;                    /* 0..146096 */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);  /* 0..365 */
    int64_t mp = (5 * doy + 2) / 153;                       /* 0 = March */
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);

    out->year = (int32_t)year;
    out->month = (uint8_t)month;
    out->day = (uint8_t)day;
    out->hour = (uint8_t)(sod / 3600);
    out->minute = (uint8_t)(sod / 60 % 60);
    out->second = (uint8_t)(sod % 60);
    out->nanosecond = (uint32_t)ns;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const uint8_t len[12] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

v_status v_civil_to_utc(const v_civil *c, int64_t *utc_ns)
{
    if (c->month < 1 || c->month > 12 || c->day < 1 ||
        c->day > days_in_month(c->year, c->month) || c->hour > 23 ||
        c->minute > 59 || c->second > 59 || c->nanosecond >= V_NS_PER_SEC)
        return V_ERR_INVALID_ARGS;
    int64_t m = c->month;
    int64_t y = (int64_t)c->year - (m <= 2);
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + c->day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
    /* |days| < 2^40 for any int32 year, so the seconds cannot overflow;
     * only the nanoseconds can. Just above INT64_MIN, secs * 1e9 alone
     * would overflow although the sum fits: borrow one second there. */
    int64_t secs = days * SECS_PER_DAY + c->hour * INT64_C(3600) +
                   c->minute * INT64_C(60) + c->second;
    int64_t frac = c->nanosecond;
    if (secs < 0 && frac > 0) {
        secs += 1;
        frac -= (int64_t)V_NS_PER_SEC;
    }
    int64_t ns;
    if (__builtin_mul_overflow(secs, (int64_t)V_NS_PER_SEC, &ns) ||
        __builtin_add_overflow(ns, frac, &ns))
        return V_ERR_OUT_OF_RANGE;
    *utc_ns = ns;
    return V_OK;
}
