/* The kernel's own user programs, linked into the kernel image (until
 * they arrive in the boot Bundle). Paths come from kernel.mk. */
    .section .rodata
    .balign 16
    .globl user_hello_image, user_hello_image_end
user_hello_image:
    .incbin USER_HELLO_PATH
user_hello_image_end:
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
