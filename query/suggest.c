/* "Meinten Sie: …": spelling suggestions from the index's own vocabulary. No spelling table is
 * built at index time (that would slow indexing); instead the folded words that share the
 * query word's first letter are scanned with an edit distance, which takes a few milliseconds
 * and only runs when a query found nothing. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "presse/presse.h"
#include "query/qtree.h"
#include "util/buf.h"

/* Optimal string alignment distance (Levenshtein plus adjacent transpositions), bounded:
 * returns max + 1 as soon as the distance must exceed max. */
static unsigned osa(const char *a, size_t n, const char *b, size_t m, unsigned max) {
  if ((n > m ? n - m : m - n) > max) return max + 1;
  unsigned *d = malloc((n + 1) * (m + 1) * sizeof *d);
  if (!d) return max + 1;
#define D(i, j) d[(i) * (m + 1) + (j)]
  for (size_t i = 0; i <= n; i++) D(i, 0) = (unsigned)i;
  for (size_t j = 0; j <= m; j++) D(0, j) = (unsigned)j;
  unsigned result = 0;
  for (size_t i = 1; i <= n; i++) {
    unsigned rowmin = max + 1;
    for (size_t j = 1; j <= m; j++) {
      unsigned cost = a[i - 1] != b[j - 1];
      unsigned v = D(i - 1, j) + 1;
      if (D(i, j - 1) + 1 < v) v = D(i, j - 1) + 1;
      if (D(i - 1, j - 1) + cost < v) v = D(i - 1, j - 1) + cost;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
        v = D(i - 2, j - 2) + 1;
      D(i, j) = v;
      if (v < rowmin) rowmin = v;
    }
    if (rowmin > max) {
      result = max + 1;
      break;
    }
  }
  if (!result) result = D(n, m);
#undef D
  free(d);
  return result;
}

typedef struct cand_ctx {
  const char *word;
  size_t len;
  unsigned max, best_d;
  unsigned long long best_f;
  presse_buf best;
} cand_ctx;

static int on_term(void *vctx, const char *t, size_t n, unsigned long long freq) {
  cand_ctx *c = vctx;
  if (n == c->len && !memcmp(t, c->word, n)) return 0;
  unsigned d = osa(c->word, c->len, t, n, c->max);
  if (d > c->max) return 0;
  if (d < c->best_d || (d == c->best_d && freq > c->best_f)) {
    c->best_d = d;
    c->best_f = freq;
    presse_buf_clear(&c->best);
    presse_buf_append(&c->best, t, n);
  }
  return 0;
}

typedef struct surface_ctx {
  const char *want;
  const char *text;
  size_t start, end;
  int found;
} surface_ctx;

static int on_surface(void *vctx, const presse_term *t) {
  surface_ctx *c = vctx;
  if (strlen(c->want) == t->len && !memcmp(c->want, t->text, t->len)) {
    c->start = t->start;
    c->end = t->end;
    c->found = 1;
    return 1;
  }
  return 0;
}

/* The word as a document writes it: the first occurrence in the best document that has it. */
static void surface_form(presse_db *db, presse_analyzer *a, const char *folded, presse_buf *out) {
  presse_qnode *t = presse_qnode_term(PRESSE_Q_TERM, "", folded, strlen(folded));
  presse_hits *h = NULL;
  presse_search_opts o = {.limit = 1};
  if (t && presse_db_search(db, t, &o, &h) == PRESSE_OK && presse_hits_count(h) > 0) {
    size_t tl;
    const char *text = presse_hits_text(h, 0, &tl);
    if (text) {
      surface_ctx c = {folded, text, 0, 0, 0};
      presse_analyze(a, text, tl, NULL, on_surface, &c);
      if (c.found) presse_buf_append(out, text + c.start, c.end - c.start);
    }
  }
  presse_hits_free(h);
  presse_qnode_free(t);
  if (out->len == 0) presse_buf_puts(out, folded);
}

int presse_suggest(presse_db *db, presse_analyzer *a, const presse_query *q, const char *query_text, char **out) {
  *out = NULL;
  presse_buf result = PRESSE_BUF_INIT;
  size_t copied = 0, changed = 0;
  for (size_t i = 0; i < presse_query_nwords(q); i++) {
    size_t start, end;
    const char *w = presse_query_word(q, i, &start, &end);
    size_t n = strlen(w);
    if (presse_db_termfreq(db, w) > 0 || n < 3) continue;
    char prefix[8] = {0};
    size_t pl = ((unsigned char)w[0] & 0x80) ? 2 : 1; /* the first character */
    if (pl > n) pl = n;
    memcpy(prefix, w, pl);
    cand_ctx c = {w, n, n <= 4 ? 1u : 2u, 99, 0, PRESSE_BUF_INIT};
    presse_db_terms(db, prefix, on_term, &c);
    if (c.best.len) {
      presse_buf_append(&result, query_text + copied, start - copied);
      presse_buf surface = PRESSE_BUF_INIT;
      surface_form(db, a, c.best.data, &surface);
      presse_buf_append(&result, surface.data, surface.len);
      presse_buf_free(&surface);
      copied = end;
      changed++;
    }
    presse_buf_free(&c.best);
  }
  if (changed) {
    presse_buf_puts(&result, query_text + copied);
    *out = presse_buf_detach(&result);
  }
  presse_buf_free(&result);
  return PRESSE_OK;
}
