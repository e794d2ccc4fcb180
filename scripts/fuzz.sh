#!/bin/sh
# Builds the libFuzzer targets of tests/fuzz (clang, ASan+UBSan, in build-fuzz/) and runs each
# for a fixed time, one after the other. Fails (exit 1) when any target finds a crash, a
# sanitizer report, a leak, a timeout or a broken invariant; the input that did it is saved
# as ARTIFACTS/<target>-crash-... and named in the output.
#   scripts/fuzz.sh [-t SECONDS] [-c CORPUS_ROOT] [-a ARTIFACTS] [-k] [TARGET...]
#     -t  seconds per target (default 30)
#     -c  keep the grown corpora in CORPUS_ROOT/<target> (default: a temporary copy of the
#         committed seeds, removed at the end; the seeds in tests/fuzz/seeds are never written)
#     -a  where crash inputs go (default build-fuzz/artifacts)
#     -k  keep going after a finding (libFuzzer's fork mode, one job): for long campaigns, so
#         that one known crash does not end the run; every finding is still saved and counted
#   targets: query analysis ner text markdown html pdf docx odt jsonl email feed serve (default: all)
# Environment: FUZZ_NICE (default 0) runs the fuzzers under nice -n FUZZ_NICE.
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
secs=30 corpus_root= artifacts=$root/build-fuzz/artifacts keep=
while getopts t:c:a:k o; do
  case $o in
    t) secs=$OPTARG ;;
    c) corpus_root=$OPTARG ;;
    a) artifacts=$OPTARG ;;
    k) keep="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1" ;;
    *) echo "usage: scripts/fuzz.sh [-t SECONDS] [-c CORPUS_ROOT] [-a ARTIFACTS] [-k] [TARGET...]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
all="query analysis ner text markdown html pdf docx odt jsonl email feed serve"
targets=${*:-$all}
for t in $targets; do
  case " $all " in *" $t "*) ;; *) echo "fuzz.sh: unknown target '$t' (known: $all)" >&2; exit 2 ;; esac
done
command -v clang >/dev/null || { echo "fuzz.sh: clang not found (sh scripts/install-deps.sh)" >&2; exit 2; }

# Warnings are errors here too: clang warns about some things gcc does not (-Wformat-nonliteral,
# -Wstring-plus-int), and the suite's rule holds for both.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPRESSE_FUZZ=ON -DPRESSE_WERROR=ON >/dev/null
cmake --build build-fuzz -j2 --target fuzz >/dev/null

# The longest input each target tries: enough for a release in that format, short enough to
# keep executions fast (the seeds are a few KiB).
max_len() {
  case $1 in
    query) echo 4096 ;;
    analysis | ner | serve) echo 8192 ;;
    text | markdown) echo 16384 ;;
    pdf) echo 65536 ;;
    *) echo 32768 ;;
  esac
}

mkdir -p "$artifacts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=
for t in $targets; do
  if [ -n "$corpus_root" ]; then
    dir=$corpus_root/$t
  else
    dir=$tmp/$t
  fi
  mkdir -p "$dir"
  cp -n tests/fuzz/seeds/$t/* "$dir/" 2>/dev/null || true
  # the seeds that are fixtures elsewhere in the tree (tests/fuzz/seed-fixtures.txt)
  awk -v t="$t" '$1 == t { print $2 }' tests/fuzz/seed-fixtures.txt | while read -r f; do
    cp -n "$f" "$dir/$(basename "$f")" || true
  done
  log=$tmp/$t.log
  echo "fuzz: $t for ${secs}s (corpus $dir)"
  # detect_leaks: a leak is a finding like a crash; new_delete_type_mismatch=0: libxapian 1.4.22's own
  # Database::check (presse_db_check, on every writer's open) trips it inside libxapian (scripts/test.sh)
  rc=0
  quiet= # the server's access log (a line a request on stderr) would drown the run's output
  [ "$t" = serve ] && quiet=-close_fd_mask=2
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0:new_delete_type_mismatch=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    nice -n "${FUZZ_NICE:-0}" build-fuzz/tests/fuzz/fuzz_$t "$dir" \
    -dict=tests/fuzz/dict/$t.dict -max_len="$(max_len "$t")" -timeout=10 -rss_limit_mb=1536 \
    -max_total_time="$secs" -print_final_stats=1 $keep $quiet -artifact_prefix="$artifacts/$t-" >"$log" 2>&1 || rc=$?
  stats=$(grep -a -E '^#[0-9]+:?[[:space:]].*cov' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "fuzz: $t: ${execs:-?} executions; last: ${stats:-none}"
  if [ "$rc" != 0 ]; then
    failed="$failed $t"
    echo "fuzz: $t FAILED (exit $rc):" >&2
    grep -a -E 'ERROR|SUMMARY|invariant|Test unit written|==[0-9]+==|#[0-9]+ 0x' "$log" | head -40 >&2
  fi
done
if [ -n "$failed" ]; then
  echo "fuzz: findings in:$failed (inputs in $artifacts)" >&2
  exit 1
fi
echo "fuzz: no findings in: $targets"
