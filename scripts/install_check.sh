#!/bin/sh
# Issue 10: install libpresse and the commands under a fresh prefix, build examples/search.c
# against the installed library through pkg-config (shared, and static with --static), index
# corpus/ with the installed presse-index and search it with the example and the installed
# presse-query: the data files (NER model, compound lexicon) must come from the prefix.
# Usage: install_check.sh BUILD_DIR
set -eu
cd "$(dirname "$0")/.."
build=$1
prefix=$(mktemp -d "${TMPDIR:-/tmp}/presse-install.XXXXXX")
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
pc_libdir=$(pkg-config --variable=libdir presse)
[ "$(cd "$pc_libdir" && pwd -P)" = "$(cd "$prefix/lib" && pwd -P)" ] || { echo "install_check: presse.pc's libdir is $pc_libdir" >&2; exit 1; }
cc -Wall -Werror examples/search.c $(pkg-config --cflags --libs presse) -o "$prefix/search-shared"
# the static library (libpresse.a beside libpresse.so: name the archive for the static build)
cc -Wall -Werror examples/search.c $(pkg-config --cflags presse) \
  $(pkg-config --static --libs presse | sed 's/-lpresse\b/-l:libpresse.a/') -o "$prefix/search-static"
readelf -d "$prefix/search-shared" | grep -q 'libpresse.so.0' || { echo "install_check: search-shared does not link libpresse.so.0" >&2; exit 1; }
if readelf -d "$prefix/search-static" | grep -q libpresse; then echo "install_check: search-static links libpresse.so" >&2; exit 1; fi
# the installed commands, with nothing of the build tree in reach
env -u PRESSE_NER_MODEL -u PRESSE_LEXICON "$prefix/bin/presse-index" --db "$prefix/db" add corpus/ >/dev/null
for q in Beamte festnehmen; do
  LD_LIBRARY_PATH="$prefix/lib" "$prefix/search-shared" "$prefix/db" "$q" >"$prefix/out" || { echo "install_check: search-shared '$q' found nothing" >&2; exit 1; }
  "$prefix/search-static" "$prefix/db" "$q" | cmp -s - "$prefix/out" || { echo "install_check: the static and shared builds differ on '$q'" >&2; exit 1; }
  env -u PRESSE_NER_MODEL -u PRESSE_LEXICON "$prefix/bin/presse-query" --db "$prefix/db" "$q" >/dev/null || { echo "install_check: presse-query '$q' found nothing" >&2; exit 1; }
  echo "install_check: '$q': $(head -1 "$prefix/out")"
done
LD_LIBRARY_PATH="$prefix/lib" "$prefix/search-shared" "$prefix/db" 'Migrantenorganisationen Fachtag' | grep -q '000_stadt-hagen' ||
  { echo "install_check: the seed release is not found" >&2; exit 1; }
echo "install_check: passed (prefix $prefix)"
