/* The user programs embedded in the kernel image (kernel/user/embed.S). */
#ifndef K_USER_IMAGES_H
#define K_USER_IMAGES_H

#include <stddef.h>

extern const unsigned char user_utest_image[], user_utest_image_end[];
extern const unsigned char user_conf_suite_image[], user_conf_suite_image_end[];
extern const unsigned char user_conf_child_image[], user_conf_child_image_end[];

static inline size_t user_image_size(const unsigned char *start,
                                     const unsigned char *end)
{
    return (size_t)(end - start);
}

#endif
