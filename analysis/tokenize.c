/* The German tokenizer (see tokenize.h). It works on the original bytes so every token keeps
 * its exact byte span for highlighting; folding happens later, in analyzer.c. */
#include "analysis/tokenize.h"

#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <utf8proc.h>

/* Decodes the code point at s[i]; invalid bytes decode as -1 with length 1 (a separator). */
static size_t dec(const char *s, size_t len, size_t i, int32_t *cp) {
  unsigned char c = (unsigned char)s[i];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  utf8proc_int32_t v;
  utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &v);
  if (n <= 0) {
    *cp = -1;
    return 1;
  }
  *cp = v;
  return (size_t)n;
}

/* Characters that vanish inside a word: soft hyphen, zero-width space/joiners, word joiner, BOM. */
static int ignorable(int32_t cp) {
  return cp == 0xAD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF;
}

static int is_letter(int32_t cp) {
  if (cp < 0x80) return cp >= 0 && isalpha(cp);
  utf8proc_category_t c = utf8proc_category(cp);
  return c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME; /* letters and marks */
}

static int is_wordch(int32_t cp) {
  if (cp < 0x80) return cp >= 0 && isalnum(cp);
  utf8proc_category_t c = utf8proc_category(cp);
  return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) || c == UTF8PROC_CATEGORY_ND ||
         ignorable(cp);
}

static int is_lower(int32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

static int wordch_at(const char *s, size_t len, size_t i) {
  if (i >= len) return 0;
  int32_t cp;
  dec(s, len, i, &cp);
  return is_wordch(cp);
}

static int digit_at(const char *s, size_t len, size_t i) { return i < len && isdigit((unsigned char)s[i]); }

static int ieq(const char *s, size_t len, size_t i, const char *lit) {
  size_t n = strlen(lit);
  if (i + n > len) return 0;
  for (size_t k = 0; k < n; k++)
    if (tolower((unsigned char)s[i + k]) != lit[k]) return 0;
  return 1;
}

/* ---- URLs and e-mail addresses ---- */

/* Top-level domains a bare domain may end in ("hagen.de", "berlin.de/polizei"): the ones German
 * releases name; a longer list would turn "Berlin.Die" (a missing space) into an address. */
static const char *const bare_tlds[] = {"de", "com", "org", "net", "eu", "info", "berlin", "at", "ch", "nrw", "ruhr"};

/* A bare domain at s[i]: labels of letters, digits and inner hyphens joined by dots, the last a
 * known top-level domain, not followed by a word character or '@'. Returns the length of the
 * domain (not of a path after it), or 0. */
static size_t scan_bare_domain(const char *s, size_t len, size_t i) {
  size_t j = i, last = i;
  int labels = 0;
  for (;;) {
    size_t k = j;
    while (k < len && (isalnum((unsigned char)s[k]) || (s[k] == '-' && k > j))) k++;
    if (k == j || s[k - 1] == '-') return 0;
    labels++;
    last = j;
    j = k;
    if (j + 1 < len && s[j] == '.' && isalnum((unsigned char)s[j + 1])) j++;
    else break;
  }
  if (labels < 2 || (j < len && (s[j] == '@' || wordch_at(s, len, j)))) return 0;
  for (size_t k = 0; k < sizeof bare_tlds / sizeof *bare_tlds; k++)
    if (strlen(bare_tlds[k]) == j - last && ieq(s, len, last, bare_tlds[k])) return j - i;
  return 0;
}

static size_t scan_url(const char *s, size_t len, size_t i) {
  size_t pre;
  if (ieq(s, len, i, "https://")) pre = 8;
  else if (ieq(s, len, i, "http://")) pre = 7;
  else if (ieq(s, len, i, "www.")) pre = 4;
  else if (scan_bare_domain(s, len, i)) pre = 0;
  else return 0;
  size_t j = i + pre;
  while (j < len) {
    int32_t cp;
    size_t n = dec(s, len, j, &cp);
    if (cp < 0 || cp <= ' ' || strchr("<>\"'()[]{}|\\^`", (int)(cp < 0x80 ? cp : 'a')) != NULL) break;
    if (cp >= 0x80 && !is_wordch(cp)) break; /* typographic quotes and dashes end a URL */
    j += n;
  }
  while (j > i + pre && strchr(".,;:!?", s[j - 1])) j--;
  if (j < i + pre + 3) return 0;
  if (!pre && j < len && s[j] == '@') return 0; /* the domain of an address comes as the address */
  return j - i;
}

static int local_ch(unsigned char c) { return isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'; }

static size_t scan_email(const char *s, size_t len, size_t i) {
  if (i >= len || !isalnum((unsigned char)s[i])) return 0;
  size_t j = i;
  while (j < len && local_ch((unsigned char)s[j])) j++;
  if (j >= len || s[j] != '@' || j == i) return 0;
  size_t d = ++j, last_dot = 0;
  while (j < len && (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '.')) {
    if (s[j] == '.') last_dot = j;
    j++;
  }
  while (j > d && (s[j - 1] == '.' || s[j - 1] == '-')) j--;
  /* the last dot inside the domain, not a sentence's full stop after it ("...@stadt-hagen.de.") */
  last_dot = 0;
  for (size_t k = d; k < j; k++)
    if (s[k] == '.') last_dot = k;
  if (last_dot == 0 || last_dot >= j - 2 || last_dot == d) return 0;
  for (size_t k = last_dot + 1; k < j; k++)
    if (!isalpha((unsigned char)s[k])) return 0;
  return j - i;
}

/* ---- numbers, dates, phone numbers ---- */

static size_t digit_run(const char *s, size_t len, size_t j, unsigned *n) {
  size_t k = j;
  while (k < len && isdigit((unsigned char)s[k])) k++;
  *n += (unsigned)(k - j);
  return k;
}

/* "+49 2331 207 3314", "+49 (0)2331 207-0", "02331/207-4575", "0231 50-12345". */
static size_t scan_phone(const char *s, size_t len, size_t i) {
  size_t j = i;
  unsigned ndig = 0, groups = 1;
  int plus = s[i] == '+';
  if (plus) j++;
  if (!digit_at(s, len, j)) return 0;
  size_t k = digit_run(s, len, j, &ndig);
  if (!plus && (s[j] != '0' || k - j < 3 || k - j > 5)) return 0;
  j = k;
  size_t end = j;
  for (;;) {
    size_t n;
    if (j + 1 < len && (s[j] == ' ' || s[j] == '/' || s[j] == '-') && digit_at(s, len, j + 1)) n = 1;
    else if (j + 3 < len && s[j] == ' ' && (s[j + 1] == '/' || s[j + 1] == '-') && s[j + 2] == ' ' &&
             digit_at(s, len, j + 3)) n = 3;
    else if (plus && j + 4 < len && s[j] == ' ' && s[j + 1] == '(' && s[j + 2] == '0' && s[j + 3] == ')') {
      n = 4;
      if (j + n < len && s[j + n] == ' ') n++;
      if (!digit_at(s, len, j + n)) break;
    } else break;
    j += n;
    j = digit_run(s, len, j, &ndig);
    groups++;
    end = j;
  }
  if (groups < 2 || ndig < (plus ? 6u : 7u) || ndig > 17) return 0;
  if (wordch_at(s, len, end)) return 0;
  return end - i;
}

/* A number: digits with inner '.', ',' or ':' ("1.000", "3,5", "10:30"). */
static size_t scan_number(const char *s, size_t len, size_t i) {
  size_t j = i;
  unsigned n = 0;
  j = digit_run(s, len, j, &n);
  while (j + 1 < len && (s[j] == '.' || s[j] == ',' || s[j] == ':') && digit_at(s, len, j + 1)) {
    j = digit_run(s, len, j + 1, &n);
  }
  return j - i;
}

/* ---- words ---- */

static int conjunction_at(const char *s, size_t len, size_t k) {
  static const char *const words[] = {"und", "oder", "bis", "sowie", "bzw", "als", "wie"};
  for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
    size_t n = strlen(words[w]);
    if (k + n <= len && memcmp(s + k, words[w], n) == 0 && !wordch_at(s, len, k + n)) return 1;
  }
  return 0;
}

static int is_hyphen(int32_t cp) { return cp == '-' || cp == 0x2010 || cp == 0x2011; }

/* A gender suffix after a marker at s[j]: "innen" or "in" in lower case, then no word character. */
static size_t gender_suffix(const char *s, size_t len, size_t j, presse_gender *g) {
  if (j + 5 <= len && memcmp(s + j, "innen", 5) == 0 && !wordch_at(s, len, j + 5)) {
    *g = PRESSE_GENDER_INNEN;
    return 5;
  }
  if (j + 2 <= len && memcmp(s + j, "in", 2) == 0 && !wordch_at(s, len, j + 2)) {
    *g = PRESSE_GENDER_IN;
    return 2;
  }
  return 0;
}

static void add_piece(presse_rawtok *t, size_t a, size_t b) {
  t->piece[t->npieces].start = a;
  t->piece[t->npieces].end = b;
  t->npieces++;
}

static int new_segment(presse_rawtok *t) {
  if (t->nsegs >= PRESSE_TOK_MAX_SEGS || t->npieces >= PRESSE_TOK_MAX_PIECES) return 0;
  t->seg_first[t->nsegs++] = t->npieces;
  return 1;
}

static size_t scan_word(const char *s, size_t len, size_t i, presse_rawtok *t) {
  t->kind = PRESSE_TOK_WORD;
  t->npieces = t->nsegs = 0;
  t->gender = PRESSE_GENDER_NONE;
  new_segment(t);
  for (;;) {
    size_t ps = i;
    int32_t cp;
    while (i < len) {
      size_t n = dec(s, len, i, &cp);
      if (!is_wordch(cp)) break;
      i += n;
    }
    add_piece(t, ps, i);
    if (i >= len || t->npieces >= PRESSE_TOK_MAX_PIECES) break;
    size_t n = dec(s, len, i, &cp);
    size_t j = i + n;
    if (is_hyphen(cp)) {
      if (wordch_at(s, len, j)) {
        if (!new_segment(t)) break;
        i = j;
        continue;
      }
      /* a hyphen at the end of a line: "Migranten-\norganisationen" */
      size_t k = j;
      while (k < len && (s[k] == ' ' || s[k] == '\t')) k++;
      if (k < len && s[k] == '\r') k++;
      if (k < len && s[k] == '\n') {
        k++;
        while (k < len && (s[k] == ' ' || s[k] == '\t')) k++;
        int32_t nc;
        if (k < len && (dec(s, len, k, &nc), is_wordch(nc))) {
          if (is_lower(nc)) {
            if (conjunction_at(s, len, k)) break; /* "Presse-\nund Öffentlichkeitsarbeit" */
            i = k; /* same segment, new piece */
            continue;
          }
          if (!new_segment(t)) break; /* "Ruhrgebiets-\nStädte": a real compound */
          i = k;
          continue;
        }
      }
      break;
    }
    if (cp == '*' || cp == ':' || cp == '_' || cp == '/') {
      if (cp == '/' && j < len && s[j] == '-') j++;
      presse_gender g;
      size_t gn = gender_suffix(s, len, j, &g);
      if (gn) {
        t->gender = g;
        i = j + gn;
      }
      break;
    }
    if (cp == '.' && j < len && is_letter((dec(s, len, j, &cp), cp))) {
      /* "Integration.Interkommunal", "e.V.", "z.B." */
      if (!new_segment(t)) break;
      i = j;
      continue;
    }
    if ((cp == '\'' || cp == 0x2019) && j < len && is_letter((dec(s, len, j, &cp), cp))) {
      i = j; /* "geht's": same segment, the apostrophe dropped */
      continue;
    }
    break;
  }
  /* "MitarbeiterInnen", "LehrerIn": a capital I after a lower-case letter at the end */
  if (t->gender == PRESSE_GENDER_NONE) {
    presse_span *p = &t->piece[t->npieces - 1];
    size_t n = p->end - p->start;
    if (n > 6 && memcmp(s + p->end - 5, "Innen", 5) == 0 && islower((unsigned char)s[p->end - 6])) {
      t->gender = PRESSE_GENDER_INNEN;
      p->end -= 5;
    } else if (n > 3 && memcmp(s + p->end - 2, "In", 2) == 0 && islower((unsigned char)s[p->end - 3])) {
      t->gender = PRESSE_GENDER_IN;
      p->end -= 2;
    }
  }
  t->seg_first[t->nsegs] = t->npieces;
  return i;
}

static int textual(const char *s, size_t a, size_t b) {
  for (size_t k = a; k < b; k++)
    if (isalpha((unsigned char)s[k]) || (unsigned char)s[k] >= 0x80) return 1;
  return 0;
}

int presse_tok_next(const char *s, size_t len, size_t *pos, presse_rawtok *t) {
  size_t i = *pos;
  int32_t cp = -1;
  while (i < len) {
    size_t n = dec(s, len, i, &cp);
    if ((is_wordch(cp) && !ignorable(cp)) || (cp == '+' && digit_at(s, len, i + 1))) break;
    i += n;
  }
  if (i >= len) {
    *pos = len;
    return 0;
  }
  t->start = i;
  t->ymd = 0;
  t->npieces = t->nsegs = 0;
  t->gender = PRESSE_GENDER_NONE;
  size_t n;
  if (cp == '+') {
    if ((n = scan_phone(s, len, i))) {
      t->kind = PRESSE_TOK_PHONE;
      goto done;
    }
    t->start = ++i; /* a lone plus sign: tokenise what follows */
  }
  if (cp < 0x80 && isalpha(cp)) {
    if ((n = scan_url(s, len, i))) {
      t->kind = PRESSE_TOK_URL;
      goto done;
    }
    if (ieq(s, len, i, "mailto:") && (n = scan_email(s, len, i + 7))) {
      t->start = i += 7;
      t->kind = PRESSE_TOK_EMAIL;
      goto done;
    }
  }
  if (cp < 0x80 && isalnum(cp) && (n = scan_email(s, len, i))) {
    t->kind = PRESSE_TOK_EMAIL;
    goto done;
  }
  if (digit_at(s, len, i)) {
    unsigned ymd;
    size_t dn = presse_date_parse(s + i, len - i, &ymd);
    if (dn && !textual(s, i, i + dn) && !wordch_at(s, len, i + dn)) {
      t->kind = PRESSE_TOK_DATE;
      t->ymd = ymd;
      n = dn;
      goto done;
    }
    if ((n = scan_phone(s, len, i))) {
      t->kind = PRESSE_TOK_PHONE;
      goto done;
    }
    n = scan_number(s, len, i);
    if (!wordch_at(s, len, i + n)) {
      t->kind = PRESSE_TOK_NUMBER;
      if (dn && textual(s, i, i + dn)) t->ymd = ymd;
      goto done;
    }
    /* "10er", "3D": a word that starts with digits */
  }
  *pos = t->end = scan_word(s, len, i, t);
  return 1;
done:
  t->end = i + n;
  *pos = t->end;
  return 1;
}
