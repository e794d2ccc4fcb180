/* Named-entity recognition for German press releases: persons, organisations and places.
 *
 * A trained linear-chain model (averaged structured perceptron, BIO tags, Viterbi decoding) over
 * hashed lexical, shape, gazetteer and context features. The model file is produced by
 * presse-ner-train and ships in models/; presse_ner_extract adds sentence splitting, tokenising,
 * document-level label consistency and canonical forms on top of the tagger.
 *
 * Status codes are the PRESSE_E* values of presse/presse.h. */
#ifndef PRESSE_NER_H
#define PRESSE_NER_H

#include "presse/api.h"

#include <stddef.h>

typedef struct presse_ner_model presse_ner_model;

typedef enum {
  PRESSE_NER_PER = 0,
  PRESSE_NER_LOC = 1,
  PRESSE_NER_ORG = 2
} presse_ner_type;

/* One entity mention. All strings are NUL-terminated UTF-8 owned by the array returned from
 * presse_ner_extract and freed with it by presse_ner_entities_free. */
typedef struct presse_ner_entity {
  presse_ner_type type;
  char *canonical;   /* normalised name: titles and quotes dropped, a later "Kühner" resolved to
                        the earlier "Alexander Kühner" of the same text */
  char *surface;     /* the bytes text[start, end) as they stand */
  size_t start, end; /* byte offsets into the text given to presse_ner_extract */
} presse_ner_entity;

/* "PER", "LOC", "ORG"; static storage. */
PRESSE_API const char *presse_ner_type_name(presse_ner_type t);

/* Loads a model file. path NULL means the default lookup: $PRESSE_NER_MODEL, then the source
 * tree's models/ner-de.model (for tests and uninstalled builds), then
 * $datadir/presse/models/ner-de.model. On failure *out is NULL and, if errbuf is not NULL, a
 * one-line reason (naming the file) is written to errbuf (errlen bytes, NUL-terminated).
 * A loaded model is immutable: any number of threads may call presse_ner_extract on it at once. */
PRESSE_API int presse_ner_model_load(presse_ner_model **out, const char *path);
PRESSE_API int presse_ner_model_load_err(presse_ner_model **out, const char *path, char *errbuf, size_t errlen);

/* Accepts NULL. */
PRESSE_API void presse_ner_model_free(presse_ner_model *m);

/* The path the model was loaded from; owned by the model, valid until presse_ner_model_free. */
PRESSE_API const char *presse_ner_model_path(const presse_ner_model *m);

/* Finds the entities of len bytes of UTF-8 text (need not be NUL-terminated). On success *out
 * holds *n entities in text order (*out is NULL when *n is 0); free it with
 * presse_ner_entities_free. Returns PRESSE_EUTF8 for invalid UTF-8, PRESSE_ENOMEM, PRESSE_EINVAL;
 * on failure *out is NULL and *n is 0. Thread-safe: the model is only read. */
PRESSE_API int presse_ner_extract(const presse_ner_model *m, const char *text, size_t len,
                       presse_ner_entity **out, size_t *n);

/* Frees an array from presse_ner_extract with its strings. Accepts NULL. */
PRESSE_API void presse_ner_entities_free(presse_ner_entity *e, size_t n);

/* Tags one pre-tokenised sentence (the CoNLL evaluation path): tokens[i] is a NUL-terminated
 * UTF-8 token; tags_out[i] receives a static string "O", "B-PER", "I-LOC", ... valid for the life of
 * the program. No document consistency or canonicalisation is applied. */
PRESSE_API int presse_ner_tag_tokens(const presse_ner_model *m, const char *const *tokens, size_t ntok,
                          const char **tags_out);

#endif
