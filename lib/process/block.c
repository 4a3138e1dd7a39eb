/* The start block (docs/process.md): encoding for spawners, validation
 * for the Task that receives it. Both sides apply the same rules
 * (check_spec), so a spawner cannot build a block its child refuses, and
 * the child trusts nothing: every count, length and byte is checked
 * before a pointer is handed out. */
#include <v/mem.h>
#include <v/process.h>
#include <v/text.h>

#define HEADER 24u
#define MAGIC 0x53505856u /* "VXPS" read little-endian */
#define VERSION 1u

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static bool text_ok(const char *s, size_t n)
{
    if (n > V_PROCESS_STR_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\0')
            return false;
    return v_utf8_validate(s, n, NULL) == V_OK;
}

static bool key_char(char c, bool first)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

/* Length of the KEY of "KEY=value", or 0 if the entry is not one. */
static size_t key_len(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && s[k] != '=') {
        if (!key_char(s[k], k == 0))
            return 0;
        k++;
    }
    return k < n ? k : 0;
}

static bool name_ok(const char *s, size_t n)
{
    if (n == 0 || n > VX_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '.' || c == '-'))
            return false;
    }
    return !(n == sizeof V_PROCESS_START_NAME - 1 &&
             v_mem_equal(s, V_PROCESS_START_NAME, n));
}

static bool same_key(const char *a, const char *b)
{
    size_t ka = key_len(a, v_cstr_len(a)), kb = key_len(b, v_cstr_len(b));
    return ka == kb && v_mem_equal(a, b, ka);
}

/* The rules shared by both sides, on NUL-terminated strings. */
static bool check_spec(const v_process_spec *s)
{
    if (s->argc > V_PROCESS_ARGS_MAX || s->envc > V_PROCESS_ENV_MAX ||
        s->namec > V_PROCESS_HANDLES_MAX)
        return false;
    if ((s->argc && !s->argv) || (s->envc && !s->envv) ||
        (s->namec && !s->names))
        return false;
    for (uint32_t i = 0; i < s->argc; i++) {
        if (s->argv[i] == NULL)
            return false;
        size_t n = v_cstr_len(s->argv[i]);
        if (!text_ok(s->argv[i], n))
            return false;
    }
    for (uint32_t i = 0; i < s->envc; i++) {
        if (s->envv[i] == NULL)
            return false;
        size_t n = v_cstr_len(s->envv[i]);
        if (!text_ok(s->envv[i], n) || key_len(s->envv[i], n) == 0)
            return false;
        for (uint32_t j = 0; j < i; j++)
            if (same_key(s->envv[i], s->envv[j]))
                return false;
    }
    for (uint32_t i = 0; i < s->namec; i++) {
        if (s->names[i] == NULL)
            return false;
        size_t n = v_cstr_len(s->names[i]);
        if (n > VX_NAME_MAX || !name_ok(s->names[i], n))
            return false;
        for (uint32_t j = 0; j < i; j++)
            if (v_cstr_compare(s->names[i], s->names[j]) == 0)
                return false;
    }
    return true;
}

v_status v_process_encode(const v_process_spec *s, void *buf, size_t cap,
                          size_t *len)
{
    if (s == NULL || len == NULL || (buf == NULL && cap > 0))
        return V_ERR_INVALID_ARGS;
    if (!check_spec(s))
        return V_ERR_INVALID_ARGS;
    const char *const *lists[3] = {s->argv, s->envv, s->names};
    uint32_t counts[3] = {s->argc, s->envc, s->namec};
    size_t need = HEADER;
    for (int l = 0; l < 3; l++)
        for (uint32_t i = 0; i < counts[l]; i++)
            need += 4 + v_cstr_len(lists[l][i]) + 1;
    *len = need;
    if (need > V_PROCESS_START_MAX)
        return V_ERR_INVALID_ARGS; /* the child would refuse it */
    if (cap < need)
        return V_ERR_TRUNCATED;
    uint8_t *o = buf;
    put32(o, MAGIC);
    put32(o + 4, VERSION);
    put32(o + 8, (uint32_t)need);
    put32(o + 12, s->argc);
    put32(o + 16, s->envc);
    put32(o + 20, s->namec);
    size_t at = HEADER;
    for (int l = 0; l < 3; l++) {
        for (uint32_t i = 0; i < counts[l]; i++) {
            uint32_t n = (uint32_t)v_cstr_len(lists[l][i]);
            put32(o + at, n);
            v_mem_copy(o + at + 4, lists[l][i], n);
            o[at + 4 + n] = 0;
            at += 4 + (size_t)n + 1;
        }
    }
    return V_OK;
}

/* Reads one string at *at of block[total]: a length, the bytes, a NUL. */
static const char *take(const uint8_t *b, size_t total, size_t *at)
{
    if (total - *at < 4)
        return NULL;
    uint32_t n = get32(b + *at);
    if (n > V_PROCESS_STR_MAX || total - *at - 4 < (size_t)n + 1)
        return NULL;
    const char *s = (const char *)b + *at + 4;
    /* Exactly one NUL, at the end: the rules below see C strings, so an
     * inner NUL would hide the bytes after it from them. */
    for (uint32_t i = 0; i < n; i++)
        if (s[i] == '\0')
            return NULL;
    if (s[n] != '\0')
        return NULL;
    *at += 4 + (size_t)n + 1;
    return s;
}

v_status v_process_decode(v_process *p, const void *block, size_t len)
{
    if (p == NULL || block == NULL)
        return V_ERR_INVALID_ARGS;
    v_mem_set(p, 0, sizeof *p);
    const uint8_t *b = block;
    if (len < HEADER || get32(b) != MAGIC || get32(b + 4) != VERSION)
        return V_ERR_MALFORMED;
    uint32_t total = get32(b + 8);
    uint32_t argc = get32(b + 12), envc = get32(b + 16),
             namec = get32(b + 20);
    if (total < HEADER || total > len || total > V_PROCESS_START_MAX ||
        argc > V_PROCESS_ARGS_MAX || envc > V_PROCESS_ENV_MAX ||
        namec > V_PROCESS_HANDLES_MAX)
        return V_ERR_MALFORMED;
    v_process q;
    v_mem_set(&q, 0, sizeof q);
    const char **lists[3] = {q.argv, q.envv, q.handle_names};
    uint32_t counts[3] = {argc, envc, namec};
    size_t at = HEADER;
    for (int l = 0; l < 3; l++) {
        for (uint32_t i = 0; i < counts[l]; i++) {
            lists[l][i] = take(b, total, &at);
            if (lists[l][i] == NULL)
                return V_ERR_MALFORMED;
        }
    }
    if (at != total)
        return V_ERR_MALFORMED; /* bytes no string accounts for */
    q.argc = argc;
    q.envc = envc;
    q.handle_count = namec;
    v_process_spec s = {argc, q.argv, envc, q.envv, namec, q.handle_names};
    if (!check_spec(&s))
        return V_ERR_MALFORMED;
    *p = q;
    return V_OK;
}

const char *v_process_env(const v_process *p, const char *key)
{
    if (p == NULL || key == NULL)
        return NULL;
    if (key[0] == '\0')
        return NULL;
    for (uint32_t i = 0; i < p->envc && i < V_PROCESS_ENV_MAX; i++) {
        const char *e = p->envv[i];
        if (e == NULL)
            continue;
        size_t k = 0;
        while (key[k] != '\0' && e[k] == key[k])
            k++; /* stops at e's NUL too: key has none inside */
        if (key[k] == '\0' && e[k] == '=')
            return e + k + 1;
    }
    return NULL;
}
