#!/bin/sh
# Ingest throughput by format: the Berlin police corpus (../shared/data, not in the repo) written
# out by bench/berlin_to_html.py as one plain-text file and one HTML page per release, each set
# indexed by presse-index from its folder (so the format readers run), beside the JSON-lines file
# the foundation benchmark (bench-index) uses. A benchmark, not a test: it prints a table and
# exits 0; without the corpus it says so and exits 0.
#
#   sh bench/bench_formats.sh [--runs N] [--presse-opt OPT] [DOCS.jsonl]
#
# MB/s are given two ways: over the bytes of the files read (what a user points presse at) and
# over the bytes of text extracted and indexed (what presse-index reports; for HTML that is the
# release without the page around it). Wall and CPU time (user+sys, from /usr/bin/time when it
# is installed) per run; the median of --runs (default 3). On a shared machine, compare the CPU
# columns: wall time moves with the neighbours' load.
set -eu
cd "$(dirname "$0")/.."
RUNS=3 OPTS= SRC=
while [ $# -gt 0 ]; do
  case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --presse-opt) OPTS="$OPTS $2"; shift 2 ;;
    *) SRC=$1; shift ;;
  esac
done
for c in "$SRC" ../shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl \
         ../../shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl; do
  [ -n "$c" ] && [ -f "$c" ] && { SRC=$c; break; }
done
if [ -z "$SRC" ] || [ ! -f "$SRC" ]; then
  echo "bench_formats: no corpus (../shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl); skipping"
  exit 0
fi
INDEX=${PRESSE_INDEX:-build/presse-index}
[ -x "$INDEX" ] || { cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null && cmake --build build -j2 --target presse-index >/dev/null; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 bench/berlin_to_html.py "$SRC" "$WORK" >/dev/null
echo "corpus: $SRC; load average: $(cut -d' ' -f1-3 /proc/loadavg); runs: $RUNS; presse-index options:${OPTS:- none}"

bytes_of() { find "$1" -type f -exec cat {} + | wc -c; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# run KIND ARGS...: indexes RUNS times into fresh databases; prints "wall text_mb docs"
run() {
  kind=$1; shift
  : > "$WORK/$kind.times"
  : > "$WORK/$kind.cpu"
  for i in $(seq "$RUNS"); do
    rm -rf "$WORK/db"
    t0=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
      # shellcheck disable=SC2086
      /usr/bin/time -f "%U %S" -o "$WORK/time.out" "$INDEX" --db "$WORK/db" $OPTS add "$@" 2>"$WORK/$kind.err" || true
      awk '{printf "%.3f\n", $1 + $2}' "$WORK/time.out" >> "$WORK/$kind.cpu"
    else
      # shellcheck disable=SC2086
      "$INDEX" --db "$WORK/db" $OPTS add "$@" 2>"$WORK/$kind.err" || true
      echo 0 >> "$WORK/$kind.cpu"
    fi
    t1=$(date +%s.%N)
    echo "$t0 $t1" | awk '{printf "%.3f\n", $2 - $1}' >> "$WORK/$kind.times"
  done
  wall=$(median < "$WORK/$kind.times")
  cpu=$(median < "$WORK/$kind.cpu")
  mb=$(sed -n 's/.*indexed \([0-9]*\) documents, \([0-9.]*\) MB.*/\2/p' "$WORK/$kind.err" | tail -1)
  docs=$(sed -n 's/.*indexed \([0-9]*\) documents.*/\1/p' "$WORK/$kind.err" | tail -1)
  echo "$wall $mb $docs $cpu"
}

jsonl_bytes=$(wc -c < "$SRC")
txt_bytes=$(bytes_of "$WORK/txt")
html_bytes=$(bytes_of "$WORK/html")
set -- $(run jsonl --jsonl "$SRC"); j_wall=$1 j_mb=$2 j_docs=$3 j_cpu=$4
set -- $(run txt "$WORK/txt"); t_wall=$1 t_mb=$2 t_docs=$3 t_cpu=$4
set -- $(run html "$WORK/html"); h_wall=$1 h_mb=$2 h_docs=$3 h_cpu=$4

printf '\n| input | documents | input MB | text MB indexed | wall s | CPU s | MB/s of input (wall) | MB/s of text (wall) | MB/s of text (CPU) |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
row() {
  awk -v n="$1" -v d="$2" -v b="$3" -v m="$4" -v w="$5" -v c="$6" 'BEGIN {
    per_cpu = (c > 0) ? sprintf("%.2f", m / c) : "-"
    printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |\n", n, d, b/1e6, m, w, c, b/1e6/w, m/w, per_cpu }'
}
row "JSON lines (bench-index's input)" "$j_docs" "$jsonl_bytes" "$j_mb" "$j_wall" "$j_cpu"
row "plain-text files (.txt)" "$t_docs" "$txt_bytes" "$t_mb" "$t_wall" "$t_cpu"
row "HTML pages (.html)" "$h_docs" "$html_bytes" "$h_mb" "$h_wall" "$h_cpu"
