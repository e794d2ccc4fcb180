/* Helpers shared by the tests that build a throw-away database: where it lives, the stored
 * data of a query's first hit, and removing it afterwards. */
#ifndef PRESSE_TESTS_TESTDB_H
#define PRESSE_TESTS_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "presse/presse.h"

/* A database path unique to this test and process, under $PRESSE_TEST_TMP (ctest sets it). */
static inline void testdb_path(const char *name, char *buf, size_t size) {
  const char *tmp = getenv("PRESSE_TEST_TMP");
  snprintf(buf, size, "%s/%s.%d.db", tmp ? tmp : "/tmp", name, (int)getpid());
}

/* The stored JSON of the first hit of query, or "" when nothing matches. The buffer is static:
 * valid until the next call. */
static inline const char *testdb_first_hit(presse_db *db, const char *query) {
  static char buf[65536];
  presse_analyzer *an;
  presse_query *q;
  buf[0] = '\0';
  if (presse_analyzer_new(&an) != PRESSE_OK) return buf;
  if (presse_query_parse(&q, an, query) == PRESSE_OK) {
    presse_hits *h;
    if (presse_db_search(db, presse_query_tree(q), NULL, &h) == PRESSE_OK && presse_hits_count(h))
      snprintf(buf, sizeof buf, "%s", presse_hits_data(h, 0, NULL));
    presse_hits_free(h);
  }
  presse_query_free(q);
  presse_analyzer_free(an);
  return buf;
}

static inline void testdb_remove(const char *path) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", path);
}

#endif
