/* bench-shards: query latency over one database, N local shards and N shards behind stock
 * xapian-tcpsrv on loopback (issue 12), and a scale run over a resampled corpus.
 *
 *   bench-shards [--shards N] [--queries N] [--scale DOCS] [--single-scale DOCS] [JSONL]
 *
 * Queries: the titles of every 7th record, sanitised as bench-index does, searched with 10 hits
 * and their stored data (what presse-query shows), single-threaded, a warm-up pass then a timed
 * pass per database. --scale DOCS resamples the corpus deterministically to DOCS releases (record
 * k is record k mod n with the id "scale-k", its sentences rotated by k / n so that no two are the
 * same text), indexes them into --shards shards with presse-index and reports time, size and query
 * p50/p99; --single-scale DOCS does the same into one database for the figures beside it.
 * A benchmark, not a test: it prints figures and exits 0; it skips when the corpus is absent. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "presse/presse.h"
#include "sanitise.h"
#include "tests/loopback.h"

#ifndef PRESSE_INDEX_BIN
#define PRESSE_INDEX_BIN "presse-index"
#endif
#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif
#define DEFAULT_CORPUS "shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl"

static char work[512];
static pid_t servers[64];
static int nservers;

static void stop_servers(void) {
  for (int i = 0; i < nservers; i++)
    if (servers[i] > 0) {
      loopback_stop(servers[i]);
      servers[i] = 0;
    }
}

static void on_signal(int sig) {
  stop_servers();
  signal(sig, SIG_DFL);
  raise(sig);
}

static int rm_one(const char *p, const struct stat *st, int type, struct FTW *ftw) {
  (void)st, (void)type, (void)ftw;
  return remove(p);
}

static unsigned long long du;
static int du_add(const char *p, const struct stat *st, int type, struct FTW *ftw) {
  (void)p, (void)ftw;
  if (type == FTW_F) du += (unsigned long long)st->st_size;
  return 0;
}
static double mb_of(const char *dir) {
  du = 0;
  nftw(dir, du_add, 16, FTW_PHYS);
  return (double)du / 1e6;
}

static int sh(const char *cmd) {
  int rc = system(cmd);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static pid_t start_server(int port, const char *shard) {
  char ps[16];
  snprintf(ps, sizeof ps, "%d", port);
  char *argv[] = {"xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", ps, (char *)shard, NULL};
  return loopback_start(argv, port);
}

typedef struct qset {
  char **q;
  size_t n;
} qset;

/* Every 7th title as a query, sanitised like bench-index's. */
static qset load_queries(const char *jsonl, size_t max) {
  qset s = {calloc(max, sizeof(char *)), 0};
  FILE *f = fopen(jsonl, "r");
  char *line = NULL;
  size_t cap = 0, k = 0;
  while (f && s.n < max && getline(&line, &cap, f) > 0) {
    if (k++ % 7) continue;
    json_t *o = json_loads(line, 0, NULL);
    const char *t = json_string_value(json_object_get(o, "title"));
    char *q = t ? bench_sanitise_query(t, 0) : NULL;
    if (q && *q) s.q[s.n++] = q;
    else free(q);
    json_decref(o);
  }
  free(line);
  if (f) fclose(f);
  return s;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

typedef struct qstat {
  double p50, p99, mean;
  unsigned long long first_ids; /* sum of the hits' data lengths over the set, to compare answers */
} qstat;

/* One warm-up and one timed pass of the query set: presse_search with 10 hits and their data. */
static qstat run_queries(const char *path, const qset *qs) {
  qstat st = {0, 0, 0, 0};
  presse_db *db = NULL;
  presse_analyzer *an = NULL;
  if (presse_db_open(&db, path, PRESSE_DB_READ) != PRESSE_OK || presse_analyzer_new(&an) != PRESSE_OK) {
    fprintf(stderr, "bench-shards: %s: %s\n", path, presse_db_errmsg(db));
    presse_db_close(db);
    return st;
  }
  double *ms = calloc(qs->n ? qs->n : 1, sizeof *ms);
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < qs->n; i++) {
      presse_search_opts o = {.limit = 10};
      presse_result r;
      double t0 = bench_now();
      int rc = presse_search(db, an, qs->q[i], &o, &r);
      size_t bytes = 0;
      for (size_t h = 0; rc == PRESSE_OK && h < presse_hits_count(r.hits); h++) {
        size_t len;
        presse_hits_data(r.hits, h, &len);
        bytes += len;
      }
      double t = (bench_now() - t0) * 1000.0;
      if (pass) {
        ms[i] = t;
        st.first_ids += bytes;
      }
      presse_result_free(&r);
    }
  double sum = 0;
  for (size_t i = 0; i < qs->n; i++) sum += ms[i];
  qsort(ms, qs->n, sizeof *ms, cmp_double);
  if (qs->n) {
    st.p50 = ms[(qs->n - 1) / 2];
    st.p99 = ms[(size_t)((double)(qs->n - 1) * 0.99)];
    st.mean = sum / (double)qs->n;
  }
  free(ms);
  presse_analyzer_free(an);
  presse_db_close(db);
  return st;
}

/* presse-index into db (shards > 0: --shards), wall seconds. */
static double index_into(const char *db, unsigned shards, const char *jsonl) {
  char cmd[2048];
  char sopt[32] = "";
  if (shards) snprintf(sopt, sizeof sopt, "--shards %u", shards);
  /* no changesets: the figures are those of a build that no replica follows (they double the size) */
  snprintf(cmd, sizeof cmd, "'%s' --db '%s' -q --changesets 0 %s add --jsonl '%s'", PRESSE_INDEX_BIN, db, sopt, jsonl);
  double t0 = bench_now();
  int rc = sh(cmd);
  double t = bench_now() - t0;
  if (rc != 0) fprintf(stderr, "bench-shards: presse-index exited %d\n", rc);
  return t;
}

/* Resamples the corpus to n records (see the header comment). */
static void resample(const char *jsonl, unsigned long n, const char *out) {
  FILE *f = fopen(jsonl, "r"), *o = fopen(out, "w");
  char *line = NULL;
  size_t cap = 0;
  json_t **recs = NULL;
  size_t nr = 0, rcap = 0;
  while (f && getline(&line, &cap, f) > 0) {
    json_t *r = json_loads(line, 0, NULL);
    if (!r) continue;
    if (nr == rcap) recs = realloc(recs, (rcap = rcap ? rcap * 2 : 1024) * sizeof *recs);
    recs[nr++] = r;
  }
  for (unsigned long k = 0; o && nr && k < n; k++) {
    json_t *r = json_deep_copy(recs[k % nr]);
    char id[64];
    snprintf(id, sizeof id, "scale-%lu", k);
    json_object_set_new(r, "id", json_string(id));
    const char *text = json_string_value(json_object_get(r, "text"));
    if (text && k >= nr) { /* rotate the sentences: the same words, another text */
      size_t len = strlen(text), cut = 0, want = (k / nr) % 7 + 1;
      for (size_t i = 0, seen = 0; i + 1 < len; i++)
        if (text[i] == '.' && text[i + 1] == ' ' && ++seen == want) {
          cut = i + 2;
          break;
        }
      if (cut) {
        char *t = malloc(len + 2);
        memcpy(t, text + cut, len - cut);
        t[len - cut] = ' ';
        memcpy(t + len - cut + 1, text, cut);
        t[len + 1] = '\0';
        json_object_set_new(r, "text", json_string(t));
        free(t);
      }
    }
    char *s = json_dumps(r, JSON_COMPACT);
    fprintf(o, "%s\n", s);
    free(s);
    json_decref(r);
  }
  for (size_t i = 0; i < nr; i++) json_decref(recs[i]);
  free(recs);
  free(line);
  if (f) fclose(f);
  if (o) fclose(o);
}

static void scale_run(const char *jsonl, unsigned long docs, unsigned shards, const qset *qs) {
  char src[700], db[700];
  snprintf(src, sizeof src, "%s/scale-%lu.jsonl", work, docs);
  snprintf(db, sizeof db, "%s/scale-%lu-%u", work, docs, shards);
  resample(jsonl, docs, src);
  double t = index_into(db, shards, src);
  qstat q = run_queries(db, qs);
  printf("scale %8lu docs, %u shard%s: indexing %8.1f s (%6.0f docs/s), %9.1f MB, query p50 %7.2f ms, p99 %7.2f ms\n",
         docs, shards ? shards : 1, shards > 1 ? "s" : " ", t, (double)docs / t, mb_of(db), q.p50, q.p99);
  fflush(stdout);
  remove(src);
  nftw(db, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(int argc, char **argv) {
  unsigned shards = 3;
  size_t nq = 300;
  unsigned long scale = 0, single_scale = 0;
  const char *jsonl = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--shards") && i + 1 < argc) shards = (unsigned)strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--queries") && i + 1 < argc) nq = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--scale") && i + 1 < argc) scale = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--single-scale") && i + 1 < argc) single_scale = strtoul(argv[++i], NULL, 10);
    else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: bench-shards [--shards N] [--queries N] [--scale DOCS] [--single-scale DOCS] [JSONL]\n");
      return 2;
    } else jsonl = argv[i];
  }
  if (shards < 1 || shards > 64) shards = 3;
  static char def[1024];
  if (!jsonl) {
    snprintf(def, sizeof def, "%s/../%s", BENCH_SOURCE_DIR, DEFAULT_CORPUS);
    jsonl = def;
  }
  if (access(jsonl, R_OK) != 0) {
    printf("bench-shards: %s not found: skipped\n", jsonl);
    return 0;
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  snprintf(work, sizeof work, "/tmp/bench-shards.%d", (int)getpid());
  mkdir(work, 0755);
  qset qs = load_queries(jsonl, nq);
  char one[700], many[700], stub[700], shard[800];
  snprintf(one, sizeof one, "%s/one", work);
  snprintf(many, sizeof many, "%s/shards", work);
  snprintf(stub, sizeof stub, "%s/remote.stub", work);
  double t1 = index_into(one, 0, jsonl), tn = index_into(many, shards, jsonl);
  printf("corpus %s, %zu queries (10 hits with their data each), %u shards\n", jsonl, qs.n, shards);
  printf("indexing: one database %.1f s (%.1f MB), %u shards %.1f s (%.1f MB)\n", t1, mb_of(one), shards, tn,
         mb_of(many));
  FILE *f = fopen(stub, "w");
  for (unsigned i = 0; f && i < shards; i++) {
    int port = loopback_free_port();
    snprintf(shard, sizeof shard, "%s/shard%u", many, i);
    servers[nservers++] = start_server(port, shard);
    fprintf(f, "remote 127.0.0.1:%d\n", port);
  }
  if (f) fclose(f);
  qstat a = run_queries(one, &qs), b = run_queries(many, &qs), c = run_queries(stub, &qs);
  stop_servers();
  printf("%-28s %10s %10s %10s %12s\n", "query latency", "p50 ms", "p99 ms", "mean ms", "vs one p50");
  printf("%-28s %10.3f %10.3f %10.3f %12s\n", "one database", a.p50, a.p99, a.mean, "1.00x");
  printf("%-28s %10.3f %10.3f %10.3f %11.2fx\n", "local shards", b.p50, b.p99, b.mean, a.p50 > 0 ? b.p50 / a.p50 : 0);
  printf("%-28s %10.3f %10.3f %10.3f %11.2fx\n", "remote shards (xapian-tcpsrv)", c.p50, c.p99, c.mean,
         a.p50 > 0 ? c.p50 / a.p50 : 0);
  printf("answers (sum of the 10 hits' data sizes over the set): one %s local, one %s remote\n",
         a.first_ids == b.first_ids ? "==" : "!=", a.first_ids == c.first_ids ? "==" : "!=");
  fflush(stdout);
  if (single_scale) scale_run(jsonl, single_scale, 0, &qs);
  if (scale) scale_run(jsonl, scale, shards, &qs);
  nftw(work, rm_one, 16, FTW_DEPTH | FTW_PHYS);
  return 0;
}
