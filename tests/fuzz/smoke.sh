#!/usr/bin/env bash
# A short, repeatable fuzz run per target for `make test`: the seed corpus
# plus FUZZ_SMOKE_RUNS generated inputs from a fixed seed. New inputs go to
# a scratch folder, never into the committed corpus.
# Usage: smoke.sh FUZZER...
set -u
runs=${FUZZ_SMOKE_RUNS:-20000}
pass=0 fail=0
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for bin in "$@"; do
    name=$(basename "$bin")
    mkdir -p "$scratch/$name"
    seeds=tests/fuzz/corpus/$name
    [ -d "$seeds" ] || seeds=
    if "$bin" -seed=1 -runs="$runs" -max_len=4096 "$scratch/$name" $seeds \
            > "$scratch/$name.log" 2>&1; then
        echo "pass fuzz.$name ($runs runs)"
        pass=$((pass + 1))
    else
        echo "FAIL fuzz.$name; its report:"
        tail -n 40 "$scratch/$name.log" | sed 's/^/  /'
        fail=$((fail + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
