/* presse-serve's JSON API: search with facets and a month histogram, one release, similar
 * releases, entities, autocompletion, CSV export (streamed), batch search, Atom feeds, stats,
 * and the token-protected writes. Hits are written by the shared writers of output/, the same
 * that presse-query --json uses. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve/serve.h"

/* A growing string: a memory stream (POSIX open_memstream). */
typedef struct mem {
  FILE *f;
  char *data;
  size_t len;
} mem;
static void mem_open(mem *m) {
  m->data = NULL;
  m->len = 0;
  m->f = open_memstream(&m->data, &m->len);
}
/* The string (malloc'd, the caller frees), or NULL when memory ran out. */
static char *mem_close(mem *m) {
  if (!m->f) return NULL;
  int bad = ferror(m->f);
  fclose(m->f);
  m->f = NULL;
  if (bad) {
    free(m->data);
    m->data = NULL;
  }
  return m->data;
}
static int mem_write(void *ctx, const char *data, size_t len) {
  mem *m = ctx;
  return !m->f || fwrite(data, 1, len, m->f) != len;
}
static void mem_puts(mem *m, const char *s) {
  if (m->f) fputs(s, m->f);
}

/* A non-negative integer argument; def when absent. Queues a 400 and returns -1 when bad. */
static long uint_arg(struct MHD_Connection *c, request *r, const char *name, long def, long max, enum MHD_Result *res) {
  int bad = 0;
  const char *v = serve_arg(c, name, &bad);
  if (!v) return def;
  char *end;
  long n = strtol(v, &end, 10);
  if (bad || !*v || *end || n < 0 || n > max) {
    char msg[128];
    snprintf(msg, sizeof msg, "'%s' must be a number from 0 to %ld", name, max);
    *res = serve_error(c, r, 400, msg);
    return -1;
  }
  return n;
}

/* YYYY, YYYY-MM or YYYY-MM-DD */
static int date_ok(const char *s) {
  size_t n = strlen(s);
  if (n != 4 && n != 7 && n != 10) return 0;
  for (size_t i = 0; i < n; i++) {
    if (i == 4 || i == 7) {
      if (s[i] != '-') return 0;
    } else if (s[i] < '0' || s[i] > '9') return 0;
  }
  return 1;
}

/* What a search request asks for. */
typedef struct sreq {
  char *text; /* q plus the date range as datum:FROM..TO */
  const char *q;
  presse_search_opts so;
} sreq;

/* Parses q, from, to, sort, limit, offset, facets; on a bad argument queues a 400 and returns -1. */
static int parse_search(struct MHD_Connection *c, request *r, worker *w, sreq *out, unsigned def_limit,
                        unsigned max_limit, enum MHD_Result *res) {
  memset(out, 0, sizeof *out);
  int bad = 0;
  const char *q = serve_arg(c, "q", &bad), *from = serve_arg(c, "from", &bad), *to = serve_arg(c, "to", &bad);
  const char *sort = serve_arg(c, "sort", &bad);
  if (bad) {
    *res = serve_error(c, r, 400, "an argument holds a NUL byte or is not valid UTF-8");
    return -1;
  }
  if (!q) q = "";
  if (strlen(q) > SERVE_MAX_QUERY) {
    *res = serve_error(c, r, 400, "the query is longer than 1024 bytes");
    return -1;
  }
  if ((from && *from && !date_ok(from)) || (to && *to && !date_ok(to))) {
    *res = serve_error(c, r, 400, "'from' and 'to' must be dates like 2025, 2025-01 or 2025-01-30");
    return -1;
  }
  long limit = uint_arg(c, r, "limit", def_limit, max_limit, res);
  if (limit < 0) return -1;
  long offset = uint_arg(c, r, "offset", 0, SERVE_MAX_OFFSET, res);
  if (offset < 0) return -1;
  long facets = uint_arg(c, r, "facets", 0, 100, res);
  if (facets < 0) return -1;
  out->so.limit = (unsigned)(limit ? limit : 1);
  out->so.offset = (unsigned)offset;
  out->so.facets = (unsigned)facets;
  if (!sort || !*sort || !strcmp(sort, "relevance")) out->so.sort = PRESSE_SORT_RELEVANCE;
  else if (!strcmp(sort, "date")) out->so.sort = PRESSE_SORT_DATE;
  else if (!strcmp(sort, "date-asc")) out->so.sort = PRESSE_SORT_DATE_ASC;
  else {
    *res = serve_error(c, r, 400, "'sort' must be relevance, date or date-asc");
    return -1;
  }
  size_t tl = strlen(q) + 64;
  out->text = malloc(tl);
  if (!out->text) {
    *res = serve_error(c, r, 500, "out of memory");
    return -1;
  }
  int has_from = from && *from, has_to = to && *to;
  snprintf(out->text, tl, "%s%s%s%s%s%s", q, has_from || has_to ? " datum:" : "", has_from ? from : "",
           has_from || has_to ? ".." : "", has_to ? to : "", "");
  out->q = q;
  /* the parser's verdict, with its position, before any search */
  presse_query *pq = NULL;
  int rc = presse_query_parse(&pq, w->an, out->text);
  if (rc == PRESSE_EQUERY) {
    char msg[512];
    snprintf(msg, sizeof msg, "malformed query: %s", presse_query_errmsg(pq));
    *res = serve_error_at(c, r, 400, msg, (long)presse_query_errpos(pq));
  } else if (rc != PRESSE_OK) {
    *res = serve_error(c, r, 500, presse_strerror(rc));
  } else if (!presse_query_tree(pq)) {
    *res = serve_error(c, r, 400, "the query has no words to search for");
    rc = PRESSE_EQUERY;
  } else if (presse_query_nhighlight(pq) > SERVE_MAX_QUERY_TERMS) {
    *res = serve_error(c, r, 400, "the query has more than 64 words");
    rc = PRESSE_EQUERY;
  } else if (presse_query_nhighlight(pq) == 0 && (!sort || !*sort)) {
    out->so.sort = PRESSE_SORT_DATE; /* filters only: nothing to rank by, newest first */
  }
  presse_query_free(pq);
  if (rc != PRESSE_OK) {
    free(out->text);
    out->text = NULL;
    return -1;
  }
  return 0;
}

/* presse_search on the worker's handle (libpresse retries when a commit replaced what it read). */
static int run_search(server *s, worker *w, const char *text, const presse_search_opts *so, presse_result *res) {
  (void)s;
  return presse_search(w->db, w->an, text, so, res);
}

static enum MHD_Result search_failed(struct MHD_Connection *c, request *r, worker *w, int rc) {
  if (rc == PRESSE_EDB) {
    fprintf(stderr, "presse-serve: search failed: %s\n", presse_db_errmsg(w->db));
    return serve_error(c, r, 503, "the database is busy; try again");
  }
  return serve_error(c, r, 500, presse_strerror(rc));
}

/* Parses the request and searches; a feed is newest first and without facets. On failure the
 * error response is queued in *res and -1 returned; else the caller frees sr->text and *pr. */
static int search_request(server *s, struct MHD_Connection *c, request *r, worker *w, unsigned def_limit, int feed,
                          sreq *sr, presse_result *pr, enum MHD_Result *res) {
  if (parse_search(c, r, w, sr, def_limit, SERVE_MAX_LIMIT, res)) return -1;
  if (feed) {
    sr->so.sort = PRESSE_SORT_DATE;
    sr->so.facets = 0;
  }
  int rc = run_search(s, w, sr->text, &sr->so, pr);
  if (rc == PRESSE_OK) return 0;
  *res = search_failed(c, r, w, rc);
  presse_result_free(pr);
  free(sr->text);
  return -1;
}

static enum MHD_Result api_search(server *s, struct MHD_Connection *c, request *r, worker *w) {
  sreq sr;
  presse_result pr;
  enum MHD_Result res = MHD_NO;
  if (search_request(s, c, r, w, 10, 0, &sr, &pr, &res)) return res;
  char *sugg = NULL, *js = NULL;
  if (pr.total_all == 0 && pr.query) presse_suggest(w->db, w->an, pr.query, sr.text, &sugg);
  presse_output_opts oo = {.query = sr.q, .offset = sr.so.offset, .limit = sr.so.limit, .facets = sr.so.facets,
                           .suggestion = sugg};
  presse_output_json(w->an, &pr, &oo, &js);
  res = serve_json(c, r, 200, js);
  free(sugg);
  presse_result_free(&pr);
  free(sr.text);
  return res;
}

static enum MHD_Result api_doc(struct MHD_Connection *c, request *r, worker *w, const char *id, int similar) {
  if (!*id) return serve_error(c, r, 400, "no release id in the URL");
  if (!serve_utf8_valid(id, strlen(id))) return serve_error(c, r, 400, "the release id is not valid UTF-8");
  presse_hits *h = NULL;
  enum MHD_Result res;
  int rc;
  if (!similar) {
    rc = presse_db_get(w->db, id, &h);
    char *js = NULL;
    if (rc == PRESSE_OK) presse_output_doc_json(h, 0, 0, &js);
    res = rc == PRESSE_OK ? serve_json(c, r, 200, js)
          : rc == PRESSE_ENOTFOUND ? serve_error(c, r, 404, "no release with this id")
                                   : search_failed(c, r, w, rc);
  } else {
    enum MHD_Result bad = MHD_NO;
    long limit = uint_arg(c, r, "limit", 5, 50, &bad);
    if (limit < 0) return bad;
    rc = presse_db_similar(w->db, id, (unsigned)limit, &h);
    if (rc == PRESSE_OK) {
      mem b;
      mem_open(&b);
      json_t *jid = json_string(id);
      char *ids = json_dumps(jid, JSON_ENCODE_ANY);
      json_decref(jid);
      mem_puts(&b, "{\"id\":");
      mem_puts(&b, ids ? ids : "null");
      mem_puts(&b, ",\"hits\":[");
      free(ids);
      for (size_t i = 0; i < presse_hits_count(h); i++) {
        char *hj = NULL;
        if (presse_output_json_hit(w->an, NULL, h, i, 0, 0, &hj) == PRESSE_OK) {
          if (i) mem_puts(&b, ",");
          mem_puts(&b, hj);
        }
        free(hj);
      }
      mem_puts(&b, "]}");
      res = serve_json(c, r, 200, mem_close(&b));
    } else {
      res = rc == PRESSE_ENOTFOUND ? serve_error(c, r, 404, "no release with this id") : search_failed(c, r, w, rc);
    }
  }
  presse_hits_free(h);
  return res;
}

/* Entity names over the whole index, optionally of one type and with a word starting with a
 * prefix (folded: "kuh" finds "Alexander Kühner"), most frequent first. */
static json_t *entity_list(worker *w, const char *type, const char *prefix, size_t limit, int *rc) {
  presse_qnode all = {.op = PRESSE_Q_MATCH_ALL};
  presse_search_opts so = {.limit = 1, .facets = 100000};
  presse_hits *h = NULL;
  json_t *arr = json_array();
  *rc = presse_db_search(w->db, &all, &so, &h);
  char fp[256] = "";
  int fpl = prefix && *prefix ? presse_analyzer_fold(w->an, prefix, strlen(prefix), fp, sizeof fp) : 0;
  if (fpl < 0) fpl = 0;
  /* collected per type in count order, then merged by count */
  json_t *found = json_array();
  for (size_t i = 0; *rc == PRESSE_OK && i < presse_hits_nfacets(h); i++) {
    const char *t;
    unsigned long long n;
    const char *name = presse_hits_facet(h, i, &t, &n);
    if (type && *type && strcmp(type, t)) continue;
    if (fpl) {
      char fn[1024];
      int fl = presse_analyzer_fold(w->an, name, strlen(name), fn, sizeof fn);
      if (fl <= 0) continue;
      int hit = 0;
      for (int k = 0; k + fpl <= fl && !hit; k++)
        if ((k == 0 || fn[k - 1] == ' ' || fn[k - 1] == '-') && !memcmp(fn + k, fp, (size_t)fpl)) hit = 1;
      if (!hit) continue;
    }
    json_array_append_new(found, json_pack("{s:s,s:s,s:I}", "type", t, "name", name, "count", (json_int_t)n));
  }
  /* most documents first across the types (each type's list is sorted already) */
  size_t nf = json_array_size(found);
  json_t **items = malloc((nf ? nf : 1) * sizeof *items);
  for (size_t i = 0; items && i < nf; i++) items[i] = json_array_get(found, i);
  for (size_t i = 1; items && i < nf; i++) {
    json_t *x = items[i];
    json_int_t xc = json_integer_value(json_object_get(x, "count"));
    size_t j = i;
    while (j > 0 && json_integer_value(json_object_get(items[j - 1], "count")) < xc) {
      items[j] = items[j - 1];
      j--;
    }
    items[j] = x;
  }
  for (size_t i = 0; items && i < nf && i < limit; i++) json_array_append(arr, items[i]);
  free(items);
  json_decref(found);
  presse_hits_free(h);
  return arr;
}

static enum MHD_Result api_entities(struct MHD_Connection *c, request *r, worker *w) {
  int bad = 0;
  const char *type = serve_arg(c, "type", &bad), *prefix = serve_arg(c, "prefix", &bad);
  if (bad) return serve_error(c, r, 400, "an argument holds a NUL byte or is not valid UTF-8");
  if (type && *type && strcmp(type, "PER") && strcmp(type, "ORG") && strcmp(type, "LOC") && strcmp(type, "ISSUER"))
    return serve_error(c, r, 400, "'type' must be PER, ORG, LOC or ISSUER");
  if (prefix && strlen(prefix) > 200) return serve_error(c, r, 400, "the prefix is longer than 200 bytes");
  enum MHD_Result res = MHD_NO;
  long limit = uint_arg(c, r, "limit", 20, 1000, &res);
  if (limit < 0) return res;
  int rc;
  json_t *arr = entity_list(w, type, prefix, (size_t)limit, &rc);
  if (rc != PRESSE_OK) {
    json_decref(arr);
    return search_failed(c, r, w, rc);
  }
  json_t *o = json_pack("{s:o}", "entities", arr);
  char *js = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  return serve_json(c, r, 200, js);
}

/* Completions of the last word of q: entity names with a word that starts with it, then the
 * index's words that start with it, most frequent first. */
typedef struct word_ctx {
  json_t *words; /* [[term, freq]] */
} word_ctx;
static int on_word(void *vctx, const char *t, size_t n, unsigned long long freq) {
  word_ctx *wc = vctx;
  json_array_append_new(wc->words, json_pack("[s%,I]", t, n, (json_int_t)freq));
  return json_array_size(wc->words) >= 5000; /* enough for a prefix of two letters */
}

static enum MHD_Result api_suggest(struct MHD_Connection *c, request *r, worker *w) {
  int bad = 0;
  const char *q = serve_arg(c, "q", &bad);
  if (bad) return serve_error(c, r, 400, "an argument holds a NUL byte or is not valid UTF-8");
  if (!q) q = "";
  if (strlen(q) > SERVE_MAX_QUERY) return serve_error(c, r, 400, "the query is longer than 1024 bytes");
  const char *last = q + strlen(q);
  while (last > q && last[-1] != ' ' && last[-1] != '"' && last[-1] != ':' && last[-1] != '(') last--;
  json_t *out = json_array();
  int rc = PRESSE_OK;
  if (strlen(last) >= 2) {
    json_t *ents = entity_list(w, NULL, last, 5, &rc);
    size_t i;
    json_t *e;
    json_array_foreach(ents, i, e) json_array_append_new(
        out, json_pack("{s:s,s:O,s:O}", "kind", "entity", "text", json_object_get(e, "name"), "type",
                       json_object_get(e, "type")));
    json_decref(ents);
    char fp[256];
    int fl = presse_analyzer_fold(w->an, last, strlen(last), fp, sizeof fp);
    if (fl > 0 && rc == PRESSE_OK) {
      fp[fl] = '\0';
      word_ctx wc = {json_array()};
      presse_db_terms(w->db, fp, on_word, &wc);
      /* the five most frequent */
      for (int k = 0; k < 5; k++) {
        size_t best = (size_t)-1;
        json_int_t bf = -1;
        json_array_foreach(wc.words, i, e) {
          json_int_t f = json_integer_value(json_array_get(e, 1));
          if (f > bf) bf = f, best = i;
        }
        if (best == (size_t)-1) break;
        json_t *x = json_array_get(wc.words, best);
        json_array_append_new(out, json_pack("{s:s,s:O,s:O}", "kind", "word", "text", json_array_get(x, 0), "count",
                                             json_array_get(x, 1)));
        json_array_remove(wc.words, best);
      }
      json_decref(wc.words);
    }
  }
  if (rc != PRESSE_OK) {
    json_decref(out);
    return search_failed(c, r, w, rc);
  }
  json_t *o = json_pack("{s:s,s:s,s:o}", "query", q, "prefix", last, "suggestions", out);
  char *js = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  return serve_json(c, r, 200, js);
}

/* The CSV export streams: the next page of matches is fetched when MHD wants more bytes. The
 * callback runs on the thread that owns the connection, so the worker's handle is its own. */
typedef struct export_state {
  server *s;
  worker *w;
  char *text;
  presse_search_opts so;
  unsigned long long done;
  char *buf; /* the page being sent */
  size_t len, at;
  int finished;
} export_state;

static ssize_t export_more(void *cls, uint64_t pos, char *out, size_t max) {
  (void)pos;
  export_state *e = cls;
  while (e->at >= e->len) {
    if (e->finished) return MHD_CONTENT_READER_END_OF_STREAM;
    free(e->buf);
    e->buf = NULL;
    e->len = e->at = 0;
    mem m;
    mem_open(&m);
    if (e->done == 0) presse_output_csv_header(mem_write, &m);
    presse_result pr;
    e->so.offset = (unsigned)e->done;
    e->so.limit = 200;
    int rc = run_search(e->s, e->w, e->text, &e->so, &pr);
    size_t n = rc == PRESSE_OK ? presse_hits_count(pr.hits) : 0;
    if (rc == PRESSE_OK && presse_output_csv_hits(pr.hits, 0, pr.nall, e->done, mem_write, &m) != PRESSE_OK) rc = PRESSE_ENOMEM;
    presse_result_free(&pr);
    e->buf = mem_close(&m);
    if (rc != PRESSE_OK || !e->buf) return MHD_CONTENT_READER_END_WITH_ERROR;
    e->len = m.len;
    e->done += n;
    if (n < e->so.limit || e->done >= SERVE_MAX_EXPORT) e->finished = 1;
  }
  size_t n = e->len - e->at;
  if (n > max) n = max;
  memcpy(out, e->buf + e->at, n);
  e->at += n;
  return (ssize_t)n;
}

static void export_free(void *cls) {
  export_state *e = cls;
  free(e->text);
  free(e->buf);
  free(e);
}

static enum MHD_Result api_export(server *s, struct MHD_Connection *c, request *r, worker *w) {
  sreq sr;
  enum MHD_Result res = MHD_NO;
  if (parse_search(c, r, w, &sr, 10, SERVE_MAX_LIMIT, &res)) return res;
  export_state *e = calloc(1, sizeof *e);
  if (!e) {
    free(sr.text);
    return serve_error(c, r, 500, "out of memory");
  }
  e->s = s;
  e->w = w;
  e->text = sr.text;
  e->so = sr.so;
  e->so.facets = 0;
  struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, export_more, e, export_free);
  if (!resp) {
    export_free(e);
    return MHD_NO;
  }
  serve_headers(resp, "text/csv; charset=utf-8");
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, "attachment; filename=\"presse-export.csv\"");
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  return serve_queue(c, r, 200, resp);
}

static enum MHD_Result api_feed(server *s, struct MHD_Connection *c, request *r, worker *w) {
  sreq sr;
  presse_result pr;
  enum MHD_Result res = MHD_NO;
  if (search_request(s, c, r, w, 50, 1, &sr, &pr, &res)) return res;
  char *enc = NULL, *atom = NULL;
  presse_output_url_encode(sr.q, strlen(sr.q), &enc);
  size_t n = (enc ? strlen(enc) : 0) + 32;
  char *self = malloc(n), *alt = malloc(n);
  char title[1200];
  snprintf(title, sizeof title, "presse: %s", sr.q);
  if (self && alt && enc) {
    snprintf(self, n, "/feed.atom?q=%s", enc);
    snprintf(alt, n, "/?q=%s&sort=date", enc);
    presse_atom_opts ao = {.title = title, .base_url = s->base_url, .self = self, .alternate = alt};
    presse_output_atom(w->an, &pr, &ao, &atom);
  }
  res = atom ? serve_bytes(c, r, 200, "application/atom+xml; charset=utf-8", atom, strlen(atom), 0)
             : serve_error(c, r, 500, "out of memory");
  free(enc);
  free(self);
  free(alt);
  presse_result_free(&pr);
  free(sr.text);
  return res;
}

static enum MHD_Result api_stats(struct MHD_Connection *c, request *r, worker *w) {
  presse_db_stats st;
  int rc = presse_db_stats_get(w->db, &st);
  if (rc != PRESSE_OK) return search_failed(c, r, w, rc);
  char first[16] = "", last[16] = "";
  if (st.first_date)
    snprintf(first, sizeof first, "%04u-%02u-%02u", st.first_date / 10000, st.first_date / 100 % 100, st.first_date % 100);
  if (st.last_date)
    snprintf(last, sizeof last, "%04u-%02u-%02u", st.last_date / 10000, st.last_date / 100 % 100, st.last_date % 100);
  json_t *o = json_pack("{s:I,s:I,s:I,s:f,s:s?,s:s?,s:I,s:I,s:s}", "documents", (json_int_t)st.docs, "terms",
                        (json_int_t)st.terms, "positions", (json_int_t)st.positions, "avg_length", st.avg_length,
                        "first_date", st.first_date ? first : NULL, "last_date", st.last_date ? last : NULL,
                        "disk_bytes", (json_int_t)st.disk_bytes, "duplicates", (json_int_t)st.duplicates, "version",
                        PRESSE_VERSION);
  char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  return serve_json(c, r, 200, js);
}

/* POST /api/batch: one query a line (CSV: the first field; JSON: a string or {"q": …} per line,
 * or one JSON array of them); per query its total and top hits, as JSON or (format=csv) CSV. */
typedef struct batch_csv {
  FILE *b;
  const char *query;
  unsigned long long total;
} batch_csv;
static int batch_line(void *ctx, const char *data, size_t len) {
  batch_csv *bc = ctx;
  /* the query as a CSV field: quoted, quotes doubled */
  fputc('"', bc->b);
  for (const char *p = bc->query; *p; p++) {
    if (*p == '"') fputc('"', bc->b);
    if (*p != '\r' && *p != '\n') fputc(*p, bc->b);
  }
  fprintf(bc->b, "\",%llu,", bc->total);
  return fwrite(data, 1, len, bc->b) != len;
}

/* The first field of a CSV line, unquoted (malloc'd). */
static char *csv_first_field(const char *line, size_t n) {
  char *out = malloc(n + 1);
  size_t o = 0;
  if (!out) return NULL;
  if (n && line[0] == '"') {
    for (size_t i = 1; i < n; i++) {
      if (line[i] == '"') {
        if (i + 1 < n && line[i + 1] == '"') out[o++] = line[i++];
        else break;
      } else out[o++] = line[i];
    }
  } else {
    while (o < n && line[o] != ',') {
      out[o] = line[o];
      o++;
    }
  }
  out[o] = '\0';
  return out;
}

static enum MHD_Result api_batch(server *s, struct MHD_Connection *c, request *r, worker *w) {
  int bad = 0;
  const char *format = serve_arg(c, "format", &bad);
  enum MHD_Result res = MHD_NO;
  long limit = uint_arg(c, r, "limit", 3, 20, &res);
  if (limit < 0) return res;
  int csv = format && !strcmp(format, "csv");
  if (format && !csv && strcmp(format, "json")) return serve_error(c, r, 400, "'format' must be json or csv");
  const char *body = r->body ? r->body : "";
  if (!serve_utf8_valid(body, r->body_len)) return serve_error(c, r, 400, "the request body is not valid UTF-8");
  const char *ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  int is_json = ctype && strstr(ctype, "json");
  json_t *queries = json_array();
  if (is_json) {
    json_error_t je;
    json_t *all = json_loadb(body, r->body_len, JSON_DECODE_ANY, &je);
    json_t *list = json_is_array(all) ? json_incref(all) : NULL;
    if (!list) { /* JSON lines */
      list = json_array();
      const char *p = body;
      while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n && !(n == 1 && p[0] == '\r')) {
          json_t *x = json_loadb(p, n, JSON_DECODE_ANY, &je);
          if (!x) {
            json_decref(all);
            json_decref(list);
            json_decref(queries);
            char msg[300];
            snprintf(msg, sizeof msg, "line %d of the body is not JSON: %s", je.line, je.text);
            return serve_error(c, r, 400, msg);
          }
          json_array_append_new(list, x);
        }
        if (!e) break;
        p = e + 1;
      }
    }
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x) {
      const char *q = json_is_string(x) ? json_string_value(x) : json_string_value(json_object_get(x, "q"));
      if (!q) {
        json_decref(all);
        json_decref(list);
        json_decref(queries);
        return serve_error(c, r, 400, "each query must be a string or an object with \"q\"");
      }
      json_array_append_new(queries, json_string(q));
    }
    json_decref(all);
    json_decref(list);
  } else {
    const char *p = body;
    while (*p) {
      const char *e = strchr(p, '\n');
      size_t n = e ? (size_t)(e - p) : strlen(p);
      if (n && p[n - 1] == '\r') n--;
      char *f = csv_first_field(p, n);
      if (f && *f) json_array_append_new(queries, json_string(f));
      free(f);
      if (!e) break;
      p = e + 1;
    }
  }
  if (json_array_size(queries) > SERVE_MAX_BATCH_QUERIES) {
    json_decref(queries);
    return serve_error(c, r, 400, "more than 1000 queries in one batch");
  }
  mem b;
  mem_open(&b);
  mem_puts(&b, csv ? "query,total," : "{\"results\":[");
  if (csv) presse_output_csv_header(mem_write, &b);
  size_t i;
  json_t *x;
  json_array_foreach(queries, i, x) {
    const char *q = json_string_value(x);
    presse_search_opts so = {.limit = (unsigned)(limit ? limit : 1)};
    presse_result pr;
    int rc = strlen(q) > SERVE_MAX_QUERY ? PRESSE_ETOOBIG : run_search(s, w, q, &so, &pr);
    unsigned long long total = rc == PRESSE_OK ? pr.total_all + pr.total_some : 0;
    if (csv) {
      batch_csv bc = {b.f, q, total};
      if (rc == PRESSE_OK && presse_hits_count(pr.hits)) presse_output_csv_hits(pr.hits, 0, pr.nall, 0, batch_line, &bc);
      else batch_line(&bc, ",,,,,,,,,\r\n", 11);
    } else {
      if (i) mem_puts(&b, ",");
      json_t *o = json_pack("{s:s,s:I}", "query", q, "total", (json_int_t)total);
      if (rc != PRESSE_OK) {
        json_object_set_new(o, "error", json_string(rc == PRESSE_EQUERY && pr.query ? presse_query_errmsg(pr.query)
                                                    : rc == PRESSE_ETOOBIG ? "the query is longer than 1024 bytes"
                                                                           : presse_strerror(rc)));
        if (rc == PRESSE_EQUERY && pr.query)
          json_object_set_new(o, "position", json_integer((json_int_t)presse_query_errpos(pr.query)));
      }
      char *head = json_dumps(o, JSON_COMPACT);
      json_decref(o);
      if (head) {
        head[strlen(head) - 1] = '\0'; /* the hits go inside */
        mem_puts(&b, head);
        mem_puts(&b, ",\"hits\":[");
        free(head);
      }
      for (size_t k = 0; rc == PRESSE_OK && k < presse_hits_count(pr.hits); k++) {
        char *hj = NULL;
        presse_output_json_hit(w->an, pr.query, pr.hits, k, 0, 0, &hj);
        if (hj) {
          if (k) mem_puts(&b, ",");
          mem_puts(&b, hj);
        }
        free(hj);
      }
      mem_puts(&b, "]}");
    }
    if (rc != PRESSE_ETOOBIG) presse_result_free(&pr);
  }
  json_decref(queries);
  if (!csv) mem_puts(&b, "]}");
  char *out = b.f ? mem_close(&b) : NULL;
  if (!out) return serve_error(c, r, 500, "out of memory");
  return csv ? serve_bytes(c, r, 200, "text/csv; charset=utf-8", out, b.len, 0) : serve_json(c, r, 200, out);
}

static void report_cb(void *ctx, const char *what, const char *msg) {
  mem *m = ctx;
  if (!m->f) return;
  fflush(m->f);
  fprintf(m->f, "%s%s: %s", m->len ? "; " : "", what, msg);
}

/* POST /api/documents: a JSON record ({"id","title","date","text","issuer"}, as presse-index
 * --jsonl reads), or a file of any format presse-index reads as the body (?name=release.pdf;
 * ?id= sets its id, else the name). DELETE /api/documents/ID. */
static enum MHD_Result api_write(server *s, struct MHD_Connection *c, request *r, const char *url, const char *method) {
  enum MHD_Result res;
  pthread_mutex_lock(&s->wmu);
  if (!strcmp(method, "DELETE")) {
    const char *id = url + strlen("/api/documents/");
    int rc = *id ? presse_db_remove(s->wdb, id) : PRESSE_EINVAL;
    if (rc == PRESSE_OK) rc = presse_db_commit(s->wdb);
    if (rc == PRESSE_OK) {
      json_t *o = json_pack("{s:s,s:b}", "id", id, "deleted", 1);
      char *js = json_dumps(o, JSON_COMPACT);
      json_decref(o);
      res = serve_json(c, r, 200, js);
    } else {
      res = rc == PRESSE_ENOTFOUND ? serve_error(c, r, 404, "no release with this id")
            : rc == PRESSE_EINVAL  ? serve_error(c, r, 400, "no release id in the URL")
                                   : serve_error(c, r, 500, presse_db_errmsg(s->wdb));
    }
    pthread_mutex_unlock(&s->wmu);
    return res;
  }
  int bad = 0;
  const char *name = serve_arg(c, "name", &bad), *id = serve_arg(c, "id", &bad);
  const char *ctype = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
  mem problems;
  mem_open(&problems);
  presse_indexer_set_report(s->ix, report_cb, &problems);
  int rc;
  if (bad) {
    rc = PRESSE_EINVAL;
    mem_puts(&problems, "an argument holds a NUL byte or is not valid UTF-8");
  } else if (!r->body_len) {
    rc = PRESSE_EINVAL;
    mem_puts(&problems, "the request has no body");
  } else if (!name && ctype && strstr(ctype, "json")) {
    FILE *f = fmemopen(r->body, r->body_len, "r");
    size_t nbad = 0;
    rc = f ? presse_indexer_add_jsonl(s->ix, f, "request body", &nbad) : PRESSE_ENOMEM;
    if (f) fclose(f);
    if (rc == PRESSE_OK && nbad) rc = PRESSE_EFORMAT;
  } else {
    if (!name) name = id ? id : "upload";
    rc = presse_indexer_add_buffer(s->ix, id ? id : name, name, r->body, r->body_len, PRESSE_FMT_AUTO);
    if (rc != PRESSE_OK && rc != PRESSE_EDB && rc != PRESSE_ELOCKED) report_cb(&problems, name, presse_indexer_errmsg(s->ix));
  }
  if (rc == PRESSE_OK) rc = presse_indexer_commit(s->ix);
  presse_indexer_set_report(s->ix, NULL, NULL);
  char *why = mem_close(&problems);
  if (rc == PRESSE_OK) {
    presse_ingest_info info;
    presse_indexer_last_info(s->ix, &info);
    char date[16] = "";
    if (info.date) snprintf(date, sizeof date, "%04u-%02u-%02u", info.date / 10000, info.date / 100 % 100, info.date % 100);
    json_t *o = json_pack("{s:s?,s:s?,s:s?,s:s?}", "title", info.title, "date", info.date ? date : NULL, "issuer",
                          info.issuer && *info.issuer ? info.issuer : NULL, "format", info.format);
    char *js = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    res = serve_json(c, r, 201, js);
  } else if (rc == PRESSE_EDB || rc == PRESSE_ELOCKED || rc == PRESSE_ENOMEM) {
    res = serve_error(c, r, 500, presse_indexer_errmsg(s->ix));
  } else {
    res = serve_error(c, r, rc == PRESSE_ETOOBIG ? 413 : 400, why && *why ? why : presse_strerror(rc));
  }
  free(why);
  pthread_mutex_unlock(&s->wmu);
  return res;
}

enum MHD_Result serve_api(server *s, struct MHD_Connection *c, request *r, const char *url, const char *method) {
  int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
  if (!strcmp(url, "/api/documents") || !strncmp(url, "/api/documents/", 15)) {
    if ((!strcmp(url, "/api/documents") && strcmp(method, "POST")) ||
        (strcmp(url, "/api/documents") && strcmp(method, "DELETE")))
      return serve_error(c, r, 405, "POST /api/documents or DELETE /api/documents/ID");
    return api_write(s, c, r, url, method);
  }
  int post_ok = !strcmp(url, "/api/batch");
  if (post_ok ? strcmp(method, "POST") : !get) return serve_error(c, r, 405, "method not allowed");
  if (!strcmp(url, "/healthz")) return serve_bytes(c, r, 200, "application/json", "{\"status\":\"ok\"}", 15, 2);
  int status;
  const char *msg;
  worker *w = serve_worker(s, &status, &msg);
  if (!w) return serve_error(c, r, 503, msg);
  if (!strcmp(url, "/api/search")) return api_search(s, c, r, w);
  if (!strncmp(url, "/api/doc/", 9)) return api_doc(c, r, w, url + 9, 0);
  if (!strncmp(url, "/api/similar/", 13)) return api_doc(c, r, w, url + 13, 1);
  if (!strcmp(url, "/api/entities")) return api_entities(c, r, w);
  if (!strcmp(url, "/api/suggest")) return api_suggest(c, r, w);
  if (!strcmp(url, "/api/export.csv")) return api_export(s, c, r, w);
  if (!strcmp(url, "/api/batch")) return api_batch(s, c, r, w);
  if (!strcmp(url, "/feed.atom")) return api_feed(s, c, r, w);
  if (!strcmp(url, "/api/stats")) return api_stats(c, r, w);
  return MHD_NO;
}
