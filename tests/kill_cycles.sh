#!/bin/sh
# Crash consistency over many kill -9 cycles (issue 14): CYCLES times, presse-index is killed
# without warning at a random moment of a JSONL ingest with small batches; after each kill the
# database must open, hold a whole number of batches, never fewer than before the kill, and pass
# Xapian's consistency check; a last run must complete it. Not part of ctest (about a minute);
# run by hand: tests/kill_cycles.sh build/presse-index build/presse-query [CYCLES]
set -u
INDEX=$1 QUERY=$2 CYCLES=${3:-25}
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/db N=20000 B=200
fails=0
awk -v n=$N 'BEGIN { for (i = 1; i <= n; i++) printf "{\"id\":\"k%05d\",\"text\":\"Meldung %d aus Hagen über den Haushalt, die Schulen und den Verkehr. Ende%d\"}\n", i, i, i }' \
  > "$TMP/in.jsonl"
count() { "$INDEX" --db "$DB" stats 2>/dev/null | awk '/^documents:/ {print $2}'; }
prev=0
for c in $(seq 1 "$CYCLES"); do
  "$INDEX" --db "$DB" -q --no-entities --batch $B add --jsonl "$TMP/in.jsonl" &
  pid=$!
  sleep "$(awk -v s="$c" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 1.5 }')"
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  n=$(count)
  if [ -z "$n" ]; then echo "cycle $c: the database does not open" >&2; fails=$((fails + 1)); continue; fi
  [ $((n % B)) -eq 0 ] || { echo "cycle $c: $n documents is not a whole number of batches" >&2; fails=$((fails + 1)); }
  [ "$n" -ge "$prev" ] || { echo "cycle $c: $n documents, fewer than the $prev before" >&2; fails=$((fails + 1)); }
  "$INDEX" --db "$DB" check >/dev/null || { echo "cycle $c: the consistency check failed" >&2; fails=$((fails + 1)); }
  echo "cycle $c: $n documents"
  prev=$n
done
"$INDEX" --db "$DB" -q --no-entities --batch $B add --jsonl "$TMP/in.jsonl" || fails=$((fails + 1))
[ "$(count)" = $N ] || { echo "after the last run: $(count) documents, expected $N" >&2; fails=$((fails + 1)); }
"$QUERY" --db "$DB" --limit 1 Ende$N | grep -q "k$N" || { echo "the last record is not searchable" >&2; fails=$((fails + 1)); }
echo "kill_cycles: $CYCLES cycles, $fails problems"
[ $fails -eq 0 ]
