#!/bin/sh
# End-to-end: the seed release as HTML (with navigation and footer), as a two-column PDF, as
# DOCX, as ODT and as Windows-1252 text (tests/formats/, made by tools/make_format_fixtures.py).
# Each is indexed with the release's title, the date 2025-01-30 and its words; broken files
# (truncated PDF, a ZIP that is no DOCX, an image, text named .pdf) get one line each and the
# batch goes on with exit status 1.
set -u
INDEX=$1 QUERY=$2 SRC=$3
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/db
F=$SRC/tests/formats
TITLE='Fachtag von „Integration.Interkommunal“ zur Rolle von Migrantenorganisationen für den Berufseinstieg'
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
have_py=0
command -v python3 >/dev/null 2>&1 && have_py=1

"$INDEX" --db "$DB" -v add "$F" >"$TMP/out" 2>"$TMP/err"; st=$?
[ $st -eq 1 ] && ok || bad "indexing tests/formats exited $st, expected 1 (broken files skipped): $(cat "$TMP/err")"

# the broken files: one line each, naming the file and the reason
grep -q "broken/truncated.pdf: truncated PDF (no %%EOF at the end of the file)" "$TMP/err" && ok \
  || bad "truncated PDF not reported: $(cat "$TMP/err")"
grep -q "broken/notdocx.docx: a ZIP archive without word/document.xml: not a DOCX document" "$TMP/err" && ok \
  || bad "ZIP that is no DOCX not reported"
grep -q "broken/picture.png: image file '.png', not a text document" "$TMP/err" && ok || bad "image not reported"
grep -q "broken/fake.pdf: not a PDF file (no %PDF- header)" "$TMP/err" && ok || bad "text named .pdf not reported"
[ "$(grep -c 'broken/' "$TMP/err")" = 4 ] && ok || bad "expected 4 lines about broken files: $(cat "$TMP/err")"

# --verbose: format, encoding, date and title of each fixture
for f in seed.html:html seed.pdf:pdf seed.docx:docx seed.odt:odt seed-cp1252.txt:txt; do
  file=${f%%:*} fmt=${f#*:}
  line=$(grep "/$file: " "$TMP/err")
  echo "$line" | grep -q ": $fmt, " && ok || bad "$file: not read as $fmt: $line"
  echo "$line" | grep -q "date 2025-01-30" && ok || bad "$file: date is not 2025-01-30: $line"
  echo "$line" | grep -qF "title \"$TITLE\"" && ok || bad "$file: wrong title: $line"
  echo "$line" | grep -q "issuer Stadt Hagen, 3 contacts" && ok || bad "$file: issuer or contacts wrong: $line"
done
grep "seed-cp1252.txt: " "$TMP/err" | grep -q "txt, windows-1252" && ok || bad "cp1252 text: encoding not reported"
[ "$("$INDEX" --db "$DB" stats | awk '/^documents:/ {print $2}')" = 5 ] && ok || bad "expected 5 documents"

# each fixture's words are searchable, with umlauts intact and hyphenation joined
for f in seed.html seed.pdf seed.docx seed.odt seed-cp1252.txt; do
  for q in Migrantenorganisationen Kühner Städtekooperation Ruhrgebietsstädte Öffentlichkeitsarbeit \
           '"Rolle von Migrantenorganisationen"' Unterstützungsmöglichkeiten Nachwuchskräftegewinnung \
           michael.kaub@stadt-hagen.de titel:Berufseinstieg datum:2025-01-30; do
    "$QUERY" --db "$DB" --json --limit 10 --no-collapse "$q" 2>/dev/null | grep '"id"' | grep -q "/$f\"" && ok \
      || bad "$f: query [$q] does not find it"
  done
done
# what must not be indexed: site navigation, footer, cookie banner, scripts, deleted text, comments
for q in Hauptnavigation Datenschutz Barrierefreiheit Cookies dataLayer Winterdienst Zebrastreifenprüfung; do
  "$QUERY" --db "$DB" --no-collapse "$q" >/dev/null 2>&1 && bad "[$q] was indexed" || ok
done

# issuer and contacts in the stored data and in presse-query --json; the issuer as a filter
n=$("$QUERY" --db "$DB" --json --limit 10 --no-collapse 'von:"Stadt Hagen"' | grep -c '"issuer": "Stadt Hagen"')
[ "$n" = 5 ] && ok || bad "von:\"Stadt Hagen\" finds $n of the 5 fixtures"
"$QUERY" --db "$DB" 'issuer:Hagen Migrantenorganisationen' >/dev/null && ok || bad "issuer:Hagen finds nothing"
"$QUERY" --db "$DB" 'von:"Stadt Herne"' >/dev/null; [ $? -eq 1 ] && ok || bad "von:\"Stadt Herne\" found a release"
if [ $have_py = 1 ]; then
  for f in seed.html seed.pdf seed.docx seed.odt seed-cp1252.txt; do
    "$QUERY" --db "$DB" --json --limit 10 --no-collapse Kühner | python3 -c '
import json, sys
hit = [h for h in json.load(sys.stdin)["hits"] if h["id"].endswith("/" + sys.argv[1])][0]
got = {(c["name"], c["email"], c["phone"]) for c in hit["contacts"]}
want = {("Alexander Kühner", "Alexander.Kuehner@stadt-hagen.de", "02331/207-4575"),
        ("Michael Kaub", "michael.kaub@stadt-hagen.de", "+49 2331 207 3314"),
        ("Franziska Michels", "franziska.michels@stadt-hagen.de", "+49 2331 207 3417")}
assert got == want, got
assert hit["issuer"] == "Stadt Hagen"
assert "pressestelle@stadt-hagen.de" in hit["emails"]
' "$f" && ok || bad "$f: contacts in JSON are not the three of the seed"
  done
fi

# duplicates: the five versions are one release, shown once, with the count of the others
out=$("$QUERY" --db "$DB" Migrantenorganisationen)
[ "$(echo "$out" | grep -c "^[0-9]*\. Fachtag von")" = 1 ] && ok || bad "the release is not shown exactly once: $out"
echo "$out" | grep -q "4 weitere Fassungen dieser Meldung" && ok || bad "text output does not mention the 4 copies"
"$QUERY" --db "$DB" --json Migrantenorganisationen > "$TMP/dup.json"
grep -q '"total": 1' "$TMP/dup.json" && ok || bad "JSON total is not 1: $(head -5 "$TMP/dup.json")"
grep -q '"collapsed": 4' "$TMP/dup.json" && ok || bad "JSON lacks \"collapsed\": 4"
[ "$("$QUERY" --db "$DB" --json --no-collapse Migrantenorganisationen | grep -c '"rank"')" = 5 ] && ok \
  || bad "--no-collapse does not show all 5 versions"
"$INDEX" --db "$DB" stats | grep -q '^duplicates: *4 ' && ok || bad "stats: $("$INDEX" --db "$DB" stats)"
# the seed from corpus/ (Markdown) is the same release too: 6 copies, one hit
"$INDEX" --db "$DB" -q add "$SRC/corpus/000_stadt-hagen-fachtag-migrantenorganisationen.md" || bad "adding the seed failed"
"$QUERY" --db "$DB" --json Migrantenorganisationen | grep -q '"collapsed": 5' && ok || bad "the Markdown seed is not collapsed"
"$INDEX" --db "$DB" stats | grep -q '^duplicates: *5 ' && ok || bad "stats after the seed: $("$INDEX" --db "$DB" stats)"

# no mis-decoded umlaut in any stored title or snippet
"$QUERY" --db "$DB" --json --limit 10 Kühner Fachtag | grep -q 'Ã' && bad "mis-decoded umlauts in the output" || ok

echo "e2e_formats: $passes passed, $fails failed"
[ $fails -eq 0 ]
