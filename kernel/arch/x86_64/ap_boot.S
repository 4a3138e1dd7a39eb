/* Application processor start-up code. The boot CPU copies the bytes from
 * ap_trampoline to ap_trampoline_end to physical AP_TRAMPOLINE (0x8000)
 * and fills in the parameter block at its end; the AP starts there in
 * 16-bit real mode (the SIPI vector is the page number) and climbs to
 * long mode the same way boot.S does, on temporary page tables that map
 * the trampoline's page 1:1 next to the kernel half. Addresses inside
 * the trampoline are computed for where it runs, not where it is linked. */
#define AP_TRAMPOLINE 0x8000
#define REL(x) ((x) - ap_trampoline + AP_TRAMPOLINE)

    .section .rodata
    .balign 16
    .globl ap_trampoline, ap_trampoline_end, ap_params
    .code16
ap_trampoline:
    cli
    cld
    xor %ax, %ax
    mov %ax, %ds
    lgdtl REL(tr_gdt_ptr)
    mov %cr0, %eax
    or $1, %eax                 /* protected mode */
    mov %eax, %cr0
    ljmpl $0x18, $REL(tr_32)

    .code32
tr_32:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov %cr4, %eax
    or $(1 << 5), %eax          /* PAE */
    mov %eax, %cr4
    mov REL(ap_params), %eax    /* temporary PML4 */
    mov %eax, %cr3
    mov $0xC0000080, %ecx
    rdmsr
    or $((1 << 8) | (1 << 11)), %eax /* LME | NXE */
    wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16)), %eax /* PG | WP */
    mov %eax, %cr0
    ljmp $0x08, $REL(tr_64)

    .code64
tr_64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    mov REL(ap_params) + 8, %rsp
    mov REL(ap_params) + 16, %rax
    jmp *%rax                   /* ap_entry64, in the kernel half */

    .balign 8
tr_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff    /* 0x10: data */
    .quad 0x00cf9a000000ffff    /* 0x18: 32-bit code */
tr_gdt_ptr:
    .word tr_gdt_ptr - tr_gdt - 1
    .long REL(tr_gdt)
    .balign 8
ap_params:                      /* filled in by smp.c */
    .quad 0                     /* +0  temporary PML4 (physical) */
    .quad 0                     /* +8  stack top */
    .quad 0                     /* +16 entry */
ap_trampoline_end:

    .text
    .cfi_sections .debug_frame
    .globl ap_entry64
ap_entry64:
    .cfi_startproc
    .cfi_undefined rip
    movabs $ap_kernel_cr3, %rax
    mov (%rax), %rax
    mov %rax, %cr3              /* the kernel's own tables; the 1:1 page goes */
    xor %ebp, %ebp
    call ap_main
1:  cli
    hlt
    jmp 1b
    .cfi_endproc
