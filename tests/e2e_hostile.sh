#!/bin/sh
# End-to-end reproducers of what a hostile or careless user sends (issue 14's fuzzing campaign):
# symlink loops and links out of the folder, signals during a stream, endless stdin and huge
# JSONL lines, terminal escape sequences in stored text, damaged and read-only databases, a full
# disk. Each must end in bounded time with a clear message and nothing stored lost.
set -u
INDEX=$1 QUERY=$2 SRC=$3
TMP=$(mktemp -d) || exit 1
chmod 755 "$TMP"
PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; umount "$TMP/full" 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/db
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# expect STATUS PATTERN CMD...: runs CMD (at most 60 s), checks its exit status and that stderr matches PATTERN
expect() {
  want=$1 pat=$2; shift 2
  timeout 60 "$@" >"$TMP/out" 2>"$TMP/err"; st=$?
  [ "$st" = "$want" ] && ok || bad "[$*] exited $st, expected $want; stderr: $(head -c 2000 "$TMP/err")"
  grep -q -- "$pat" "$TMP/err" && ok || bad "[$*] stderr lacks '$pat': $(head -c 2000 "$TMP/err")"
}
SEED=$SRC/corpus/000_stadt-hagen-fachtag-migrantenorganisationen.md

# --- defect 3 and 14: symlink loops, and links that lead out of the folder ---
mkdir -p "$TMP/t/x"
cp "$SEED" "$TMP/t/x/"
ln -s . "$TMP/t/x/l1"
ln -s . "$TMP/t/x/l2"
ln -s ../x "$TMP/t/x/up"
ln -s /etc/passwd "$TMP/t/x/passwd.txt"
ln -s "$TMP/nowhere" "$TMP/t/x/broken.txt"
ln -s 000_stadt-hagen-fachtag-migrantenorganisationen.md "$TMP/t/x/alias.md"
expect 1 "passwd.txt: symbolic link to '/etc/passwd', outside the folders given: skipped" \
  "$INDEX" --db "$DB" --no-entities add "$TMP/t"
grep -q "broken.txt: broken symbolic link" "$TMP/err" && ok || bad "broken link not reported: $(cat "$TMP/err")"
[ "$(grep -c . "$TMP/err")" -le 3 ] && ok || bad "a symlink loop gave $(grep -c . "$TMP/err") lines"
n=$("$INDEX" --db "$DB" list | wc -l)
[ "$n" = 1 ] && ok || bad "the seed reached by loops and links was indexed $n times"
"$INDEX" --db "$DB" list | grep -q passwd && bad "/etc/passwd was indexed" || ok
expect 0 "indexed" "$INDEX" --db "$TMP/db-follow" --no-entities --follow-links add "$TMP/t/x/passwd.txt"

# --- defect 4: SIGINT/SIGTERM stop a JSONL stream, a pipe and stdin promptly ---
awk 'BEGIN { for (i = 0; i < 30000; i++) printf "{\"id\":\"r%d\",\"text\":\"Meldung %d aus Hagen: Der Stadtrat tagt am Montag im Rathaus und berät über den Haushalt.\"}\n", i, i }' \
  > "$TMP/big.jsonl"
"$INDEX" --db "$TMP/db-sig" --no-entities --batch 200 add --jsonl "$TMP/big.jsonl" 2>"$TMP/sigerr" &
P=$!
PIDS="$PIDS $P"
sleep 1
kill -INT $P
t0=$(date +%s)
wait $P; st=$?
[ "$st" = 130 ] && ok || bad "SIGINT during --jsonl: exit $st, expected 130; $(cat "$TMP/sigerr")"
[ $(($(date +%s) - t0)) -le 5 ] && ok || bad "SIGINT during --jsonl took more than 5 s to stop"
grep -q "interrupted; what was indexed so far is committed" "$TMP/sigerr" && ok || bad "no interrupt message: $(cat "$TMP/sigerr")"
grep -q "read error" "$TMP/sigerr" && bad "a signal was reported as a read error" || ok
n=$("$INDEX" --db "$TMP/db-sig" stats | awk '/^documents:/ {print $2}')
[ "$n" -gt 0 ] && [ "$n" -lt 30000 ] && ok || bad "after SIGINT the database holds '$n' documents"
mkfifo "$TMP/fifo"
"$INDEX" --db "$TMP/db-pipe" --no-entities add --jsonl - < "$TMP/fifo" 2>"$TMP/sigerr" &
P=$!
PIDS="$PIDS $P"
exec 3>"$TMP/fifo"
head -n 100 "$TMP/big.jsonl" >&3
sleep 1
kill -TERM $P
wait $P; st=$?
exec 3>&-
[ "$st" = 130 ] && ok || bad "SIGTERM on a pipe that stays open: exit $st; $(cat "$TMP/sigerr")"
grep -q "read error" "$TMP/sigerr" && bad "SIGTERM on a pipe became a read error" || ok
"$QUERY" --db "$TMP/db-pipe" --no-collapse --limit 1 "Meldung" >/dev/null && ok || bad "the records before SIGTERM are not there"
mkfifo "$TMP/fifo2"
"$INDEX" --db "$TMP/db-stdin" --no-entities add - < "$TMP/fifo2" 2>"$TMP/sigerr" &
P=$!
PIDS="$PIDS $P"
exec 4>"$TMP/fifo2"
printf 'Halbe Meldung\n' >&4
sleep 1
kill -INT $P
wait $P; st=$?
exec 4>&-
[ "$st" = 130 ] && ok || bad "SIGINT during 'add -' on an open stdin: exit $st; $(cat "$TMP/sigerr")"

# --- defect 11: stdin and JSONL lines are bounded by --max-size before they are held ---
yes "Ein Satz der Pressemitteilung aus Hagen." | head -c 100000000 > "$TMP/stream"
/usr/bin/env time -f "%M" -o "$TMP/rss" "$INDEX" --db "$TMP/db-big" --no-entities --max-size 1000000 add - \
  < "$TMP/stream" 2>"$TMP/err"
st=$?
[ "$st" = 1 ] && ok || bad "100 MB on stdin over --max-size: exit $st"
grep -q "more than 1000000 bytes (--max-size): not read further" "$TMP/err" && ok || bad "no size message: $(cat "$TMP/err")"
rss=$(tail -n 1 "$TMP/rss")
[ "${rss:-999999}" -lt 200000 ] && ok || bad "100 MB on stdin with --max-size 1000000 took $rss KB"
{ printf '{"id":"huge","text":"'; head -c 30000000 "$TMP/stream" | tr -d '\n'; printf '"}\n{"id":"small","text":"Kleine Meldung aus Witten."}\n'; } \
  > "$TMP/huge.jsonl"
rm -f "$TMP/stream"
/usr/bin/env time -f "%M" -o "$TMP/rss" "$INDEX" --db "$TMP/db-big" --no-entities --max-size 1000000 add --jsonl "$TMP/huge.jsonl" \
  2>"$TMP/err"
st=$?
[ "$st" = 1 ] && ok || bad "a 30 MB JSONL line over --max-size: exit $st"
grep -q "huge.jsonl:1: line of [0-9]* bytes is over the limit of 1000000 bytes" "$TMP/err" && ok \
  || bad "no line size message: $(cat "$TMP/err")"
rss=$(tail -n 1 "$TMP/rss")
[ "${rss:-999999}" -lt 200000 ] && ok || bad "a 30 MB JSONL line with --max-size 1000000 took $rss KB"
"$QUERY" --db "$TMP/db-big" Witten >/dev/null && ok || bad "the record after the huge line was not indexed"
rm -f "$TMP/huge.jsonl"

# --- defect 7: escape sequences and bidi overrides in stored text are shown, not obeyed ---
printf '{"id":"evil\\nid","title":"\\u001b]0;pwned\\u0007\\u001b[2J Titel \\u202eevil","issuer":"\\u001b[31mRot","text":"Text mit \\u001b[2J Escape aus Hagen."}\n' \
  > "$TMP/evil.jsonl"
"$INDEX" --db "$TMP/db-evil" --no-entities -v add --jsonl "$TMP/evil.jsonl" 2>"$TMP/err"
"$QUERY" --db "$TMP/db-evil" --facets Hagen >"$TMP/out" 2>>"$TMP/err"
"$INDEX" --db "$TMP/db-evil" list >>"$TMP/out" 2>>"$TMP/err"
esc=$(printf '\033') rlo=$(printf '\342\200\256') bel=$(printf '\007')
grep -q "$esc" "$TMP/out" "$TMP/err" && bad "an ESC byte reached the terminal: $(cat -v "$TMP/out" "$TMP/err")" || ok
grep -q "$rlo" "$TMP/out" "$TMP/err" && bad "U+202E reached the terminal" || ok
grep -q "$bel" "$TMP/out" "$TMP/err" && bad "a BEL byte reached the terminal" || ok
grep -q 'x1b\]0;pwned\\x07' "$TMP/out" && ok || bad "the escaped title is not shown: $(cat -v "$TMP/out")"
grep -q '<U+202E>evil' "$TMP/out" && ok || bad "the bidi override is not shown as <U+202E>: $(cat -v "$TMP/out")"
[ "$("$INDEX" --db "$TMP/db-evil" list | wc -l)" = 1 ] && ok || bad "an id with a newline broke list's TSV"
"$INDEX" --db "$TMP/db-evil" list | grep -q '^evil\\nid	' && ok || bad "the newline in the id is not escaped as \\n"
"$QUERY" --db "$TMP/db-evil" --json Hagen | grep -qi '"title": "\\u001b\]0;pwned' && ok || bad "JSON output must keep the text as it is"

# --- defect 5: the issuer heuristic is linear in the text (a 2 MB one-line record) ---
awk 'BEGIN { printf "{\"id\":\"one-line\",\"text\":\""; for (i = 0; i < 45000; i++) printf "Die Stadt Hagen informiert über den Fachtag. "; print "\"}" }' \
  > "$TMP/oneline.jsonl"
expect 0 "indexed 1 document" "$INDEX" --db "$TMP/db-line" add --jsonl "$TMP/oneline.jsonl"

# --- defect 12: a DOCX whose first paragraph is Title-styled and empty (UBSan in the reader) ---
if command -v python3 >/dev/null 2>&1; then
  python3 - "$TMP/emptytitle.docx" <<'PY'
import sys, zipfile
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
doc = ('<?xml version="1.0" encoding="UTF-8"?><w:document %s><w:body>'
       '<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr></w:p>'
       '<w:p><w:r><w:t>Leere Titelzeile in Gelsenkirchen</w:t></w:r></w:p>'
       '<w:p><w:r><w:t>Der Text der Meldung aus Gelsenkirchen.</w:t></w:r></w:p>'
       '</w:body></w:document>') % W
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
    z.writestr('word/document.xml', doc)
PY
  expect 0 "indexed 1 document" "$INDEX" --db "$TMP/db-docx" --no-entities add "$TMP/emptytitle.docx"
  "$QUERY" --db "$TMP/db-docx" Gelsenkirchen | grep -q emptytitle.docx && ok || bad "the DOCX with an empty title is not searchable"
else
  bad "python3 is needed to write the DOCX fixture (scripts/install-deps.sh installs it)"
fi

# --- defects 9 and 10: damaged, read-only and full databases: a clear message, exit 2, nothing lost ---
"$INDEX" --db "$TMP/k0" -q add "$SRC/corpus" || bad "indexing corpus/ failed"
printf 'Neue Meldung\n\nAus Hattingen.\n' > "$TMP/new.txt"
chmod a+r "$TMP/new.txt"
damage() { # damage KIND: a copy of k0 in kx, damaged
  rm -rf "$TMP/kx"
  cp -r "$TMP/k0" "$TMP/kx"
  python3 - "$TMP/kx" "$1" <<'PY'
import os, sys
d, kind = sys.argv[1], sys.argv[2]
def blocks(table):  # every block's item directory overwritten: item offsets point outside
    p = os.path.join(d, table + '.glass')
    with open(p, 'r+b') as f:
        for k in range(os.path.getsize(p) // 8192):
            f.seek(8192 * k + 11)
            f.write(b'\xff' * 50)
if kind == 'postlist': blocks('postlist')
elif kind == 'docdata': blocks('docdata')
elif kind == 'truncated':
    p = os.path.join(d, 'postlist.glass'); os.truncate(p, os.path.getsize(p) // 2)
elif kind == 'version':
    with open(os.path.join(d, 'iamglass'), 'r+b') as f: f.seek(20); f.write(b'\0' * 40)
elif kind == 'missing': os.remove(os.path.join(d, 'termlist.glass'))
PY
}
for kind in postlist docdata truncated version; do
  damage $kind
  expect 2 "database '$TMP/kx' is damaged\|DatabaseCorruptError" "$INDEX" --db "$TMP/kx" stats
  expect 2 "database '$TMP/kx' is damaged\|DatabaseCorruptError" "$INDEX" --db "$TMP/kx" add "$TMP/new.txt"
  expect 2 "database '$TMP/kx' is damaged\|DatabaseCorruptError" "$INDEX" --db "$TMP/kx" check
done
grep -q "postlist.glass\|Rev file" "$TMP/err" && ok || bad "the damaged table is not named: $(cat "$TMP/err")"
damage missing
expect 2 "cannot open database '$TMP/kx': Couldn't open .*termlist.glass" "$INDEX" --db "$TMP/kx" add "$TMP/new.txt"
"$INDEX" --db "$TMP/k0" check >"$TMP/out" 2>&1 && ok || bad "check of a sound database failed"
grep -q "every table is consistent" "$TMP/out" && ok || bad "check of a sound database: $(cat "$TMP/out")"
docs0=$("$INDEX" --db "$TMP/k0" stats | awk '/^documents:/ {print $2}')
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  chmod -R a+rX "$TMP/k0"
  expect 2 "cannot write to database '$TMP/k0': Permission denied" \
    setpriv --reuid=65534 --regid=65534 --clear-groups "$INDEX" --db "$TMP/k0" add "$TMP/new.txt"
  grep -q "locked by another writer" "$TMP/err" && bad "a permission error said 'locked'" || ok
else
  echo "note: not root: the permission check needs setpriv as root; skipped" >&2
fi
if [ "$(id -u)" = 0 ] && mkdir -p "$TMP/full" && mount -t tmpfs -o size=2m tmpfs "$TMP/full" 2>/dev/null; then
  # a read-only file system
  cp -r "$TMP/k0" "$TMP/full/ro" && mount -o remount,ro "$TMP/full"
  expect 2 "cannot write to database '$TMP/full/ro': Read-only file system" \
    "$INDEX" --db "$TMP/full/ro" add "$TMP/new.txt"
  "$QUERY" --db "$TMP/full/ro" Migrantenorganisationen >/dev/null && ok || bad "reading a read-only database failed"
  umount "$TMP/full"
  # a full disk: the batch that does not fit fails with exit 2, what was committed before stays
  mount -t tmpfs -o size=2m tmpfs "$TMP/full"
  "$INDEX" --db "$TMP/full/db" -q --no-entities add "$SRC/corpus/000_stadt-hagen-fachtag-migrantenorganisationen.md" \
    || bad "the first release did not fit on 2 MB"
  expect 2 "the disk is full, nothing more can be written to '$TMP/full/db'" \
    "$INDEX" --db "$TMP/full/db" --no-entities --batch 50 add --jsonl "$TMP/big.jsonl"
  "$QUERY" --db "$TMP/full/db" Migrantenorganisationen | grep -q 000_stadt-hagen && ok \
    || bad "the release committed before the disk filled up is lost"
  umount "$TMP/full"
else
  echo "note: not root (or no tmpfs): the read-only and full-disk checks need to mount a tmpfs; skipped" >&2
fi
[ "$("$INDEX" --db "$TMP/k0" stats | awk '/^documents:/ {print $2}')" = "$docs0" ] && ok || bad "documents lost in k0"

# --- a missing or broken NER model: one line naming the file, exit 2 ---
expect 2 "$TMP/nothere.model: No such file or directory" "$INDEX" --db "$TMP/dbm" --ner-model "$TMP/nothere.model" add "$TMP/new.txt"
head -c 3000 "$SRC/models/ner-de.model" > "$TMP/trunc.model"
expect 2 "$TMP/trunc.model: not a presse NER model (or truncated)" "$INDEX" --db "$TMP/dbm" --ner-model "$TMP/trunc.model" add "$TMP/new.txt"

echo "e2e_hostile: $passes passed, $fails failed"
[ $fails -eq 0 ]
