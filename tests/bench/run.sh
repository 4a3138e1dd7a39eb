#!/usr/bin/env bash
# `make bench`: runs each benchmark binary; they print `bench ...` lines
# (and `#` notes on CPU features and data). Fails if any bench fails.
set -u
echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
failed=0
for b in "$@"; do
    "$b" || { echo "bench $(basename "$b"): FAILED (exit $?)"; failed=1; }
done
exit $failed
