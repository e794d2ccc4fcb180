/* Snowball German stemming through libstemmer, with verb forms brought to their infinitive. A stemmer is not thread-safe: one per analyzer. */
#ifndef PRESSE_ANALYSIS_STEM_H
#define PRESSE_ANALYSIS_STEM_H

#include <stddef.h>

#include "analysis/compound.h"

typedef struct presse_stemmer presse_stemmer;

/* lex (may be NULL, kept by reference): with it, verb forms are stemmed to their infinitive's
 * stem (analysis/verbs.h). */
int presse_stemmer_new(presse_stemmer **out, const presse_compound *lex);
void presse_stemmer_free(presse_stemmer *s);
/* Stems a folded word. The result is owned by the stemmer and valid until the next call. */
const char *presse_stemmer_stem(presse_stemmer *s, const char *word, size_t len, size_t *out_len);

#endif
