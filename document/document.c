/* The document builder: a record (id, title, date, text) -> terms, values and stored data
 * in the index layout of DESIGN.md. */
#include "document/document.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/meta.h"
#include "document/schema.h"
#include "indexer/extract.h"
#include "presse/presse.h"
#include "util/hash.h"

int presse_doc_new(presse_doc **out) {
  *out = calloc(1, sizeof **out);
  return *out ? PRESSE_OK : PRESSE_ENOMEM;
}

void presse_doc_free(presse_doc *d) {
  if (!d) return;
  presse_buf_free(&d->arena);
  presse_buf_free(&d->id_term);
  presse_buf_free(&d->data);
  presse_buf_free(&d->entities);
  presse_buf_free(&d->title);
  presse_buf_free(&d->issuer);
  presse_fp_free(&d->fp);
  free(d->post);
  free(d);
}

void presse_doc_reset(presse_doc *d) {
  presse_buf_clear(&d->arena);
  presse_buf_clear(&d->id_term);
  presse_buf_clear(&d->data);
  presse_buf_clear(&d->entities);
  presse_buf_clear(&d->title);
  presse_buf_clear(&d->issuer);
  d->date_ymd = 0;
  d->ncontacts = 0;
  presse_fp_reset(&d->fp);
  d->fingerprint[0] = '\0';
  d->npost = 0;
  d->date[0] = '\0';
  d->dropped = 0;
}

static int add(presse_doc *d, const char *prefix, const char *term, size_t len, unsigned pos, unsigned wdf,
               int boolean) {
  size_t plen = strlen(prefix);
  if (len == 0) return PRESSE_OK;
  if (plen + len > PRESSE_MAX_TERM) {
    d->dropped++;
    return PRESSE_OK;
  }
  if (d->npost == d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 256;
    presse_posting *p = realloc(d->post, cap * sizeof *p);
    if (!p) return PRESSE_ENOMEM;
    d->post = p;
    d->cap = cap;
  }
  presse_posting *p = &d->post[d->npost];
  p->off = d->arena.len;
  p->len = (unsigned)(plen + len);
  p->pos = pos;
  p->wdf = wdf;
  p->boolean = boolean;
  if (presse_buf_append(&d->arena, prefix, plen) != PRESSE_OK || presse_buf_append(&d->arena, term, len) != PRESSE_OK ||
      presse_buf_putc(&d->arena, '\0') != PRESSE_OK)
    return PRESSE_ENOMEM;
  d->npost++;
  return PRESSE_OK;
}

int presse_doc_add(presse_doc *d, const char *prefix, const char *term, size_t len, unsigned pos, unsigned wdf) {
  return add(d, prefix, term, len, pos, wdf, 0);
}

int presse_doc_add_boolean(presse_doc *d, const char *prefix, const char *term, size_t len) {
  return add(d, prefix, term, len, 0, 0, 1);
}

int presse_doc_id_term(const char *id, presse_buf *out) {
  presse_buf_clear(out);
  size_t n = strlen(id);
  if (n + 1 <= PRESSE_MAX_TERM) {
    int rc = presse_buf_puts(out, PRESSE_PREFIX_ID);
    return rc == PRESSE_OK ? presse_buf_append(out, id, n) : rc;
  }
  /* keep the head readable and make the rest unique with a 64-bit FNV-1a hash */
  unsigned long long h = presse_fnv1a(PRESSE_FNV1A_INIT, id, n);
  size_t keep = PRESSE_MAX_TERM - 1 - 17;
  while (keep > 0 && ((unsigned char)id[keep] & 0xC0) == 0x80) keep--; /* not inside a UTF-8 sequence */
  int rc = presse_buf_puts(out, PRESSE_PREFIX_ID);
  if (rc == PRESSE_OK) rc = presse_buf_append(out, id, keep);
  if (rc == PRESSE_OK) rc = presse_buf_printf(out, "#%016llx", h);
  return rc;
}

/* The lead: a release says its news in its title and first sentence or two, and a query that
 * matches there is about the release's subject rather than a side remark. Measured on the Berlin
 * known-item set (bench/relevance/README.md): the title and the first 30 words of the text,
 * weighted half a body match. */
#define LEAD_WORDS 30

/* ---- analysis callbacks ---- */

typedef struct build_ctx {
  presse_doc *d;
  const char *text;
  const char *prefix;      /* "" for the body, "S" for the title */
  const char *stem_prefix; /* "Z" or "ZS" */
  unsigned lead_end;       /* body positions below this are the lead: stems also under ZL */
  unsigned first_date;
  json_t *emails, *phones, *urls;
  /* for the issuer and contact heuristics (document/meta.c) */
  presse_span *spans;
  size_t nspans, spans_cap;
  presse_capword *caps;
  size_t ncaps, caps_cap;
  presse_buf cap_arena;
  int rc;
} build_ctx;

/* Enough capitalised words to find the names of a release's contacts; a huge file keeps only
 * its start. */
#define MAX_CAPWORDS 20000

static void note_span(build_ctx *c, const presse_term *t) {
  if (c->nspans == c->spans_cap) {
    size_t cap = c->spans_cap ? c->spans_cap * 2 : 16;
    presse_span *p = realloc(c->spans, cap * sizeof *p);
    if (!p) return;
    c->spans = p;
    c->spans_cap = cap;
  }
  c->spans[c->nspans++] = (presse_span){t->kind, t->start, t->end};
}

static void note_capword(build_ctx *c, const presse_term *t) {
  const unsigned char *s = (const unsigned char *)c->text + t->start;
  int upper = (s[0] >= 'A' && s[0] <= 'Z') || (s[0] == 0xC3 && (s[1] == 0x84 || s[1] == 0x96 || s[1] == 0x9C));
  if (!upper || c->ncaps >= MAX_CAPWORDS) return;
  if (c->ncaps == c->caps_cap) {
    size_t cap = c->caps_cap ? c->caps_cap * 2 : 64;
    presse_capword *p = realloc(c->caps, cap * sizeof *p);
    if (!p) return;
    c->caps = p;
    c->caps_cap = cap;
  }
  size_t off = c->cap_arena.len;
  if (presse_buf_append(&c->cap_arena, t->text, t->len) != PRESSE_OK || presse_buf_putc(&c->cap_arena, '\0') != PRESSE_OK)
    return;
  c->caps[c->ncaps++] = (presse_capword){t->start, t->end, off};
}

static void add_unique(json_t *arr, const char *s, size_t n) {
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    if (json_string_length(v) == n && memcmp(json_string_value(v), s, n) == 0) return;
  }
  json_array_append_new(arr, json_stringn(s, n));
}

static int on_term(void *vctx, const presse_term *t) {
  build_ctx *c = vctx;
  presse_doc *d = c->d;
  if (t->flags & PRESSE_TERM_SPLIT) { /* a compound's part: its stem under ZP, at the compound's position */
    c->rc = t->stem && !c->prefix[0] ? presse_doc_add(d, PRESSE_PREFIX_PART, t->stem, t->stem_len, t->pos, 1) : PRESSE_OK;
    return c->rc != PRESSE_OK;
  }
  int rc = presse_doc_add(d, c->prefix, t->text, t->len, t->pos, 1);
  if (rc == PRESSE_OK && t->stem) rc = presse_doc_add(d, c->stem_prefix, t->stem, t->stem_len, 0, 1);
  if (rc == PRESSE_OK && t->stem && t->pos < c->lead_end) rc = presse_doc_add(d, PRESSE_PREFIX_LEAD, t->stem, t->stem_len, 0, 1);
  if (rc == PRESSE_OK && c->emails) {
    presse_fp_term(&d->fp, c->text, t);
    switch (t->kind) {
      case PRESSE_TOK_EMAIL:
        add_unique(c->emails, c->text + t->start, t->end - t->start);
        note_span(c, t);
        break;
      case PRESSE_TOK_PHONE:
        add_unique(c->phones, c->text + t->start, t->end - t->start);
        note_span(c, t);
        break;
      case PRESSE_TOK_URL:
        add_unique(c->urls, c->text + t->start, t->end - t->start);
        note_span(c, t);
        break;
      case PRESSE_TOK_WORD:
        if (!(t->flags & (PRESSE_TERM_ALT | PRESSE_TERM_PART | PRESSE_TERM_STOP))) note_capword(c, t);
        break;
      case PRESSE_TOK_DATE:
        if (!c->first_date) {
          unsigned y, m, dd;
          if (sscanf(t->text, "%4u-%2u-%2u", &y, &m, &dd) == 3) c->first_date = y * 10000 + m * 100 + dd;
        }
        break;
      default:
        break;
    }
  }
  c->rc = rc;
  return rc != PRESSE_OK;
}

typedef struct word_ctx {
  presse_doc *d;
  const char *prefix;
  int rc;
} word_ctx;

static int on_entity_word(void *vctx, const presse_term *t) {
  word_ctx *c = vctx;
  if (t->kind != PRESSE_TOK_WORD || (t->flags & (PRESSE_TERM_STOP | PRESSE_TERM_SPLIT))) return 0;
  c->rc = presse_doc_add_boolean(c->d, c->prefix, t->text, t->len);
  return c->rc != PRESSE_OK;
}

/* For grouping mentions of the same entity: by type, then canonical name. */
typedef struct ent_ref {
  int type;
  const char *canonical;
} ent_ref;

static int cmp_entity(const void *x, const void *y) {
  const ent_ref *p = x, *q = y;
  if (p->type != q->type) return p->type < q->type ? -1 : 1;
  return strcmp(p->canonical, q->canonical);
}

/* At most this many mentions go into the stored data; a press release has a few dozen. */
#define MAX_STORED_MENTIONS 1000

/* Entities: boolean terms for filters (the folded canonical name and each of its words), a
 * value with one line per distinct entity and its mention count for facets, and the mentions
 * with their offsets in the stored data. */
static int add_entities(presse_doc *d, presse_analyzer *a, const presse_ner_entity *e, size_t n, json_t *out) {
  int rc = PRESSE_OK;
  for (size_t i = 0; i < n && i < MAX_STORED_MENTIONS; i++)
    json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:I,s:I}", PRESSE_STORED_ENT_TYPE, presse_ner_type_name(e[i].type),
                                         PRESSE_STORED_ENT_CANONICAL, e[i].canonical, PRESSE_STORED_ENT_SURFACE,
                                         e[i].surface, PRESSE_STORED_ENT_START, (json_int_t)e[i].start,
                                         PRESSE_STORED_ENT_END, (json_int_t)e[i].end));
  ent_ref *refs = malloc((n ? n : 1) * sizeof *refs);
  if (!refs) rc = PRESSE_ENOMEM;
  for (size_t i = 0; refs && i < n; i++) {
    refs[i].type = (int)e[i].type;
    refs[i].canonical = e[i].canonical;
  }
  if (refs && n) qsort(refs, n, sizeof *refs, cmp_entity);
  for (size_t g = 0; refs && g < n && rc == PRESSE_OK;) {
    const ent_ref *x = &refs[g];
    size_t h = g + 1;
    while (h < n && cmp_entity(&refs[h], x) == 0) h++;
    size_t cl = strlen(x->canonical);
    char buf[PRESSE_MAX_TERM + 8];
    int fl = presse_analyzer_fold(a, x->canonical, cl, buf, sizeof buf);
    const presse_field *f = presse_schema_ner_field((presse_ner_type)x->type);
    if (!f) f = PRESSE_FIELD(PRESSE_F_LOC); /* a type the schema does not know: a place, as before */
    if (fl > 0) rc = presse_doc_add_boolean(d, f->whole_prefix, buf, (size_t)fl);
    word_ctx wc = {d, f->word_prefix, PRESSE_OK};
    if (rc == PRESSE_OK) presse_analyze(a, x->canonical, cl, NULL, on_entity_word, &wc);
    if (rc == PRESSE_OK) rc = wc.rc;
    if (rc == PRESSE_OK)
      rc = presse_schema_entities_add(&d->entities, f->type, x->canonical, h - g);
    g = h;
  }
  free(refs);
  return rc;
}

/* The issuer as boolean filter terms, like an entity: the folded name and each of its words. */
static int add_issuer_terms(presse_doc *d, presse_analyzer *a, const char *issuer) {
  size_t n = strlen(issuer);
  char buf[PRESSE_MAX_TERM + 8];
  int fl = presse_analyzer_fold(a, issuer, n, buf, sizeof buf);
  const presse_field *f = PRESSE_FIELD(PRESSE_F_ISSUER);
  int rc = fl > 0 ? presse_doc_add_boolean(d, f->whole_prefix, buf, (size_t)fl) : PRESSE_OK;
  word_ctx wc = {d, f->word_prefix, PRESSE_OK};
  if (rc == PRESSE_OK) presse_analyze(a, issuer, n, NULL, on_entity_word, &wc);
  return rc == PRESSE_OK ? wc.rc : rc;
}

int presse_doc_build(presse_doc *d, presse_analyzer *a, const presse_ner_model *ner, const presse_record *r) {
  return presse_doc_build_meta(d, a, ner, r, NULL);
}

int presse_doc_build_meta(presse_doc *d, presse_analyzer *a, const presse_ner_model *ner, const presse_record *r,
                          const presse_record_meta *meta) {
  presse_doc_reset(d);
  int rc = presse_doc_id_term(r->id, &d->id_term);
  if (rc != PRESSE_OK) return rc;
  char *own_title = NULL;
  const char *title = r->title;
  /* a record without a title (JSONL): the title a plain text file of the same text gets, its
   * first line that is not a genre header ("PRESSEMITTEILUNG"): one rule, indexer/extract.c */
  presse_buf found = PRESSE_BUF_INIT;
  if ((!title || !*title) && presse_extract_text_title(r->text, r->text_len, &found) == PRESSE_OK && found.data)
    title = own_title = found.data;
  else
    presse_buf_free(&found);
  if (!title) title = "";

  build_ctx c;
  memset(&c, 0, sizeof c);
  c.d = d;
  c.text = title;
  c.prefix = PRESSE_FIELD(PRESSE_F_TITLE)->word_prefix;
  c.stem_prefix = PRESSE_FIELD(PRESSE_F_TITLE)->stem_prefix;
  unsigned pos = 0;
  /* the title in its own field, then once more in the body's position space: a title word is a
   * body word too (records from JSONL carry the title apart from the text) */
  rc = presse_analyze(a, title, strlen(title), &pos, on_term, &c);
  if (rc == PRESSE_EABORT) rc = c.rc;
  c.prefix = PRESSE_FIELD(PRESSE_F_BODY)->word_prefix;
  c.stem_prefix = PRESSE_FIELD(PRESSE_F_BODY)->stem_prefix;
  c.lead_end = (unsigned)-1; /* the title leads the release: its words are lead words too */
  if (rc == PRESSE_OK) {
    pos = 0;
    rc = presse_analyze(a, title, strlen(title), &pos, on_term, &c);
    if (rc == PRESSE_EABORT) rc = c.rc;
  }
  c.emails = json_array();
  c.phones = json_array();
  c.urls = json_array();
  c.text = r->text;
  pos += 10; /* keep phrases from running from the title into the body */
  c.lead_end = pos + LEAD_WORDS;
  if (rc == PRESSE_OK) {
    rc = presse_analyze(a, r->text, r->text_len, &pos, on_term, &c);
    if (rc == PRESSE_EABORT) rc = c.rc;
  }
  presse_fp_finish(&d->fp, d->fingerprint);
  /* a stated publication date, else the first date of the text, else when the file was made */
  unsigned date = r->date ? r->date : c.first_date ? c.first_date : meta ? meta->date_fallback : 0;
  if (date > 99999999u) date = 0;
  d->date_ymd = date;
  presse_buf_puts(&d->title, title);
  presse_schema_date_encode(date, d->date);

  json_t *o = json_object();
  if (rc == PRESSE_OK && o) {
    json_object_set_new(o, PRESSE_STORED_ID, json_string(r->id));
    if (r->path) json_object_set_new(o, PRESSE_STORED_PATH, json_string(r->path));
    json_object_set_new(o, PRESSE_STORED_TITLE, json_string(title));
    if (date) {
      char iso[16];
      snprintf(iso, sizeof iso, "%04u-%02u-%02u", date / 10000, date / 100 % 100, date % 100);
      json_object_set_new(o, PRESSE_STORED_DATE, json_string(iso));
    }
    if (r->format) json_object_set_new(o, PRESSE_STORED_FORMAT, json_string(r->format));
    if (d->fingerprint[0]) json_object_set_new(o, PRESSE_STORED_FINGERPRINT, json_string(d->fingerprint));
    if (meta && meta->encoding && strncmp(meta->encoding, "utf-8", 5))
      json_object_set_new(o, PRESSE_STORED_ENCODING, json_string(meta->encoding));
    if (meta && meta->parent) json_object_set_new(o, PRESSE_STORED_MESSAGE, json_string(meta->parent));
    if (meta && meta->link) json_object_set_new(o, PRESSE_STORED_LINK, json_string(meta->link));
    if (meta && meta->ocr_pages) json_object_set_new(o, PRESSE_STORED_OCR, json_integer(meta->ocr_pages));
    if (meta && meta->mtime) json_object_set_new(o, PRESSE_STORED_MTIME, json_integer(meta->mtime));
    if (meta && meta->mtime) json_object_set_new(o, PRESSE_STORED_SIZE, json_integer(meta->size));
    json_object_set_new(o, PRESSE_STORED_EMAILS, c.emails);
    json_object_set_new(o, PRESSE_STORED_PHONES, c.phones);
    json_object_set_new(o, PRESSE_STORED_URLS, c.urls);
    c.emails = c.phones = c.urls = NULL;
    presse_ner_entity *ents = NULL;
    size_t nents = 0;
    if (ner) {
      json_t *jents = json_array();
      rc = presse_ner_extract(ner, r->text, r->text_len, &ents, &nents);
      if (rc == PRESSE_OK) rc = add_entities(d, a, ents, nents, jents);
      json_object_set_new(o, PRESSE_STORED_ENTITIES, jents);
    }
    /* who published it and whom to ask: document/meta.c */
    presse_meta_in mi = {r->text, r->text_len, ents, nents, c.spans, c.nspans, c.caps, c.ncaps,
                         c.cap_arena.data ? c.cap_arena.data : "", meta ? meta->issuer_hint : NULL, title};
    if (rc == PRESSE_OK) {
      if (meta && meta->issuer && *meta->issuer) rc = presse_buf_puts(&d->issuer, meta->issuer);
      else rc = presse_meta_issuer(a, &mi, &d->issuer);
    }
    if (rc == PRESSE_OK && d->issuer.len) rc = add_issuer_terms(d, a, d->issuer.data);
    json_object_set_new(o, PRESSE_STORED_ISSUER, d->issuer.len ? json_string(d->issuer.data) : json_null());
    json_t *contacts = json_array();
    if (rc == PRESSE_OK) rc = presse_meta_contacts(a, &mi, contacts, &d->ncontacts);
    json_object_set_new(o, PRESSE_STORED_CONTACTS, contacts);
    presse_ner_entities_free(ents, nents);
    json_object_set_new(o, PRESSE_STORED_TEXT, json_stringn(r->text, r->text_len));
    char *js = NULL;
    if (rc == PRESSE_OK) {
      js = json_dumps(o, JSON_COMPACT);
      if (!js || presse_buf_puts(&d->data, js) != PRESSE_OK) rc = PRESSE_ENOMEM;
    }
    free(js);
  } else if (rc == PRESSE_OK) {
    rc = PRESSE_ENOMEM;
  }
  json_decref(o);
  json_decref(c.emails);
  json_decref(c.phones);
  json_decref(c.urls);
  free(c.spans);
  free(c.caps);
  presse_buf_free(&c.cap_arena);
  free(own_title);
  return rc;
}
