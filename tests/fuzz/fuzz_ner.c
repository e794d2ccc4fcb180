/* Fuzz target for named-entity recognition (ner/): sentence splitting, tokenising, the tagger,
 * document consistency and canonical forms on arbitrary text; and the tagger alone on the same
 * bytes cut into whitespace tokens. Checks that entity spans are in order, inside the text and
 * spell their surface. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "presse/presse.h"

#define MAX_TOKENS 256

static void tag_tokens(const presse_ner_model *m, const uint8_t *data, size_t size) {
  char *copy = malloc(size + 1);
  if (!copy) return;
  if (size) memcpy(copy, data, size);
  copy[size] = '\0';
  const char *tok[MAX_TOKENS], *tags[MAX_TOKENS];
  size_t n = 0;
  for (char *p = copy; *p && n < MAX_TOKENS;) {
    while (*p == ' ' || *p == '\n' || *p == '\t') p++;
    if (!*p) break;
    tok[n++] = p;
    while (*p && *p != ' ' && *p != '\n' && *p != '\t') p++;
    if (*p) *p++ = '\0';
  }
  if (n && presse_ner_tag_tokens(m, tok, n, tags) == PRESSE_OK)
    for (size_t i = 0; i < n; i++)
      if (!tags[i]) fuzz_fail("token without a tag");
  free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const presse_ner_model *m = fuzz_ner_model();
  presse_ner_entity *e = NULL;
  size_t n = 0;
  const char *text = (const char *)data;
  if (presse_ner_extract(m, text, size, &e, &n) == PRESSE_OK) {
    for (size_t i = 0; i < n; i++) {
      if (e[i].start >= e[i].end || e[i].end > size) fuzz_fail("entity span outside the text");
      if (i && e[i].start < e[i - 1].start) fuzz_fail("entities out of text order");
      if (!e[i].canonical || !*e[i].canonical) fuzz_fail("entity without a canonical form");
      if (!e[i].surface || memcmp(e[i].surface, text + e[i].start, e[i].end - e[i].start))
        fuzz_fail("entity surface is not the text at its span");
      presse_ner_type_name(e[i].type);
    }
    presse_ner_entities_free(e, n);
  } else if (e || n) {
    fuzz_fail("failed extract left entities");
  }
  tag_tokens(m, data, size);
  return 0;
}
