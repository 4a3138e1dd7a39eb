#!/usr/bin/env bash
# vctl through the console of the hosted machine: commands piped into
# build/.../hosted/vectra, output checked. Each run is bounded by a timeout.
# Usage: vctl_check.sh VECTRA BOOT_BUNDLE
set -u
vectra=$1 bundle=$2
pass=0 fail=0
out=$(mktemp) tmp=$(mktemp)
trap 'rm -f "$out" "$tmp"' EXIT

run() { # printf format of the commands -> output in $out, status in $rc
    printf "$1" | timeout -k 5 60 "$vectra" "$bundle" >"$out" 2>&1
    rc=${PIPESTATUS[1]}
}
check() { # name, then a grep -E pattern that must match $out
    if grep -Eq -- "$2" "$out"; then
        echo "pass vctl.$1"; pass=$((pass + 1))
    else
        echo "FAIL vctl.$1: no line matches '$2'; output was:"
        sed 's/^/    /' "$out" | tail -n 40
        fail=$((fail + 1))
    fi
}
check_rc() {
    if [ "$rc" = "$2" ]; then echo "pass vctl.$1"; pass=$((pass + 1))
    else echo "FAIL vctl.$1: exit status $rc, wanted $2"; fail=$((fail + 1)); fi
}

run 'help\ntasks\nlogs\nbogus words\nlogs console\npoweroff\n'
check_rc poweroff_ends_the_machine 0
check help_lists_commands '^  restart NAME '
check tasks_shows_initd '^initd +running +0 '
check tasks_shows_logd '^logd +running +0 +[0-9]+K/16384K '
check tasks_shows_initd_memory '^initd +running +0 +[1-9][0-9]*K/[0-9]+K '
check tasks_shows_console '^console +running +0 '
check logs_shows_records 'info +console: console ready'
check unknown_command 'unknown command .bogus.; try help'
check powered_off '^vectra: powered off'

run 'stop logd\ntasks\nlogs\nstart logd\nrestart logd\ntasks\nstop nosuch\nstart console\nrestart\npoweroff\n'
check_rc stop_start_run_ends_cleanly 0
check stop_ok 'stop logd: ok'
check stopped_shows '^logd +stopped +0 +-/16384K +killed'
check logs_without_logd 'error: logd: the service went away|error: logd: no answer in time'
check start_ok 'start logd: ok'
check restart_ok 'restart logd: ok'
check restart_counted '^logd +running +1 '
check no_such_service 'stop nosuch: error: no such service'
check start_running_refused 'start console: error: not in a state for that'
check usage 'usage: restart NAME'

# The end of input powers off too.
run 'tasks\n'
check_rc eof_powers_off 0
check eof_powered_off '^vectra: powered off'

# A boot bundle with a broken signature never starts.
cp "$bundle" "$tmp"
# (byte 100 is flipped, not set: with a fresh key it may already hold any
# given value)
b=$(od -A n -t u1 -j 100 -N 1 "$tmp" | tr -d ' ')
printf "\\$(printf '%03o' $((b ^ 0xff)))" |
    dd of="$tmp" bs=1 seek=100 conv=notrunc status=none
timeout -k 5 30 "$vectra" "$tmp" >"$out" 2>&1 </dev/null
rc=$?
check_rc tampered_bundle_refused 1
check tampered_bundle_message "vectra: refusing .*BAD signature"

echo "vctl: $pass passed, $fail failed"
[ "$fail" = 0 ]
