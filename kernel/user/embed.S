/* The kernel's own test programs, linked into the kernel image (the
 * first Task comes from the boot Bundle instead). Paths come from
 * kernel.mk. */
    .section .rodata
    .balign 16
    .globl user_utest_image, user_utest_image_end
user_utest_image:
    .incbin USER_UTEST_PATH
user_utest_image_end:
    .balign 16
    .globl user_conf_suite_image, user_conf_suite_image_end
user_conf_suite_image:
    .incbin USER_CONF_SUITE_PATH
user_conf_suite_image_end:
    .balign 16
    .globl user_conf_child_image, user_conf_child_image_end
user_conf_child_image:
    .incbin USER_CONF_CHILD_PATH
user_conf_child_image_end:
