#!/bin/sh
# End-to-end: RSS and Atom feeds (tests/feeds/, made by tools/make_feed_fixtures.py): one release
# per item with title, date and link, the item's full content or its summary; re-reading adds
# nothing; an item without content, a feed cut off in its middle, a file that is no feed, an
# http URL and an endless stream each get one line, and the rest is indexed.
set -u
INDEX=$1 QUERY=$2 SRC=$3
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/db
F=$SRC/tests/feeds
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
docs() { "$INDEX" --db "$1" stats | awk '/^documents:/ {print $2}'; }

"$INDEX" --db "$DB" -v add --feed "$F/rss.xml" --feed "file://$F/atom.xml" >"$TMP/out" 2>"$TMP/err"; st=$?
[ $st -eq 1 ] && ok || bad "exit $st, expected 1 (one item without content): $(cat "$TMP/err")"
grep -q "rss.xml: item 4 (https://www.hagen.de/presse/leer): item without content" "$TMP/err" && ok \
  || bad "the empty item is not reported: $(cat "$TMP/err")"
[ "$(docs "$DB")" = 6 ] && ok || bad "expected 6 documents (3 RSS items, 3 Atom entries), got $(docs "$DB")"
"$INDEX" --db "$DB" list > "$TMP/list"
want() {
  grep -qF "$(printf '%s\t%s\t%s' "$1" "$2" "$3")" "$TMP/list" && ok || bad "list lacks [$1 $2 $3]: $(cat "$TMP/list")"
}
# ids: the guid, else the link; Atom: the id
want hagen-2024-0815 2024-07-08 'Drei Jahre nach der Flut: Hagen baut Hochwasserschutz an der Volme aus'
want https://www.hagen.de/presse/fachtag 2025-01-30 'Fachtag von „Integration.Interkommunal“ zur Rolle von Migrantenorganisationen für den Berufseinstieg'
want https://www.halle.de/presse/schulen 2024-06-21 'Schulsanierung in den Sommerferien: 14 Schulen werden zu Baustellen'
want tag:berlin.de,2024:polizei-0123 2024-06-03 'Mutmaßliche Einbrecher nach Verfolgung in Neukölln festgenommen'
want tag:berlin.de,2024:polizei-1456 2024-05-02 '1. Mai in Berlin: Überwiegend friedliche Versammlungen, Festnahmen in Kreuzberg und Friedrichshain'
grep -q "^tag:polizei-bw.de,2024:schockanrufe	2024-02-15	Polizei warnt vor Schockanrufen" "$TMP/list" && ok \
  || bad "the Atom entry with a summary only: $(cat "$TMP/list")"
grep -q "rss.xml: item 1 (hagen-2024-0815): rss, date 2024-07-08, issuer Stadt Hagen" "$TMP/err" && ok \
  || bad "-v line of the first RSS item: $(cat "$TMP/err")"
grep -q "atom.xml: item 1 (tag:berlin.de,2024:polizei-0123): atom, date 2024-06-03, issuer Polizei Berlin" "$TMP/err" \
  && ok || bad "-v line of the first Atom entry"

# the full content (content:encoded) is indexed, not only the summary; HTML, CDATA and XHTML read
for q in Nahmerbach:hagen-2024-0815 Städtekooperation:https://www.hagen.de/presse/fachtag \
    Sommerferien:https://www.halle.de/presse/schulen Schifffahrtskanal:tag:berlin.de,2024:polizei-0123 \
    Kreuzberg:tag:berlin.de,2024:polizei-1456 Schockanrufe:tag:polizei-bw.de,2024:schockanrufe; do
  word=${q%%:*} id=${q#*:}
  "$QUERY" --db "$DB" --json --no-collapse --limit 10 "$word" | grep -qF "\"id\": \"$id\"" && ok \
    || bad "[$word] does not find $id"
done
# markup never reaches the text; the link is stored and shown
"$QUERY" --db "$DB" --json Sommerferien | grep -q '&lt;\|<p>' && bad "markup in the stored text" || ok
"$QUERY" --db "$DB" --json Volme | grep -qF '"link": "https://www.hagen.de/presse/volme"' && ok || bad "link not in JSON"
"$QUERY" --db "$DB" Volme | grep -qF "https://www.hagen.de/presse/volme" && ok || bad "link not shown"
"$QUERY" --db "$DB" --json Kreuzberg | grep -qF '"link": "https://www.berlin.de/polizei/1456"' && ok \
  || bad "Atom link without rel not taken"

# reading both feeds again adds nothing
"$INDEX" --db "$DB" -q add --feed "$F/rss.xml" --feed "$F/atom.xml" 2>/dev/null
[ "$(docs "$DB")" = 6 ] && ok || bad "re-reading the feeds added documents: $(docs "$DB")"

# bad feeds: one line each, what can be read is indexed
"$INDEX" --db "$TMP/bad" add --feed "$F/broken/malformed.xml" --feed "$F/broken/notafeed.xml" --feed http://example.org/rss \
  --feed "$TMP/missing.xml" >"$TMP/out" 2>"$TMP/err"; st=$?
[ $st -eq 1 ] && ok || bad "bad feeds: exit $st, expected 1"
grep -q "malformed.xml: malformed feed: .* at line 50 (2 items before it were read)" "$TMP/err" && ok \
  || bad "truncated feed: $(cat "$TMP/err")"
grep -q "notafeed.xml: not an RSS or Atom feed (the root element is <html>)" "$TMP/err" && ok || bad "no feed not reported"
grep -q "http://example.org/rss: feeds are read from files and file:// URLs only" "$TMP/err" && ok || bad "http URL"
grep -q "missing.xml: No such file or directory" "$TMP/err" && ok || bad "missing feed file not reported"
[ "$(wc -l < "$TMP/err")" = 5 ] && ok || bad "expected 4 lines and a summary: $(cat "$TMP/err")"
[ "$(docs "$TMP/bad")" = 2 ] && ok || bad "the 2 items before the damage are not indexed: $(docs "$TMP/bad")"
# an endless feed on stdin stops at 4 x --max-size, with the items before it indexed
(printf '<rss><channel><title>Endlos</title>'
 yes '<item><title>Immer wieder</title><guid>endlos</guid><description>Der Stadtrat tagt im Rathaus.</description></item>') |
  "$INDEX" --db "$TMP/endless" --no-entities --max-size 20000 add --feed - >"$TMP/out" 2>"$TMP/err"; st=$?
[ $st -eq 1 ] && ok || bad "endless feed: exit $st, expected 1"
grep -q "^presse-index: -: feed longer than 80000 bytes or 100000 items: read no further" "$TMP/err" && ok \
  || bad "endless feed: $(cat "$TMP/err")"
[ "$(docs "$TMP/endless")" = 1 ] && ok || bad "endless feed: its items (one guid) not indexed"

echo "e2e_feed: $passes passed, $fails failed"
[ $fails -eq 0 ]
