#!/usr/bin/env bash
# schemas/bundle.vs describes real manifests: a Bundle made by mkbundle,
# read back field by field (the header's version, flags and key id from
# its bytes, each entry's hash, size and name from `mkbundle list`), is a
# valid Manifest, and survives JSON -> binary -> msgpack -> JSON intact.
# Usage: bundle_schema_check.sh VCODEC MKBUNDLE VSIGN (from the top of
# the repository)
set -u
vc=$(realpath "$1") mk=$(realpath "$2") vsign=$(realpath "$3")
schema=$(realpath schemas/bundle.vs)
pass=0 fail=0
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
ok() { echo "pass bundle-schema.$1"; pass=$((pass + 1)); }
bad() { echo "FAIL bundle-schema.$1: $2"; fail=$((fail + 1)); }
conv() { "$vc" convert --schema "$schema" --type Manifest --from "$1" --to "$2"; }

cd "$dir" || exit 1
"$vsign" keygen -s k.sec -p k.pub > /dev/null
printf 'hello' > a
: > e
head -c 5000 /dev/zero > z
long=$(printf 'n%.0s' $(seq 1 255))
cp a "$long"
"$mk" -k k.sec -o b.vb bin/a=a etc/e=e "data/z=z" "$long=$long" > /dev/null

# u32 and 8 bytes of the header, little-endian.
u32() { od -An -t u4 -j "$1" -N 4 b.vb | tr -d ' '; }
key=$(od -An -t u1 -j 48 -N 8 b.vb | xargs | tr ' ' ',')
hexbytes() { echo "$1" | sed 's/../0x& /g' | xargs printf '%d,' | sed 's/,$//'; }
{
    printf '{"version":%s,"flags":%s,"key_id":[%s],"entries":[' \
        "$(u32 8)" "$(u32 12)" "$key"
    sep=
    "$mk" list b.vb | while read -r hash size name; do
        printf '%s{"name":"%s","size":%s,"hash":[%s]}' "$sep" "$name" \
            "$size" "$(hexbytes "$hash")"
        sep=,
    done
    printf ']}'
} > m.json

if conv json json < m.json > c.json 2> err && cmp -s m.json c.json; then
    ok manifest_is_valid_and_canonical
else
    bad manifest_is_valid_and_canonical "$(cat err) $(head -c 300 c.json)"
fi
conv json binary < m.json | conv binary msgpack | conv msgpack json > r.json
if cmp -s r.json m.json; then ok round_trip
else bad round_trip "$(head -c 300 r.json)"; fi
if [ "$(grep -o '"name"' m.json | wc -l)" = 4 ] &&
    grep -q "\"key_id\":\[$key\]" m.json && [ "$(u32 8)" = 1 ]; then
    ok fields_read_from_the_bundle
else
    bad fields_read_from_the_bundle "$(head -c 300 m.json)"
fi
# The schema's bounds are the format's: a 256-byte name does not fit.
sed "s/\"name\":\"$long\"/\"name\":\"x$long\"/" m.json > big.json
conv json binary < big.json > /dev/null 2> err
st=$?
if [ "$st" = 1 ] && grep -q "string longer than its maximum" err; then
    ok name_bound
else
    bad name_bound "status $st: $(cat err)"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
