/* German and ISO dates: "30. Januar 2025", "30.01.2025", "30.1.25", "2025-01-30".
 * Used by the tokenizer (dates are single terms) and by metadata extraction and the query's
 * datum: field, so all three agree on what a date is. */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "presse/analysis.h"
#include "presse/presse.h"

static int leap(unsigned y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static unsigned days_in(unsigned y, unsigned m) {
  static const unsigned d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

static int valid(unsigned y, unsigned m, unsigned d) {
  return y >= 1900 && y <= 2199 && m >= 1 && m <= 12 && d >= 1 && d <= days_in(y, m);
}

/* Reads 1..max digits at s[*i]; returns the count read. */
static unsigned digits(const char *s, size_t len, size_t *i, unsigned max, unsigned *val) {
  unsigned n = 0, v = 0;
  while (*i < len && n < max && isdigit((unsigned char)s[*i])) {
    v = v * 10 + (unsigned)(s[*i] - '0');
    (*i)++;
    n++;
  }
  *val = v;
  return n;
}

static int digit_at(const char *s, size_t len, size_t i) {
  return i < len && isdigit((unsigned char)s[i]);
}

/* Month names and common abbreviations, in folded spelling and with umlauts. */
static const struct { const char *name; unsigned month; } months[] = {
  {"januar", 1}, {"jänner", 1}, {"jaenner", 1}, {"jan", 1},
  {"februar", 2}, {"feber", 2}, {"feb", 2},
  {"märz", 3}, {"maerz", 3}, {"marz", 3}, {"mär", 3}, {"mrz", 3},
  {"april", 4}, {"apr", 4},
  {"mai", 5},
  {"juni", 6}, {"jun", 6},
  {"juli", 7}, {"jul", 7},
  {"august", 8}, {"aug", 8},
  {"september", 9}, {"sept", 9}, {"sep", 9},
  {"oktober", 10}, {"okt", 10},
  {"november", 11}, {"nov", 11},
  {"dezember", 12}, {"dez", 12},
};

/* Matches a month name at s[i]; returns its number and advances *i, or 0. */
static unsigned month_name(const char *s, size_t len, size_t *i) {
  for (size_t k = 0; k < sizeof months / sizeof months[0]; k++) {
    size_t n = strlen(months[k].name);
    if (*i + n > len) continue;
    size_t j = 0;
    for (; j < n; j++) {
      unsigned char a = (unsigned char)s[*i + j], b = (unsigned char)months[k].name[j];
      if (a < 0x80) a = (unsigned char)tolower(a);
      /* "Ä" (C3 84) in "MÄRZ" folds to "ä" (C3 A4) */
      if (j > 0 && (unsigned char)s[*i + j - 1] == 0xC3 && a == 0x84) a = 0xA4;
      if (a != b) break;
    }
    if (j < n) continue;
    size_t e = *i + n;
    /* the name must end here: "Mai" must not match "Mainz" */
    if (e < len && (isalpha((unsigned char)s[e]) || (unsigned char)s[e] >= 0x80)) continue;
    if (e < len && s[e] == '.') e++;
    *i = e;
    return months[k].month;
  }
  return 0;
}

static size_t skip_spaces(const char *s, size_t len, size_t i) {
  for (;;) {
    if (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
    else if (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) i += 2;
    else return i;
  }
}

size_t presse_date_parse(const char *s, size_t len, unsigned *ymd) {
  size_t i = 0;
  unsigned a, b, c;
  unsigned na = digits(s, len, &i, 4, &a);
  if (na == 0 || digit_at(s, len, i)) return 0;
  if (na == 4) { /* ISO yyyy-mm-dd */
    if (i + 1 >= len || s[i] != '-') return 0;
    i++;
    if (digits(s, len, &i, 2, &b) != 2 || i >= len || s[i] != '-') return 0;
    i++;
    if (digits(s, len, &i, 2, &c) != 2 || digit_at(s, len, i)) return 0;
    if (!valid(a, b, c)) return 0;
    *ymd = a * 10000 + b * 100 + c;
    return i;
  }
  if (na > 2 || i >= len || s[i] != '.') return 0;
  i++;
  size_t after_dot = i;
  unsigned nb = digits(s, len, &i, 2, &b);
  if (nb > 0) { /* dd.mm.yyyy or dd.mm.yy */
    if (i >= len || s[i] != '.') return 0;
    i++;
    unsigned nc = digits(s, len, &i, 4, &c);
    if ((nc != 4 && nc != 2) || digit_at(s, len, i)) return 0;
    /* "1.2.3.4" is a version or an outline number, not a date */
    if (i + 1 < len && s[i] == '.' && digit_at(s, len, i + 1)) return 0;
    if (nc == 2) c += c < 70 ? 2000 : 1900;
    if (!valid(c, b, a)) return 0;
    *ymd = c * 10000 + b * 100 + a;
    return i;
  }
  /* textual: "30. Januar 2025" */
  i = skip_spaces(s, len, after_dot);
  unsigned m = month_name(s, len, &i);
  if (!m) return 0;
  size_t j = skip_spaces(s, len, i);
  if (j == i) return 0;
  i = j;
  if (digits(s, len, &i, 4, &c) != 4 || digit_at(s, len, i)) return 0;
  if (!valid(c, m, a)) return 0;
  *ymd = c * 10000 + m * 100 + a;
  return i;
}

int presse_date_parse_span(const char *s, size_t len, unsigned *lo, unsigned *hi) {
  unsigned ymd;
  size_t n = presse_date_parse(s, len, &ymd);
  if (n && n == len) {
    *lo = *hi = ymd;
    return PRESSE_OK;
  }
  size_t i = 0;
  unsigned a, b;
  unsigned na = digits(s, len, &i, 4, &a);
  if (na == 4 && i == len && a >= 1900 && a <= 2199) { /* year */
    *lo = a * 10000 + 101;
    *hi = a * 10000 + 1231;
    return PRESSE_OK;
  }
  if (na == 4 && i < len && s[i] == '-') { /* yyyy-mm */
    i++;
    if (digits(s, len, &i, 2, &b) >= 1 && i == len && valid(a, b, 1)) {
      *lo = a * 10000 + b * 100 + 1;
      *hi = a * 10000 + b * 100 + days_in(a, b);
      return PRESSE_OK;
    }
    return PRESSE_EINVAL;
  }
  if ((na == 1 || na == 2) && i < len && s[i] == '.') { /* mm.yyyy */
    i++;
    if (digits(s, len, &i, 4, &b) == 4 && i == len && valid(b, a, 1)) {
      *lo = b * 10000 + a * 100 + 1;
      *hi = b * 10000 + a * 100 + days_in(b, a);
      return PRESSE_OK;
    }
    return PRESSE_EINVAL;
  }
  if (na == 0) { /* "Januar 2025" */
    i = 0;
    unsigned m = month_name(s, len, &i);
    if (m) {
      i = skip_spaces(s, len, i);
      if (digits(s, len, &i, 4, &b) == 4 && i == len && valid(b, m, 1)) {
        *lo = b * 10000 + m * 100 + 1;
        *hi = b * 10000 + m * 100 + days_in(b, m);
        return PRESSE_OK;
      }
    }
  }
  return PRESSE_EINVAL;
}
