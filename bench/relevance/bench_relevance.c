/* bench-relevance: presse's ranking against Xapian, SQLite FTS5 and PostgreSQL on the same
 * documents and queries (issue 4). Two query sets: known-item search on the Berlin police
 * corpus (a release's title finds that release, indexed without its title) and the hand-judged
 * queries of corpus-queries.tsv over corpus/. For each system it prints MRR@10, hit@1, hit@10
 * and nDCG@10, and presse's ratio to the best peer; then the compound splitter's precision and
 * recall on tests/compound_splits.tsv, and optionally a BM25 k1/b sweep of presse.
 * See bench/relevance/README.md.
 *
 *   bench-relevance [--queries N] [--berlin JSONL] [--corpus DIR] [--judgments TSV]
 *                   [--query-offset N] [--k1 LIST --b LIST] [--presse-k1 X] [--presse-b X] [--forms]
 *                   [--collapse] [--presse-only] [--no-pg] [--no-sqlite] [--no-xapian] [--xapian-and]
 *                   [--first-line-title] [--strict-hyphens] [--sanitised] [--pg-bindir DIR] [--xapian-rel PATH]
 *                   [--dump FILE] [--keep]
 *
 * A benchmark, not a test: it exits 0 whether presse wins or not. A peer whose software is
 * missing is skipped with the reason; a missing query set is skipped too. */
#define _DEFAULT_SOURCE /* mkdtemp, realpath, getloadavg */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "presse/presse.h"
#include "bench/bench_util.h"
#include "bench/sanitise.h"
#include "tests/compound_table.h"

#ifdef HAVE_SQLITE3
#include <sqlite3.h>
#endif
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif
#ifndef XAPIAN_REL_BIN
#define XAPIAN_REL_BIN "xapian-rel"
#endif
#ifndef BENCH_XAPIAN_VERSION
#define BENCH_XAPIAN_VERSION "?"
#endif

#define TOPK 10
#define BERLIN_REL "shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl"
#define PG_BINDIR "/usr/lib/postgresql/15/bin"

static const char *prog = "bench-relevance";

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", prog);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(2);
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die("%s", "out of memory");
  return p;
}
static void *xcalloc(size_t n, size_t s) {
  void *p = calloc(n ? n : 1, s ? s : 1);
  if (!p) die("%s", "out of memory");
  return p;
}
static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) die("%s", "out of memory");
  return p;
}
static char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) die("%s", "out of memory");
  return p;
}

/* ---- documents, queries, judgments ---- */

typedef struct doc {
  char *key;  /* what judgments name: the record id, or the file's basename */
  char *path; /* corpus files: absolute path (presse's id for them) */
  char *text; /* what the peers index: the text (Berlin) or the whole file (corpus) */
  size_t len;
} doc;

typedef struct query {
  char *text; /* sanitised */
  char *kind;
  int nrel;
  int *rel, *grade;
} query;

typedef struct qset {
  const char *name, *label;
  doc *d;
  size_t nd, dcap;
  query *q;
  size_t nq, qcap;
  int files; /* documents are files: presse indexes them with presse_indexer_add_file */
  /* key -> document index */
  char **hkey;
  int *hval;
  size_t hcap;
} qset;

static size_t hash(const char *s) {
  size_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static void map_build(qset *s) {
  s->hcap = 16;
  while (s->hcap < s->nd * 2) s->hcap *= 2;
  s->hkey = xcalloc(s->hcap, sizeof *s->hkey);
  s->hval = xcalloc(s->hcap, sizeof *s->hval);
  for (size_t i = 0; i < s->nd; i++) {
    size_t h = hash(s->d[i].key) & (s->hcap - 1);
    while (s->hkey[h] && strcmp(s->hkey[h], s->d[i].key)) h = (h + 1) & (s->hcap - 1);
    s->hkey[h] = s->d[i].key;
    s->hval[h] = (int)i;
  }
}

static int map_get(const qset *s, const char *key) {
  size_t h = hash(key) & (s->hcap - 1);
  while (s->hkey[h]) {
    if (!strcmp(s->hkey[h], key)) return s->hval[h];
    h = (h + 1) & (s->hcap - 1);
  }
  return -1;
}

static void add_doc(qset *s, char *key, char *path, char *text, size_t len) {
  if (s->nd == s->dcap) {
    s->dcap = s->dcap ? s->dcap * 2 : 1024;
    s->d = xrealloc(s->d, s->dcap * sizeof *s->d);
  }
  s->d[s->nd++] = (doc){key, path, text, len};
}

static query *add_query(qset *s, char *text, const char *kind) {
  if (s->nq == s->qcap) {
    s->qcap = s->qcap ? s->qcap * 2 : 256;
    s->q = xrealloc(s->q, s->qcap * sizeof *s->q);
  }
  query *q = &s->q[s->nq++];
  memset(q, 0, sizeof *q);
  q->text = text;
  q->kind = xstrdup(kind);
  return q;
}

static void add_rel(query *q, int d, int grade) {
  for (int k = 0; k < q->nrel; k++)
    if (q->rel[k] == d) {
      if (grade > q->grade[k]) q->grade[k] = grade;
      return;
    }
  q->rel = xrealloc(q->rel, (size_t)(q->nrel + 1) * sizeof *q->rel);
  q->grade = xrealloc(q->grade, (size_t)(q->nrel + 1) * sizeof *q->grade);
  q->rel[q->nrel] = d;
  q->grade[q->nrel] = grade;
  q->nrel++;
}

static void qset_free(qset *s) {
  for (size_t i = 0; i < s->nd; i++) {
    free(s->d[i].key);
    free(s->d[i].path);
    free(s->d[i].text);
  }
  for (size_t i = 0; i < s->nq; i++) {
    free(s->q[i].text);
    free(s->q[i].kind);
    free(s->q[i].rel);
    free(s->q[i].grade);
  }
  free(s->d);
  free(s->q);
  free(s->hkey);
  free(s->hval);
  free((char *)s->label);
}

/* Queries as typed (the default, issue 13): every system gets the title or the hand-written
 * query exactly as it is, "(Nr. 1681)", dashes, quotes and colons included: presse and Xapian's
 * QueryParser parse it, FTS5 and PostgreSQL get its space-separated words ORed (each quoted, as
 * before). --sanitised: the old rule instead. */
static int as_typed = 1;

/* Query strings as typed, or with --sanitised made plain words for every system alike
 * (bench/sanitise.h, bench-index's rule); with keep_hyphens a '-' inside a word stays, as the
 * hand-written queries use it. */
static char *sanitise(const char *title, int keep_hyphens) {
  char *s = as_typed ? strdup(title) : bench_sanitise_query(title, keep_hyphens);
  if (!s) {
    fprintf(stderr, "bench-relevance: out of memory\n");
    exit(1);
  }
  return s;
}

/* A word worth ORing: it has a letter or digit (an ASCII one, or a UTF-8 sequence from the
 * Latin-1 letters up: "–" and "«" do not count). */
static int has_word_char(const char *w, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)w[i];
    if (isalnum(c) || (c >= 0xC3 && c <= 0xDF)) return 1;
  }
  return 0;
}

/* Calls fn(ctx, word, len) for each space-separated word of s that has a word character. */
static void each_word(const char *s, void (*fn)(void *, const char *, size_t), void *ctx) {
  while (*s) {
    while (*s == ' ') s++;
    size_t n = strcspn(s, " ");
    if (n && has_word_char(s, n)) fn(ctx, s, n);
    s += n;
  }
}

static int load_berlin(qset *s, const char *path, size_t skip, size_t maxq) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&line, &cap, f)) >= 0) {
    json_t *o = json_loadb(line, (size_t)n, 0, NULL);
    json_t *jid = o ? json_object_get(o, "id") : NULL, *jt = o ? json_object_get(o, "text") : NULL;
    json_t *jtitle = o ? json_object_get(o, "title") : NULL;
    if (json_is_string(jid) && json_is_string(jt)) {
      add_doc(s, xstrdup(json_string_value(jid)), NULL, strndup(json_string_value(jt), json_string_length(jt)),
              json_string_length(jt));
      if (s->nd > skip && (!maxq || s->nq < maxq) && json_is_string(jtitle)) {
        char *qt = sanitise(json_string_value(jtitle), 0);
        if (*qt) add_rel(add_query(s, qt, "known-item"), (int)s->nd - 1, 1);
        else free(qt);
      }
    }
    json_decref(o);
  }
  free(line);
  fclose(f);
  map_build(s);
  return 0;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* corpus/[0-9][0-9][0-9]_*.md, in name order. */
static int load_corpus(qset *s, const char *dir) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  char **names = NULL;
  size_t nn = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    const char *b = e->d_name;
    size_t l = strlen(b);
    if (l > 7 && isdigit((unsigned char)b[0]) && isdigit((unsigned char)b[1]) && isdigit((unsigned char)b[2]) &&
        b[3] == '_' && !strcmp(b + l - 3, ".md")) {
      names = xrealloc(names, (nn + 1) * sizeof *names);
      names[nn++] = xstrdup(b);
    }
  }
  closedir(d);
  qsort(names, nn, sizeof *names, cmp_str);
  for (size_t i = 0; i < nn; i++) {
    char p[4096], abs[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, names[i]);
    size_t len;
    char *text = bench_slurp(p, &len);
    if (!text && errno == ENOMEM) die("%s", "out of memory");
    if (!text || !realpath(p, abs)) {
      free(text);
      free(names[i]);
      continue;
    }
    add_doc(s, names[i], xstrdup(abs), text, len);
  }
  free(names);
  map_build(s);
  return nn ? 0 : -1;
}

static int load_judgments(qset *s, const char *path, int keep_hyphens) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int lineno = 0;
  while ((n = getline(&line, &cap, f)) >= 0) {
    lineno++;
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0] || line[0] == '#') continue;
    char *f1 = line, *f2 = strchr(f1, '\t');
    if (!f2) {
      fprintf(stderr, "%s: %s:%d: no judgments, line skipped\n", prog, path, lineno);
      continue;
    }
    *f2++ = '\0';
    char *f3 = strchr(f2, '\t');
    if (f3) {
      *f3++ = '\0';
      char *f4 = strchr(f3, '\t');
      if (f4) *f4 = '\0';
    }
    query *q = add_query(s, sanitise(f1, keep_hyphens), f3 && *f3 ? f3 : "-");
    for (char *tok = strtok(f2, " "); tok; tok = strtok(NULL, " ")) {
      char *colon = strrchr(tok, ':');
      int grade = 1;
      if (colon) {
        *colon = '\0';
        grade = atoi(colon + 1);
      }
      int d = map_get(s, tok);
      if (d < 0) fprintf(stderr, "%s: %s:%d: no document %s\n", prog, path, lineno, tok);
      else if (grade > 0) add_rel(q, d, grade);
    }
    if (!q->nrel) fprintf(stderr, "%s: %s:%d: no relevant document known; the query counts as a miss\n", prog, path, lineno);
  }
  free(line);
  fclose(f);
  return 0;
}

/* ---- results and metrics ---- */

typedef struct result {
  char name[48];
  char abbr[12]; /* column heading of the per-kind table */
  int peer;     /* a peer (counts for "best peer"), not presse */
  int ran;
  char why[600]; /* why it did not run */
  int *top;     /* nq * TOPK document indices, -1 = none */
  double index_s, query_s;
  int errors;   /* queries the system rejected */
} result;

typedef struct metrics {
  double mrr, hit1, hit10, ndcg;
  size_t n;
} metrics;

static result *result_new(const qset *s, const char *name, const char *abbr, int peer) {
  result *r = xcalloc(1, sizeof *r);
  snprintf(r->name, sizeof r->name, "%s", name);
  snprintf(r->abbr, sizeof r->abbr, "%s", abbr);
  r->peer = peer;
  r->top = xmalloc(s->nq * TOPK * sizeof *r->top);
  for (size_t i = 0; i < s->nq * TOPK; i++) r->top[i] = -1;
  return r;
}

static void result_free(result *r) {
  if (!r) return;
  free(r->top);
  free(r);
}

static int grade_of(const query *q, int d) {
  for (int k = 0; k < q->nrel; k++)
    if (q->rel[k] == d) return q->grade[k];
  return 0;
}

static int cmp_int_desc(const void *a, const void *b) { return *(const int *)b - *(const int *)a; }

/* The 1-based rank of the first relevant document in the top 10, 0 if none. */
static int first_rank(const qset *s, const result *r, size_t qi) {
  for (int k = 0; k < TOPK; k++) {
    int d = r->top[qi * TOPK + (size_t)k];
    if (d >= 0 && grade_of(&s->q[qi], d) > 0) return k + 1;
  }
  return 0;
}

/* nDCG@10 with gains 2^grade - 1 and the usual log2(rank + 1) discount; the ideal ranking is
 * the judged documents by grade. */
static double ndcg(const qset *s, const result *r, size_t qi) {
  const query *q = &s->q[qi];
  if (!q->nrel) return 0;
  double dcg = 0, idcg = 0;
  for (int k = 0; k < TOPK; k++) {
    int d = r->top[qi * TOPK + (size_t)k];
    if (d >= 0) dcg += (pow(2, grade_of(q, d)) - 1) / log2(k + 2.0);
  }
  int *g = xmalloc((size_t)q->nrel * sizeof *g);
  memcpy(g, q->grade, (size_t)q->nrel * sizeof *g);
  qsort(g, (size_t)q->nrel, sizeof *g, cmp_int_desc);
  for (int k = 0; k < q->nrel && k < TOPK; k++) idcg += (pow(2, g[k]) - 1) / log2(k + 2.0);
  free(g);
  return idcg > 0 ? dcg / idcg : 0;
}

/* Metrics over the queries whose kind is kind (NULL: all). */
static metrics measure(const qset *s, const result *r, const char *kind) {
  metrics m = {0};
  for (size_t i = 0; i < s->nq; i++) {
    if (kind && strcmp(s->q[i].kind, kind)) continue;
    int rank = first_rank(s, r, i);
    m.n++;
    if (rank) m.mrr += 1.0 / rank;
    if (rank == 1) m.hit1 += 1;
    if (rank) m.hit10 += 1;
    m.ndcg += ndcg(s, r, i);
  }
  if (m.n) {
    m.mrr /= (double)m.n;
    m.hit1 /= (double)m.n;
    m.hit10 /= (double)m.n;
    m.ndcg /= (double)m.n;
  }
  return m;
}

/* ---- the temporary directory, child processes ---- */

static char tmpdir[256];
static int keep_tmp;

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw) {
  (void)st;
  (void)type;
  (void)ftw;
  remove(path);
  return 0;
}

static void rm_tree(const char *path) { nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* Runs argv (argv[0] a path) with cwd dir and stdout+stderr appended to log; returns the exit
 * status, or -1 if it could not run. */
static int run_child(char *const argv[], const char *dir, const char *log) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (dir && chdir(dir) != 0) _exit(127);
    int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    int nul = open("/dev/null", O_RDONLY);
    if (nul >= 0) {
      dup2(nul, 0);
      close(nul);
    }
    execv(argv[0], argv);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void write_docs_jsonl(const qset *s, const char *path) {
  FILE *f = fopen(path, "wb");
  if (!f) die("cannot write %s", path);
  for (size_t i = 0; i < s->nd; i++) {
    json_t *o = json_object();
    char id[32];
    snprintf(id, sizeof id, "%zu", i);
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "text", json_stringn(s->d[i].text, s->d[i].len));
    char *line = json_dumps(o, JSON_COMPACT);
    if (line) fprintf(f, "%s\n", line);
    free(line);
    json_decref(o);
  }
  fclose(f);
}

static void write_queries(const qset *s, const char *path) {
  FILE *f = fopen(path, "wb");
  if (!f) die("cannot write %s", path);
  for (size_t i = 0; i < s->nq; i++) fprintf(f, "%zu\t%s\n", i, s->q[i].text);
  fclose(f);
}

/* ---- presse ---- */

/* The query strings presse runs. "presse" is presse as shipped: presse_search (query/search.c)
 * with the query as typed, the releases with every word first, then those with some. AND is the
 * query as typed with every word required, OR the words ORed, the peers' semantics; the others
 * are experiments (--forms): OR plus the whole query as an AND group (documents with every word
 * weigh double); OR plus each pair of neighbouring words as a phrase (a crude proximity boost);
 * OR without presse's stopwords. All are plain presse query language. */
enum { FORM_SHIPPED, FORM_AND, FORM_OR, FORM_OR_AND, FORM_OR_PAIRS, FORM_OR_NOSTOP, NFORMS };
static const char *const form_name[NFORMS] = {"presse", "presse AND", "presse OR", "presse OR+AND",
                                              "presse OR+pairs", "presse OR-stopwords"};

typedef struct presse_sys {
  presse_db *db;
  presse_analyzer *a;
  char **text[NFORMS]; /* per form, per query */
  double index_s;
} presse_sys;

typedef struct strlist {
  char **v;
  size_t n;
} strlist;

static void strlist_push(strlist *l, char *s) {
  l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
  l->v[l->n++] = s;
}

static void strlist_free(strlist *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
}

typedef struct words_ctx {
  strlist *l;
  presse_analyzer *a;
} words_ctx;

/* Only words that give presse terms: "OR" beside a word without terms is a syntax error. */
static void presse_word(void *vctx, const char *w, size_t n) {
  words_ctx *c = vctx;
  char *one = strndup(w, n);
  presse_query *pq = NULL;
  if (!one) die("%s", "out of memory");
  if (presse_query_parse(&pq, c->a, one) == PRESSE_OK && presse_query_tree(pq)) strlist_push(c->l, one);
  else free(one);
  presse_query_free(pq);
}

static int parses(presse_analyzer *a, const char *text) {
  presse_query *pq = NULL;
  int ok = presse_query_parse(&pq, a, text) == PRESSE_OK;
  presse_query_free(pq);
  return ok;
}

/* "i1 OR i2 OR ...". The parser of 26 Nov 2026 rejects a third OR ("'OR' ... has nothing on
 * its left", query/parser.c parse_or), so when the flat form does not parse, the same
 * disjunction is written nested, "i1 OR (i2 OR (i3))", which means the same: Xapian sums the
 * weights of an OR's subqueries either way. */
static int presse_or_nested; /* how many "presse OR" queries needed the nested form */

static char *join_or(presse_analyzer *a, const strlist *items, int *nested) {
  presse_buf b = PRESSE_BUF_INIT;
  for (size_t i = 0; i < items->n; i++) {
    if (i) presse_buf_puts(&b, " OR ");
    presse_buf_puts(&b, items->v[i]);
  }
  char *flat = b.data ? presse_buf_detach(&b) : xstrdup("");
  if (items->n < 3 || parses(a, flat)) return flat;
  free(flat);
  for (size_t i = 0; i < items->n; i++) {
    if (i) presse_buf_puts(&b, " OR (");
    presse_buf_puts(&b, items->v[i]);
  }
  for (size_t i = 1; i < items->n; i++) presse_buf_putc(&b, ')');
  if (nested) (*nested)++;
  return presse_buf_detach(&b);
}

static void presse_forms(presse_sys *p, const char *text, size_t qi) {
  strlist words = {0}, items = {0};
  words_ctx c = {&words, p->a};
  each_word(text, presse_word, &c);
  p->text[FORM_AND][qi] = xstrdup(text);
  p->text[FORM_OR][qi] = join_or(p->a, &words, &presse_or_nested);
  if (words.n > 1) {
    presse_buf b = PRESSE_BUF_INIT;
    presse_buf_printf(&b, "(%s)", text);
    strlist_push(&items, presse_buf_detach(&b));
  }
  for (size_t i = 0; i < words.n; i++) strlist_push(&items, xstrdup(words.v[i]));
  p->text[FORM_OR_AND][qi] = join_or(p->a, &items, NULL);
  p->text[FORM_SHIPPED][qi] = xstrdup(text);
  strlist_free(&items);
  items = (strlist){0};
  for (size_t i = 0; i < words.n; i++) strlist_push(&items, xstrdup(words.v[i]));
  for (size_t i = 0; i + 1 < words.n; i++) {
    presse_buf b = PRESSE_BUF_INIT;
    presse_buf_printf(&b, "\"%s %s\"", words.v[i], words.v[i + 1]);
    strlist_push(&items, presse_buf_detach(&b));
  }
  p->text[FORM_OR_PAIRS][qi] = join_or(p->a, &items, NULL);
  strlist_free(&items);
  items = (strlist){0};
  for (size_t i = 0; i < words.n; i++) {
    char folded[256];
    int n = presse_analyzer_fold(p->a, words.v[i], strlen(words.v[i]), folded, sizeof folded);
    if (n <= 0 || !presse_analyzer_is_stopword(p->a, folded, (size_t)n)) strlist_push(&items, xstrdup(words.v[i]));
  }
  p->text[FORM_OR_NOSTOP][qi] = join_or(p->a, items.n ? &items : &words, NULL);
  strlist_free(&items);
  strlist_free(&words);
}

static int first_line_title; /* --first-line-title: let presse take a title from the text */

static int presse_setup(presse_sys *p, const qset *s, const char *dir, char *why, size_t whysz) {
  memset(p, 0, sizeof *p);
  double t0 = bench_now();
  presse_db *db = NULL;
  int rc = presse_db_open(&db, dir, PRESSE_DB_WRITE);
  if (rc != PRESSE_OK) {
    snprintf(why, whysz, "cannot create the index: %s", presse_db_errmsg(db));
    presse_db_close(db);
    return -1;
  }
  presse_indexer *ix = NULL;
  presse_indexer_opts opts = {0};
  opts.no_entities = 1; /* entities do not rank; skipping NER only saves time */
  rc = presse_indexer_new(&ix, db, &opts);
  if (rc != PRESSE_OK) {
    snprintf(why, whysz, "indexer: %s", ix ? presse_indexer_errmsg(ix) : presse_strerror(rc));
    presse_indexer_free(ix);
    presse_db_close(db);
    return -1;
  }
  for (size_t i = 0; i < s->nd && rc != PRESSE_EDB && rc != PRESSE_ELOCKED; i++) {
    if (s->files) {
      rc = presse_indexer_add_file(ix, s->d[i].path);
    } else {
      /* The title is withheld: " " has no terms and stops presse from taking the first line
       * of the text as the title (which would index that line twice). */
      presse_record r = {s->d[i].key, NULL, first_line_title ? NULL : " ", s->d[i].text, s->d[i].len, 0, "jsonl"};
      rc = presse_indexer_add_record(ix, &r);
    }
    if (rc != PRESSE_OK) fprintf(stderr, "%s: presse: %s: %s\n", prog, s->d[i].key, presse_indexer_errmsg(ix));
  }
  rc = presse_indexer_free(ix);
  presse_db_close(db);
  if (rc != PRESSE_OK) {
    snprintf(why, whysz, "commit failed: %s", presse_strerror(rc));
    return -1;
  }
  p->index_s = bench_now() - t0;
  if (presse_db_open(&p->db, dir, PRESSE_DB_READ) != PRESSE_OK || presse_analyzer_new(&p->a) != PRESSE_OK) {
    snprintf(why, whysz, "cannot reopen the index: %s", presse_db_errmsg(p->db));
    presse_db_close(p->db);
    p->db = NULL;
    return -1;
  }
  for (int f = 0; f < NFORMS; f++) p->text[f] = xcalloc(s->nq, sizeof *p->text[f]);
  for (size_t i = 0; i < s->nq; i++) presse_forms(p, s->q[i].text, i);
  return 0;
}

static void presse_teardown(presse_sys *p, size_t nq) {
  presse_db_close(p->db);
  presse_analyzer_free(p->a);
  for (int f = 0; f < NFORMS; f++) {
    if (p->text[f])
      for (size_t i = 0; i < nq; i++) free(p->text[f][i]);
    free(p->text[f]);
  }
}

/* The key of a hit: the stored JSON's id, or its basename for files. */
static int hit_doc(const qset *s, const char *data, size_t len) {
  json_t *o = json_loadb(data, len, 0, NULL);
  json_t *jid = o ? json_object_get(o, "id") : NULL;
  int d = -1;
  if (json_is_string(jid)) {
    const char *id = json_string_value(jid);
    if (s->files) {
      const char *slash = strrchr(id, '/');
      if (slash) id = slash + 1;
    }
    d = map_get(s, id);
  }
  json_decref(o);
  return d;
}

/* Runs one query string, with presse_search (shipped) or as one query tree; appends its hits to
 * top[*n..TOPK), skipping documents already there. */
static void presse_one(presse_sys *p, const qset *s, const char *text, int shipped, const presse_search_opts *opts,
                       int *top, int *n, result *r) {
  presse_result res = {0};
  int rc;
  if (shipped) {
    rc = presse_search(p->db, p->a, text, opts, &res);
  } else {
    rc = presse_query_parse(&res.query, p->a, text);
    const presse_qnode *tree = rc == PRESSE_OK ? presse_query_tree(res.query) : NULL;
    if (tree) rc = presse_db_search(p->db, tree, opts, &res.hits);
  }
  if (rc != PRESSE_OK) r->errors++;
  size_t nh = res.hits ? presse_hits_count(res.hits) : 0;
  for (size_t k = 0; k < nh && *n < TOPK; k++) {
    size_t len;
    const char *data = presse_hits_data(res.hits, k, &len);
    int d = hit_doc(s, data, len), dup = 0;
    for (int j = 0; j < *n; j++) dup |= top[j] == d;
    if (!dup) top[(*n)++] = d;
  }
  presse_result_free(&res);
}

static int presse_collapse; /* --collapse: keep presse's default of one hit per duplicate group */

static void presse_run(presse_sys *p, const qset *s, int form, double k1, double b, result *r) {
  presse_search_opts opts = {0};
  opts.limit = TOPK;
  /* Judgments are per document and the peers list every copy, so presse does too by default. */
  opts.no_collapse = !presse_collapse;
  opts.bm25_k1 = k1;
  opts.bm25_b = b;
  double t0 = bench_now();
  for (size_t i = 0; i < s->nq; i++) {
    int n = 0;
    presse_one(p, s, p->text[form][i], form == FORM_SHIPPED, &opts, r->top + i * TOPK, &n, r);
  }
  r->query_s = bench_now() - t0;
  r->index_s = p->index_s;
  r->ran = 1;
}

/* ---- Xapian (xapian-rel, a child process) ---- */

static const char *xapian_rel_bin = XAPIAN_REL_BIN;
static int xapian_and; /* --xapian-and: also the QueryParser with default op AND */

static void xapian_run(const qset *s, const char *docs, const char *queries, const char *strategy, result **out,
                       int nout) {
  const char *label = !strcmp(strategy, "some") ? "STEM_SOME" : "STEM_ALL_Z";
  char dbdir[512], cmd[2048];
  snprintf(dbdir, sizeof dbdir, "%s/xapian-%s", tmpdir, strategy);
  snprintf(cmd, sizeof cmd, "'%s' '%s' '%s' '%s' %s or%s 2>'%s/xapian.log'", xapian_rel_bin, dbdir, docs, queries,
           strategy, nout > 1 ? " and" : "", tmpdir);
  for (int k = 0; k < nout; k++) {
    out[k] = result_new(s, "", "", 1);
    snprintf(out[k]->name, sizeof out[k]->name, "xapian %s%s", label, k ? " AND" : "");
    snprintf(out[k]->abbr, sizeof out[k]->abbr, "x %s%s", strcmp(strategy, "some") ? "ALL_Z" : "SOME", k ? "&" : "");
  }
  if (access(xapian_rel_bin, X_OK) != 0) {
    for (int k = 0; k < nout; k++)
      snprintf(out[k]->why, sizeof out[k]->why, "no xapian-rel program at %s (build the bench-relevance target)",
               xapian_rel_bin);
    return;
  }
  FILE *f = popen(cmd, "r");
  if (!f) {
    for (int k = 0; k < nout; k++) snprintf(out[k]->why, sizeof out[k]->why, "cannot run %s", xapian_rel_bin);
    return;
  }
  char *line = NULL;
  size_t cap = 0;
  double index_s = 0;
  int seen = 0;
  while (getline(&line, &cap, f) >= 0) {
    line[strcspn(line, "\n")] = '\0';
    double secs;
    char op[8];
    if (sscanf(line, "index-seconds %lf", &secs) == 1) {
      index_s = secs;
      continue;
    }
    if (sscanf(line, "query-seconds %7s %lf", op, &secs) == 2) {
      out[strcmp(op, "and") ? 0 : (nout > 1 ? 1 : 0)]->query_s = secs;
      continue;
    }
    char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    if (!t2) continue;
    *t1 = *t2 = '\0';
    int k = !strcmp(line, "and") && nout > 1 ? 1 : 0;
    size_t qi = strtoul(t1 + 1, NULL, 10);
    if (qi >= s->nq) continue;
    int rank = 0;
    for (char *tok = strtok(t2 + 1, " "); tok && rank < TOPK; tok = strtok(NULL, " ")) {
      long d = strtol(tok, NULL, 10);
      out[k]->top[qi * TOPK + (size_t)rank++] = d >= 0 && (size_t)d < s->nd ? (int)d : -1;
    }
    seen++;
  }
  free(line);
  int st = pclose(f);
  if (st != 0 || !seen) {
    for (int k = 0; k < nout; k++)
      snprintf(out[k]->why, sizeof out[k]->why, "xapian-rel failed (see %.200s/xapian.log with --keep)", tmpdir);
    return;
  }
  for (int k = 0; k < nout; k++) {
    out[k]->ran = 1;
    out[k]->index_s = index_s;
  }
}

/* ---- SQLite FTS5 ---- */

#ifdef HAVE_SQLITE3
typedef struct fts_ctx {
  presse_buf *b;
} fts_ctx;

/* Each word as an FTS5 string ("..." is never syntax inside), ORed. */
static void fts_word(void *vctx, const char *w, size_t n) {
  presse_buf *b = ((fts_ctx *)vctx)->b;
  if (b->len) presse_buf_puts(b, " OR ");
  presse_buf_putc(b, '"');
  for (size_t i = 0; i < n; i++) {
    if (w[i] == '"') presse_buf_putc(b, '"');
    presse_buf_putc(b, w[i]);
  }
  presse_buf_putc(b, '"');
}
#endif

static void sqlite_run(const qset *s, result *r) {
#ifdef HAVE_SQLITE3
  sqlite3 *db = NULL;
  sqlite3_stmt *st = NULL;
  double t0 = bench_now();
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
    snprintf(r->why, sizeof r->why, "sqlite3_open: %s", sqlite3_errmsg(db));
    sqlite3_close(db);
    return;
  }
  if (sqlite3_exec(db,
                   "CREATE VIRTUAL TABLE d USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');"
                   "BEGIN",
                   NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "INSERT INTO d(rowid, body) VALUES(?1, ?2)", -1, &st, NULL) != SQLITE_OK) {
    snprintf(r->why, sizeof r->why, "no FTS5 in this SQLite %s: %s", sqlite3_libversion(), sqlite3_errmsg(db));
    sqlite3_close(db);
    return;
  }
  for (size_t i = 0; i < s->nd; i++) {
    sqlite3_bind_int64(st, 1, (sqlite3_int64)i + 1);
    sqlite3_bind_text(st, 2, s->d[i].text, (int)s->d[i].len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE) die("sqlite insert: %s", sqlite3_errmsg(db));
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  r->index_s = bench_now() - t0;
  t0 = bench_now();
  if (sqlite3_prepare_v2(db, "SELECT rowid FROM d WHERE d MATCH ?1 ORDER BY bm25(d), rowid LIMIT 10", -1, &st, NULL) !=
      SQLITE_OK)
    die("sqlite prepare: %s", sqlite3_errmsg(db));
  for (size_t i = 0; i < s->nq; i++) {
    presse_buf b = PRESSE_BUF_INIT;
    fts_ctx c = {&b};
    each_word(s->q[i].text, fts_word, &c);
    if (!b.len) continue;
    sqlite3_bind_text(st, 1, b.data, (int)b.len, SQLITE_TRANSIENT);
    int k = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && k < TOPK)
      r->top[i * TOPK + (size_t)k++] = (int)(sqlite3_column_int64(st, 0) - 1);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) r->errors++;
    sqlite3_reset(st);
    presse_buf_free(&b);
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  r->query_s = bench_now() - t0;
  r->ran = 1;
#else
  (void)s;
  snprintf(r->why, sizeof r->why, "built without SQLite (install libsqlite3-dev and re-run cmake)");
#endif
}

/* ---- PostgreSQL: a throw-away server of our own ---- */

static const char *pg_bindir = PG_BINDIR;
static char pg_dir[512]; /* the cluster's directory, also the socket directory */
static int pg_running;
static uid_t pg_uid;
static gid_t pg_gid;

/* argv for a PostgreSQL program: as nobody through setpriv when we are root (postgres refuses
 * to run as root). */
static int pg_exec(const char *log, const char *bin, ...) {
  char *argv[32];
  int n = 0;
  char uid[32], gid[32], path[600];
  if (geteuid() == 0) {
    snprintf(uid, sizeof uid, "--reuid=%u", (unsigned)pg_uid);
    snprintf(gid, sizeof gid, "--regid=%u", (unsigned)pg_gid);
    argv[n++] = "/usr/bin/setpriv";
    argv[n++] = uid;
    argv[n++] = gid;
    argv[n++] = "--clear-groups";
    argv[n++] = "--";
  }
  snprintf(path, sizeof path, "%s/%s", pg_bindir, bin);
  argv[n++] = path;
  va_list ap;
  va_start(ap, bin);
  char *a;
  while ((a = va_arg(ap, char *)) != NULL && n < 31) argv[n++] = a;
  va_end(ap);
  argv[n] = NULL;
  return run_child(argv, pg_dir, log);
}

static void pg_stop(void) {
  if (!pg_running) return;
  char data[600];
  snprintf(data, sizeof data, "%s/data", pg_dir);
  pg_exec(NULL, "pg_ctl", "-D", data, "-m", "fast", "-w", "stop", (char *)NULL);
  pg_running = 0;
}

#ifdef HAVE_LIBPQ
static void pg_quiet(void *arg, const char *msg) {
  (void)arg;
  (void)msg; /* "text-search query contains only stop words": expected, not news */
}

static int pg_start(char *why, size_t whysz) {
  char p[700];
  snprintf(p, sizeof p, "%s/initdb", pg_bindir);
  if (access(p, X_OK) != 0) {
    snprintf(why, whysz, "no PostgreSQL at %s (apt-get install postgresql-15)", pg_bindir);
    return -1;
  }
  if (geteuid() == 0) {
    struct passwd *pw = getpwnam("nobody");
    if (!pw || access("/usr/bin/setpriv", X_OK) != 0) {
      snprintf(why, whysz, "running as root, and no user nobody or no /usr/bin/setpriv to drop to");
      return -1;
    }
    pg_uid = pw->pw_uid;
    pg_gid = pw->pw_gid;
  }
  snprintf(pg_dir, sizeof pg_dir, "%s/pg", tmpdir);
  if (mkdir(pg_dir, 0700) != 0 || (geteuid() == 0 && chown(pg_dir, pg_uid, pg_gid) != 0)) {
    snprintf(why, whysz, "cannot prepare %.200s: %s", pg_dir, strerror(errno));
    return -1;
  }
  char data[600], log[600], initlog[600], opts[1200];
  snprintf(data, sizeof data, "%s/data", pg_dir);
  snprintf(log, sizeof log, "%s/server.log", pg_dir);
  snprintf(initlog, sizeof initlog, "%s/initdb.log", tmpdir);
  /* C.UTF-8: the text search parser lower-cases Ä/Ö/Ü only under a UTF-8 locale */
  if (pg_exec(initlog, "initdb", "-D", data, "-U", "bench", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8",
              "--no-sync", (char *)NULL) != 0) {
    snprintf(why, whysz, "initdb failed (see %.200s with --keep)", initlog);
    return -1;
  }
  snprintf(opts, sizeof opts,
           "-c listen_addresses='' -k %s -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
           "-c shared_buffers=128MB -c max_wal_size=1GB",
           pg_dir);
  pg_running = 1; /* from here on, stop it whatever happens */
  if (pg_exec(initlog, "pg_ctl", "-D", data, "-l", log, "-w", "-t", "120", "-o", opts, "start", (char *)NULL) != 0) {
    snprintf(why, whysz, "the server did not start (see %.200s with --keep)", log);
    pg_stop();
    return -1;
  }
  return 0;
}

static void pg_copy_text(presse_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == '\\') presse_buf_puts(b, "\\\\");
    else if (c == '\n') presse_buf_puts(b, "\\n");
    else if (c == '\r') presse_buf_puts(b, "\\r");
    else if (c == '\t') presse_buf_puts(b, "\\t");
    else presse_buf_putc(b, c);
  }
}

static int pg_ok(PGconn *c, const char *sql, char *why, size_t whysz) {
  PGresult *res = PQexec(c, sql);
  int st = PQresultStatus(res);
  int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_COPY_IN;
  if (!ok) snprintf(why, whysz, "%s: %s", sql, PQerrorMessage(c));
  PQclear(res);
  return ok;
}

/* Each word quoted as a tsquery lexeme ('...' goes through the german parser), ORed. */
static void pg_word(void *vctx, const char *w, size_t n) {
  presse_buf *b = vctx;
  if (b->len) presse_buf_puts(b, " | ");
  presse_buf_putc(b, '\'');
  for (size_t i = 0; i < n; i++) presse_buf_putc(b, w[i] == '\'' || w[i] == '\\' ? ' ' : w[i]);
  presse_buf_putc(b, '\'');
}
#endif

static char pg_version[64];

static void pg_run(const qset *s, result *r) {
#ifdef HAVE_LIBPQ
  static char failed[600]; /* one attempt to start the server per run; its reason for every set */
  if (!pg_running && !failed[0] && pg_start(failed, sizeof failed) != 0 && !failed[0])
    snprintf(failed, sizeof failed, "the server did not start");
  if (!pg_running) {
    snprintf(r->why, sizeof r->why, "%s", failed[0] ? failed : "the server is not running");
    return;
  }
  char conninfo[700];
  snprintf(conninfo, sizeof conninfo, "host=%s dbname=postgres user=bench", pg_dir);
  PGconn *c = PQconnectdb(conninfo);
  if (PQstatus(c) != CONNECTION_OK) {
    snprintf(r->why, sizeof r->why, "cannot connect: %s", PQerrorMessage(c));
    PQfinish(c);
    return;
  }
  PQsetNoticeProcessor(c, pg_quiet, NULL);
  snprintf(pg_version, sizeof pg_version, "%s", PQparameterStatus(c, "server_version"));
  double t0 = bench_now();
  if (!pg_ok(c, "DROP TABLE IF EXISTS d", r->why, sizeof r->why) ||
      !pg_ok(c,
             "CREATE TABLE d (i int PRIMARY KEY, body text, "
             "tsv tsvector GENERATED ALWAYS AS (to_tsvector('german', body)) STORED)",
             r->why, sizeof r->why) ||
      !pg_ok(c, "COPY d (i, body) FROM STDIN", r->why, sizeof r->why)) {
    PQfinish(c);
    return;
  }
  presse_buf b = PRESSE_BUF_INIT;
  for (size_t i = 0; i < s->nd; i++) {
    b.len = 0;
    presse_buf_printf(&b, "%zu\t", i);
    pg_copy_text(&b, s->d[i].text, s->d[i].len);
    presse_buf_putc(&b, '\n');
    if (PQputCopyData(c, b.data, (int)b.len) != 1) break;
  }
  PQputCopyEnd(c, NULL);
  PGresult *res = PQgetResult(c);
  int copied = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!copied) snprintf(r->why, sizeof r->why, "COPY failed: %s", PQerrorMessage(c));
  PQclear(res);
  while ((res = PQgetResult(c)) != NULL) PQclear(res);
  if (!copied || !pg_ok(c, "CREATE INDEX ON d USING gin (tsv)", r->why, sizeof r->why) ||
      !pg_ok(c, "ANALYZE d", r->why, sizeof r->why)) {
    presse_buf_free(&b);
    PQfinish(c);
    return;
  }
  r->index_s = bench_now() - t0;
  t0 = bench_now();
  res = PQprepare(c, "q",
                  "SELECT i FROM d, to_tsquery('german', $1) q WHERE tsv @@ q "
                  "ORDER BY ts_rank(tsv, q) DESC, i LIMIT 10",
                  1, NULL);
  if (PQresultStatus(res) != PGRES_COMMAND_OK) {
    snprintf(r->why, sizeof r->why, "prepare: %s", PQerrorMessage(c));
    PQclear(res);
    presse_buf_free(&b);
    PQfinish(c);
    return;
  }
  PQclear(res);
  for (size_t i = 0; i < s->nq; i++) {
    b.len = 0;
    each_word(s->q[i].text, pg_word, &b);
    if (!b.len) continue;
    const char *param = b.data;
    res = PQexecPrepared(c, "q", 1, &param, NULL, NULL, 0);
    if (PQresultStatus(res) == PGRES_TUPLES_OK) {
      for (int k = 0; k < PQntuples(res) && k < TOPK; k++)
        r->top[i * TOPK + (size_t)k] = atoi(PQgetvalue(res, k, 0));
    } else {
      r->errors++;
    }
    PQclear(res);
  }
  r->query_s = bench_now() - t0;
  presse_buf_free(&b);
  PQfinish(c);
  r->ran = 1;
#else
  (void)s;
  snprintf(r->why, sizeof r->why, "built without libpq (install libpq-dev and re-run cmake)");
#endif
}

/* ---- tables ---- */

/* presse against a peer, query by query: how often its first relevant hit is ranked higher or
 * lower, and a 95% interval for the ratio of the MRR@10s from a paired bootstrap (2,000
 * resamples of the queries, fixed seed), to tell a real difference from the luck of the
 * sample. */
typedef struct paired {
  int better, worse;
  double lo, hi;
} paired;

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static paired compare(const qset *s, const result *a, const result *b) {
  paired p = {0, 0, 0, 0};
  if (!s->nq || !b) return p;
  double *ra = xmalloc(s->nq * sizeof *ra), *rb = xmalloc(s->nq * sizeof *rb);
  for (size_t i = 0; i < s->nq; i++) {
    int x = first_rank(s, a, i), y = first_rank(s, b, i);
    ra[i] = x ? 1.0 / x : 0;
    rb[i] = y ? 1.0 / y : 0;
    if (ra[i] > rb[i]) p.better++;
    if (ra[i] < rb[i]) p.worse++;
  }
  enum { B = 2000 };
  double *ratio = xmalloc(B * sizeof *ratio);
  unsigned long long seed = 88172645463325252ull;
  for (int k = 0; k < B; k++) {
    double sa = 0, sb = 0;
    for (size_t i = 0; i < s->nq; i++) {
      seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17; /* xorshift64 */
      size_t j = (size_t)(seed % s->nq);
      sa += ra[j];
      sb += rb[j];
    }
    ratio[k] = sb > 0 ? sa / sb : 0;
  }
  qsort(ratio, B, sizeof *ratio, cmp_double);
  p.lo = ratio[B / 40];
  p.hi = ratio[B - 1 - B / 40];
  free(ratio);
  free(ra);
  free(rb);
  return p;
}

static void print_table(const qset *s, result **rs, int nr) {
  printf("\n== %s ==\n%s\n\n", s->name, s->label);
  printf("| %-26s | %6s | %6s | %6s | %7s | %7s | %9s |\n", "system", "MRR@10", "hit@1", "hit@10", "nDCG@10",
         "index s", "query ms");
  printf("|%s|%s|%s|%s|%s|%s|%s|\n", "----------------------------", "-------:", "-------:", "-------:", "--------:",
         "--------:", "----------:");
  metrics best = {0};
  const char *best_name = NULL;
  for (int k = 0; k < nr; k++) {
    result *r = rs[k];
    if (!r->ran) continue;
    metrics m = measure(s, r, NULL);
    printf("| %-26s | %6.3f | %6.3f | %6.3f | %7.3f | %7.2f | %9.2f |", r->name, m.mrr, m.hit1, m.hit10, m.ndcg,
           r->index_s, s->nq ? 1000.0 * r->query_s / (double)s->nq : 0.0);
    if (r->errors) printf(" %d queries failed", r->errors);
    printf("\n");
    if (r->peer && (!best_name || m.mrr > best.mrr)) {
      best = m;
      best_name = r->name;
    }
  }
  for (int k = 0; k < nr; k++)
    if (!rs[k]->ran) printf("skipped: %s: %s\n", rs[k]->name, rs[k]->why);
  if (!best_name) {
    printf("\nno peer ran: no ratios\n");
    return;
  }
  printf("\nbest peer by MRR@10: %s\n", best_name);
  const result *bp = NULL;
  for (int k = 0; k < nr; k++)
    if (rs[k]->ran && !strcmp(rs[k]->name, best_name)) bp = rs[k];
  for (int k = 0; k < nr; k++) {
    result *r = rs[k];
    if (!r->ran || r->peer) continue;
    metrics m = measure(s, r, NULL);
    printf("%-19s / best peer: MRR@10 %.2fx  hit@1 %.2fx  hit@10 %.2fx  nDCG@10 %.2fx", r->name,
           best.mrr > 0 ? m.mrr / best.mrr : 0, best.hit1 > 0 ? m.hit1 / best.hit1 : 0,
           best.hit10 > 0 ? m.hit10 / best.hit10 : 0, best.ndcg > 0 ? m.ndcg / best.ndcg : 0);
    paired p = compare(s, r, bp);
    printf("; per query %d better, %d worse; MRR@10 ratio 95%% CI %.2f-%.2f\n", p.better, p.worse, p.lo, p.hi);
  }
}

/* MRR@10 per query kind, every system; the last column is the best peer of that kind. */
static void print_kinds(const qset *s, result **rs, int nr) {
  const char *kinds[64];
  int nk = 0;
  for (size_t i = 0; i < s->nq && nk < 64; i++) {
    int seen = 0;
    for (int k = 0; k < nk; k++) seen |= !strcmp(kinds[k], s->q[i].kind);
    if (!seen) kinds[nk++] = s->q[i].kind;
  }
  printf("\nMRR@10 by query kind (n = queries; x = xapian):\n\n| %-10s | %3s |", "kind", "n");
  for (int k = 0; k < nr; k++)
    if (rs[k]->ran) printf(" %10s |", rs[k]->abbr);
  printf(" %-10s |\n|------------|----:|", "best peer");
  for (int k = 0; k < nr; k++)
    if (rs[k]->ran) printf("-----------:|");
  printf("-----------:|\n");
  for (int j = 0; j <= nk; j++) {
    const char *kind = j < nk ? kinds[j] : NULL;
    double best = -1;
    printf("| %-10s |", kind ? kind : "all");
    int first = 1;
    for (int k = 0; k < nr; k++) {
      if (!rs[k]->ran) continue;
      metrics m = measure(s, rs[k], kind);
      if (first) {
        printf(" %3zu |", m.n);
        first = 0;
      }
      printf(" %10.3f |", m.mrr);
      if (rs[k]->peer && m.mrr > best) best = m.mrr;
    }
    if (best >= 0) printf(" %10.3f |\n", best);
    else printf(" %10s |\n", "-");
  }
}

static FILE *dump;

static void dump_ranks(const qset *s, result **rs, int nr) {
  if (!dump) return;
  fprintf(dump, "# set\tquery\tkind");
  for (int k = 0; k < nr; k++)
    if (rs[k]->ran) fprintf(dump, "\t%s", rs[k]->name);
  fprintf(dump, "\n");
  for (size_t i = 0; i < s->nq; i++) {
    fprintf(dump, "%s\t%s\t%s", s->name, s->q[i].text, s->q[i].kind);
    for (int k = 0; k < nr; k++)
      if (rs[k]->ran) fprintf(dump, "\t%d", first_rank(s, rs[k], i));
    fprintf(dump, "\n");
  }
}

/* ---- one query set, all systems ---- */

typedef struct config {
  int presse_only, no_pg, no_sqlite, no_xapian, forms;
  double k1, b; /* presse's BM25 parameters in the main table (0: the store's defaults) */
  double *k1s, *bs;
  size_t nk1, nb;
} config;

typedef struct sweep_row {
  double mrr_and, mrr_or, ndcg_and, ndcg_or;
} sweep_row;

static void run_set(qset *s, const config *cf, int idx, sweep_row *sweep) {
  result *rs[12];
  int nr = 0;
  char dir[512], docs[512], queries[512];
  snprintf(dir, sizeof dir, "%s/presse-%d", tmpdir, idx);
  presse_sys p;
  char why[600] = "";
  fprintf(stderr, "%s: %s: presse\n", prog, s->name);
  int nested0 = presse_or_nested;
  int pok = presse_setup(&p, s, dir, why, sizeof why) == 0;
  static const char *const abbr[NFORMS] = {"presse", "presse AND", "presse OR", "pr OR+AND", "pr OR+pair",
                                           "pr OR-stop"};
  for (int f = 0; f < (cf->forms ? NFORMS : FORM_OR + 1); f++) {
    result *r = rs[nr++] = result_new(s, form_name[f], abbr[f], 0);
    if (pok) presse_run(&p, s, f, cf->k1, cf->b, r);
    else snprintf(r->why, sizeof r->why, "%s", why);
  }
  if (!cf->presse_only) {
    if (!cf->no_xapian) {
      snprintf(docs, sizeof docs, "%s/docs-%d.jsonl", tmpdir, idx);
      snprintf(queries, sizeof queries, "%s/queries-%d.tsv", tmpdir, idx);
      write_docs_jsonl(s, docs);
      write_queries(s, queries);
      fprintf(stderr, "%s: %s: xapian\n", prog, s->name);
      xapian_run(s, docs, queries, "some", rs + nr, xapian_and ? 2 : 1);
      nr += xapian_and ? 2 : 1;
      xapian_run(s, docs, queries, "all_z", rs + nr, xapian_and ? 2 : 1);
      nr += xapian_and ? 2 : 1;
    }
    if (!cf->no_sqlite) {
      fprintf(stderr, "%s: %s: sqlite\n", prog, s->name);
      rs[nr] = result_new(s, "sqlite FTS5 bm25", "fts5", 1);
      sqlite_run(s, rs[nr++]);
    }
    if (!cf->no_pg) {
      fprintf(stderr, "%s: %s: postgresql\n", prog, s->name);
      rs[nr] = result_new(s, "postgres ts_rank", "postgres", 1);
      pg_run(s, rs[nr++]);
    }
  }
  print_table(s, rs, nr);
  if (presse_or_nested > nested0)
    printf("note: %d presse OR queries were written nested, w1 OR (w2 OR (w3)): the parser rejects a flat "
           "third OR\n",
           presse_or_nested - nested0);
  if (s->files) print_kinds(s, rs, nr);
  dump_ranks(s, rs, nr);
  for (int k = 0; k < nr; k++) result_free(rs[k]);

  if (pok && sweep) {
    for (size_t i = 0; i < cf->nk1; i++)
      for (size_t j = 0; j < cf->nb; j++) {
        result *a = result_new(s, "and", "", 0), *o = result_new(s, "or", "", 0);
        presse_run(&p, s, FORM_AND, cf->k1s[i], cf->bs[j], a);
        presse_run(&p, s, FORM_OR, cf->k1s[i], cf->bs[j], o);
        metrics ma = measure(s, a, NULL), mo = measure(s, o, NULL);
        sweep[i * cf->nb + j] = (sweep_row){ma.mrr, mo.mrr, ma.ndcg, mo.ndcg};
        result_free(a);
        result_free(o);
      }
  }
  if (pok) presse_teardown(&p, s->nq);
}

/* ---- main ---- */

static const char *find_up(const char *rel, char *buf, size_t n) {
  const char *bases[] = {"..", "../..", "../../..", "/work", BENCH_SOURCE_DIR "/..", NULL};
  for (int i = 0; bases[i]; i++) {
    snprintf(buf, n, "%s/%s", bases[i], rel);
    if (access(buf, R_OK) == 0) return buf;
  }
  return NULL;
}

static double *parse_list(const char *s, size_t *n) {
  double *v = NULL;
  *n = 0;
  char *copy = xstrdup(s);
  for (char *t = strtok(copy, ","); t; t = strtok(NULL, ",")) {
    v = xrealloc(v, (*n + 1) * sizeof *v);
    v[(*n)++] = strtod(t, NULL);
  }
  free(copy);
  return v;
}

static void cleanup(void) {
  pg_stop();
  if (tmpdir[0]) {
    if (keep_tmp) fprintf(stderr, "%s: kept %s\n", prog, tmpdir);
    else rm_tree(tmpdir);
    tmpdir[0] = '\0';
  }
}

static void on_signal(int sig) {
  pg_stop(); /* fork, execv and waitpid: async-signal-safe */
  if (tmpdir[0] && !keep_tmp) rm_tree(tmpdir); /* nftw is not, but an index left in /tmp is worse */
  signal(sig, SIG_DFL);
  raise(sig);
}

static void usage(void) {
  fprintf(stderr,
          "usage: %s [--queries N] [--query-offset N] [--berlin JSONL] [--corpus DIR] [--judgments TSV] [--k1 LIST] [--b LIST]\n"
          "       [--presse-k1 X] [--presse-b X] [--forms] [--collapse] [--presse-only] [--no-pg] [--no-sqlite]\n"
          "       [--no-xapian]\n"
          "       [--xapian-and] [--first-line-title]\n"
          "       [--strict-hyphens] [--sanitised] [--pg-bindir DIR] [--xapian-rel PATH] [--dump FILE] [--keep]\n",
          prog);
  exit(2);
}

int main(int argc, char **argv) {
  size_t maxq = 1000, qskip = 0;
  const char *berlin = NULL, *corpus = BENCH_SOURCE_DIR "/corpus",
             *judgments = BENCH_SOURCE_DIR "/bench/relevance/corpus-queries.tsv", *dump_path = NULL;
  config cf = {0};
  int strict_hyphens = 0, sweep_asked = 0;
  static double def[] = {0};
  cf.k1s = cf.bs = def;
  cf.nk1 = cf.nb = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (!strcmp(a, "--queries") && more) maxq = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(a, "--query-offset") && more) qskip = strtoul(argv[++i], NULL, 10);
    else if (!strcmp(a, "--berlin") && more) berlin = argv[++i];
    else if (!strcmp(a, "--corpus") && more) corpus = argv[++i];
    else if (!strcmp(a, "--judgments") && more) judgments = argv[++i];
    else if (!strcmp(a, "--k1") && more) cf.k1s = parse_list(argv[++i], &cf.nk1), sweep_asked = 1;
    else if (!strcmp(a, "--b") && more) cf.bs = parse_list(argv[++i], &cf.nb), sweep_asked = 1;
    else if (!strcmp(a, "--pg-bindir") && more) pg_bindir = argv[++i];
    else if (!strcmp(a, "--xapian-rel") && more) xapian_rel_bin = argv[++i];
    else if (!strcmp(a, "--dump") && more) dump_path = argv[++i];
    else if (!strcmp(a, "--presse-k1") && more) cf.k1 = strtod(argv[++i], NULL);
    else if (!strcmp(a, "--presse-b") && more) cf.b = strtod(argv[++i], NULL);
    else if (!strcmp(a, "--forms")) cf.forms = 1;
    else if (!strcmp(a, "--collapse")) presse_collapse = 1;
    else if (!strcmp(a, "--presse-only")) cf.presse_only = 1;
    else if (!strcmp(a, "--no-pg")) cf.no_pg = 1;
    else if (!strcmp(a, "--no-sqlite")) cf.no_sqlite = 1;
    else if (!strcmp(a, "--no-xapian")) cf.no_xapian = 1;
    else if (!strcmp(a, "--xapian-and")) xapian_and = 1;
    else if (!strcmp(a, "--first-line-title")) first_line_title = 1;
    else if (!strcmp(a, "--strict-hyphens")) strict_hyphens = 1;
    else if (!strcmp(a, "--sanitised")) as_typed = 0;
    else if (!strcmp(a, "--keep")) keep_tmp = 1;
    else usage();
  }
  char buf[4096];
  if (!berlin) berlin = find_up(BERLIN_REL, buf, sizeof buf);
  if (dump_path && !(dump = fopen(dump_path, "w"))) die("cannot write %s", dump_path);

  snprintf(tmpdir, sizeof tmpdir, "%s/presse-relbench.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(tmpdir)) die("cannot create a temporary directory: %s", strerror(errno));
  chmod(tmpdir, 0711); /* the PostgreSQL server (user nobody) lives in a subdirectory */
  atexit(cleanup);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGPIPE, SIG_IGN);

  double load[3] = {0};
  if (getloadavg(load, 3) < 0) load[0] = -1;
  double t_start = bench_now();
  printf("bench-relevance: presse %s, Xapian %s", PRESSE_VERSION, BENCH_XAPIAN_VERSION);
#ifdef HAVE_SQLITE3
  printf(", SQLite %s", sqlite3_libversion());
#endif
  printf("; load average %.2f at the start\n", load[0]);

  qset sets[2];
  memset(sets, 0, sizeof sets);
  sweep_row *sweeps[2] = {NULL, NULL};
  char label[512];

  qset *b = &sets[0];
  b->name = "Berlin police known-item";
  if (!berlin || load_berlin(b, berlin, qskip, maxq) != 0 || !b->nq) {
    printf("\n== %s ==\nskipped: no corpus at ../%s\n", b->name, BERLIN_REL);
  } else {
    snprintf(label, sizeof label,
             "%zu queries (titles of releases %zu-%zu in file order, %s) over %zu releases "
             "indexed without their titles; one relevant release per query",
             b->nq, qskip + 1, qskip + b->nq,
             as_typed ? "as typed: not sanitised, \"(Nr. ...)\" included" : "sanitised, without \"(Nr. ...)\"", b->nd);
    b->label = xstrdup(label);
    if (sweep_asked) sweeps[0] = xcalloc(cf.nk1 * cf.nb, sizeof *sweeps[0]);
    run_set(b, &cf, 0, sweeps[0]);
  }

  qset *c = &sets[1];
  c->name = "hand-judged corpus/";
  c->files = 1;
  if (load_corpus(c, corpus) != 0 || load_judgments(c, judgments, !strict_hyphens) != 0 || !c->nq) {
    printf("\n== %s ==\nskipped: no corpus at %s or no judgments at %s\n", c->name, corpus, judgments);
  } else {
    size_t nj = 0;
    for (size_t i = 0; i < c->nq; i++) nj += (size_t)c->q[i].nrel;
    snprintf(label, sizeof label,
             "%zu hand-written queries over the %zu releases of corpus/ (title and text indexed), %zu judgments "
             "(grades 1-2)%s",
             c->nq, c->nd, nj, strict_hyphens ? "; hyphens replaced by spaces" : "");
    c->label = xstrdup(label);
    if (sweep_asked) sweeps[1] = xcalloc(cf.nk1 * cf.nb, sizeof *sweeps[1]);
    run_set(c, &cf, 1, sweeps[1]);
  }
  pg_stop();
  if (pg_version[0]) printf("\n(PostgreSQL server %s, its own throw-away cluster, stopped)\n", pg_version);

  /* the compound splitter on its test table */
  presse_compound *cs = NULL;
  char table[4096];
  snprintf(table, sizeof table, "%s/tests/compound_splits.tsv", BENCH_SOURCE_DIR);
  printf("\n== compound splitter on tests/compound_splits.tsv ==\n");
  if (presse_compound_new(&cs, NULL) != PRESSE_OK) {
    printf("skipped: no compound lexicon (hunspell-de-de missing at build time)\n");
  } else {
    compound_score sc;
    if (compound_table_eval(cs, table, &sc, NULL) == 0)
      printf("words %d (compounds %d, must-not-split %d): precision %.3f, recall %.3f, exact %d/%d, "
             "must-not-split words split: %d\n",
             sc.words, sc.compounds, sc.must_not, compound_precision(&sc), compound_recall(&sc), sc.exact, sc.words,
             sc.must_not_split);
    else printf("skipped: cannot read %s\n", table);
    presse_compound_free(cs);
  }

  if (sweep_asked) {
    printf("\n== presse BM25 sweep (k1, b; 0 = the store's default) ==\n\n");
    printf("| %5s | %5s | %-23s | %-23s | %-23s | %-23s |\n", "k1", "b", "Berlin MRR@10 AND / OR", "Berlin nDCG AND / OR",
           "hand MRR@10 AND / OR", "hand nDCG@10 AND / OR");
    printf("|------:|------:|-------------------------|-------------------------|-------------------------|-------------------------|\n");
    for (size_t i = 0; i < cf.nk1; i++)
      for (size_t j = 0; j < cf.nb; j++) {
        size_t k = i * cf.nb + j;
        printf("| %5.2f | %5.2f |", cf.k1s[i], cf.bs[j]);
        for (int t = 0; t < 2; t++) {
          if (sweeps[t])
            printf("  %6.3f / %6.3f         |  %6.3f / %6.3f         |", sweeps[t][k].mrr_and, sweeps[t][k].mrr_or,
                   sweeps[t][k].ndcg_and, sweeps[t][k].ndcg_or);
          else printf(" %-23s | %-23s |", "-", "-");
        }
        printf("\n");
      }
  }
  printf("\ntotal %.0f s\n", bench_now() - t_start);
  if (dump) fclose(dump);
  for (int t = 0; t < 2; t++) {
    qset_free(&sets[t]);
    free(sweeps[t]);
  }
  if (cf.k1s != def) free(cf.k1s);
  if (cf.bs != def) free(cf.bs);
  return 0;
}
