#!/usr/bin/env bash
# vcodec convert through the schema of the vschema tests
# (tools/vschema/tests/all.vs): a value through every pair of formats
# comes back as the same canonical JSON; bad input exits 1 with the offset
# and reason; schema, type and usage problems exit 2.
# Usage: convert_check.sh VCODEC (run from the top of the repository)
set -u
vc=$(realpath "$1")
schema=tools/vschema/tests/all.vs
pass=0 fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
label="vcodec-convert($(basename "$vc"))"

ok() { echo "pass $label.$1"; pass=$((pass + 1)); }
bad() { echo "FAIL $label.$1: $2"; fail=$((fail + 1)); }

# conv TYPE FROM TO [ARGS...]: stdin to stdout.
conv() {
    local type=$1 from=$2 to=$3
    shift 3
    "$vc" convert --schema "$schema" --type "$type" --from "$from" --to "$to" "$@"
}

# expect NAME STATUS STDERR-SUBSTRING TYPE FROM TO < input
expect() {
    local name=$1 want=$2 want_err=$3
    shift 3
    conv "$@" > "$dir/out" 2> "$dir/err"
    local got=$? err
    err=$(cat "$dir/err")
    if [ "$got" != "$want" ]; then
        bad "$name" "status $got, want $want; stderr: $err"
    elif [ -z "$want_err" ] && [ -n "$err" ]; then
        bad "$name" "unexpected stderr '$err'"
    elif [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then
        bad "$name" "stderr '$err' lacks '$want_err'"
    else
        ok "$name"
    fi
}

# A value of every type of all.vs, written loosely: members out of order,
# whitespace, escapes. json -> json gives its canonical form.
all_json='{ "big": 536870911, "scalars": {"flag": true, "a": 255, "b": 65535,
  "c": 4294967295, "d": 18446744073709551615, "e": -128, "f": -32768,
  "g": -2147483648, "h": -9223372036854775808, "r": -0.5e-3, "color": "blue"},
  "name": "caf\u00e9 \ud83d\ude00", "blob": [0, 1, 255], "fixed": [1, 2, 3],
  "words": ["a", "", "\u20ac"], "points": [{"x": 1, "y": -1}],
  "note": "n", "shape": {"many": [1, 65535]},
  "shapes": [{"none": {}}, {"corners": [{"x": 0, "y": 0}, {"y": 2, "x": 1}]}],
  "colors": ["red", "green"], "part": {"id": 7, "tag": [9]},
  "reals": [1e300, 0.1], "flags": [false, true, true] }'
canon='{"scalars":{"flag":true,"a":255,"b":65535,"c":4294967295,"d":18446744073709551615,"e":-128,"f":-32768,"g":-2147483648,"h":-9223372036854775808,"r":-0.0005,"color":"blue"},"name":"café 😀","blob":[0,1,255],"fixed":[1,2,3],"words":["a","","€"],"points":[{"x":1,"y":-1}],"note":"n","shape":{"many":[1,65535]},"shapes":[{"none":{}},{"corners":[{"x":0,"y":0},{"x":1,"y":2}]}],"colors":["red","green"],"part":{"id":7,"tag":[9]},"reals":[1e+300,0.1],"flags":[false,true,true],"big":536870911}'

printf '%s' "$all_json" | conv All json json > "$dir/c.json" 2> "$dir/err"
if [ "$(cat "$dir/c.json")" = "$canon" ]; then ok json_to_canonical_json
else bad json_to_canonical_json "$(cat "$dir/c.json") $(cat "$dir/err")"; fi

# json -> binary -> msgpack -> json is the canonical JSON again.
printf '%s' "$all_json" | conv All json binary | conv All binary msgpack |
    conv All msgpack json > "$dir/round.json" 2> "$dir/err"
if cmp -s "$dir/round.json" "$dir/c.json"; then ok json_binary_msgpack_json
else bad json_binary_msgpack_json "$(cat "$dir/round.json") $(cat "$dir/err")"; fi

# Every pair of formats: from X to Y and back to JSON.
for from in json binary msgpack; do
    conv All json "$from" < "$dir/c.json" > "$dir/src.$from"
done
for from in json binary msgpack; do
    for to in json binary msgpack; do
        conv All "$from" "$to" "$dir/src.$from" > "$dir/x" 2> "$dir/err" &&
            conv All "$to" json < "$dir/x" > "$dir/back.json" 2>> "$dir/err"
        if cmp -s "$dir/back.json" "$dir/c.json" &&
            cmp -s "$dir/x" "$dir/src.$to"; then ok "pair_${from}_$to"
        else bad "pair_${from}_$to" "$(cat "$dir/err")"; fi
    done
done

# Known bytes: Point {x: 1, y: -2}.
printf '{"y":-2,"x":1}' | conv Point json binary | od -An -tx1 | tr -d ' \n' > "$dir/hex"
if [ "$(cat "$dir/hex")" = "08021003" ]; then ok point_binary_bytes
else bad point_binary_bytes "$(cat "$dir/hex")"; fi
printf '{"y":-2,"x":1}' | conv Point json msgpack | od -An -tx1 | tr -d ' \n' > "$dir/hex"
if [ "$(cat "$dir/hex")" = "82a17801a179fe" ]; then ok point_msgpack_bytes
else bad point_msgpack_bytes "$(cat "$dir/hex")"; fi
printf '{"y":-2,"x":1}' | conv vstest.all.Point json json > "$dir/out"
if [ "$(cat "$dir/out")" = '{"x":1,"y":-2}' ]; then ok qualified_type_name
else bad qualified_type_name "$(cat "$dir/out")"; fi
# An imported type, by its qualified name; a file argument.
printf '{"id":1,"tag":[]}' > "$dir/part.json"
conv vstest.part.Part json json "$dir/part.json" > "$dir/out"
if [ "$(cat "$dir/out")" = '{"id":1,"tag":[]}' ]; then ok imported_type
else bad imported_type "$(cat "$dir/out")"; fi

# Invalid input: status 1, the offset and the reason.
printf '{"x":1}' > "$dir/in"; expect missing_field 1 \
    "<stdin>: offset 0: missing required field y (line 1, column 1)" Point json binary < "$dir/in"
printf '{"x":1,\n "y":1e3}' > "$dir/in"; expect wrong_type 1 \
    "<stdin>: offset 13: expected an integer (line 2, column 6)" Point json json < "$dir/in"
printf '{"x":1,"y":2} x' > "$dir/in"; expect trailing_json 1 \
    "offset 14: trailing characters after the document" Point json json < "$dir/in"
printf '\x08\x02\x10' > "$dir/in"; expect truncated_binary 1 \
    "<stdin>: offset 3: truncated varint" Point binary json < "$dir/in"
printf '\x08\x02\x10\x03\x00' > "$dir/in"; expect trailing_binary 1 \
    "offset 4: invalid field number" Point binary json < "$dir/in"
printf '\x08\x82\x00\x10\x03' > "$dir/in"; expect non_canonical_binary 1 \
    "offset 1: varint not in its shortest form" Point binary json < "$dir/in"
printf '\x3a\x00' > "$dir/in"; expect unknown_tag_binary 1 \
    "offset 0: unknown union variant" Shape binary json < "$dir/in"
printf '{"oval":1}' > "$dir/in"; expect unknown_tag_json 1 \
    "offset 1: unknown union variant" Shape json binary < "$dir/in"
printf '\x81\xa4oval\x01' > "$dir/in"; expect unknown_tag_msgpack 1 \
    "offset 1: unknown union variant" Shape msgpack json < "$dir/in"
printf '\x82\xa1x\x01\xa1y\xa1z' > "$dir/in"; expect wrong_type_msgpack 1 \
    "offset 6: expected an integer" Point msgpack json < "$dir/in"
printf '{"label":"aaaaaaaaaaaaaaaaa"}' > "$dir/in"; expect overlong_string 1 \
    "offset 9: string longer than its maximum" Shape json msgpack < "$dir/in"
printf '{"x":1,"y":2,"z":3}' > "$dir/in"; expect unknown_field 1 \
    "offset 13: unknown field" Point json json < "$dir/in"
printf '{"x":1,"y":2,"z":3}' > "$dir/in"; expect skip_unknown 0 "" \
    Point json json --skip-unknown < "$dir/in"
printf '\x11\x00\x00\x00\x00\x00\x00\xf0\x7f' > "$dir/in"; expect infinity_to_json 1 \
    "the value cannot be written: infinity has no JSON form" Shape binary json < "$dir/in"
printf '\x11\x00\x00\x00\x00\x00\x00\xf0\x7f' > "$dir/in"; expect infinity_to_msgpack 0 "" \
    Shape binary msgpack < "$dir/in"
head -c $((16 * 1024 * 1024 + 1)) /dev/zero > "$dir/in"; expect too_long 1 \
    "longer than 16777216 bytes" Point binary json < "$dir/in"

# Messages: binary only (handles have no text form).
printf '\x08\x00\x1a\x01\x00\x22\x00' > "$dir/t.bin"
expect message_binary_needs_data 1 "missing required field" Transfer binary binary < "$dir/t.bin"
expect message_json 2 "only binary" Transfer json binary < /dev/null

# Schema, type and usage problems: status 2.
expect no_type 2 "schema vstest.all has no type 'Nope'" Nope json json < /dev/null
expect enum_type 2 "'Color' is an enum" Color json json < /dev/null
expect missing_file 2 "no-such-file" Point json json "$dir/no-such-file" < /dev/null
printf 'schema x;\nstruct {' > "$dir/bad.vs"
"$vc" convert --schema "$dir/bad.vs" --type T --from json --to json \
    < /dev/null > /dev/null 2> "$dir/err"
st=$?
if [ "$st" = 2 ] && grep -q "bad.vs:2:8: expected" "$dir/err"; then ok schema_error
else bad schema_error "status $st: $(cat "$dir/err")"; fi
# Imports are found through -I.
cp "$schema" "$dir/all.vs"
printf '{"x":1,"y":2}' | "$vc" convert --schema "$dir/all.vs" --type Point \
    --from json --to json > /dev/null 2> "$dir/err"
st=$?
if [ "$st" = 2 ] && grep -q "part.vs" "$dir/err"; then ok import_not_found
else bad import_not_found "status $st: $(cat "$dir/err")"; fi
printf '{"x":1,"y":2}' | "$vc" convert --schema "$dir/all.vs" --type Point \
    --from json --to json -I tools/vschema/tests > "$dir/out" 2> "$dir/err"
if [ $? = 0 ] && [ "$(cat "$dir/out")" = '{"x":1,"y":2}' ]; then ok import_dir
else bad import_dir "$(cat "$dir/err")"; fi

# A write error is reported, not ignored.
if [ -w /dev/full ]; then
    printf '{"x":1,"y":2}' | conv Point json msgpack > /dev/full 2> "$dir/err"
    st=$?
    if [ "$st" = 2 ] && grep -q "writing the output" "$dir/err"; then ok write_error
    else bad write_error "status $st: $(cat "$dir/err")"; fi
fi

echo "$label: $pass passed, $fail failed"
[ "$fail" = 0 ]
