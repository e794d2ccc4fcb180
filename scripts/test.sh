#!/bin/sh
# Builds presse and runs the whole test suite twice: an optimised build, then one under
# AddressSanitizer and UndefinedBehaviorSanitizer. Then the tests that drive the store's writer
# thread (store, indexer, the kill -9 test) and presse-serve's worker threads (serve_api, serve_live)
# under ThreadSanitizer. Warnings are errors in all.
# Last, every fuzz target of tests/fuzz for PRESSE_FUZZ_SECONDS (default 15) each: a crash, a
# sanitizer report, a leak or a timeout fails the run (about 3 minutes, plus the clang build).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPRESSE_WERROR=ON >/dev/null
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
# the install under a fresh prefix: examples/ built against it through pkg-config (issue 10)
sh scripts/install_check.sh build
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPRESSE_SANITIZE=ON -DPRESSE_WERROR=ON >/dev/null
cmake --build build-asan -j2
# new_delete_type_mismatch=0: libxapian 1.4.22's own Database::check (what xapian-check runs, and
# presse_db_check) deletes an object through a base of another size inside libxapian; no
# presse code is involved (reproduced with a five-line program calling Xapian::Database::check)
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:new_delete_type_mismatch=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j2
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DPRESSE_TSAN=ON -DPRESSE_WERROR=ON >/dev/null
cmake --build build-tsan -j2 --target presse-index presse-query presse-serve test_store test_indexer compound-lexicon
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure -j2 -R '^(store|indexer|e2e_crash|serve_api|serve_live)$'
sh scripts/fuzz.sh -t "${PRESSE_FUZZ_SECONDS:-15}"
