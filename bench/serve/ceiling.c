/* bench-serve-ceiling: the in-process ceiling of bench/serve. The same queries as wrk sends to
 * presse-serve, run through presse_search on N threads (each with its own read handle and
 * analyzer, as the server's workers), for a fixed time; with --json each result is also written
 * by presse_output_json as the server does. Prints one tab-separated line:
 *   CEIL  requests  requests/s  p50 ms  p99 ms  errors
 * usage: bench-serve-ceiling --db DIR --queries FILE --threads N [--seconds S] [--json] */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_util.h"
#include "presse/output.h"
#include "presse/presse.h"

typedef struct query {
  unsigned facets;
  char *text;
} query;

typedef struct job {
  const char *db;
  const query *qs;
  size_t nq, start;
  double seconds;
  int json;
  double *lat; /* milliseconds */
  size_t nlat, cap;
  unsigned long long errors;
} job;

static void *run(void *arg) {
  job *j = arg;
  presse_db *db = NULL;
  presse_analyzer *an = NULL;
  if (presse_db_open(&db, j->db, PRESSE_DB_READ) != PRESSE_OK || presse_analyzer_new(&an) != PRESSE_OK) {
    j->errors++;
    presse_db_close(db);
    return NULL;
  }
  double end = bench_now() + j->seconds;
  for (size_t i = j->start; bench_now() < end; i++) {
    const query *q = &j->qs[i % j->nq];
    presse_search_opts so = {.limit = 10, .facets = q->facets};
    presse_result r;
    double t0 = bench_now();
    int rc = presse_search(db, an, q->text, &so, &r);
    if (rc == PRESSE_OK && j->json) {
      presse_output_opts oo = {.query = q->text, .limit = 10, .facets = q->facets};
      char *out = NULL;
      if (presse_output_json(an, &r, &oo, &out) != PRESSE_OK) rc = PRESSE_ENOMEM;
      free(out);
    }
    presse_result_free(&r);
    double ms = (bench_now() - t0) * 1e3;
    if (rc != PRESSE_OK) j->errors++;
    if (j->nlat == j->cap) {
      j->cap = j->cap ? j->cap * 2 : 4096;
      double *nl = realloc(j->lat, j->cap * sizeof *nl);
      if (!nl) break;
      j->lat = nl;
    }
    j->lat[j->nlat++] = ms;
  }
  presse_analyzer_free(an);
  presse_db_close(db);
  return NULL;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  const char *dbp = NULL, *qfile = NULL;
  unsigned threads = 1;
  double seconds = 10;
  int json = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--db") && i + 1 < argc) dbp = argv[++i];
    else if (!strcmp(argv[i], "--queries") && i + 1 < argc) qfile = argv[++i];
    else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = (unsigned)atoi(argv[++i]);
    else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) seconds = atof(argv[++i]);
    else if (!strcmp(argv[i], "--json")) json = 1;
    else {
      fprintf(stderr, "usage: bench-serve-ceiling --db DIR --queries FILE --threads N [--seconds S] [--json]\n");
      return 2;
    }
  }
  size_t len;
  char *data = qfile ? bench_slurp(qfile, &len) : NULL;
  if (!dbp || !data || threads < 1 || threads > 1024) {
    fprintf(stderr, "bench-serve-ceiling: need --db, a readable --queries file and --threads 1..1024\n");
    return 2;
  }
  size_t nq = 0, cap = 1024;
  query *qs = malloc(cap * sizeof *qs);
  for (char *line = strtok(data, "\n"); line && qs; line = strtok(NULL, "\n")) {
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = '\0';
    if (nq == cap) qs = realloc(qs, (cap *= 2) * sizeof *qs);
    if (qs) qs[nq++] = (query){(unsigned)atoi(line), tab + 1};
  }
  if (!qs || !nq) {
    fprintf(stderr, "bench-serve-ceiling: no queries in '%s' (FACETS<TAB>QUERY per line)\n", qfile);
    return 2;
  }
  job *jobs = calloc(threads, sizeof *jobs);
  pthread_t *th = calloc(threads, sizeof *th);
  for (unsigned k = 0; k < threads; k++) {
    jobs[k] = (job){.db = dbp, .qs = qs, .nq = nq, .start = k * 131u, .seconds = seconds, .json = json};
    pthread_create(&th[k], NULL, run, &jobs[k]);
  }
  size_t total = 0;
  unsigned long long errors = 0;
  for (unsigned k = 0; k < threads; k++) {
    pthread_join(th[k], NULL);
    total += jobs[k].nlat;
    errors += jobs[k].errors;
  }
  double *all = malloc((total ? total : 1) * sizeof *all);
  size_t at = 0;
  for (unsigned k = 0; k < threads; k++) {
    memcpy(all + at, jobs[k].lat, jobs[k].nlat * sizeof *all);
    at += jobs[k].nlat;
    free(jobs[k].lat);
  }
  qsort(all, total, sizeof *all, cmp);
  printf("CEIL\t%zu\t%.1f\t%.2f\t%.2f\t%llu\n", total, (double)total / seconds, total ? all[total / 2] : 0.0,
         total ? all[(size_t)((double)total * 0.99)] : 0.0, errors);
  free(all);
  free(jobs);
  free(th);
  free(qs);
  free(data);
  return 0;
}
