/* German stemming via Snowball's libstemmer ("german", UTF-8). The input is already folded, so
 * the stemmer sees "kuhner" for Kühner and Kuehner alike; its umlaut handling never triggers. */
#include "analysis/stem.h"

#include <libstemmer.h>
#include <stdlib.h>

#include "presse/presse.h"

struct presse_stemmer {
  struct sb_stemmer *sb;
};

int presse_stemmer_new(presse_stemmer **out) {
  *out = NULL;
  presse_stemmer *s = calloc(1, sizeof *s);
  if (!s) return PRESSE_ENOMEM;
  s->sb = sb_stemmer_new("german", "UTF_8");
  if (!s->sb) {
    free(s);
    return PRESSE_ENOMEM;
  }
  *out = s;
  return PRESSE_OK;
}

void presse_stemmer_free(presse_stemmer *s) {
  if (!s) return;
  sb_stemmer_delete(s->sb);
  free(s);
}

const char *presse_stemmer_stem(presse_stemmer *s, const char *word, size_t len, size_t *out_len) {
  const sb_symbol *r = sb_stemmer_stem(s->sb, (const sb_symbol *)word, (int)len);
  if (!r) { /* out of memory inside libstemmer: fall back to the word itself */
    *out_len = len;
    return word;
  }
  *out_len = (size_t)sb_stemmer_length(s->sb);
  return (const char *)r;
}
