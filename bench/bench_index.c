/* bench-index: presse against a bare Xapian peer on the same documents and the same queries.
 * Indexing runs the real presse-index and xapian-peer binaries as child processes (wall time,
 * CPU time and peak RSS from wait4); queries run single-threaded, presse in this process through
 * libpresse, the peer in its own process, in alternating rounds of a warm-up and a timed pass.
 * See bench/README.md.
 *
 *   bench-index [--runs N] [--queries N] [--qpasses N] [--presse-opt OPT] [--keep] [JSONL-or-DIR]
 *
 * It is a benchmark, not a test: it prints a table and exits 0 whether the targets are met or
 * not, and skips (exit 0) when the corpus is absent. */
#define _DEFAULT_SOURCE /* wait4 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "presse/presse.h"
#include "bench_util.h"
#include "sanitise.h"

#ifndef PRESSE_INDEX_BIN
#define PRESSE_INDEX_BIN "presse-index"
#endif
#ifndef XAPIAN_PEER_BIN
#define XAPIAN_PEER_BIN "xapian-peer"
#endif
#ifndef BENCH_XAPIAN_VERSION
#define BENCH_XAPIAN_VERSION "?"
#endif
#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif

#define DEFAULT_CORPUS "shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl"

static const char *prog = "bench-index";

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", prog);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(2);
}


/* ---- the documents and the queries ---- */

typedef struct query {
  char *id;   /* the release the title came from */
  char *text; /* sanitised title */
} query;

typedef struct corpus {
  unsigned long long docs, bytes; /* records with an id and a text; title + text bytes */
  query *q;
  size_t nq, maxq;
} corpus;

static char *record_id(json_t *o) {
  json_t *jid = json_object_get(o, "id");
  if (json_is_string(jid)) return strdup(json_string_value(jid));
  if (json_is_integer(jid)) {
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)json_integer_value(jid));
    return strdup(b);
  }
  return NULL;
}

/* Titles become queries that both parsers read as plain words (bench/sanitise.h). */
static char *sanitise(const char *title) {
  char *s = bench_sanitise_query(title, 0);
  if (!s) die("%s", "out of memory");
  return s;
}

static void add_record(corpus *c, const char *id, const char *title, size_t title_len, size_t text_len) {
  c->docs++;
  c->bytes += title_len + text_len;
  if (c->nq < c->maxq && title && *title) {
    char *qt = sanitise(title);
    if (qt[strspn(qt, " ")]) {
      c->q[c->nq].id = strdup(id);
      c->q[c->nq].text = qt;
      c->nq++;
    } else {
      free(qt);
    }
  }
}

static void load_jsonl(corpus *c, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open %s", path);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) >= 0) {
    if (!line[strspn(line, " \t\r\n")]) continue;
    json_t *o = json_loadb(line, (size_t)n, 0, NULL);
    json_t *jtext = o ? json_object_get(o, "text") : NULL;
    char *id = o ? record_id(o) : NULL;
    if (id && *id && json_is_string(jtext)) {
      json_t *jt = json_object_get(o, "title");
      const char *title = json_is_string(jt) ? json_string_value(jt) : NULL;
      add_record(c, id, title, title ? json_string_length(jt) : 0, json_string_length(jtext));
    }
    free(id);
    json_decref(o);
  }
  free(line);
  fclose(f);
}

/* A directory of .txt/.md releases becomes one JSONL file that both systems index, so that
 * they see the very same records: id = path, title = the first line of two words or more
 * (without Markdown '#'), text = the rest. Hidden files and README/LICENSE/COPYING are skipped, as
 * presse-index skips them in a directory walk. */
static FILE *dir_out;
static unsigned long dir_files;
static char **dir_paths;
static size_t dir_n, dir_cap;

static int collect_file(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  const char *base = path + ftw->base;
  if (type == FTW_F && base[0] != '.' && strncmp(base, "README", 6) && strncmp(base, "LICENSE", 7) &&
      strncmp(base, "COPYING", 7)) {
    size_t n = strlen(path);
    if ((n > 4 && !strcmp(path + n - 4, ".txt")) || (n > 3 && !strcmp(path + n - 3, ".md"))) {
      if (dir_n == dir_cap) {
        dir_cap = dir_cap ? dir_cap * 2 : 256;
        dir_paths = realloc(dir_paths, dir_cap * sizeof *dir_paths);
        if (!dir_paths) die("%s", "out of memory");
      }
      dir_paths[dir_n++] = strdup(path);
    }
  }
  return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void dir_to_jsonl(const char *dir, const char *out) {
  if (nftw(dir, collect_file, 32, FTW_PHYS)) die("cannot walk %s", dir);
  qsort(dir_paths, dir_n, sizeof *dir_paths, cmp_str);
  dir_out = fopen(out, "wb");
  if (!dir_out) die("cannot write %s", out);
  for (size_t i = 0; i < dir_n; i++) {
    FILE *f = fopen(dir_paths[i], "rb");
    if (!f) continue;
    char *buf = NULL;
    size_t len = 0, cap = 0, r;
    char tmp[65536];
    while ((r = fread(tmp, 1, sizeof tmp, f)) > 0) {
      if (len + r + 1 > cap) {
        cap = (len + r + 1) * 2;
        buf = realloc(buf, cap);
        if (!buf) die("%s", "out of memory");
      }
      memcpy(buf + len, tmp, r);
      len += r;
    }
    fclose(f);
    if (!buf) continue;
    buf[len] = '\0';
    /* The title: the first line of two words or more ("PRESSEINFORMATION" is not a title),
     * else the first non-empty line. The text: the file without that line. */
    char *title = NULL, *tend = NULL, *first = NULL, *fend = NULL;
    for (char *l = buf; *l;) {
      char *e = l + strcspn(l, "\n");
      char *t = l;
      while (*t == '#' || *t == ' ' || *t == '\t') t++;
      char *te = e;
      while (te > t && strchr(" \t\r", te[-1])) te--;
      if (te > t) {
        if (!first) first = t, fend = te;
        if (memchr(t, ' ', (size_t)(te - t))) {
          title = t, tend = te;
          break;
        }
      }
      l = *e ? e + 1 : e;
    }
    if (!title) title = first, tend = fend;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(dir_paths[i]));
    json_object_set_new(o, "title", title ? json_stringn(title, (size_t)(tend - title)) : json_string(""));
    if (title) { /* cut the title line out of the text */
      char *ls = title, *le = tend + strcspn(tend, "\n");
      while (ls > buf && ls[-1] != '\n') ls--;
      if (*le) le++;
      memmove(ls, le, strlen(le) + 1);
    }
    json_object_set_new(o, "text", json_string(buf));
    if (json_object_get(o, "title") && json_object_get(o, "text")) { /* NULL for invalid UTF-8 */
      char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
      if (line) {
        fprintf(dir_out, "%s\n", line);
        dir_files++;
      }
      free(line);
    }
    json_decref(o);
    free(buf);
    free(dir_paths[i]);
  }
  free(dir_paths);
  if (fclose(dir_out)) die("cannot write %s", out);
}

/* ---- child processes ---- */

typedef struct child_run {
  double wall, cpu; /* seconds */
  long maxrss_kb;
  int status;
} child_run;

static child_run run_child(char *const argv[], const char *stdout_path) {
  child_run r = {0};
  fflush(NULL);
  double t0 = bench_now();
  pid_t pid = fork();
  if (pid < 0) die("fork: %s", strerror(errno));
  if (pid == 0) {
    int fd = open(stdout_path ? stdout_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      close(fd);
    }
    execv(argv[0], argv);
    fprintf(stderr, "%s: cannot run %s: %s\n", prog, argv[0], strerror(errno));
    _exit(127);
  }
  struct rusage ru;
  int st;
  while (wait4(pid, &st, 0, &ru) < 0)
    if (errno != EINTR) die("wait4: %s", strerror(errno));
  r.wall = bench_now() - t0;
  r.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
          (double)ru.ru_stime.tv_usec / 1e6;
  r.maxrss_kb = ru.ru_maxrss;
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

static unsigned long long du_total;
static int du_add(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)path, (void)ftw;
  if (type == FTW_F) du_total += (unsigned long long)st->st_size;
  return 0;
}
static unsigned long long dir_bytes(const char *dir) {
  du_total = 0;
  nftw(dir, du_add, 16, FTW_PHYS);
  return du_total;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st, (void)ftw;
  return type == FTW_DP ? rmdir(path) : unlink(path);
}
static void rm_rf(const char *dir) { nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

/* The temporary directory, removed at exit (also after die()) unless --keep. */
static char work[4096];
static int keep;
static void cleanup(void) {
  if (work[0] && !keep) rm_rf(work);
}

/* ---- queries ---- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

typedef struct qresult {
  double ms;
  unsigned long long matches;
  int self_first; /* the query's own release came first */
} qresult;

static char *hit_id(const char *data, size_t len) {
  json_t *o = json_loadb(data, len, 0, NULL);
  char *id = o ? record_id(o) : NULL;
  json_decref(o);
  return id;
}

/* One round of presse: a warm-up pass over all queries, then a timed pass whose latencies go to
 * ms[i * rounds + round]. Matches, errors and rank 1 are taken in round 0. */
static void presse_queries(presse_db *db, presse_analyzer *a, const corpus *c, int round, int rounds, double *ms,
                           qresult *res, size_t *errors) {
  presse_search_opts opts = {0};
  opts.limit = 10;
  opts.sort = PRESSE_SORT_RELEVANCE;
  volatile size_t sink = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < c->nq; i++) {
      double t0 = bench_now();
      presse_query *q = NULL;
      presse_hits *h = NULL;
      int rc = presse_query_parse(&q, a, c->q[i].text);
      const presse_qnode *tree = rc == PRESSE_OK ? presse_query_tree(q) : NULL;
      if (tree) rc = presse_db_search(db, tree, &opts, &h);
      size_t nh = h ? presse_hits_count(h) : 0;
      for (size_t k = 0; k < nh; k++) {
        size_t len;
        const char *d = presse_hits_data(h, k, &len);
        sink += len + (d && len ? (unsigned char)d[len - 1] : 0);
      }
      double t1 = bench_now();
      if (pass == 0) {
        presse_hits_free(h);
        presse_query_free(q);
        continue;
      }
      ms[i * (size_t)rounds + (size_t)round] = (t1 - t0) * 1e3;
      if (round == 0) {
        res[i].matches = h ? presse_hits_total(h) : 0;
        res[i].self_first = 0;
        if (rc != PRESSE_OK) (*errors)++;
        if (nh) { /* outside the timed region */
          size_t len;
          const char *d = presse_hits_data(h, 0, &len);
          char *id = hit_id(d, len);
          res[i].self_first = id && !strcmp(id, c->q[i].id);
          free(id);
        }
      }
      presse_hits_free(h);
      presse_query_free(q);
    }
  }
  (void)sink;
}

/* One round of the peer, in its own process: it warms up and times one pass itself. */
static void peer_queries(const char *peer, const char *dbdir, const char *qfile, const char *outfile,
                         const corpus *c, int round, int rounds, double *ms, qresult *res) {
  char *argv[] = {(char *)peer, "query", (char *)dbdir, (char *)qfile, "1", NULL};
  child_run r = run_child(argv, outfile);
  if (r.status) die("xapian-peer query failed (status %s)", r.status == 127 ? "127, not found" : "non-zero");
  FILE *f = fopen(outfile, "rb");
  if (!f) die("cannot read %s", outfile);
  char *line = NULL;
  size_t cap = 0, i = 0;
  while (getline(&line, &cap, f) >= 0 && i < c->nq) {
    long long ns = 0;
    unsigned long long m = 0;
    char top[4096] = "";
    if (sscanf(line, "%lld\t%llu\t%4095[^\n]", &ns, &m, top) < 2) continue;
    ms[i * (size_t)rounds + (size_t)round] = (double)ns / 1e6;
    if (round == 0) {
      res[i].matches = m;
      res[i].self_first = !strcmp(top, c->q[i].id);
    }
    i++;
  }
  free(line);
  fclose(f);
  if (i != c->nq) die("%s", "xapian-peer query printed fewer results than there are queries");
}

typedef struct qstats {
  double p50, p95, p99, mean, max;
  size_t self_first, empty;
} qstats;

static double pct(const double *sorted, size_t n, double p) { /* nearest rank */
  size_t k = (size_t)ceil(p / 100.0 * (double)n);
  return sorted[k ? k - 1 : 0];
}

static qstats summarise(const qresult *r, size_t n) {
  qstats s = {0};
  double *v = malloc((n ? n : 1) * sizeof *v);
  if (!v) die("%s", "out of memory");
  for (size_t i = 0; i < n; i++) {
    v[i] = r[i].ms;
    s.mean += r[i].ms;
    s.self_first += r[i].self_first != 0;
    s.empty += r[i].matches == 0;
  }
  qsort(v, n, sizeof *v, cmp_double);
  if (n) {
    s.p50 = pct(v, n, 50);
    s.p95 = pct(v, n, 95);
    s.p99 = pct(v, n, 99);
    s.max = v[n - 1];
    s.mean /= (double)n;
  }
  free(v);
  return s;
}

/* ---- the table ---- */

static void row(const char *metric, double a, double b, int decimals) {
  char x[32], y[32], ratio[32] = "-";
  snprintf(x, sizeof x, "%.*f", decimals, a);
  snprintf(y, sizeof y, "%.*f", decimals, b);
  if (b > 0) snprintf(ratio, sizeof ratio, "%.2f", a / b);
  printf("| %-28s | %12s | %12s | %17s |\n", metric, x, y, ratio);
}

static int median_run(const child_run *r, int n) { /* index of the run with the median wall time */
  int best = 0;
  for (int i = 0; i < n; i++) {
    int below = 0, above = 0;
    for (int j = 0; j < n; j++) {
      if (r[j].wall < r[i].wall) below++;
      if (r[j].wall > r[i].wall) above++;
    }
    if (below <= n / 2 && above <= n / 2) best = i;
  }
  return best;
}

static const char *find_corpus(void) {
  static const char *cands[] = {"../" DEFAULT_CORPUS, "../../" DEFAULT_CORPUS, "../../../" DEFAULT_CORPUS,
                                BENCH_SOURCE_DIR "/../" DEFAULT_CORPUS};
  for (size_t i = 0; i < sizeof cands / sizeof *cands; i++)
    if (access(cands[i], R_OK) == 0) return cands[i];
  return NULL;
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: bench-index [--runs N] [--queries N] [--qpasses N] [--presse-opt OPT] [--keep] [JSONL-or-DIR]\n"
          "  Indexes the corpus with presse-index and with a bare Xapian peer, runs the first N\n"
          "  titles (default 1000) as queries on both, and prints a comparison table.\n"
          "  default corpus: ../%s (relative to the working directory or the source tree)\n"
          "  --runs N    index N times with each system and report the run with the median time (default 3)\n"
          "  --queries N how many titles to run as queries (default 1000)\n"
          "  --qpasses N query rounds, each a warm-up and a timed pass per system; each query's\n"
          "              median over the rounds counts (default 3)\n"
          "  --presse-opt OPT  pass OPT to presse-index (repeatable), e.g. --presse-opt --no-entities\n"
          "  --keep      keep the temporary databases and print where they are\n"
          "  env PRESSE_INDEX, XAPIAN_PEER: the binaries to run (default: the ones built beside this one)\n",
          DEFAULT_CORPUS);
}

int main(int argc, char **argv) {
  const char *input = NULL;
  int runs = 3, qpasses = 3;
  char *popts[16];
  int npopts = 0;
  size_t maxq = 1000;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--runs") && i + 1 < argc) {
      runs = atoi(argv[++i]);
      if (runs < 1 || runs > 50) die("bad --runs %s", argv[i]);
    } else if (!strcmp(argv[i], "--qpasses") && i + 1 < argc) {
      qpasses = atoi(argv[++i]);
      if (qpasses < 1 || qpasses > 100) die("bad --qpasses %s", argv[i]);
    } else if (!strcmp(argv[i], "--queries") && i + 1 < argc) {
      maxq = (size_t)strtoul(argv[++i], NULL, 10);
      if (!maxq) die("bad --queries %s", argv[i]);
    } else if (!strcmp(argv[i], "--presse-opt") && i + 1 < argc) {
      if (npopts == 16) die("%s", "too many --presse-opt");
      popts[npopts++] = argv[++i];
    } else if (!strcmp(argv[i], "--keep")) {
      keep = 1;
    } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
      usage(stdout);
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      usage(stderr);
      return 2;
    } else {
      input = argv[i];
    }
  }
  if (!input) input = find_corpus();
  struct stat st;
  if (!input || stat(input, &st) != 0) {
    printf("%s: corpus %s not found, skipping\n", prog, input ? input : "../" DEFAULT_CORPUS);
    return 0;
  }
  const char *presse_bin = getenv("PRESSE_INDEX") ? getenv("PRESSE_INDEX") : PRESSE_INDEX_BIN;
  const char *peer_bin = getenv("XAPIAN_PEER") ? getenv("XAPIAN_PEER") : XAPIAN_PEER_BIN;

  const char *tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
  snprintf(work, sizeof work, "%s/presse-bench-XXXXXX", tmp);
  if (!mkdtemp(work)) {
    work[0] = '\0';
    die("cannot create a temporary directory in %s", tmp);
  }
  atexit(cleanup);
  char jsonl[4200], pdb_dir[4200], xdb_dir[4200], qfile[4200], qout[4200], pout[4200];
  snprintf(pdb_dir, sizeof pdb_dir, "%s/presse", work);
  snprintf(xdb_dir, sizeof xdb_dir, "%s/xapian", work);
  snprintf(qfile, sizeof qfile, "%s/queries.tsv", work);
  snprintf(qout, sizeof qout, "%s/peer-latencies.tsv", work);
  snprintf(pout, sizeof pout, "%s/peer-index.out", work);

  if (S_ISDIR(st.st_mode)) {
    snprintf(jsonl, sizeof jsonl, "%s/docs.jsonl", work);
    dir_to_jsonl(input, jsonl);
  } else {
    snprintf(jsonl, sizeof jsonl, "%s", input);
  }

  corpus c = {0};
  c.maxq = maxq;
  c.q = calloc(maxq, sizeof *c.q);
  if (!c.q) die("%s", "out of memory");
  load_jsonl(&c, jsonl);
  if (!c.docs) die("no records with an id and a text in %s", input);

  FILE *qf = fopen(qfile, "wb");
  if (!qf) die("cannot write %s", qfile);
  for (size_t i = 0; i < c.nq; i++) fprintf(qf, "%s\t%s\n", c.q[i].id, c.q[i].text);
  if (fclose(qf)) die("cannot write %s", qfile);

  printf("%s: %s\n", prog, input);
  printf("  %llu documents, %.2f MB of title+text (MB = 10^6 bytes), %zu title queries\n", c.docs,
         (double)c.bytes / 1e6, c.nq);
  printf("  presse-index: %s", presse_bin);
  for (int o = 0; o < npopts; o++) printf(" %s", popts[o]);
  printf("\n  xapian-peer:  %s (Xapian %s)\n", peer_bin, BENCH_XAPIAN_VERSION);
  double load0[1] = {0};
  if (getloadavg(load0, 1) == 1)
    printf("  load average %.2f on %ld CPUs at the start%s\n", load0[0], sysconf(_SC_NPROCESSORS_ONLN),
           load0[0] > 0.5 ? " (something else is running: expect noise)" : "");
  fflush(stdout);

  /* Indexing: alternate the two systems so that a noisy neighbour hurts both alike. */
  child_run pr[50], xr[50];
  for (int k = 0; k < runs; k++) {
    rm_rf(pdb_dir);
    rm_rf(xdb_dir);
    char *pargv[32] = {(char *)presse_bin, "--db", pdb_dir, "-q"};
    int na = 4;
    for (int o = 0; o < npopts; o++) pargv[na++] = popts[o];
    pargv[na++] = "add";
    pargv[na++] = "--jsonl";
    pargv[na++] = jsonl;
    pargv[na] = NULL;
    pr[k] = run_child(pargv, NULL);
    if (pr[k].status) {
      fprintf(stderr, "%s: presse-index exited with status %d\n", prog, pr[k].status);
      if (pr[k].status != 1) return 2; /* 1: some records skipped, each named on stderr */
    }
    char *xargv[] = {(char *)peer_bin, "index", xdb_dir, jsonl, NULL};
    xr[k] = run_child(xargv, pout);
    if (xr[k].status) die("xapian-peer index failed (status %s)", xr[k].status == 127 ? "127, not found" : "non-zero");
    printf("  indexing run %d: presse %.2f s, peer %.2f s\n", k + 1, pr[k].wall, xr[k].wall);
    fflush(stdout);
  }
  child_run p = pr[median_run(pr, runs)], x = xr[median_run(xr, runs)];
  long p_rss = 0, x_rss = 0;
  for (int k = 0; k < runs; k++) {
    if (pr[k].maxrss_kb > p_rss) p_rss = pr[k].maxrss_kb;
    if (xr[k].maxrss_kb > x_rss) x_rss = xr[k].maxrss_kb;
  }
  unsigned long long p_size = dir_bytes(pdb_dir), x_size = dir_bytes(xdb_dir);

  /* Both indexes must hold the same number of documents, or the comparison means nothing. */
  unsigned long long p_docs = 0, x_docs = 0;
  {
    presse_db *db = NULL;
    presse_db_stats s;
    if (presse_db_open(&db, pdb_dir, PRESSE_DB_READ) == PRESSE_OK && presse_db_stats_get(db, &s) == PRESSE_OK)
      p_docs = s.docs;
    presse_db_close(db);
    FILE *f = fopen(pout, "rb");
    if (f) {
      if (fscanf(f, "docs %llu", &x_docs) != 1) x_docs = 0;
      fclose(f);
    }
  }

  qresult *pq = calloc(c.nq ? c.nq : 1, sizeof *pq), *xq = calloc(c.nq ? c.nq : 1, sizeof *xq);
  if (!pq || !xq) die("%s", "out of memory");
  /* Queries: rounds of presse and the peer in turn, so that a busy neighbour slows both alike;
   * each query's latency is its median over the rounds. */
  double *pt = malloc((c.nq ? c.nq : 1) * (size_t)qpasses * sizeof *pt);
  double *xt = malloc((c.nq ? c.nq : 1) * (size_t)qpasses * sizeof *xt);
  if (!pt || !xt) die("%s", "out of memory");
  size_t perr = 0;
  double tq = bench_now();
  {
    presse_db *db = NULL;
    if (presse_db_open(&db, pdb_dir, PRESSE_DB_READ) != PRESSE_OK)
      die("cannot open the presse index: %s", presse_db_errmsg(db));
    presse_analyzer *a = NULL;
    if (presse_analyzer_new(&a) != PRESSE_OK) die("%s", "cannot create the analyzer");
    for (int r = 0; r < qpasses; r++) {
      presse_queries(db, a, &c, r, qpasses, pt, pq, &perr);
      peer_queries(peer_bin, xdb_dir, qfile, qout, &c, r, qpasses, xt, xq);
    }
    presse_analyzer_free(a);
    presse_db_close(db);
  }
  tq = bench_now() - tq;
  for (size_t i = 0; i < c.nq; i++) {
    qsort(pt + i * (size_t)qpasses, (size_t)qpasses, sizeof *pt, cmp_double);
    qsort(xt + i * (size_t)qpasses, (size_t)qpasses, sizeof *xt, cmp_double);
    pq[i].ms = pt[i * (size_t)qpasses + (size_t)(qpasses - 1) / 2];
    xq[i].ms = xt[i * (size_t)qpasses + (size_t)(qpasses - 1) / 2];
  }
  free(pt);
  free(xt);
  qstats ps = summarise(pq, c.nq), xs = summarise(xq, c.nq);

  double mb = (double)c.bytes / 1e6;
  printf("\n");
  printf("| %-28s | %12s | %12s | %17s |\n", "metric", "presse", "xapian peer", "ratio presse/peer");
  printf("|%s|%s|%s|%s|\n", "------------------------------", "--------------", "--------------",
         "-------------------");
  row("documents indexed", (double)p_docs, (double)x_docs, 0);
  row("index wall time s", p.wall, x.wall, 2);
  row("index CPU time s", p.cpu, x.cpu, 2);
  row("indexing docs/s", (double)c.docs / p.wall, (double)c.docs / x.wall, 0);
  row("indexing MB/s", mb / p.wall, mb / x.wall, 2);
  row("index size MB", (double)p_size / 1e6, (double)x_size / 1e6, 1);
  row("peak RSS indexing MB", (double)p_rss * 1024 / 1e6, (double)x_rss * 1024 / 1e6, 1);
  row("query p50 ms", ps.p50, xs.p50, 3);
  row("query p95 ms", ps.p95, xs.p95, 3);
  row("query p99 ms", ps.p99, xs.p99, 3);
  row("query mean ms", ps.mean, xs.mean, 3);
  row("query max ms", ps.max, xs.max, 3);
  row("title queries, own at rank 1", (double)ps.self_first, (double)xs.self_first, 0);
  row("title queries with no match", (double)ps.empty, (double)xs.empty, 0);
  printf("\n");
  printf("Queries: the first %zu titles in file order, trailing \"(Nr. ...)\" dropped, the characters\n"
         "\" ( ) * - : + | & and typographic quotes replaced by spaces, operator words lower-cased;\n"
         "all words must match on both sides (the peer's QueryParser runs with default op AND and\n"
         "STEM_SOME); top 10 with stored data read. %d rounds, presse and peer in turn, each a\n"
         "warm-up pass and a timed pass; a query's latency is its median over the rounds.\n",
         c.nq, qpasses);
  if (perr) printf("presse rejected %zu queries (counted as no match).\n", perr);
  if (p_docs != x_docs) printf("WARNING: the two indexes hold different numbers of documents.\n");
  if (runs > 1) printf("Indexing: median of %d runs by wall time; peak RSS is the maximum over the runs.\n", runs);
  printf("\nTargets (issue 2):\n");
  double pdps = (double)c.docs / p.wall, xdps = (double)c.docs / x.wall;
  printf("  indexing throughput >= peer : %-4s (%.0f vs %.0f docs/s)\n", pdps >= xdps ? "PASS" : "MISS", pdps, xdps);
  printf("  query p50 <= 1.2 x peer     : %-4s (%.3f vs %.3f ms = %.2fx)\n", ps.p50 <= 1.2 * xs.p50 ? "PASS" : "MISS",
         ps.p50, xs.p50, xs.p50 > 0 ? ps.p50 / xs.p50 : 0.0);
  printf("  query p99 < 5 ms            : %-4s (%.3f ms)\n", ps.p99 < 5.0 ? "PASS" : "MISS", ps.p99);
  double load1[1] = {0};
  if (getloadavg(load1, 1) == 1) printf("  (the query rounds took %.1f s; load average at the end %.2f)\n", tq, load1[0]);

  if (keep) printf("\nkept: %s\n", work);
  for (size_t i = 0; i < c.nq; i++) {
    free(c.q[i].id);
    free(c.q[i].text);
  }
  free(c.q);
  free(pq);
  free(xq);
  return 0;
}
