/* A growable byte buffer: the one string builder every module uses. */
#ifndef PRESSE_UTIL_BUF_H
#define PRESSE_UTIL_BUF_H

#include <stddef.h>

typedef struct presse_buf {
  char *data; /* always NUL-terminated when non-NULL */
  size_t len, cap;
} presse_buf;

#define PRESSE_BUF_INIT {NULL, 0, 0}

int presse_buf_reserve(presse_buf *b, size_t extra);
/* s may point into b->data itself: the bytes are copied as they were before the call. */
int presse_buf_append(presse_buf *b, const char *s, size_t n);
int presse_buf_puts(presse_buf *b, const char *s);
int presse_buf_putc(presse_buf *b, char c);
int presse_buf_printf(presse_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void presse_buf_clear(presse_buf *b);
void presse_buf_free(presse_buf *b);
/* Hands the data over to the caller (free() it) and leaves b empty. */
char *presse_buf_detach(presse_buf *b);

#endif
