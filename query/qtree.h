/* Query tree construction helpers. Internal to libpresse. */
#ifndef PRESSE_QUERY_QTREE_H
#define PRESSE_QUERY_QTREE_H

#include <stddef.h>

#include "presse/query.h"

presse_qnode *presse_qnode_new(presse_qop op);
/* A TERM, BOOL_TERM or WILDCARD node for prefix + text[0..len). */
presse_qnode *presse_qnode_term(presse_qop op, const char *prefix, const char *text, size_t len);
/* Appends kid (taking ownership, also on failure). Returns 0 or -1. */
int presse_qnode_add(presse_qnode *parent, presse_qnode *kid);
/* A deep copy of q, or NULL when memory runs out. match_only: without the parts that only add
 * weight (an AND_MAYBE becomes its first child, a SCALE its child): the same matches. */
presse_qnode *presse_qnode_clone(const presse_qnode *q, int match_only);
/* An AND or OR of one child is that child. */
presse_qnode *presse_qnode_simplify(presse_qnode *q);

#endif
