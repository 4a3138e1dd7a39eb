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
    log=$dir/$name.log
    if "$bin" -max_total_time="$secs" -print_final_stats=1 \
            -artifact_prefix="$dir/$name-crashes/" "$dir/$name" $seeds \
            > "$log" 2>&1; then
        grep -E '^stat::(number_of_executed_units|peak_rss_mb)' "$log" | sed 's/^/  /'
    else
        grep -E '==[0-9]+==ERROR|^SUMMARY|Test unit written' "$log" | sed 's/^/  /'
        echo "fuzz $name: FAILED; full log $log, reproducer in $dir/$name-crashes/"
        failed=1
    fi
done
exit $failed
