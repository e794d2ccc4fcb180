/* Terminal-safe output of untrusted text (include/presse/term.h). */
#include "presse/term.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "presse/presse.h"
#include "util/buf.h"

/* Length of the valid UTF-8 sequence at s (1..4), 0 if the bytes are not one; *cp its code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp) {
  utf8proc_int32_t v;
  utf8proc_ssize_t len = utf8proc_iterate(s, (utf8proc_ssize_t)n, &v);
  if (len <= 0) return 0;
  *cp = (unsigned)v;
  return (size_t)len;
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
