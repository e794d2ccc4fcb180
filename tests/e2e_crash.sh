#!/bin/sh
# End-to-end: kill -9 of presse-index in the middle of a large batch leaves a database that
# opens, holds every batch committed before the kill, and takes the rest on a re-run.
set -u
INDEX=$1 QUERY=$2
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/db
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
docs() { "$INDEX" --db "$DB" stats 2>/dev/null | awk '/^documents:/ {print $2}'; }

N=30000
awk -v n=$N 'BEGIN {
  split("Polizei Feuerwehr Stadtrat Baustelle Radweg Schule Kita Haushalt Hochwasser Verkehr Unfall Festival", w, " ");
  for (i = 1; i <= n; i++) {
    t = "";
    for (k = 0; k < 120; k++) t = t w[(i * 7 + k * 13) % 12 + 1] " ";
    printf "{\"id\":\"m%05d\",\"title\":\"Meldung %d\",\"date\":\"2024-05-%02d\",\"text\":\"%s Ende%d\"}\n", i, i, i % 28 + 1, t, i;
  }
}' > "$TMP/big.jsonl"

# entities off: this test is about commits and kill -9, and NER triples its time under sanitizers
"$INDEX" --db "$DB" -q --no-entities --batch 500 add --jsonl "$TMP/big.jsonl" &
pid=$!
# wait until some batches are committed, then kill without warning
seen=0
for i in $(seq 1 600); do
  seen=$(docs); seen=${seen:-0}
  [ "$seen" -ge 2000 ] && break
  sleep 0.05
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
[ "$seen" -ge 2000 ] && ok || bad "indexing did not reach 2000 committed documents (saw $seen)"
after=$(docs)
[ -n "$after" ] && ok || bad "the database does not open after kill -9"
[ "${after:-0}" -ge "$seen" ] && ok || bad "committed batches lost: saw $seen, now $after"
[ $((${after:-1} % 500)) -eq 0 ] && ok || bad "$after documents is not a whole number of batches"
[ "${after:-0}" -lt $N ] && ok || bad "the kill came too late to test anything ($after of $N)"
"$QUERY" --db "$DB" --limit 1 Ende1 | grep -q m00001 && ok || bad "an early document is not searchable"

# entities off: this test is about commits and kill -9, and NER triples its time under sanitizers
"$INDEX" --db "$DB" -q --no-entities --batch 500 add --jsonl "$TMP/big.jsonl" && ok || bad "the re-run failed"
[ "$(docs)" = $N ] && ok || bad "after the re-run: $(docs) documents, expected $N"
"$QUERY" --db "$DB" --limit 1 Ende$N | grep -q "m$N" && ok || bad "the last document is not searchable"

echo "e2e_crash: $passes passed, $fails failed"
[ $fails -eq 0 ]
