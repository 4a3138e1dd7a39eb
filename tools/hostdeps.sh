#!/usr/bin/env bash
# Makes sure the Debian packages named as arguments are installed.
# As root it installs what is missing (apt-get); otherwise it prints the
# exact command to run and fails.
set -u
missing=()
for p in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "hostdeps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q "${missing[@]}" >/dev/null; then
        apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null || {
            echo "hostdeps: apt-get install ${missing[*]} failed" >&2
            exit 1
        }
    fi
    exit 0
fi
echo "hostdeps: missing Debian packages: ${missing[*]}" >&2
echo "hostdeps: install them with:  sudo apt-get install -y ${missing[*]}" >&2
exit 1
