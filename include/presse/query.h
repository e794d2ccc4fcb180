/* The query language, parsed in C into a tree that store/ turns into a Xapian::Query.
 *   words (a tree requires them all)   "phrases"   OR / ODER   NOT / NICHT / -word   prefix*   ( ... )
 *   titel:/title:WORD   datum:/date:2025-01..2025-03, datum:30.01.2025
 * Words go through the same analysis pipeline as documents. */
#ifndef PRESSE_QUERY_H
#define PRESSE_QUERY_H

#include "presse/api.h"

#include <stddef.h>
#include "presse/analysis.h"
#include "presse/db.h"

typedef enum {
  PRESSE_Q_TERM,       /* term (weighted) */
  PRESSE_Q_BOOL_TERM,  /* term as a pure filter (no weight) */
  PRESSE_Q_AND,
  PRESSE_Q_OR,
  PRESSE_Q_AND_NOT,    /* kids[0] minus the others */
  PRESSE_Q_PHRASE,     /* kids are terms or ORs of terms, in order */
  PRESSE_Q_WILDCARD,   /* term = prefix */
  PRESSE_Q_DATE_RANGE, /* lo..hi YYYYMMDD on the date slot */
  PRESSE_Q_MATCH_ALL,
  PRESSE_Q_FILTER,     /* kids[0] weighted, the others filter without weight */
  PRESSE_Q_SCALE,      /* kids[0] with its weight multiplied by scale */
  PRESSE_Q_AND_MAYBE   /* kids[0] decides the matches; the others only add weight */
} presse_qop;

struct presse_qnode {
  presse_qop op;
  char *term;              /* TERM, BOOL_TERM, WILDCARD: the full term with its prefix */
  unsigned wqf;            /* query frequency for TERM (>= 1) */
  unsigned lo, hi;         /* DATE_RANGE */
  double scale;            /* SCALE */
  struct presse_qnode **kids;
  size_t nkids;
};
typedef struct presse_qnode presse_qnode;

PRESSE_API void presse_qnode_free(presse_qnode *q);

typedef struct presse_query presse_query;

/* Parses a query. On PRESSE_EQUERY, presse_query_errmsg() says what is wrong and
 * presse_query_errpos() gives the position in characters (code points, from 0) in the query string; the message does not repeat it. The handle is returned even
 * on failure (for the message); free it with presse_query_free. */
PRESSE_API int presse_query_parse(presse_query **out, presse_analyzer *a, const char *text);

/* Flags for presse_query_parse_flags. */
/* Limits: a query longer, with more words or deeper parentheses is refused with PRESSE_EQUERY and
 * a message saying which limit. They bound the parser's recursion (a server thread has a small
 * stack) and the query's cost; a pasted headline or a long boolean alert query is far below them. */
#define PRESSE_QUERY_MAX_BYTES 8192
#define PRESSE_QUERY_MAX_TERMS 256
#define PRESSE_QUERY_MAX_DEPTH 32

#define PRESSE_QUERY_ANY_WORD 0x01u /* words side by side need not all match (OR), best first */

/* presse_query_parse with flags: presse-query retries a query of several words that found
 * nothing with PRESSE_QUERY_ANY_WORD, and says so. */
PRESSE_API int presse_query_parse_flags(presse_query **out, presse_analyzer *a, const char *text, unsigned flags);
PRESSE_API void presse_query_free(presse_query *q);
PRESSE_API const char *presse_query_errmsg(const presse_query *q);
PRESSE_API size_t presse_query_errpos(const presse_query *q);
/* The tree; owned by q. NULL if the query is empty. */
PRESSE_API const presse_qnode *presse_query_tree(const presse_query *q);

/* The positive terms of the query with their field prefixes stripped, for highlighting.
 * *kind: 0 a folded word, 1 a stem, 2 a word prefix (from prefix*). Owned by q. */
PRESSE_API size_t presse_query_nhighlight(const presse_query *q);
PRESSE_API const char *presse_query_highlight(const presse_query *q, size_t i, int *kind);
/* Positive bare words of the query, in order, for spelling suggestions. Owned by q. */
PRESSE_API size_t presse_query_nwords(const presse_query *q);
PRESSE_API const char *presse_query_word(const presse_query *q, size_t i, size_t *start, size_t *end);

/* A search the way presse-query runs it (query/search.c). The releases that contain every word
 * come first, ranked; when they do not fill the page, the releases that contain only some of the
 * words follow, ranked (a query of one word, or of filters only, has one tier). Facets, when
 * asked for, describe the releases with every word, or those with some when none has all.
 * On PRESSE_EQUERY, out->query says what is wrong; on PRESSE_EDB, presse_db_errmsg(db).
 * Free with presse_result_free whatever the status. */
typedef struct presse_result {
  presse_query *query;           /* the query as parsed (highlighting, suggestions); owned */
  presse_hits *hits;             /* the page; owned; NULL when the query has no terms */
  size_t nall;                   /* hits [0, nall) contain every word, the rest only some */
  unsigned long long total_all;  /* matching releases with every word */
  unsigned long long total_some; /* further releases with only some of the words */
  int total_exact;               /* non-zero: both totals are exact counts, else estimates */
} presse_result;
PRESSE_API int presse_search(presse_db *db, presse_analyzer *a, const char *text, const presse_search_opts *opts,
                  presse_result *out);
PRESSE_API void presse_result_free(presse_result *r);
/* The query field that filters by an entity type ("PER" -> "person", "ORG" -> "org", "LOC" ->
 * "ort") or by the issuer facet ("ISSUER" -> "von"), NULL for others: a facet NAME of TYPE leads to the query with FIELD:"NAME" added, and
 * its count is that query's total. Static string. */
PRESSE_API const char *presse_facet_field(const char *type);

/* A highlighted snippet: the window of text (at most max_bytes) with the most distinct query
 * terms, whitespace collapsed, with the byte spans of the matched words inside it. */
typedef struct presse_snippet {
  char *text;            /* owned: free with presse_snippet_free */
  size_t len;
  size_t *marks;         /* 2*nmarks offsets into text: start, end of each highlighted term */
  size_t nmarks;
  size_t src_start;      /* offset of text[0] in the source text */
} presse_snippet;
PRESSE_API int presse_snippet_make(presse_analyzer *a, const presse_query *q, const char *text, size_t len,
                        size_t max_bytes, presse_snippet *out);
PRESSE_API void presse_snippet_free(presse_snippet *s);

/* A spelling suggestion from the index's own vocabulary: every query word that the index does
 * not know is replaced by the most frequent indexed word within a small edit distance, written
 * as it appears in a document ("Städtekooperation", not the folded form). *out is a malloc'd
 * query string, or NULL when there is nothing to suggest. */
PRESSE_API int presse_suggest(presse_db *db, presse_analyzer *a, const presse_query *q, const char *query_text, char **out);

#endif
