/* The text and JSON sinks: exact output bytes, escaping, and writer
 * failures at every position and short writes of every size. */
#include <string.h>
#include <v/log.h>
#include <v/test.h>
#include "../../io/tests/fault.h"

typedef v_status (*format_fn)(const v_writer *, const v_log_record *);

/* Formats rec into out (NUL-terminated) through a fixed writer. */
static v_status format(format_fn fn, const v_log_record *rec, char *out,
                       size_t cap)
{
    v_io_fixed_writer f;
    v_io_fixed_writer_init(&f, out, cap - 1);
    v_writer w = v_io_fixed_writer_as_writer(&f);
    v_status s = fn(&w, rec);
    out[f.len] = '\0';
    return s;
}

static const uint8_t two[] = { 0x00, 0xff };

static v_log_record sample(const v_log_field *fields, size_t n)
{
    return (v_log_record){
        .time_ns = 1234567890123u,
        .level = V_LOG_INFO,
        .module = V_STR_LIT("net"),
        .message = V_STR_LIT("connected"),
        .fields = fields,
        .field_count = n,
    };
}

V_TEST(log, text_exact_output)
{
    v_log_field f[] = {
        V_LOG_STR("peer", "host-1"), V_LOG_U64("port", 443),
        V_LOG_BOOL("ok", true),      V_LOG_I64("delta", -5),
        V_LOG_STR("empty", ""),      V_LOG_HEX("h", two, 2),
        V_LOG_HEX("none", NULL, 0),  V_LOG_BOOL("no", false),
    };
    v_log_record r = sample(f, 8);
    char out[512];
    V_ASSERT_OK(format(v_log_write_text, &r, out, sizeof out));
    V_EXPECT_STR_EQ(out, "1234.567890123 INFO net: connected peer=host-1 "
                         "port=443 ok=true delta=-5 empty=\"\" h=00ff "
                         "none=\"\" no=false\n");
    r = (v_log_record){ .level = V_LOG_WARN, .message = V_STR_LIT("m") };
    V_ASSERT_OK(format(v_log_write_text, &r, out, sizeof out));
    V_EXPECT_STR_EQ(out, "0.000000000 WARN m\n");
    r.time_ns = UINT64_MAX;
    r.level = V_LOG_ERROR;
    V_ASSERT_OK(format(v_log_write_text, &r, out, sizeof out));
    V_EXPECT_STR_EQ(out, "18446744073.709551615 ERROR m\n");
    v_log_field ext[] = { V_LOG_I64("min", INT64_MIN),
                          V_LOG_I64("max", INT64_MAX),
                          V_LOG_U64("u", UINT64_MAX), V_LOG_U64("z", 0) };
    r = sample(ext, 4);
    r.level = V_LOG_TRACE;
    r.time_ns = 5;
    V_ASSERT_OK(format(v_log_write_text, &r, out, sizeof out));
    V_EXPECT_STR_EQ(out, "0.000000005 TRACE net: connected "
                         "min=-9223372036854775808 max=9223372036854775807 "
                         "u=18446744073709551615 z=0\n");
}

V_TEST(log, text_escaping)
{
    v_log_field f[] = {
        V_LOG_STR("sp", "hello world"),
        V_LOG_STR("q", "say \"hi\""),
        V_LOG_STR("eq", "a=b"),
        V_LOG_STR("bs", "c:\\d"),
        V_LOG_STR("ctl", "l1\nl2\r\t\x01\x7f"),
        V_LOG_STR("utf8", "h\xc3\xa9llo\xe2\x82\xac"),
        V_LOG_STR("bad", "a\xff" "b"),
        V_LOG_STRN("nul", "x\0y", 3),
        V_LOG_STR("a b=\"c\"\n", "k"),
    };
    v_log_record r = sample(f, sizeof f / sizeof f[0]);
    r.module = V_STR_LIT("mo\ndule");
    r.message = V_STR_LIT("line1\nline2 \\ \"q\" \xc3\xa9\xc3");
    char out[1024];
    V_ASSERT_OK(format(v_log_write_text, &r, out, sizeof out));
    V_EXPECT_STR_EQ(out,
        "1234.567890123 INFO mo\\ndule: line1\\nline2 \\\\ \"q\" \xc3\xa9\\xc3"
        " sp=\"hello world\" q=\"say \\\"hi\\\"\" eq=\"a=b\""
        " bs=\"c:\\\\d\" ctl=\"l1\\nl2\\r\\t\\x01\\x7f\""
        " utf8=h\xc3\xa9llo\xe2\x82\xac bad=\"a\\xffb\" nul=\"x\\x00y\""
        " a\\x20b\\x3d\\x22c\\x22\\n=k\n");
}

V_TEST(log, json_exact_output)
{
    v_log_field f[] = {
        V_LOG_STR("peer", "host-1"), V_LOG_U64("port", 443),
        V_LOG_BOOL("ok", true),      V_LOG_I64("delta", -5),
        V_LOG_HEX("h", two, 2),      V_LOG_HEX("none", NULL, 0),
        V_LOG_I64("min", INT64_MIN), V_LOG_U64("u", UINT64_MAX),
        V_LOG_BOOL("no", false),
    };
    v_log_record r = sample(f, sizeof f / sizeof f[0]);
    r.level = V_LOG_DEBUG;
    char out[512];
    V_ASSERT_OK(format(v_log_write_json, &r, out, sizeof out));
    V_EXPECT_STR_EQ(out,
        "{\"time_ns\":1234567890123,\"level\":\"DEBUG\",\"module\":\"net\","
        "\"msg\":\"connected\",\"fields\":{\"peer\":\"host-1\",\"port\":443,"
        "\"ok\":true,\"delta\":-5,\"h\":\"00ff\",\"none\":\"\","
        "\"min\":-9223372036854775808,\"u\":18446744073709551615,"
        "\"no\":false}}\n");
    r = (v_log_record){ .level = V_LOG_ERROR, .message = V_STR_LIT("") };
    V_ASSERT_OK(format(v_log_write_json, &r, out, sizeof out));
    V_EXPECT_STR_EQ(out, "{\"time_ns\":0,\"level\":\"ERROR\",\"module\":\"\","
                         "\"msg\":\"\",\"fields\":{}}\n");
}

V_TEST(log, json_escaping_and_replacement)
{
    v_log_field f[] = {
        V_LOG_STRN("ctl", "\"\\\b\f\n\r\t\x01\x1f\x7f/", 11),
        V_LOG_STRN("nul", "a\0b", 3),
        V_LOG_STR("utf8", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
        V_LOG_STR("bad", "a\xff" "b\xe6\x97" "c"),
        V_LOG_STR("surrogate", "\xed\xa0\x80"),
        V_LOG_STR("overlong", "\xc0\xaf"),
        V_LOG_STR("cut", "z\xf0\x9f\x98"),
        V_LOG_STR("k\"\n\xff", "v"),
    };
    v_log_record r = sample(f, sizeof f / sizeof f[0]);
    r.module = V_STR_LIT("m\"");
    r.message = V_STR_LIT("\xff\n");
    char out[1024];
    V_ASSERT_OK(format(v_log_write_json, &r, out, sizeof out));
    V_EXPECT_STR_EQ(out,
        "{\"time_ns\":1234567890123,\"level\":\"INFO\",\"module\":\"m\\\"\","
        "\"msg\":\"\\ufffd\\n\",\"fields\":{"
        "\"ctl\":\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\x7f/\","
        "\"nul\":\"a\\u0000b\","
        "\"utf8\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
        "\"bad\":\"a\\ufffdb\\ufffdc\","
        "\"surrogate\":\"\\ufffd\\ufffd\\ufffd\","
        "\"overlong\":\"\\ufffd\\ufffd\","
        "\"cut\":\"z\\ufffd\","
        "\"k\\\"\\n\\ufffd\":\"v\"}}\n");
}

/* A record longer than the sinks' internal buffer, with every writer
 * behaviour: each chunk size gives the same bytes; each failure point
 * gives that error and a prefix of the same bytes. */
static void check_writer_faults(v_test_ctx *v_t, format_fn fn)
{
    static char big[700];
    memset(big, 'm', sizeof big - 1);
    v_log_field f[] = { V_LOG_STR("s", big), V_LOG_HEX("h", big, 100),
                        V_LOG_STR("q", "a b\n") };
    v_log_record r = sample(f, 3);
    r.message = V_STR_LIT("message \"with\" escapes\n");
    static char want[4096];
    V_ASSERT_OK(format(fn, &r, want, sizeof want));
    size_t len = strlen(want);
    V_ASSERT(len > 2 * 256 && len < sizeof(((fault_writer *)0)->out));
    for (size_t chunk = 1; chunk <= 300; chunk += (chunk < 20 ? 1 : 37)) {
        fault_writer fw;
        v_writer w = fault_writer_make(&fw, chunk, FAULT_NEVER, V_OK);
        V_ASSERT_OK(fn(&w, &r));
        V_ASSERT_EQ(fw.len, len);
        V_ASSERT(memcmp(fw.out, want, len) == 0);
    }
    for (size_t at = 0; at < len; at++) {
        fault_writer fw;
        v_writer w = fault_writer_make(&fw, 64, at, V_ERR_IO);
        V_ASSERT_STATUS(fn(&w, &r), V_ERR_IO);
        V_ASSERT_EQ(fw.len, at);
        V_ASSERT(memcmp(fw.out, want, at) == 0);
        /* The writer was not called again after it failed. */
        V_ASSERT_EQ(fw.calls, (at + 63) / 64 + 1);
    }
    /* A fixed buffer that is too small: TRUNCATED, longest prefix kept. */
    char small[100];
    V_EXPECT_STATUS(format(fn, &r, small, sizeof small), V_ERR_TRUNCATED);
    V_EXPECT(memcmp(small, want, sizeof small - 1) == 0);
}

V_TEST(log, text_sink_writer_faults)
{
    check_writer_faults(v_t, v_log_write_text);
}

V_TEST(log, json_sink_writer_faults)
{
    check_writer_faults(v_t, v_log_write_json);
}

V_TEST(log, sinks_through_a_logger_and_buffered_writer)
{
    fault_writer fw;
    v_writer dst = fault_writer_make(&fw, 1000, FAULT_NEVER, V_OK);
    char store[64];
    v_io_buf_writer bw;
    V_ASSERT_OK(v_io_buf_writer_init(&bw, dst, store, sizeof store));
    v_writer w = v_io_buf_writer_as_writer(&bw);
    v_logger text, json;
    v_logger_init(&text, v_log_text_sink(&w), "app", V_LOG_INFO,
                  (v_log_clock){ NULL, NULL });
    v_logger_init(&json, v_log_json_sink(&w), "app", V_LOG_INFO,
                  (v_log_clock){ NULL, NULL });
    V_EXPECT_OK(V_LOG_INFO(&text, "start", V_LOG_U64("pid", 7)));
    V_EXPECT_OK(V_LOG_DEBUG(&text, "hidden", V_LOG_U64("pid", 7)));
    V_EXPECT_OK(v_log_at(&json, 2000000001, V_LOG_WARN, "slow", NULL, 0));
    V_EXPECT_OK(v_io_buf_writer_flush(&bw));
    const char want[] =
        "0.000000000 INFO app: start pid=7\n"
        "{\"time_ns\":2000000001,\"level\":\"WARN\",\"module\":\"app\","
        "\"msg\":\"slow\",\"fields\":{}}\n";
    V_EXPECT_EQ(fw.len, sizeof want - 1);
    V_EXPECT_MEM_EQ(fw.out, want, sizeof want - 1);
    /* Once the writer fails, the logger reports it. */
    fw.fail_at = fw.len;
    fw.fail_status = V_ERR_PEER_CLOSED;
    v_status s = V_OK;
    for (int i = 0; i < 10 && s == V_OK; i++)
        s = V_LOG_ERROR(&text, "lost?", V_LOG_I64("i", i));
    V_EXPECT_STATUS(s, V_ERR_PEER_CLOSED);
    V_EXPECT_STATUS(v_log(&text, V_LOG_ERROR, "again", NULL, 0),
                    V_ERR_PEER_CLOSED);
}
