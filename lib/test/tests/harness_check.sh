#!/usr/bin/env bash
# Checks the harness end to end through a binary of deliberately failing
# tests: result lines, failure details, filters, summary line, exit status.
# Usage: harness_check.sh SELFTEST_BINARY
set -u
bin=$1
pass=0 fail=0
check() { # name, condition-command...
    local name=$1
    shift
    if "$@"; then echo "pass harness.$name"; pass=$((pass + 1))
    else echo "FAIL harness.$name"; fail=$((fail + 1)); fi
}
has() { grep -qF -- "$1" <<<"$out"; }

out=$("$bin"); rc=$?
check all_fail_exit_nonzero test "$rc" -ne 0
check summary_line_last test "$(tail -n1 <<<"$out")" = "2 passed, 5 failed"
check one_line_per_test test "$(grep -cE '^(pass|FAIL) ' <<<"$out")" -eq 7
check int_values_shown has "expected big == -1, got 18446744073709551615 and -1"
check lt_shown has "expected 3 < 2, got 3 and 2"
check file_line_shown has "lib/test/tests/selftest_cases.c:15:"
check str_escaped has 'got "tab\x09here" and "tab here"'
check mem_offset_shown has "first difference at offset 9"
check status_names_shown has "to return OK, got NO_MEMORY (-4)"
check assert_returns bash -c "! grep -q 'never reached' <<<'$out'"

out=$("$bin" selftest.passes); rc=$?
check select_exact test "$rc" -eq 0 -a "$(tail -n1 <<<"$out")" = "1 passed, 0 failed"
out=$("$bin" other); rc=$?
check select_module test "$rc" -eq 0 -a "$(tail -n1 <<<"$out")" = "1 passed, 0 failed"
out=$("$bin" 'selftest.s*')
check select_prefix test "$(tail -n1 <<<"$out")" = "0 passed, 2 failed"
out=$("$bin" no.such_test); rc=$?
check unknown_filter_fails test "$rc" -ne 0 -a "$(tail -n1 <<<"$out")" = "0 passed, 1 failed"
out=$("$bin" --suite demo other)
check suite_label test "$(tail -n1 <<<"$out")" = "demo: 1 passed, 0 failed"
out=$("$bin" --list)
check list_runs_nothing test "$(wc -l <<<"$out")" -eq 7 -a -z "$(grep -E 'passed' <<<"$out")"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
