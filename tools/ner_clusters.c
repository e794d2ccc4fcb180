/* Learns word clusters for the NER tagger from unlabelled German text.
 *
 * A cheap stand-in for Brown clustering: every frequent word is described by the words seen
 * directly left and right of it (counts over the most frequent context words, log-damped and
 * length-normalised), and spherical k-means groups words with similar contexts. A second k-means
 * over the fine centroids gives coarse groups. Output lines are "id<TAB>word" with
 * id = coarse << 10 | fine, the format presse-ner-train --clusters reads.
 *
 *   presse-ner-clusters [-k 256] [-c 32] [--min 3] OUT.tsv INPUT...
 * INPUT: *.jsonl (the "text" field of each record is tokenised like presse-ner does) or CoNLL /
 * GermEval token files. Deterministic: no random initialisation. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ner/ner_internal.h"

#define NCTX 300

typedef struct {
  char **w;
  size_t n, cap;
} seq;

static ner_gaz *vocab;          /* word -> index + 1 */
static char **words;
static long *freq;
static size_t nwords, capwords;
static uint32_t *stream; /* token ids, 0 = sentence break */
static size_t nstream, capstream;

static int intern(const char *s, size_t n) {
  unsigned id = ner_gaz_get(vocab, s, n);
  if (!id) {
    if (nwords == capwords) {
      capwords = capwords ? capwords * 2 : 65536;
      words = realloc(words, capwords * sizeof *words);
      freq = realloc(freq, capwords * sizeof *freq);
      if (!words || !freq) exit(1);
    }
    char *c = malloc(n + 1);
    memcpy(c, s, n);
    c[n] = 0;
    words[nwords] = c;
    freq[nwords] = 0;
    nwords++;
    id = (unsigned)nwords;
    ner_gaz_add(vocab, s, n, id);
  }
  freq[id - 1]++;
  return (int)id;
}

static void emit(uint32_t id) {
  if (nstream == capstream) {
    capstream = capstream ? capstream * 2 : (1u << 20);
    stream = realloc(stream, capstream * sizeof *stream);
    if (!stream) exit(1);
  }
  stream[nstream++] = id;
}

static void read_jsonl(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    exit(1);
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  ner_tokens t = {0};
  while ((n = getline(&line, &cap, f)) > 0) {
    json_error_t e;
    json_t *j = json_loadb(line, (size_t)n, 0, &e);
    if (!j) continue;
    const char *txt = json_string_value(json_object_get(j, "text"));
    if (txt && ner_utf8_valid(txt, strlen(txt)) && ner_tokenize(txt, strlen(txt), &t) == 0) {
      for (size_t s = 0; s < t.nsent; s++) {
        for (size_t k = t.sent[s]; k < t.sent[s + 1]; k++)
          emit((uint32_t)intern(txt + t.tok[k].start, t.tok[k].end - t.tok[k].start));
        emit(0);
      }
    }
    json_decref(j);
  }
  ner_tokens_free(&t);
  free(line);
  fclose(f);
}

static void read_conll(const char *path) {
  ner_corpus c = {0};
  char err[256];
  if (ner_corpus_read(&c, path, 1, 0, 0, -1, 0, err, sizeof err)) {
    fprintf(stderr, "%s\n", err);
    exit(1);
  }
  for (size_t s = 0; s < c.n; s++) {
    for (size_t k = 0; k < c.s[s].n; k++) emit((uint32_t)intern(c.s[s].tok[k], strlen(c.s[s].tok[k])));
    emit(0);
  }
  ner_corpus_free(&c);
}

static size_t *order_ctx;
static int by_freq(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  if (freq[x] != freq[y]) return freq[x] < freq[y] ? 1 : -1;
  return strcmp(words[x], words[y]);
}

static void kmeans(const float *X, size_t n, size_t dim, size_t k, int iters, int *assign, float *cent) {
  /* Deterministic init: evenly spaced rows (X is sorted by frequency, so seeds span the range). */
  for (size_t c = 0; c < k; c++) memcpy(cent + c * dim, X + (c * n / k) * dim, dim * sizeof *cent);
  for (int it = 0; it < iters; it++) {
    size_t changed = 0;
    for (size_t i = 0; i < n; i++) {
      const float *x = X + i * dim;
      float best = -2;
      int arg = 0;
      for (size_t c = 0; c < k; c++) {
        const float *m = cent + c * dim;
        float d = 0;
        for (size_t j = 0; j < dim; j++) d += x[j] * m[j];
        if (d > best) best = d, arg = (int)c;
      }
      if (assign[i] != arg) changed++;
      assign[i] = arg;
    }
    memset(cent, 0, k * dim * sizeof *cent);
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < dim; j++) cent[(size_t)assign[i] * dim + j] += X[i * dim + j];
    for (size_t c = 0; c < k; c++) {
      double nn = 0;
      for (size_t j = 0; j < dim; j++) nn += (double)cent[c * dim + j] * cent[c * dim + j];
      nn = sqrt(nn);
      if (nn > 0)
        for (size_t j = 0; j < dim; j++) cent[c * dim + j] = (float)(cent[c * dim + j] / nn);
    }
    fprintf(stderr, "k-means k=%zu iteration %d: %zu changed\n", k, it + 1, changed);
    if (changed == 0) break;
  }
}

int main(int argc, char **argv) {
  size_t K = 256, KC = 32;
  long minc = 3;
  int a = 1;
  for (; a < argc && argv[a][0] == '-'; a++) {
    if (strcmp(argv[a], "-k") == 0 && a + 1 < argc) K = (size_t)atoi(argv[++a]);
    else if (strcmp(argv[a], "-c") == 0 && a + 1 < argc) KC = (size_t)atoi(argv[++a]);
    else if (strcmp(argv[a], "--min") == 0 && a + 1 < argc) minc = atol(argv[++a]);
  }
  if (argc - a < 2) {
    fprintf(stderr, "usage: presse-ner-clusters [-k 256] [-c 32] [--min 3] OUT.tsv INPUT...\n");
    return 2;
  }
  const char *outp = argv[a++];
  ner_gaz_new(&vocab);
  for (; a < argc; a++) {
    size_t l = strlen(argv[a]);
    if (l > 6 && strcmp(argv[a] + l - 6, ".jsonl") == 0) read_jsonl(argv[a]);
    else read_conll(argv[a]);
    fprintf(stderr, "%s: %zu tokens, %zu types so far\n", argv[a], nstream, nwords);
  }
  size_t *ord = malloc(nwords * sizeof *ord);
  for (size_t i = 0; i < nwords; i++) ord[i] = i;
  order_ctx = ord;
  qsort(ord, nwords, sizeof *ord, by_freq);
  size_t V = 0;
  while (V < nwords && V < 80000 && freq[ord[V]] >= minc) V++;
  int *rank = malloc(nwords * sizeof *rank);
  for (size_t i = 0; i < nwords; i++) rank[i] = -1;
  for (size_t i = 0; i < V; i++) rank[ord[i]] = (int)i;
  size_t dim = 2 * NCTX + 2;
  float *X = calloc(V * dim, sizeof *X);
  for (size_t i = 0; i < nstream; i++) {
    if (!stream[i]) continue;
    int r = rank[stream[i] - 1];
    if (r < 0) continue;
    uint32_t L = i > 0 ? stream[i - 1] : 0, R = i + 1 < nstream ? stream[i + 1] : 0;
    int lr = L ? rank[L - 1] : -1, rr = R ? rank[R - 1] : -1;
    X[(size_t)r * dim + (lr >= 0 && lr < NCTX ? (size_t)lr : (L ? 2 * NCTX : 2 * NCTX + 1))] += 1;
    X[(size_t)r * dim + (rr >= 0 && rr < NCTX ? NCTX + (size_t)rr : (R ? 2 * NCTX : 2 * NCTX + 1))] += 1;
  }
  for (size_t r = 0; r < V; r++) {
    double nn = 0;
    for (size_t j = 0; j < dim; j++) {
      float v = logf(1 + X[r * dim + j]);
      X[r * dim + j] = v;
      nn += (double)v * v;
    }
    nn = sqrt(nn);
    if (nn > 0)
      for (size_t j = 0; j < dim; j++) X[r * dim + j] = (float)(X[r * dim + j] / nn);
  }
  int *as = malloc(V * sizeof *as);
  for (size_t i = 0; i < V; i++) as[i] = -1;
  float *cent = malloc(K * dim * sizeof *cent);
  kmeans(X, V, dim, K, 20, as, cent);
  int *cas = malloc(K * sizeof *cas);
  for (size_t i = 0; i < K; i++) cas[i] = -1;
  float *cc = malloc(KC * dim * sizeof *cc);
  kmeans(cent, K, dim, KC, 30, cas, cc);
  FILE *o = fopen(outp, "w");
  if (!o) {
    perror(outp);
    return 1;
  }
  fprintf(o, "# word clusters for presse NER: id = coarse << 10 | fine; built by presse-ner-clusters\n");
  for (size_t i = 0; i < V; i++) fprintf(o, "%u\t%s\n", ((unsigned)cas[as[i]] << 10) | (unsigned)as[i], words[ord[i]]);
  fclose(o);
  fprintf(stderr, "%zu words clustered into %zu / %zu\n", V, K, KC);
  return 0;
}
