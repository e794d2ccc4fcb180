/* NER throughput benchmark: tokens per second of presse_ner_extract (tokenising, sentence
 * splitting, tagging, consistency and canonical forms) on one core.
 *
 *   presse-ner-bench [--model MODEL] [--repeat N] [docs.jsonl]
 * Default input: ../shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl (JSONL records with a
 * "text" field); exits 77 when it is absent. Texts are read into memory first so only the
 * extraction is timed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "ner/ner_internal.h"
#include "presse/presse.h"
#include "bench/bench_util.h"


int main(int argc, char **argv) {
  const char *path = "/work/shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl", *modelp = NULL;
  int repeat = 1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) modelp = argv[++i];
    else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) repeat = atoi(argv[++i]);
    else path = argv[i];
  }
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "presse-ner-bench: %s: not found, skipping\n", path);
    return 77;
  }
  char **texts = NULL;
  size_t *lens = NULL, n = 0, cap = 0, bytes = 0;
  char *line = NULL;
  size_t lcap = 0;
  ssize_t got;
  while ((got = getline(&line, &lcap, f)) > 0) {
    json_error_t e;
    json_t *j = json_loadb(line, (size_t)got, 0, &e);
    const char *t = j ? json_string_value(json_object_get(j, "text")) : NULL;
    if (t) {
      if (n == cap) {
        cap = cap ? cap * 2 : 1024;
        texts = realloc(texts, cap * sizeof *texts);
        lens = realloc(lens, cap * sizeof *lens);
        if (!texts || !lens) return 1;
      }
      lens[n] = strlen(t);
      texts[n] = strdup(t);
      bytes += lens[n];
      n++;
    }
    json_decref(j);
  }
  free(line);
  fclose(f);
  char err[512];
  presse_ner_model *m = NULL;
  if (presse_ner_model_load_err(&m, modelp, err, sizeof err)) {
    fprintf(stderr, "presse-ner-bench: %s\n", err);
    return 1;
  }
  /* Token count with the tagger's own tokeniser, outside the timed loop. */
  size_t tokens = 0, ents = 0;
  ner_tokens tk = {0};
  for (size_t i = 0; i < n; i++)
    if (ner_tokenize(texts[i], lens[i], &tk) == 0) tokens += tk.n;
  ner_tokens_free(&tk);
  double best = 1e30;
  for (int r = 0; r < repeat; r++) {
    double t0 = bench_now();
    ents = 0;
    for (size_t i = 0; i < n; i++) {
      presse_ner_entity *e;
      size_t ne;
      if (presse_ner_extract(m, texts[i], lens[i], &e, &ne) == 0) {
        ents += ne;
        presse_ner_entities_free(e, ne);
      }
    }
    double dt = bench_now() - t0;
    if (dt < best) best = dt;
  }
  printf("presse-ner-bench: %s\n", path);
  printf("  documents  %zu\n  bytes      %zu\n  tokens     %zu\n  entities   %zu\n", n, bytes, tokens, ents);
  printf("  time       %.3f s (best of %d)\n", best, repeat);
  printf("  throughput %.0f tokens/s, %.2f MB/s, %.0f docs/s (one core)\n", tokens / best, bytes / best / 1e6,
         n / best);
  for (size_t i = 0; i < n; i++) free(texts[i]);
  free(texts);
  free(lens);
  presse_ner_model_free(m);
  return 0;
}
