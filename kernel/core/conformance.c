/* Runs the conformance suite as a native user Task (boot word
 * "conformance" in the test image; kernel/run-conformance.sh): the suite
 * Task gets the child image as its initial Region "conf_child", as the
 * hosted root Task does. Its summary line reaches the serial log through
 * the debug-write call. */
#include <k/conformance.h>
#include <k/log.h>
#include <k/region.h>
#include <k/task.h>
#include <k/user_images.h>

#define SUITE_QUOTA (128ull << 20)
#define SUITE_HANDLES 1024

bool conformance_run(void)
{
    size_t len = user_image_size(user_conf_suite_image,
                                 user_conf_suite_image_end);
    size_t child = user_image_size(user_conf_child_image,
                                   user_conf_child_image_end);
    task *t;
    kobject *img;
    const char *why;
    if (task_create("conf", user_conf_suite_image, len, SUITE_QUOTA,
                    SUITE_HANDLES, &t, &why) != V_OK) {
        kerror("conformance: suite image refused: %s", why ? why : "?");
        return false;
    }
    if (region_create((child + 4095) & ~4095ull, t->quota, &img) != V_OK) {
        kobject_unref(&t->base);
        return false;
    }
    region_write_kernel(img, 0, user_conf_child_image, child);
    bool ok = false;
    if (task_add_initial(t, "conf_child", img, img->ops->create_rights) ==
            V_OK &&
        task_start(t, 0) == V_OK) {
        task_wait(t);
        ok = t->state == TASK_EXITED && t->exit_code == 0;
        if (t->state != TASK_EXITED)
            kerror("conformance: the suite Task ended in state %d",
                   t->state);
    }
    kobject_unref(&t->base);
    return ok;
}
