#!/usr/bin/env bash
# Proves libv core references no C library symbol: links every object of
# libv.a (plus the compiler-support routines of libv_rt.a) with -nostdlib
# into a static image. Any symbol libv uses but does not define is an
# undefined reference and fails the link.
# Usage: linkcheck.sh CC LIBV_A LIBV_RT_A
set -u
cc=$1 libv=$2 rt=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Strong undefined symbols only: weak ones (the harness's __start_/__stop_
# section bounds) may stay unresolved, and the linker itself provides
# _GLOBAL_OFFSET_TABLE_ for position-independent code.
undefined=$(nm -u "$libv" "$rt" 2>/dev/null | awk '$1 == "U" {print $2}' |
            grep -vx '_GLOBAL_OFFSET_TABLE_' | sort -u)
defined=$(nm --defined-only "$libv" "$rt" 2>/dev/null | awk 'NF==3 {print $3}' | sort -u)
external=$(comm -23 <(echo "$undefined") <(echo "$defined") | sed '/^$/d')
if [ -n "$external" ]; then
    echo "FAIL linkcheck.no_external_symbols: libv uses symbols it does not define:"
    echo "$external" | sed 's/^/  /'
    echo "0 passed, 1 failed"
    exit 1
fi
if ! "$cc" -nostdlib -static -no-pie -Wl,-e,0 -o "$out/libv.elf" \
        -Wl,--whole-archive "$libv" "$rt" -Wl,--no-whole-archive 2> "$out/err"; then
    echo "FAIL linkcheck.freestanding_link:"
    sed 's/^/  /' "$out/err"
    echo "0 passed, 1 failed"
    exit 1
fi
echo "pass linkcheck.no_external_symbols"
echo "pass linkcheck.freestanding_link"
echo "2 passed, 0 failed"
