/* German stemming via Snowball's libstemmer ("german", UTF-8). The input is already folded, so
 * the stemmer sees "kuhner" for Kühner and Kuehner alike; its umlaut handling never triggers. */
#include "analysis/stem.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/verbs.h"
#include "presse/presse.h"

/* A direct-mapped cache of recent stems: press releases repeat their words (about 13,000
 * distinct words per 240,000 tokens in the Berlin police releases), and Snowball costs more
 * than a hash and a compare. Words longer than a slot are stemmed every time. */
#define CACHE_SLOTS 16384
#define CACHE_WORD 31

typedef struct cache_slot {
  unsigned char wlen, slen; /* wlen 0: empty */
  char word[CACHE_WORD], stem[CACHE_WORD];
} cache_slot;

struct presse_stemmer {
  struct sb_stemmer *sb;
  cache_slot *cache;
  const presse_compound *lex;
  char verb[PRESSE_COMPOUND_MAX_WORD + 8]; /* the last reduced stem */
};

/* Snowball alone, for analysis/verbs.c (which stems infinitives). */
static size_t raw_stem(void *ctx, const char *word, size_t len, char *out, size_t outsz) {
  presse_stemmer *s = ctx;
  const sb_symbol *r = sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)len);
  size_t n = r ? (size_t)sb_stemmer_length(s->sb) : 0;
  if (!r || n + 1 > outsz) return 0;
  memcpy(out, r, n);
  out[n] = '\0';
  return n;
}

int presse_stemmer_new(presse_stemmer **out, const presse_compound *lex) {
  *out = NULL;
  presse_stemmer *s = calloc(1, sizeof *s);
  if (!s) return PRESSE_ENOMEM;
  s->lex = lex;
  s->sb = sb_stemmer_new("german", "UTF_8");
  s->cache = calloc(CACHE_SLOTS, sizeof *s->cache);
  if (!s->sb || !s->cache) {
    presse_stemmer_free(s);
    return PRESSE_ENOMEM;
  }
  *out = s;
  return PRESSE_OK;
}

void presse_stemmer_free(presse_stemmer *s) {
  if (!s) return;
  if (s->sb) sb_stemmer_delete(s->sb);
  free(s->cache);
  free(s);
}

const char *presse_stemmer_stem(presse_stemmer *s, const char *word, size_t len, size_t *out_len) {
  cache_slot *slot = NULL;
  if (len > 0 && len <= CACHE_WORD) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)word[i]) * 16777619u;
    slot = &s->cache[h & (CACHE_SLOTS - 1)];
    if (slot->wlen == len && memcmp(slot->word, word, len) == 0) {
      *out_len = slot->slen;
      return slot->stem;
    }
  }
  const sb_symbol *r = sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)len);
  if (!r) { /* out of memory inside libstemmer: fall back to the word itself */
    *out_len = len;
    return word;
  }
  *out_len = (size_t)sb_stemmer_length(s->sb);
  if (s->lex && *out_len < sizeof s->verb) {
    char first[sizeof s->verb]; /* raw_stem reuses Snowball's buffer */
    memcpy(first, r, *out_len);
    size_t n = presse_verb_reduce(s->lex, raw_stem, s, word, len, first, *out_len, s->verb, sizeof s->verb);
    if (!n) memcpy(s->verb, first, n = *out_len);
    r = (const sb_symbol *)s->verb;
    *out_len = n;
  }
  if (slot && *out_len <= CACHE_WORD) {
    slot->wlen = (unsigned char)len;
    slot->slen = (unsigned char)*out_len;
    memcpy(slot->word, word, len);
    memcpy(slot->stem, r, *out_len);
  }
  return (const char *)r;
}
