/* The peer of tests/bench/service_lifecycle.c: the smallest static Linux
 * process, run with fork + exec + waitpid. */
int main(void);

int main(void)
{
    return 0;
}
