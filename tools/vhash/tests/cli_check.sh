#!/usr/bin/env bash
# The vhash command line: official BLAKE3 vectors in all three modes and
# several output lengths, b3sum's line format and name escaping, exit
# status and messages. Usage: cli_check.sh VHASH
set -u
vh=$(realpath "$1")
here=$(dirname "$0")
pass=0 fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
label="vhash-cli($(basename "$vh"))"

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

# The vectors' input: byte i is i % 251.
pat="$dir/pattern"
printf "$(for i in $(seq 0 250); do printf '\\%03o' "$i"; done)" > "$pat"
for _ in $(seq 1 410); do cat "$pat"; done > "$dir/long"
key="whats the Elvish word for friend"
ctx="BLAKE3 2019-12-27 16:29:52 test vectors context"

: > "$dir/in"
while read -r n h k d; do
    case $n in '#'*) continue ;; esac
    f="$dir/v$n"
    head -c "$n" "$dir/long" > "$f"
    expect "hash_$n" 0 "${h:0:64}  $f" "" "$vh" "$f"
    expect "hash_${n}_131" 0 "$h  $f" "" "$vh" --length 131 "$f"
    cp "$f" "$dir/in"
    expect "hash_${n}_stdin" 0 "${h:0:64}  -" "" "$vh" -
    printf '%s' "$key" > "$dir/in"
    expect "keyed_$n" 0 "${k:0:64}  $f" "" "$vh" --keyed "$f"
    expect "keyed_${n}_131" 0 "$k" "" "$vh" --keyed --length=131 --no-names "$f"
    : > "$dir/in"
    expect "derive_$n" 0 "${d:0:64}  $f" "" "$vh" --derive-key "$ctx" "$f"
    expect "derive_${n}_7" 0 "${d:0:14}  $f" "" "$vh" -l 7 --derive-key="$ctx" "$f"
done < "$here/vectors.txt"

# Standard input, named or not.
head -c 1025 "$dir/long" > "$dir/in"
want=$(grep '^1025 ' "$here/vectors.txt" | cut -d' ' -f2)
expect stdin_default 0 "${want:0:64}  -" "" "$vh"
expect stdin_dash 0 "${want:0:64}  -" "" "$vh" -
: > "$dir/in"

# Several files, in order; a missing one is reported and the rest hashed.
e0=af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262
expect two_files 0 "$e0  $dir/v0
${e0}  $dir/v0" "" "$vh" "$dir/v0" "$dir/v0"
expect missing_file 1 "$e0  $dir/v0" "vhash: $dir/none: No such file or directory" \
    "$vh" "$dir/none" "$dir/v0"
expect directory 1 "" "vhash: $dir: Is a directory" "$vh" "$dir"
expect length_zero 0 "  $dir/v0" "" "$vh" --length 0 "$dir/v0"
expect no_names 0 "$e0" "" "$vh" --no-names "$dir/v0"
expect dashdash 0 "$e0  -x" "" bash -c "cd '$dir' && cp v0 ./-x && '$vh' -- -x"

# Raw output: the bytes themselves.
"$vh" --raw --length 32 "$dir/v0" > "$dir/raw" 2>&1
if [ "$(od -An -tx1 -v "$dir/raw" | tr -d ' \n')" = "$e0" ]; then ok raw; else bad raw "wrong bytes"; fi
expect raw_two_inputs 2 "" "--raw needs exactly one input" "$vh" --raw "$dir/v0" "$dir/v0"

# b3sum's escaping of names with backslash or newline.
cp "$dir/v0" "$dir/a\\b"
expect escape_backslash 0 "\\$e0  $dir/a\\\\b" "" "$vh" "$dir/a\\b"
cp "$dir/v0" "$dir/c
d"
expect escape_newline 0 "\\$e0  $dir/c\\nd" "" "$vh" "$dir/c
d"

# Usage errors: status 2, nothing hashed.
expect bad_option 2 "" "vhash: unknown option '--bogus'" "$vh" --bogus "$dir/v0"
expect bad_length 2 "" "--length needs a byte count, not '12x'" "$vh" --length 12x "$dir/v0"
expect negative_length 2 "" "--length needs a byte count, not '-1'" "$vh" --length -1 "$dir/v0"
expect huge_length 2 "" "--length needs a byte count, not '18446744073709551616'" \
    "$vh" --length 18446744073709551616 "$dir/v0"
expect missing_length 2 "" "missing value for '--length'" "$vh" --length
expect missing_context 2 "" "missing value for '--derive-key'" "$vh" --derive-key
expect keyed_and_derive 2 "" "exclude each other" "$vh" --keyed --derive-key x "$dir/v0"
expect keyed_stdin 2 "" "cannot also hash it" "$vh" --keyed
printf 'short' > "$dir/in"
expect keyed_short_key 2 "" "must be exactly 32 bytes (got fewer)" "$vh" --keyed "$dir/v0"
printf '%s!' "$key" > "$dir/in"
expect keyed_long_key 2 "" "must be exactly 32 bytes (got more)" "$vh" --keyed "$dir/v0"
: > "$dir/in"
expect help 0 "$("$vh" --help)" "" "$vh" -h

# A write error is reported, not ignored.
if [ -w /dev/full ]; then
    "$vh" "$dir/v0" > /dev/full 2> "$dir/err"
    st=$?
    if [ "$st" = 1 ] && grep -q "writing the output" "$dir/err"; then ok write_error
    else bad write_error "status $st: $(cat "$dir/err")"; fi
fi

echo "$label: $pass passed, $fail failed"
[ "$fail" = 0 ]
