#!/usr/bin/env bash
# initd's supervision on the native kernel, seen through vctl on COM1. The
# Bundle (services/native.mk) adds to the usual services: `loop`, a test
# service that faults at every start (a crash loop: restarted by initd
# after each fault, then FAILED after 3 restarts); `lonely`, a healthy one;
# and `tampered`, whose manifest had a byte changed after signing (refused,
# with one log line, while the rest start).
# Usage: supervise_native.sh KERNEL.elf32 BUNDLE
set -u
img=$1 bundle=$2 suite=supervise-native
. "$(dirname "$0")/native_lib.sh"

# `tasks` until the crash loop has ended (initd's backoff is 10-40 ms, so
# this is quick; the tries are bounded by the run's time limit).
tries=0
until tr -d '\r' <"$out" | grep -Eaq '^loop +failed +3 '; do
    tries=$((tries + 1))
    [ "$tries" -le 20 ] && type_cmd 'tasks' || break
    wait_for 'vectra> ' "$((prompts + 1))" || break
done
type_cmd 'logs initd' &&
type_cmd 'start tampered' &&
type_cmd 'poweroff' &&
wait_for 'nothing more to run' 1
echo "# supervise-native: $(( $(date +%s) - start )) s, $tries tasks listings"

check crash_loop_restarted_then_failed '^loop +failed +3 '
check others_keep_running '^lonely +running +0 '
check logd_keeps_running '^logd +running +0 '
check tampered_is_refused '^tampered +refused +0 '
check tampered_logged "refusing service 'tampered': manifest 'svc/tampered.json' fails verification"
check refused_cannot_start 'start tampered: error: refused \(failed verification\)'
check fault_logged "task 'loop' killed"
check initd_exits_cleanly "first Task 'init' exited, code 0"

echo "supervise-native: $pass passed, $fail failed"
[ "$fail" = 0 ]
