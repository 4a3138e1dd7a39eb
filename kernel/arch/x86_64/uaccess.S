/* The instructions that touch user memory on the kernel's behalf.
 * int user_copy_raw(void *dst, const void *src, size_t n): 0, or -1 if
 * it faulted (copies of whole words are inline: arch/user.h). A fault at
 * one of the four string instructions resumes at uaccess_fault (the
 * fixup table in user.c); the caller has checked that
 * both ranges are where they should be. With SMAP on, stac/clac open the
 * user half for exactly this copy. SMAP is tested once per copy: each
 * model has its own copy of the two string instructions. */
    .text
    .globl user_copy_raw, uaccess_copy8, uaccess_copy, uaccess_fault
    .globl uaccess_copy8_nosmap, uaccess_copy_nosmap
user_copy_raw:
    mov %rdx, %rcx
    shr $3, %rcx                /* 8 bytes a step, then the tail */
    and $7, %edx
    cmpb $0, smap_on(%rip)
    je 1f
    stac
uaccess_copy8:
    rep movsq
    mov %edx, %ecx
uaccess_copy:
    rep movsb
    clac
    xor %eax, %eax
    ret
1:
uaccess_copy8_nosmap:
    rep movsq
    mov %edx, %ecx
uaccess_copy_nosmap:
    rep movsb
    xor %eax, %eax
    ret
uaccess_fault:
    cmpb $0, smap_on(%rip)
    je 3f
    clac
3:
    mov $-1, %eax
    ret
