/* The German tokenizer: finds the raw tokens of a text with their byte spans.
 * It decides what belongs together (an e-mail address, a URL, a date, a phone number, a word
 * broken across a line with a hyphen, the parts of "CDU-Politiker", a gender form like
 * "Teilnehmer*innen"); analyzer.c turns raw tokens into index terms. */
#ifndef PRESSE_ANALYSIS_TOKENIZE_H
#define PRESSE_ANALYSIS_TOKENIZE_H

#include <stddef.h>

#include "presse/analysis.h"

#define PRESSE_TOK_MAX_PIECES 48
#define PRESSE_TOK_MAX_SEGS 12

typedef struct presse_span {
  size_t start, end;
} presse_span;

typedef enum { PRESSE_GENDER_NONE = 0, PRESSE_GENDER_IN, PRESSE_GENDER_INNEN } presse_gender;

typedef struct presse_rawtok {
  presse_token_kind kind;
  size_t start, end; /* the whole token in the source */
  /* WORD: the text is the concatenation of pieces; segments (hyphen parts) group pieces.
   * A word joined across a line-break hyphen is one segment of two pieces. */
  presse_span piece[PRESSE_TOK_MAX_PIECES];
  unsigned npieces;
  unsigned seg_first[PRESSE_TOK_MAX_SEGS + 1]; /* segment i: pieces seg_first[i]..seg_first[i+1]-1 */
  unsigned nsegs;
  presse_gender gender; /* a gender suffix on the last segment */
  unsigned ymd;         /* DATE: YYYYMMDD; NUMBER: a textual date starting here ("30. Januar 2025"), or 0 */
} presse_rawtok;

/* Scans for the next token at or after byte *pos. Returns 1 and fills t, advancing *pos past the
 * token, or 0 at the end of the text. */
int presse_tok_next(const char *s, size_t len, size_t *pos, presse_rawtok *t);

#endif
