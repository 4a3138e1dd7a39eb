#!/usr/bin/env bash
# Generated code depends only on libv: every symbol the freestanding
# objects of generated code use must be defined by themselves, libv.a or
# libv_rt.a (the compiler-support routines such as memcpy).
# Usage: deps_check.sh LIBV_A LIBV_RT_A OBJECT...
set -u
libv=$1 rt=$2
shift 2
undefined=$(nm -u "$@" 2>/dev/null | awk '$1 == "U" {print $2}' |
            grep -vx '_GLOBAL_OFFSET_TABLE_' | sort -u)
defined=$(nm --defined-only "$libv" "$rt" "$@" 2>/dev/null |
          awk 'NF==3 {print $3}' | sort -u)
external=$(comm -23 <(echo "$undefined") <(echo "$defined") | sed '/^$/d')
if [ -n "$external" ]; then
    echo "FAIL vschema-deps.generated_code_needs_only_libv:"
    echo "$external" | sed 's/^/  /'
    echo "0 passed, 1 failed"
    exit 1
fi
echo "pass vschema-deps.generated_code_needs_only_libv"
echo "1 passed, 0 failed"
