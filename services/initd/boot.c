/* Reading the boot Bundle. The Region initd is given may still be
 * writable by its spawner, so initd first copies it into a Region of its
 * own and verifies the copy: bytes cannot change after they were checked
 * (docs/bundle.md, "Verifying" 6). Then: the manifest signature against
 * the key compiled into initd (nothing starts if it fails), and for each
 * service the BLAKE3 hash of its manifest entry and of its image. A
 * tampered entry refuses that one service, with one log line; the others
 * still start. */
#include <v/mem.h>
#include <v/text.h>

#include "boot_key.h"
#include "initd.h"

#define PAGE VX_PAGE_SIZE

static v_status copy_boot(initd *d, vx_region boot)
{
    uint64_t size = 0;
    v_status st = (v_status)vx_region_size(boot, &size);
    if (st != V_OK)
        return st;
    /* The kernel's boot Region has the module's exact length, which need
     * not be whole pages; a Region of initd's own must be. */
    uint64_t pages = (size + PAGE - 1) / PAGE * PAGE;
    vx_region mine;
    if (size == 0 || pages < size)
        return V_ERR_INVALID_ARGS;
    if ((st = (v_status)vx_region_create(pages, &mine)) != V_OK)
        return st;
    void *map = NULL;
    st = (v_status)vx_region_map(mine, 0, pages, VX_PROT_READ | VX_PROT_WRITE,
                                 &map);
    if (st == V_OK)
        st = (v_status)vx_region_read(boot, 0, map, size);
    (void)!vx_handle_close(mine.h); /* the mapping keeps it */
    (void)!vx_handle_close(boot.h);
    if (st != V_OK)
        return st;
    d->bundle_map = map;
    d->bundle_len = size;
    return V_OK;
}

/* A Bundle is page-aligned: its length is in the header, the Region may be
 * longer (a file rounded up to pages). */
static uint64_t bundle_length(const uint8_t *p, uint64_t max)
{
    if (max < V_BUNDLE_HEADER_LEN)
        return max;
    uint64_t n = 0;
    for (int i = 7; i >= 0; i--)
        n = (n << 8) | p[40 + i];
    return n <= max ? n : max;
}

static bool str_eq(v_schema_str s, const char *c, size_t n)
{
    return s.len == n && v_mem_equal(s.ptr, c, n);
}

static v_status load_image(initd *d, initd_svc *s)
{
    v_bundle_entry e;
    v_bundle_reason why = V_BUNDLE_REASON_NONE;
    v_status st = v_bundle_find(&d->bundle, s->m->image.ptr, s->m->image.len,
                                &e, &why);
    if (st != V_OK) {
        initd_log(d, V_SERVICE_ERROR,
                  "refusing service '%s': image '%.*s' is not in the boot "
                  "bundle", s->name, (int)s->m->image.len, s->m->image.ptr);
        return st;
    }
    if ((st = v_bundle_entry_verify(&e, &why)) != V_OK) {
        initd_log(d, V_SERVICE_ERROR,
                  "refusing service '%s': image '%.*s' fails verification: "
                  "%s", s->name, (int)e.name_len, e.name,
                  v_bundle_reason_text(why));
        return st;
    }
    uint64_t size = (e.size + PAGE - 1) / PAGE * PAGE;
    if (size == 0)
        size = PAGE;
    if ((st = (v_status)vx_region_create(size, &s->image)) != V_OK)
        return st;
    st = (v_status)vx_region_write(s->image, 0, e.data, e.size);
    if (st != V_OK) {
        (void)!vx_handle_close(s->image.h);
        s->image.h.value = 0;
    }
    return st;
}

/* Checks a manifest's fields beyond what its schema says. */
static const char *manifest_problem(const vectra_service_Manifest *m,
                                    const char *name, size_t nlen)
{
    if (!str_eq(m->name, name, nlen))
        return "its name differs from its entry name";
    if (m->backoff_min_ms == 0 || m->backoff_max_ms < m->backoff_min_ms)
        return "backoff bounds are not 0 < min <= max";
    if (m->give_up_restarts == 0 || m->give_up_window_ms == 0)
        return "give-up threshold and window must be positive";
    if (m->quota_bytes == 0 || m->handle_limit < 20)
        return "quota must be positive and handle_limit at least 20";
    if (m->has_inbox &&
        (m->inbox.slot_size == 0 || m->inbox.slot_size > 4096 ||
         m->inbox.slot_count == 0 || m->inbox.slot_count > 4096 ||
         (m->inbox.slot_count & (m->inbox.slot_count - 1)) != 0))
        return "inbox slot size or count out of range";
    for (size_t i = 0; i < m->footprint.count; i++) {
        const vectra_service_Grant *g = &m->footprint.items[i];
        if (g->name.len == 0 || str_eq(g->name, "inbox", 5))
            return "a grant has an empty or reserved name";
        if ((g->kind == VECTRA_SERVICE_GRANTKIND_INBOX ||
             g->kind == VECTRA_SERVICE_GRANTKIND_ENTRY ||
             g->kind == VECTRA_SERVICE_GRANTKIND_HELD) && !g->has_target)
            return "an inbox, entry or held grant has no target";
        if (g->kind == VECTRA_SERVICE_GRANTKIND_HELD &&
            (g->target.len > 31 || str_eq(g->target, "boot.bundle", 11) ||
             str_eq(g->target, "control", 7) ||
             str_eq(g->target, "control.tx", 10)))
            return "a held grant names a reserved or too long handle";
        if (g->kind == VECTRA_SERVICE_GRANTKIND_REGION &&
            (!g->has_size || g->size == 0 || g->size % PAGE != 0))
            return "a region grant needs a size in whole pages";
    }
    return NULL;
}

static void add_service(initd *d, const v_bundle_entry *e)
{
    /* svc/<name>.json */
    const char *name = e->name + 4;
    size_t nlen = e->name_len - 4 - 5;
    if (d->count >= INITD_SERVICES_MAX) {
        initd_log(d, V_SERVICE_ERROR, "refusing '%.*s': more than %u services",
                  (int)e->name_len, e->name, INITD_SERVICES_MAX);
        return;
    }
    initd_svc *s = &d->svc[d->count];
    v_mem_set(s, 0, sizeof *s);
    s->owner = d;
    if (nlen == 0 || nlen > 31)
        return;
    v_mem_copy(s->name, name, nlen);
    s->state = VECTRA_INITD_STATE_REFUSED;
    d->count++;

    v_bundle_reason why = V_BUNDLE_REASON_NONE;
    if (v_bundle_entry_verify(e, &why) != V_OK) {
        initd_log(d, V_SERVICE_ERROR,
                  "refusing service '%s': manifest '%.*s' fails "
                  "verification: %s", s->name, (int)e->name_len, e->name,
                  v_bundle_reason_text(why));
        return;
    }
    vectra_service_Manifest *m = NULL;
    v_status st = v_alloc_bytes(&d->manifests.base, sizeof *m, 16,
                                (void **)&m);
    v_encoding_error err = {0};
    if (st == V_OK)
        st = vectra_service_Manifest_decode_json(e->data, e->size, 0,
                                                 &d->manifests.base, m, &err);
    if (st != V_OK) {
        initd_log(d, V_SERVICE_ERROR,
                  "refusing service '%s': manifest is malformed at byte %zu",
                  s->name, (size_t)err.offset);
        return;
    }
    const char *problem = manifest_problem(m, name, nlen);
    if (problem != NULL) {
        initd_log(d, V_SERVICE_ERROR, "refusing service '%s': %s", s->name,
                  problem);
        return;
    }
    s->m = m;
    if (load_image(d, s) != V_OK)
        return;
    s->state = VECTRA_INITD_STATE_STOPPED;
}

static v_status make_inbox(initd_svc *s)
{
    const vectra_service_Manifest *m = s->m;
    if (!m->has_inbox)
        return V_OK;
    vx_ring_params p = {m->inbox.slot_size, m->inbox.slot_count,
                        m->inbox.schema_id};
    v_status st = (v_status)vx_ring_create(&p, &s->inbox_tx, &s->inbox_rx);
    if (st == V_OK)
        s->has_inbox = true;
    return st;
}

/* Start order: `order`, then name. Insertion sort: a handful of entries. */
static void sort_order(initd *d)
{
    for (uint32_t i = 0; i < d->count; i++)
        d->order[i] = i;
    for (uint32_t i = 1; i < d->count; i++) {
        uint32_t x = d->order[i], j = i;
        for (; j > 0; j--) {
            const initd_svc *a = &d->svc[d->order[j - 1]], *b = &d->svc[x];
            uint32_t oa = a->m != NULL ? a->m->order : UINT32_MAX;
            uint32_t ob = b->m != NULL ? b->m->order : UINT32_MAX;
            if (oa < ob ||
                (oa == ob && v_cstr_compare(a->name, b->name) <= 0))
                break;
            d->order[j] = d->order[j - 1];
        }
        d->order[j] = x;
    }
}

v_status initd_boot(initd *d, vx_region boot)
{
    v_status st = v_arena_init(&d->manifests, d->manifest_mem,
                               sizeof d->manifest_mem);
    if (st != V_OK)
        return st;
    if ((st = copy_boot(d, boot)) != V_OK) {
        initd_log(d, V_SERVICE_ERROR, "cannot read the boot bundle (%d)",
                  (int)st);
        return st;
    }
    v_bundle_reason why = V_BUNDLE_REASON_NONE;
    uint64_t len = bundle_length(d->bundle_map, d->bundle_len);
    st = v_bundle_open(&d->bundle, d->bundle_map, len, initd_boot_key, &why);
    if (st != V_OK) {
        initd_log(d, V_SERVICE_ERROR,
                  "refusing the boot bundle: %s; starting nothing",
                  v_bundle_reason_text(why));
        return st;
    }
    for (uint32_t i = 0; i < d->bundle.count; i++) {
        v_bundle_entry e;
        if (v_bundle_entry_at(&d->bundle, i, &e) != V_OK)
            continue;
        if (e.name_len > 9 && v_mem_equal(e.name, "svc/", 4) &&
            v_mem_equal(e.name + e.name_len - 5, ".json", 5))
            add_service(d, &e);
    }
    for (uint32_t i = 0; i < d->count; i++) {
        initd_svc *s = &d->svc[i];
        if (s->m != NULL && make_inbox(s) != V_OK) {
            initd_log(d, V_SERVICE_ERROR,
                      "refusing service '%s': cannot create its inbox",
                      s->name);
            s->state = VECTRA_INITD_STATE_REFUSED;
        }
    }
    sort_order(d);
    return V_OK;
}
