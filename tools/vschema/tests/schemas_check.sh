#!/usr/bin/env bash
# Every schema under schemas/ compiles: vschema checks it, prints its id,
# and generates C that compiles without a warning against libv's headers.
# Usage: schemas_check.sh VSCHEMA CC (from the top of the repository)
set -u
vs=$1 cc=$2
pass=0 fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for f in schemas/*.vs; do
    name=$(basename "$f" .vs)
    if ! id=$("$vs" id "$f" -I schemas 2> "$dir/err"); then
        echo "FAIL schemas.$name: $(cat "$dir/err")"
        fail=$((fail + 1))
    elif ! "$vs" gen "$f" -I schemas -o "$dir" 2> "$dir/err"; then
        echo "FAIL schemas.$name: gen: $(cat "$dir/err")"
        fail=$((fail + 1))
    elif ! $cc -std=c17 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Iinclude -I"$dir" -ffreestanding \
            -c "$dir/$name.c" -o "$dir/$name.o" 2> "$dir/err"; then
        echo "FAIL schemas.$name: generated C: $(head -5 "$dir/err")"
        fail=$((fail + 1))
    else
        echo "pass schemas.$name $id"
        pass=$((pass + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
