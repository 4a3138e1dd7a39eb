#!/usr/bin/env bash
# Proves the libv archives that call the substrate stay freestanding: every
# symbol they use is defined by themselves, by libv.a, or is a substrate
# call (vx_*) — or v_main, which the program defines.
# Usage: vx_linkcheck.sh LIBV_A LIBV_RT_A ARCHIVE...
set -u
libv=$1 rt=$2
shift 2
fail=0 pass=0
defined=$(nm --defined-only "$libv" "$rt" "$@" 2>/dev/null | awk 'NF==3 {print $3}' | sort -u)
for a in "$@"; do
    name=$(basename "$a" .a)
    undefined=$(nm -u "$a" 2>/dev/null | awk '$1 == "U" {print $2}' | sort -u)
    external=$(comm -23 <(echo "$undefined") <(echo "$defined") |
               grep -v -e '^vx_' -e '^v_main$' -e '^_GLOBAL_OFFSET_TABLE_$' |
               sed '/^$/d')
    if [ -n "$external" ]; then
        echo "FAIL process-linkcheck.$name: uses symbols outside libv and include/vx:"
        echo "$external" | sed 's/^/  /'
        fail=$((fail + 1))
    else
        echo "pass process-linkcheck.$name"
        pass=$((pass + 1))
    fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
