#!/bin/sh
# bench/serve: presse-serve under wrk (Debian's) at 1, 8 and 64 connections over the 1,000
# Berlin title queries and 100 facet+histogram queries, and in the same run the same queries
# through presse_search in-process on as many threads (the ceiling), with the ratio. A benchmark,
# not a test: it prints a table and exits 0 whatever the figures.
# usage: bench/serve/run.sh [BUILD-DIR] [DOCS.jsonl]     (about 2 minutes after the first indexing)
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$(cd "${1:-$SRC/build}" && pwd)
DOCS=${2:-$SRC/../shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
[ -f "$DOCS" ] || { echo "bench/serve: no Berlin corpus at $DOCS" >&2; exit 0; }
command -v wrk >/dev/null || { echo "bench/serve: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
cmake --build "$BUILD" -j2 --target presse-index presse-serve bench-serve-ceiling >/dev/null
OUT=$BUILD/bench-serve
mkdir -p "$OUT"
DB=$OUT/berlin.db
if [ ! -d "$DB" ]; then
  echo "indexing $DOCS into $DB ..." >&2
  "$BUILD/presse-index" --db "$DB" -q add --jsonl "$DOCS"
fi
python3 "$SRC/bench/serve/make_queries.py" "$DOCS" "$OUT" >&2
export BENCH_PATHS="$OUT/paths.txt"
printf '%s\n' "| connections | presse-serve req/s | p50 ms | p99 ms | non-200 | ceiling req/s (search+JSON) | p50 ms | p99 ms | ratio | ceiling req/s (search only) | ratio |"
printf '%s\n' "|---|---|---|---|---|---|---|---|---|---|---|"
for c in 1 8 64; do
  log=$OUT/serve-$c.log
  "$BUILD/presse-serve" --db "$DB" --listen 127.0.0.1:0 --threads "$c" 2>"$log" >/dev/null &
  pid=$!
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$log")
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { echo "presse-serve did not start: $(cat "$log")" >&2; kill "$pid"; exit 1; }
  t=2; [ "$c" -lt 2 ] && t=1
  # warm-up pass over the queries, then the measured run
  wrk -t"$t" -c"$c" -d3s -s "$SRC/bench/serve/serve.lua" "http://127.0.0.1:$port" >/dev/null
  w=$(wrk -t"$t" -c"$c" -d"${SECONDS_PER_RUN}s" --latency -s "$SRC/bench/serve/serve.lua" "http://127.0.0.1:$port" | grep '^WRK')
  kill -TERM "$pid"; wait "$pid" || true
  j=$("$BUILD/bench/bench-serve-ceiling" --db "$DB" --queries "$OUT/queries.tsv" --threads "$c" --seconds "$SECONDS_PER_RUN" --json)
  s=$("$BUILD/bench/bench-serve-ceiling" --db "$DB" --queries "$OUT/queries.tsv" --threads "$c" --seconds "$SECONDS_PER_RUN")
  echo "$w" "$j" "$s" | awk -v c="$c" '{ printf "| %s | %.0f | %.2f | %.2f | %d | %.0f | %.2f | %.2f | %.2fx | %.0f | %.2fx |\n",
      c, $3, $4, $5, $6, $10, $11, $12, $3 / $10, $16, $3 / $16 }'
done
echo "(wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), $(nproc) cores, ${SECONDS_PER_RUN} s per run, load average $(cut -d' ' -f1-3 /proc/loadavg); presse-serve --threads = connections; the ceiling runs as many threads)"
