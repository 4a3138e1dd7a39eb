/* Interrupt and exception entry: the saved register frame, handler
 * registration, and catching an expected fault (for tests and for code
 * that probes memory). */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdbool.h>
#include <stdint.h>

/* Laid out exactly as isr.S pushes it, lowest address first. */
typedef struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
} trap_frame;

typedef void (*irq_handler)(trap_frame *f, void *ctx);

/* Routes vector (32..255) to h. Returns false if the vector is taken. */
bool trap_set_handler(unsigned vector, irq_handler h, void *ctx);
void trap_clear_handler(unsigned vector);

/* A non-local jump target (callee-saved registers, stack and resume
 * point), as setjmp/longjmp but only for kernel code. */
typedef struct kjmp_buf {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
} kjmp_buf;

int kjmp_set(kjmp_buf *b) __attribute__((returns_twice));
_Noreturn void kjmp_jump(kjmp_buf *b, int value);

/* Catching one exception on this CPU:
 *
 *     trap_catch c;
 *     if (TRAP_CATCH(&c)) {
 *         ...code that may fault...
 *         trap_catch_end(&c);
 *     } else {
 *         ...c.vector, c.error, c.cr2 describe the fault...
 *     }
 *
 * Any exception while armed resumes at the else branch (with the catcher
 * disarmed) instead of ending the machine. Locals changed inside the
 * guarded block must be volatile, as with setjmp. */
typedef struct trap_catch {
    kjmp_buf jb;
    uint64_t vector, error, cr2, rip;
} trap_catch;

void trap_catch_arm(trap_catch *c);
void trap_catch_end(trap_catch *c);
#define TRAP_CATCH(c) (trap_catch_arm(c), kjmp_set(&(c)->jb) == 0)

/* Counts exceptions that ended in a report; tests of the report path
 * use trap_report_only to print it without ending the machine. */
void trap_report(const trap_frame *f, uint64_t cr2);

#endif
