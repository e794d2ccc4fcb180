/* Word folding (see normalize.h). ASCII words, the large majority in German text, take a fast
 * path; the rest go through utf8proc without a heap allocation per word. */
#include "analysis/normalize.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "presse/presse.h"

void presse_folder_free(presse_folder *f) {
  if (!f) return;
  free(f->cps);
  f->cps = NULL;
  f->cap = 0;
}

/* Words whose ae, oe or ue is no transliterated umlaut: names and Latin -uell words. Folded,
 * they would meet other words ("Michael" the name "Michal", "Duell" "Dulles", "aktuell" "Aktülle"),
 * issue 13's false friends (tests/false_friends.tsv). A word containing one keeps its digraphs. */
static const char *const digraph_words[] = {
    "duell",  "duett",    "aktuell",    "manuell", "individuell", "eventuell", "virtuell", "sexuell",
    "visuell", "punktuell", "rituell",  "graduell", "spirituell", "intellektuell", "textuell", "konzeptuell",
    "habituell", "michael", "raphael",  "raffael", "israel",  "ismael",    "samuel",   "manuel",
    "joel",   "noel",     "aerosol",    "aerob",   "poet",    "poesie",    "boeing",   "suez"};

static int keeps_digraphs(const char *s, size_t len) {
  for (size_t k = 0; k < sizeof digraph_words / sizeof *digraph_words; k++) {
    size_t n = strlen(digraph_words[k]);
    for (size_t i = 0; i + n <= len; i++)
      if (s[i] == digraph_words[k][0] && !memcmp(s + i, digraph_words[k], n)) return 1;
  }
  return 0;
}

/* The digraph rule from Lucene's GermanNormalizationFilter, applied in place to folded text.
 * States: after a consonant (N), after a vowel (V), after a or o or a u that may be an umlaut (U). */
static size_t fold_digraphs(char *s, size_t len) {
  enum { N, V, U } state = N;
  size_t o = 0;
  int keep = -1; /* the exception list is only read for a word with a digraph */
  for (size_t i = 0; i < len; i++) {
    char c = s[i];
    switch (c) {
      case 'a':
      case 'o':
        state = U;
        break;
      case 'u':
        state = state == N ? U : V;
        break;
      case 'e':
        if (state == U) {
          if (keep < 0) keep = keeps_digraphs(s, len);
          state = V;
          if (!keep) continue; /* drop the e of ae, oe, ue */
          break;
        }
        state = V;
        break;
      case 'i':
      case 'q':
      case 'y':
        state = V;
        break;
      default:
        state = N;
    }
    s[o++] = c;
  }
  return o;
}

int presse_fold_append(presse_folder *f, const char *s, size_t len, presse_buf *out) {
  size_t start = out->len;
  int ascii = 1;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] >= 0x80) {
      ascii = 0;
      break;
    }
  if (ascii) {
    if (presse_buf_reserve(out, len) != PRESSE_OK) return PRESSE_ENOMEM;
    char *d = out->data + start;
    for (size_t i = 0; i < len; i++) {
      char c = s[i];
      d[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out->len = start + fold_digraphs(d, len);
    out->data[out->len] = '\0';
    return PRESSE_OK;
  }
  const utf8proc_option_t opts =
      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE;
  for (;;) {
    utf8proc_ssize_t n =
        utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, f->cps,
                           (utf8proc_ssize_t)f->cap, opts);
    if (n < 0) return PRESSE_EINVAL;
    if ((size_t)n > f->cap) {
      size_t cap = (size_t)n + 16;
      int32_t *p = realloc(f->cps, cap * sizeof *p);
      if (!p) return PRESSE_ENOMEM;
      f->cps = p;
      f->cap = cap;
      continue;
    }
    n = utf8proc_normalize_utf32(f->cps, n, opts);
    if (n < 0) return PRESSE_EINVAL;
    if (presse_buf_reserve(out, (size_t)n * 4) != PRESSE_OK) return PRESSE_ENOMEM;
    size_t o = start;
    for (utf8proc_ssize_t k = 0; k < n; k++)
      o += (size_t)utf8proc_encode_char(f->cps[k], (utf8proc_uint8_t *)out->data + o);
    out->len = start + fold_digraphs(out->data + start, o - start);
    out->data[out->len] = '\0';
    return PRESSE_OK;
  }
}

size_t presse_fold_small(const char *s, size_t len, char *out, size_t cap) {
  char tmp[64 * 4];
  size_t o = 0, i = 0;
  while (i < len && (unsigned char)s[i] < 0x80) i++;
  if (i == len) { /* ASCII: most German words, as in presse_fold_append */
    if (len == 0 || len > 64) return 0;
    for (i = 0; i < len; i++) tmp[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
    o = len;
  } else {
    int32_t cps[64];
    const utf8proc_option_t opts =
        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE;
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, cps, 64, opts);
    if (n <= 0 || n > 64) return 0;
    n = utf8proc_normalize_utf32(cps, n, opts);
    if (n <= 0) return 0;
    for (utf8proc_ssize_t k = 0; k < n; k++) o += (size_t)utf8proc_encode_char(cps[k], (utf8proc_uint8_t *)tmp + o);
  }
  o = fold_digraphs(tmp, o);
  if (o == 0 || o > cap) return 0;
  memcpy(out, tmp, o);
  return o;
}
