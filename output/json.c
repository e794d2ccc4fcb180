/* The JSON writer of search results, single hits and whole releases: the one shape that
 * presse-query --json prints and presse-serve's /api/search and /api/doc send. */
#include <stdlib.h>
#include <string.h>

#include "output/output_int.h"
#include "presse/presse.h"

json_t *presse_out_str(const char *s) {
  json_t *v = s ? json_string(s) : NULL;
  return v ? v : json_null();
}

size_t presse_out_char_offset(const char *s, size_t b) {
  size_t c = 0;
  for (size_t i = 0; i < b && s[i]; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
  return c;
}

json_t *presse_out_marks(const presse_snippet *sn) {
  json_t *marks = json_array();
  for (size_t m = 0; sn && m < sn->nmarks; m++) {
    size_t bs = sn->marks[2 * m], be = sn->marks[2 * m + 1];
    json_array_append_new(marks, json_pack("{s:I,s:I,s:I,s:I}", "start", (json_int_t)bs, "end", (json_int_t)be,
                                           "char_start", (json_int_t)presse_out_char_offset(sn->text, bs),
                                           "char_end", (json_int_t)presse_out_char_offset(sn->text, be)));
  }
  return marks;
}

json_t *presse_out_entities(const presse_hits *h, size_t i) {
  json_t *out = json_array(), *seen = json_object();
  for (size_t k = 0; k < presse_hits_nentities(h, i); k++) {
    const char *type = NULL;
    const char *name = presse_hits_entity(h, i, k, &type, NULL, NULL, NULL);
    if (!type || !name) continue;
    presse_buf key = PRESSE_BUF_INIT;
    presse_buf_printf(&key, "%s\t%s", type, name);
    if (key.data && !json_object_get(seen, key.data)) {
      json_object_set_new(seen, key.data, json_true());
      json_array_append_new(out, json_pack("{s:s,s:s}", "type", type, "name", name));
    }
    presse_buf_free(&key);
  }
  json_decref(seen);
  return out;
}

static json_t *items(const presse_hits *h, size_t i, presse_hit_list list) {
  json_t *a = json_array();
  for (size_t k = 0; k < presse_hits_nitems(h, i, list); k++)
    json_array_append_new(a, presse_out_str(presse_hits_item(h, i, list, k)));
  return a;
}

static json_t *contacts(const presse_hits *h, size_t i) {
  json_t *a = json_array();
  for (size_t k = 0; k < presse_hits_ncontacts(h, i); k++) {
    const char *email = NULL, *phone = NULL;
    const char *name = presse_hits_contact(h, i, k, &email, &phone);
    json_t *c = json_object();
    json_object_set_new(c, "name", presse_out_str(name));
    json_object_set_new(c, "email", presse_out_str(email));
    json_object_set_new(c, "phone", presse_out_str(phone));
    json_array_append_new(a, c);
  }
  return a;
}

/* the fields that only some releases have: a feed item's link, an attachment's message, pages
 * read by OCR (ingest, issue 16) */
static void extras(json_t *o, const presse_hits *h, size_t i) {
  if (presse_hits_link(h, i)) json_object_set_new(o, "link", presse_out_str(presse_hits_link(h, i)));
  if (presse_hits_message(h, i)) json_object_set_new(o, "message", presse_out_str(presse_hits_message(h, i)));
  if (presse_hits_ocr_pages(h, i)) json_object_set_new(o, "ocr", json_integer(presse_hits_ocr_pages(h, i)));
}

/* The hit object; q may be NULL. */
static json_t *hit_object(presse_analyzer *a, const presse_query *q, const presse_hits *h, size_t i,
                          unsigned long long rank, int all_words, size_t snippet_bytes) {
  size_t tlen = 0;
  const char *text = presse_hits_text(h, i, &tlen), *title = presse_hits_title(h, i);
  presse_snippet sn, tsn;
  int have_sn = text && q && presse_snippet_make(a, q, text, tlen, snippet_bytes, &sn) == PRESSE_OK;
  if (!have_sn && text) { /* no query (similar releases): the start of the text, spaces collapsed */
    presse_buf b = PRESSE_BUF_INIT;
    int space = 1;
    /* stops at a character boundary once the snippet is full */
    for (const char *p = text; *p && !(b.len >= snippet_bytes && ((unsigned char)*p & 0xC0) != 0x80); p++) {
      int sp = *p == ' ' || *p == '\n' || *p == '\t' || *p == '\r';
      if (sp && !space) presse_buf_putc(&b, ' ');
      else if (!sp) presse_buf_putc(&b, *p);
      space = sp;
    }
    if (!b.data) presse_buf_puts(&b, "");
    memset(&sn, 0, sizeof sn);
    sn.len = b.len;
    sn.text = presse_buf_detach(&b);
    have_sn = sn.text != NULL;
  }
  /* the title's marks: a window five times its length starts at its start (snippet.c keeps a fifth
   * before the first match), so the snippet is the title unless whitespace was collapsed */
  int have_tsn = title && q && presse_snippet_make(a, q, title, strlen(title), 5 * strlen(title) + 5, &tsn) == PRESSE_OK;
  if (have_tsn && strcmp(tsn.text, title)) {
    presse_snippet_free(&tsn);
    have_tsn = 0;
  }
  json_t *o = json_object();
  json_object_set_new(o, "rank", json_integer((json_int_t)rank));
  json_object_set_new(o, "id", presse_out_str(presse_hits_id(h, i)));
  json_object_set_new(o, "title", presse_out_str(title));
  json_object_set_new(o, "title_highlights", presse_out_marks(have_tsn ? &tsn : NULL));
  json_object_set_new(o, "date", presse_out_str(presse_hits_date(h, i)));
  json_object_set_new(o, "path", presse_out_str(presse_hits_path(h, i)));
  json_object_set_new(o, "weight", json_real(presse_hits_weight(h, i)));
  json_object_set_new(o, "all_words", json_boolean(all_words));
  json_object_set_new(o, "collapsed", json_integer((json_int_t)presse_hits_collapsed(h, i)));
  json_object_set_new(o, "snippet", json_string(have_sn ? sn.text : ""));
  json_object_set_new(o, "highlights", presse_out_marks(have_sn ? &sn : NULL));
  json_object_set_new(o, "emails", items(h, i, PRESSE_HIT_EMAILS));
  json_object_set_new(o, "phones", items(h, i, PRESSE_HIT_PHONES));
  json_object_set_new(o, "urls", items(h, i, PRESSE_HIT_URLS));
  json_object_set_new(o, "issuer", presse_out_str(presse_hits_issuer(h, i)));
  json_object_set_new(o, "contacts", contacts(h, i));
  json_object_set_new(o, "entities", presse_out_entities(h, i));
  extras(o, h, i);
  if (have_sn) presse_snippet_free(&sn);
  if (have_tsn) presse_snippet_free(&tsn);
  return o;
}

static int dump(json_t *o, int indent, char **out) {
  *out = o ? json_dumps(o, indent ? JSON_INDENT(indent) : JSON_COMPACT) : NULL;
  json_decref(o);
  return *out ? PRESSE_OK : PRESSE_ENOMEM;
}

int presse_output_json_hit(presse_analyzer *a, const presse_query *q, const presse_hits *h, size_t i,
                           unsigned rank0, int indent, char **out) {
  return dump(hit_object(a, q, h, i, (unsigned long long)rank0 + i + 1, 1, 240), indent, out);
}

static const char *const facet_types[] = {"PER", "ORG", "LOC", "ISSUER"};

int presse_output_json(presse_analyzer *a, const presse_result *r, const presse_output_opts *o, char **out) {
  size_t sb = o->snippet_bytes ? o->snippet_bytes : 240;
  json_t *doc = json_object(), *hits = json_array();
  size_t n = presse_hits_count(r->hits);
  for (size_t i = 0; i < n; i++)
    json_array_append_new(hits, hit_object(a, r->query, r->hits, i, (unsigned long long)o->offset + i + 1,
                                           i < r->nall, sb));
  json_object_set_new(doc, "query", json_string(o->query ? o->query : ""));
  json_object_set_new(doc, "total", json_integer((json_int_t)(r->total_all + r->total_some)));
  json_object_set_new(doc, "total_exact", json_boolean(r->total_exact)); /* false: an estimate */
  json_object_set_new(doc, "offset", json_integer(o->offset));
  json_object_set_new(doc, "limit", json_integer(o->limit));
  json_object_set_new(doc, "total_all_words", json_integer((json_int_t)r->total_all));
  json_object_set_new(doc, "all_words", json_boolean(r->total_all > 0)); /* false: no hit has every word */
  json_object_set_new(doc, "hits", hits);
  json_object_set_new(doc, "suggestion", o->suggestion ? json_string(o->suggestion) : json_null());
  if (o->partial || presse_hits_partial(r->hits)) { /* a sharded database with shards down */
    json_t *failed = json_array();
    for (size_t i = 0; i < presse_hits_nfailed(r->hits); i++)
      json_array_append_new(failed, json_string(presse_hits_failed(r->hits, i)));
    json_object_set_new(doc, "partial", json_boolean(presse_hits_partial(r->hits)));
    json_object_set_new(doc, "failed_shards", failed);
  }
  if (o->facets) {
    json_t *facets = json_object();
    for (size_t t = 0; t < sizeof facet_types / sizeof *facet_types; t++) {
      json_t *arr = json_array();
      for (size_t i = 0; i < presse_hits_nfacets(r->hits); i++) {
        const char *type;
        unsigned long long cnt;
        const char *name = presse_hits_facet(r->hits, i, &type, &cnt);
        if (strcmp(type, facet_types[t])) continue;
        /* the filter this facet leads to; count is that query's total (query/search.c) */
        presse_buf f = PRESSE_BUF_INIT;
        const char *fld = presse_facet_field(type);
        if (fld) presse_buf_printf(&f, "%s:\"%s\"", fld, name);
        json_array_append_new(arr, json_pack("{s:s,s:I,s:s?}", "name", name, "count", (json_int_t)cnt, "filter", f.data));
        presse_buf_free(&f);
      }
      json_object_set_new(facets, facet_types[t], arr);
    }
    json_object_set_new(doc, "facets", facets);
    json_t *hist = json_array();
    for (size_t i = 0; i < presse_hits_nmonths(r->hits); i++) {
      unsigned long long cnt;
      unsigned m = presse_hits_month(r->hits, i, &cnt);
      char ym[16];
      snprintf(ym, sizeof ym, "%04u-%02u", m / 100 % 10000, m % 100);
      json_array_append_new(hist, json_pack("{s:s,s:I}", "month", ym, "count", (json_int_t)cnt));
    }
    json_object_set_new(doc, "histogram", hist);
  }
  return dump(doc, o->indent, out);
}

int presse_output_doc_json(const presse_hits *h, size_t i, int indent, char **out) {
  size_t tlen = 0;
  const char *text = presse_hits_text(h, i, &tlen);
  json_t *d = json_object();
  json_object_set_new(d, "id", presse_out_str(presse_hits_id(h, i)));
  json_object_set_new(d, "path", presse_out_str(presse_hits_path(h, i)));
  json_object_set_new(d, "title", presse_out_str(presse_hits_title(h, i)));
  json_object_set_new(d, "date", presse_out_str(presse_hits_date(h, i)));
  json_object_set_new(d, "format", presse_out_str(presse_hits_format(h, i)));
  json_object_set_new(d, "issuer", presse_out_str(presse_hits_issuer(h, i)));
  json_object_set_new(d, "contacts", contacts(h, i));
  json_object_set_new(d, "emails", items(h, i, PRESSE_HIT_EMAILS));
  json_object_set_new(d, "phones", items(h, i, PRESSE_HIT_PHONES));
  json_object_set_new(d, "urls", items(h, i, PRESSE_HIT_URLS));
  extras(d, h, i);
  json_object_set_new(d, "text", presse_out_str(text));
  /* code-point offsets for the web UI, counted in one walk while mentions come in text order */
  json_t *ents = json_array();
  size_t at_b = 0, at_c = 0;
  for (size_t k = 0; k < presse_hits_nentities(h, i); k++) {
    const char *type = NULL, *surface = NULL;
    size_t s = 0, e = 0;
    const char *canon = presse_hits_entity(h, i, k, &type, &surface, &s, &e);
    if (!text || e < s || e > tlen) continue;
    if (s < at_b) at_b = at_c = 0;
    at_c += presse_out_char_offset(text + at_b, s - at_b);
    at_b = s;
    size_t cs = at_c, ce = cs + presse_out_char_offset(text + s, e - s);
    json_t *m = json_object();
    json_object_set_new(m, "type", presse_out_str(type));
    json_object_set_new(m, "canonical", presse_out_str(canon));
    json_object_set_new(m, "surface", presse_out_str(surface));
    json_object_set_new(m, "start", json_integer((json_int_t)s));
    json_object_set_new(m, "end", json_integer((json_int_t)e));
    json_object_set_new(m, "char_start", json_integer((json_int_t)cs));
    json_object_set_new(m, "char_end", json_integer((json_int_t)ce));
    json_array_append_new(ents, m);
  }
  json_object_set_new(d, "entities", ents);
  return dump(d, indent, out);
}

int presse_output_url_encode(const char *s, size_t len, char **out) {
  static const char hex[] = "0123456789ABCDEF";
  presse_buf b = PRESSE_BUF_INIT;
  int rc = presse_buf_reserve(&b, len * 3 + 1);
  for (size_t i = 0; rc == PRESSE_OK && i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c && strchr("-._~", c))) {
      rc = presse_buf_putc(&b, (char)c);
    } else {
      char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
      rc = presse_buf_append(&b, enc, 3);
    }
  }
  if (rc == PRESSE_OK && !b.data) rc = presse_buf_puts(&b, "");
  if (rc != PRESSE_OK) {
    presse_buf_free(&b);
    *out = NULL;
    return PRESSE_ENOMEM;
  }
  *out = presse_buf_detach(&b);
  return PRESSE_OK;
}
