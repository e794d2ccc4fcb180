/* Terminal-safe output of untrusted text (include/presse/term.h). */
#include "presse/term.h"

#include <stdlib.h>
#include <string.h>

#include "presse/presse.h"
#include "util/buf.h"

/* Length of the valid UTF-8 sequence at s (1..4), 0 if the bytes are not one; *cp its code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp) {
  unsigned c = s[0];
  size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (!len || len > n) return 0;
  unsigned v = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  static const unsigned min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

static int is_bidi_control(unsigned cp) {
  return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
         cp == 0x061C;
}

char *presse_term_escape(const char *s, size_t n, unsigned flags) {
  const unsigned char *u = (const unsigned char *)s;
  presse_buf b = PRESSE_BUF_INIT;
  size_t run = 0; /* start of the bytes that pass as they are */
  int rc = presse_buf_reserve(&b, n);
  for (size_t i = 0; i < n && rc == PRESSE_OK;) {
    unsigned cp = 0;
    size_t len = utf8_seq(u + i, n - i, &cp);
    const char *rep = NULL;
    char hex[16];
    if (len == 0) {
      snprintf(hex, sizeof hex, "\\x%02x", u[i]);
      rep = hex;
      len = 1;
    } else if (cp == '\t' || cp == '\n' || cp == '\r') {
      rep = !(flags & PRESSE_TERM_TSV) ? " " : cp == '\t' ? "\\t" : cp == '\n' ? "\\n" : "\\r";
    } else if (cp == '\\' && (flags & PRESSE_TERM_TSV)) {
      rep = "\\\\";
    } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      snprintf(hex, sizeof hex, "\\x%02x", cp);
      rep = hex;
    } else if (is_bidi_control(cp)) {
      snprintf(hex, sizeof hex, "<U+%04X>", cp);
      rep = hex;
    }
    if (rep) {
      rc = presse_buf_append(&b, s + run, i - run);
      if (rc == PRESSE_OK) rc = presse_buf_puts(&b, rep);
      run = i + len;
    }
    i += len;
  }
  if (rc == PRESSE_OK) rc = presse_buf_append(&b, s + run, n - run);
  if (rc != PRESSE_OK) {
    presse_buf_free(&b);
    return NULL;
  }
  return presse_buf_detach(&b);
}

int presse_term_write(FILE *f, const char *s, size_t n, unsigned flags) {
  char *e = presse_term_escape(s, n, flags);
  if (!e) return -1;
  int rc = fputs(e, f) == EOF ? -1 : 0;
  free(e);
  return rc;
}

int presse_term_puts(FILE *f, const char *s, unsigned flags) {
  return s ? presse_term_write(f, s, strlen(s), flags) : 0;
}
