/* The index layout's one owner (document/schema.c): README's layout table is the one the schema
 * prints, query names find their fields, the slot codecs round-trip, and a document built and
 * stored has its terms under the schema's prefixes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "document/schema.h"
#include "presse/presse.h"
#include "testdb.h"
#include "util/buf.h"

#define BEGIN "<!-- index layout: generated from document/schema.c, checked by tests/test_schema.c -->\n"
#define END "<!-- index layout: end -->"

static char *read_all(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  presse_buf b = PRESSE_BUF_INIT;
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) presse_buf_append(&b, chunk, n);
  fclose(f);
  return b.data;
}

static int on_entity(void *ctx, const char *type, size_t tlen, const char *name, size_t nlen,
                     unsigned long long mentions) {
  presse_buf *b = ctx;
  presse_buf_printf(b, "%.*s|%.*s|%llu;", (int)tlen, type, (int)nlen, name, mentions);
  return 0;
}

int main(int argc, char **argv) {
  /* tests/test_schema --print: the table to paste into README.md */
  presse_buf table = PRESSE_BUF_INIT;
  CHECK(presse_schema_layout_markdown(&table) == PRESSE_OK);
  if (argc > 1 && !strcmp(argv[1], "--print")) {
    fputs(table.data, stdout);
    return 0;
  }
  char *readme = read_all(PRESSE_SOURCE_DIR "/README.md");
  CHECK(readme != NULL);
  const char *at = readme ? strstr(readme, BEGIN) : NULL, *end = at ? strstr(at, END) : NULL;
  CHECK(at && end);
  if (at && end) {
    at += strlen(BEGIN);
    if ((size_t)(end - at) != table.len || memcmp(at, table.data, table.len)) {
      fprintf(stderr, "README.md's index layout table differs from document/schema.c; it should read:\n%s",
              table.data);
      CHECK(!"README's layout table is the schema's");
    }
  }
  free(readme);

  /* query names, case-insensitive, each to its one field */
  CHECK(presse_schema_query_field("Titel", 5) == PRESSE_FIELD(PRESSE_F_TITLE));
  CHECK(presse_schema_query_field("datum", 5) == PRESSE_FIELD(PRESSE_F_DATE));
  CHECK(presse_schema_query_field("ORT", 3) == PRESSE_FIELD(PRESSE_F_LOC));
  CHECK(presse_schema_query_field("herausgeber", 11) == PRESSE_FIELD(PRESSE_F_ISSUER));
  CHECK(presse_schema_query_field("tit", 3) == NULL && presse_schema_query_field("body", 4) == NULL);
  for (size_t f = 0; f < PRESSE_F_COUNT; f++) /* no query name is taken twice */
    for (const char *const *q = presse_schema_fields[f].query; q && *q; q++)
      CHECK(presse_schema_query_field(*q, strlen(*q)) == &presse_schema_fields[f]);
  CHECK(presse_schema_ner_field(PRESSE_NER_ORG) == PRESSE_FIELD(PRESSE_F_ORG));
  CHECK(presse_schema_type_field("ISSUER") == PRESSE_FIELD(PRESSE_F_ISSUER));
  CHECK(presse_schema_type_field("XYZ") == NULL);

  /* codecs */
  char d[9];
  presse_schema_date_encode(20250130, d);
  CHECK_STR(d, "20250130");
  CHECK(presse_schema_date_decode(d, strlen(d)) == 20250130);
  presse_schema_date_encode(0, d);
  CHECK_STR(d, "");
  CHECK(presse_schema_date_decode("2025013x", 8) == 0 && presse_schema_date_decode("2025", 4) == 0);
  presse_buf slot = PRESSE_BUF_INIT, back = PRESSE_BUF_INIT;
  CHECK(presse_schema_entities_add(&slot, "PER", "Alexander Kühner", 2) == PRESSE_OK);
  CHECK(presse_schema_entities_add(&slot, "ORG", "Stadt Hagen", 1) == PRESSE_OK);
  presse_schema_entities_each(slot.data, slot.len, on_entity, &back);
  CHECK_STR(back.data, "PER|Alexander Kühner|2;ORG|Stadt Hagen|1;");
  presse_buf_free(&slot);
  presse_buf_free(&back);

  /* what the builder writes is found under the schema's prefixes */
  char dbpath[512];
  testdb_path("test_schema", dbpath, sizeof dbpath);
  presse_db *db = NULL;
  presse_indexer *ix = NULL;
  presse_indexer_opts o = {.no_entities = 1};
  const char *t = "Fachtag in Herne\n\n30. Januar 2025 – Die Stadt Hagen lädt zum Fachtag über Migrantenorganisationen.";
  CHECK(presse_db_open(&db, dbpath, PRESSE_DB_WRITE) == PRESSE_OK);
  CHECK(presse_indexer_new(&ix, db, &o) == PRESSE_OK);
  CHECK(presse_indexer_add_buffer(ix, "doc-a", "a.txt", t, strlen(t), PRESSE_FMT_TEXT) == PRESSE_OK);
  CHECK(presse_indexer_free(ix) == PRESSE_OK);
  char term[64];
  snprintf(term, sizeof term, "%sdoc-a", PRESSE_PREFIX_ID);
  CHECK(presse_db_termfreq(db, term) == 1);
  snprintf(term, sizeof term, "%sherne", PRESSE_FIELD(PRESSE_F_TITLE)->word_prefix);
  CHECK(presse_db_termfreq(db, term) == 1);
  CHECK(presse_db_termfreq(db, "migrantenorganisationen") == 1);
  snprintf(term, sizeof term, "%sorganisation", PRESSE_PREFIX_PART);
  CHECK(presse_db_termfreq(db, term) == 1);
  presse_db_close(db);
  testdb_remove(dbpath);
  presse_buf_free(&table);
  return check_report("schema");
}
