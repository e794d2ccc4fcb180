/* The JSON writer of search results, single hits and whole releases: the one shape that
 * presse-query --json prints and presse-serve's /api/search and /api/doc send. */
#include <stdlib.h>
#include <string.h>

#include "output/output_int.h"
#include "presse/presse.h"

json_t *presse_out_hit_data(const presse_hits *h, size_t i) {
  size_t dl;
  const char *data = presse_hits_data(h, i, &dl);
  json_t *d = json_loadb(data, dl, 0, NULL);
  if (!json_is_object(d)) {
    json_decref(d);
    d = json_object();
  }
  return d;
}

const char *presse_out_str(json_t *d, const char *key) { return json_string_value(json_object_get(d, key)); }

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

json_t *presse_out_entities(json_t *d) {
  json_t *out = json_array(), *seen = json_object();
  size_t i;
  json_t *e;
  json_array_foreach(json_object_get(d, "entities"), i, e) {
    const char *type = presse_out_str(e, "type"), *name = presse_out_str(e, "canonical");
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

static json_t *field(json_t *d, const char *key) {
  json_t *v = json_object_get(d, key);
  return v ? json_incref(v) : json_null();
}

/* The hit object; q may be NULL. */
static json_t *hit_object(presse_analyzer *a, const presse_query *q, const presse_hits *h, size_t i,
                          unsigned long long rank, int all_words, size_t snippet_bytes) {
  json_t *d = presse_out_hit_data(h, i);
  const char *text = presse_out_str(d, "text"), *title = presse_out_str(d, "title");
  presse_snippet sn, tsn;
  int have_sn = text && q && presse_snippet_make(a, q, text, strlen(text), snippet_bytes, &sn) == PRESSE_OK;
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
  json_object_set_new(o, "id", field(d, "id"));
  json_object_set_new(o, "title", field(d, "title"));
  json_object_set_new(o, "title_highlights", presse_out_marks(have_tsn ? &tsn : NULL));
  json_object_set_new(o, "date", field(d, "date"));
  json_object_set_new(o, "path", field(d, "path"));
  json_object_set_new(o, "weight", json_real(presse_hits_weight(h, i)));
  json_object_set_new(o, "all_words", json_boolean(all_words));
  json_object_set_new(o, "collapsed", json_integer((json_int_t)presse_hits_collapsed(h, i)));
  json_object_set_new(o, "snippet", json_string(have_sn ? sn.text : ""));
  json_object_set_new(o, "highlights", presse_out_marks(have_sn ? &sn : NULL));
  json_object_set_new(o, "emails", field(d, "emails"));
  json_object_set_new(o, "phones", field(d, "phones"));
  json_object_set_new(o, "urls", field(d, "urls"));
  json_object_set_new(o, "issuer", field(d, "issuer"));
  json_object_set_new(o, "contacts", field(d, "contacts"));
  json_object_set_new(o, "entities", presse_out_entities(d));
  /* ingest (issue 16): a feed item's link, an attachment's message, pages read by OCR */
  static const char *const extra[] = {"link", "message", "ocr"};
  for (size_t k = 0; k < sizeof extra / sizeof *extra; k++)
    if (json_object_get(d, extra[k])) json_object_set_new(o, extra[k], field(d, extra[k]));
  if (have_sn) presse_snippet_free(&sn);
  if (have_tsn) presse_snippet_free(&tsn);
  json_decref(d);
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
  json_t *d = presse_out_hit_data(h, i);
  const char *text = presse_out_str(d, "text");
  json_object_del(d, "fingerprint");
  size_t k;
  json_t *e;
  json_array_foreach(json_object_get(d, "entities"), k, e) {
    json_int_t s = json_integer_value(json_object_get(e, "start")), t = json_integer_value(json_object_get(e, "end"));
    size_t tl = text ? strlen(text) : 0;
    if (!text || s < 0 || t < s || (size_t)t > tl) continue;
    json_object_set_new(e, "char_start", json_integer((json_int_t)presse_out_char_offset(text, (size_t)s)));
    json_object_set_new(e, "char_end", json_integer((json_int_t)presse_out_char_offset(text, (size_t)t)));
  }
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
