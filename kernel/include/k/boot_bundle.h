/* The boot Bundle: the first multiboot module (`make run` passes it with
 * QEMU -initrd), a Bundle (docs/bundle.md) holding the first Task's image
 * under BOOT_INIT_ENTRY. The kernel checks its structure only
 * (v_bundle_inspect): it trusts its boot modules as it trusts its own
 * image, since the same loader delivered both. The first Task verifies
 * the signature and hashes of whatever it spawns from the Bundle. */
#ifndef K_BOOT_BUNDLE_H
#define K_BOOT_BUNDLE_H

#include <stddef.h>
#include <k/task.h>
#include <v/bundle.h>
#include <v/status.h>

#define BOOT_INIT_ENTRY "boot/init"     /* the first Task's ELF image */
#define BOOT_INIT_NAME "init"           /* the first Task's name */
#define BOOT_BUNDLE_HANDLE "boot.bundle" /* its initial Region handle */
/* Rights of that handle: read-only, mappable, passable. */
#define BOOT_BUNDLE_RIGHTS (VX_RIGHT_READ | VX_RIGHT_MAP | \
                            VX_RIGHT_DUPLICATE | VX_RIGHT_TRANSFER)

/* Checks data[0..len) as a Bundle and finds BOOT_INIT_ENTRY in it. On
 * failure *why is one sentence naming the problem. */
v_status boot_bundle_check(const void *data, size_t len,
                           v_bundle_entry *init, const char **why);

/* Creates the first Task from the boot module, hands it the Bundle as a
 * read-only Region (BOOT_BUNDLE_HANDLE) and its device handles
 * (k/ioport.h), and starts it. Panics with the reason when the module is
 * missing or malformed or the Task cannot be made: there is nothing else
 * to boot. Returns the Task with one reference for the caller. */
task *boot_start_init(void);

#endif
