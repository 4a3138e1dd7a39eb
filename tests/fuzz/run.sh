#!/usr/bin/env bash
# `make fuzz`: runs each fuzzer for SECONDS, growing a corpus under
# CORPUS_DIR/<name> seeded from tests/fuzz/corpus/<name>. Crashes are
# written to CORPUS_DIR/<name>-crashes/ and make the run fail.
# Usage: run.sh SECONDS CORPUS_DIR FUZZER...
set -u
secs=$1 dir=$2
shift 2
failed=0
for bin in "$@"; do
    name=$(basename "$bin")
    mkdir -p "$dir/$name" "$dir/$name-crashes"
    seeds=tests/fuzz/corpus/$name
    [ -d "$seeds" ] || seeds=
    echo "fuzz $name for ${secs}s (corpus $dir/$name)"
    if ! "$bin" -max_total_time="$secs" -print_final_stats=1 \
            -artifact_prefix="$dir/$name-crashes/" "$dir/$name" $seeds \
            2>&1 | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY)'; then
        :
    fi
    if [ "${PIPESTATUS[0]}" != 0 ]; then
        echo "fuzz $name: FAILED; reproducer in $dir/$name-crashes/"
        failed=1
    fi
done
exit $failed
