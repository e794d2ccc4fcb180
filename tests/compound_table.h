/* Scores the compound splitter on tests/compound_splits.tsv: precision and recall of split
 * points, and the must-not-split words. Shared by tests/test_compound.c and
 * bench/compound_eval.c so both report the same figures. Header-only (static functions). */
#ifndef PRESSE_TESTS_COMPOUND_TABLE_H
#define PRESSE_TESTS_COMPOUND_TABLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compound.h"
#include "analysis/normalize.h"
#include "util/buf.h"

typedef struct compound_score {
  int words;        /* rows scored */
  int compounds;    /* rows with at least one required boundary */
  int must_not;     /* rows marked "-" */
  int must_not_split; /* of those, how many the splitter split: must stay 0 */
  int required;     /* required boundaries in the table */
  int found;        /* required boundaries the splitter found */
  int predicted;    /* boundaries the splitter produced */
  int correct;      /* produced boundaries that are required or allowed ("~") */
  int exact;        /* rows where every required boundary was found and nothing wrong produced */
} compound_score;

static double compound_precision(const compound_score *s) {
  return s->predicted ? (double)s->correct / s->predicted : 1.0;
}
static double compound_recall(const compound_score *s) {
  return s->required ? (double)s->found / s->required : 1.0;
}

/* Scores every row of the table at path. Misses go to log when it is not NULL. Returns 0, or
 * -1 if the file cannot be read or a row is malformed (reported on stderr). */
static int compound_table_eval(const presse_compound *c, const char *path, compound_score *s,
                               FILE *log) {
  memset(s, 0, sizeof *s);
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return -1;
  }
  presse_folder folder = {0};
  presse_buf whole = PRESSE_BUF_INIT, seg = PRESSE_BUF_INIT, pieces = PRESSE_BUF_INIT;
  char line[512];
  int lineno = 0, rc = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0] || line[0] == '#') continue;
    char *tab = strchr(line, '\t');
    if (!tab) {
      fprintf(stderr, "%s:%d: no expected split\n", path, lineno);
      rc = -1;
      break;
    }
    *tab = '\0';
    char *word = line, *expect = tab + 1;
    char *tab2 = strchr(expect, '\t');
    if (tab2) *tab2 = '\0';
    whole.len = 0;
    if (presse_fold_append(&folder, word, strlen(word), &whole) != 0) {
      rc = -1;
      break;
    }
    /* Boundaries of the expectation, as byte offsets in the folded word: each segment is
     * folded on its own and the concatenation must give the folded word. */
    unsigned char kind[PRESSE_COMPOUND_MAX_WORD * 4 + 1]; /* 0 none, '+' required, '~' allowed */
    memset(kind, 0, sizeof kind);
    int must_not = strcmp(expect, "-") == 0;
    if (!must_not) {
      pieces.len = 0;
      const char *p = expect;
      while (*p) {
        size_t k = strcspn(p, "+~");
        seg.len = 0;
        if (presse_fold_append(&folder, p, k, &seg) != 0 ||
            presse_buf_append(&pieces, seg.data ? seg.data : "", seg.len) != 0) {
          rc = -1;
          break;
        }
        if (!p[k]) break;
        if (pieces.len < sizeof kind) kind[pieces.len] = (unsigned char)p[k];
        p += k + 1;
      }
      if (rc) break;
      if (pieces.len != whole.len || memcmp(pieces.data, whole.data, whole.len) != 0) {
        fprintf(stderr, "%s:%d: expected split of \"%s\" does not spell the word\n", path, lineno, word);
        rc = -1;
        break;
      }
    }
    presse_compound_part parts[PRESSE_COMPOUND_MAX_PARTS];
    int n = presse_compound_split(c, whole.data, whole.len, parts, PRESSE_COMPOUND_MAX_PARTS);
    s->words++;
    if (must_not) {
      s->must_not++;
      if (n > 1) {
        s->must_not_split++;
        if (log) {
          fprintf(log, "  MUST NOT SPLIT %-28s got", word);
          for (int i = 0; i < n; i++) fprintf(log, " %.*s", (int)parts[i].len, whole.data + parts[i].start);
          fprintf(log, "\n");
        }
      } else {
        s->exact++;
      }
      continue;
    }
    int req = 0, found = 0, wrong = 0;
    for (size_t i = 0; i < whole.len && i < sizeof kind; i++) req += kind[i] == '+';
    for (int i = 1; i < n; i++) {
      size_t at = parts[i].start;
      s->predicted++;
      if (at < sizeof kind && kind[at]) {
        s->correct++;
        if (kind[at] == '+') found++;
      } else {
        wrong++;
      }
    }
    if (req) s->compounds++;
    s->required += req;
    s->found += found;
    if (found == req && !wrong) {
      s->exact++;
    } else if (log) {
      fprintf(log, "  %-30s expected %-36s got", word, expect);
      for (int i = 0; i < n; i++)
        fprintf(log, "%s%.*s", i ? "+" : " ", (int)parts[i].len, whole.data + parts[i].start);
      fprintf(log, "\n");
    }
  }
  fclose(f);
  presse_buf_free(&whole);
  presse_buf_free(&seg);
  presse_buf_free(&pieces);
  presse_folder_free(&folder);
  return rc;
}

#endif
