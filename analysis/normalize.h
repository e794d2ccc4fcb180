/* Word folding: the normal form under which two spellings of a German word meet. */
#ifndef PRESSE_ANALYSIS_NORMALIZE_H
#define PRESSE_ANALYSIS_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

/* Scratch space for folding; reuse one per thread to avoid an allocation per word. */
typedef struct presse_folder {
  int32_t *cps;
  size_t cap;
} presse_folder;

void presse_folder_free(presse_folder *f);

/* Appends the folded form of the UTF-8 bytes s[0..len) to out:
 *   NFC, full case folding (ß -> ss), combining marks stripped (ä -> a, é -> e, ç -> c),
 *   default-ignorable characters dropped (soft hyphen U+00AD, zero-width spaces),
 *   then Lucene's GermanNormalizationFilter rule for digraphs: ae/oe -> a/o, ue -> u except
 *   after a vowel or q. So "Kühner", "Kuehner" and "KÜHNER" all fold to "kuhner".
 * Returns 0, or PRESSE_ENOMEM. */
int presse_fold_append(presse_folder *f, const char *s, size_t len, presse_buf *out);

/* The same folding into out[0..cap) for a short word, with no allocation (the NER tagger's
 * per-token lexicon lookup). Returns the folded length, or 0 when the word is empty, invalid,
 * longer than 64 code points before or after folding, or its folded form needs more than cap
 * bytes. */
size_t presse_fold_small(const char *s, size_t len, char *out, size_t cap);

#endif
