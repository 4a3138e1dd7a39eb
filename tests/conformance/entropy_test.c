/* Entropy (docs/substrate.md §9). */
#include "conf.h"

V_TEST(conf_entropy, fills_the_buffer)
{
    uint8_t a[VX_ENTROPY_READ_MAX], b[VX_ENTROPY_READ_MAX];
    for (size_t i = 0; i < sizeof a; i++)
        a[i] = b[i] = 0;
    V_ASSERT_OK(vx_entropy_read(a, sizeof a));
    V_ASSERT_OK(vx_entropy_read(b, sizeof b));
    /* 2^-2048 odds of a false failure: two reads never agree, and neither
     * leaves a 32-byte stretch of zeros. */
    int same = 0, zero_run = 0, longest = 0;
    for (size_t i = 0; i < sizeof a; i++) {
        same += a[i] == b[i];
        zero_run = a[i] == 0 ? zero_run + 1 : 0;
        longest = zero_run > longest ? zero_run : longest;
    }
    V_EXPECT_LT(same, (int)sizeof a);
    V_EXPECT_LT(longest, 32);
}

V_TEST(conf_entropy, bounds)
{
    uint8_t buf[VX_ENTROPY_READ_MAX + 1];
    V_EXPECT_OK(vx_entropy_read(buf, 0));
    V_EXPECT_OK(vx_entropy_read(NULL, 0));
    V_EXPECT_OK(vx_entropy_read(buf, 1));
    V_EXPECT_STATUS(vx_entropy_read(buf, VX_ENTROPY_READ_MAX + 1),
                    VX_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(vx_entropy_read(NULL, 1), VX_ERR_INVALID_ARGS);
}
