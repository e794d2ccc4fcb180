#!/bin/sh
# End-to-end: presse-index watch and sync. A file copied into a watched folder is searchable
# within 3 s, a deleted one disappears; a restarted watch catches up on what changed while it was
# down; sync adds new files, re-indexes changed ones and removes deleted ones, mailboxes (with
# their attachments) included.
set -u
INDEX=$1 QUERY=$2 SRC=$3
TMP=$(mktemp -d) || exit 1
WPID=
trap '[ -n "$WPID" ] && kill $WPID 2>/dev/null; rm -rf "$TMP"' EXIT
DB=$TMP/db
C=$SRC/corpus
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
docs() { "$INDEX" --db "$DB" stats 2>/dev/null | awk '/^documents:/ {print $2}'; }
found() { "$QUERY" --db "$DB" --no-collapse "$1" >/dev/null 2>&1; }
# wait_for CMD...: up to 3 s, in steps of 0.1 s; prints the time it took
wait_for() {
  i=0
  while [ $i -le 30 ]; do
    if "$@"; then echo "$i"; return 0; fi
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}
gone() { ! found "$1"; }
start_watch() {
  "$INDEX" --db "$DB" --no-entities watch "$TMP/in" 2>>"$TMP/watch.err" &
  WPID=$!
}
stop_watch() {
  kill $WPID
  wait $WPID
  st=$?
  WPID=
  [ $st -eq 130 ] && ok || bad "watch did not stop with 130 on SIGTERM: $st $(cat "$TMP/watch.err")"
}

mkdir -p "$TMP/in/sub"
cp "$C/001_stadt-dortmund-strassenbauarbeiten-ruhrallee.md" "$TMP/in/"
start_watch
t=$(wait_for found Ruhrallee) && ok || bad "the file present at the start was not indexed within 3 s"
cp "$C/002_polizei-berlin-nr-0123-festnahme-neukoelln.md" "$TMP/in/sub/"
t=$(wait_for found Sonnenallee) && ok || bad "a file copied in is not searchable within 3 s"
echo "e2e_watch: a copied file was searchable after ${t:-?}00 ms (polled every 100 ms)"
rm "$TMP/in/001_stadt-dortmund-strassenbauarbeiten-ruhrallee.md"
t=$(wait_for gone Ruhrallee) && ok || bad "a deleted file is still found after 3 s"
echo "e2e_watch: a deleted file was gone after ${t:-?}00 ms"
mkdir "$TMP/in/neu" && cp "$C/003_stadt-koeln-kindertagesstaetten-ausbau.md" "$TMP/in/neu/"
t=$(wait_for found Kindertagesstätten) && ok || bad "a file in a new subfolder is not indexed"
stop_watch
[ "$(docs)" = 2 ] && ok || bad "expected 2 documents after the watch, got $(docs)"

# while no watch runs: one file deleted, one added, one changed; a restart catches up
rm "$TMP/in/sub/002_polizei-berlin-nr-0123-festnahme-neukoelln.md"
cp "$C/004_ministerium-nrw-hochwasserschutz-erft.md" "$TMP/in/"
printf '\nNachtrag: Der Aufsichtsrat tagt erneut im Nachtragswortsaal.\n' >> "$TMP/in/neu/003_stadt-koeln-kindertagesstaetten-ausbau.md"
start_watch
wait_for found Erft >/dev/null && ok || bad "a file added while the watch was down is not indexed after the restart"
wait_for gone Sonnenallee >/dev/null && ok || bad "a file deleted while the watch was down is still found"
wait_for found Nachtragswortsaal >/dev/null && ok || bad "a file changed while the watch was down is not re-indexed"
stop_watch
grep -q "sync $TMP/in: 1 added, 1 re-indexed, 1 removed, 0 unchanged" "$TMP/watch.err" && ok \
  || bad "the catch-up line: $(cat "$TMP/watch.err")"

# sync once: a mailbox in, one file changed, one deleted
cp "$SRC/tests/mail/box.mbox" "$TMP/in/sub/"
rm "$TMP/in/004_ministerium-nrw-hochwasserschutz-erft.md"
sleep 0.01
printf '\nZweiter Nachtrag im Zweitnachtragswortsaal.\n' >> "$TMP/in/neu/003_stadt-koeln-kindertagesstaetten-ausbau.md"
"$INDEX" --db "$DB" --no-entities sync "$TMP/in" 2>"$TMP/err"; st=$?
[ $st -eq 0 ] && ok || bad "sync exited $st: $(cat "$TMP/err")"
grep -q "sync $TMP/in: 1 added, 1 re-indexed, 1 removed, 0 unchanged" "$TMP/err" && ok || bad "sync line: $(cat "$TMP/err")"
[ "$(docs)" = 14 ] && ok || bad "expected 14 documents (13 of the mailbox, the changed file), got $(docs)"
found Zweitnachtragswortsaal && ok || bad "sync did not re-index the changed file"
"$INDEX" --db "$DB" list | grep -q "004_ministerium" && bad "sync did not remove the deleted file" || ok
"$INDEX" --db "$DB" --no-entities sync "$TMP/in" 2>"$TMP/err"
grep -q "0 added, 0 re-indexed, 0 removed, 2 unchanged" "$TMP/err" && ok || bad "a second sync changed something: $(cat "$TMP/err")"
rm "$TMP/in/sub/box.mbox"
"$INDEX" --db "$DB" --no-entities sync "$TMP/in" 2>"$TMP/err"
[ "$(docs)" = 1 ] && ok || bad "the mailbox's messages and attachments were not all removed: $(docs) documents"
"$INDEX" --db "$DB" sync "$TMP/nowhere" 2>"$TMP/err"; st=$?
[ $st -ne 0 ] && grep -q "nowhere: No such file or directory" "$TMP/err" && ok || bad "sync of a missing folder: $st $(cat "$TMP/err")"

echo "e2e_watch: $passes passed, $fails failed"
[ $fails -eq 0 ]
