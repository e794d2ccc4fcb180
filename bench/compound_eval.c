/* Compound splitter benchmark: precision and recall on the test table, lexicon load time, and
 * splitting speed on running text analysed by the real pipeline.
 *
 *   bench-compound [--table tests/compound_splits.tsv] [FILE-or-DIR ...]
 *
 * Text comes from the files named (Markdown or plain text; .jsonl files contribute the "title"
 * and "text" of every record), by default the repository's corpus/. Every word term the
 * analyzer emits is split; the timing excludes analysis and folding. */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analysis/compound.h"
#include "presse/analysis.h"
#include "presse/presse.h"
#include "tests/compound_table.h"
#include "bench/bench_util.h"
#include "util/buf.h"

#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif


/* The folded words of the text, NUL-separated in one buffer. */
typedef struct {
  presse_buf words;
  size_t count;
} word_list;

static int collect(void *ctx, const presse_term *t) {
  word_list *wl = ctx;
  if (t->kind != PRESSE_TOK_WORD || (t->flags & (PRESSE_TERM_PART | PRESSE_TERM_ALT))) return 0;
  if (presse_buf_append(&wl->words, t->text, t->len) || presse_buf_putc(&wl->words, '\0')) return 1;
  wl->count++;
  return 0;
}


static void add_text(presse_analyzer *a, word_list *wl, const char *text, size_t len) {
  presse_analyze(a, text, len, NULL, collect, wl);
}

static void add_file(presse_analyzer *a, word_list *wl, const char *path) {
  size_t len = 0;
  char *data = bench_slurp(path, &len);
  if (!data) return;
  size_t pl = strlen(path);
  if (pl > 6 && strcmp(path + pl - 6, ".jsonl") == 0) {
    char *line = data, *end = data + len;
    while (line < end) {
      char *nl = memchr(line, '\n', (size_t)(end - line));
      size_t ll = nl ? (size_t)(nl - line) : (size_t)(end - line);
      json_t *rec = json_loadb(line, ll, 0, NULL);
      if (rec) {
        const char *fields[] = {"title", "text"};
        for (int i = 0; i < 2; i++) {
          json_t *v = json_object_get(rec, fields[i]);
          if (json_is_string(v)) add_text(a, wl, json_string_value(v), json_string_length(v));
        }
        json_decref(rec);
      }
      line += ll + 1;
    }
  } else {
    add_text(a, wl, data, len);
  }
  free(data);
}

static void add_path(presse_analyzer *a, word_list *wl, const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "bench-compound: %s: not found\n", path);
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    add_file(a, wl, path);
    return;
  }
  DIR *d = opendir(path);
  if (!d) return;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char sub[4096];
    snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
    add_path(a, wl, sub);
  }
  closedir(d);
}

int main(int argc, char **argv) {
  const char *table = BENCH_SOURCE_DIR "/tests/compound_splits.tsv";
  int first_path = argc;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--table") == 0 && i + 1 < argc) {
      table = argv[++i];
    } else {
      first_path = i;
      break;
    }
  }

  double t0 = bench_now();
  presse_compound *c = NULL;
  int rc = presse_compound_new(&c, NULL);
  double load_ms = (bench_now() - t0) * 1e3;
  if (rc != PRESSE_OK) {
    fprintf(stderr, "bench-compound: no compound lexicon (%d); build it or set PRESSE_LEXICON\n", rc);
    return 1;
  }
  struct stat st;
  long lex_bytes = stat(presse_compound_path(c), &st) == 0 ? (long)st.st_size : -1;
  printf("lexicon: %s, %.1f MB, loaded in %.3f ms\n", presse_compound_path(c), lex_bytes / 1e6, load_ms);

  compound_score s;
  if (compound_table_eval(c, table, &s, NULL) == 0) {
    printf("split table (%d words, %d must-not-split): precision %.3f, recall %.3f, "
           "must-not-split words split %d, words exactly right %d/%d\n",
           s.words, s.must_not, compound_precision(&s), compound_recall(&s), s.must_not_split,
           s.exact, s.words);
  }

  presse_analyzer *a = NULL;
  if (presse_analyzer_new(&a) != PRESSE_OK) return 1;
  word_list wl = {PRESSE_BUF_INIT, 0};
  if (first_path < argc) {
    for (int i = first_path; i < argc; i++) add_path(a, &wl, argv[i]);
  } else {
    add_path(a, &wl, BENCH_SOURCE_DIR "/corpus");
  }
  presse_analyzer_free(a);
  if (!wl.count) {
    fprintf(stderr, "bench-compound: no words\n");
    return 1;
  }

  /* Offsets of the words, so the timed loop does no strlen. */
  size_t *off = malloc(wl.count * sizeof *off), *len = malloc(wl.count * sizeof *len);
  if (!off || !len) return 1;
  size_t k = 0, long_words = 0, compounds = 0, parts_total = 0;
  for (size_t p = 0; p < wl.words.len && k < wl.count; k++) {
    off[k] = p;
    len[k] = strlen(wl.words.data + p);
    p += len[k] + 1;
  }
  presse_compound_part parts[PRESSE_COMPOUND_MAX_PARTS];
  for (size_t i = 0; i < wl.count; i++) { /* one untimed pass: counts, and warms the pages */
    int n = presse_compound_split(c, wl.words.data + off[i], len[i], parts, PRESSE_COMPOUND_MAX_PARTS);
    long_words += len[i] >= 2 * PRESSE_COMPOUND_MIN_PART;
    compounds += n > 1;
    parts_total += (size_t)n;
  }
  int rounds = 0;
  volatile size_t sink = 0;
  t0 = bench_now();
  double elapsed;
  do {
    for (size_t i = 0; i < wl.count; i++)
      sink += (size_t)presse_compound_split(c, wl.words.data + off[i], len[i], parts,
                                            PRESSE_COMPOUND_MAX_PARTS);
    rounds++;
    elapsed = bench_now() - t0;
  } while (elapsed < 1.0);
  double per_word = elapsed * 1e6 / ((double)wl.count * rounds);
  printf("running text: %zu words, %zu of 6+ bytes, %zu split (%.1f%%), %.2f parts per split word\n",
         wl.count, long_words, compounds, 100.0 * compounds / wl.count,
         compounds ? (double)(parts_total - (wl.count - compounds)) / compounds : 0.0);
  printf("split speed: %.3f us per word on average (%.3f us per word of 6+ bytes)\n", per_word,
         elapsed * 1e6 / ((double)long_words * rounds));

  free(off);
  free(len);
  presse_buf_free(&wl.words);
  presse_compound_free(c);
  return 0;
}
