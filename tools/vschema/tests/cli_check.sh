#!/usr/bin/env bash
# The vschema command line: exit status, messages on stderr, output files.
# Usage: cli_check.sh VSCHEMA
set -u
vs=$1
pass=0 fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

check() { # name, expected status, expected stderr ('' = empty), command...
    local name=$1 want=$2 want_err=$3
    shift 3
    "$@" > "$dir/out" 2> "$dir/err"
    local got=$?
    if [ "$got" = "$want" ] && [ "$(cat "$dir/err")" = "$want_err" ]; then
        echo "pass vschema-cli.$name"
        pass=$((pass + 1))
    else
        echo "FAIL vschema-cli.$name: status $got (want $want), stderr:"
        sed 's/^/  /' "$dir/err"
        fail=$((fail + 1))
    fi
}

mkdir -p "$dir/sub" "$dir/inc" "$dir/gen"
printf 'schema t.a;\nimport "b.vs";\nstruct A { b: t.b.B = 1; }\n' > "$dir/a.vs"
printf 'schema t.b;\nstruct B { x: u8 = 1; }\n' > "$dir/inc/b.vs"
printf 'schema t.bad;\nstruct A {\n  x: u9 = 1;\n}\n' > "$dir/bad.vs"

check usage 2 "$(printf 'usage: vschema check FILE [-I DIR]...\n       vschema canon FILE [TYPE] [-I DIR]...\n       vschema id FILE [TYPE] [-I DIR]...\n       vschema gen FILE -o DIR [-I DIR]...')" "$vs" check
check missing_file 1 "$dir/none.vs: cannot read '$dir/none.vs'" "$vs" check "$dir/none.vs"
check import_not_found 1 "$dir/a.vs:2:1: cannot read '$dir/b.vs'" "$vs" check "$dir/a.vs"
check import_from_include_dir 0 "" "$vs" check "$dir/a.vs" -I "$dir/inc"
check error_position 1 "$dir/bad.vs:3:6: unknown type 'u9'" "$vs" check "$dir/bad.vs"
check canon 0 "" "$vs" canon "$dir/a.vs" -I "$dir/inc"
want=$(printf 'schema t.a\nstruct t.a.A {1:b:t.b.B;}\nstruct t.b.B {1:x:u8;}')
if [ "$(cat "$dir/out")" = "$want" ]; then
    echo "pass vschema-cli.canon_text"; pass=$((pass + 1))
else
    echo "FAIL vschema-cli.canon_text:"; sed 's/^/  /' "$dir/out"; fail=$((fail + 1))
fi
check id 0 "" "$vs" id "$dir/a.vs" A -I "$dir/inc"
if grep -qx '0x[0-9a-f]\{16\}' "$dir/out"; then
    echo "pass vschema-cli.id_format"; pass=$((pass + 1))
else
    echo "FAIL vschema-cli.id_format: $(cat "$dir/out")"; fail=$((fail + 1))
fi
check unknown_type_arg 2 "vschema: schema 't.a' has no type 'Z'" "$vs" id "$dir/a.vs" Z -I "$dir/inc"
check gen 0 "" "$vs" gen "$dir/a.vs" -o "$dir/gen" -I "$dir/inc"
if [ -s "$dir/gen/a.h" ] && [ -s "$dir/gen/a.c" ] && grep -q '#include "b.h"' "$dir/gen/a.h"; then
    echo "pass vschema-cli.gen_files"; pass=$((pass + 1))
else
    echo "FAIL vschema-cli.gen_files"; fail=$((fail + 1))
fi
check gen_bad_dir 2 "$dir/nodir/a.h: No such file or directory" "$vs" gen "$dir/a.vs" -o "$dir/nodir" -I "$dir/inc"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
