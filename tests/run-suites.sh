#!/usr/bin/env bash
# Runs every test suite and adds up their results.
# Usage: run-suites.sh LIST_FILE, one "NAME<TAB>COMMAND" per line.
# Each suite's last line must be "[LABEL: ]N passed, N failed". A suite that
# crashes, hangs (SUITE_TIMEOUT seconds) or prints no summary counts as one
# failure, with its last lines shown. The final line is the total.
set -u
timeout_s=${SUITE_TIMEOUT:-1200}
total_pass=0
total_fail=0
report=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

while IFS=$'\t' read -r name cmd <&3; do
    name=${name//[[:space:]]/}   # make's list joins lines with a space
    [ -n "$name" ] || continue
    echo "=== suite $name: $cmd"
    timeout --foreground -k 10 "$timeout_s" bash -c "$cmd" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    pass=0 fail=0 found=0
    # Sum every summary line: a suite may run several configurations.
    while read -r p f; do
        pass=$((pass + p)); fail=$((fail + f)); found=1
    done < <(sed -nE 's/^([^ ].*: )?([0-9]+) passed, ([0-9]+) failed$/\2 \3/p' "$log")
    if [ "$found" = 0 ] || { [ "$rc" != 0 ] && [ "$fail" = 0 ]; }; then
        if [ "$rc" = 124 ]; then why="timed out after ${timeout_s}s"; else why="exit status $rc"; fi
        echo "!!! suite $name ended abnormally ($why); last lines:"
        tail -n 20 "$log" | sed 's/^/!!!   /'
        fail=$((fail + 1))
    fi
    total_pass=$((total_pass + pass))
    total_fail=$((total_fail + fail))
    report+=("$(printf '  %-16s %6d passed, %d failed' "$name" "$pass" "$fail")")
done 3< "$1"

echo "=== summary"
printf '%s\n' "${report[@]}"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
