/* logd's bounded history (history.h). */
#include <v/mem.h>

#include "history.h"

void logd_history_init(logd_history *h)
{
    v_mem_set(h, 0, sizeof *h);
}

void logd_history_append(logd_history *h, const vectra_logd_Record *r,
                         uint64_t badge)
{
    uint32_t i;
    if (h->count == LOGD_HISTORY) {
        i = h->head;
        h->head = (h->head + 1) % LOGD_HISTORY;
        h->dropped++;
    } else {
        i = (h->head + h->count) % LOGD_HISTORY;
        h->count++;
    }
    logd_entry *e = &h->e[i];
    e->time_ns = r->time_ns;
    e->seq = h->total++;
    e->badge = badge;
    e->level = (uint8_t)r->level;
    e->service_len = (uint8_t)(r->service.len <= sizeof e->service
                                   ? r->service.len : sizeof e->service);
    e->text_len = (uint8_t)(r->text.len <= sizeof e->text ? r->text.len
                                                           : sizeof e->text);
    v_mem_copy(e->service, r->service.ptr, e->service_len);
    v_mem_copy(e->text, r->text.ptr, e->text_len);
}

static bool matches(const logd_entry *e, const char *service, size_t len)
{
    return service == NULL ||
           (e->service_len == len && v_mem_equal(e->service, service, len));
}

uint32_t logd_history_query(const logd_history *h, const char *service,
                            size_t service_len, uint32_t last,
                            vectra_logd_Record out[LOGD_QUERY_MAX])
{
    if (last == 0 || last > LOGD_QUERY_MAX)
        last = LOGD_QUERY_MAX;
    /* newest first, then reversed so the reply reads in time order */
    uint32_t n = 0;
    for (uint32_t k = h->count; k > 0 && n < last; k--) {
        const logd_entry *e = &h->e[(h->head + k - 1) % LOGD_HISTORY];
        if (!matches(e, service, service_len))
            continue;
        vectra_logd_Record *r = &out[n++];
        v_mem_set(r, 0, sizeof *r);
        r->time_ns = e->time_ns;
        r->level = (vectra_logd_Level)e->level;
        r->service = (v_schema_str){e->service_len ? e->service : NULL,
                                    e->service_len};
        r->text = (v_schema_str){e->text_len ? e->text : NULL, e->text_len};
        r->has_seq = true;
        r->seq = e->seq;
        r->has_badge = true;
        r->badge = e->badge;
    }
    for (uint32_t i = 0; i < n / 2; i++) {
        vectra_logd_Record t = out[i];
        out[i] = out[n - 1 - i];
        out[n - 1 - i] = t;
    }
    return n;
}
