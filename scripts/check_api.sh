#!/bin/sh
# The sealed API (issue 10): libpresse.so exports exactly the functions that include/presse/
# declares with PRESSE_API, and no file outside the library's folders includes a private header
# of presse (only "presse/..." and its own folder's headers).
# Usage: check_api.sh LIBPRESSE.so SOURCE_DIR
set -eu
lib=$1
src=$2
tmp=${TMPDIR:-/tmp}/check_api.$$
trap 'rm -f "$tmp".*' EXIT
# a declaration's name is the first presse_ identifier followed by '(' after PRESSE_API
sed -n 's/^PRESSE_API[^(]*[^a-z0-9_]\(presse_[a-z0-9_]*\)(.*/\1/p' "$src"/include/presse/*.h | sort -u >"$tmp.declared"
nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u >"$tmp.exported"
status=0
if ! cmp -s "$tmp.declared" "$tmp.exported"; then
  echo "check_api: $lib exports other functions than include/presse/ declares:" >&2
  diff "$tmp.declared" "$tmp.exported" | sed -n 's/^< /  declared, not exported: /p; s/^> /  exported, not declared: /p' >&2
  status=1
fi
echo "check_api: $(wc -l <"$tmp.declared") functions declared, $(wc -l <"$tmp.exported") exported"
# Programs built on the library: only the public headers and their own folder's.
for f in "$src"/serve/*.c "$src"/examples/*.c; do
  [ -f "$f" ] || continue
  dir=$(basename "$(dirname "$f")")
  bad=$(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | grep -v -e '^presse/' -e "^$dir/" || true)
  if [ -n "$bad" ]; then
    echo "check_api: ${f#"$src"/} includes private headers: $(echo $bad)" >&2
    status=1
  fi
done
exit $status
