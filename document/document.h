/* A document ready for the store: postings, boolean terms, the date value and the stored data.
 * Built in C from a presse_record by the analysis pipeline; store/ copies it into a
 * Xapian::Document. Internal to libpresse. */
#ifndef PRESSE_DOCUMENT_DOCUMENT_H
#define PRESSE_DOCUMENT_DOCUMENT_H

#include <stddef.h>
#include <stdint.h>

#include "document/fingerprint.h"
#include "presse/analysis.h"
#include "presse/ingest.h"
#include "presse/ner.h"
#include "util/buf.h"

/* Xapian refuses terms over 245 bytes; we keep a margin for the prefix. */
#define PRESSE_MAX_TERM 240

typedef struct presse_posting {
  size_t off;   /* term text in doc->arena, NUL-terminated */
  unsigned len;
  unsigned pos; /* 0: no position */
  unsigned wdf; /* wdf increment */
  int boolean;  /* a filter term: no wdf, no position */
} presse_posting;

struct presse_doc {
  presse_buf arena;
  presse_posting *post;
  size_t npost, cap;
  presse_buf id_term; /* "Q" + id */
  presse_buf data;    /* stored JSON */
  char date[9];       /* YYYYMMDD or "" */
  presse_buf entities; /* value slot PRESSE_SLOT_ENTITIES: "PER\tAlexander Kühner\t2\n...", one line per entity */
  unsigned long long dropped; /* terms over PRESSE_MAX_TERM */
  /* what the last build decided, for presse-index --verbose */
  presse_buf title;   /* the title stored */
  presse_buf issuer;  /* the issuer stored, "" if none */
  unsigned date_ymd;  /* the date stored, 0 if none */
  unsigned ncontacts; /* contact persons stored */
  presse_fp fp;       /* the duplicate fingerprint being computed */
  char fingerprint[17]; /* value slot PRESSE_SLOT_FINGERPRINT, "" if the text has no words */
};

int presse_doc_new(presse_doc **out);
void presse_doc_free(presse_doc *d);
void presse_doc_reset(presse_doc *d);
int presse_doc_add(presse_doc *d, const char *prefix, const char *term, size_t len, unsigned pos, unsigned wdf);
int presse_doc_add_boolean(presse_doc *d, const char *prefix, const char *term, size_t len);

/* Builds the whole document for a record. ner may be NULL (no entities), meta may be NULL. */
int presse_doc_build(presse_doc *d, presse_analyzer *a, const presse_ner_model *ner, const presse_record *r);
int presse_doc_build_meta(presse_doc *d, presse_analyzer *a, const presse_ner_model *ner, const presse_record *r,
                          const presse_record_meta *meta);

/* The Q term for an id; ids too long for a term are cut and given a hash suffix. */
int presse_doc_id_term(const char *id, presse_buf *out);

#endif
