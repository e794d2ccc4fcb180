/* Snippets: re-analyse the stored text with the same pipeline, find the words that match the
 * query's terms (folded form, stem or prefix), and cut the window that holds the most distinct
 * matches. Highlight offsets are exact because the tokenizer keeps byte spans. */
#include <stdlib.h>
#include <string.h>

#include "presse/presse.h"
#include "util/buf.h"

typedef struct match {
  size_t start, end;
  size_t term; /* index of the query term it matched */
} match;

typedef struct snip_ctx {
  const presse_query *q;
  match *m;
  size_t n, cap;
  int oom;
} snip_ctx;

static long matching_term(const presse_query *q, const presse_term *t) {
  size_t n = presse_query_nhighlight(q);
  for (size_t i = 0; i < n; i++) {
    int kind;
    const char *h = presse_query_highlight(q, i, &kind);
    size_t hl = strlen(h);
    if (kind == 0 && hl == t->len && !memcmp(h, t->text, hl)) return (long)i;
    if (kind == 1 && t->stem && hl == t->stem_len && !memcmp(h, t->stem, hl)) return (long)i;
    if (kind == 2 && t->len >= hl && !memcmp(h, t->text, hl)) return (long)i;
  }
  return -1;
}

static int on_term(void *vctx, const presse_term *t) {
  snip_ctx *c = vctx;
  if (t->flags & PRESSE_TERM_STOP) return 0;
  long k = matching_term(c->q, t);
  if (k < 0) return 0;
  if (c->n && c->m[c->n - 1].start <= t->start && c->m[c->n - 1].end >= t->end) return 0; /* inside the last */
  if (c->n && c->m[c->n - 1].start == t->start) { /* a part and its whole: keep the wider */
    if (t->end > c->m[c->n - 1].end) c->m[c->n - 1].end = t->end;
    return 0;
  }
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 32;
    match *p = realloc(c->m, cap * sizeof *p);
    if (!p) {
      c->oom = 1;
      return 1;
    }
    c->m = p;
    c->cap = cap;
  }
  c->m[c->n].start = t->start;
  c->m[c->n].end = t->end;
  c->m[c->n].term = (size_t)k;
  c->n++;
  return 0;
}

static size_t char_start(const char *s, size_t len, size_t i) {
  while (i > 0 && i < len && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
  return i;
}

/* Whitespace, and every other control character (NUL, ESC, DEL): a snippet is shown on terminals
 * and in pages, so none reaches it; it reads as a space. */
static int is_space(char c) { return (unsigned char)c <= ' ' || c == 0x7f; }

void presse_snippet_free(presse_snippet *s) {
  if (!s) return;
  free(s->text);
  free(s->marks);
  memset(s, 0, sizeof *s);
}

int presse_snippet_make(presse_analyzer *a, const presse_query *q, const char *text, size_t len, size_t max_bytes,
                        presse_snippet *out) {
  memset(out, 0, sizeof *out);
  snip_ctx c = {q, NULL, 0, 0, 0};
  int rc = presse_analyze(a, text, len, NULL, on_term, &c);
  if (c.oom || (rc != PRESSE_OK && rc != PRESSE_EABORT)) {
    free(c.m);
    return PRESSE_ENOMEM;
  }
  /* the window start that covers the most distinct query terms, then the most matches */
  size_t best = 0, best_distinct = 0, best_count = 0;
  size_t nterms = presse_query_nhighlight(q);
  unsigned char *seen = calloc(nterms + 1, 1);
  for (size_t i = 0; i < c.n && seen; i++) {
    memset(seen, 0, nterms + 1);
    size_t distinct = 0, count = 0;
    for (size_t j = i; j < c.n && c.m[j].end - c.m[i].start <= max_bytes * 3 / 4; j++) {
      if (!seen[c.m[j].term]) {
        seen[c.m[j].term] = 1;
        distinct++;
      }
      count++;
    }
    if (distinct > best_distinct || (distinct == best_distinct && count > best_count)) {
      best = i;
      best_distinct = distinct;
      best_count = count;
    }
  }
  free(seen);
  size_t ws = 0;
  if (c.n) {
    /* some context before the first match, starting at a word */
    size_t back = max_bytes / 5;
    ws = c.m[best].start > back ? c.m[best].start - back : 0;
    if (ws > 0) {
      while (ws < c.m[best].start && !is_space(text[ws])) ws++;
      while (ws < c.m[best].start && is_space(text[ws])) ws++;
    }
  } else {
    while (ws < len && is_space(text[ws])) ws++;
  }
  size_t we = ws + max_bytes < len ? ws + max_bytes : len;
  if (we < len) { /* end at a word boundary */
    size_t e = we;
    while (e > ws && !is_space(text[e])) e--;
    if (e > ws) we = e;
    we = char_start(text, len, we);
  }
  presse_buf b = PRESSE_BUF_INIT;
  size_t *marks = NULL, nmarks = 0;
  if (c.n) marks = malloc(2 * c.n * sizeof *marks);
  if (ws > 0) presse_buf_puts(&b, "… ");
  size_t mi = 0;
  while (mi < c.n && c.m[mi].start < ws) mi++;
  int open = 0, last_space = 1;
  for (size_t i = ws; i < we; i++) {
    if (marks && mi < c.n && !open && i == c.m[mi].start && c.m[mi].end <= we) {
      marks[2 * nmarks] = b.len;
      open = 1;
    }
    if (is_space(text[i])) {
      /* "Migranten-⏎organisationen" reads as one word, as the tokenizer took it */
      size_t j = i;
      int newline = 0;
      while (j < we && is_space(text[j])) newline |= text[j++] == '\n';
      int joined = newline && i > ws && text[i - 1] == '-' && j < we && text[j] >= 'a' && text[j] <= 'z';
      if (joined) {
        i = j - 1; /* skip the whole run; marks never start or end inside whitespace */
        continue;
      }
      if (!last_space) presse_buf_putc(&b, ' ');
      last_space = 1;
    } else {
      presse_buf_putc(&b, text[i]);
      last_space = 0;
    }
    if (open && i + 1 == c.m[mi].end) {
      marks[2 * nmarks + 1] = b.len;
      nmarks++;
      open = 0;
      mi++;
    }
  }
  while (b.len && b.data[b.len - 1] == ' ') b.data[--b.len] = '\0';
  if (we < len) presse_buf_puts(&b, " …");
  free(c.m);
  if (!b.data) presse_buf_puts(&b, "");
  out->len = b.len;
  out->text = presse_buf_detach(&b);
  out->marks = marks;
  out->nmarks = nmarks;
  out->src_start = ws;
  return PRESSE_OK;
}
