/* Starting the first Task from the boot Bundle (k/boot_bundle.h). The
 * module's bytes are used in place to load the image (the ELF loader
 * copies what it needs) and copied once into a Region for the Task, so
 * the Task never sees memory the kernel reserved for the loader. */
#include <arch/layout.h>
#include <k/boot_bundle.h>
#include <k/bootinfo.h>
#include <k/ioport.h>
#include <k/log.h>
#include <k/mm.h>
#include <k/panic.h>
#include <k/quota.h>
#include <k/region.h>

v_status boot_bundle_check(const void *data, size_t len,
                           v_bundle_entry *init, const char **why)
{
    v_bundle b;
    v_bundle_reason r = V_BUNDLE_REASON_NONE;
    v_status st = v_bundle_inspect(&b, data, len, &r);
    if (st != V_OK) {
        *why = v_bundle_reason_text(r);
        return st;
    }
    st = v_bundle_find(&b, BOOT_INIT_ENTRY, sizeof BOOT_INIT_ENTRY - 1, init,
                       &r);
    if (st != V_OK) {
        *why = "it has no " BOOT_INIT_ENTRY " entry (the first Task)";
        return st;
    }
    if (init->size == 0) {
        *why = "its " BOOT_INIT_ENTRY " entry is empty";
        return V_ERR_MALFORMED;
    }
    return V_OK;
}

/* The first Task's memory quota: most of the machine, since initd hands
 * it out to every service it starts (each manifest names its share). A
 * quota is a bound, not a reservation. */
#define INIT_QUOTA_BYTES (192ull << 20)

/* The Bundle's bytes in a Region of their own, charged to a quota made
 * for it (not the first Task's, which is for what that Task makes). */
static kobject *bundle_region(const void *data, size_t len)
{
    kquota *q = quota_create(len);
    if (!q)
        kpanic("boot: no memory for the boot Bundle's quota");
    kobject *r;
    v_status st = region_create(len, q, &r);
    quota_unref(q); /* the Region holds its own reference */
    if (st != V_OK)
        kpanic("boot: cannot make a Region for the %zu-byte boot Bundle: %s",
               len, v_status_name(st));
    region_write_kernel(r, 0, data, len);
    return r;
}

task *boot_start_init(void)
{
    if (g_boot.module_count == 0)
        kpanic("boot: no boot Bundle: the loader passed no module (QEMU: "
               "-initrd BUNDLE; `make run` builds and passes one)");
    const boot_module *m = &g_boot.modules[0];
    size_t len = (size_t)(m->end - m->start);
    const void *data = phys_to_virt(m->start);
    v_bundle_entry init;
    const char *why = 0;
    if (boot_bundle_check(data, len, &init, &why) != V_OK)
        kpanic("boot: module 0 (\"%s\", %zu bytes) is not a usable boot "
               "Bundle: %s", m->name, len, why);
    task *t;
    v_status st = task_create(BOOT_INIT_NAME, init.data, (size_t)init.size,
                              INIT_QUOTA_BYTES, TASK_HANDLE_LIMIT, &t, &why);
    if (st != V_OK)
        kpanic("boot: the boot Bundle's " BOOT_INIT_ENTRY " was refused: %s",
               why ? why : v_status_name(st));
    st = task_add_initial(t, BOOT_BUNDLE_HANDLE, bundle_region(data, len),
                          BOOT_BUNDLE_RIGHTS);
    if (st == V_OK)
        st = ioport_add_boot_handles(t);
    if (st != V_OK)
        kpanic("boot: cannot give the first Task its handles: %s",
               v_status_name(st));
    kinfo("boot: starting the first Task '%s' from the boot Bundle (%zu "
          "bytes, " BOOT_INIT_ENTRY " %lu bytes)", t->name, len, init.size);
    st = task_start(t, 0);
    if (st != V_OK)
        kpanic("boot: cannot start the first Task: %s", v_status_name(st));
    return t;
}
