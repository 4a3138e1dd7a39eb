#!/usr/bin/env bash
# The vcodec command line: check's verdicts with exact line:column and
# reason, fmt's layout, standard input, exit status and usage messages.
# Usage: cli_check.sh VCODEC
set -u
vc=$(realpath "$1")
pass=0 fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
label="vcodec-cli($(basename "$vc"))"

ok() { echo "pass $label.$1"; pass=$((pass + 1)); }
bad() { echo "FAIL $label.$1: $2"; fail=$((fail + 1)); }

# expect NAME STATUS STDOUT STDERR-SUBSTRING CMD... (stdin from $dir/in)
expect() {
    local name=$1 want=$2 want_out=$3 want_err=$4
    shift 4
    "$@" < "$dir/in" > "$dir/out" 2> "$dir/err"
    local got=$? out err
    out=$(cat "$dir/out"); err=$(cat "$dir/err")
    if [ "$got" != "$want" ]; then
        bad "$name" "status $got, want $want; stderr: $err"
    elif [ "$out" != "$want_out" ]; then
        bad "$name" "stdout '$out', want '$want_out'"
    elif [ -z "$want_err" ] && [ -n "$err" ]; then
        bad "$name" "unexpected stderr '$err'"
    elif [ -n "$want_err" ] && [[ "$err" != *"$want_err"* ]]; then
        bad "$name" "stderr '$err' lacks '$want_err'"
    else
        ok "$name"
    fi
}

# valid NAME TEXT: check accepts TEXT from a file and from standard input.
valid() {
    printf '%b' "$2" > "$dir/doc.json"
    : > "$dir/in"
    expect "valid_$1" 0 "" "" "$vc" check "$dir/doc.json"
    cp "$dir/doc.json" "$dir/in"
    expect "valid_$1_stdin" 0 "" "" "$vc" check -
}

# invalid NAME TEXT LINE:COL REASON: check rejects with exactly that.
invalid() {
    printf '%b' "$2" > "$dir/doc.json"
    : > "$dir/in"
    expect "invalid_$1" 1 "" "$dir/doc.json:$3: $4" "$vc" check "$dir/doc.json"
    cp "$dir/doc.json" "$dir/in"
    expect "invalid_$1_stdin" 1 "" "<stdin>:$3: $4" "$vc" check -
}

valid object '{"a": 1, "b": [true, false, null], "c": {"d": "e"}}'
valid scalar_number '-12.5e-3'
valid scalar_string '"caf\\u00e9 \\ud83d\\ude00"'
valid utf8 '["\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"]'
valid big_integer '[123456789012345678901234567890, -9223372036854775808]'
valid whitespace ' \t\r\n[ 1 ,\n\t2 ]\n\n'
valid empty_containers '[{}, [], {"": []}]'
valid nested "$(printf '[%.0s' $(seq 1 200))$(printf ']%.0s' $(seq 1 200))"

invalid empty '' 1:1 'unexpected end of input'
invalid only_space '  \n  ' 2:3 'unexpected end of input'
invalid trailing_comma_array '[1,\n 2,]' 2:4 "trailing comma before ']'"
invalid trailing_comma_object '{"a": 1,}' 1:9 "trailing comma before '}'"
invalid duplicate_key '{"a": 1,\n  "a": 2}' 2:3 'duplicate key'
invalid duplicate_key_escaped '{"a": 1, "\\u0061": 2}' 1:10 'duplicate key'
invalid leading_zero '[01]' 1:2 'leading zero in number'
invalid bad_fraction '[1.]' 1:4 "expected a digit after '.'"
invalid bad_exponent '[1e+]' 1:5 'expected a digit in the exponent'
invalid nan '[NaN]' 1:2 'expected a value'
invalid bad_literal '[tru]' 1:2 'invalid literal'
invalid single_quotes "{'a': 1}" 1:2 'expected a member name'
invalid missing_colon '{"a" 1}' 1:6 "expected ':' after member name"
invalid missing_comma '[1 2]' 1:4 "expected ',' or ']'"
invalid missing_comma_object '{"a": 1 "b": 2}' 1:9 "expected ',' or '}'"
invalid unclosed '{"a": [1, 2' 1:12 'unexpected end of input'
invalid trailing_garbage '{}\n\n  x' 3:3 'trailing characters after the document'
invalid two_documents '1 2' 1:3 'trailing characters after the document'
invalid control_char '["a\tb"]' 1:4 'control character in string (must be escaped)'
invalid bad_escape '["\\x"]' 1:3 'invalid escape'
invalid lone_surrogate '["\\ud800"]' 1:3 'unpaired high surrogate escape'
invalid low_surrogate '["\\udc00"]' 1:3 'unpaired low surrogate escape'
invalid bad_utf8 '["a\xff"]' 1:4 'invalid UTF-8 in string'
invalid overlong_utf8 '["\xc0\xaf"]' 1:3 'invalid UTF-8 in string'
invalid bom '\xef\xbb\xbf[]' 1:1 'byte order mark is not allowed'
invalid comment '[1] // no' 1:5 'trailing characters after the document'
invalid too_deep "$(printf '[%.0s' $(seq 1 1025))" 1:1025 'nesting deeper than max_depth'
# Columns count bytes: the two-byte e-acute moves the error two columns.
invalid column_bytes '"\xc3\xa9" x' 1:6 'trailing characters after the document'

# fmt: two spaces by default, --indent N, empty containers kept short,
# numbers exactly as written, strings re-escaped minimally.
printf '{"a":[1,2.50e3,-0,{"b":"x\\u00e9\\n"}],"c":{},"d":[],"e":true,"f":null,"g":123456789012345678901234567890}' > "$dir/in"
expect fmt_stdin 0 '{
  "a": [
    1,
    2.50e3,
    -0,
    {
      "b": "xé\n"
    }
  ],
  "c": {},
  "d": [],
  "e": true,
  "f": null,
  "g": 123456789012345678901234567890
}' "" "$vc" fmt
cp "$dir/in" "$dir/doc.json"
expect fmt_dash 0 "$(cat "$dir/out")" "" "$vc" fmt -
printf '[[1],{"k":"v"}]' > "$dir/in"
expect fmt_indent4 0 '[
    [
        1
    ],
    {
        "k": "v"
    }
]' "" "$vc" fmt --indent 4
expect fmt_scalar 0 '"s"' "" bash -c "printf '  \"s\"  ' | '$vc' fmt"
# Output ends with exactly one newline, and re-formatting is stable.
printf '{"a":[1]}' > "$dir/in"
"$vc" fmt < "$dir/in" > "$dir/f1"
"$vc" fmt "$dir/f1" > "$dir/f2"
if [ "$(tail -c 1 "$dir/f1" | od -An -tx1 | tr -d ' ')" = 0a ] &&
   cmp -s "$dir/f1" "$dir/f2"; then ok fmt_stable; else bad fmt_stable "differs"; fi
"$vc" check "$dir/f1" && ok fmt_output_valid || bad fmt_output_valid "rejected"
# An invalid document: status 1, the position, and nothing on stdout.
printf '[1,\n2,]' > "$dir/in"
expect fmt_invalid 1 "" "<stdin>:2:3: trailing comma before ']'" "$vc" fmt
printf '{"a":1}' > "$dir/doc.json"
: > "$dir/in"
expect fmt_file 0 '{
  "a": 1
}' "" "$vc" fmt "$dir/doc.json"

# convert: arguments are checked before anything is read (the
# conversions themselves are in convert_check.sh).
expect convert_no_schema 2 "" "s.vs" \
    "$vc" convert --schema s.vs --type T --from json --to msgpack
expect convert_unknown_option 2 "" "unknown option '--fast'" \
    "$vc" convert --schema s.vs --type T --from json --to json --fast
expect convert_two_files 2 "" "convert takes at most one FILE" \
    "$vc" convert --schema s.vs --type T --from json --to json a b
expect convert_missing 2 "" "convert needs --schema, --type, --from and --to" \
    "$vc" convert --schema s.vs --type T --from json
expect convert_bad_from 2 "" "--from needs json, msgpack or binary, not 'xml'" \
    "$vc" convert --schema s.vs --type T --from xml --to json
expect convert_bad_to 2 "" "--to needs json, msgpack or binary, not 'yaml'" \
    "$vc" convert --schema s.vs --type T --from json --to yaml
expect convert_no_value 2 "" "missing value for '--type'" \
    "$vc" convert --schema s.vs --type

# Usage and I/O errors: status 2.
expect no_command 2 "" "vcodec: missing command" "$vc"
expect bad_command 2 "" "vcodec: unknown command 'lint'" "$vc" lint x
expect check_no_file 2 "" "check needs exactly one FILE" "$vc" check
expect check_two_files 2 "" "check needs exactly one FILE" "$vc" check a b
expect check_missing 2 "" "vcodec: $dir/none: No such file or directory" \
    "$vc" check "$dir/none"
expect check_directory 2 "" "vcodec: $dir: Is a directory" "$vc" check "$dir"
expect fmt_missing 2 "" "vcodec: $dir/none: No such file or directory" \
    "$vc" fmt "$dir/none"
expect fmt_bad_option 2 "" "vcodec: unknown option '--bogus'" "$vc" fmt --bogus
expect fmt_bad_indent 2 "" "--indent needs 1 to 16, not '17'" "$vc" fmt --indent 17
expect fmt_zero_indent 2 "" "--indent needs 1 to 16, not '0'" "$vc" fmt --indent 0
expect fmt_text_indent 2 "" "--indent needs 1 to 16, not 'x'" "$vc" fmt --indent x
expect fmt_no_indent 2 "" "missing value for '--indent'" "$vc" fmt --indent
expect fmt_two_files 2 "" "fmt takes at most one FILE" "$vc" fmt a b
expect help 0 "$("$vc" --help)" "" "$vc" -h

# A write error is reported, not ignored.
if [ -w /dev/full ]; then
    printf '[1]' | "$vc" fmt > /dev/full 2> "$dir/err"
    st=$?
    if [ "$st" = 2 ] && grep -q "writing the output" "$dir/err"; then ok write_error
    else bad write_error "status $st: $(cat "$dir/err")"; fi
fi

echo "$label: $pass passed, $fail failed"
[ "$fail" = 0 ]
