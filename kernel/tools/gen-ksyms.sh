#!/usr/bin/env bash
# Emits the kernel symbol table as assembly for the .ksyms section.
# Usage: gen-ksyms.sh KERNEL.elf > ksyms.S   (no argument: an empty table)
# Only text symbols are kept; nm -n sorts them by address, which
# ksyms_lookup's binary search relies on.
set -euo pipefail
{
    if [ $# -ge 1 ]; then
        ${NM:-nm} -n "$1" | awk '$2 ~ /^[TtWw]$/ && $1 ~ /^ffffffff8/ { print $1, $3 }'
    fi
} | awk '
BEGIN { n = 0 }
{ addr[n] = $1; name[n] = $2; n++ }
END {
    print "\t.section .ksyms, \"a\""
    print "\t.balign 8"
    print "\t.globl ksyms_count, ksyms_table, ksyms_names"
    print "ksyms_count:\n\t.quad " n
    print "ksyms_table:"
    off = 0
    for (i = 0; i < n; i++) {
        print "\t.quad 0x" addr[i] ", " off
        off += length(name[i]) + 1
    }
    print "ksyms_names:"
    for (i = 0; i < n; i++)
        print "\t.asciz \"" name[i] "\""
}'
