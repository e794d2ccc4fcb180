/* The analysis pipeline: tokenizer -> fold -> stopwords -> stem -> terms with positions.
 * The same code runs for documents and for queries; only the caller differs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compound.h"
#include "analysis/normalize.h"
#include "analysis/stem.h"
#include "analysis/stopwords.h"
#include "analysis/tokenize.h"
#include "presse/presse.h"

/* A direct-mapped cache of compound splits, as in stem.c: a release repeats its words, and a
 * split costs dozens of lexicon lookups. Words longer than a slot are split every time. */
#define SPLIT_SLOTS 8192
#define SPLIT_WORD 31
typedef struct split_slot {
  unsigned char wlen, n; /* wlen 0: empty; n: parts (0 or 1: not split) */
  char word[SPLIT_WORD];
  unsigned char start[PRESSE_COMPOUND_MAX_PARTS], len[PRESSE_COMPOUND_MAX_PARTS];
} split_slot;

struct presse_analyzer {
  split_slot *splits;
  presse_folder folder;
  presse_stemmer *stemmer;
  presse_stopwords *stop;
  presse_compound *compound; /* NULL: no lexicon, compounds are not split */
  presse_buf fold;  /* folded forms of the current token */
  presse_buf stems; /* their stems */
  presse_rawtok tok;
};

int presse_analyzer_new(presse_analyzer **out) {
  *out = NULL;
  presse_analyzer *a = calloc(1, sizeof *a);
  if (!a) return PRESSE_ENOMEM;
  int rc = presse_stopwords_new(&a->stop, &a->folder);
  if (rc == PRESSE_OK) {
    int crc = presse_compound_new(&a->compound, NULL);
    if (crc == PRESSE_ENOMEM) rc = crc; /* no lexicon: analyse without splitting or verb forms */
  }
  if (rc == PRESSE_OK) rc = presse_stemmer_new(&a->stemmer, a->compound);
  if (rc == PRESSE_OK && a->compound && !(a->splits = calloc(SPLIT_SLOTS, sizeof *a->splits))) rc = PRESSE_ENOMEM;
  if (rc != PRESSE_OK) {
    presse_analyzer_free(a);
    return rc;
  }
  *out = a;
  return PRESSE_OK;
}

void presse_analyzer_free(presse_analyzer *a) {
  if (!a) return;
  presse_stemmer_free(a->stemmer);
  presse_stopwords_free(a->stop);
  presse_compound_free(a->compound);
  free(a->splits);
  presse_folder_free(&a->folder);
  presse_buf_free(&a->fold);
  presse_buf_free(&a->stems);
  free(a);
}

unsigned presse_analyzer_lexicon(const presse_analyzer *a, const char *folded, size_t len) {
  return a->compound ? presse_compound_lookup(a->compound, folded, len) : 0;
}

int presse_analyzer_is_stopword(const presse_analyzer *a, const char *folded, size_t len) {
  return presse_stopwords_has(a->stop, folded, len);
}

int presse_analyzer_fold(presse_analyzer *a, const char *word, size_t len, char *out, size_t outsz) {
  presse_buf_clear(&a->fold);
  if (presse_fold_append(&a->folder, word, len, &a->fold) != PRESSE_OK || a->fold.len + 1 > outsz) return -1;
  memcpy(out, a->fold.data, a->fold.len + 1);
  return (int)a->fold.len;
}

int presse_analyzer_stem(presse_analyzer *a, const char *folded, size_t len, char *out, size_t outsz) {
  size_t n;
  const char *st = presse_stemmer_stem(a->stemmer, folded, len, &n);
  if (n + 1 > outsz) return -1;
  memcpy(out, st, n);
  out[n] = '\0';
  return (int)n;
}

/* A term being assembled: offsets into a->fold / a->stems, resolved to pointers once both
 * buffers have stopped growing. */
typedef struct pending {
  size_t off, len;
  long stem_off; /* -1: none */
  size_t stem_len;
  unsigned pos;
  size_t start, end;
  presse_token_kind kind;
  unsigned flags;
} pending;

#define MAX_PENDING (4 * PRESSE_TOK_MAX_SEGS + 8)

typedef struct batch {
  pending p[MAX_PENDING];
  unsigned n;
} batch;

static pending *push(batch *b, size_t off, size_t len, unsigned pos, size_t start, size_t end,
                     presse_token_kind kind, unsigned flags) {
  if (b->n >= MAX_PENDING) return NULL;
  pending *p = &b->p[b->n++];
  p->off = off;
  p->len = len;
  p->stem_off = -1;
  p->stem_len = 0;
  p->pos = pos;
  p->start = start;
  p->end = end;
  p->kind = kind;
  p->flags = flags;
  return p;
}

/* The parts of a compound word term, pushed as SPLIT terms at its position. Parts point into
 * the folded word (the splitter returns spans of it). */
static int split_cached(presse_analyzer *a, const char *w, size_t len, presse_compound_part *parts) {
  split_slot *slot = NULL;
  if (a->splits && len > 0 && len <= SPLIT_WORD) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)w[i]) * 16777619u;
    slot = &a->splits[h & (SPLIT_SLOTS - 1)];
    if (slot->wlen == len && memcmp(slot->word, w, len) == 0) {
      for (int k = 0; k < slot->n; k++) parts[k] = (presse_compound_part){slot->start[k], slot->len[k]};
      return slot->n;
    }
  }
  int n = presse_compound_split(a->compound, w, len, parts, PRESSE_COMPOUND_MAX_PARTS);
  if (slot) {
    slot->wlen = (unsigned char)len;
    slot->n = (unsigned char)(n > 0 ? n : 0);
    memcpy(slot->word, w, len);
    for (int k = 0; k < n; k++) {
      slot->start[k] = (unsigned char)parts[k].start;
      slot->len[k] = (unsigned char)parts[k].len;
    }
  }
  return n;
}

static void split_term(presse_analyzer *a, batch *b, unsigned i) {
  pending p = b->p[i];
  presse_compound_part parts[PRESSE_COMPOUND_MAX_PARTS];
  int n = split_cached(a, a->fold.data + p.off, p.len, parts);
  for (int k = 0; n > 1 && k < n; k++)
    push(b, p.off + parts[k].start, parts[k].len, p.pos, p.start, p.end, PRESSE_TOK_WORD,
         PRESSE_TERM_SPLIT | (p.flags & PRESSE_TERM_PART));
}

/* Marks stopwords, splits compounds and stems the word terms of the batch. */
static int stem_batch(presse_analyzer *a, batch *b) {
  presse_buf_clear(&a->stems);
  unsigned n0 = b->n;
  for (unsigned i = 0; i < b->n; i++) {
    pending *p = &b->p[i];
    if (p->kind != PRESSE_TOK_WORD || p->len == 0) continue;
    const char *w = a->fold.data + p->off;
    if (presse_stopwords_has(a->stop, w, p->len)) {
      p->flags |= PRESSE_TERM_STOP;
      continue;
    }
    /* split the words as written and the parts of hyphenated words, not derived forms */
    if (i < n0 && a->compound && !(p->flags & (PRESSE_TERM_ALT | PRESSE_TERM_SPLIT))) {
      split_term(a, b, i);
      p = &b->p[i];
    }
    size_t n;
    const char *st = presse_stemmer_stem(a->stemmer, w, p->len, &n);
    p->stem_off = (long)a->stems.len;
    p->stem_len = n;
    if (presse_buf_append(&a->stems, st, n) != PRESSE_OK) return PRESSE_ENOMEM;
  }
  return PRESSE_OK;
}

static int emit_batch(presse_analyzer *a, batch *b, unsigned token, presse_term_cb cb, void *ctx) {
  int rc = stem_batch(a, b);
  if (rc != PRESSE_OK) return rc;
  for (unsigned i = 0; i < b->n; i++) {
    pending *p = &b->p[i];
    if (p->len == 0) continue;
    presse_term t;
    t.text = a->fold.data + p->off;
    t.len = p->len;
    t.stem = p->stem_off >= 0 ? a->stems.data + p->stem_off : NULL;
    t.stem_len = p->stem_len;
    t.pos = p->pos;
    t.start = p->start;
    t.end = p->end;
    t.kind = p->kind;
    t.flags = p->flags;
    t.token = token;
    if (cb(ctx, &t)) return PRESSE_EABORT;
  }
  return PRESSE_OK;
}

static int append_lower_ascii(presse_buf *b, const char *s, size_t n) {
  if (presse_buf_reserve(b, n) != PRESSE_OK) return PRESSE_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    b->data[b->len++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
  }
  b->data[b->len] = '\0';
  return PRESSE_OK;
}

/* Phone numbers as digits, German numbers in national form, so "+49 2331 207 3314" and
 * "02331 2073314" meet. */
static int append_phone(presse_buf *b, const char *s, size_t n) {
  presse_buf d = PRESSE_BUF_INIT;
  int rc = PRESSE_OK;
  for (size_t i = 0; i < n && rc == PRESSE_OK; i++)
    if ((s[i] >= '0' && s[i] <= '9') || (s[i] == '+' && i == 0)) rc = presse_buf_putc(&d, s[i]);
  if (rc == PRESSE_OK) {
    size_t cc = d.len > 3 && !memcmp(d.data, "+49", 3) ? 3 : d.len > 4 && !memcmp(d.data, "0049", 4) ? 4 : 0;
    if (cc) { /* +49 and 0049: the national form */
      if (d.data[cc] != '0') rc = presse_buf_putc(b, '0');
      if (rc == PRESSE_OK) rc = presse_buf_append(b, d.data + cc, d.len - cc);
    } else
      rc = presse_buf_append(b, d.data, d.len);
  }
  presse_buf_free(&d);
  return rc;
}

static int word_terms(presse_analyzer *a, const char *s, const presse_rawtok *t, unsigned *pos, batch *b) {
  size_t seg_off[PRESSE_TOK_MAX_SEGS], seg_len[PRESSE_TOK_MAX_SEGS];
  size_t seg_start[PRESSE_TOK_MAX_SEGS], seg_end[PRESSE_TOK_MAX_SEGS];
  unsigned nseg = 0;
  for (unsigned g = 0; g < t->nsegs; g++) {
    size_t off = a->fold.len;
    for (unsigned k = t->seg_first[g]; k < t->seg_first[g + 1]; k++) {
      const presse_span *sp = &t->piece[k];
      if (presse_fold_append(&a->folder, s + sp->start, sp->end - sp->start, &a->fold) != PRESSE_OK)
        return PRESSE_ENOMEM;
    }
    if (a->fold.len == off) continue; /* only ignorable characters */
    seg_off[nseg] = off;
    seg_len[nseg] = a->fold.len - off;
    seg_start[nseg] = t->piece[t->seg_first[g]].start;
    seg_end[nseg] = t->piece[t->seg_first[g + 1] - 1].end;
    nseg++;
  }
  if (nseg == 0) return PRESSE_OK;
  unsigned first = *pos + 1;
  unsigned flags = nseg > 1 ? PRESSE_TERM_PART : 0;
  for (unsigned g = 0; g < nseg; g++)
    push(b, seg_off[g], seg_len[g], first + g, seg_start[g], seg_end[g], PRESSE_TOK_WORD, flags);
  if (t->gender != PRESSE_GENDER_NONE) {
    /* the feminine plural or singular beside the base form: Teilnehmer*innen -> teilnehmerinnen */
    size_t off = a->fold.len;
    if (presse_buf_append(&a->fold, a->fold.data + seg_off[nseg - 1], seg_len[nseg - 1]) != PRESSE_OK ||
        presse_buf_puts(&a->fold, t->gender == PRESSE_GENDER_INNEN ? "innen" : "in") != PRESSE_OK)
      return PRESSE_ENOMEM;
    push(b, off, a->fold.len - off, first + nseg - 1, seg_start[nseg - 1], t->end, PRESSE_TOK_WORD,
         PRESSE_TERM_ALT | flags);
  }
  if (nseg > 1) { /* the whole compound: "CDU-Politiker" -> cdupolitiker */
    size_t off = a->fold.len;
    for (unsigned g = 0; g < nseg; g++)
      if (presse_buf_append(&a->fold, a->fold.data + seg_off[g], seg_len[g]) != PRESSE_OK) return PRESSE_ENOMEM;
    push(b, off, a->fold.len - off, first, t->start, t->end, PRESSE_TOK_WORD, PRESSE_TERM_ALT | PRESSE_TERM_WHOLE);
  }
  *pos += nseg;
  return PRESSE_OK;
}

/* The domains of host[0..n) (lower case) as ALT terms at position p: the host itself unless
 * skip_host, then every parent with at least two labels ("www.hagen.de" -> "hagen.de"). */
static int domain_terms(presse_analyzer *a, batch *b, const char *host, size_t n, unsigned p, size_t start,
                        size_t end, int skip_host) {
  for (size_t i = 0; i < n;) {
    const char *dot = memchr(host + i, '.', n - i);
    if (!dot) break; /* a single label ("de") is no domain */
    if (!(skip_host && i == 0)) {
      size_t off = a->fold.len;
      if (append_lower_ascii(&a->fold, host + i, n - i) != PRESSE_OK) return PRESSE_ENOMEM;
      if (!push(b, off, a->fold.len - off, p, start, end, PRESSE_TOK_DOMAIN, PRESSE_TERM_ALT)) return PRESSE_OK;
    }
    i = (size_t)(dot - host) + 1;
  }
  return PRESSE_OK;
}

static int email_terms(presse_analyzer *a, const char *s, const presse_rawtok *t, unsigned *pos, batch *b) {
  unsigned p = *pos + 1;
  size_t off = a->fold.len;
  if (append_lower_ascii(&a->fold, s + t->start, t->end - t->start) != PRESSE_OK) return PRESSE_ENOMEM;
  push(b, off, a->fold.len - off, p, t->start, t->end, PRESSE_TOK_EMAIL, 0);
  /* the words of the local part, so "Kühner" also finds "alexander.kuehner@..." */
  size_t i = t->start, at = t->start;
  while (at < t->end && s[at] != '@') at++;
  unsigned k = 0;
  while (i < at) {
    size_t j = i;
    while (j < at && s[j] != '.' && s[j] != '_' && s[j] != '-' && s[j] != '+') j++;
    if (j > i) {
      off = a->fold.len;
      if (presse_fold_append(&a->folder, s + i, j - i, &a->fold) != PRESSE_OK) return PRESSE_ENOMEM;
      if (!push(b, off, a->fold.len - off, p + k, i, j, PRESSE_TOK_WORD, PRESSE_TERM_PART)) break;
      k++;
    }
    i = j + 1;
  }
  if (at < t->end) {
    int rc = domain_terms(a, b, s + at + 1, t->end - at - 1, p, t->start, t->end, 0);
    if (rc != PRESSE_OK) return rc;
  }
  *pos += k ? k : 1;
  return PRESSE_OK;
}

int presse_analyze(presse_analyzer *a, const char *s, size_t len, unsigned *pos_base, presse_term_cb cb,
                   void *ctx) {
  unsigned pos = pos_base ? *pos_base : 0;
  size_t at = 0;
  unsigned token = 0;
  presse_rawtok *t = &a->tok;
  int rc = PRESSE_OK;
  batch b;
  while (rc == PRESSE_OK && presse_tok_next(s, len, &at, t)) {
    presse_buf_clear(&a->fold);
    b.n = 0;
    size_t off = a->fold.len;
    switch (t->kind) {
      case PRESSE_TOK_WORD:
        rc = word_terms(a, s, t, &pos, &b);
        break;
      case PRESSE_TOK_EMAIL:
        rc = email_terms(a, s, t, &pos, &b);
        break;
      case PRESSE_TOK_URL: {
        size_t st = t->start;
        /* the scheme, not the h of a bare domain ("hagen.de") */
        if (t->end - st > 7 && (s[st] == 'h' || s[st] == 'H') && (s[st + 4] == ':' || s[st + 5] == ':'))
          st += (s[st + 4] == 's' || s[st + 4] == 'S') ? 8 : 7;
        size_t en = t->end;
        while (en > st + 1 && s[en - 1] == '/') en--;
        rc = append_lower_ascii(&a->fold, s + st, en - st);
        push(&b, off, a->fold.len - off, ++pos, t->start, t->end, PRESSE_TOK_URL, 0);
        size_t hn = 0;
        while (st + hn < en && !strchr("/:?#", s[st + hn])) hn++;
        if (rc == PRESSE_OK) rc = domain_terms(a, &b, s + st, hn, pos, t->start, t->end, hn == en - st);
        break;
      }
      case PRESSE_TOK_DOMAIN: /* made here, never by the tokenizer */
        break;
      case PRESSE_TOK_PHONE:
        rc = append_phone(&a->fold, s + t->start, t->end - t->start);
        push(&b, off, a->fold.len - off, ++pos, t->start, t->end, PRESSE_TOK_PHONE, 0);
        break;
      case PRESSE_TOK_DATE:
        rc = presse_buf_printf(&a->fold, "%04u-%02u-%02u", t->ymd / 10000, t->ymd / 100 % 100, t->ymd % 100);
        push(&b, off, a->fold.len - off, ++pos, t->start, t->end, PRESSE_TOK_DATE, 0);
        break;
      case PRESSE_TOK_NUMBER:
        rc = presse_buf_append(&a->fold, s + t->start, t->end - t->start);
        push(&b, off, a->fold.len - off, ++pos, t->start, t->end, PRESSE_TOK_NUMBER, 0);
        if (rc == PRESSE_OK && t->ymd) { /* "30. Januar 2025": also the date, at the day's position */
          size_t doff = a->fold.len;
          rc = presse_buf_printf(&a->fold, "%04u-%02u-%02u", t->ymd / 10000, t->ymd / 100 % 100, t->ymd % 100);
          push(&b, doff, a->fold.len - doff, pos, t->start, t->end, PRESSE_TOK_DATE, PRESSE_TERM_ALT);
        }
        break;
    }
    if (rc == PRESSE_OK) rc = emit_batch(a, &b, token++, cb, ctx);
  }
  if (pos_base) *pos_base = pos;
  return rc;
}
