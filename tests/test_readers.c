/* Readers while a writer ingests with small batches (issue 14, defect 8): every commit can replace
 * blocks that an open reader still uses, and Xapian then throws DatabaseModifiedError. The shim
 * reopens and tries again, so no read fails. A child process ingests; this process searches,
 * reads stats, walks terms and documents and fetches documents by id until the child is done:
 * in turns on a handle opened for the round (as presse-query does) and on one long-lived handle
 * moved to the newest revision with presse_db_reopen (as presse-serve does). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "testdb.h"
#include "presse/presse.h"
#include "util/buf.h"

#define NDOCS 300

static char dbpath[512];

/* A release of some hundred distinct words, so that each commit rewrites many blocks. */
static void release(presse_buf *b, int i) {
  presse_buf_clear(b);
  presse_buf_printf(b, "Meldung %d aus Hagen\n\n%02d.03.2025 – Die Stadt Hagen meldet:", i, i % 28 + 1);
  for (int w = 0; w < 150; w++) presse_buf_printf(b, " Wort%dx%d Bauarbeiten", (i * 7 + w) % 997, w);
}

static int ingest(void) {
  presse_db *db = NULL;
  if (presse_db_open(&db, dbpath, PRESSE_DB_WRITE) != PRESSE_OK) return 1;
  presse_indexer *ix;
  presse_indexer_opts o = {.batch = 2, .no_entities = 1};
  if (presse_indexer_new(&ix, db, &o) != PRESSE_OK) return 1;
  presse_buf b = PRESSE_BUF_INIT;
  int rc = 0;
  for (int i = 0; i < NDOCS && !rc; i++) {
    char id[32];
    snprintf(id, sizeof id, "doc-%d", i);
    release(&b, i);
    rc = presse_indexer_add_buffer(ix, id, id, b.data, b.len, PRESSE_FMT_TEXT) != PRESSE_OK;
  }
  presse_buf_free(&b);
  rc |= presse_indexer_free(ix) != PRESSE_OK;
  presse_db_close(db);
  return rc;
}

static int count_term(void *ctx, const char *t, size_t len, unsigned long long f) {
  (void)t, (void)len, (void)f;
  ++*(unsigned long long *)ctx;
  return 0;
}

static int count_doc(void *ctx, const char *id, const char *data, size_t len) {
  (void)id, (void)data, (void)len;
  ++*(unsigned long long *)ctx;
  return 0;
}

int main(void) {
  testdb_path("test_readers", dbpath, sizeof dbpath);
  { /* a first document, so that the reader has a database to open */
    presse_db *db = NULL;
    presse_indexer *ix;
    presse_indexer_opts o = {.no_entities = 1};
    const char *t = "Meldung\n\nBauarbeiten in Hagen.";
    CHECK(presse_db_open(&db, dbpath, PRESSE_DB_WRITE) == PRESSE_OK);
    CHECK(presse_indexer_new(&ix, db, &o) == PRESSE_OK);
    CHECK(presse_indexer_add_buffer(ix, "first", "first", t, strlen(t), PRESSE_FMT_TEXT) == PRESSE_OK);
    CHECK(presse_indexer_free(ix) == PRESSE_OK);
    presse_db_close(db);
  }
  presse_db *longlived = NULL;
  presse_analyzer *an;
  CHECK(presse_db_open(&longlived, dbpath, PRESSE_DB_READ) == PRESSE_OK);
  CHECK(presse_analyzer_new(&an) == PRESSE_OK);

  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) _exit(ingest());
  CHECK(pid > 0);
  unsigned long long reads = 0, failed = 0, terms = 0, docs = 0;
  int status = 0;
  while (pid > 0 && waitpid(pid, &status, WNOHANG) == 0) {
    presse_db *fresh = NULL;
    const char *what = reads % 2 ? "open" : "reopen";
    int rc = reads % 2 ? presse_db_open(&fresh, dbpath, PRESSE_DB_READ) : presse_db_reopen(longlived);
    presse_db *db = reads % 2 ? fresh : longlived;
    presse_result r = {0};
    presse_search_opts o = {.limit = 10};
    if (rc == PRESSE_OK && (what = "search")) rc = presse_search(db, an, "Bauarbeiten Hagen", &o, &r);
    for (size_t i = 0; rc == PRESSE_OK && i < presse_hits_count(r.hits); i++)
      if (!presse_hits_title(r.hits, i)) rc = PRESSE_EDB;
    presse_result_free(&r);
    presse_db_stats st;
    if (rc == PRESSE_OK && (what = "stats")) rc = presse_db_stats_get(db, &st);
    if (rc == PRESSE_OK && (what = "terms")) rc = presse_db_terms(db, "wort1", count_term, &terms);
    if (rc == PRESSE_OK && (what = "each")) rc = presse_db_each(db, count_doc, &docs);
    presse_hits *h = NULL;
    if (rc == PRESSE_OK && (what = "get")) rc = presse_db_get(db, "first", &h);
    presse_hits_free(h);
    reads++;
    if (rc != PRESSE_OK) {
      failed++;
      fprintf(stderr, "read %llu (%s) failed: %s\n", reads, what, presse_db_errmsg(db));
    }
    presse_db_close(fresh);
  }
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  fprintf(stderr, "%llu rounds of reads during the ingest, %llu failed\n", reads, failed);
  CHECK(reads > 0 && failed == 0);
  CHECK(docs > 0);
  presse_db_stats st;
  CHECK(presse_db_reopen(longlived) == PRESSE_OK);
  CHECK(presse_db_stats_get(longlived, &st) == PRESSE_OK && st.docs == NDOCS + 1);
  presse_analyzer_free(an);
  presse_db_close(longlived);
  testdb_remove(dbpath);
  return check_report("readers");
}
