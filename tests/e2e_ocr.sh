#!/bin/sh
# End-to-end: a scanned PDF (tests/scan/seed-scan.pdf: the seed release rendered by ghostscript to
# image-only pages, made by tools/make_scan_fixture.py) is read by Tesseract with the German
# model, marked as OCR in --verbose and in the stored data, found by its words, and shown as
# one release with the seed itself; --no-ocr leaves it out with the usual line. A PDF whose
# info title is its generator's name ("Enscript Output") gets the layout title.
set -u
INDEX=$1 QUERY=$2 SRC=$3
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/db
S=$SRC/tests/scan
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
[ -f /usr/share/tesseract-ocr/5/tessdata/deu.traineddata ] || [ -f /usr/share/tesseract-ocr/4.00/tessdata/deu.traineddata ] \
  || { echo "e2e_ocr: the German Tesseract model (tesseract-ocr-deu) is not installed"; exit 77; }
# Tesseract's OpenMP threads make a page several times slower on a busy machine
OMP_THREAD_LIMIT=1
export OMP_THREAD_LIMIT

start=$(date +%s)
"$INDEX" --db "$DB" -v add "$S/seed-scan.pdf" >"$TMP/out" 2>"$TMP/err"; st=$?
secs=$(( $(date +%s) - start ))
[ $st -eq 0 ] && ok || bad "indexing the scan exited $st: $(cat "$TMP/err")"
echo "e2e_ocr: 2 scanned pages read in ${secs} s"
line=$(grep "seed-scan.pdf: " "$TMP/err")
echo "$line" | grep -q ": pdf, date 2025-01-30, issuer Stadt Hagen, .*OCR (2 pages)" && ok || bad "-v line: $line"
echo "$line" | grep -q 'title "Fachtag von .Integration.Interkommunal. zur Rolle von Migrantenorganisationen für den Berufseinstieg"' \
  && ok || bad "title of the scan: $line"
for q in Migrantenorganisationen Städtekooperation Nachwuchskräftegewinnung Ruhrgebietsstädte Kühner; do
  "$QUERY" --db "$DB" --json "$q" | grep -q '"id": ".*seed-scan.pdf"' && ok || bad "[$q] does not find the scan"
done
"$QUERY" --db "$DB" --json Migrantenorganisationen | grep -q '"ocr": 2' && ok || bad "the stored data lacks \"ocr\": 2"
# the scan and the seed are one release
"$INDEX" --db "$DB" -q add "$SRC/corpus/000_stadt-hagen-fachtag-migrantenorganisationen.md" || bad "adding the seed failed"
"$QUERY" --db "$DB" --json Migrantenorganisationen > "$TMP/dup.json"
grep -q '"total": 1' "$TMP/dup.json" && grep -q '"collapsed": 1' "$TMP/dup.json" && ok \
  || bad "the scan does not collapse with the seed: $(cat "$TMP/dup.json" | head -30)"
# --no-ocr: the scan is a PDF without text, as before
"$INDEX" --db "$TMP/noocr" --no-ocr add "$S/seed-scan.pdf" 2>"$TMP/err"; st=$?
[ $st -eq 1 ] && grep -q "seed-scan.pdf: no text in this PDF (a scanned image without a text layer?)" "$TMP/err" && ok \
  || bad "--no-ocr: exit $st, $(cat "$TMP/err")"

# a generator's name as the PDF title falls back to the title in the largest type
"$INDEX" --db "$TMP/ens" -v add "$S/enscript.pdf" 2>"$TMP/err" || bad "enscript.pdf not indexed"
grep -q 'enscript.pdf: pdf, date 2024-05-17, .*title "Neue Radwege an der Ruhrstraße in Witten"' "$TMP/err" && ok \
  || bad "enscript.pdf: $(cat "$TMP/err")"

echo "e2e_ocr: $passes passed, $fails failed"
[ $fails -eq 0 ]
