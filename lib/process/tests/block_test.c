/* The start block codec and the exit code table: round trips, every rule
 * both sides enforce, and every way a received block can be malformed
 * (each truncation, each byte changed, counts, lengths, terminators). */
#include <v/mem.h>
#include <v/process.h>
#include <v/test.h>

static const char *const args3[] = {"first", "", "\303\274nic\303\266de"};
static const char *const env2[] = {"MODE=fast", "HOME=/x=y"};
static const char *const names2[] = {"out", "data.0"};

static v_process_spec spec3(void)
{
    v_process_spec s = {3, args3, 2, env2, 2, names2};
    return s;
}

V_TEST(process, block_round_trip)
{
    v_process_spec s = spec3();
    uint8_t buf[512];
    size_t len = 0;
    V_ASSERT_OK(v_process_encode(&s, buf, sizeof buf, &len));
    /* header 24, then 4 + n + 1 per string */
    V_EXPECT_EQ(len, 24u + (4 + 5 + 1) + (4 + 0 + 1) + (4 + 9 + 1) +
                         (4 + 9 + 1) + (4 + 9 + 1) + (4 + 3 + 1) +
                         (4 + 6 + 1));
    v_process p;
    V_ASSERT_OK(v_process_decode(&p, buf, len));
    V_EXPECT_EQ(p.argc, 3u);
    V_EXPECT_STR_EQ(p.argv[0], "first");
    V_EXPECT_STR_EQ(p.argv[1], "");
    V_EXPECT_STR_EQ(p.argv[2], args3[2]);
    V_EXPECT_EQ(p.envc, 2u);
    V_EXPECT_STR_EQ(p.envv[1], "HOME=/x=y");
    V_EXPECT_EQ(p.handle_count, 2u);
    V_EXPECT_STR_EQ(p.handle_names[0], "out");
    V_EXPECT_STR_EQ(p.handle_names[1], "data.0");
    V_EXPECT_NULL(p.map);
    V_EXPECT_STR_EQ(v_process_env(&p, "MODE"), "fast");
    V_EXPECT_STR_EQ(v_process_env(&p, "HOME"), "/x=y");
    V_EXPECT_NULL(v_process_env(&p, "MOD"));
    V_EXPECT_NULL(v_process_env(&p, "MODEX"));
    V_EXPECT_NULL(v_process_env(&p, ""));
    V_EXPECT_NULL(v_process_env(&p, NULL));
    V_EXPECT_NULL(v_process_env(NULL, "MODE"));
    /* Bytes after the recorded size are not the block's. */
    V_ASSERT_OK(v_process_decode(&p, buf, sizeof buf));
    V_EXPECT_EQ(p.argc, 3u);
    /* Empty: just a header. */
    v_process_spec e = {0};
    V_ASSERT_OK(v_process_encode(&e, buf, sizeof buf, &len));
    V_EXPECT_EQ(len, 24u);
    V_ASSERT_OK(v_process_decode(&p, buf, len));
    V_EXPECT_EQ(p.argc + p.envc + p.handle_count, 0u);
}

V_TEST(process, encode_reports_size_and_truncation)
{
    v_process_spec s = spec3();
    size_t need = 0, len = 0;
    V_EXPECT_STATUS(v_process_encode(&s, NULL, 0, &need), V_ERR_TRUNCATED);
    uint8_t buf[512];
    V_EXPECT_STATUS(v_process_encode(&s, buf, need - 1, &len),
                    V_ERR_TRUNCATED);
    V_EXPECT_EQ(len, need);
    V_EXPECT_OK(v_process_encode(&s, buf, need, &len));
    V_EXPECT_STATUS(v_process_encode(NULL, buf, 1, &len), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_process_encode(&s, buf, 1, NULL), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_process_encode(&s, NULL, 1, &len), V_ERR_INVALID_ARGS);
}

static v_status encode_one(uint32_t which, const char *str)
{
    const char *list[1] = {str};
    v_process_spec s = {0};
    if (which == 0) {
        s.argc = 1;
        s.argv = list;
    } else if (which == 1) {
        s.envc = 1;
        s.envv = list;
    } else {
        s.namec = 1;
        s.names = list;
    }
    uint8_t buf[8192];
    size_t len;
    return v_process_encode(&s, buf, sizeof buf, &len);
}

V_TEST(process, encode_refuses_what_a_child_would)
{
    V_EXPECT_OK(encode_one(0, "any text"));
    V_EXPECT_STATUS(encode_one(0, "\xff"), V_ERR_INVALID_ARGS); /* UTF-8 */
    V_EXPECT_STATUS(encode_one(0, "\xc3"), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(encode_one(0, NULL), V_ERR_INVALID_ARGS);
    static char longest[V_PROCESS_STR_MAX + 2];
    v_mem_set(longest, 'x', V_PROCESS_STR_MAX);
    V_EXPECT_OK(encode_one(0, longest));
    longest[V_PROCESS_STR_MAX] = 'x';
    V_EXPECT_STATUS(encode_one(0, longest), V_ERR_INVALID_ARGS);
    /* Environment: KEY=value, KEY of [A-Za-z_][A-Za-z0-9_]*. */
    V_EXPECT_OK(encode_one(1, "A_1="));
    V_EXPECT_OK(encode_one(1, "_x=1"));
    V_EXPECT_STATUS(encode_one(1, "NOEQUALS"), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(encode_one(1, "=v"), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(encode_one(1, "1A=v"), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(encode_one(1, "A-B=v"), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(encode_one(1, "A B=v"), V_ERR_INVALID_ARGS);
    /* Names: substrate handle names, not the reserved one. */
    V_EXPECT_OK(encode_one(2, "a-b_c.9"));
    V_EXPECT_STATUS(encode_one(2, ""), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(encode_one(2, "Upper"), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(encode_one(2, "a/b"), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(encode_one(2, V_PROCESS_START_NAME), V_ERR_INVALID_ARGS);
    V_EXPECT_OK(encode_one(2, "abcdefghijklmnopqrstuvwxyz01234")); /* 31 */
    V_EXPECT_STATUS(encode_one(2, "abcdefghijklmnopqrstuvwxyz012345"),
                    V_ERR_INVALID_ARGS);
    /* Repeats. */
    const char *dup_env[] = {"A=1", "B=2", "A=3"};
    const char *dup_names[] = {"x", "y", "x"};
    v_process_spec s = {0, NULL, 3, dup_env, 0, NULL};
    uint8_t buf[256];
    size_t len;
    V_EXPECT_STATUS(v_process_encode(&s, buf, sizeof buf, &len),
                    V_ERR_INVALID_ARGS);
    s = (v_process_spec){0, NULL, 0, NULL, 3, dup_names};
    V_EXPECT_STATUS(v_process_encode(&s, buf, sizeof buf, &len),
                    V_ERR_INVALID_ARGS);
    /* Counts and NULL arrays. */
    s = (v_process_spec){V_PROCESS_ARGS_MAX + 1, args3, 0, NULL, 0, NULL};
    V_EXPECT_STATUS(v_process_encode(&s, buf, sizeof buf, &len),
                    V_ERR_INVALID_ARGS);
    s = (v_process_spec){0, NULL, V_PROCESS_ENV_MAX + 1, env2, 0, NULL};
    V_EXPECT_STATUS(v_process_encode(&s, buf, sizeof buf, &len),
                    V_ERR_INVALID_ARGS);
    s = (v_process_spec){0, NULL, 0, NULL, V_PROCESS_HANDLES_MAX + 1, names2};
    V_EXPECT_STATUS(v_process_encode(&s, buf, sizeof buf, &len),
                    V_ERR_INVALID_ARGS);
    s = (v_process_spec){1, NULL, 0, NULL, 0, NULL};
    V_EXPECT_STATUS(v_process_encode(&s, buf, sizeof buf, &len),
                    V_ERR_INVALID_ARGS);
    s = (v_process_spec){0, NULL, 1, NULL, 0, NULL};
    V_EXPECT_STATUS(v_process_encode(&s, buf, sizeof buf, &len),
                    V_ERR_INVALID_ARGS);
    s = (v_process_spec){0, NULL, 0, NULL, 1, NULL};
    V_EXPECT_STATUS(v_process_encode(&s, buf, sizeof buf, &len),
                    V_ERR_INVALID_ARGS);
}

V_TEST(process, the_largest_spec_fits_the_maximum_block)
{
    static char big[V_PROCESS_STR_MAX + 1];
    v_mem_set(big, 'b', V_PROCESS_STR_MAX);
    const char *many[V_PROCESS_ARGS_MAX];
    for (uint32_t i = 0; i < V_PROCESS_ARGS_MAX; i++)
        many[i] = big;
    static char envs[V_PROCESS_ENV_MAX][V_PROCESS_STR_MAX + 1];
    const char *ev[V_PROCESS_ENV_MAX];
    for (uint32_t i = 0; i < V_PROCESS_ENV_MAX; i++) {
        v_mem_set(envs[i], 'v', V_PROCESS_STR_MAX);
        envs[i][0] = 'K';
        envs[i][1] = (char)('A' + i % 26);
        envs[i][2] = (char)('A' + i / 26);
        envs[i][3] = '=';
        ev[i] = envs[i];
    }
    static char nm[V_PROCESS_HANDLES_MAX][VX_NAME_MAX + 1];
    const char *names[V_PROCESS_HANDLES_MAX];
    for (uint32_t i = 0; i < V_PROCESS_HANDLES_MAX; i++) {
        v_mem_set(nm[i], 'n', VX_NAME_MAX);
        nm[i][0] = (char)('a' + i);
        names[i] = nm[i];
    }
    v_process_spec s = {V_PROCESS_ARGS_MAX, many, V_PROCESS_ENV_MAX, ev,
                        V_PROCESS_HANDLES_MAX, names};
    size_t len = 0;
    V_ASSERT_STATUS(v_process_encode(&s, NULL, 0, &len), V_ERR_TRUNCATED);
    V_EXPECT_LE(len, (size_t)V_PROCESS_START_MAX);
    static uint8_t block[V_PROCESS_START_MAX];
    V_ASSERT_OK(v_process_encode(&s, block, sizeof block, &len));
    v_process p;
    V_ASSERT_OK(v_process_decode(&p, block, len));
    V_EXPECT_EQ(p.argc, V_PROCESS_ARGS_MAX);
    V_EXPECT_EQ(p.envc, V_PROCESS_ENV_MAX);
    V_EXPECT_EQ(p.handle_count, V_PROCESS_HANDLES_MAX);
    V_EXPECT_STR_EQ(v_process_env(&p, "KCC"), envs[2 * 26 + 2] + 4);
}

V_TEST(process, decode_refuses_every_truncation)
{
    v_process_spec s = spec3();
    uint8_t buf[512];
    size_t len = 0;
    V_ASSERT_OK(v_process_encode(&s, buf, sizeof buf, &len));
    v_process p;
    for (size_t n = 0; n < len; n++) {
        p.argc = 77;
        V_EXPECT_STATUS(v_process_decode(&p, buf, n), V_ERR_MALFORMED);
        V_EXPECT_EQ(p.argc, 0u); /* zeroed on failure */
    }
    V_EXPECT_STATUS(v_process_decode(NULL, buf, len), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(v_process_decode(&p, NULL, len), V_ERR_INVALID_ARGS);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

V_TEST(process, decode_refuses_each_changed_byte_or_accepts_a_valid_block)
{
    /* Changing any one byte must give MALFORMED or a block that still
     * satisfies every rule (e.g. a letter of an argument changed). */
    v_process_spec s = spec3();
    uint8_t good[512], buf[512];
    size_t len = 0;
    V_ASSERT_OK(v_process_encode(&s, good, sizeof good, &len));
    uint32_t refused = 0, accepted = 0;
    static const uint8_t values[] = {0x00, 0x01, 0x20, 0x3d, 0x41, 0x7f,
                                     0x80, 0xc3, 0xff};
    for (size_t i = 0; i < len; i++) {
        for (size_t v = 0; v < sizeof values; v++) {
            if (good[i] == values[v])
                continue;
            v_mem_copy(buf, good, len);
            buf[i] = values[v];
            v_process p;
            v_status st = v_process_decode(&p, buf, len);
            if (st == V_OK) {
                accepted++;
                /* Re-encoding what was accepted gives the same bytes. */
                v_process_spec r = {p.argc, p.argv, p.envc, p.envv,
                                    p.handle_count, p.handle_names};
                uint8_t again[512];
                size_t n2 = 0;
                V_EXPECT_OK(v_process_encode(&r, again, sizeof again, &n2));
                V_EXPECT_EQ(n2, len);
                V_EXPECT_MEM_EQ(again, buf, len);
            } else {
                V_EXPECT_EQ(st, V_ERR_MALFORMED);
                refused++;
            }
        }
    }
    V_EXPECT_GT(refused, 0u);
    V_EXPECT_GT(accepted, 0u);
}

V_TEST(process, decode_checks_header_counts_and_terminators)
{
    v_process_spec s = spec3();
    uint8_t good[512], buf[512];
    size_t len = 0;
    V_ASSERT_OK(v_process_encode(&s, good, sizeof good, &len));
    v_process p;
    v_mem_copy(buf, good, len);
    buf[4] = 2; /* version */
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    v_mem_copy(buf, good, len);
    put32(buf + 8, (uint32_t)len + 1); /* claims more than there is */
    V_EXPECT_STATUS(v_process_decode(&p, buf, sizeof buf), V_ERR_MALFORMED);
    put32(buf + 8, 23); /* smaller than a header */
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    put32(buf + 8, V_PROCESS_START_MAX + 1);
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    v_mem_copy(buf, good, len);
    put32(buf + 12, V_PROCESS_ARGS_MAX + 1);
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    v_mem_copy(buf, good, len);
    put32(buf + 16, V_PROCESS_ENV_MAX + 1);
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    v_mem_copy(buf, good, len);
    put32(buf + 20, V_PROCESS_HANDLES_MAX + 1);
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    v_mem_copy(buf, good, len);
    put32(buf + 12, 2); /* one string left over at the end */
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    v_mem_copy(buf, good, len);
    put32(buf + 24, 0xffffffffu); /* a length past everything */
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    v_mem_copy(buf, good, len);
    put32(buf + 24, V_PROCESS_STR_MAX + 1);
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    v_mem_copy(buf, good, len);
    buf[24 + 4 + 5] = 'X'; /* the terminator of "first" */
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    v_mem_copy(buf, good, len);
    buf[24 + 4 + 2] = 0; /* a NUL inside "first" */
    V_EXPECT_STATUS(v_process_decode(&p, buf, len), V_ERR_MALFORMED);
    /* A hand-made block: a trailing byte after the last string. */
    uint8_t h[32] = {0};
    put32(h, 0x53505856u);
    put32(h + 4, 1);
    put32(h + 8, 25);
    V_EXPECT_STATUS(v_process_decode(&p, h, 25), V_ERR_MALFORMED);
    put32(h + 8, 24);
    V_EXPECT_OK(v_process_decode(&p, h, 25));
}

V_TEST(process, exit_code_table)
{
    V_EXPECT_EQ(V_EXIT_OK, 0);
    V_EXPECT_EQ(V_EXIT_FAILURE, 1);
    V_EXPECT_EQ(V_EXIT_USAGE, 2);
    V_EXPECT_EQ(V_EXIT_FOOTPRINT, 3);
    V_EXPECT_EQ(V_EXIT_START, 4);
    V_EXPECT_EQ(V_EXIT_PEER_CLOSED, 5);
    V_EXPECT_EQ(V_EXIT_RESOURCES, 6);
    V_EXPECT_EQ(V_EXIT_CONFIG, 7);
    V_EXPECT_EQ(V_EXIT_SOFTWARE, 8);
    V_EXPECT_EQ(V_EXIT_EXEC, 127);
    static const char *const names[] = {"OK", "FAILURE", "USAGE",
                                        "FOOTPRINT", "START", "PEER_CLOSED",
                                        "RESOURCES", "CONFIG", "SOFTWARE"};
    for (int32_t c = 0; c <= 8; c++)
        V_EXPECT_STR_EQ(v_process_exit_name(c), names[c]);
    V_EXPECT_STR_EQ(v_process_exit_name(127), "EXEC");
    V_EXPECT_STR_EQ(v_process_exit_name(9), "UNKNOWN");
    V_EXPECT_STR_EQ(v_process_exit_name(-1), "UNKNOWN");
    V_EXPECT_EQ(v_process_exit_code(V_OK), V_EXIT_OK);
    V_EXPECT_EQ(v_process_exit_code(V_ERR_PEER_CLOSED), V_EXIT_PEER_CLOSED);
    V_EXPECT_EQ(v_process_exit_code(V_ERR_NO_MEMORY), V_EXIT_RESOURCES);
    V_EXPECT_EQ(v_process_exit_code(V_ERR_LIMIT), V_EXIT_RESOURCES);
    V_EXPECT_EQ(v_process_exit_code(V_ERR_BAD_HANDLE), V_EXIT_FOOTPRINT);
    V_EXPECT_EQ(v_process_exit_code(V_ERR_ACCESS_DENIED), V_EXIT_FOOTPRINT);
    V_EXPECT_EQ(v_process_exit_code(V_ERR_MALFORMED), V_EXIT_CONFIG);
    V_EXPECT_EQ(v_process_exit_code(V_ERR_TIMED_OUT), V_EXIT_FAILURE);
    V_EXPECT_EQ(v_process_exit_code(-12345), V_EXIT_FAILURE);
    V_EXPECT(!v_process_exit_restartable(V_EXIT_OK));
    V_EXPECT(v_process_exit_restartable(V_EXIT_FAILURE));
    V_EXPECT(!v_process_exit_restartable(V_EXIT_USAGE));
    V_EXPECT(!v_process_exit_restartable(V_EXIT_FOOTPRINT));
    V_EXPECT(!v_process_exit_restartable(V_EXIT_START));
    V_EXPECT(v_process_exit_restartable(V_EXIT_PEER_CLOSED));
    V_EXPECT(v_process_exit_restartable(V_EXIT_RESOURCES));
    V_EXPECT(!v_process_exit_restartable(V_EXIT_CONFIG));
    V_EXPECT(v_process_exit_restartable(V_EXIT_SOFTWARE));
    V_EXPECT(!v_process_exit_restartable(V_EXIT_EXEC));
    V_EXPECT(v_process_exit_restartable(200)); /* unknown: assume it may */
}
