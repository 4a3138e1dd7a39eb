/* For user programs written with `int main(void)` (the conformance child
 * image): crt0 calls umain. */
#include <stdint.h>

int main(void);
int umain(uint64_t arg);

int umain(uint64_t arg)
{
    (void)arg;
    return main();
}
