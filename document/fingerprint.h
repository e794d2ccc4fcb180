/* A fingerprint of a release's text that stays the same when the release arrives as HTML, PDF,
 * DOCX or text, or twice: the collapse key that folds duplicates into one hit. Internal. */
#ifndef PRESSE_DOCUMENT_FINGERPRINT_H
#define PRESSE_DOCUMENT_FINGERPRINT_H

#include <stddef.h>

#include "presse/analysis.h"
#include "util/buf.h"

typedef struct presse_fp {
  presse_buf run, prose, all; /* folded letters: the current run of words, the prose, all words */
  unsigned run_words;
  unsigned token;       /* the raw token being read */
  int have_token, skip; /* skip: the token is an address, URL, number or date */
  size_t last_end;      /* end of the previous token in the source */
  size_t *runs;         /* start, length of each prose run in prose */
  size_t nruns, runs_cap;
} presse_fp;

void presse_fp_reset(presse_fp *fp);
void presse_fp_free(presse_fp *fp);
/* Feeds one term of the body text (src is the text the term's offsets point into). */
void presse_fp_term(presse_fp *fp, const char *src, const presse_term *t);
/* Writes 16 hex digits and a NUL to out; returns 0 (out = "") when the text has no words. */
int presse_fp_finish(presse_fp *fp, char out[17]);

#endif
