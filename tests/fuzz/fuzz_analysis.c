/* Fuzz target for the analysis pipeline (analysis/): tokenising, folding, stemming, compound
 * splitting, gender forms, dates, phones, addresses, on arbitrary bytes. Checks that every
 * term's span lies inside the input and its text is there; also the single-word entry points
 * the query side uses (fold, stem, stopword) and the date parsers. */
#include <string.h>

#include "fuzz.h"
#include "presse/analysis.h"
#include "presse/presse.h"

typedef struct {
  presse_analyzer *q; /* the query side's own analyzer: t->text lives in the indexing one's buffers,
                         which its own fold would reuse (the callback must not call it) */
  size_t len;
  unsigned last_pos;
} seen;

static int on_term(void *ctx, const presse_term *t) {
  seen *s = ctx;
  if (t->start > t->end || t->end > s->len) fuzz_fail("term span outside the input");
  if (!t->text || !t->len) fuzz_fail("empty term");
  if (t->stem && !t->stem_len) fuzz_fail("empty stem");
  if (t->pos == 0) fuzz_fail("term position 0");
  /* what the query side does with a word must not fail on anything the indexing side produced */
  char out[512];
  int n = presse_analyzer_fold(s->q, t->text, t->len, out, sizeof out);
  if (n >= 0) presse_analyzer_stem(s->q, out, (size_t)n, out, sizeof out);
  presse_analyzer_is_stopword(s->q, t->text, t->len);
  s->last_pos = t->pos;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static presse_analyzer *a, *q;
  if (!a && (presse_analyzer_new(&a) != PRESSE_OK || presse_analyzer_new(&q) != PRESSE_OK))
    fuzz_fail("cannot create the analyzers");
  const char *text = (const char *)data;
  seen s = {q, size, 0};
  unsigned base = 0;
  presse_analyze(a, text, size, &base, on_term, &s);
  if (base < s.last_pos) fuzz_fail("position base behind the last term");
  size_t bad;
  presse_utf8_check(text, size, &bad);
  char out[256];
  presse_analyzer_fold(a, text, size, out, sizeof out);
  unsigned ymd, lo, hi;
  if (presse_date_parse(text, size, &ymd) > size) fuzz_fail("date parse consumed more than the input");
  if (presse_date_parse_span(text, size, &lo, &hi) == PRESSE_OK && lo > hi) fuzz_fail("date span with lo > hi");
  return 0;
}
