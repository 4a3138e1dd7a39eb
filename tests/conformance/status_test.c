/* The substrate's status codes equal libv's -1..-11 (docs/substrate.md §1):
 * a status passes from the substrate through libv unchanged. */
#include "conf.h"

_Static_assert((int)VX_OK == (int)V_OK, "OK");
_Static_assert((int)VX_ERR_BAD_HANDLE == (int)V_ERR_BAD_HANDLE, "BAD_HANDLE");
_Static_assert((int)VX_ERR_ACCESS_DENIED == (int)V_ERR_ACCESS_DENIED, "ACCESS_DENIED");
_Static_assert((int)VX_ERR_INVALID_ARGS == (int)V_ERR_INVALID_ARGS, "INVALID_ARGS");
_Static_assert((int)VX_ERR_NO_MEMORY == (int)V_ERR_NO_MEMORY, "NO_MEMORY");
_Static_assert((int)VX_ERR_SHOULD_WAIT == (int)V_ERR_SHOULD_WAIT, "SHOULD_WAIT");
_Static_assert((int)VX_ERR_PEER_CLOSED == (int)V_ERR_PEER_CLOSED, "PEER_CLOSED");
_Static_assert((int)VX_ERR_TIMED_OUT == (int)V_ERR_TIMED_OUT, "TIMED_OUT");
_Static_assert((int)VX_ERR_BAD_STATE == (int)V_ERR_BAD_STATE, "BAD_STATE");
_Static_assert((int)VX_ERR_OUT_OF_RANGE == (int)V_ERR_OUT_OF_RANGE, "OUT_OF_RANGE");
_Static_assert((int)VX_ERR_LIMIT == (int)V_ERR_LIMIT, "LIMIT");
_Static_assert((int)VX_ERR_NOT_SUPPORTED == (int)V_ERR_NOT_SUPPORTED, "NOT_SUPPORTED");
_Static_assert(sizeof(vx_status) == sizeof(v_status), "same type");
/* Handle types are one 32-bit value, passed in a register like an int. */
_Static_assert(sizeof(vx_ring_tx) == 4 && sizeof(vx_region) == 4 &&
               sizeof(vx_task) == 4 && sizeof(vx_timer) == 4, "one word");

V_TEST(conf_status, values_match_libv)
{
    static const struct { vx_status vx; v_status v; const char *name; } t[] = {
        {VX_ERR_BAD_HANDLE, V_ERR_BAD_HANDLE, "BAD_HANDLE"},
        {VX_ERR_ACCESS_DENIED, V_ERR_ACCESS_DENIED, "ACCESS_DENIED"},
        {VX_ERR_INVALID_ARGS, V_ERR_INVALID_ARGS, "INVALID_ARGS"},
        {VX_ERR_NO_MEMORY, V_ERR_NO_MEMORY, "NO_MEMORY"},
        {VX_ERR_SHOULD_WAIT, V_ERR_SHOULD_WAIT, "SHOULD_WAIT"},
        {VX_ERR_PEER_CLOSED, V_ERR_PEER_CLOSED, "PEER_CLOSED"},
        {VX_ERR_TIMED_OUT, V_ERR_TIMED_OUT, "TIMED_OUT"},
        {VX_ERR_BAD_STATE, V_ERR_BAD_STATE, "BAD_STATE"},
        {VX_ERR_OUT_OF_RANGE, V_ERR_OUT_OF_RANGE, "OUT_OF_RANGE"},
        {VX_ERR_LIMIT, V_ERR_LIMIT, "LIMIT"},
        {VX_ERR_NOT_SUPPORTED, V_ERR_NOT_SUPPORTED, "NOT_SUPPORTED"},
    };
    for (int i = 0; i < 11; i++) {
        V_EXPECT_EQ(t[i].vx, -(i + 1));
        V_EXPECT_EQ(t[i].vx, t[i].v);
        V_EXPECT_STR_EQ(v_status_name(t[i].vx), t[i].name);
    }
}
