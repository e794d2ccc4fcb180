/* Growable byte buffer (see buf.h). Grows by doubling so appends are amortised O(1). */
#include "util/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "presse/presse.h"

int presse_buf_reserve(presse_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return PRESSE_OK;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) {
    if (cap > ((size_t)-1) / 2) return PRESSE_ENOMEM;
    cap *= 2;
  }
  char *p = realloc(b->data, cap);
  if (!p) return PRESSE_ENOMEM;
  b->data = p;
  b->cap = cap;
  return PRESSE_OK;
}

int presse_buf_append(presse_buf *b, const char *s, size_t n) {
  /* s may point into b itself (the analyzer appends a folded segment to the buffer that holds
   * it): keep its offset across the realloc, and memmove, not memcpy. */
  uintptr_t at = (uintptr_t)s, base = (uintptr_t)b->data;
  int own = b->data && at >= base && at < base + b->len;
  size_t off = own ? (size_t)(at - base) : 0;
  if (presse_buf_reserve(b, n) != PRESSE_OK) return PRESSE_ENOMEM;
  if (own) s = b->data + off;
  if (n) memmove(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
  return PRESSE_OK;
}

int presse_buf_puts(presse_buf *b, const char *s) { return presse_buf_append(b, s, strlen(s)); }

int presse_buf_putc(presse_buf *b, char c) {
  if (b->len + 2 > b->cap && presse_buf_reserve(b, 1) != PRESSE_OK) return PRESSE_ENOMEM;
  b->data[b->len++] = c;
  b->data[b->len] = '\0';
  return PRESSE_OK;
}

int presse_buf_printf(presse_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char small[256];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) return PRESSE_EINVAL;
  if ((size_t)n < sizeof small) return presse_buf_append(b, small, (size_t)n);
  if (presse_buf_reserve(b, (size_t)n) != PRESSE_OK) return PRESSE_ENOMEM;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return PRESSE_OK;
}

void presse_buf_clear(presse_buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

void presse_buf_free(presse_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

char *presse_buf_detach(presse_buf *b) {
  char *p = b->data;
  if (!p) p = calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}
