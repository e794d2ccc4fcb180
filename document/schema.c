/* The table of the index layout (document/schema.h) and the codecs of the value slots. */
#include "document/schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "presse/presse.h"

static const char *const q_title[] = {"titel", "title", NULL};
static const char *const q_date[] = {"datum", "date", NULL};
static const char *const q_per[] = {"person", "per", NULL};
static const char *const q_org[] = {"org", "organisation", "organization", NULL};
static const char *const q_loc[] = {"ort", "place", "loc", "location", NULL};
static const char *const q_issuer[] = {"von", "issuer", "herausgeber", NULL};

const presse_field presse_schema_fields[PRESSE_F_COUNT] = {
    [PRESSE_F_BODY] = {"body", NULL, PRESSE_FIELD_TEXT, 0, "", "Z", NULL, NULL, -1, 0,
                       "words of title and text, folded, with positions; stems without"},
    [PRESSE_F_TITLE] = {"title", q_title, PRESSE_FIELD_TEXT, PRESSE_FIELD_QUERY, "S", "ZS", NULL, NULL, -1, 0,
                        "title words with positions; their stems"},
    [PRESSE_F_DATE] = {"date", q_date, PRESSE_FIELD_DATE, PRESSE_FIELD_QUERY, NULL, NULL, NULL, NULL, -1,
                       PRESSE_SLOT_DATE, "the release's date, YYYYMMDD: ranges and sorting"},
    [PRESSE_F_PER] = {"person", q_per, PRESSE_FIELD_ENTITY, PRESSE_FIELD_QUERY | PRESSE_FIELD_FACET, "XPERW", NULL,
                      "XPER", "PER", PRESSE_NER_PER, 0, "persons (NER): folded canonical name; each of its words"},
    [PRESSE_F_ORG] = {"organisation", q_org, PRESSE_FIELD_ENTITY, PRESSE_FIELD_QUERY | PRESSE_FIELD_FACET, "XORGW",
                      NULL, "XORG", "ORG", PRESSE_NER_ORG, 0, "organisations (NER), likewise"},
    [PRESSE_F_LOC] = {"place", q_loc, PRESSE_FIELD_ENTITY, PRESSE_FIELD_QUERY | PRESSE_FIELD_FACET, "XLOCW", NULL,
                      "XLOC", "LOC", PRESSE_NER_LOC, 0, "places (NER), likewise"},
    [PRESSE_F_ISSUER] = {"issuer", q_issuer, PRESSE_FIELD_ENTITY, PRESSE_FIELD_QUERY | PRESSE_FIELD_FACET,
                         "XISSUERW", NULL, "XISSUER", "ISSUER", -1, 0,
                         "who published it (document/meta.c), likewise"},
};

const presse_field *presse_schema_query_field(const char *name, size_t n) {
  for (size_t f = 0; f < PRESSE_F_COUNT; f++)
    for (const char *const *q = presse_schema_fields[f].query; q && *q; q++)
      if (strlen(*q) == n && strncasecmp(*q, name, n) == 0) return &presse_schema_fields[f];
  return NULL;
}

const presse_field *presse_schema_ner_field(presse_ner_type t) {
  for (size_t f = 0; f < PRESSE_F_COUNT; f++)
    if (presse_schema_fields[f].ner_type == (int)t) return &presse_schema_fields[f];
  return NULL;
}

const presse_field *presse_schema_type_field(const char *type) {
  for (size_t f = 0; f < PRESSE_F_COUNT && type; f++)
    if (presse_schema_fields[f].type && !strcmp(presse_schema_fields[f].type, type)) return &presse_schema_fields[f];
  return NULL;
}

void presse_schema_date_encode(unsigned ymd, char out[9]) {
  if (ymd && ymd <= 99999999u) snprintf(out, 9, "%08u", ymd);
  else out[0] = '\0';
}

unsigned presse_schema_date_decode(const char *v, size_t n) {
  if (n != 8) return 0;
  unsigned d = 0;
  for (size_t i = 0; i < 8; i++) {
    if (v[i] < '0' || v[i] > '9') return 0;
    d = d * 10 + (unsigned)(v[i] - '0');
  }
  return d;
}

int presse_schema_entities_add(presse_buf *slot, const char *type, const char *name, size_t mentions) {
  return presse_buf_printf(slot, "%s\t%s\t%zu\n", type, name, mentions);
}

void presse_schema_entities_each(const char *v, size_t n, presse_schema_entity_cb cb, void *ctx) {
  size_t at = 0;
  while (at < n) {
    const char *line = v + at, *nl = memchr(line, '\n', n - at);
    size_t len = nl ? (size_t)(nl - line) : n - at;
    const char *t1 = memchr(line, '\t', len);
    const char *t2 = NULL;
    for (size_t k = len; t1 && k > 0; k--)
      if (line[k - 1] == '\t') {
        t2 = line + k - 1;
        break;
      }
    if (t1 && t2 > t1) {
      char num[24];
      size_t nl2 = (size_t)(line + len - t2 - 1);
      if (nl2 >= sizeof num) nl2 = sizeof num - 1;
      memcpy(num, t2 + 1, nl2);
      num[nl2] = '\0';
      if (cb(ctx, line, (size_t)(t1 - line), t1 + 1, (size_t)(t2 - t1 - 1), strtoull(num, NULL, 10))) return;
    }
    at += len + 1;
  }
}

/* The keys of the stored data, in the order the builder writes them, for the layout table. */
static const char *const stored_keys[] = {
    PRESSE_STORED_ID,       PRESSE_STORED_PATH,     PRESSE_STORED_TITLE,    PRESSE_STORED_DATE,
    PRESSE_STORED_FORMAT,   PRESSE_STORED_FINGERPRINT, PRESSE_STORED_ENCODING, PRESSE_STORED_MESSAGE,
    PRESSE_STORED_LINK,     PRESSE_STORED_OCR,      PRESSE_STORED_MTIME,    PRESSE_STORED_SIZE,     PRESSE_STORED_EMAILS,   PRESSE_STORED_PHONES,
    PRESSE_STORED_URLS,     PRESSE_STORED_ENTITIES, PRESSE_STORED_ISSUER,   PRESSE_STORED_CONTACTS,
    PRESSE_STORED_TEXT};

static const char *kind_name(presse_field_kind k) {
  return k == PRESSE_FIELD_TEXT ? "text" : k == PRESSE_FIELD_DATE ? "date" : "filter";
}

int presse_schema_layout_markdown(presse_buf *out) {
  int rc = presse_buf_puts(out, "| field | query names | kind | terms / slot | what |\n|---|---|---|---|---|\n");
  for (size_t f = 0; f < PRESSE_F_COUNT && rc == PRESSE_OK; f++) {
    const presse_field *x = &presse_schema_fields[f];
    rc = presse_buf_printf(out, "| %s | ", x->name);
    for (const char *const *q = x->query; q && *q && rc == PRESSE_OK; q++)
      rc = presse_buf_printf(out, "%s`%s:`", q == x->query ? "" : ", ", *q);
    if (rc == PRESSE_OK && !x->query) rc = presse_buf_puts(out, "(bare words)");
    if (rc == PRESSE_OK) rc = presse_buf_printf(out, " | %s | ", kind_name(x->kind));
    if (rc != PRESSE_OK) break;
    if (x->kind == PRESSE_FIELD_TEXT)
      rc = x->word_prefix[0] ? presse_buf_printf(out, "`%s` / `%s`", x->word_prefix, x->stem_prefix)
                             : presse_buf_printf(out, "bare / `%s`", x->stem_prefix);
    else if (x->kind == PRESSE_FIELD_DATE)
      rc = presse_buf_printf(out, "slot %u", x->slot);
    else
      rc = presse_buf_printf(out, "`%s` / `%s`", x->whole_prefix, x->word_prefix);
    if (rc == PRESSE_OK) rc = presse_buf_printf(out, " | %s |\n", x->what);
  }
  if (rc == PRESSE_OK)
    rc = presse_buf_printf(out,
                           "| id | | unique | `%s` + id | replace_document on it: a re-add never duplicates |\n"
                           "| compound parts | | text | `%s` | stem of a part, at the compound's position |\n"
                           "| lead | | text | `%s` | stem of a word in the lead (the first words) |\n"
                           "| entities | | facets | slot %u | `TYPE\\tname\\tmentions` per line |\n"
                           "| fingerprint | | collapse | slot %u | 16 hex digits, min-hash of the prose |\n",
                           PRESSE_PREFIX_ID, PRESSE_PREFIX_PART, PRESSE_PREFIX_LEAD, PRESSE_SLOT_ENTITIES,
                           PRESSE_SLOT_FINGERPRINT);
  if (rc == PRESSE_OK) rc = presse_buf_puts(out, "| stored data | | JSON | document data | ");
  for (size_t k = 0; k < sizeof stored_keys / sizeof *stored_keys && rc == PRESSE_OK; k++)
    rc = presse_buf_printf(out, "%s`%s`", k ? ", " : "", stored_keys[k]);
  if (rc == PRESSE_OK) rc = presse_buf_puts(out, " |\n");
  return rc;
}
