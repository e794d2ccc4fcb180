#!/bin/sh
# End-to-end: e-mail ingest (tests/mail/, made by tools/make_mail_fixtures.py). The mbox and the
# Maildir hold the same 12 messages; each release is indexed once with its title, date and
# issuer, attachments are searchable and point to their message, the seed sent as body and as
# PDF is one hit, quoted replies, signatures and cover notes stay out, reading again adds
# nothing, and broken.mbox's bad messages get one line each while its good ones are indexed.
set -u
INDEX=$1 QUERY=$2 SRC=$3
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
DB=$TMP/db
M=$SRC/tests/mail
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
docs() { "$INDEX" --db "$1" stats | awk '/^documents:/ {print $2}'; }
finds() { "$QUERY" --db "$DB" --json --no-collapse --limit 20 "$1" 2>/dev/null | grep '"id"' | grep -qF "\"$2"; }

"$INDEX" --db "$DB" -v add "$M/box.mbox" >"$TMP/out" 2>"$TMP/err"; st=$?
[ $st -eq 0 ] && ok || bad "indexing box.mbox exited $st: $(cat "$TMP/err")"
# 9 messages with a release as body, 1 forwarded as message/rfc822, 3 attachments (2 cover notes
# and the forward's note are no releases)
[ "$(docs "$DB")" = 13 ] && ok || bad "box.mbox: expected 13 documents, got $(docs "$DB")"
"$INDEX" --db "$DB" list > "$TMP/list"
want() { # id date title
  grep -qF "$(printf '%s\t%s\t%s' "$1" "$2" "$3")" "$TMP/list" && ok || bad "list lacks [$1 $2 $3]: $(grep -F "$1" "$TMP/list")"
}
want 'mid:pm-01@presse.example' 2025-01-30 'Fachtag von „Integration.Interkommunal“ zur Rolle von Migrantenorganisationen für den Berufseinstieg'
want 'mid:pm-02@presse.example' 2024-05-13 'Straßenbauarbeiten an der Ruhrallee: Vollsperrung zwischen B 54 und Märkischer Straße ab Ostermontag'
want 'mid:pm-03@presse.example' 2024-06-03 'Mutmaßliche Einbrecher nach Verfolgung in Neukölln festgenommen'
want 'mid:pm-06@presse.example' 2024-04-17 'Klimaschutz vor der Haustür: Freiburg startet Beteiligung zum Klimaplan 2030'
want 'mid:pm-70@presse.example' 2024-01-12 'Feuerwehr Frankfurt zieht Bilanz: Über 160.000 Einsätze im Jahr 2023'
want 'mid:pm-08@presse.example' 2024-03-07 'Schwerpunktkontrolle gegen Raser und Poser: 214 Verstöße auf dem Wall'
want 'mid:pm-09@presse.example' 2024-03-05 'Land stellt 48 Millionen Euro für Hochwasserschutzmaßnahmen an Erft und Wupper bereit'
want 'mid:pm-10@presse.example' 2024-05-14 'Ehrenamtspreis der Stadt Bielefeld'
want 'mid:pm-12@presse.example' 2024-12-05 'Stadtrat beschließt Doppelhaushalt 2025/2026: Leipzig investiert in Schulen und Nahverkehr'
want 'mid:pm-04@presse.example/1/PM_Volme.pdf' 2024-07-08 'Drei Jahre nach der Flut: Hagen baut Hochwasserschutz an der Volme aus'
want 'mid:pm-05@presse.example/1/PM_Kitas.docx' 2024-11-05 'Köln schafft 1.200 neue Kita-Plätze: Sieben Kindertagesstätten gehen 2025 in Betrieb'
grep -q "^mail:[0-9a-f]*	2024-05-13	Ehrenamtspreis 2024: Bielefeld zeichnet" "$TMP/list" && ok \
  || bad "the message without Message-ID is not indexed under a hash id"
for id in pm-04@presse.example pm-05@presse.example pm-07@presse.example; do
  grep -q "^mid:$id	" "$TMP/list" && bad "the cover note $id was indexed as a release" || ok
done
# --verbose: one line per document, with encoding and attachment
grep -q "box.mbox: message 3 <pm-03@presse.example>: eml, windows-1252, date 2024-06-03, issuer Polizei Berlin" "$TMP/err" \
  && ok || bad "-v line of the Windows-1252 message: $(grep 'message 3 ' "$TMP/err")"
grep -q "message 5 <pm-05@presse.example>: PM_Kitas.docx: docx, .*attached to mid:pm-05@presse.example" "$TMP/err" \
  && ok || bad "-v does not show the DOCX attachment"
[ "$(grep -c ': eml, \|: pdf, \|: docx, ' "$TMP/err")" = 13 ] && ok || bad "-v: expected 13 document lines: $(cat "$TMP/err")"

# issuers: the sender's organisation
issuer() { # query id issuer
  "$QUERY" --db "$DB" --json --no-collapse --limit 20 "$1" | python3 -c '
import json, sys
hits = {h["id"]: h for h in json.load(sys.stdin)["hits"]}
h = hits.get(sys.argv[1])
assert h, sorted(hits)
assert h["issuer"] == sys.argv[2], h["issuer"]
' "$2" "$3" && ok || bad "issuer of $2 is not $3"
}
if command -v python3 >/dev/null 2>&1; then
  issuer Migrantenorganisationen mid:pm-01@presse.example "Stadt Hagen"
  issuer Neukölln mid:pm-03@presse.example "Polizei Berlin"
  issuer Klimaplan mid:pm-06@presse.example "Stadt Freiburg"
  issuer Raser mid:pm-08@presse.example "Polizeipräsidium Dortmund"
  issuer Volme mid:pm-04@presse.example/1/PM_Volme.pdf "Stadt Hagen"
  "$QUERY" --db "$DB" --json --no-collapse Kindertagesstätten | python3 -c '
import json, sys
h = json.load(sys.stdin)["hits"][0]
assert h["id"] == "mid:pm-05@presse.example/1/PM_Kitas.docx", h["id"]
' && ok || bad "the DOCX attachment is not found by its text"
fi

# attachment text, the Windows-1252 body, an HTML-only body, the forwarded releases
finds Kindertagesstätten 'mid:pm-05@presse.example/1/PM_Kitas.docx' && ok || bad "DOCX attachment text not found"
finds Volme 'mid:pm-04@presse.example/1/PM_Volme.pdf' && ok || bad "PDF attachment text not found"
finds Schifffahrtskanal 'mid:pm-03@presse.example' && ok || bad "quoted-printable Windows-1252 body not found"
finds Ruhrallee 'mid:pm-02@presse.example' && ok || bad "HTML-only body not found"
finds Stadtteilwerkstätten 'mid:pm-06@presse.example' && ok || bad "inline-forwarded release not found"
finds Einsätze 'mid:pm-70@presse.example' && ok || bad "message/rfc822 forward not found"
finds Doppelhaushalt 'mid:pm-12@presse.example' && ok || bad "Outlook forward not found"
# what is not the release: quoted originals, signatures, the forwarder's note, cover notes
for q in Zitatwortmarker Signaturzeilenwort '"zur Info"' Weiterverwendung '"anbei unsere heutige"' \
         '"Ursprüngliche Nachricht"'; do
  "$QUERY" --db "$DB" --no-collapse "$q" >/dev/null 2>&1 && bad "[$q] was indexed" || ok
done

# the seed as body and as PDF attachment: one hit, one copy folded into it
# (the Bielefeld release names Migrantenorganisationen too: a second, different hit)
"$QUERY" --db "$DB" --json Migrantenorganisationen > "$TMP/dup.json"
[ "$(grep -c '"id": "mid:pm-01@' "$TMP/dup.json")" = 1 ] && ok || bad "body and PDF attachment not collapsed: $(cat "$TMP/dup.json")"
grep -q '"total": 2' "$TMP/dup.json" && ok || bad "expected 2 hits (the seed once, Bielefeld): $(head -5 "$TMP/dup.json")"
grep -q '"collapsed": 1' "$TMP/dup.json" && ok || bad "JSON lacks \"collapsed\": 1"
"$INDEX" --db "$DB" stats | grep -q '^duplicates: *1 ' && ok || bad "stats: $("$INDEX" --db "$DB" stats)"

# reading the mbox again, and the Maildir with the same messages, adds nothing
"$INDEX" --db "$DB" -q add "$M/box.mbox" "$M/Maildir" || bad "re-reading failed"
[ "$(docs "$DB")" = 13 ] && ok || bad "re-reading added documents: $(docs "$DB")"
"$INDEX" --db "$TMP/maildir" -q add "$M/Maildir"; st=$?
[ $st -eq 0 ] && ok || bad "indexing the Maildir exited $st"
[ "$(docs "$TMP/maildir")" = 13 ] && ok || bad "Maildir: expected 13 documents, got $(docs "$TMP/maildir")"
"$INDEX" --db "$TMP/maildir" list | cut -f1 | sort > "$TMP/ids.maildir"
cut -f1 "$TMP/list" | sort > "$TMP/ids.mbox"
cmp -s "$TMP/ids.mbox" "$TMP/ids.maildir" && ok || bad "Maildir and mbox give different ids"
# one .eml file
cp "$M/Maildir/cur/1738000003.M3P100.presse:2,S" "$TMP/pm3.eml"
"$INDEX" --db "$TMP/eml" -v add "$TMP/pm3.eml" 2>"$TMP/err"; st=$?
[ $st -eq 0 ] && grep -q "pm3.eml: eml, windows-1252, date 2024-06-03" "$TMP/err" && ok || bad ".eml file: $st $(cat "$TMP/err")"

# broken.mbox: one line per bad message, the good ones indexed
"$INDEX" --db "$TMP/broken" add "$M/broken.mbox" >"$TMP/out" 2>"$TMP/err"; st=$?
[ $st -eq 1 ] && ok || bad "broken.mbox exited $st, expected 1"
grep -q "broken.mbox: message 2 <pm-22@presse.example>: message without a body" "$TMP/err" && ok || bad "no-body message not reported"
grep -q "broken.mbox: message 3 <pm-23@presse.example>: broken MIME structure: multipart/mixed without parts" "$TMP/err" \
  && ok || bad "broken MIME not reported"
grep -q "broken.mbox: message 4 <pm-24@presse.example>: .*nested more than 8 levels deep" "$TMP/err" && ok \
  || bad "nesting bomb not reported"
grep -q "broken.mbox: message 5 <pm-25@presse.example>: bombe.docx: word/document.xml unpacks to 20971863 bytes, over the limit" \
  "$TMP/err" && ok || bad "zip bomb attachment not reported"
[ "$(wc -l < "$TMP/err")" = 5 ] && ok || bad "expected 4 problem lines and a summary: $(cat "$TMP/err")"
[ "$(docs "$TMP/broken")" = 3 ] && ok || bad "broken.mbox: expected 3 documents (2 good, the bomb's body), got $(docs "$TMP/broken")"
DB=$TMP/broken
finds Wahlhelfende 'mid:pm-21@presse.example' && ok || bad "the message after the bad ones is not indexed"

echo "e2e_mail: $passes passed, $fails failed"
[ $fails -eq 0 ]
