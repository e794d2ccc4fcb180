/* What every format reader shares: the result record and reading dates out of metadata. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "indexer/formats/formats.h"
#include "presse/presse.h"

void presse_extracted_clear(presse_extracted *x) {
  presse_buf_clear(&x->text);
  presse_buf_clear(&x->title);
  presse_buf_clear(&x->issuer_hint);
  presse_buf_clear(&x->err);
  x->date = x->date_fallback = 0;
  x->format = NULL;
  x->encoding = NULL;
  x->ocr_pages = 0;
}

void presse_extracted_free(presse_extracted *x) {
  presse_buf_free(&x->text);
  presse_buf_free(&x->title);
  presse_buf_free(&x->issuer_hint);
  presse_buf_free(&x->err);
}

int presse_extracted_fail(presse_extracted *x, int rc, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  presse_buf_clear(&x->err);
  presse_buf_puts(&x->err, msg);
  return rc;
}

static int valid_ymd(unsigned y, unsigned m, unsigned d) {
  return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

unsigned presse_format_meta_date(const char *s) {
  if (!s) return 0;
  while (*s == ' ' || *s == '\t' || *s == '\n') s++;
  if (s[0] == 'D' && s[1] == ':') s += 2; /* PDF: D:20250130103000+01'00' */
  unsigned y, m, d;
  int n = 0;
  if (sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &n) == 3 && n == 10 && valid_ymd(y, m, d)) return y * 10000 + m * 100 + d;
  if (sscanf(s, "%4u%2u%2u%n", &y, &m, &d, &n) == 3 && n == 8 && valid_ymd(y, m, d)) return y * 10000 + m * 100 + d;
  unsigned ymd;
  if (presse_date_parse(s, strlen(s), &ymd)) return ymd; /* "30.01.2025", "30. Januar 2025" */
  return 0;
}
