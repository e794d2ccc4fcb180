/* Release metadata that no format states reliably: the issuer (the organisation that published
 * the release) and the contact persons. Heuristics over the text, its e-mail addresses and
 * phone numbers, the NER entities and a hint from the file's metadata; see meta.c for the rules.
 * Internal to libpresse. */
#ifndef PRESSE_DOCUMENT_META_H
#define PRESSE_DOCUMENT_META_H

#include <jansson.h>
#include <stddef.h>

#include "presse/analysis.h"
#include "presse/ner.h"
#include "util/buf.h"

/* An e-mail address, phone number or URL of the text (byte span, kind PRESSE_TOK_*). */
typedef struct presse_span {
  presse_token_kind kind;
  size_t start, end;
} presse_span;

/* A capitalised word of the text with its folded form (offset into an arena), for finding the
 * person an address like "michael.kaub@..." belongs to without NER. */
typedef struct presse_capword {
  size_t start, end;
  size_t fold; /* offset of the NUL-terminated folded form in the arena */
} presse_capword;

typedef struct presse_meta_in {
  const char *text;
  size_t len;
  const presse_ner_entity *ents; /* may be NULL */
  size_t nents;
  const presse_span *spans;
  size_t nspans;
  const presse_capword *caps;
  size_t ncaps;
  const char *cap_arena;
  const char *hint;  /* the issuer named by the file's metadata, or NULL */
  const char *title; /* the release's title: its line is not a letterhead */
} presse_meta_in;

/* The issuer's name as the text writes it ("Stadt Hagen") into out, or nothing when the
 * evidence is too weak. */
int presse_meta_issuer(presse_analyzer *a, const presse_meta_in *in, presse_buf *out);

/* Contact persons as JSON objects {"name", "email", "phone"} appended to arr; *n counts them. */
int presse_meta_contacts(presse_analyzer *a, const presse_meta_in *in, json_t *arr, unsigned *n);

/* The first institution phrase ("Stadt Hagen" of "Pressestelle der Stadt Hagen") of a short text
 * such as an e-mail sender's display name or signature into out; "" if there is none. */
int presse_meta_institution(presse_analyzer *a, const char *s, size_t n, presse_buf *out);

/* Non-zero if the domain of the e-mail address addr spells name ("stadt-hagen.de", "Stadt Hagen"). */
int presse_meta_domain_spells(presse_analyzer *a, const char *addr, const char *name);

#endif
