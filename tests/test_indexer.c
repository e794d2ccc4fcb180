/* Unit tests of the indexer: every kind of bad input gets its own error and leaves the index
 * as it was; titles, dates and contacts are extracted; JSONL streams skip bad lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "presse/presse.h"

static presse_db *db;
static presse_indexer *ix;

static int add(const char *name, const char *data, size_t len) {
  return presse_indexer_add_buffer(ix, name, name, data, len, PRESSE_FMT_AUTO);
}

static const char *first_hit_data(const char *query) {
  static char buf[65536];
  presse_analyzer *an;
  presse_analyzer_new(&an);
  presse_query *q;
  buf[0] = '\0';
  if (presse_query_parse(&q, an, query) == PRESSE_OK) {
    presse_hits *h;
    if (presse_db_search(db, presse_query_tree(q), NULL, &h) == PRESSE_OK && presse_hits_count(h)) {
      snprintf(buf, sizeof buf, "%s", presse_hits_data(h, 0, NULL));
    }
    presse_hits_free(h);
  }
  presse_query_free(q);
  presse_analyzer_free(an);
  return buf;
}

int main(void) {
  const char *tmp = getenv("PRESSE_TEST_TMP");
  char dbpath[512];
  snprintf(dbpath, sizeof dbpath, "%s/test_indexer.%d.db", tmp ? tmp : "/tmp", (int)getpid());
  CHECK(presse_db_open(&db, dbpath, PRESSE_DB_WRITE) == PRESSE_OK);
  presse_indexer_opts opts = {.max_doc_bytes = 4096, .batch = 2};
  CHECK(presse_indexer_new(&ix, db, &opts) == PRESSE_OK);

  const char *md =
      "# PRESSEINFORMATION\n\n## ***Fachtag zur Rolle von Vereinen***\n\n"
      "**30. Januar 2025** – Text über Migranten-\norganisationen mit [Kontakt](mailto:a.kuehner@stadt-hagen.de)\n"
      "und +49 2331 207 3314.\n";
  CHECK(add("seed.md", md, strlen(md)) == PRESSE_OK);
  CHECK(presse_indexer_commit(ix) == PRESSE_OK);
  const char *d = first_hit_data("Migrantenorganisationen");
  CHECK(strstr(d, "\"title\":\"Fachtag zur Rolle von Vereinen\"") != NULL);
  CHECK(strstr(d, "Kontakt (a.kuehner@stadt-hagen.de)") != NULL);
  CHECK(strstr(d, "\"date\":\"2025-01-30\"") != NULL);
  CHECK(strstr(d, "a.kuehner@stadt-hagen.de") != NULL);
  CHECK(strstr(d, "+49 2331 207 3314") != NULL);
  CHECK(strstr(d, "\"format\":\"md\"") != NULL);

  /* bad input: each a distinct status and message; nothing is added */
  CHECK(add("bin.txt", "abc\0def", 7) == PRESSE_EFORMAT);
  CHECK(strstr(presse_indexer_errmsg(ix), "binary") != NULL);
  CHECK(add("latin1.txt", "B\xfcrger", 6) == PRESSE_EUTF8);
  CHECK(strstr(presse_indexer_errmsg(ix), "invalid UTF-8 at byte offset 1") != NULL);
  CHECK(add("empty.txt", "", 0) == PRESSE_EFORMAT);
  CHECK(strstr(presse_indexer_errmsg(ix), "empty") != NULL);
  CHECK(add("blank.txt", " \n\t\n", 4) == PRESSE_EFORMAT);
  char *big = malloc(5000);
  memset(big, 'a', 5000);
  CHECK(add("big.txt", big, 5000) == PRESSE_ETOOBIG);
  CHECK(strstr(presse_indexer_errmsg(ix), "over the limit") != NULL);
  /* a 300-letter word: dropped as a term, the rest indexed */
  char longword[400];
  memcpy(longword, "Titel ", 6);
  memset(longword + 6, 'x', 300);
  memcpy(longword + 306, " Wort Bochum", 13);
  CHECK(add("long.txt", longword, strlen(longword)) == PRESSE_OK);
  CHECK(presse_indexer_commit(ix) == PRESSE_OK);
  CHECK(strstr(first_hit_data("Bochum"), "long.txt") != NULL);
  presse_indexer_counts c;
  presse_indexer_counts_get(ix, &c);
  CHECK(c.docs == 2 && c.terms_dropped >= 1);
  free(big);

  /* JSONL: bad lines are reported and skipped */
  const char *jsonl =
      "{\"id\":\"r1\",\"title\":\"Brand in Kreuzberg\",\"date\":\"2021-03-04\",\"text\":\"Die Feuerwehr löschte.\"}\n"
      "not json\n"
      "{\"id\":\"r2\",\"title\":\"ohne Text\"}\n"
      "\n"
      "{\"id\":7,\"text\":\"Zahl als Id, Unfall in Spandau\"}\n";
  FILE *f = fmemopen((void *)jsonl, strlen(jsonl), "r");
  size_t bad = 0;
  CHECK(presse_indexer_add_jsonl(ix, f, "t.jsonl", &bad) == PRESSE_OK);
  fclose(f);
  CHECK(bad == 2);
  CHECK(presse_indexer_commit(ix) == PRESSE_OK);
  d = first_hit_data("Kreuzberg");
  CHECK(strstr(d, "\"id\":\"r1\"") && strstr(d, "\"date\":\"2021-03-04\""));
  CHECK(strstr(first_hit_data("Spandau"), "\"id\":\"7\"") != NULL);
  presse_db_stats st;
  CHECK(presse_db_stats_get(db, &st) == PRESSE_OK && st.docs == 4);

  presse_indexer_free(ix);
  presse_db_close(db);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dbpath);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dbpath);
  return check_report("test_indexer");
}
