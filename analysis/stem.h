/* Snowball German stemming through libstemmer. A stemmer is not thread-safe: one per analyzer. */
#ifndef PRESSE_ANALYSIS_STEM_H
#define PRESSE_ANALYSIS_STEM_H

#include <stddef.h>

typedef struct presse_stemmer presse_stemmer;

int presse_stemmer_new(presse_stemmer **out);
void presse_stemmer_free(presse_stemmer *s);
/* Stems a folded word. The result is owned by the stemmer and valid until the next call. */
const char *presse_stemmer_stem(presse_stemmer *s, const char *word, size_t len, size_t *out_len);

#endif
