/* Device objects for driver Tasks (k/ioport.h, include/vx/io.h): utest
 * runs in ring 3 with COM1's port range and IRQ 4 as initial handles and
 * checks every call and refusal (kernel/user/uio.c); without them it can
 * name no port, and a port instruction of its own is a fault. */
#include <k/ioport.h>
#include <k/region.h>
#include <k/task.h>
#include <k/user_images.h>
#include <v/test.h>
#include "../user/utest.h"

static task *make(v_test_ctx *v_t)
{
    task *t = 0;
    const char *why = 0;
    v_status st = task_create("utest", user_utest_image,
                              user_image_size(user_utest_image,
                                              user_utest_image_end),
                              TASK_QUOTA_BYTES, TASK_HANDLE_LIMIT, &t, &why);
    if (why)
        v_test_note(v_t, why);
    V_EXPECT_OK(st);
    return st == V_OK ? t : 0;
}

/* Starts t in mode, waits for it; its final state, code in *code. */
static task_state finish(task *t, uint64_t mode, int32_t *code,
                         uint64_t *vector)
{
    *code = -1;
    *vector = ~0ull;
    if (task_start(t, mode) != V_OK) {
        kobject_unref(&t->base);
        return TASK_RUNNING;
    }
    task_wait(t);
    task_state s = t->state;
    *code = t->exit_code;
    *vector = t->fault_vector;
    task_destroy(t);
    return s;
}

V_TEST(kernel, ioport_objects_are_checked)
{
    kobject *o;
    V_EXPECT_STATUS(ioport_create(0x3f8, 0, &o), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(ioport_create(0x10000, 1, &o), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(ioport_create(0xffff, 2, &o), V_ERR_INVALID_ARGS);
    V_ASSERT_OK(ioport_create(0xffff, 1, &o));
    kobject_unref(o);
    V_EXPECT_STATUS(irq_obj_create(IO_ISA_IRQS, &o), V_ERR_INVALID_ARGS);
    /* One object per line; the line is free again once it is gone. */
    kobject *a, *b;
    V_ASSERT_OK(irq_obj_create(IO_COM1_IRQ, &a));
    V_EXPECT_STATUS(irq_obj_create(IO_COM1_IRQ, &b), V_ERR_BAD_STATE);
    V_EXPECT_EQ(irq_obj_conditions(a), 0u);
    kobject_unref(a);
    V_ASSERT_OK(irq_obj_create(IO_COM1_IRQ, &b));
    kobject_unref(b);
}

V_TEST(kernel, user_ioport_and_irq_with_com1_handles)
{
    task *t = make(v_t);
    V_ASSERT_NOT_NULL(t);
    V_ASSERT_OK(ioport_add_boot_handles(t));
    int32_t code;
    uint64_t vec;
    V_EXPECT_EQ(finish(t, UTEST_IO, &code, &vec), TASK_EXITED);
    V_EXPECT_EQ(code, 0); /* else the number of the check that failed */
}

V_TEST(kernel, user_ioport_refused_without_handles)
{
    task *t = make(v_t);
    V_ASSERT_NOT_NULL(t);
    int32_t code;
    uint64_t vec;
    V_EXPECT_EQ(finish(t, UTEST_IO_NONE, &code, &vec), TASK_EXITED);
    V_EXPECT_EQ(code, 0);
    t = make(v_t);
    V_ASSERT_NOT_NULL(t);
    V_EXPECT_EQ(finish(t, UTEST_IO_INSTRUCTION, &code, &vec), TASK_CRASHED);
    V_EXPECT_EQ(vec, 13u); /* #GP */
}
