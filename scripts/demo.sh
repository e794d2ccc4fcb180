#!/bin/sh
# The main job on the bundled corpus: install what is missing, build, index corpus/ into
# build/demo.db and search it.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 >/dev/null
./build/presse-index --db build/demo.db add corpus/
./build/presse-query --db build/demo.db --limit 3 "Migrantenorganisationen"
