/* Stopword lookup: an open-addressing hash set of folded words, built once per analyzer from the
 * list compiled into the library (so no data file has to be found at run time). */
#include "analysis/stopwords.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "presse/presse.h"
#include "stopwords.inc"

struct presse_stopwords {
  char **slot;
  size_t mask;
};

static uint32_t hash(const char *s, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static int insert(presse_stopwords *s, const char *w, size_t n) {
  size_t i = hash(w, n) & s->mask;
  while (s->slot[i]) {
    if (strlen(s->slot[i]) == n && memcmp(s->slot[i], w, n) == 0) return PRESSE_OK;
    i = (i + 1) & s->mask;
  }
  s->slot[i] = malloc(n + 1);
  if (!s->slot[i]) return PRESSE_ENOMEM;
  memcpy(s->slot[i], w, n);
  s->slot[i][n] = '\0';
  return PRESSE_OK;
}

int presse_stopwords_new(presse_stopwords **out, presse_folder *folder) {
  *out = NULL;
  presse_stopwords *s = calloc(1, sizeof *s);
  if (!s) return PRESSE_ENOMEM;
  s->mask = 1023; /* the list has a few hundred words: keep the load under one half */
  s->slot = calloc(s->mask + 1, sizeof *s->slot);
  presse_buf f = PRESSE_BUF_INIT;
  int rc = s->slot ? PRESSE_OK : PRESSE_ENOMEM;
  for (const char *p = presse_stopwords_text; rc == PRESSE_OK && *p;) {
    const char *e = strchr(p, '\n');
    if (!e) e = p + strlen(p);
    size_t n = (size_t)(e - p);
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\r' || p[n - 1] == '\t')) n--;
    if (n && *p != '#') {
      presse_buf_clear(&f);
      rc = presse_fold_append(folder, p, n, &f);
      if (rc == PRESSE_OK) rc = insert(s, f.data, f.len);
    }
    p = *e ? e + 1 : e;
  }
  presse_buf_free(&f);
  if (rc != PRESSE_OK) {
    presse_stopwords_free(s);
    return rc;
  }
  *out = s;
  return PRESSE_OK;
}

void presse_stopwords_free(presse_stopwords *s) {
  if (!s) return;
  if (s->slot)
    for (size_t i = 0; i <= s->mask; i++) free(s->slot[i]);
  free(s->slot);
  free(s);
}

int presse_stopwords_has(const presse_stopwords *s, const char *w, size_t n) {
  size_t i = hash(w, n) & s->mask;
  while (s->slot[i]) {
    if (strncmp(s->slot[i], w, n) == 0 && s->slot[i][n] == '\0') return 1;
    i = (i + 1) & s->mask;
  }
  return 0;
}
