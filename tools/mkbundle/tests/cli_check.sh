#!/usr/bin/env bash
# The mkbundle command line: build, list and verify; every tamper, the
# wrong key, bad names and key files refused with status and message.
# Usage: cli_check.sh MKBUNDLE VSIGN
set -u
mk=$(realpath "$1")
vsign=$(realpath "$2")
pass=0 fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
label="mkbundle-cli($(basename "$mk"))"
cd "$dir" || exit 1

ok() { echo "pass $label.$1"; pass=$((pass + 1)); }
bad() { echo "FAIL $label.$1: $2"; fail=$((fail + 1)); }

# expect NAME STATUS STDOUT STDERR-SUBSTRING CMD...
expect() {
    local name=$1 want=$2 want_out=$3 want_err=$4
    shift 4
    "$@" > out 2> err < /dev/null
    local got=$? o e
    o=$(cat out); e=$(cat err)
    if [ "$got" != "$want" ]; then
        bad "$name" "status $got, want $want; stderr: $e"
    elif [ "$want_out" != "*" ] && [ "$o" != "$want_out" ]; then
        bad "$name" "stdout '$o', want '$want_out'"
    elif [ -z "$want_err" ] && [ -n "$e" ]; then
        bad "$name" "unexpected stderr '$e'"
    elif [ -n "$want_err" ] && [[ "$e" != *"$want_err"* ]]; then
        bad "$name" "stderr '$e' lacks '$want_err'"
    else
        ok "$name"
    fi
}

# RFC 8032 §7.1 TEST 1 key, and a second, fresh key.
echo "vsign-ed25519-secret-key 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60" > k.sec
echo "vsign-ed25519-public-key d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a" > k.pub
"$vsign" keygen -s o.sec -p o.pub || exit 1

printf 'hello' > a.txt
printf '' > empty
head -c 10000 /dev/zero | tr '\0' 'x' > big
h_hello=ea8f163db38682925e4491c5e58d4bb3506ef8c14eb78a86e908c5624a67200f
h_empty=af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262

expect create 0 "" "" "$mk" -k k.sec -o b.vb readme=a.txt bin/init=big z=empty
expect size 0 "20480" "" stat -c %s b.vb
# list: sorted by name, one line each: hash, size, name.
"$mk" list b.vb > listed 2> err
if [ "$(sed -n 2p listed)" = "$h_hello 5 readme" ] &&
   [ "$(sed -n 3p listed)" = "$h_empty 0 z" ] &&
   [ "$(sed -n 1p listed | cut -d' ' -f2-)" = "10000 bin/init" ] &&
   [ "$(wc -l < listed)" = 3 ]; then ok list-lines; else bad list-lines "$(cat listed err)"; fi
expect verify 0 "b.vb: OK, 3 entries" "" "$mk" verify -p k.pub b.vb
expect wrong-key 1 "" "signed by another key" "$mk" verify -p o.pub b.vb

# Same inputs, same key: the same bytes (canonical, deterministic).
"$mk" -k k.sec -o b2.vb z=empty bin/init=big readme=a.txt
if cmp -s b.vb b2.vb; then ok canonical; else bad canonical "bytes differ"; fi

# tamper OFFSET NAME WANT-STATUS MESSAGE: flip one bit at OFFSET.
tamper() {
    cp b.vb t.vb
    local byte
    byte=$(od -An -tu1 -j "$1" -N1 t.vb | tr -d ' ')
    printf "$(printf '\\%03o' $((byte ^ 1)))" |
        dd of=t.vb bs=1 seek="$1" conv=notrunc status=none
    expect "tamper-$2" "$3" "" "$4" "$mk" verify -p k.pub t.vb
}
tamper 0 magic 1 "bad magic"
tamper 8 version 1 "unsupported bundle version"
tamper 48 key-id 1 "signed by another key"
tamper 70 record 1 "BAD signature"
tamper 200 names 1 "BAD signature"
tamper 300 signature 1 "BAD signature"
tamper 4000 padding 1 "padding byte is not zero"
tamper 8192 entry-data 1 "entry 'bin/init': entry data does not match its signed hash"
tamper 16384 entry-data-2 1 "entry 'readme': entry data does not match"
head -c 16384 b.vb > short.vb
expect truncated 1 "" "truncated" "$mk" verify -p k.pub short.vb
expect truncated-list 1 "" "truncated" "$mk" list short.vb
cp b.vb long.vb; printf 'x' >> long.vb
expect trailing 1 "" "trailing bytes" "$mk" verify -p k.pub long.vb

# Bad input to create.
expect dup-name 2 "" "two entries are named 'b'" "$mk" -k k.sec -o d.vb b=a.txt a=a.txt c=big b=big
for n in /abs a/ a//b . .. a/../b ''; do
    expect "bad-name-$n" 2 "" "not" "$mk" -k k.sec -o n.vb "$n=a.txt"
done
expect no-equals 2 "" "is not NAME=PATH" "$mk" -k k.sec -o n.vb a.txt
expect missing-file 2 "" "cannot read 'nope'" "$mk" -k k.sec -o n.vb a=nope
expect exists 2 "" "already exists" "$mk" -k k.sec -o b.vb a=a.txt
expect no-key-opt 2 "" "usage" "$mk" -o n.vb a=a.txt
echo "vsign-ed25519-secret-key 12" > bad.sec
expect bad-secret 2 "" "key file 'bad.sec' is malformed" "$mk" -k bad.sec -o n.vb a=a.txt
expect secret-as-public 2 "" "is malformed" "$mk" verify -p k.sec b.vb
expect verify-usage 2 "" "usage" "$mk" verify b.vb
expect list-usage 2 "" "usage" "$mk" list
expect empty-bundle 0 "" "" "$mk" -k k.sec -o e.vb
expect empty-verify 0 "e.vb: OK, 0 entries" "" "$mk" verify -p k.pub e.vb
[ ! -e n.vb ] && [ ! -e d.vb ] && ok no-partial-output || bad no-partial-output "output left behind"

echo "$label: $pass passed, $fail failed"
[ "$fail" = 0 ]
