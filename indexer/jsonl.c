/* JSON-lines ingest: one release per line, {"id","title","date","text",...}, the format of the
 * corpora in ../shared/data. A bad line is reported and skipped; the stream goes on. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/indexer_internal.h"

static void report(presse_indexer *ix, const char *name, unsigned long line, const char *msg) {
  if (!ix->report) return;
  char what[512];
  snprintf(what, sizeof what, "%s:%lu", name, line);
  ix->report(ix->report_ctx, what, msg);
}

/* A line without an id belongs to no shard: of the processes that read it, the first reports it. */
static void report_unowned(presse_indexer *ix, const char *name, unsigned long line, const char *msg) {
  if (ix->shard == 0) report(ix, name, line, msg);
}

static unsigned record_date(json_t *v) {
  const char *s = json_string_value(v);
  if (!s) return 0;
  size_t n = strlen(s);
  if (n > 10 && s[10] == 'T') n = 10; /* "2021-03-04T10:00:00" */
  unsigned lo, hi;
  return presse_date_parse_span(s, n, &lo, &hi) == PRESSE_OK ? lo : 0;
}

enum { LINE_OK, LINE_EOF, LINE_ERROR, LINE_ABORT };

/* Reads one line into b without its newline, keeping at most max bytes of it (*total says how
 * long it was: longer than max, the rest was skipped). A signal interrupts a blocking read (no SA_RESTART): ix->stop then
 * says to give up, otherwise the read goes on. */
static int read_line(presse_indexer *ix, FILE *f, presse_buf *b, size_t max, size_t *total) {
  presse_buf_clear(b);
  *total = 0;
  for (;;) {
    if (ix->stop) return LINE_ABORT;
    int c = getc_unlocked(f);
    if (c == EOF) {
      if (ferror(f)) {
        if (errno == EINTR) {
          clearerr(f);
          continue;
        }
        return LINE_ERROR;
      }
      return *total || b->len ? LINE_OK : LINE_EOF;
    }
    if (c == '\n') return LINE_OK;
    if (++*total <= max && presse_buf_putc(b, (char)c) != PRESSE_OK) return LINE_ERROR;
  }
}

int presse_indexer_add_jsonl(presse_indexer *ix, FILE *f, const char *name, size_t *bad) {
  presse_buf lb = PRESSE_BUF_INIT;
  unsigned long lineno = 0;
  size_t nbad = 0, total;
  int rc = PRESSE_OK, lr;
  while (rc == PRESSE_OK && (lr = read_line(ix, f, &lb, ix->max_doc_bytes, &total)) == LINE_OK) {
    lineno++;
    if (total > ix->max_doc_bytes) {
      char msg[128];
      snprintf(msg, sizeof msg, "line of %zu bytes is over the limit of %zu bytes (--max-size): skipped", total,
               ix->max_doc_bytes);
      report(ix, name, lineno, msg);
      nbad++;
      continue;
    }
    char *line = lb.data ? lb.data : (char *)"";
    size_t len = lb.len;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
    if (k == len) continue;
    json_error_t jerr;
    json_t *o = json_loadb(line, len, 0, &jerr);
    char msg[600];
    if (!o || !json_is_object(o)) {
      snprintf(msg, sizeof msg, "invalid JSON at column %d: %s", jerr.column, o ? "not an object" : jerr.text);
      report_unowned(ix, name, lineno, msg);
      nbad++;
      json_decref(o);
      continue;
    }
    json_t *jid = json_object_get(o, "id"), *jtext = json_object_get(o, "text");
    char idbuf[64];
    const char *id = json_string_value(jid);
    if (json_is_integer(jid)) {
      snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(jid));
      id = idbuf;
    }
    const char *text = json_string_value(jtext);
    if (!id || !*id || !text) {
      report_unowned(ix, name, lineno, !id || !*id ? "record has no \"id\"" : "record has no \"text\" string");
      nbad++;
      json_decref(o);
      continue;
    }
    if (!presse_indexer_owns(ix, id)) { /* another shard's process indexes it */
      json_decref(o);
      continue;
    }
    presse_record r = {0};
    r.id = id;
    r.title = json_string_value(json_object_get(o, "title"));
    r.text = text;
    r.text_len = json_string_length(jtext);
    r.date = record_date(json_object_get(o, "date"));
    r.format = "jsonl";
    if (memchr(text, '\0', r.text_len)) {
      report(ix, name, lineno, "text contains a NUL character");
      nbad++;
    } else {
      presse_record_meta m = {0};
      m.issuer = json_string_value(json_object_get(o, "issuer")); /* a record may say who published it */
      int r2 = presse_indexer_add_record_meta(ix, &r, &m);
      if (r2 == PRESSE_EDB || r2 == PRESSE_ELOCKED || r2 == PRESSE_ENOMEM) {
        rc = r2;
      } else if (r2 != PRESSE_OK) {
        report(ix, name, lineno, presse_indexer_errmsg(ix));
        nbad++;
      }
    }
    json_decref(o);
  }
  if (rc == PRESSE_OK && lr == LINE_ABORT) rc = presse_indexer_fail(ix, PRESSE_EABORT, "interrupted");
  if (rc == PRESSE_OK && lr == LINE_ERROR)
    rc = presse_indexer_fail(ix, PRESSE_EIO, "read error in %s: %s", name, strerror(errno));
  presse_buf_free(&lb);
  if (bad) *bad = nbad;
  return rc;
}
