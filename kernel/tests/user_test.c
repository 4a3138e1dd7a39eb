/* User Tasks: the embedded utest program runs in ring 3, makes syscalls,
 * exits with a status; each kind of fault kills only its Task (with one
 * log line) and the kernel carries on; bad syscall arguments come back as
 * errors; checked copies never fault the kernel. */
#include <arch/cpu.h>
#include <arch/trap.h>
#include <arch/user.h>
#include <k/mm.h>
#include <k/pmm.h>
#include <k/region.h>
#include <k/syscall_nr.h>
#include <k/task.h>
#include <k/user_images.h>
#include <k/vm.h>
#include <v/test.h>
#include "../user/utest.h"
#include "utask.h"

static task *spawn(v_test_ctx *v_t, uint64_t mode)
{
    return utask_spawn(v_t, "utest", mode);
}

/* Runs utest in mode to its end; returns its final state. */
static task_state run(v_test_ctx *v_t, uint64_t mode, int32_t *code,
                      uint64_t *vector, uint64_t *addr)
{
    return utask_run(v_t, "utest", mode, code, vector, addr);
}

V_TEST(kernel, user_task_runs_and_exits_with_its_code)
{
    int32_t code = -1;
    uint64_t vec = ~0ull, addr = ~0ull;
    V_EXPECT_EQ(run(v_t, UTEST_HELLO, &code, &vec, &addr), TASK_EXITED);
    V_EXPECT_EQ(code, UTEST_HELLO_CODE);
}

V_TEST(kernel, user_task_frees_everything)
{
    int32_t code = -1;
    uint64_t vec = ~0ull, addr = ~0ull;
    run(v_t, UTEST_HELLO, &code, &vec, &addr); /* warm the caches */
    uint64_t before = pmm_free_frames();
    for (int i = 0; i < 5; i++)
        V_EXPECT_EQ(run(v_t, UTEST_HELLO, &code, &vec, &addr), TASK_EXITED);
    V_EXPECT_EQ(run(v_t, UTEST_NULL_READ, &code, &vec, &addr), TASK_CRASHED);
    V_EXPECT_EQ(utask_frames_back_to(before), before);
}

V_TEST(kernel, user_syscalls_refuse_bad_arguments)
{
    int32_t code = -1;
    uint64_t vec = ~0ull, addr = ~0ull;
    V_EXPECT_EQ(run(v_t, UTEST_BAD_ARGS, &code, &vec, &addr), TASK_EXITED);
    V_EXPECT_EQ(code, 0); /* else the number of the check that failed */
}

V_TEST(kernel, user_syscalls_keep_registers)
{
    int32_t code = -1;
    uint64_t vec = ~0ull, addr = ~0ull;
    V_EXPECT_EQ(run(v_t, UTEST_REGISTERS, &code, &vec, &addr), TASK_EXITED);
    V_EXPECT_EQ(code, 0);
}

static void expect_fault(v_test_ctx *v_t, uint64_t mode, uint64_t want_vec,
                         bool check_addr, uint64_t want_addr)
{
    int32_t code = -1;
    uint64_t vec = ~0ull, addr = ~0ull;
    V_EXPECT_EQ(run(v_t, mode, &code, &vec, &addr), TASK_CRASHED);
    V_EXPECT_EQ(vec, want_vec);
    if (check_addr)
        V_EXPECT_EQ(addr, want_addr);
}

V_TEST(kernel, user_fault_null_read)
{
    expect_fault(v_t, UTEST_NULL_READ, 14, true, 0);
}

V_TEST(kernel, user_fault_null_write)
{
    expect_fault(v_t, UTEST_NULL_WRITE, 14, true, 8);
}

V_TEST(kernel, user_fault_privileged_instruction)
{
    expect_fault(v_t, UTEST_PRIVILEGED, 13, false, 0);
}

V_TEST(kernel, user_fault_divide_by_zero)
{
    expect_fault(v_t, UTEST_DIVIDE, 0, false, 0);
}

V_TEST(kernel, user_fault_jump_into_kernel)
{
    expect_fault(v_t, UTEST_JUMP_KERNEL, 14, true, UTEST_KERNEL_ADDR);
}

V_TEST(kernel, user_fault_read_kernel)
{
    expect_fault(v_t, UTEST_READ_KERNEL, 14, true, UTEST_KERNEL_ADDR);
}

V_TEST(kernel, user_fault_write_own_code)
{
    expect_fault(v_t, UTEST_WRITE_TEXT, 14, false, 0);
}

V_TEST(kernel, user_fault_software_interrupt)
{
    expect_fault(v_t, UTEST_SOFT_INT, 13, false, 0);
}

V_TEST(kernel, user_fault_execute_stack)
{
    expect_fault(v_t, UTEST_EXEC_STACK, 14, false, 0);
}

/* An unknown call number kills the Task (docs/substrate.md §12); the
 * fault's address is the number. */
V_TEST(kernel, user_fault_bad_syscall)
{
    expect_fault(v_t, UTEST_BAD_SYSCALL, TASK_FAULT_BAD_SYSCALL, true,
                 SYS_COUNT);
    expect_fault(v_t, UTEST_BAD_SYSCALL_HUGE, TASK_FAULT_BAD_SYSCALL, true,
                 ~0ull << 32);
}

V_TEST(kernel, user_tasks_run_side_by_side)
{
    /* Several at once, so they spread over every CPU, with faults mixed
     * in: each ends its own way. */
    enum { N = 8 };
    task *ts[N];
    for (int i = 0; i < N; i++)
        ts[i] = spawn(v_t, i % 2 ? UTEST_REGISTERS : UTEST_DIVIDE);
    for (int i = 0; i < N; i++) {
        if (!ts[i])
            continue;
        task_wait(ts[i]);
        V_EXPECT_EQ(ts[i]->state, i % 2 ? TASK_EXITED : TASK_CRASHED);
        if (i % 2)
            V_EXPECT_EQ(ts[i]->exit_code, 0);
        task_destroy(ts[i]);
    }
}

V_TEST(kernel, user_copy_checks_its_range)
{
    uint8_t buf[16] = {0};
    /* From a kernel thread nothing is mapped in the user half: the copy
     * faults, the fixup turns it into an error. */
    V_EXPECT_STATUS(copy_from_user(buf, 0x400000, 8), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(copy_to_user(0x400000, buf, 8), V_ERR_INVALID_ARGS);
    /* Outside the user area: refused before any access. */
    V_EXPECT_STATUS(copy_from_user(buf, 0, 8), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(copy_from_user(buf, (uint64_t)(uintptr_t)buf, 8),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(copy_to_user((uint64_t)(uintptr_t)buf, buf, 8),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(copy_from_user(buf, USER_TOP - 4, 8), V_ERR_INVALID_ARGS);
    V_EXPECT_STATUS(copy_from_user(buf, 0x400000, ~(size_t)0),
                    V_ERR_INVALID_ARGS);
    V_EXPECT_OK(copy_from_user(buf, 0, 0)); /* nothing to copy */
}

/* Borrow an address space from a kernel thread: copies work through it,
 * write protection holds for the kernel's copies too, and with SMAP the
 * kernel's plain loads from user pages fault. */
V_TEST(kernel, user_copy_through_an_address_space)
{
    uint64_t root = vm_root_create();
    V_ASSERT(root != 0);
    uint64_t rw = pmm_alloc_zeroed(), ro = pmm_alloc_zeroed();
    V_ASSERT(rw && ro);
    ((uint8_t *)phys_to_virt(rw))[0] = 0x5a;
    V_ASSERT_OK(vm_root_map(root, 0x400000, rw, VM_WRITE));
    V_ASSERT_OK(vm_root_map(root, 0x401000, ro, VM_READ));
    V_EXPECT_STATUS(vm_root_map(root, 0x401000, ro, VM_READ),
                    V_ERR_BAD_STATE);
    V_EXPECT_STATUS(vm_root_map(root, 0xffff800000000000ull, ro, VM_READ),
                    V_ERR_INVALID_ARGS);
    thread *me = thread_current();
    irq_disable();
    me->user_root = root;
    write_cr3(root);
    irq_enable();

    uint8_t b = 0;
    V_EXPECT_OK(copy_from_user(&b, 0x400000, 1));
    V_EXPECT_EQ(b, 0x5a);
    b = 0x77;
    V_EXPECT_OK(copy_to_user(0x400001, &b, 1));
    V_EXPECT_EQ(((uint8_t *)phys_to_virt(rw))[1], 0x77);
    V_EXPECT_STATUS(copy_to_user(0x401000, &b, 1), V_ERR_INVALID_ARGS);
    /* A copy that runs off the mapped pages fails part-way. */
    uint8_t big[64];
    V_EXPECT_STATUS(copy_from_user(big, 0x402000 - 32, 64),
                    V_ERR_INVALID_ARGS);
    if (user_smap_enabled()) {
        trap_catch c;
        volatile uint8_t sink = 0;
        if (TRAP_CATCH(&c)) {
            sink = *(volatile uint8_t *)0x400000;
            trap_catch_end(&c);
            V_EXPECT(!"SMAP let the kernel read a user page");
        } else {
            V_EXPECT_EQ(c.vector, 14u);
            V_EXPECT_EQ(c.error & 0x5, 0x1u); /* protection, kernel mode */
        }
        (void)sink;
    }
    irq_disable();
    me->user_root = 0;
    write_cr3(vm_kernel_root());
    irq_enable();
    vm_root_destroy(root);
}

V_TEST(kernel, user_handles_and_timers_conform)
{
    int32_t code;
    uint64_t vec, addr;
    V_EXPECT_EQ(run(v_t, UTEST_HANDLES, &code, &vec, &addr), TASK_EXITED);
    V_EXPECT_EQ(code, 0); /* else the number of the failed check */
}

V_TEST(kernel, user_handle_table_limit_and_generations)
{
    int32_t code;
    uint64_t vec, addr;
    V_EXPECT_EQ(run(v_t, UTEST_HANDLE_LIMIT, &code, &vec, &addr),
                TASK_EXITED);
    V_EXPECT_EQ(code, 0);
}

V_TEST(kernel, user_crash_releases_handles)
{
    int32_t code;
    uint64_t vec, addr;
    run(v_t, UTEST_LEAK_HANDLES, &code, &vec, &addr); /* warm the caches */
    uint64_t before = pmm_free_frames();
    V_EXPECT_EQ(run(v_t, UTEST_LEAK_HANDLES, &code, &vec, &addr),
                TASK_CRASHED);
    V_EXPECT_EQ(utask_frames_back_to(before), before);
}

V_TEST(kernel, user_regions_conform)
{
    int32_t code;
    uint64_t vec, addr;
    V_EXPECT_EQ(run(v_t, UTEST_REGIONS, &code, &vec, &addr), TASK_EXITED);
    V_EXPECT_EQ(code, 0); /* else the number of the failed check */
}

V_TEST(kernel, user_region_unmap_removes_access)
{
    expect_fault(v_t, UTEST_REGION_UNMAPPED, 14, false, 0);
}

V_TEST(kernel, user_crash_releases_regions_and_mappings)
{
    int32_t code;
    uint64_t vec, addr;
    run(v_t, UTEST_LEAK_REGIONS, &code, &vec, &addr); /* warm the caches */
    uint64_t before = pmm_free_frames();
    V_EXPECT_EQ(run(v_t, UTEST_LEAK_REGIONS, &code, &vec, &addr),
                TASK_CRASHED);
    V_EXPECT_EQ(utask_frames_back_to(before), before);
}

/* Runs utest as a parent in mode, given its own image as the Region
 * "image"; returns its exit code (0: every check passed). */
static int32_t run_parent(v_test_ctx *v_t, uint64_t m)
{
    size_t len = user_image_size(user_utest_image, user_utest_image_end);
    task *t;
    const char *why;
    int32_t code = -1;
    if (task_create("parent", user_utest_image, len, TASK_QUOTA_BYTES,
                    TASK_HANDLE_LIMIT, &t, &why) != V_OK)
        return -1;
    kobject *img, *mode;
    V_EXPECT_OK(region_create((len + 4095) & ~4095ull, t->quota, &img));
    region_write_kernel(img, 0, user_utest_image, len);
    V_EXPECT_OK(region_create(4096, t->quota, &mode));
    region_write_kernel(mode, 0, &m, sizeof m);
    V_EXPECT_OK(task_add_initial(t, "image", img, img->ops->create_rights));
    V_EXPECT_OK(task_add_initial(t, "mode", mode, mode->ops->create_rights));
    if (task_start(t, 0) == V_OK) {
        task_wait(t);
        V_EXPECT_EQ(t->state, TASK_EXITED);
        code = t->exit_code;
        task_destroy(t);
    } else {
        kobject_unref(&t->base);
    }
    return code;
}

/* utest as a parent: spawns, kills and checks children. */
V_TEST(kernel, user_tasks_spawn_kill_and_status)
{
    V_EXPECT_EQ(run_parent(v_t, UTEST_TASKS), 0);
}

V_TEST(kernel, user_signals_and_wait)
{
    V_EXPECT_EQ(run_parent(v_t, UTEST_SIGNALS), 0);
}

V_TEST(kernel, user_rings_local_and_across_tasks)
{
    V_EXPECT_EQ(run_parent(v_t, UTEST_RINGS), 0);
}
