/* The German analysis pipeline: UTF-8 text in, index terms out.
 * One pipeline serves both the indexer and the query parser (the FTS5 rule), so a word
 * typed in a query meets exactly the terms its spelling in a document produced. */
#ifndef PRESSE_ANALYSIS_H
#define PRESSE_ANALYSIS_H

#include "presse/api.h"

#include <stddef.h>

typedef struct presse_analyzer presse_analyzer;

/* What kind of thing a term stands for. */
typedef enum {
  PRESSE_TOK_WORD = 0,
  PRESSE_TOK_NUMBER,
  PRESSE_TOK_DATE,   /* term text is the ISO date "YYYY-MM-DD" */
  PRESSE_TOK_PHONE,  /* term text is the digits, German numbers in national form "0..." */
  PRESSE_TOK_EMAIL,  /* term text is the lower-cased address */
  PRESSE_TOK_URL,    /* term text is the lower-cased URL without scheme */
  PRESSE_TOK_DOMAIN  /* with ALT, at a URL's or address's position: its host and the domains it
                        lies in ("www.hagen.de/x": "www.hagen.de", "hagen.de"; "a@stadt-hagen.de":
                        "stadt-hagen.de"), so a domain as typed finds them */
} presse_token_kind;

/* Term flags. */
#define PRESSE_TERM_STOP 0x01u  /* a stopword: indexed for phrases, not stemmed, dropped from bag-of-words queries */
#define PRESSE_TERM_PART 0x02u  /* one part of a compound or address; the whole is emitted too */
#define PRESSE_TERM_ALT 0x04u   /* an alternative form at the position of another term of the same token
                                  (the whole of a hyphenated compound, the feminine of a gender form,
                                  the date of "30. Januar 2025") */
#define PRESSE_TERM_WHOLE 0x08u /* with ALT: the joined whole of a compound whose parts were emitted */
#define PRESSE_TERM_SPLIT 0x10u /* a part found by the compound splitter ("organisationen" of
                                  "Migrantenorganisationen"), at the compound's position */

/* One term of analysed text. Pointers are owned by the analyzer and valid only during the
 * callback that receives the term. */
typedef struct presse_term {
  const char *text;  /* folded form: NFC, case-folded, marks stripped, ae/oe/ue folded */
  size_t len;
  const char *stem;  /* Snowball German stem of text, or NULL where stemming does not apply */
  size_t stem_len;
  unsigned pos;      /* 1-based term position; PART and ALT terms share or continue positions */
  size_t start, end; /* byte span of the source text this term came from */
  presse_token_kind kind;
  unsigned flags;
  unsigned token;    /* ordinal of the raw token this term came from (groups parts and alternatives) */
} presse_term;

/* Return 0 to go on, non-zero to stop the analysis (presse_analyze then returns PRESSE_EABORT). */
typedef int (*presse_term_cb)(void *ctx, const presse_term *term);

/* Creates an analyzer with the built-in German stopword list. Not thread-safe: use one per thread.
 * On failure *out is NULL. */
PRESSE_API int presse_analyzer_new(presse_analyzer **out);
PRESSE_API void presse_analyzer_free(presse_analyzer *a);

/* Analyses len bytes of UTF-8 text (need not be NUL-terminated), calling cb for every term in
 * order. Positions start after *pos_base (pass NULL to start at 1) and *pos_base is advanced, so
 * several fields can share one position space. Invalid UTF-8 bytes are treated as separators;
 * validate first where that matters (presse_utf8_check). */
PRESSE_API int presse_analyze(presse_analyzer *a, const char *text, size_t len, unsigned *pos_base,
                   presse_term_cb cb, void *ctx);

/* Folds one word the way the analyzer does (for query fields and canonical forms).
 * Writes a NUL-terminated string into out (size outsz); returns its length, or -1 if it does not fit. */
PRESSE_API int presse_analyzer_fold(presse_analyzer *a, const char *word, size_t len, char *out, size_t outsz);

/* Stems an already folded word into out; returns the length or -1 if it does not fit. */
PRESSE_API int presse_analyzer_stem(presse_analyzer *a, const char *folded, size_t len, char *out, size_t outsz);

/* Non-zero if the folded word is on the stopword list. */
/* The compound lexicon's flags of a folded form (PRESSE_LEX_* in analysis/compound.h: 0x02 a
 * noun or name), 0 when it is not listed or no lexicon was found. */
PRESSE_API unsigned presse_analyzer_lexicon(const presse_analyzer *a, const char *folded, size_t len);
PRESSE_API int presse_analyzer_is_stopword(const presse_analyzer *a, const char *folded, size_t len);

/* UTF-8 validation. Returns 1 if s[0..len) is well-formed UTF-8 (no overlongs, surrogates or
 * code points over U+10FFFF); otherwise 0 and *bad_offset is the byte offset of the first bad byte. */
PRESSE_API int presse_utf8_check(const char *s, size_t len, size_t *bad_offset);

/* Finds a German or ISO date in text starting exactly at s: "30. Januar 2025", "30.01.2025",
 * "30.1.25", "2025-01-30", "Januar 2025" is not a date. On success returns the number of bytes
 * consumed and stores YYYYMMDD in *ymd; returns 0 if there is no date at s. */
PRESSE_API size_t presse_date_parse(const char *s, size_t len, unsigned *ymd);

/* Parses a date as a user writes it in a query: the forms above, plus "2025-01" and "2025"
 * (a month or a year). Stores the first and last day of the span as YYYYMMDD. Returns 0 or
 * PRESSE_EINVAL. */
PRESSE_API int presse_date_parse_span(const char *s, size_t len, unsigned *lo, unsigned *hi);

#endif
