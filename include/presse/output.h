/* Output writers shared by presse-query and presse-serve: one writer per format (JSON, CSV,
 * Atom), so that the command line and the HTTP API never disagree on what a hit looks like.
 * Every writer returns PRESSE_OK or PRESSE_ENOMEM; strings handed back are malloc'd and owned by
 * the caller (free()). */
#ifndef PRESSE_OUTPUT_H
#define PRESSE_OUTPUT_H

#include "presse/api.h"

#include <stddef.h>
#include "presse/analysis.h"
#include "presse/db.h"
#include "presse/query.h"

typedef struct presse_output_opts {
  const char *query;      /* the query as typed, echoed as "query" */
  unsigned offset, limit; /* the page asked for, echoed */
  unsigned facets;        /* non-zero: "facets" {PER, ORG, LOC, ISSUER} and "histogram" */
  const char *suggestion; /* "Meinten Sie: …" query, or NULL */
  int indent;             /* spaces per level; 0 = one line */
  size_t snippet_bytes;   /* 0 = 240 */
  int partial;            /* partial results were allowed (presse_search_opts.partial): "partial" and
                             "failed_shards" are given even when every shard answered */
} presse_output_opts;

/* The result of presse_search as one JSON document:
 *   {"query", "total", "total_exact", "offset", "limit", "total_all_words", "all_words",
 *    "hits": [{"rank", "id", "title", "title_highlights", "date", "path", "weight", "all_words",
 *              "collapsed", "snippet", "highlights": [{"start", "end", "char_start", "char_end"}],
 *              "emails", "phones", "urls", "issuer", "contacts", "entities": [{"type", "name"}]}],
 *    "suggestion", "facets": {"PER": [{"name", "count"}], "ORG", "LOC", "ISSUER"},
 *    "histogram": [{"month": "2025-01", "count"}],
 *    "partial", "failed_shards": ["host:port"]}  (these two when o->partial or shards were down)
 * Highlight offsets are UTF-8 byte offsets and code-point offsets into snippet (or title).
 * *out is NUL-terminated. */
PRESSE_API int presse_output_json(presse_analyzer *a, const presse_result *r, const presse_output_opts *o, char **out);

/* Hit i of h as the JSON object of one hit (the "hits" entry above) without the result's
 * context: rank is i + 1 + rank0, all_words true. q may be NULL (no snippet marks). */
PRESSE_API int presse_output_json_hit(presse_analyzer *a, const presse_query *q, const presse_hits *h, size_t i,
                           unsigned rank0, int indent, char **out);

/* The whole release of hit i (presse_db_get): {"id", "path", "title", "date", "format", "issuer",
 * "contacts", "emails", "phones", "urls", "text", "entities": [{"type", "canonical", "surface",
 * "start", "end", "char_start", "char_end"}]}; entity offsets are UTF-8 byte and code-point
 * offsets into text. */
PRESSE_API int presse_output_doc_json(const presse_hits *h, size_t i, int indent, char **out);

/* Receives output as it is written; a non-zero return stops the writer (PRESSE_EABORT). */
typedef int (*presse_write_fn)(void *ctx, const char *data, size_t len);

/* CSV (RFC 4180, UTF-8, CRLF): the header line, then one line per hit of h from index from on,
 * ranked from rank0 + 1. Columns: rank, id, title, date, issuer, persons, organisations, places,
 * path, all_words. Text that a spreadsheet would run as a formula (= + - @ at the start) gets a
 * leading apostrophe. */
PRESSE_API int presse_output_csv_header(presse_write_fn fn, void *ctx);
PRESSE_API int presse_output_csv_hits(const presse_hits *h, size_t from, size_t nall, unsigned long long rank0,
                           presse_write_fn fn, void *ctx);

/* An Atom feed (RFC 4287) of the hits, in their order: each entry has the release's id as a
 * URL under base_url, its title, the date as updated/published, the issuer as author, the
 * snippet as summary, and a link to the release in the web UI. */
typedef struct presse_atom_opts {
  const char *title;    /* the feed's title */
  const char *base_url; /* "http://127.0.0.1:8080", no trailing slash */
  const char *self;     /* the feed's own path and query ("/feed.atom?q=…"), already URL-encoded */
  const char *alternate;/* the web UI's URL for the same search, already URL-encoded */
} presse_atom_opts;
PRESSE_API int presse_output_atom(presse_analyzer *a, const presse_result *r, const presse_atom_opts *o, char **out);

/* s percent-encoded for a URL component (RFC 3986: unreserved characters kept), as a malloc'd
 * string in *out. */
PRESSE_API int presse_output_url_encode(const char *s, size_t len, char **out);

#endif
