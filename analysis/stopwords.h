/* The German stopword set, built from stopwords/german.txt (compiled in) in folded form. */
#ifndef PRESSE_ANALYSIS_STOPWORDS_H
#define PRESSE_ANALYSIS_STOPWORDS_H

#include <stddef.h>

#include "analysis/normalize.h"

typedef struct presse_stopwords presse_stopwords;

int presse_stopwords_new(presse_stopwords **out, presse_folder *folder);
void presse_stopwords_free(presse_stopwords *s);
int presse_stopwords_has(const presse_stopwords *s, const char *folded, size_t len);

#endif
