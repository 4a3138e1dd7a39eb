/* The logger value: filtering, clock, argument checks, and that the
 * sink's status reaches the caller. */
#include <string.h>
#include <v/log.h>
#include <v/test.h>

typedef struct capture {
    int calls;
    v_status ret;
    v_log_record last;
} capture;

static v_status capture_write(void *ctx, const v_log_record *rec)
{
    capture *c = ctx;
    c->calls++;
    c->last = *rec;
    return c->ret;
}

static uint64_t fake_now(void *ctx)
{
    uint64_t *t = ctx;
    return (*t)++;
}

static uint64_t bump(int *k)
{
    return (uint64_t)++*k;
}

V_TEST(log, level_names)
{
    V_EXPECT_STR_EQ(v_log_level_name(V_LOG_TRACE), "TRACE");
    V_EXPECT_STR_EQ(v_log_level_name(V_LOG_DEBUG), "DEBUG");
    V_EXPECT_STR_EQ(v_log_level_name(V_LOG_INFO), "INFO");
    V_EXPECT_STR_EQ(v_log_level_name(V_LOG_WARN), "WARN");
    V_EXPECT_STR_EQ(v_log_level_name(V_LOG_ERROR), "ERROR");
    V_EXPECT_STR_EQ(v_log_level_name((v_log_level)5), "?");
    V_EXPECT_STR_EQ(v_log_level_name((v_log_level)-1), "?");
}

V_TEST(log, filters_by_level_and_stamps_time)
{
    capture c = { 0, V_OK, { 0 } };
    uint64_t clock = 100;
    v_logger lg;
    v_logger_init(&lg, (v_log_sink){ capture_write, &c }, "net", V_LOG_WARN,
                  (v_log_clock){ fake_now, &clock });
    V_EXPECT_OK(v_log(&lg, V_LOG_INFO, "dropped", NULL, 0));
    V_EXPECT_OK(v_log(&lg, V_LOG_TRACE, "dropped", NULL, 0));
    V_EXPECT_EQ(c.calls, 0);
    V_EXPECT_EQ(clock, 100); /* the clock is not read for dropped records */
    V_EXPECT(!v_log_enabled(&lg, V_LOG_DEBUG));
    V_EXPECT(v_log_enabled(&lg, V_LOG_WARN));

    v_log_field f[] = { V_LOG_U64("port", 443) };
    V_EXPECT_OK(v_log(&lg, V_LOG_WARN, "kept", f, 1));
    V_EXPECT_EQ(c.calls, 1);
    V_EXPECT_EQ(c.last.time_ns, 100);
    V_EXPECT_EQ(c.last.level, V_LOG_WARN);
    V_EXPECT(v_str_equal(c.last.module, V_STR_LIT("net")));
    V_EXPECT(v_str_equal(c.last.message, V_STR_LIT("kept")));
    V_EXPECT_EQ(c.last.field_count, 1);
    V_EXPECT_PTR_EQ(c.last.fields, f);
    V_EXPECT_OK(v_log(&lg, V_LOG_ERROR, "also", NULL, 0));
    V_EXPECT_EQ(c.last.time_ns, 101);
    V_EXPECT_OK(v_log_at(&lg, 7, V_LOG_ERROR, "at", NULL, 0));
    V_EXPECT_EQ(c.last.time_ns, 7);
    V_EXPECT_EQ(clock, 102);
    V_EXPECT_EQ(c.calls, 3);

    /* No clock: time 0; no module: empty. */
    v_logger_init(&lg, (v_log_sink){ capture_write, &c }, NULL, V_LOG_TRACE,
                  (v_log_clock){ NULL, NULL });
    V_EXPECT_OK(v_log(&lg, V_LOG_TRACE, "t", NULL, 0));
    V_EXPECT_EQ(c.last.time_ns, 0);
    V_EXPECT_EQ(c.last.module.len, 0);
}

V_TEST(log, sink_errors_reach_the_caller)
{
    capture c = { 0, V_ERR_PEER_CLOSED, { 0 } };
    v_logger lg;
    v_logger_init(&lg, (v_log_sink){ capture_write, &c }, "m", V_LOG_INFO,
                  (v_log_clock){ NULL, NULL });
    V_EXPECT_STATUS(v_log(&lg, V_LOG_INFO, "x", NULL, 0), V_ERR_PEER_CLOSED);
    V_EXPECT_STATUS(V_LOG_ERROR(&lg, "y", V_LOG_BOOL("b", true)),
                    V_ERR_PEER_CLOSED);
    /* A dropped record never fails. */
    V_EXPECT_OK(v_log(&lg, V_LOG_DEBUG, "x", NULL, 0));
}

V_TEST(log, rejects_bad_arguments)
{
    capture c = { 0, V_OK, { 0 } };
    v_logger lg;
    v_logger_init(&lg, (v_log_sink){ capture_write, &c }, "m", V_LOG_TRACE,
                  (v_log_clock){ NULL, NULL });
    V_EXPECT_STATUS(v_log(&lg, (v_log_level)5, "x", NULL, 0),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_log(&lg, (v_log_level)-1, "x", NULL, 0),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_log(&lg, V_LOG_INFO, NULL, NULL, 0),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_log(&lg, V_LOG_INFO, "x", NULL, 1),
                    V_ERR_INVALID_ARGS);
    v_log_field f = V_LOG_BOOL(NULL, true);
    V_EXPECT_STATUS(v_log(&lg, V_LOG_INFO, "x", &f, 1), V_ERR_INVALID_ARGS);
    f = V_LOG_BOOL("k", true);
    f.kind = (v_log_kind)99;
    V_EXPECT_STATUS(v_log(&lg, V_LOG_INFO, "x", &f, 1), V_ERR_INVALID_ARGS);
    f = V_LOG_STRN("k", NULL, 3);
    V_EXPECT_STATUS(v_log(&lg, V_LOG_INFO, "x", &f, 1), V_ERR_INVALID_ARGS);
    f = V_LOG_HEX("k", NULL, 3);
    V_EXPECT_STATUS(v_log(&lg, V_LOG_INFO, "x", &f, 1), V_ERR_INVALID_ARGS);
    /* NULL with length 0 is the empty value. */
    f = V_LOG_HEX("k", NULL, 0);
    V_EXPECT_OK(v_log(&lg, V_LOG_INFO, "x", &f, 1));
    static v_log_field many[V_LOG_MAX_FIELDS + 1];
    for (size_t i = 0; i < V_LOG_MAX_FIELDS + 1; i++)
        many[i] = V_LOG_I64("i", (int64_t)i);
    V_EXPECT_OK(v_log(&lg, V_LOG_INFO, "x", many, V_LOG_MAX_FIELDS));
    V_EXPECT_STATUS(v_log(&lg, V_LOG_INFO, "x", many, V_LOG_MAX_FIELDS + 1),
                    V_ERR_LIMIT);
    V_EXPECT_EQ(c.calls, 2);
}

V_TEST(log, macros_skip_disabled_records_entirely)
{
    capture c = { 0, V_OK, { 0 } };
    v_logger lg;
    v_logger_init(&lg, (v_log_sink){ capture_write, &c }, "m", V_LOG_INFO,
                  (v_log_clock){ NULL, NULL });
    int k = 0;
    V_EXPECT_OK(V_LOG_DEBUG(&lg, "no", V_LOG_U64("n", bump(&k))));
    V_EXPECT_OK(V_LOG_TRACE(&lg, "no", V_LOG_U64("n", bump(&k))));
    V_EXPECT_EQ(k, 0);
    V_EXPECT_EQ(c.calls, 0);
    V_EXPECT_OK(V_LOG_INFO(&lg, "yes", V_LOG_U64("n", bump(&k)),
                           V_LOG_STR("s", "v"), V_LOG_I64("i", -1)));
    V_EXPECT_EQ(k, 1);
    V_EXPECT_EQ(c.calls, 1);
    V_EXPECT_EQ(c.last.field_count, 3);
    V_EXPECT_OK(V_LOG_WARN(&lg, "w", V_LOG_BOOL("b", false)));
    V_EXPECT_EQ(c.last.level, V_LOG_WARN);
}

V_TEST(log, loggers_are_independent_values)
{
    capture a = { 0, V_OK, { 0 } }, b = { 0, V_OK, { 0 } };
    v_logger la, lb;
    v_logger_init(&la, (v_log_sink){ capture_write, &a }, "a", V_LOG_INFO,
                  (v_log_clock){ NULL, NULL });
    v_logger_init(&lb, (v_log_sink){ capture_write, &b }, "b", V_LOG_ERROR,
                  (v_log_clock){ NULL, NULL });
    V_EXPECT_OK(v_log(&la, V_LOG_WARN, "x", NULL, 0));
    V_EXPECT_OK(v_log(&lb, V_LOG_WARN, "x", NULL, 0));
    V_EXPECT_EQ(a.calls, 1);
    V_EXPECT_EQ(b.calls, 0);
    /* A copy is another logger: changing it leaves the original alone. */
    v_logger lc = la;
    lc.min_level = V_LOG_ERROR;
    V_EXPECT_OK(v_log(&la, V_LOG_WARN, "x", NULL, 0));
    V_EXPECT_OK(v_log(&lc, V_LOG_WARN, "x", NULL, 0));
    V_EXPECT_EQ(a.calls, 2);
}
