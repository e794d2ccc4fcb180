/* The index layout in one place (DESIGN.md, "Index layout"; notmuch's prefix table is the model):
 * the fields with their query names, term prefixes and kinds, the other term prefixes, the value
 * slots with their codecs, and the keys of the stored data. document/document.c writes with it,
 * query/parser.c reads query fields from it, store/'s shim reads slots and keys from it, and
 * README's layout table is checked against it (tests/test_schema.c). Adding a filter field is one
 * row in document/schema.c. Internal to libpresse. */
#ifndef PRESSE_DOCUMENT_SCHEMA_H
#define PRESSE_DOCUMENT_SCHEMA_H

#include <stddef.h>

#include "presse/ner.h"
#include "util/buf.h"

typedef enum {
  PRESSE_FIELD_TEXT,   /* analysed words with positions (word_prefix) and stems (stem_prefix) */
  PRESSE_FIELD_DATE,   /* a value slot of YYYYMMDD, ranges and sorting */
  PRESSE_FIELD_ENTITY  /* boolean filter terms: the folded whole name, and each of its words */
} presse_field_kind;

/* Field flags. */
#define PRESSE_FIELD_QUERY 0x01u /* has a query name (field:value) */
#define PRESSE_FIELD_FACET 0x02u /* counted for facets (entity value slot, or the issuer's terms) */

typedef struct presse_field {
  const char *name;          /* the field's own name, e.g. "title" */
  const char *const *query;  /* query names (NULL-terminated), first the German one; NULL: none */
  presse_field_kind kind;
  unsigned flags;
  const char *word_prefix;   /* TEXT: words; ENTITY: the words of a name ("XPERW") */
  const char *stem_prefix;   /* TEXT: stems */
  const char *whole_prefix;  /* ENTITY: the folded whole name ("XPER") */
  const char *type;          /* ENTITY: the type in the entity slot and facets ("PER"); DATE: NULL */
  int ner_type;              /* ENTITY from NER: its presse_ner_type; -1 otherwise */
  unsigned slot;             /* DATE: its value slot */
  const char *what;          /* one line for the layout table */
} presse_field;

/* Field identifiers: indexes into presse_schema_fields. */
enum { PRESSE_F_BODY, PRESSE_F_TITLE, PRESSE_F_DATE, PRESSE_F_PER, PRESSE_F_ORG, PRESSE_F_LOC, PRESSE_F_ISSUER,
       PRESSE_F_COUNT };
extern const presse_field presse_schema_fields[PRESSE_F_COUNT];
#define PRESSE_FIELD(id) (&presse_schema_fields[id])

/* The field a query name (case-insensitive, n bytes) stands for, or NULL. */
const presse_field *presse_schema_query_field(const char *name, size_t n);
/* The entity field of an NER type, or of a facet type ("PER", "ISSUER"); NULL if none. */
const presse_field *presse_schema_ner_field(presse_ner_type t);
const presse_field *presse_schema_type_field(const char *type);

/* Term prefixes that belong to no query field. */
#define PRESSE_PREFIX_ID "Q"     /* + id: the unique id, replace_document on it */
#define PRESSE_PREFIX_PART "ZP"  /* + stem of a compound part, at the compound's position */
#define PRESSE_PREFIX_LEAD "ZL"  /* + stem of a word in the lead (the first words) */

/* Value slots. PRESSE_SLOT_DATE: "YYYYMMDD". PRESSE_SLOT_ENTITIES: one line per distinct entity,
 * "TYPE\tcanonical name\tmentions\n". PRESSE_SLOT_FINGERPRINT: 16 hex digits, the min-hash of the
 * prose (document/fingerprint.c), the collapse key. PRESSE_SLOT_ISSUER: the issuer's folded name
 * (its whole-name term without the prefix), for the issuer facet. The k-th entity of a document
 * by mentions, "TYPE\tCanonical name", in slot PRESSE_SLOT_ENTITY0 + k (k < PRESSE_ENTITY_SLOTS):
 * entity facets are counted by Xapian's ValueCountMatchSpy, one per slot, which remote shards
 * (xapian-tcpsrv) run as well. Entities beyond the last slot count in no facet. */
#define PRESSE_SLOT_DATE 0u
#define PRESSE_SLOT_ENTITIES 1u
#define PRESSE_SLOT_FINGERPRINT 2u
#define PRESSE_SLOT_ISSUER 3u
#define PRESSE_SLOT_ENTITY0 16u
#define PRESSE_ENTITY_SLOTS 32u

/* Codecs of the slots. The date: ymd (YYYYMMDD, 0 none) into out[9] ("" for none); back: 0 when
 * the value is no date. */
void presse_schema_date_encode(unsigned ymd, char out[9]);
unsigned presse_schema_date_decode(const char *v, size_t n);
/* The entity slot: appends one entity's line; walks the lines of a value, calling
 * cb(ctx, type, tlen, name, nlen, mentions) (non-zero stops it). */
int presse_schema_entities_add(presse_buf *slot, const char *type, const char *name, size_t mentions);
typedef int (*presse_schema_entity_cb)(void *ctx, const char *type, size_t tlen, const char *name, size_t nlen,
                                       unsigned long long mentions);
void presse_schema_entities_each(const char *v, size_t n, presse_schema_entity_cb cb, void *ctx);

/* Keys of the stored data (a JSON object per document). */
#define PRESSE_STORED_ID "id"
#define PRESSE_STORED_PATH "path"
#define PRESSE_STORED_TITLE "title"
#define PRESSE_STORED_DATE "date" /* "YYYY-MM-DD" */
#define PRESSE_STORED_FORMAT "format"
#define PRESSE_STORED_FINGERPRINT "fingerprint"
#define PRESSE_STORED_ENCODING "encoding" /* only when the source was not UTF-8 */
#define PRESSE_STORED_EMAILS "emails"     /* array of strings */
#define PRESSE_STORED_PHONES "phones"
#define PRESSE_STORED_URLS "urls"
#define PRESSE_STORED_ENTITIES "entities" /* array of mentions, keys below */
#define PRESSE_STORED_ISSUER "issuer"     /* string or null */
#define PRESSE_STORED_CONTACTS "contacts" /* array of persons, keys below */
#define PRESSE_STORED_TEXT "text"
#define PRESSE_STORED_LINK "link"       /* a feed item's link */
#define PRESSE_STORED_MESSAGE "message" /* an attachment's e-mail message */
#define PRESSE_STORED_OCR "ocr"         /* pages read by OCR, a number */
#define PRESSE_STORED_MTIME "mtime"     /* the file's modification time in ns (presse-index sync, watch) */
#define PRESSE_STORED_SIZE "size"       /* the file's size in bytes (presse-index sync, watch) */

/* A mention in "entities". */
#define PRESSE_STORED_ENT_TYPE "type"
#define PRESSE_STORED_ENT_CANONICAL "canonical"
#define PRESSE_STORED_ENT_SURFACE "surface"
#define PRESSE_STORED_ENT_START "start"
#define PRESSE_STORED_ENT_END "end"

/* A person in "contacts". */
#define PRESSE_STORED_CONTACT_NAME "name"
#define PRESSE_STORED_CONTACT_EMAIL "email"
#define PRESSE_STORED_CONTACT_PHONE "phone"

/* The layout as a Markdown table (README's "Index layout", checked by tests/test_schema.c). */
int presse_schema_layout_markdown(presse_buf *out);

#endif
