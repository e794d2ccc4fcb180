/* The query parser: a hand-written recursive-descent parser for presse's query language (see
 * include/presse/query.h). Words go through the analysis pipeline the documents went through,
 * so "Kuehner", "Kühner" and "KÜHNER" become the same terms. Xapian's QueryParser is not used:
 * its tokenizer disagrees with ours on ß, soft hyphens, gender forms and compounds. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/schema.h"
#include "presse/presse.h"
#include "query/qtree.h"
#include "util/buf.h"

/* How much an exact word form counts beside its stem: a query word matches its stem (Z term)
 * and, with this extra weight, the exact folded form. */
#define EXACT_WQF 1
/* A match on a part of a compound ("Organisationen" in "Migrantenorganisationen") counts this
 * much of a match on the word itself. */
#define PART_WEIGHT 0.5
/* A word's stem in the lead of a release (document/document.c, ZL terms) adds this much of a
 * match on the word: +0.010 MRR@10 on the held-out Berlin known-item queries. */
#define LEAD_WEIGHT 0.5

typedef struct hl_term {
  char *text;
  int is_stem;
} hl_term;

typedef struct qword {
  char *text;
  size_t start, end;
} qword;

struct presse_query {
  presse_analyzer *a;
  const char *src;
  size_t len, i;
  int depth;     /* parenthesis depth */
  size_t nterms; /* word positions analysed so far, against PRESSE_QUERY_MAX_TERMS */
  int negated;   /* inside a NOT: terms are not highlighted */
  unsigned flags; /* PRESSE_QUERY_* */
  presse_qnode *root;
  presse_buf err;
  size_t errpos;
  int failed;
  hl_term *hl;
  size_t nhl, hlcap;
  qword *words;
  size_t nwords, wcap;
};

/* ---- errors and bookkeeping ---- */

static presse_qnode *fail(presse_query *q, size_t pos, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static presse_qnode *fail(presse_query *q, size_t pos, const char *fmt, ...) {
  if (q->failed) return NULL;
  q->failed = 1;
  /* a position people can count: characters, not bytes ("Müller datum:2021-13" fails at 14) */
  size_t chars = 0;
  for (size_t k = 0; k < pos && k < q->len; k++)
    if (((unsigned char)q->src[k] & 0xC0) != 0x80) chars++;
  q->errpos = chars + (pos > q->len ? pos - q->len : 0);
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  presse_buf_clear(&q->err);
  presse_buf_puts(&q->err, msg);
  return NULL;
}

static void add_highlight(presse_query *q, const char *t, size_t n, int is_stem) {
  if (q->negated || n == 0) return;
  for (size_t i = 0; i < q->nhl; i++)
    if (q->hl[i].is_stem == is_stem && strlen(q->hl[i].text) == n && !memcmp(q->hl[i].text, t, n)) return;
  if (q->nhl == q->hlcap) {
    size_t cap = q->hlcap ? q->hlcap * 2 : 16;
    hl_term *p = realloc(q->hl, cap * sizeof *p);
    if (!p) return;
    q->hl = p;
    q->hlcap = cap;
  }
  char *s = strndup(t, n);
  if (!s) return;
  q->hl[q->nhl].text = s;
  q->hl[q->nhl].is_stem = is_stem;
  q->nhl++;
}

static void add_word(presse_query *q, const char *t, size_t n, size_t start, size_t end) {
  if (q->negated) return;
  if (q->nwords == q->wcap) {
    size_t cap = q->wcap ? q->wcap * 2 : 8;
    qword *p = realloc(q->words, cap * sizeof *p);
    if (!p) return;
    q->words = p;
    q->wcap = cap;
  }
  char *s = strndup(t, n);
  if (!s) return;
  q->words[q->nwords].text = s;
  q->words[q->nwords].start = start;
  q->words[q->nwords].end = end;
  q->nwords++;
}

/* ---- lexing ---- */

typedef enum { T_END, T_LP, T_RP, T_QUOTE, T_OR, T_AND, T_NOT, T_CHUNK } ttype;

/* Length of a quote character at s[i] (ASCII or typographic), else 0. */
static size_t quote_at(const char *s, size_t len, size_t i) {
  if (s[i] == '"') return 1;
  if (i + 2 < len + 0 && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
      ((unsigned char)s[i + 2] == 0x9E || (unsigned char)s[i + 2] == 0x9C || (unsigned char)s[i + 2] == 0x9D))
    return 3; /* „ “ ” */
  if (i + 1 < len && (unsigned char)s[i] == 0xC2 && ((unsigned char)s[i + 1] == 0xAB || (unsigned char)s[i + 1] == 0xBB))
    return 2; /* « » */
  return 0;
}

static void skip_ws(presse_query *q) {
  while (q->i < q->len && isspace((unsigned char)q->src[q->i])) q->i++;
}

static size_t chunk_end(presse_query *q, size_t i) {
  while (i < q->len && !isspace((unsigned char)q->src[i]) && q->src[i] != '(' && q->src[i] != ')' &&
         !quote_at(q->src, q->len, i))
    i++;
  return i;
}

static int chunk_is(presse_query *q, size_t a, size_t b, const char *w) {
  size_t n = strlen(w);
  return b - a == n && memcmp(q->src + a, w, n) == 0;
}

static ttype peek(presse_query *q) {
  skip_ws(q);
  if (q->i >= q->len) return T_END;
  char c = q->src[q->i];
  if (c == '(') return T_LP;
  if (c == ')') return T_RP;
  if (quote_at(q->src, q->len, q->i)) return T_QUOTE;
  size_t e = chunk_end(q, q->i);
  if (chunk_is(q, q->i, e, "OR") || chunk_is(q, q->i, e, "ODER") || chunk_is(q, q->i, e, "|")) return T_OR;
  if (chunk_is(q, q->i, e, "AND") || chunk_is(q, q->i, e, "UND") || chunk_is(q, q->i, e, "&")) return T_AND;
  if (chunk_is(q, q->i, e, "NOT") || chunk_is(q, q->i, e, "NICHT")) return T_NOT;
  return T_CHUNK;
}

/* ---- words through the analysis pipeline ---- */

typedef struct aterm {
  char *text, *stem;
  unsigned pos, flags, token;
  presse_token_kind kind;
  size_t start, end;
} aterm;

typedef struct aterms {
  aterm *v;
  size_t n, cap;
  int oom;
  const char *src; /* the analysed text: terms' start/end are offsets into it */
} aterms;

static int collect(void *ctx, const presse_term *t) {
  aterms *c = ctx;
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 16;
    aterm *p = realloc(c->v, cap * sizeof *p);
    if (!p) {
      c->oom = 1;
      return 1;
    }
    c->v = p;
    c->cap = cap;
  }
  aterm *a = &c->v[c->n];
  a->text = strndup(t->text, t->len);
  a->stem = t->stem ? strndup(t->stem, t->stem_len) : NULL;
  a->pos = t->pos;
  a->flags = t->flags;
  a->token = t->token;
  a->kind = t->kind;
  a->start = t->start;
  a->end = t->end;
  c->n++;
  return 0;
}

static void aterms_free(aterms *c) {
  for (size_t i = 0; i < c->n; i++) {
    free(c->v[i].text);
    free(c->v[i].stem);
  }
  free(c->v);
}

/* The body, where words without a field name are searched (document/schema.c); titel: is the other
 * text field. */
static const presse_field *const BODY = &presse_schema_fields[PRESSE_F_BODY];

/* prefix + stem with its weight scaled: a compound part (ZP) below the word itself, the stem
 * in the release's lead (ZL) as a bonus on top of the match. */
static presse_qnode *scaled_stem(const char *prefix, const char *stem, double scale) {
  presse_qnode *sc = presse_qnode_new(PRESSE_Q_SCALE);
  if (!sc) return NULL;
  sc->scale = scale;
  presse_qnode_add(sc, presse_qnode_term(PRESSE_Q_TERM, prefix, stem, strlen(stem)));
  return sc;
}

/* Frequent German surnames in -er whose stem without the -er is another word (folded): the
 * surname "Müller" and "Müll", "Mülltonne"; "Bauer" and "Bau"; "Schneider" and "schneiden";
 * "Keller" and "Kelle"; "Berger" and "Berg"; "Sauer" and "Sau". Issue 13's false friends
 * (tests/false_friends.tsv). Measured on bench-relevance: applying the rule to every capitalised
 * -er word whose stem is a noun in the lexicon cost MRR@10 (0.362 -> 0.360 on Berlin 1-1000:
 * "Räuber" then misses "Raub", "Messer" "Küchenmesser"); the surnames alone cost nothing. */
static const char *const er_surnames[] = {
    "muller",  "schneider", "fischer", "weber",   "becker",   "schafer",  "bauer",    "richter", "schroder",
    "kruger",  "werner",    "huber",   "kohler",  "walter",   "keller",   "berger",   "winkler", "schuster",
    "kramer",  "jager",     "sommer",  "schreiber", "ziegler", "sauer",   "pfeiffer", "lindner", "hubner",
    "ritter",  "brenner",   "gartner", "forster", "schlosser", "fleischer", "metzger", "decker",  "maurer",
    "wegner",  "kellner",   "adler",   "binder",  "bremer",   "dreher",   "gerber",   "hafner",  "kessler",
    "kaiser",  "lehner",    "messner", "pfeifer", "reiter",   "schmieder", "seiler", "vogler",  "wagener",
    "wendler", "zeller",    "baier",   "beyer"};

/* A surname of er_surnames, as the query typed it (capitalised), also with -s or -n: it
 * matches its own forms, not the stem. Returns the length of the name, or 0. */
static size_t er_noun(const aterm *t, const char *raw) {
  unsigned char c0 = (unsigned char)raw[0], c1 = (unsigned char)raw[1];
  int upper = (c0 >= 'A' && c0 <= 'Z') || (c0 == 0xC3 && (c1 == 0x84 || c1 == 0x96 || c1 == 0x9C));
  if (!upper || !t->stem) return 0;
  size_t n = strlen(t->text);
  if (n > 1 && (t->text[n - 1] == 's' || t->text[n - 1] == 'n')) n--;
  for (size_t k = 0; k < sizeof er_surnames / sizeof *er_surnames; k++)
    if (strlen(er_surnames[k]) == n && !memcmp(t->text, er_surnames[k], n)) return n;
  return 0;
}

/* A surname of er_surnames: the words that start with it (Müller, Müllers, Müllerin, and the
 * compounds it begins, Müllerstraße), with the lead bonus of any word. */
static presse_qnode *er_forms(presse_query *q, const aterm *t, size_t base, const presse_field *f) {
  presse_qnode *w = presse_qnode_term(PRESSE_Q_WILDCARD, f->word_prefix, t->text, base);
  if (!w) return NULL;
  add_highlight(q, t->text, base, 2);
  if (f != BODY) return w;
  presse_qnode *maybe = presse_qnode_new(PRESSE_Q_AND_MAYBE);
  if (!maybe) return w;
  presse_qnode_add(maybe, w);
  presse_qnode_add(maybe, scaled_stem(PRESSE_PREFIX_LEAD, t->stem, LEAD_WEIGHT));
  return maybe;
}

/* One word: its stem, or its stem as part of a compound, decides the match; the exact folded
 * form adds weight (AND_MAYBE: its posting list is only read where the stem matched). */
static presse_qnode *word_node(presse_query *q, const aterm *t, const char *raw, const presse_field *f) {
  size_t er = er_noun(t, raw);
  if (er) return er_forms(q, t, er, f);
  presse_qnode *w = presse_qnode_term(PRESSE_Q_TERM, f->word_prefix, t->text, strlen(t->text));
  if (!w) return NULL;
  add_highlight(q, t->text, strlen(t->text), 0);
  if (!t->stem) return w;
  w->wqf = EXACT_WQF;
  presse_qnode *maybe = presse_qnode_new(PRESSE_Q_AND_MAYBE), *or = presse_qnode_new(PRESSE_Q_OR);
  if (!maybe || !or) {
    presse_qnode_free(w);
    presse_qnode_free(maybe);
    presse_qnode_free(or);
    return NULL;
  }
  presse_qnode_add(or, presse_qnode_term(PRESSE_Q_TERM, f->stem_prefix, t->stem, strlen(t->stem)));
  if (f == BODY) presse_qnode_add(or, scaled_stem(PRESSE_PREFIX_PART, t->stem, PART_WEIGHT));
  presse_qnode_add(maybe, presse_qnode_simplify(or));
  presse_qnode_add(maybe, w);
  if (f == BODY) presse_qnode_add(maybe, scaled_stem(PRESSE_PREFIX_LEAD, t->stem, LEAD_WEIGHT));
  add_highlight(q, t->stem, strlen(t->stem), 1);
  return maybe;
}

/* Documents whose compounds contain the query word's parts: AND of each part's stem as a word
 * or as a compound part, scaled below a match of the whole word. */
static presse_qnode *split_node(const aterms *c, size_t a, size_t b) {
  presse_qnode *and = presse_qnode_new(PRESSE_Q_AND);
  if (!and) return NULL;
  for (size_t k = a; k < b; k++) {
    const aterm *t = &c->v[k];
    if (!(t->flags & PRESSE_TERM_SPLIT) || !t->stem) continue;
    presse_qnode *or = presse_qnode_new(PRESSE_Q_OR);
    presse_qnode_add(or, presse_qnode_term(PRESSE_Q_TERM, BODY->stem_prefix, t->stem, strlen(t->stem)));
    presse_qnode_add(or, presse_qnode_term(PRESSE_Q_TERM, PRESSE_PREFIX_PART, t->stem, strlen(t->stem)));
    presse_qnode_add(and, or);
  }
  if (and->nkids < 2) {
    presse_qnode_free(and);
    return NULL;
  }
  presse_qnode *sc = presse_qnode_new(PRESSE_Q_SCALE);
  if (!sc) {
    presse_qnode_free(and);
    return NULL;
  }
  sc->scale = PART_WEIGHT;
  presse_qnode_add(sc, and);
  return sc;
}

/* The terms of one raw token [a, b) as a bag-of-words query. Sets *stop for a stopword. */
static presse_qnode *token_node(presse_query *q, const aterms *c, size_t a, size_t b, const presse_field *f, int *stop) {
  *stop = 0;
  int parts = 0;
  for (size_t k = a; k < b; k++)
    if (c->v[k].flags & PRESSE_TERM_PART) parts++;
  const aterm *first = &c->v[a];
  if (first->kind == PRESSE_TOK_EMAIL || first->kind == PRESSE_TOK_URL) { /* the address itself, not its words */
    add_highlight(q, first->text, strlen(first->text), 0);
    return presse_qnode_term(PRESSE_Q_TERM, f->word_prefix, first->text, strlen(first->text));
  }
  presse_qnode *or = presse_qnode_new(PRESSE_Q_OR);
  if (!or) return NULL;
  if (parts > 1) {
    /* a hyphenated compound: its parts as a phrase, or the joined whole */
    presse_qnode *ph = presse_qnode_new(PRESSE_Q_PHRASE);
    for (size_t k = a; k < b; k++) {
      const aterm *t = &c->v[k];
      if ((t->flags & PRESSE_TERM_PART) && !(t->flags & (PRESSE_TERM_ALT | PRESSE_TERM_SPLIT))) {
        presse_qnode_add(ph, presse_qnode_term(PRESSE_Q_TERM, f->word_prefix, t->text, strlen(t->text)));
        if (!(t->flags & PRESSE_TERM_STOP)) add_highlight(q, t->text, strlen(t->text), 0);
      }
    }
    presse_qnode_add(or, ph);
    for (size_t k = a; k < b; k++)
      if (c->v[k].flags & PRESSE_TERM_WHOLE) presse_qnode_add(or, word_node(q, &c->v[k], c->src + c->v[a].start, f));
  } else {
    for (size_t k = a; k < b; k++) {
      const aterm *t = &c->v[k];
      if (t->kind == PRESSE_TOK_DATE && (t->flags & PRESSE_TERM_ALT)) continue;
      if (t->flags & PRESSE_TERM_SPLIT) continue;
      if (t->flags & PRESSE_TERM_STOP) *stop = 1;
      presse_qnode_add(or, word_node(q, t, c->src + t->start, f));
    }
    if (f == BODY) {
      presse_qnode *sp = split_node(c, a, b);
      if (sp) presse_qnode_add(or, sp);
    }
  }
  return presse_qnode_simplify(or);
}

/* A phrase: per position the bare forms found there (OR of alternatives), in order. */
static presse_qnode *phrase_node(presse_query *q, const aterms *c, const presse_field *f) {
  presse_qnode *ph = presse_qnode_new(PRESSE_Q_PHRASE);
  if (!ph) return NULL;
  presse_qnode *cur = NULL;
  unsigned cur_pos = 0;
  for (size_t k = 0; k < c->n; k++) {
    const aterm *t = &c->v[k];
    if (t->flags & (PRESSE_TERM_WHOLE | PRESSE_TERM_SPLIT)) continue;
    if (t->kind == PRESSE_TOK_EMAIL || t->kind == PRESSE_TOK_DOMAIN) continue; /* its words (PART terms) carry the positions */
    if (!cur || t->pos != cur_pos) {
      if (cur) presse_qnode_add(ph, presse_qnode_simplify(cur));
      cur = presse_qnode_new(PRESSE_Q_OR);
      cur_pos = t->pos;
    }
    presse_qnode_add(cur, presse_qnode_term(PRESSE_Q_TERM, f->word_prefix, t->text, strlen(t->text)));
    if (!(t->flags & PRESSE_TERM_STOP)) add_highlight(q, t->text, strlen(t->text), 0);
  }
  if (cur) presse_qnode_add(ph, presse_qnode_simplify(cur));
  if (ph->nkids == 0) {
    presse_qnode_free(ph);
    return NULL;
  }
  if (ph->nkids == 1) {
    presse_qnode *k = ph->kids[0];
    ph->nkids = 0;
    presse_qnode_free(ph);
    return k;
  }
  return ph;
}

static int analyze(presse_query *q, const char *s, size_t n, aterms *c) {
  memset(c, 0, sizeof *c);
  c->src = s;
  int rc = presse_analyze(q->a, s, n, NULL, collect, c);
  if (c->oom || (rc != PRESSE_OK && rc != PRESSE_EABORT)) {
    aterms_free(c);
    return PRESSE_ENOMEM;
  }
  unsigned last = 0;
  for (size_t k = 0; k < c->n; k++)
    if (c->v[k].pos > last) last = c->v[k].pos;
  q->nterms += last;
  if (q->nterms > PRESSE_QUERY_MAX_TERMS) {
    aterms_free(c);
    memset(c, 0, sizeof *c);
    fail(q, (size_t)(s - q->src), "too many words: a query may have at most %d", PRESSE_QUERY_MAX_TERMS);
    return PRESSE_EQUERY;
  }
  return PRESSE_OK;
}

/* ---- the grammar ---- */

typedef enum { I_POS, I_STOP, I_NEG, I_FILTER } ikind;

typedef struct items {
  presse_qnode *node[4]; /* by ikind: AND of positives, AND of stopwords, OR of negatives, AND of filters */
} items;

static void items_add(items *it, ikind k, presse_qnode *n) {
  if (!n) return;
  if (!it->node[k]) it->node[k] = presse_qnode_new(k == I_NEG ? PRESSE_Q_OR : PRESSE_Q_AND);
  if (it->node[k]) presse_qnode_add(it->node[k], n);
  else presse_qnode_free(n);
}

static presse_qnode *parse_or(presse_query *q);

/* Words of a chunk (or of a field value) added to the items, one entry per raw token. */
static void chunk_words(presse_query *q, size_t a, size_t b, const presse_field *f, items *it, int neg) {
  aterms c;
  if (analyze(q, q->src + a, b - a, &c) != PRESSE_OK) {
    fail(q, a, "out of memory");
    return;
  }
  presse_qnode *negs = NULL;
  for (size_t k = 0; k < c.n;) {
    size_t e = k;
    while (e < c.n && c.v[e].token == c.v[k].token) e++;
    int stop;
    presse_qnode *n = token_node(q, &c, k, e, f, &stop);
    if (!neg && !stop && c.v[k].kind == PRESSE_TOK_WORD && f == BODY)
      add_word(q, c.v[k].text, strlen(c.v[k].text), a + c.v[k].start, a + c.v[e - 1].end);
    if (neg) {
      if (!negs) negs = presse_qnode_new(PRESSE_Q_AND);
      if (negs) presse_qnode_add(negs, n);
    } else {
      items_add(it, stop ? I_STOP : I_POS, n);
    }
    k = e;
  }
  if (negs) items_add(it, I_NEG, presse_qnode_simplify(negs));
  aterms_free(&c);
}

/* Reads the quoted text starting at q->i into [*s, *e) and moves past the closing quote.
 * A quote that is never closed fails the query (returns -1) when strict, as for a field's value;
 * otherwise it is punctuation, as in a pasted headline with one stray quote (returns 1, q->i
 * past the quote). */
static int read_quoted(presse_query *q, size_t *s, size_t *e, int strict) {
  size_t open = q->i;
  size_t k = open + quote_at(q->src, q->len, open);
  *s = k;
  while (k < q->len && !quote_at(q->src, q->len, k)) k++;
  if (k >= q->len) {
    if (!strict) {
      q->i = *s;
      return 1;
    }
    fail(q, open, "unbalanced quote: this quote is never closed");
    return -1;
  }
  *e = k;
  q->i = k + quote_at(q->src, q->len, k);
  return 0;
}

/* Reads a quoted phrase starting at q->i; returns its node (NULL if it has no words). */
static presse_qnode *read_phrase(presse_query *q, const presse_field *f) {
  size_t s, e;
  if (read_quoted(q, &s, &e, 1) != 0) return NULL;
  aterms c;
  if (analyze(q, q->src + s, e - s, &c) != PRESSE_OK) return fail(q, s, "out of memory");
  presse_qnode *n = phrase_node(q, &c, f);
  aterms_free(&c);
  return n;
}

static int read_date_range(presse_query *q, size_t a, size_t b, unsigned *lo, unsigned *hi) {
  const char *s = q->src + a;
  size_t n = b - a;
  const char *dots = NULL;
  for (size_t k = 0; k + 1 < n; k++)
    if (s[k] == '.' && s[k + 1] == '.') {
      dots = s + k;
      break;
    }
  unsigned l1, h1, l2, h2;
  if (!dots) {
    if (n == 0 || presse_date_parse_span(s, n, lo, hi) != PRESSE_OK) {
      fail(q, a, "cannot read the date '%.*s' (use 2025-01-30, 30.01.2025, 2025-01 or 2025)", (int)n, s);
      return -1;
    }
    return 0;
  }
  size_t ln = (size_t)(dots - s), rs = ln + 2;
  if (ln == 0 && rs == n) {
    fail(q, a, "cannot read the date '..': a range needs a start or an end (2025-01..2025-03, ..2024)");
    return -1;
  }
  if (ln == 0) l1 = 19000101;
  else if (presse_date_parse_span(s, ln, &l1, &h1) != PRESSE_OK) {
    fail(q, a, "cannot read the date '%.*s'", (int)ln, s);
    return -1;
  }
  if (rs == n) h2 = 21991231;
  else if (presse_date_parse_span(s + rs, n - rs, &l2, &h2) != PRESSE_OK) {
    fail(q, a + rs, "cannot read the date '%.*s'", (int)(n - rs), s + rs);
    return -1;
  }
  *lo = l1;
  *hi = h2;
  if (*lo > *hi) {
    fail(q, a, "the date range '%.*s' ends before it starts", (int)n, s);
    return -1;
  }
  return 0;
}

/* The field whose query name stands before ':' in the chunk [a, b) (document/schema.c), or NULL. */
static const presse_field *field_of(presse_query *q, size_t a, size_t b, size_t *colon) {
  size_t k = a;
  while (k < b && isalpha((unsigned char)q->src[k])) k++;
  if (k == a || k >= b || q->src[k] != ':') return NULL;
  *colon = k;
  return presse_schema_query_field(q->src + a, k - a);
}

typedef struct ent_ctx {
  presse_qnode *and;
  const char *prefix;
} ent_ctx;

static int on_entity_word(void *vctx, const presse_term *t) {
  ent_ctx *c = vctx;
  if (t->kind != PRESSE_TOK_WORD || (t->flags & (PRESSE_TERM_STOP | PRESSE_TERM_ALT | PRESSE_TERM_SPLIT))) return 0;
  presse_qnode_add(c->and, presse_qnode_term(PRESSE_Q_BOOL_TERM, c->prefix, t->text, t->len));
  return 0;
}

/* person:/org:/ort:/von: filters. Every word of the value must be a word of one entity name of
 * the type ("person:Kühner" finds "Alexander Kühner", "von:Hagen" finds "Stadt Hagen"); a name
 * of several words also matches as a whole ("org:\"Universität Duisburg-Essen\""). */
static presse_qnode *entity_filter(presse_query *q, const presse_field *fld, size_t a, size_t b) {
  ent_ctx c = {presse_qnode_new(PRESSE_Q_AND), fld->word_prefix};
  if (!c.and) return NULL;
  presse_analyze(q->a, q->src + a, b - a, NULL, on_entity_word, &c);
  if (c.and->nkids == 0) {
    presse_qnode_free(c.and);
    return fail(q, a, "the %s filter has no name", fld->ner_type < 0 ? fld->name : "entity");
  }
  presse_qnode *w = presse_qnode_simplify(c.and);
  char folded[256];
  int n = presse_analyzer_fold(q->a, q->src + a, b - a, folded, sizeof folded);
  if (n <= 0 || !memchr(folded, ' ', (size_t)n)) return w;
  presse_qnode *or = presse_qnode_new(PRESSE_Q_OR);
  presse_qnode_add(or, presse_qnode_term(PRESSE_Q_BOOL_TERM, fld->whole_prefix, folded, (size_t)n));
  presse_qnode_add(or, w);
  return or;
}

/* A phone number typed with spaces spans chunks ("02331 207-3314", "+49 2331 207 3314"): when
 * the analyser reads one from q->i on, it is one term, the digits in national form that the
 * document side indexes. Returns 1 (and moves q->i past it) or 0. */
static int phone_chunk(presse_query *q, items *it, int neg) {
  size_t a = q->i, r = a;
  if (!(isdigit((unsigned char)q->src[a]) || (q->src[a] == '+' && a + 1 < q->len && isdigit((unsigned char)q->src[a + 1]))))
    return 0;
  while (r < q->len && (isdigit((unsigned char)q->src[r]) || strchr(" /-+()", q->src[r]))) r++;
  aterms c;
  if (analyze(q, q->src + a, r - a, &c) != PRESSE_OK) return 0;
  int found = c.n > 0 && c.v[0].kind == PRESSE_TOK_PHONE && c.v[0].start == 0;
  if (found) {
    add_highlight(q, c.v[0].text, strlen(c.v[0].text), 0);
    items_add(it, neg ? I_NEG : I_POS, presse_qnode_term(PRESSE_Q_TERM, "", c.v[0].text, strlen(c.v[0].text)));
    q->i = a + c.v[0].end;
  }
  aterms_free(&c);
  return found;
}

static void parse_chunk(presse_query *q, items *it, int neg) {
  if (phone_chunk(q, it, neg)) return;
  size_t a = q->i, b = chunk_end(q, q->i);
  if (q->src[a] == '-' && b > a + 1 && !neg) { /* -word */
    q->i = a + 1;
    q->negated++;
    parse_chunk(q, it, 1);
    q->negated--;
    return;
  }
  if (q->src[a] == '+' && b > a + 1) a++; /* +word: required, as every word already is */
  size_t colon;
  const presse_field *fld = field_of(q, a, b, &colon);
  /* "Ort: Berlin", "Titel: ..." in a pasted headline: a field name needs its value right after
   * the colon (or a quoted value), otherwise it is a word followed by punctuation */
  if (fld && colon + 1 == b && !(b < q->len && quote_at(q->src, q->len, b))) fld = NULL;
  if (fld && fld->kind == PRESSE_FIELD_DATE) {
    q->i = b;
    unsigned lo, hi;
    size_t vs = colon + 1, ve = b;
    if (vs == b && read_quoted(q, &vs, &ve, 1) != 0) return; /* datum:"März 2021" */
    if (read_date_range(q, vs, ve, &lo, &hi) != 0) return;
    presse_qnode *r = presse_qnode_new(PRESSE_Q_DATE_RANGE);
    if (r) {
      r->lo = lo;
      r->hi = hi;
    }
    items_add(it, neg ? I_NEG : I_FILTER, r);
    return;
  }
  if (fld && fld->kind == PRESSE_FIELD_ENTITY) {
    size_t vs = colon + 1, ve = b;
    q->i = b;
    /* person:"Alexander Kühner" */
    if (vs == b && q->i < q->len && quote_at(q->src, q->len, q->i) && read_quoted(q, &vs, &ve, 1) != 0) return;
    presse_qnode *n = entity_filter(q, fld, vs, ve);
    if (n) items_add(it, neg ? I_NEG : I_FILTER, n);
    return;
  }
  if (fld && fld->kind == PRESSE_FIELD_TEXT) {
    const presse_field *f = fld;
    if (colon + 1 == b) { /* titel:"..." */
      q->i = b;
      if (q->i < q->len && quote_at(q->src, q->len, q->i)) {
        presse_qnode *n = read_phrase(q, f);
        items_add(it, neg ? I_NEG : I_POS, n);
        return;
      }
      fail(q, a, "the field '%.*s' has no value", (int)(colon - a), q->src + a);
      return;
    }
    q->i = b;
    chunk_words(q, colon + 1, b, f, it, neg);
    return;
  }
  q->i = b;
  if (q->src[b - 1] == '*') { /* prefix* */
    if (b - 1 == a) {
      fail(q, a, "a lone '*': give the start of a word, like Migrant*");
      return;
    }
    char folded[256];
    int n = presse_analyzer_fold(q->a, q->src + a, b - 1 - a, folded, sizeof folded);
    if (n <= 0) {
      fail(q, a, "cannot use '%.*s' as a prefix", (int)(b - a), q->src + a);
      return;
    }
    add_highlight(q, folded, (size_t)n, 2);
    items_add(it, neg ? I_NEG : I_POS, presse_qnode_term(PRESSE_Q_WILDCARD, "", folded, (size_t)n));
    return;
  }
  chunk_words(q, a, b, BODY, it, neg);
}

/* Combines the items of one AND level into a node. */
static presse_qnode *combine(const presse_query *q, items *it) {
  presse_qnode *pos = it->node[I_POS], *stop = it->node[I_STOP];
  if (pos && (q->flags & PRESSE_QUERY_ANY_WORD)) pos->op = PRESSE_Q_OR;
  if (!pos && stop) pos = stop; /* a query of stopwords only ("die") still searches them */
  else presse_qnode_free(stop);
  pos = presse_qnode_simplify(pos);
  presse_qnode *filters = it->node[I_FILTER], *neg = it->node[I_NEG];
  if (filters) {
    presse_qnode *f = presse_qnode_new(PRESSE_Q_FILTER);
    presse_qnode_add(f, pos ? pos : presse_qnode_new(PRESSE_Q_MATCH_ALL));
    for (size_t k = 0; k < filters->nkids; k++) presse_qnode_add(f, filters->kids[k]);
    filters->nkids = 0;
    presse_qnode_free(filters);
    pos = f;
  }
  if (neg) {
    /* what is excluded only has to match: without AND_MAYBE, which Xapian 1.4.22 mishandles on
     * the right of AND_NOT (query/search.c) */
    neg = presse_qnode_simplify(neg);
    presse_qnode *n = presse_qnode_new(PRESSE_Q_AND_NOT), *bare = presse_qnode_clone(neg, 1);
    presse_qnode_free(neg);
    presse_qnode_add(n, pos ? pos : presse_qnode_new(PRESSE_Q_MATCH_ALL));
    presse_qnode_add(n, bare);
    pos = n;
  }
  return pos;
}

static presse_qnode *parse_and(presse_query *q) {
  items it;
  memset(&it, 0, sizeof it);
  for (;;) {
    if (q->failed) break;
    ttype t = peek(q);
    if (t == T_END || t == T_OR) break;
    if (t == T_RP) {
      if (q->depth == 0) fail(q, q->i, "unbalanced parenthesis: this ')' has no '('");
      break;
    }
    if (t == T_AND) {
      q->i = chunk_end(q, q->i);
      continue;
    }
    int neg = 0;
    if (t == T_NOT) {
      q->i = chunk_end(q, q->i);
      neg = 1;
      t = peek(q);
      if (t == T_END || t == T_RP || t == T_OR) {
        fail(q, q->i, "NOT at the end: nothing to exclude");
        break;
      }
    } else if (t == T_CHUNK && q->src[q->i] == '-' && chunk_end(q, q->i) == q->i + 1) {
      /* '-' right before a group or phrase excludes it: -(a b), -"a b". A '-' between spaces is
       * punctuation, as in a headline ("Einbruch in Kita - Täter flüchtig"), as Xapian's
       * QueryParser, FTS5 and PostgreSQL read it. */
      q->i++;
      if (q->i >= q->len || (q->src[q->i] != '(' && !quote_at(q->src, q->len, q->i))) continue;
      neg = 1;
      t = peek(q);
    }
    if (neg) q->negated++;
    if (t == T_LP && q->depth >= PRESSE_QUERY_MAX_DEPTH) {
      fail(q, q->i, "parentheses nested too deeply: at most %d levels", PRESSE_QUERY_MAX_DEPTH);
    } else if (t == T_LP) {
      size_t open = q->i++;
      q->depth++;
      presse_qnode *n = parse_or(q);
      q->depth--;
      if (!q->failed) {
        if (peek(q) != T_RP) {
          presse_qnode_free(n);
          fail(q, open, "unbalanced parenthesis: this '(' is never closed");
        } else {
          q->i++;
          items_add(&it, neg ? I_NEG : I_POS, n);
        }
      } else {
        presse_qnode_free(n);
      }
    } else if (t == T_QUOTE) {
      size_t s, e;
      size_t at = q->i;
      int r = read_quoted(q, &s, &e, 0);
      if (r == 0 && (q->flags & PRESSE_QUERY_ANY_WORD) && !neg) {
        /* the tier of releases with some of the words: a phrase's words count one by one, so
         * that a pasted title with quoted words ("Aktion „Sichere Kreuzung“") still finds the
         * release that words them differently */
        chunk_words(q, s, e, BODY, &it, 0);
      } else if (r == 0) {
        q->i = at;
        items_add(&it, neg ? I_NEG : I_POS, read_phrase(q, BODY));
      }
    } else if (t == T_CHUNK) {
      parse_chunk(q, &it, neg);
    } else {
      fail(q, q->i, "unexpected operator");
    }
    if (neg) q->negated--;
  }
  if (q->failed) {
    for (int k = 0; k < 4; k++) presse_qnode_free(it.node[k]);
    return NULL;
  }
  return combine(q, &it);
}

static presse_qnode *parse_or(presse_query *q) {
  size_t start = q->i;
  presse_qnode *left = parse_and(q);
  if (q->failed) return NULL;
  presse_qnode *or = NULL;
  while (peek(q) == T_OR) {
    size_t at = q->i;
    q->i = chunk_end(q, q->i);
    if (!left && !or) {
      fail(q, at, "'%.*s' has nothing on its left", (int)(q->i - at), q->src + at);
      break;
    }
    presse_qnode *right = parse_and(q);
    if (q->failed) break;
    if (!right) {
      fail(q, at, "'%.*s' has nothing on its right", (int)(q->i - at), q->src + at);
      break;
    }
    if (!or) {
      or = presse_qnode_new(PRESSE_Q_OR);
      presse_qnode_add(or, left);
      left = NULL;
    }
    presse_qnode_add(or, right);
  }
  (void)start;
  if (q->failed) {
    presse_qnode_free(left);
    presse_qnode_free(or);
    return NULL;
  }
  return or ? or : left;
}

int presse_query_parse(presse_query **out, presse_analyzer *a, const char *text) {
  return presse_query_parse_flags(out, a, text, 0);
}

int presse_query_parse_flags(presse_query **out, presse_analyzer *a, const char *text, unsigned flags) {
  *out = NULL;
  presse_query *q = calloc(1, sizeof *q);
  if (!q) return PRESSE_ENOMEM;
  *out = q;
  q->flags = flags;
  q->a = a;
  q->src = text;
  q->len = strlen(text);
  if (q->len > PRESSE_QUERY_MAX_BYTES) {
    fail(q, PRESSE_QUERY_MAX_BYTES, "the query is too long: %zu bytes, at most %d", q->len, PRESSE_QUERY_MAX_BYTES);
    return PRESSE_EQUERY;
  }
  size_t bad;
  if (!presse_utf8_check(text, q->len, &bad)) {
    fail(q, bad, "the query is not valid UTF-8 (byte %zu)", bad + 1);
    return PRESSE_EQUERY;
  }
  q->root = parse_or(q);
  if (!q->failed && q->i < q->len) fail(q, q->i, "unexpected ')'");
  if (q->failed) {
    presse_qnode_free(q->root);
    q->root = NULL;
    return PRESSE_EQUERY;
  }
  return PRESSE_OK;
}

void presse_query_free(presse_query *q) {
  if (!q) return;
  presse_qnode_free(q->root);
  presse_buf_free(&q->err);
  for (size_t i = 0; i < q->nhl; i++) free(q->hl[i].text);
  free(q->hl);
  for (size_t i = 0; i < q->nwords; i++) free(q->words[i].text);
  free(q->words);
  free(q);
}

const char *presse_query_errmsg(const presse_query *q) { return q && q->err.len ? q->err.data : "no error"; }
size_t presse_query_errpos(const presse_query *q) { return q ? q->errpos : 0; }
const presse_qnode *presse_query_tree(const presse_query *q) { return q ? q->root : NULL; }
size_t presse_query_nhighlight(const presse_query *q) { return q->nhl; }
const char *presse_query_highlight(const presse_query *q, size_t i, int *is_stem) {
  if (is_stem) *is_stem = q->hl[i].is_stem;
  return q->hl[i].text;
}
size_t presse_query_nwords(const presse_query *q) { return q->nwords; }
const char *presse_query_word(const presse_query *q, size_t i, size_t *start, size_t *end) {
  if (start) *start = q->words[i].start;
  if (end) *end = q->words[i].end;
  return q->words[i].text;
}
