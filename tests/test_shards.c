/* Sharded databases (issue 12) on loopback: the same releases in one database, in three local
 * shards (presse-index --shards 3) and in three shards behind stock xapian-tcpsrv servers, which
 * this test starts on free loopback ports and stops by PID. Every query of the set must give the
 * same top-10 ids and weights (to 1e-9), the same totals and the same facets; a shard server
 * killed or stopped mid-run gives an error naming it, or with opts.partial the other shards'
 * results flagged as partial, within the timeout; an idle connection that the server dropped
 * is reconnected; a replica (xapian-replicate) catches up by changesets while a reader is open on
 * it, and the reader survives a full copy. Usage: test_shards PRESSE-INDEX PRESSE-QUERY SOURCE-DIR */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "loopback.h"
#include "presse/presse.h"

#define NSHARDS 3

static const char *index_bin, *query_bin, *srcdir;
static char dir[512];

/* One query's answer, its hits ordered by weight and, among equal weights, by id (the shards
 * number documents differently, and Xapian breaks ties by document number). */
typedef struct answer {
  int rc;
  unsigned long long total;
  size_t n;
  char ids[10][512];
  double w[10];
  char facets[8192];
  int partial;
  char failed[256];
} answer;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void order_hits(answer *a) {
  for (size_t i = 1; i < a->n; i++)
    for (size_t j = i; j > 0; j--) {
      int tie = fabs(a->w[j] - a->w[j - 1]) < 1e-9;
      if (!(a->w[j] > a->w[j - 1] + 1e-9 || (tie && strcmp(a->ids[j], a->ids[j - 1]) < 0))) break;
      char t[512];
      double tw = a->w[j];
      memcpy(t, a->ids[j], sizeof t);
      memcpy(a->ids[j], a->ids[j - 1], sizeof t);
      memcpy(a->ids[j - 1], t, sizeof t);
      a->w[j] = a->w[j - 1];
      a->w[j - 1] = tw;
    }
}

static void ask(presse_db *db, presse_analyzer *an, const char *q, unsigned flags, answer *a) {
  memset(a, 0, sizeof *a);
  presse_search_opts o = {.limit = 10, .facets = (flags & 1) ? 10 : 0, .partial = (flags & 4) ? 1 : 0};
  if (flags & 2) o.sort = PRESSE_SORT_DATE;
  presse_result res;
  a->rc = presse_search(db, an, q, &o, &res);
  if (a->rc != PRESSE_OK) {
    presse_result_free(&res);
    return;
  }
  a->total = res.total_all + res.total_some;
  a->n = presse_hits_count(res.hits);
  if (a->n > 10) a->n = 10;
  for (size_t i = 0; i < a->n; i++) {
    size_t len;
    const char *data = presse_hits_data(res.hits, i, &len);
    json_t *d = json_loadb(data, len, 0, NULL);
    snprintf(a->ids[i], sizeof a->ids[i], "%s", d ? json_string_value(json_object_get(d, "id")) : "?");
    json_decref(d);
    a->w[i] = presse_hits_weight(res.hits, i);
  }
  size_t at = 0;
  for (size_t i = 0; i < presse_hits_nfacets(res.hits) && at < sizeof a->facets; i++) {
    const char *type;
    unsigned long long c;
    const char *name = presse_hits_facet(res.hits, i, &type, &c);
    at += (size_t)snprintf(a->facets + at, sizeof a->facets - at, "%s:%s=%llu;", type, name, c);
  }
  for (size_t i = 0; i < presse_hits_nmonths(res.hits) && at < sizeof a->facets; i++) { /* the histogram */
    unsigned long long c;
    unsigned m = presse_hits_month(res.hits, i, &c);
    at += (size_t)snprintf(a->facets + at, sizeof a->facets - at, "%u=%llu;", m, c);
  }
  a->partial = presse_hits_partial(res.hits);
  if (presse_hits_nfailed(res.hits)) snprintf(a->failed, sizeof a->failed, "%s", presse_hits_failed(res.hits, 0));
  if (!(flags & 2)) order_hits(a);
  presse_result_free(&res);
}

/* b must answer as a does: hits tied with the last one may differ (which of them makes the page
 * depends on document numbers). */
static int same(const char *what, const char *q, const answer *a, const answer *b) {
  int ok = a->rc == PRESSE_OK && b->rc == PRESSE_OK && a->n == b->n && a->total == b->total &&
           !strcmp(a->facets, b->facets);
  for (size_t i = 0; ok && i < a->n; i++) {
    if (fabs(a->w[i] - b->w[i]) > 1e-9) ok = 0;
    int tied_last = a->n == 10 && fabs(a->w[i] - a->w[a->n - 1]) < 1e-9;
    if (!tied_last && strcmp(a->ids[i], b->ids[i])) ok = 0;
  }
  if (!ok) {
    fprintf(stderr, "%s differs for '%s': rc %d/%d, total %llu/%llu, %zu/%zu hits\n  facets %s\n  vs     %s\n", what, q,
            a->rc, b->rc, a->total, b->total, a->n, b->n, a->facets, b->facets);
    for (size_t i = 0; i < a->n || i < b->n; i++)
      fprintf(stderr, "  %zu: %.12f %s | %.12f %s\n", i, i < a->n ? a->w[i] : 0, i < a->n ? a->ids[i] : "",
              i < b->n ? b->w[i] : 0, i < b->n ? b->ids[i] : "");
  }
  return ok;
}

/* Words, phrases, boolean operators, filters and dates; facets on some, date order on one. */
static const struct {
  const char *q;
  unsigned flags; /* 1 facets, 2 sort by date */
} queries[] = {
    {"Migrantenorganisationen", 1},
    {"Stadt", 1},
    {"Polizei Festnahme", 0},
    {"Klimaschutz Bürgerbeteiligung", 1},
    {"\"Stadt Hagen\"", 0},
    {"\"im Rahmen\"", 0},
    {"Feuerwehr OR Polizei", 1},
    {"Stadt NOT Polizei", 0},
    {"(Ausbau OR Sanierung) Stadt", 0},
    {"titel:Fachtag", 0},
    {"datum:2025 Stadt", 1},
    {"datum:2024-01..2025-06", 2},
    {"ort:Dortmund", 1},
    {"von:\"Stadt Hagen\"", 0},
    {"Kinder Schule Eltern Betreuung", 0},
    {"Straßenbauarbeiten", 0},
};
#define NQ (sizeof queries / sizeof queries[0])

/* "More like this" of the seed works over shards (Xapian's expand set, on which it rests, weighs
 * terms differently over several databases, so the releases may differ): some releases, never
 * the seed itself. */
static void similar_works(const char *what, presse_db *db) {
  char path[1200];
  snprintf(path, sizeof path, "%s/corpus/000_stadt-hagen-fachtag-migrantenorganisationen.md", srcdir);
  char *seed = realpath(path, NULL);
  presse_hits *h = NULL;
  int rc = seed ? presse_db_similar(db, seed, 5, &h) : PRESSE_ENOTFOUND;
  if (rc != PRESSE_OK) fprintf(stderr, "%s: similar: %s\n", what, presse_db_errmsg(db));
  CHECK(rc == PRESSE_OK && presse_hits_count(h) > 0);
  for (size_t i = 0; i < presse_hits_count(h); i++) CHECK(strstr(presse_hits_data(h, i, NULL), "000_stadt-hagen") == NULL);
  presse_hits_free(h);
  free(seed);
}

static int compare_all(const char *what, presse_db *ref, presse_db *db, presse_analyzer *an) {
  int bad = 0;
  similar_works(what, db);
  for (size_t i = 0; i < NQ; i++) {
    answer a, b;
    ask(ref, an, queries[i].q, queries[i].flags, &a);
    ask(db, an, queries[i].q, queries[i].flags, &b);
    if (queries[i].flags & 1) CHECK(strstr(a.facets, "ISSUER:") != NULL && strstr(a.facets, "=") != NULL);
    if (a.rc != PRESSE_OK || a.total == 0) fprintf(stderr, "'%s' finds nothing in the single database\n", queries[i].q);
    CHECK(a.rc == PRESSE_OK && a.total > 0);
    if (!same(what, queries[i].q, &a, &b)) bad++;
  }
  CHECK(bad == 0);
  return bad;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...) {
  char cmd[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  int rc = system(cmd);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* xapian-tcpsrv on 127.0.0.1:port for one shard; idle_ms: its --idle-timeout, or NULL. */
static pid_t start_server(int port, const char *shard, const char *idle_ms) {
  char ps[16];
  snprintf(ps, sizeof ps, "%d", port);
  char *argv[] = {"xapian-tcpsrv", "--quiet", "--interface", "127.0.0.1", "--port", ps, (char *)shard, NULL, NULL, NULL};
  if (idle_ms) {
    argv[6] = "--idle-timeout";
    argv[7] = (char *)idle_ms;
    argv[8] = (char *)shard;
  }
  return loopback_start(argv, port);
}

static void stop_server(pid_t p) { loopback_stop(p); }

static pid_t servers[NSHARDS];
static int ports[NSHARDS];

static void stop_all(void) {
  for (int i = 0; i < NSHARDS; i++) {
    stop_server(servers[i]);
    servers[i] = 0;
  }
}

static void on_fatal(int sig) {
  stop_all();
  signal(sig, SIG_DFL);
  raise(sig);
}

static void in_dir(char *buf, size_t size, const char *name) { snprintf(buf, size, "%s/%s", dir, name); }

/* xapian-replicate-server for the shards under parent. */
static pid_t start_replicate_server(int port, const char *parent) {
  char ps[16];
  snprintf(ps, sizeof ps, "%d", port);
  char *argv[] = {"xapian-replicate-server", "-I", "127.0.0.1", "-p", ps, (char *)parent, NULL};
  return loopback_start(argv, port);
}

/* One pass of xapian-replicate for every shard; its output (one line per shard: "Update complete:
 * N copies, M changesets, ...") appended to log. */
static int replicate_once(int port, const char *replica, const char *log, const char *flags) {
  int rc = 0;
  for (int i = 0; i < NSHARDS; i++)
    rc |= sh("xapian-replicate -h 127.0.0.1 -p %d -m shard%d -o -v -r 0 %s '%s/shard%d' >> '%s' 2>&1", port, i, flags, replica,
             i, log);
  return rc;
}

/* A replica kept current by changesets while a reader is open on it, and a reader that survives
 * a full copy (presse_db_reopen opens the path again). */
static void replication_tests(presse_analyzer *an, const char *master) {
  char replica[600], log[600], add[600];
  in_dir(replica, sizeof replica, "replica");
  in_dir(log, sizeof log, "replicate.log");
  in_dir(add, sizeof add, "neu.md");
  int port = loopback_free_port();
  pid_t srv = start_replicate_server(port, master);
  CHECK(srv > 0);
  if (srv <= 0) return;
  servers[0] = srv; /* stopped with the others on every way out */
  CHECK(sh("mkdir -p '%s' && cp '%s/XAPIANDB' '%s/'", replica, master, replica) == 0);
  CHECK(replicate_once(port, replica, log, "") == 0);
  CHECK(sh("grep -c 'Update complete: 1 copies, 0 changesets' '%s' | grep -qx %d", log, NSHARDS) == 0);
  presse_db *rep = NULL;
  CHECK(presse_db_open(&rep, replica, PRESSE_DB_READ) == PRESSE_OK);
  presse_db_stats before, after;
  CHECK(presse_db_stats_get(rep, &before) == PRESSE_OK);
  answer a;
  ask(rep, an, "Quokkagehege", 0, &a);
  CHECK(a.rc == PRESSE_OK && a.total == 0);
  /* new releases on the master, committed with changesets (presse-index sets XAPIAN_MAX_CHANGESETS) */
  for (int i = 0; i < 6; i++) {
    FILE *f = fopen(add, "w");
    fprintf(f, "# Neues Quokkagehege im Zoo, Teil %d\n\n12.03.2026 Der Zoo eröffnet ein Quokkagehege.\n", i);
    fclose(f);
    CHECK(sh("'%s' --db '%s' -q add --id quokka-%d - < '%s'", index_bin, master, i, add) == 0);
  }
  CHECK(sh(": > '%s'", log) == 0);
  CHECK(replicate_once(port, replica, log, "") == 0);
  /* every shard caught up by changesets, none by a copy */
  CHECK(sh("grep -q 'changesets' '%s' && ! grep -q 'Update complete: [1-9][0-9]* copies' '%s'", log, log) == 0);
  CHECK(sh("grep -q 'Update complete: 0 copies, [1-9]' '%s'", log) == 0);
  sh("cat '%s' >&2", log);
  CHECK(presse_db_reopen(rep) == PRESSE_OK);
  CHECK(presse_db_stats_get(rep, &after) == PRESSE_OK && after.docs == before.docs + 6);
  ask(rep, an, "Quokkagehege", 0, &a);
  CHECK(a.rc == PRESSE_OK && a.total == 6);
  /* a whole copy replaces each shard under the open reader: it reopens from the path */
  CHECK(sh(": > '%s'", log) == 0);
  CHECK(replicate_once(port, replica, log, "-f") == 0);
  CHECK(sh("grep -c 'Update complete: 1 copies' '%s' | grep -qx %d", log, NSHARDS) == 0);
  CHECK(presse_db_reopen(rep) == PRESSE_OK);
  if (presse_db_stats_get(rep, &after) != PRESSE_OK) fprintf(stderr, "after a full copy: %s\n", presse_db_errmsg(rep));
  ask(rep, an, "Quokkagehege", 0, &a);
  CHECK(a.rc == PRESSE_OK && a.total == 6);
  presse_db_close(rep);
  stop_all();
}

/* presse-query's output on the three databases: seed first, byte for byte the same. */
static void same_output(const char *db1, const char *db2, const char *q) {
  char out1[1024], out2[1024];
  in_dir(out1, sizeof out1, "q1.txt");
  in_dir(out2, sizeof out2, "q2.txt");
  CHECK(sh("'%s' --db '%s' '%s' > '%s'", query_bin, db1, q, out1) == 0);
  CHECK(sh("'%s' --db '%s' '%s' > '%s'", query_bin, db2, q, out2) == 0);
  CHECK(sh("cmp -s '%s' '%s'", out1, out2) == 0);
  CHECK(sh("sed -n 3p '%s' | grep -q 'Fachtag'", out2) == 0);
}

static void remote_tests(presse_db *one, presse_analyzer *an, const char *single, const char *three) {
  char stub[600], shard[600];
  in_dir(stub, sizeof stub, "remote.stub");
  FILE *f = fopen(stub, "w");
  for (int i = 0; i < NSHARDS; i++) {
    ports[i] = loopback_free_port();
    snprintf(shard, sizeof shard, "%s/shard%d", three, i);
    /* one server drops idle connections after 700 ms: the client reconnects */
    servers[i] = start_server(ports[i], shard, i == 0 ? "700" : NULL);
    CHECK(servers[i] > 0);
    fprintf(f, "remote 127.0.0.1:%d\n", ports[i]);
  }
  fclose(f);
  if (servers[0] <= 0 || servers[1] <= 0 || servers[2] <= 0) return;
  setenv("PRESSE_SHARD_TIMEOUT", "1500", 1);
  presse_db *rem = NULL;
  CHECK(presse_db_open(&rem, stub, PRESSE_DB_READ) == PRESSE_OK);
  CHECK(presse_db_nshards(rem) == NSHARDS);
  presse_db_stats s1, s2;
  CHECK(presse_db_stats_get(one, &s1) == PRESSE_OK && presse_db_stats_get(rem, &s2) == PRESSE_OK);
  CHECK(s1.docs == s2.docs && s1.terms == s2.terms && s1.first_date == s2.first_date);
  /* plain Xapian opens the sharded folder as one database */
  CHECK(sh("xapian-delve '%s' | grep -qx 'number of documents = %llu'", three, s1.docs) == 0);
  compare_all("3 remote shards", one, rem, an);
  same_output(single, stub, "Migrantenorganisationen");

  /* idle drop: shard 1's server has closed the connection; the next search reconnects */
  answer a, b;
  ask(one, an, "Stadt", 1, &a);
  loopback_sleep_ms(1000);
  ask(rem, an, "Stadt", 1, &b);
  CHECK(same("after an idle drop", "Stadt", &a, &b));

  /* a shard server killed mid-run: the error names it; with partial, the others answer */
  char name[64];
  snprintf(name, sizeof name, "127.0.0.1:%d", ports[1]);
  kill(-servers[1], SIGKILL); /* the listener and the connection it forked for us */
  waitpid(servers[1], NULL, 0);
  servers[1] = 0;
  double t0 = now();
  ask(rem, an, "Stadt", 1, &b);
  CHECK(b.rc == PRESSE_EDB);
  CHECK(strstr(presse_db_errmsg(rem), name) != NULL);
  CHECK(strstr(presse_db_errmsg(rem), "shard 2 of 3") != NULL);
  fprintf(stderr, "killed shard: %s (%.3f s)\n", presse_db_errmsg(rem), now() - t0);
  ask(rem, an, "Stadt", 5, &b);
  CHECK(b.rc == PRESSE_OK && b.partial);
  CHECK_STR(b.failed, name);
  CHECK(b.total > 0 && b.total < a.total);
  /* back on the same port: the next search (a second later) uses it again */
  snprintf(shard, sizeof shard, "%s/shard1", three);
  servers[1] = start_server(ports[1], shard, NULL);
  CHECK(servers[1] > 0);
  loopback_sleep_ms(1100);
  ask(rem, an, "Stadt", 1, &b);
  CHECK(same("with the shard back", "Stadt", &a, &b));

  /* a server that hangs (stopped): no hang here, an error within the timeout (1.5 s per try) */
  kill(-servers[2], SIGSTOP);
  t0 = now();
  ask(rem, an, "Polizei", 0, &b);
  double took = now() - t0;
  fprintf(stderr, "stopped shard: %s (%.3f s)\n", b.rc ? presse_db_errmsg(rem) : "no error", took);
  CHECK(b.rc == PRESSE_EDB);
  snprintf(name, sizeof name, "127.0.0.1:%d", ports[2]);
  CHECK(strstr(presse_db_errmsg(rem), name) != NULL);
  CHECK(took < 8.0);
  kill(-servers[2], SIGCONT);
  presse_db_close(rem);
  unsetenv("PRESSE_SHARD_TIMEOUT");
  stop_all();
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: test_shards PRESSE-INDEX PRESSE-QUERY SOURCE-DIR\n");
    return 2;
  }
  index_bin = argv[1];
  query_bin = argv[2];
  srcdir = argv[3];
  const char *tmp = getenv("PRESSE_TEST_TMP");
  snprintf(dir, sizeof dir, "%s/test_shards.%d", tmp ? tmp : "/tmp", (int)getpid());
  signal(SIGINT, on_fatal);
  signal(SIGTERM, on_fatal);
  signal(SIGABRT, on_fatal);
  char three[600], single[600];
  in_dir(three, sizeof three, "three");
  in_dir(single, sizeof single, "one");
  CHECK(sh("mkdir -p '%s' && '%s' --db '%s' -q add '%s/corpus'", dir, index_bin, single, srcdir) == 0);
  CHECK(sh("'%s' --db '%s' -q --shards %d add '%s/corpus'", index_bin, three, NSHARDS, srcdir) == 0);
  /* the stub lists the shards in Xapian's stub format */
  CHECK(sh("grep -c '^auto shard' '%s/XAPIANDB' | grep -qx %d", three, NSHARDS) == 0);
  /* a database has a fixed number of shards */
  CHECK(sh("'%s' --db '%s' -q --shards 2 add '%s/corpus' 2>/dev/null", index_bin, three, srcdir) == 2);
  CHECK(sh("'%s' --db '%s' -q --shards 2 add '%s/corpus' 2>/dev/null", index_bin, single, srcdir) == 2);

  presse_analyzer *an = NULL;
  presse_db *one = NULL, *loc = NULL;
  CHECK(presse_analyzer_new(&an) == PRESSE_OK);
  CHECK(presse_db_open(&one, single, PRESSE_DB_READ) == PRESSE_OK);
  CHECK(presse_db_open(&loc, three, PRESSE_DB_READ) == PRESSE_OK);
  CHECK(presse_db_nshards(one) == 0 && presse_db_nshards(loc) == NSHARDS);
  presse_db_stats s1, s3, ss;
  CHECK(presse_db_stats_get(one, &s1) == PRESSE_OK && presse_db_stats_get(loc, &s3) == PRESSE_OK);
  CHECK(s1.docs >= 30 && s1.docs == s3.docs && s1.terms == s3.terms);
  unsigned long long sum = 0;
  int all_used = 1;
  for (unsigned i = 0; i < NSHARDS; i++) {
    CHECK(presse_db_shard_stats_get(loc, i, &ss) == PRESSE_OK);
    sum += ss.docs;
    if (ss.docs == 0) all_used = 0;
  }
  CHECK(sum == s1.docs && all_used);
  compare_all("3 local shards", one, loc, an);
  same_output(single, three, "Migrantenorganisationen");
  presse_db_close(loc);

  /* re-adding replaces in the document's own shard; remove finds it there */
  CHECK(sh("'%s' --db '%s' -q add '%s/corpus/000_stadt-hagen-fachtag-migrantenorganisationen.md'", index_bin, three,
           srcdir) == 0);
  CHECK(presse_db_open(&loc, three, PRESSE_DB_WRITE) == PRESSE_OK);
  CHECK(presse_db_stats_get(loc, &s3) == PRESSE_OK && s3.docs == s1.docs);
  char path[1200];
  snprintf(path, sizeof path, "%s/corpus/000_stadt-hagen-fachtag-migrantenorganisationen.md", srcdir);
  char *seed = realpath(path, NULL);
  CHECK(seed && presse_db_remove(loc, seed) == PRESSE_OK);
  CHECK(presse_db_commit(loc) == PRESSE_OK);
  CHECK(presse_db_stats_get(loc, &s3) == PRESSE_OK && s3.docs == s1.docs - 1);
  CHECK(seed && presse_db_remove(loc, seed) == PRESSE_ENOTFOUND);
  presse_db_close(loc);
  CHECK(sh("'%s' --db '%s' -q add '%s'", index_bin, three, seed ? seed : "") == 0);
  free(seed);

  int skipped = 0;
  if (sh("command -v xapian-tcpsrv >/dev/null") == 0)
    remote_tests(one, an, single, three);
  else {
    fprintf(stderr, "xapian-tcpsrv not found (Debian's xapian-tools): remote shards not tested\n");
    skipped = 1;
  }
  if (!skipped) replication_tests(an, three);
  stop_all();
  presse_db_close(one);
  presse_analyzer_free(an);
  if (!check_failures) sh("rm -rf '%s'", dir);
  int rc = check_report("test_shards");
  return rc ? rc : skipped ? 77 : 0;
}
