/* Query tree nodes: constructors for the parser, one destructor for everyone. */
#include "query/qtree.h"

#include <stdlib.h>
#include <string.h>

void presse_qnode_free(presse_qnode *q) {
  if (!q) return;
  for (size_t i = 0; i < q->nkids; i++) presse_qnode_free(q->kids[i]);
  free(q->kids);
  free(q->term);
  free(q);
}

presse_qnode *presse_qnode_new(presse_qop op) {
  presse_qnode *q = calloc(1, sizeof *q);
  if (q) {
    q->op = op;
    q->wqf = 1;
    q->scale = 1.0;
  }
  return q;
}

presse_qnode *presse_qnode_term(presse_qop op, const char *prefix, const char *text, size_t len) {
  presse_qnode *q = presse_qnode_new(op);
  if (!q) return NULL;
  size_t pl = strlen(prefix);
  q->term = malloc(pl + len + 1);
  if (!q->term) {
    free(q);
    return NULL;
  }
  memcpy(q->term, prefix, pl);
  memcpy(q->term + pl, text, len);
  q->term[pl + len] = '\0';
  return q;
}

int presse_qnode_add(presse_qnode *parent, presse_qnode *kid) {
  if (!kid) return -1;
  presse_qnode **k = realloc(parent->kids, (parent->nkids + 1) * sizeof *k);
  if (!k) {
    presse_qnode_free(kid);
    return -1;
  }
  parent->kids = k;
  parent->kids[parent->nkids++] = kid;
  return 0;
}

presse_qnode *presse_qnode_clone(const presse_qnode *q, int match_only) {
  while (match_only && q->nkids && (q->op == PRESSE_Q_AND_MAYBE || q->op == PRESSE_Q_SCALE)) q = q->kids[0];
  presse_qnode *c = presse_qnode_new(q->op);
  if (!c) return NULL;
  c->wqf = q->wqf;
  c->lo = q->lo;
  c->hi = q->hi;
  c->scale = q->scale;
  if (q->term && !(c->term = strdup(q->term))) {
    presse_qnode_free(c);
    return NULL;
  }
  for (size_t i = 0; i < q->nkids; i++) {
    presse_qnode *k = presse_qnode_clone(q->kids[i], match_only);
    if (!k || presse_qnode_add(c, k) != 0) {
      presse_qnode_free(c);
      return NULL;
    }
  }
  return c;
}

presse_qnode *presse_qnode_simplify(presse_qnode *q) {
  if (q && (q->op == PRESSE_Q_AND || q->op == PRESSE_Q_OR) && q->nkids == 1) {
    presse_qnode *k = q->kids[0];
    q->nkids = 0;
    presse_qnode_free(q);
    return k;
  }
  return q;
}
