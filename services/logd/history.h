/* logd's history: a bounded ring of records; appending to a full ring
 * drops the oldest and counts it, so a reader always learns how much it
 * is not seeing. Plain memory, no substrate: tested on its own. */
#ifndef LOGD_HISTORY_H
#define LOGD_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logd_protocol.h"

#define LOGD_HISTORY 256u
#define LOGD_QUERY_MAX 12u

typedef struct logd_entry {
    uint64_t time_ns;
    uint64_t seq;
    uint64_t badge;
    uint8_t level;
    uint8_t service_len;
    uint8_t text_len;
    char service[31];
    char text[200];
} logd_entry;

typedef struct logd_history {
    logd_entry e[LOGD_HISTORY];
    uint32_t head;      /* index of the oldest */
    uint32_t count;
    uint64_t total;     /* appended since start */
    uint64_t dropped;   /* pushed out by newer records */
} logd_history;

void logd_history_init(logd_history *h);
/* Stores a validated record (strings within their schema maxima). */
void logd_history_append(logd_history *h, const vectra_logd_Record *r,
                         uint64_t badge);
/* Up to `last` (1..LOGD_QUERY_MAX) newest records whose service equals
 * `service` (all if NULL), written oldest first into out[]; returns how
 * many. The Records point into the history. */
uint32_t logd_history_query(const logd_history *h, const char *service,
                            size_t service_len, uint32_t last,
                            vectra_logd_Record out[LOGD_QUERY_MAX]);

#endif
