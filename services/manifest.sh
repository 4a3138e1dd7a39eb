#!/usr/bin/env bash
# Fills a service manifest template: every @schema:NAME@ becomes the
# schema id (decimal, as JSON wants) of schemas/NAME.vs, so a manifest
# names its inbox protocol and the build supplies the number.
# Usage: manifest.sh IN OUT VSCHEMA
set -eu
in=$1 out=$2 vschema=$3
text=$(cat "$in")
for name in $(grep -o '@schema:[a-z_]*@' "$in" | sort -u | sed 's/@schema:\(.*\)@/\1/'); do
    id=$("$vschema" id "schemas/$name.vs")
    text=${text//@schema:$name@/$(printf '%u' "$id")}
done
printf '%s\n' "$text" > "$out.tmp"
mv "$out.tmp" "$out"
