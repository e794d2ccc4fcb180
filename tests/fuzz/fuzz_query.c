/* Fuzz target for the query parser (query/parser.c) and what presse-query does with a parsed
 * query without a database: the tree, the highlight terms, the words for suggestions and a
 * snippet. Input: the query, optionally followed by a NUL and the text for the snippet (else a
 * fixed release text). */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "presse/presse.h"
#include "presse/query.h"

static const char release[] =
    "Fachtag am 30. Januar 2025: Rolle von Migrantenorganisationen in Hagen. Die Stadt Hagen lädt "
    "Teilnehmer*innen ein; Ansprechpartner ist Alexander Kühner (a.kuehner@stadt-hagen.de, "
    "+49 2331 207 3314). CDU-Bundestagsfraktion und Ruhrgebiets-Städte, Migranten-\norganisationen.";

static void walk(const presse_qnode *n, unsigned depth) {
  if (depth > 2000) return; /* the parser's own limit is the lead's business; do not overflow here */
  switch (n->op) {
    case PRESSE_Q_TERM:
    case PRESSE_Q_BOOL_TERM:
    case PRESSE_Q_WILDCARD:
      if (!n->term) fuzz_fail("term node without a term");
      break;
    case PRESSE_Q_DATE_RANGE:
      if (n->lo > n->hi) fuzz_fail("date range with lo > hi");
      break;
    default: break;
  }
  if (n->nkids && !n->kids) fuzz_fail("node with kids but no kid array");
  for (size_t i = 0; i < n->nkids; i++) {
    if (!n->kids[i]) fuzz_fail("NULL kid");
    walk(n->kids[i], depth + 1);
  }
}

static void check(presse_analyzer *a, const presse_query *q, const char *text, size_t qlen, const char *snip,
                  size_t snip_len) {
  const presse_qnode *t = presse_query_tree(q);
  if (t) walk(t, 0);
  for (size_t i = 0; i < presse_query_nhighlight(q); i++) {
    int kind;
    if (!presse_query_highlight(q, i, &kind)) fuzz_fail("NULL highlight term");
  }
  for (size_t i = 0; i < presse_query_nwords(q); i++) {
    size_t s, e;
    if (!presse_query_word(q, i, &s, &e)) fuzz_fail("NULL query word");
    if (s > e || e > qlen) fuzz_fail("query word span outside the query");
  }
  presse_snippet sn;
  if (presse_snippet_make(a, q, snip, snip_len, 200, &sn) == PRESSE_OK) {
    for (size_t i = 0; i < 2 * sn.nmarks; i += 2)
      if (sn.marks[i] > sn.marks[i + 1] || sn.marks[i + 1] > sn.len) fuzz_fail("snippet mark outside the snippet");
    if (sn.src_start > snip_len) fuzz_fail("snippet starts outside the text");
    presse_snippet_free(&sn);
  }
  (void)text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static presse_analyzer *a;
  if (!a && presse_analyzer_new(&a) != PRESSE_OK) fuzz_fail("cannot create the analyzer");
  char *buf = malloc(size + 1);
  if (!buf) return 0;
  if (size) memcpy(buf, data, size);
  buf[size] = '\0';
  size_t qlen = strlen(buf);
  const char *snip = qlen < size ? buf + qlen + 1 : release;
  size_t snip_len = qlen < size ? size - qlen - 1 : sizeof release - 1;
  static const unsigned flags[] = {0, PRESSE_QUERY_ANY_WORD};
  for (size_t f = 0; f < sizeof flags / sizeof *flags; f++) {
    presse_query *q = NULL;
    int rc = presse_query_parse_flags(&q, a, buf, flags[f]);
    if (rc == PRESSE_OK) check(a, q, buf, qlen, snip, snip_len);
    else if (rc == PRESSE_EQUERY && (!presse_query_errmsg(q) || presse_query_errpos(q) > qlen))
      fuzz_fail("query error without a message or with its position outside the query");
    presse_query_free(q);
  }
  free(buf);
  return 0;
}
