/* Text for a terminal or a TSV line. Release text is untrusted: a title may carry ESC sequences
 * that retitle the window or clear the screen, U+202E that reverses what follows, a newline that
 * breaks a TSV row. Every command prints stored text through this. JSON output needs none of it. */
#ifndef PRESSE_TERM_H
#define PRESSE_TERM_H

#include "presse/api.h"

#include <stddef.h>
#include <stdio.h>

#define PRESSE_TERM_TSV 0x01u /* a TSV field: tab, newline, CR and backslash as \t \n \r \\ */

/* Writes n bytes of s to f with every control character shown instead of obeyed: C0 controls,
 * DEL and C1 controls as \xHH (\x1b for ESC), Unicode bidi overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069) and U+200E/U+200F/U+061C as <U+202E>, bytes that are not UTF-8 as \xHH. Tab,
 * newline and CR become a space, or with PRESSE_TERM_TSV the escapes above. Returns 0, or -1 when
 * writing failed. */
PRESSE_API int presse_term_write(FILE *f, const char *s, size_t n, unsigned flags);
/* The same text as a malloc'd NUL-terminated string (free() it); NULL when out of memory. */
PRESSE_API char *presse_term_escape(const char *s, size_t n, unsigned flags);
/* presse_term_write of a NUL-terminated string; NULL writes nothing. */
PRESSE_API int presse_term_puts(FILE *f, const char *s, unsigned flags);

#endif
