/* Handle tables directly: values, generations, retirement, the limit,
 * type checks, and objects living exactly as long as their handles. */
#include <k/handle.h>
#include <v/test.h>

#include "probe_object.h"

V_TEST(kernel, handle_values_and_lookup)
{
    htable t;
    htable_init(&t, 8);
    int gone = 0;
    uint32_t v;
    V_ASSERT_OK(htable_add(&t, probe_object_new(&gone), VX_RIGHT_READ, &v));
    V_EXPECT_NE(v, 0u);
    V_EXPECT_EQ(v >> 31, 0u);
    V_EXPECT_GE(v >> 16, 1u);
    kobject *o;
    vx_rights r;
    V_EXPECT_OK(htable_get(&t, v, VX_OBJ_REGION, &o, &r));
    V_EXPECT_EQ(r, (vx_rights)VX_RIGHT_READ);
    kobject_unref(o);
    V_EXPECT_OK(htable_get(&t, v, VX_OBJ_NONE, &o, &r));
    kobject_unref(o);
    V_EXPECT_STATUS(htable_get(&t, v, VX_OBJ_TIMER, &o, &r), V_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(htable_get(&t, 0, VX_OBJ_NONE, &o, &r), V_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(htable_get(&t, v | 0x80000000u, VX_OBJ_NONE, &o, &r),
                    V_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(htable_get(&t, v & 0xffff, VX_OBJ_NONE, &o, &r),
                    V_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(htable_get(&t, v + 1, VX_OBJ_NONE, &o, &r),
                    V_ERR_BAD_HANDLE); /* an index never used */
    V_EXPECT_OK(htable_close(&t, v));
    V_EXPECT_EQ(gone, 1);
    V_EXPECT_STATUS(htable_close(&t, v), V_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(htable_get(&t, v, VX_OBJ_NONE, &o, &r), V_ERR_BAD_HANDLE);
    htable_fini(&t);
}

V_TEST(kernel, handle_limit_and_release)
{
    htable t;
    htable_init(&t, 100);
    int gone = 0;
    uint32_t v[100], x;
    for (int i = 0; i < 100; i++)
        V_ASSERT_OK(htable_add(&t, probe_object_new(&gone), 0, &v[i]));
    V_EXPECT_EQ(htable_live(&t), 100u);
    /* Past the limit: LIMIT, and the object passed in is dropped. */
    V_EXPECT_STATUS(htable_add(&t, probe_object_new(&gone), 0, &x), V_ERR_LIMIT);
    V_EXPECT_EQ(gone, 1);
    for (int i = 0; i < 100; i++)
        for (int j = 0; j < i; j++)
            V_ASSERT_NE(v[i], v[j]);
    V_EXPECT_OK(htable_close(&t, v[50]));
    V_EXPECT_OK(htable_add(&t, probe_object_new(&gone), 0, &x));
    V_EXPECT_NE(x, v[50]);
    /* Two handles to one object: destroyed with the last. */
    kobject *o;
    vx_rights r;
    V_ASSERT_OK(htable_get(&t, v[0], VX_OBJ_NONE, &o, &r));
    V_ASSERT_OK(htable_close(&t, v[1]));
    V_ASSERT_OK(htable_add(&t, o, 0, &x)); /* the get's reference moves in */
    int before = gone;
    V_EXPECT_OK(htable_close(&t, v[0]));
    V_EXPECT_EQ(gone, before);
    V_EXPECT_OK(htable_close(&t, x));
    V_EXPECT_EQ(gone, before + 1);
    htable_fini(&t); /* the rest */
    V_EXPECT_EQ(gone, 1 + 1 + 100);
}

V_TEST(kernel, handle_generations_retire)
{
    /* White-box: the search hint is pointed back at one entry, so it is
     * reused; its generation advances on each close, and after 32767 the
     * entry is retired and skipped for good. */
    htable t;
    htable_init(&t, 4);
    int gone = 0;
    uint32_t v, first;
    V_ASSERT_OK(htable_add(&t, probe_object_new(&gone), 0, &first));
    uint32_t i = first & 0xffff;
    V_EXPECT_EQ(first >> 16, 1u);
    V_ASSERT_OK(htable_close(&t, first));
    t.hint = i;
    V_ASSERT_OK(htable_add(&t, probe_object_new(&gone), 0, &v));
    V_EXPECT_EQ(v, i | 2u << 16);
    V_ASSERT_OK(htable_close(&t, v));
    t.e[i].gen = HANDLE_GEN_MAX;
    t.hint = i;
    V_ASSERT_OK(htable_add(&t, probe_object_new(&gone), 0, &v));
    V_EXPECT_EQ(v, i | HANDLE_GEN_MAX << 16);
    uint32_t last = v;
    V_ASSERT_OK(htable_close(&t, v));
    V_EXPECT_EQ(t.retired, 1u);
    t.hint = i;
    V_ASSERT_OK(htable_add(&t, probe_object_new(&gone), 0, &v));
    V_EXPECT_NE(v & 0xffff, i);
    kobject *o;
    vx_rights r;
    V_EXPECT_STATUS(htable_get(&t, last, VX_OBJ_NONE, &o, &r),
                    V_ERR_BAD_HANDLE);
    V_EXPECT_STATUS(htable_get(&t, first, VX_OBJ_NONE, &o, &r),
                    V_ERR_BAD_HANDLE);
    htable_fini(&t);
    V_EXPECT_EQ(gone, 4);
}
