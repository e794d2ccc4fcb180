/* One search the way presse-query runs it: the releases with every word of the query first, then
 * the releases with only some of them, each tier ranked by relevance. A title typed as a query
 * often has a word its release does not use ("Festnahme" over "festgenommen"); requiring every
 * word loses those releases, ORing every word lets a long query's common words outrank the
 * release that has them all. bench/relevance measured both against the tiers. */
#include <stdlib.h>
#include <string.h>

#include "presse/presse.h"
#include "query/qtree.h"

/* The documents that match `some` but not `all`. */
static presse_qnode *only_some(const presse_qnode *some, const presse_qnode *all) {
  presse_qnode *n = presse_qnode_new(PRESSE_Q_AND_NOT);
  if (!n) return NULL;
  /* Xapian 1.4.22 gets `A AND_NOT B` wrong when B holds an AND_MAYBE (documents of B come back,
   * depending on memory layout: seen under AddressSanitizer, reproduced with plain Xapian); B
   * only has to decide the match, so it goes without the parts that only weigh. */
  if (presse_qnode_add(n, presse_qnode_clone(some, 0)) != 0 || presse_qnode_add(n, presse_qnode_clone(all, 1)) != 0) {
    presse_qnode_free(n);
    return NULL;
  }
  return n;
}

int presse_search(presse_db *db, presse_analyzer *a, const char *text, const presse_search_opts *opts,
                  presse_result *out) {
  memset(out, 0, sizeof *out);
  int rc = presse_query_parse(&out->query, a, text);
  if (rc != PRESSE_OK) return rc;
  const presse_qnode *all = presse_query_tree(out->query);
  if (!all) return PRESSE_OK;
  presse_search_opts o = {0};
  if (opts) o = *opts;
  if (!o.limit) o.limit = 10;
  rc = presse_db_search(db, all, &o, &out->hits);
  if (rc != PRESSE_OK) return rc;
  out->nall = presse_hits_count(out->hits);
  out->total_all = presse_hits_total(out->hits);
  /* A page that is not full has seen every match (store/ checks offset + limit documents at
   * least), so total_all is exact here and the second tier starts where the first ends. */
  if (out->nall >= o.limit || presse_query_nwords(out->query) < 2) return PRESSE_OK;
  presse_query *any = NULL;
  rc = presse_query_parse_flags(&any, a, text, PRESSE_QUERY_ANY_WORD);
  presse_qnode *some = rc == PRESSE_OK ? only_some(presse_query_tree(any), all) : NULL;
  presse_query_free(any);
  if (rc != PRESSE_OK) return rc;
  if (!some) return PRESSE_ENOMEM;
  presse_search_opts o2 = o;
  o2.offset = o.offset > out->total_all ? (unsigned)(o.offset - out->total_all) : 0;
  o2.limit = o.limit - (unsigned)out->nall;
  if (out->total_all) o2.facets = 0; /* facets describe the releases with every word */
  presse_hits *h2 = NULL;
  rc = presse_db_search(db, some, &o2, &h2);
  presse_qnode_free(some);
  if (rc != PRESSE_OK) return rc;
  out->total_some = presse_hits_total(h2);
  return presse_hits_append(out->hits, h2);
}

void presse_result_free(presse_result *r) {
  if (!r) return;
  presse_hits_free(r->hits);
  presse_query_free(r->query);
  memset(r, 0, sizeof *r);
}
