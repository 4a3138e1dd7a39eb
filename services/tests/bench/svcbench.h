/* What the native service benchmark's two programs say to each other
 * (benchd.c drives, trivial.c is the service initd starts and restarts;
 * kernel/bench/services.sh boots them, docs/benchmarks.md "Services
 * natively"). The messages are vectra.echo Requests (schemas/
 * service_echo.vs) so that both ends encode and validate them with
 * generated code: trivial -> benchd, an `echo` whose id says which report
 * it is and whose value is the sender's vx_clock_monotonic(), read just
 * before the message is encoded and sent (for "up", its text is the clock
 * read on entering v_main, in decimal); benchd -> trivial, a `crash`. */
#ifndef SVCBENCH_H
#define SVCBENCH_H

#define SVCBENCH_UP 1u    /* an instance is ready: its first message */
#define SVCBENCH_FAULT 2u /* an instance is about to fault */

#endif
