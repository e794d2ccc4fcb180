/* The CSV writer (RFC 4180) of hits, for presse-serve's /api/export.csv and /api/batch: one line
 * per release, written a page at a time so that an export of every match streams. */
#include <string.h>

#include "output/output_int.h"
#include "presse/presse.h"

/* One field: quoted when it holds a comma, quote or line break; a leading = + - @ (a formula to
 * a spreadsheet) neutralised with an apostrophe when text says the field is text. */
static int put_field(presse_buf *b, const char *s, int text) {
  if (!s) s = "";
  int rc = PRESSE_OK;
  int quote = strpbrk(s, ",\"\r\n") != NULL;
  if (quote) rc = presse_buf_putc(b, '"');
  if (rc == PRESSE_OK && text && strchr("=+-@\t\r", s[0]) && s[0]) rc = presse_buf_putc(b, '\'');
  for (const char *p = s; rc == PRESSE_OK && *p; p++) {
    if (*p == '"') rc = presse_buf_putc(b, '"');
    if (rc == PRESSE_OK) rc = presse_buf_putc(b, *p);
  }
  if (rc == PRESSE_OK && quote) rc = presse_buf_putc(b, '"');
  return rc;
}

int presse_output_csv_header(presse_write_fn fn, void *ctx) {
  static const char head[] = "rank,id,title,date,issuer,persons,organisations,places,path,all_words\r\n";
  return fn(ctx, head, sizeof head - 1) ? PRESSE_EABORT : PRESSE_OK;
}

/* The canonical names of one entity type, joined by "; ". */
static void names_of(json_t *ents, const char *type, presse_buf *out) {
  size_t i;
  json_t *e;
  presse_buf_clear(out);
  json_array_foreach(ents, i, e) {
    if (strcmp(json_string_value(json_object_get(e, "type")), type)) continue;
    if (out->len) presse_buf_puts(out, "; ");
    presse_buf_puts(out, json_string_value(json_object_get(e, "name")));
  }
}

int presse_output_csv_hits(const presse_hits *h, size_t from, size_t nall, unsigned long long rank0,
                           presse_write_fn fn, void *ctx) {
  presse_buf line = PRESSE_BUF_INIT, names = PRESSE_BUF_INIT;
  int rc = PRESSE_OK;
  for (size_t i = from; rc == PRESSE_OK && i < presse_hits_count(h); i++) {
    json_t *ents = presse_out_entities(h, i);
    presse_buf_clear(&line);
    rc = presse_buf_printf(&line, "%llu,", rank0 + (i - from) + 1);
    if (rc == PRESSE_OK) rc = put_field(&line, presse_hits_id(h, i), 1);
    if (rc == PRESSE_OK) rc = presse_buf_putc(&line, ',');
    if (rc == PRESSE_OK) rc = put_field(&line, presse_hits_title(h, i), 1);
    if (rc == PRESSE_OK) rc = presse_buf_putc(&line, ',');
    if (rc == PRESSE_OK) rc = put_field(&line, presse_hits_date(h, i), 0);
    if (rc == PRESSE_OK) rc = presse_buf_putc(&line, ',');
    if (rc == PRESSE_OK) rc = put_field(&line, presse_hits_issuer(h, i), 1);
    static const char *const types[] = {"PER", "ORG", "LOC"};
    for (size_t t = 0; rc == PRESSE_OK && t < 3; t++) {
      names_of(ents, types[t], &names);
      rc = presse_buf_putc(&line, ',');
      if (rc == PRESSE_OK) rc = put_field(&line, names.data, 1);
    }
    if (rc == PRESSE_OK) rc = presse_buf_putc(&line, ',');
    if (rc == PRESSE_OK) rc = put_field(&line, presse_hits_path(h, i), 1);
    if (rc == PRESSE_OK) rc = presse_buf_puts(&line, i < nall ? ",true\r\n" : ",false\r\n");
    json_decref(ents);
    if (rc == PRESSE_OK && fn(ctx, line.data, line.len)) rc = PRESSE_EABORT;
  }
  presse_buf_free(&line);
  presse_buf_free(&names);
  return rc;
}
