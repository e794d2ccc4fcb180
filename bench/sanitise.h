/* Shared by bench-index and bench-relevance: titles turned into queries that every compared
 * system reads as plain words. */
#ifndef PRESSE_BENCH_SANITISE_H
#define PRESSE_BENCH_SANITISE_H

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Query strings are made plain words for every system alike: the characters that are syntax
 * for one of them (quotes of all kinds, parentheses, '*', '-', ':', '+', '|', '&') become
 * spaces, and the operator words (OR ODER AND UND NOT NICHT XOR NEAR ADJ, upper case) are
 * lower-cased. A trailing "(Nr. 1681)" is dropped first. Returns a malloc'd string, NULL when out of memory. With
 * keep_hyphens a '-' between two word characters stays ("Duisburg-Essen", "E-Autos"): inside a
 * word it is an operator for no system, and the hand-written queries use it on purpose. */
static inline int bench_wordch(unsigned char c) { return isalnum(c) || c >= 0x80; }

static inline char *bench_sanitise_query(const char *title, int keep_hyphens) {
  size_t n = strlen(title);
  const char *nr = strstr(title, "(Nr.");
  if (nr) {
    const char *close = strchr(nr, ')');
    if (close && close[1 + strspn(close + 1, " \t")] == '\0') n = (size_t)(nr - title);
  }
  char *s = malloc(n + 1);
  if (!s) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)title[i];
    if (c == '-' && keep_hyphens && i > 0 && i + 1 < n && bench_wordch((unsigned char)title[i - 1]) &&
        bench_wordch((unsigned char)title[i + 1])) {
      s[o++] = '-';
    } else if (c && strchr("\"()*-:+|&\t\r\n", c)) {
      s[o++] = ' ';
    } else if (c == 0xE2 && i + 2 < n && (unsigned char)title[i + 1] == 0x80 &&
               ((unsigned char)title[i + 2] == 0x9E || (unsigned char)title[i + 2] == 0x9C ||
                (unsigned char)title[i + 2] == 0x9D)) {
      s[o++] = ' '; /* „ “ ” */
      i += 2;
    } else if (c == 0xC2 && i + 1 < n && ((unsigned char)title[i + 1] == 0xAB || (unsigned char)title[i + 1] == 0xBB)) {
      s[o++] = ' '; /* « » */
      i += 1;
    } else {
      s[o++] = (char)c;
    }
  }
  s[o] = '\0';
  static const char *ops[] = {"OR", "ODER", "AND", "UND", "NOT", "NICHT", "XOR", "NEAR", "ADJ"};
  for (char *w = s; *w;) {
    while (*w == ' ') w++;
    size_t len = strcspn(w, " ");
    for (size_t k = 0; k < sizeof ops / sizeof *ops; k++)
      if (len == strlen(ops[k]) && !memcmp(w, ops[k], len))
        for (size_t j = 0; j < len; j++) w[j] = (char)(w[j] - 'A' + 'a');
    w += len;
  }
  size_t k = 0;
  for (char *r = s; *r; r++)
    if (*r != ' ' || (k && s[k - 1] != ' ')) s[k++] = *r;
  while (k && s[k - 1] == ' ') k--;
  s[k] = '\0';
  return s;
}

#endif
