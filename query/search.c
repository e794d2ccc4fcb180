/* One search the way presse-query runs it: the releases with every word of the query first, then
 * the releases with only some of them, each tier ranked by relevance. A title typed as a query
 * often has a word its release does not use ("Festnahme" over "festgenommen"); requiring every
 * word loses those releases, ORing every word lets a long query's common words outrank the
 * release that has them all. bench/relevance measured both against the tiers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/schema.h"
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

/* A facet's count is the total of the query it leads to: the query with the entity's filter
 * (ort:"Neukölln"), in the tier the facets describe. The matcher's tally of entity names is not
 * that: the filter matches the words of any name of the type ("Nord-Neukölln" too), and the tally
 * saw copies that collapsing later folds. */
typedef struct recount_ctx {
  presse_db *db;
  presse_analyzer *a;
  const char *text;
  unsigned flags;
  presse_search_opts opts;
} recount_ctx;

const char *presse_facet_field(const char *type) {
  const presse_field *f = presse_schema_type_field(type);
  return f && f->query ? f->query[0] : NULL;
}

static int recount(void *vctx, const char *type, const char *name, unsigned long long *count) {
  recount_ctx *c = vctx;
  const char *field = presse_facet_field(type);
  if (!field || strchr(name, '"')) return 0;
  size_t n = strlen(c->text) + strlen(name) + 32;
  char *text = malloc(n);
  if (!text) return PRESSE_ENOMEM;
  snprintf(text, n, "(%s) %s:\"%s\"", c->text, field, name);
  presse_query *q = NULL;
  int rc = presse_query_parse_flags(&q, c->a, text, c->flags);
  free(text);
  presse_hits *h = NULL;
  if (rc == PRESSE_OK && presse_query_tree(q)) {
    rc = presse_db_search(c->db, presse_query_tree(q), &c->opts, &h);
    if (rc == PRESSE_OK) *count = presse_hits_total(h);
  } else {
    rc = PRESSE_OK; /* a name the query language cannot say keeps the matcher's tally */
  }
  presse_hits_free(h);
  presse_query_free(q);
  return rc;
}

static int recount_facets(presse_db *db, presse_analyzer *a, const char *text, const presse_search_opts *o,
                          presse_hits *h, unsigned flags) {
  recount_ctx c = {db, a, text, flags, *o};
  c.opts.facets = 0;
  c.opts.offset = 0;
  c.opts.limit = 1;
  return presse_hits_facets_recount(h, recount, &c);
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
  out->total_exact = presse_hits_total_exact(out->hits);
  if (o.facets && out->total_all && (rc = recount_facets(db, a, text, &o, out->hits, 0)) != PRESSE_OK) return rc;
  if (presse_query_nwords(out->query) < 2) return PRESSE_OK;
  presse_query *any = NULL;
  rc = presse_query_parse_flags(&any, a, text, PRESSE_QUERY_ANY_WORD);
  presse_qnode *some = rc == PRESSE_OK ? only_some(presse_query_tree(any), all) : NULL;
  presse_query_free(any);
  if (rc != PRESSE_OK) return rc;
  if (!some) return PRESSE_ENOMEM;
  /* The second tier starts where the first ends. When the first fills the page, the second is
   * still counted (one hit fetched), so that the total is the same on every page. */
  int page_full = out->nall >= o.limit;
  presse_search_opts o2 = o;
  o2.offset = page_full ? 0 : o.offset > out->total_all ? (unsigned)(o.offset - out->total_all) : 0;
  o2.limit = page_full ? 1 : o.limit - (unsigned)out->nall;
  if (out->total_all || page_full) o2.facets = 0; /* facets describe the releases with every word */
  presse_hits *h2 = NULL;
  rc = presse_db_search(db, some, &o2, &h2);
  presse_qnode_free(some);
  if (rc != PRESSE_OK) return rc;
  out->total_some = presse_hits_total(h2);
  out->total_exact = out->total_exact && presse_hits_total_exact(h2);
  if (page_full) {
    presse_hits_free(h2);
    return PRESSE_OK;
  }
  if (o2.facets && (rc = recount_facets(db, a, text, &o, h2, PRESSE_QUERY_ANY_WORD)) != PRESSE_OK) {
    presse_hits_free(h2);
    return rc;
  }
  return presse_hits_append(out->hits, h2);
}

void presse_result_free(presse_result *r) {
  if (!r) return;
  presse_hits_free(r->hits);
  presse_query_free(r->query);
  memset(r, 0, sizeof *r);
}
