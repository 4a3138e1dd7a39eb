/* Multiboot (v1) entry: 32-bit protected mode -> long mode -> higher half.
 *
 * The loader (QEMU -kernel or GRUB) enters _start32 in 32-bit protected mode
 * with paging off, EAX = multiboot magic and EBX = the physical address of
 * the multiboot information. This code lives in .boot, linked at its
 * physical address, because nothing else is mapped yet. It builds just
 * enough page tables to reach 64-bit C code:
 *   - the first 1 GiB identity-mapped (so the next instruction after
 *     enabling paging still exists),
 *   - the same 1 GiB at KERNEL_VMA (where the kernel is linked),
 *   - the same 1 GiB at PHYSMAP_BASE (the direct map C code uses for the
 *     multiboot structures until mm builds the real tables).
 * 2 MiB pages keep this to one page directory. */
#include <arch/layout.h>

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003  /* page-align modules; provide the memory map */
#define MB_LOADER_MAGIC 0x2BADB002

    .section .multiboot, "a"
    .balign 4
multiboot_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)

    .section .boot.text, "ax"
    .code32
    .globl _start32
_start32:
    cli
    cld
    cmp $MB_LOADER_MAGIC, %eax
    jne boot_fail_32
    mov %ebx, %edi              /* multiboot info: kept in EDI until kmain */

    /* Long mode must exist: CPUID 0x80000001 EDX bit 29. */
    mov $0x80000000, %eax
    cpuid
    cmp $0x80000001, %eax
    jb boot_fail_32
    mov $0x80000001, %eax
    cpuid
    test $(1 << 29), %edx
    jz boot_fail_32

    /* Zero the four boot tables (they are contiguous). */
    push %edi
    mov $boot_pml4, %edi
    xor %eax, %eax
    mov $(4 * 4096 / 4), %ecx
    rep stosl
    pop %edi

    mov $boot_pdpt_low, %eax
    or $3, %eax
    mov %eax, boot_pml4                        /* PML4[0]   -> identity   */
    mov %eax, boot_pml4 + 8 * PHYSMAP_PML4_SLOT /* PML4[256] -> direct map */
    mov $boot_pdpt_high, %eax
    or $3, %eax
    mov %eax, boot_pml4 + 8 * 511               /* PML4[511] -> kernel     */
    mov $boot_pd, %eax
    or $3, %eax
    mov %eax, boot_pdpt_low                      /* PDPT[0]   -> PD         */
    mov %eax, boot_pdpt_high + 8 * 510           /* PDPT[510] -> same PD    */

    /* PD: 512 x 2 MiB, present | writable | huge. */
    mov $boot_pd, %ebx
    mov $0x83, %eax
    mov $512, %ecx
1:  mov %eax, (%ebx)
    add $0x200000, %eax
    add $8, %ebx
    loop 1b

    mov %cr4, %eax
    or $(1 << 5), %eax          /* PAE */
    mov %eax, %cr4
    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov $0xC0000080, %ecx       /* EFER */
    rdmsr
    or $((1 << 8) | (1 << 11)), %eax /* LME | NXE */
    wrmsr
    mov %cr0, %eax
    or $((1 << 31) | (1 << 16)), %eax /* PG | WP */
    mov %eax, %cr0

    lgdt boot_gdt_ptr
    ljmp $8, $start64_low

/* No multiboot loader or no long mode: say so on COM1 and stop. */
boot_fail_32:
    mov $boot_fail_msg, %esi
2:  lodsb
    test %al, %al
    jz 3f
    mov $0x3F8, %dx
    out %al, %dx
    jmp 2b
3:  hlt
    jmp 3b

    .code64
start64_low:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    movabs $start64_high, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .balign 8
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff    /* 64-bit code */
    .quad 0x00cf92000000ffff    /* data */
boot_gdt_end:
boot_gdt_ptr:
    .word boot_gdt_end - boot_gdt - 1
    .long boot_gdt
boot_fail_msg:
    .asciz "vectra: not loaded by multiboot, or CPU lacks long mode\r\n"

    /* Zero-filled in the file, so no loader has to know about it. */
    .balign 4096
    .globl boot_pml4
boot_pml4:      .space 4096
boot_pdpt_low:  .space 4096
boot_pdpt_high: .space 4096
boot_pd:        .space 4096

    .text
    /* Debug frame info saying there is no caller, so gdb's backtrace ends
     * here instead of reading the stack beyond the first frame. */
    .cfi_sections .debug_frame
start64_high:
    .cfi_startproc
    .cfi_undefined rip
    /* Clear .bss before any C runs (a loader should, but cheaply sure). */
    mov %rdi, %r12
    movabs $__bss_start, %rdi
    movabs $__bss_end, %rcx
    sub %rdi, %rcx
    xor %eax, %eax
    rep stosb
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp              /* ends every frame-pointer backtrace */
    mov %r12d, %edi             /* zero-extend the multiboot info address */
    call kmain
4:  cli
    hlt
    jmp 4b
    .cfi_endproc

    .bss
    .balign 4096
    /* Left unmapped by vm_init: the boot thread overflowing its stack
     * faults here instead of overwriting other kernel data. */
    .globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:
    .space 4096
boot_stack_bottom:
    .space BOOT_STACK_SIZE
boot_stack_top:
