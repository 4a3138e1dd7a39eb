#!/usr/bin/env bash
# The vsign command line: RFC 8032 vectors through the file formats,
# round trips, and rejection (status 1 or 2, a clear message) of tampered
# files, signatures and keys, malformed files and bad usage.
# Usage: cli_check.sh VSIGN
set -u
vs=$(realpath "$1")
pass=0 fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
label="vsign-cli($(basename "$vs"))"
cd "$dir" || exit 1

ok() { echo "pass $label.$1"; pass=$((pass + 1)); }
bad() { echo "FAIL $label.$1: $2"; fail=$((fail + 1)); }

# expect NAME STATUS STDOUT STDERR-SUBSTRING CMD... ('' = no stderr)
expect() {
    local name=$1 want=$2 want_out=$3 want_err=$4
    shift 4
    "$@" < /dev/null > out 2> err
    local got=$? o e
    o=$(cat out); e=$(cat err)
    if [ "$got" != "$want" ]; then
        bad "$name" "status $got, want $want; stderr: $e"
    elif [ "$o" != "$want_out" ]; then
        bad "$name" "stdout '$o', want '$want_out'"
    elif [ -z "$want_err" ] && [ -n "$e" ]; then
        bad "$name" "unexpected stderr '$e'"
    elif [ -n "$want_err" ] && [[ "$e" != *"$want_err"* ]]; then
        bad "$name" "stderr '$e' lacks '$want_err'"
    else
        ok "$name"
    fi
}
same() { # NAME FILE TEXT
    if [ "$(cat "$2")" = "$3" ]; then ok "$1"; else bad "$1" "$(cat "$2")"; fi
}

# RFC 8032 §7.1 TEST 1 (empty message) and TEST 2 (one byte 0x72).
s1=9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60
p1=d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a
g1=e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b
s2=4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb
p2=3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c
g2=92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00
echo "vsign-ed25519-secret-key $s1" > k1.sec
echo "vsign-ed25519-public-key $p1" > k1.pub
echo "vsign-ed25519-secret-key $s2" > k2.sec
echo "vsign-ed25519-public-key $p2" > k2.pub
: > empty
printf 'r' > one

expect public_from_secret 0 "vsign-ed25519-public-key $p1" "" "$vs" public -s k1.sec
expect rfc8032_test1_sign 0 "" "" "$vs" sign -s k1.sec empty
same rfc8032_test1_sigfile empty.vsig "vsign-ed25519-signature $g1 key ${p1:0:16}"
expect rfc8032_test1_verify 0 "empty: signature OK" "" "$vs" verify -p k1.pub empty
expect rfc8032_test2_sign 0 "" "" "$vs" sign -s k2.sec -o one.sig one
same rfc8032_test2_sigfile one.sig "vsign-ed25519-signature $g2 key ${p2:0:16}"
expect rfc8032_test2_verify 0 "one: signature OK" "" "$vs" verify -p k2.pub -x one.sig one
# Upper-case hex and a missing final newline are accepted.
printf 'vsign-ed25519-public-key %s' "${p2^^}" > k2u.pub
expect uppercase_no_newline 0 "one: signature OK" "" "$vs" verify -p k2u.pub -x one.sig one

# Round trip with fresh keys, on a file larger than the read buffer.
expect keygen 0 "" "" "$vs" keygen -s a.sec -p a.pub
if [ "$(stat -c %a a.sec)" = 600 ]; then ok secret_mode; else bad secret_mode "$(stat -c %a a.sec)"; fi
if grep -qE '^vsign-ed25519-secret-key [0-9a-f]{64}$' a.sec &&
   grep -qE '^vsign-ed25519-public-key [0-9a-f]{64}$' a.pub; then ok keygen_format
else bad keygen_format "$(cat a.pub)"; fi
expect keygen_public_matches 0 "$(cat a.pub)" "" "$vs" public -s a.sec
head -c 300000 /dev/urandom > big
expect sign_big 0 "" "" "$vs" sign -s a.sec big
expect verify_big 0 "big: signature OK" "" "$vs" verify -p a.pub big
expect verify_stdin 0 "-: signature OK" "" bash -c "'$vs' verify -p a.pub -x big.vsig - < big"
expect sign_stdin 0 "" "" bash -c "'$vs' sign -s a.sec -o stdin.vsig - < big"
if cmp -s stdin.vsig big.vsig; then ok sign_stdin_same; else bad sign_stdin_same "differs"; fi
expect keygen_twice_differs 0 "" "" "$vs" keygen -s b.sec -p b.pub
if ! cmp -s a.pub b.pub; then ok keys_differ; else bad keys_differ "same key twice"; fi

# Tampering: every kind is rejected with status 1.
# One byte changed: the random byte at 1234 plus one, so the file always
# differs (writing a fixed value failed whenever the byte already had it).
b=$(od -An -tu1 -j1234 -N1 big | tr -d ' ')
cp big big2; printf "\\x$(printf %02x $(( (b + 1) % 256 )))" |
    dd of=big2 bs=1 seek=1234 conv=notrunc 2> /dev/null
if cmp -s big big2; then bad tamper_setup "big2 equals big"; fi
cp big.vsig big2.vsig
expect tampered_file 1 "" "big2: BAD signature" "$vs" verify -p a.pub big2
head -c 299999 big > big3; cp big.vsig big3.vsig
expect truncated_file 1 "" "big3: BAD signature" "$vs" verify -p a.pub big3
sig=$(cut -d' ' -f2 big.vsig); id=$(cut -d' ' -f4 big.vsig)
for pos in 0 31 32 63 64 100 127; do
    c=${sig:$pos:1}; n=$(printf '%x' $(( (0x$c + 1) % 16 )))
    t="${sig:0:$pos}$n${sig:$((pos + 1))}"
    echo "vsign-ed25519-signature $t key $id" > t.vsig
    expect "tampered_sig_digit_$pos" 1 "" "BAD signature" "$vs" verify -p a.pub -x t.vsig big
done
pub=$(cut -d' ' -f2 a.pub)
# A flipped key digit after the id: same id, different (or no) point.
for pos in 20 40 63; do
    c=${pub:$pos:1}; n=$(printf '%x' $(( (0x$c + 1) % 16 )))
    echo "vsign-ed25519-public-key ${pub:0:$pos}$n${pub:$((pos + 1))}" > t.pub
    expect "tampered_key_digit_$pos" 1 "" "BAD signature" "$vs" verify -p t.pub big
done
expect wrong_key 1 "" "signature is by key ${pub:0:16}, not by the given public key $(cut -c26-41 b.pub)" \
    "$vs" verify -p b.pub big
echo "vsign-ed25519-signature $sig key $(cut -c26-41 b.pub)" > t.vsig
expect wrong_key_id_forged 1 "" "BAD signature" "$vs" verify -p b.pub -x t.vsig big
# S >= L must be refused too: TEST 1's signature with S replaced by S + L.
sl=4c8c7872aa064e049dbb3013fbf29380d25bf5f0595bbe24655141438e7a101b
echo "vsign-ed25519-signature ${g1:0:64}$sl key ${p1:0:16}" > sl.vsig
expect s_plus_l 1 "" "BAD signature" "$vs" verify -p k1.pub -x sl.vsig empty

# Malformed files: status 2 and what was expected.
mal() { # NAME CONTENT CMD...
    local name=$1 content=$2
    shift 2
    printf '%b' "$content" > m.file
    expect "$name" 2 "" "is malformed" "$@"
}
mal pub_short "vsign-ed25519-public-key ${p1:1}\n" "$vs" verify -p m.file empty
mal pub_long "vsign-ed25519-public-key ${p1}0\n" "$vs" verify -p m.file empty
mal pub_bad_digit "vsign-ed25519-public-key ${p1:1}g\n" "$vs" verify -p m.file empty
mal pub_wrong_tag "vsign-ed25519-secret-key $p1\n" "$vs" verify -p m.file empty
mal pub_two_newlines "vsign-ed25519-public-key $p1\n\n" "$vs" verify -p m.file empty
mal pub_crlf "vsign-ed25519-public-key $p1\r\n" "$vs" verify -p m.file empty
mal pub_nul "vsign-ed25519-public-key $p1\0\n" "$vs" verify -p m.file empty
mal pub_empty "" "$vs" verify -p m.file empty
head -c 100000 /dev/zero > m.big
expect pub_huge 2 "" "is malformed: too long" "$vs" verify -p m.big empty
mal sec_short "vsign-ed25519-secret-key ${s1:2}\n" "$vs" sign -s m.file -o x.sig empty
mal sec_is_public "vsign-ed25519-public-key $s1\n" "$vs" sign -s m.file -o x.sig empty
mal sig_no_key "vsign-ed25519-signature $g1\n" "$vs" verify -p k1.pub -x m.file empty
mal sig_short "vsign-ed25519-signature ${g1:1} key ${p1:0:16}\n" "$vs" verify -p k1.pub -x m.file empty
mal sig_bad_id "vsign-ed25519-signature $g1 key ${p1:0:15}\n" "$vs" verify -p k1.pub -x m.file empty
mal sig_trailing "vsign-ed25519-signature $g1 key ${p1:0:16} x\n" "$vs" verify -p k1.pub -x m.file empty

# Missing files, existing outputs, usage.
expect missing_pub 2 "" "cannot read public key 'none.pub': No such file or directory" \
    "$vs" verify -p none.pub empty
expect missing_sig 2 "" "cannot read signature 'one.vsig'" "$vs" verify -p k1.pub one
expect missing_file 2 "" "cannot read 'none': No such file or directory" \
    "$vs" sign -s k1.sec -o n.sig none
expect missing_secret 2 "" "cannot read secret key 'none.sec'" "$vs" sign -s none.sec empty
expect sig_exists 2 "" "'empty.vsig' already exists; not overwriting it" "$vs" sign -s k1.sec empty
expect keygen_exists 2 "" "'a.pub' already exists" "$vs" keygen -s c.sec -p a.pub
if [ ! -e c.sec ]; then ok keygen_exists_no_secret; else bad keygen_exists_no_secret "c.sec written"; fi
expect keygen_secret_exists 2 "" "'a.sec' already exists" "$vs" keygen -s a.sec -p d.pub
if [ ! -e d.pub ]; then ok keygen_secret_exists_cleanup; else bad keygen_secret_exists_cleanup "d.pub left"; fi
expect no_command 2 "" "missing command" "$vs"
expect bad_command 2 "" "unknown command 'frob'" "$vs" frob
expect bad_option 2 "" "unknown option '-q'" "$vs" sign -q -s k1.sec empty
expect missing_value 2 "" "missing value for '-s'" "$vs" sign -s
expect sign_no_file 2 "" "missing FILE" "$vs" sign -s k1.sec
expect sign_no_key 2 "" "sign needs -s SECRET" "$vs" sign empty
expect verify_no_key 2 "" "verify needs -p PUBLIC" "$vs" verify empty
expect verify_extra 2 "" "unexpected argument 'one'" "$vs" verify -p k1.pub empty one
expect keygen_no_public 2 "" "keygen needs -s SECRET and -p PUBLIC" "$vs" keygen -s e.sec
expect stdin_needs_sigfile 2 "" "standard input needs an explicit SIGFILE" "$vs" verify -p k1.pub -
expect help 0 "$("$vs" --help)" "" "$vs" -h

echo "$label: $pass passed, $fail failed"
[ "$fail" = 0 ]
