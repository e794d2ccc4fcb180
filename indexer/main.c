/* presse-index: add releases to the index, remove them, list them, show statistics.
 * A thin command over libpresse; see usage() for the interface. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "presse/presse.h"
#include "util/buf.h"
#include "util/path.h"

enum { EXIT_SKIPPED = 1, EXIT_FATAL = 2 };

static const char *prog = "presse-index";
/* "1 document", "2 documents" */
#define PLURAL(n) ((n) == 1 ? "" : "s")
static volatile sig_atomic_t interrupted;
static presse_indexer *running; /* for the signal handler: stops a stream read between records */

static void usage(FILE *f) {
  fprintf(f,
          "usage: presse-index [--db DIR] COMMAND [ARGS]\n"
          "\n"
          "commands:\n"
          "  add PATH...          index files (.txt .md .html .pdf .docx .odt) and directories\n"
          "                       (recursively); '-' reads stdin\n"
          "  add --jsonl FILE     index a JSON-lines stream {\"id\",\"title\",\"date\",\"text\"} ('-' = stdin)\n"
          "  add --feed FILE      index the items of an RSS or Atom feed (a file, file:// URL or '-')\n"
          "  sync DIR...          make the index match the folders: add new files, re-index changed\n"
          "                       ones, remove the documents of deleted ones\n"
          "  watch DIR...         sync, then keep following the folders (inotify) until Ctrl-C\n"
          "  remove ID|PATH...    remove documents by id or file path\n"
          "  stats                document count, terms, dates, size on disk\n"
          "  list [--json]        every document: id, date, title\n"
          "  check                Xapian's consistency check of every table of the database\n"
          "\n"
          "options:\n"
          "  --db DIR             database directory (default: $PRESSE_DB, else\n"
          "                       $XDG_DATA_HOME/presse/db, else ~/.local/share/presse/db)\n"
          "  --batch N            documents per commit (default 1000)\n"
          "  --shards N           create the database as N shards (a folder with a Xapian stub\n"
          "                       XAPIANDB), indexed by N processes at once; fixed at creation\n"
          "                       (reshard: index the sources again into a new database)\n"
          "  --changesets N       keep N changesets per shard for xapian-replicate (default 10;\n"
          "                       0: none; $XAPIAN_MAX_CHANGESETS if set)\n"
          "  --max-size BYTES     skip documents larger than this (default 16 MiB)\n"
          "  --id ID              the id of the document read from stdin\n"
          "  --format FMT         the format of the document read from stdin: txt, md, html, pdf,\n"
          "                       docx, odt (default: from its first bytes, else txt)\n"
          "  --follow-links       follow symbolic links in folders also where they lead out of the\n"
          "                       folders given (default: only links that stay inside them)\n"
          "  --no-entities        do not extract persons, organisations and places\n"
          "  --no-ocr             do not read PDF pages without a text layer by OCR (Tesseract)\n"
          "  --ner-model FILE     the NER model (default: $PRESSE_NER_MODEL, else the installed one)\n"
          "  -v, --verbose        for every file: format, encoding, date, issuer and title found\n"
          "  -q, --quiet          no progress line and no summary\n"
          "  -h, --help           this text\n"
          "      --version        the version of presse\n"
          "\n"
          "exit status: 0 all indexed, 1 some input was skipped (each named on stderr), 2 fatal error\n");
}

/* The files and directories a walk has been in, by device and inode: a directory reached again
 * (a symlink loop, two links to one folder) is not walked again, and a file reached by two
 * paths is indexed once. */
typedef struct seen_set {
  struct seen {
    dev_t dev;
    ino_t ino;
  } *v;
  size_t n, cap; /* open addressing, cap a power of two; ino 0 marks an empty slot */
} seen_set;

static size_t seen_hash(dev_t dev, ino_t ino) {
  unsigned long long h = ((unsigned long long)dev * 0x9E3779B97F4A7C15ull) ^ (unsigned long long)ino;
  h ^= h >> 31;
  return (size_t)(h * 0xBF58476D1CE4E5B9ull);
}

/* 1 if (dev, ino) was already in the set, 0 if it was added, -1 out of memory. */
static int seen_add(seen_set *s, dev_t dev, ino_t ino) {
  if (ino == 0) ino = (ino_t)-1; /* 0 marks empty slots */
  if ((s->n + 1) * 2 > s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    struct seen *v = calloc(cap, sizeof *v);
    if (!v) return -1;
    for (size_t i = 0; i < s->cap; i++)
      if (s->v[i].ino) {
        size_t k = seen_hash(s->v[i].dev, s->v[i].ino) & (cap - 1);
        while (v[k].ino) k = (k + 1) & (cap - 1);
        v[k] = s->v[i];
      }
    free(s->v);
    s->v = v;
    s->cap = cap;
  }
  size_t k = seen_hash(dev, ino) & (s->cap - 1);
  while (s->v[k].ino) {
    if (s->v[k].dev == dev && s->v[k].ino == ino) return 1;
    k = (k + 1) & (s->cap - 1);
  }
  s->v[k].dev = dev;
  s->v[k].ino = ino;
  s->n++;
  return 0;
}

typedef struct run {
  presse_indexer *ix;
  int quiet, verbose, tty, fatal;
  int follow_links;  /* --follow-links: symlinks in a folder may lead out of it */
  char **roots;      /* real paths of the folders given on the command line */
  size_t nroots;
  seen_set seen;
  unsigned shard, nshards; /* in one shard's process of a sharded database: which one */
  unsigned long long docs, bytes, dropped; /* what cmd_add indexed */
  unsigned long skipped;
  const char *stdin_id;
  presse_format stdin_fmt;
  struct timespec start, last_progress;
  char **feeds; /* add --feed FILE... */
  int nfeeds;
  int folders; /* 1: sync DIR..., 2: watch DIR... (indexer/watch.c) instead of add */
} run;

static double since(const struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress(run *r, int final) {
  if (r->quiet || !r->tty) return;
  if (!final && since(&r->last_progress) < 0.2) return;
  clock_gettime(CLOCK_MONOTONIC, &r->last_progress);
  presse_indexer_counts c;
  presse_indexer_counts_get(r->ix, &c);
  fprintf(stderr, "\r%s: %llu documents, %.1f MB ...%s", prog, c.docs, (double)c.bytes / 1e6, final ? "\r\033[K" : "");
}

static void on_report(void *ctx, const char *what, const char *msg) {
  run *r = ctx;
  if (r->tty && !r->quiet) fputs("\r\033[K", stderr);
  /* file names in a shared folder and the messages quoting them are untrusted too */
  fprintf(stderr, "%s: ", prog);
  presse_term_puts(stderr, what, 0);
  fputs(": ", stderr);
  presse_term_puts(stderr, msg, 0);
  fputc('\n', stderr);
  r->skipped++;
}

/* Handles the status of one input: a per-input failure is reported and counted; a database
 * failure ends the run. */
static void report_info(run *r, const char *what) {
  presse_ingest_info in;
  presse_indexer_last_info(r->ix, &in);
  if (in.container) return; /* a mailbox or feed: each document was shown by on_item */
  if (r->tty && !r->quiet) fputs("\r\033[K", stderr);
  fprintf(stderr, "%s: ", prog);
  presse_term_puts(stderr, what, 0);
  fprintf(stderr, ": %s", in.format ? in.format : "?");
  if (in.encoding) fprintf(stderr, ", %s", in.encoding);
  if (in.repaired) fputs(", mis-decoded UTF-8 repaired", stderr);
  if (in.date)
    fprintf(stderr, ", date %04u-%02u-%02u", in.date / 10000, in.date / 100 % 100, in.date % 100);
  else
    fputs(", no date", stderr);
  fputs(", issuer ", stderr);
  presse_term_puts(stderr, in.issuer && *in.issuer ? in.issuer : "unknown", 0);
  if (in.contacts) fprintf(stderr, ", %u contact%s", in.contacts, in.contacts == 1 ? "" : "s");
  if (in.ocr_pages) fprintf(stderr, ", OCR (%u page%s)", in.ocr_pages, in.ocr_pages == 1 ? "" : "s");
  if (in.parent) fprintf(stderr, ", attached to %s", in.parent);
  fputs(", title \"", stderr);
  presse_term_puts(stderr, in.title ? in.title : "", 0);
  fputs("\"\n", stderr);
}

/* A document of a mailbox or feed was stored. */
static void on_item(void *ctx, const char *what) {
  run *r = ctx;
  if (r->verbose) report_info(r, what);
  progress(r, 0);
}

static int handle(run *r, const char *what, int rc) {
  if (rc == PRESSE_EABORT) return -1; /* interrupted: the run says so at its end */
  if (rc == PRESSE_OK) {
    if (r->verbose) report_info(r, what);
    progress(r, 0);
    return 0;
  }
  if (rc == PRESSE_EDB || rc == PRESSE_ELOCKED || rc == PRESSE_ENOMEM) {
    fprintf(stderr, "%s: %s: %s\n", prog, what, presse_indexer_errmsg(r->ix));
    r->fatal = 1;
    return -1;
  }
  on_report(r, what, presse_indexer_errmsg(r->ix));
  return 0;
}

/* A problem with a path that is no document (a folder, a missing file): every shard's process
 * walks the same paths, the first one reports. */
static void walk_report(run *r, const char *what, const char *msg) {
  if (r->shard == 0) on_report(r, what, msg);
}

/* Whether this process indexes the file at path (always, unless it is one shard's process). */
static int mine(run *r, const char *path) {
  if (r->nshards < 2) return 1;
  char *abs = presse_path_absolute(path);
  int m = presse_db_shard_of(abs ? abs : path, r->nshards) == r->shard;
  free(abs);
  return m;
}


static int add_path(run *r, const char *path, int depth);

/* Whether real (an absolute, resolved path) is one of the roots or inside one. */
static int inside_roots(const run *r, const char *real) {
  for (size_t i = 0; i < r->nroots; i++) {
    size_t n = strlen(r->roots[i]);
    if (!strncmp(real, r->roots[i], n) && (real[n] == '\0' || real[n] == '/' || (n == 1 && r->roots[i][0] == '/')))
      return 1;
  }
  return 0;
}

/* An entry met while walking a folder. Symbolic links are followed only where they resolve to a
 * place inside the folders given on the command line, unless --follow-links: a link to
 * /etc/passwd dropped into a shared folder is not indexed. */
static int add_entry(run *r, const char *path, int depth) {
  struct stat lst;
  if (lstat(path, &lst) != 0) {
    walk_report(r, path, strerror(errno));
    return 0;
  }
  if (S_ISLNK(lst.st_mode) && !r->follow_links) {
    char *real = realpath(path, NULL);
    if (!real) {
      walk_report(r, path, errno == ELOOP ? "symbolic link loop: skipped" : "broken symbolic link: skipped");
      return 0;
    }
    int in = inside_roots(r, real);
    if (!in) {
      presse_buf m = PRESSE_BUF_INIT;
      presse_buf_printf(&m, "symbolic link to '%s', outside the folders given: skipped (--follow-links follows it)",
                        real);
      walk_report(r, path, m.data ? m.data : "symbolic link outside the folders given: skipped");
      presse_buf_free(&m);
    }
    free(real);
    if (!in) return 0;
  }
  return add_path(r, path, depth);
}

static int add_dir(run *r, const char *path, int depth) {
  if (depth > 256) {
    walk_report(r, path, "directory nesting deeper than 256 levels: not walked further");
    return 0;
  }
  char **names;
  size_t n;
  if (presse_path_list_dir(path, &names, &n) != 0) {
    walk_report(r, path, strerror(errno));
    return 0;
  }
  int rc = 0;
  presse_buf child = PRESSE_BUF_INIT;
  for (size_t i = 0; i < n; i++) {
    if (rc == 0 && !interrupted) {
      presse_buf_clear(&child);
      presse_buf_printf(&child, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", names[i]);
      rc = add_entry(r, child.data, depth + 1);
    }
  }
  presse_buf_free(&child);
  presse_path_names_free(names, n);
  return rc;
}

static int add_stdin(run *r) {
  static const char *const names[] = {"stdin", "stdin.txt", "stdin.md", "stdin.html", "stdin.pdf", "stdin.docx",
                                      "stdin.odt"};
  return handle(r, "-", presse_indexer_add_fd(r->ix, 0, r->stdin_id, names[r->stdin_fmt], r->stdin_fmt));
}

static int add_path(run *r, const char *path, int depth) {
  if (!strcmp(path, "-")) return add_stdin(r);
  struct stat st;
  if (stat(path, &st) != 0) {
    walk_report(r, path, strerror(errno));
    return 0;
  }
  int again = seen_add(&r->seen, st.st_dev, st.st_ino);
  if (again < 0) {
    on_report(r, path, "out of memory");
    return 0;
  }
  if (again) { /* the same folder or file by another path (a link, a loop): once is enough */
    if (r->verbose) fprintf(stderr, "%s: %s: already read by another path in this run\n", prog, path);
    return 0;
  }
  if (S_ISDIR(st.st_mode)) return add_dir(r, path, depth);
  if (!mine(r, path)) return 0; /* another shard's process indexes it */
  if (!S_ISREG(st.st_mode)) {
    on_report(r, path, "not a regular file");
    return 0;
  }
  return handle(r, path, presse_indexer_add_file(r->ix, path));
}

static int add_jsonl(run *r, const char *path) {
  FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
  if (!f) {
    on_report(r, path, strerror(errno));
    return 0;
  }
  size_t bad = 0;
  int rc = presse_indexer_add_jsonl(r->ix, f, strcmp(path, "-") ? path : "stdin", &bad);
  if (f != stdin) fclose(f);
  if (rc == PRESSE_EIO) {
    on_report(r, path, presse_indexer_errmsg(r->ix));
    return 0;
  }
  return handle(r, path, rc);
}

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
  presse_indexer_interrupt(running);
}

static int open_db(const char *path, int mode, presse_db **db) {
  if (mode == PRESSE_DB_WRITE) {
    char *parent = strdup(path);
    char *slash = parent ? strrchr(parent, '/') : NULL;
    if (slash && slash != parent) {
      *slash = '\0';
      if (presse_path_mkdirs(parent) != 0) {
        fprintf(stderr, "%s: cannot create '%s': %s\n", prog, parent, strerror(errno));
        free(parent);
        return EXIT_FATAL;
      }
    }
    free(parent);
  }
  int rc = presse_db_open(db, path, mode);
  if (rc == PRESSE_OK) return 0;
  if (rc == PRESSE_ENOTFOUND)
    fprintf(stderr, "%s: no database at '%s' (create one with 'presse-index add')\n", prog, path);
  else
    fprintf(stderr, "%s: %s\n", prog, presse_db_errmsg(*db));
  presse_db_close(*db);
  *db = NULL;
  return EXIT_FATAL;
}

/* What sync and watch did: a line per folder and per batch of changes. */
static void on_sync(void *ctx, const char *dir, const presse_sync_counts *c) {
  run *r = ctx;
  if (r->quiet) return;
  if (r->tty) fputs("\r\033[K", stderr);
  fprintf(stderr, "%s: %s%s: %lu added, %lu re-indexed, %lu removed", prog, dir ? "sync " : "watch",
          dir ? dir : "", c->added, c->updated, c->removed);
  if (dir) fprintf(stderr, ", %lu unchanged", c->unchanged);
  if (c->failed) fprintf(stderr, ", %lu not readable", c->failed);
  fputc('\n', stderr);
}

static void sync_folders(run *r, char **dirs, int n) {
  int rc = PRESSE_OK;
  if (r->folders == 2) {
    rc = presse_indexer_watch(r->ix, dirs, (size_t)n, on_sync, r);
  } else {
    for (int i = 0; i < n && rc == PRESSE_OK && !interrupted; i++) {
      presse_sync_counts c;
      rc = presse_indexer_sync(r->ix, dirs[i], &c);
      if (rc == PRESSE_OK) on_sync(r, dirs[i], &c);
      else if (rc == PRESSE_EIO) { /* this folder only */
        on_report(r, dirs[i], presse_indexer_errmsg(r->ix));
        rc = PRESSE_OK;
      }
    }
  }
  if (rc != PRESSE_OK) handle(r, n == 1 ? dirs[0] : "watch", rc);
}

static int cmd_add(const char *dbpath, run *r, char **paths, int npaths, char **jsonl, int njsonl,
                   const presse_indexer_opts *opts) {
  if (npaths == 0 && njsonl == 0 && r->nfeeds == 0) {
    fprintf(stderr, "%s: add: nothing to add (give files, directories, '-', --jsonl FILE or --feed FILE)\n", prog);
    return EXIT_FATAL;
  }
  presse_db *db;
  int ex = open_db(dbpath, PRESSE_DB_WRITE, &db);
  if (ex) return ex;
  int rc0 = presse_indexer_new(&r->ix, db, opts);
  if (rc0 != PRESSE_OK) {
    fprintf(stderr, "%s: %s%s\n", prog, r->ix ? presse_indexer_errmsg(r->ix) : "out of memory",
            rc0 == PRESSE_ENOTFOUND ? " (or index without entities: --no-entities)" : "");
    presse_indexer_free(r->ix);
    presse_db_close(db);
    return EXIT_FATAL;
  }
  presse_indexer_set_report(r->ix, on_report, r);
  presse_indexer_set_item_cb(r->ix, on_item, r);
  running = r->ix;
  /* no SA_RESTART: a signal interrupts a blocking read of stdin or a pipe, which then stops */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  clock_gettime(CLOCK_MONOTONIC, &r->start);
  r->last_progress = r->start;
  r->roots = calloc((size_t)npaths + 1, sizeof *r->roots);
  for (int i = 0; r->roots && i < npaths; i++) {
    char *real = strcmp(paths[i], "-") ? realpath(paths[i], NULL) : NULL;
    if (real) r->roots[r->nroots++] = real;
  }
  if (r->folders) sync_folders(r, paths, npaths);
  else
    for (int i = 0; i < npaths && !r->fatal && !interrupted; i++) add_path(r, paths[i], 0);
  for (size_t i = 0; i < r->nroots; i++) free(r->roots[i]);
  free(r->roots);
  free(r->seen.v);
  for (int i = 0; i < njsonl && !r->fatal && !interrupted; i++) add_jsonl(r, jsonl[i]);
  for (int i = 0; i < r->nfeeds && !r->fatal && !interrupted; i++)
    handle(r, r->feeds[i], presse_indexer_add_feed(r->ix, r->feeds[i]));
  progress(r, 1);
  presse_indexer_counts c;
  presse_indexer_counts_get(r->ix, &c);
  int rc = PRESSE_OK;
  if (!r->fatal) rc = presse_indexer_commit(r->ix);
  if (rc != PRESSE_OK) {
    fprintf(stderr, "%s: commit failed: %s\n", prog, presse_indexer_errmsg(r->ix));
    r->fatal = 1;
  }
  running = NULL;
  presse_indexer_free(r->ix);
  r->ix = NULL;
  double secs = since(&r->start);
  presse_db_stats st;
  int have_stats = !r->fatal && !r->nshards && presse_db_stats_get(db, &st) == PRESSE_OK;
  presse_db_close(db);
  r->docs = c.docs;
  r->bytes = c.bytes;
  r->dropped = c.terms_dropped;
  if (r->nshards) return r->fatal ? EXIT_FATAL : interrupted ? 130 : r->skipped ? EXIT_SKIPPED : 0;
  if (!r->quiet) {
    fprintf(stderr, "%s: indexed %llu document%s, %.2f MB in %.2f s (%.2f MB/s)", prog, c.docs, PLURAL(c.docs),
            (double)c.bytes / 1e6, secs, secs > 0 ? (double)c.bytes / 1e6 / secs : 0.0);
    if (r->skipped) fprintf(stderr, "; %lu skipped", r->skipped);
    if (c.terms_dropped) fprintf(stderr, "; %llu over-long terms dropped", c.terms_dropped);
    if (have_stats) fprintf(stderr, "; %llu document%s in %s", st.docs, PLURAL(st.docs), dbpath);
    fputc('\n', stderr);
  }
  if (interrupted) {
    fprintf(stderr, "%s: interrupted; what was indexed so far is committed\n", prog);
    return 130;
  }
  return r->fatal ? EXIT_FATAL : r->skipped ? EXIT_SKIPPED : 0;
}

/* A sharded database (issue 12): one process per shard, each with its own analyser, NER model
 * and Xapian writer, so that every core works. Each reads all of the input and indexes the
 * documents whose id falls to its shard (presse_db_shard_of), which is also where presse_db_put
 * and presse_db_remove look for them. The processes report their counts on a pipe; this one
 * prints the summary. */
typedef struct shard_counts {
  unsigned long long docs, bytes, dropped;
  unsigned long skipped;
} shard_counts;

/* Standard input, read once here, for the shards' processes: a file each reopens at its start. */
static FILE *stdin_copy(void) {
  FILE *t = tmpfile();
  if (!t) return NULL;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0) fwrite(chunk, 1, n, t);
  fflush(t);
  return t;
}

static int uses_stdin(char **paths, int npaths, char **jsonl, int njsonl) {
  for (int i = 0; i < npaths; i++)
    if (!strcmp(paths[i], "-")) return 1;
  for (int i = 0; i < njsonl; i++)
    if (!strcmp(jsonl[i], "-")) return 1;
  return 0;
}

static int feeds_use_stdin(const run *r) {
  for (int i = 0; i < r->nfeeds; i++)
    if (!strcmp(r->feeds[i], "-")) return 1;
  return 0;
}

static int cmd_add(const char *dbpath, run *r, char **paths, int npaths, char **jsonl, int njsonl,
                   const presse_indexer_opts *opts);

static int cmd_add_sharded(const char *dbpath, unsigned nshards, run *r, char **paths, int npaths, char **jsonl,
                           int njsonl, const presse_indexer_opts *opts) {
  if (npaths == 0 && njsonl == 0 && r->nfeeds == 0) {
    fprintf(stderr, "%s: add: nothing to add (give files, directories, '-' or --jsonl FILE)\n", prog);
    return EXIT_FATAL;
  }
  presse_db *db = NULL;
  int rc = nshards ? presse_db_create(&db, dbpath, nshards) : presse_db_open(&db, dbpath, PRESSE_DB_WRITE);
  if (rc != PRESSE_OK) {
    fprintf(stderr, "%s: %s\n", prog, presse_db_errmsg(db));
    presse_db_close(db);
    return EXIT_FATAL;
  }
  unsigned n = presse_db_nshards(db);
  char **spath = calloc(n, sizeof *spath);
  for (unsigned i = 0; spath && i < n; i++) spath[i] = strdup(presse_db_shard_path(db, i));
  presse_db_close(db); /* each shard's process opens its shard and takes its lock */
  FILE *in = uses_stdin(paths, npaths, jsonl, njsonl) || feeds_use_stdin(r) ? stdin_copy() : NULL;
  pid_t *pids = calloc(n, sizeof *pids);
  int *fds = calloc(n, sizeof *fds);
  if (!spath || !pids || !fds) {
    fprintf(stderr, "%s: out of memory\n", prog);
    return EXIT_FATAL;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* Ctrl-C reaches every process of the group: each commits, this one waits */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  fflush(NULL);
  for (unsigned k = 0; k < n; k++) {
    int pfd[2];
    if (pipe(pfd) != 0 || (pids[k] = fork()) < 0) {
      fprintf(stderr, "%s: cannot start the process for shard %u: %s\n", prog, k, strerror(errno));
      r->fatal = 1;
      break;
    }
    if (pids[k] == 0) {
      close(pfd[0]);
      if (in) { /* a file description of its own, read from the start */
        char p[64];
        snprintf(p, sizeof p, "/proc/self/fd/%d", fileno(in));
        int fd = open(p, O_RDONLY);
        if (fd >= 0) dup2(fd, 0);
        clearerr(stdin);
      }
      run c = *r;
      c.shard = k;
      c.nshards = n;
      c.tty = 0; /* no progress line from the shards */
      presse_indexer_opts o = *opts;
      o.shard = k;
      o.nshards = n;
      int st = spath[k] ? cmd_add(spath[k], &c, paths, npaths, jsonl, njsonl, &o) : EXIT_FATAL;
      shard_counts sc = {c.docs, c.bytes, c.dropped, c.skipped};
      if (write(pfd[1], &sc, sizeof sc) != (ssize_t)sizeof sc) st = EXIT_FATAL;
      _exit(st);
    }
    close(pfd[1]);
    fds[k] = pfd[0];
  }
  shard_counts sum = {0, 0, 0, 0};
  int status = r->fatal ? EXIT_FATAL : 0, killed = 0;
  for (unsigned k = 0; k < n; k++) {
    if (pids[k] <= 0) continue;
    shard_counts sc;
    ssize_t got;
    while ((got = read(fds[k], &sc, sizeof sc)) < 0 && errno == EINTR) {
    }
    close(fds[k]);
    int ws = 0;
    while (waitpid(pids[k], &ws, 0) < 0 && errno == EINTR) {
    }
    int st = WIFEXITED(ws) ? WEXITSTATUS(ws) : EXIT_FATAL;
    if (!WIFEXITED(ws)) {
      fprintf(stderr, "%s: the process for shard %u ended by signal %d\n", prog, k, WTERMSIG(ws));
      killed = 1;
    }
    if (got == (ssize_t)sizeof sc) {
      sum.docs += sc.docs;
      sum.bytes += sc.bytes;
      sum.dropped += sc.dropped;
      sum.skipped += sc.skipped;
    }
    if (st == 130) interrupted = 1;
    else if (st > status) status = st;
  }
  if (in) fclose(in);
  double secs = since(&t0);
  presse_db_stats st;
  int have = 0;
  if (!killed && presse_db_open(&db, dbpath, PRESSE_DB_READ) == PRESSE_OK) have = presse_db_stats_get(db, &st) == PRESSE_OK;
  presse_db_close(db);
  if (!r->quiet) {
    fprintf(stderr, "%s: indexed %llu document%s, %.2f MB in %.2f s (%.2f MB/s) by %u shard processes", prog,
            sum.docs, PLURAL(sum.docs), (double)sum.bytes / 1e6, secs, secs > 0 ? (double)sum.bytes / 1e6 / secs : 0.0, n);
    if (sum.skipped) fprintf(stderr, "; %lu skipped", sum.skipped);
    if (sum.dropped) fprintf(stderr, "; %llu over-long terms dropped", sum.dropped);
    if (have) fprintf(stderr, "; %llu document%s in %s", st.docs, PLURAL(st.docs), dbpath);
    fputc('\n', stderr);
  }
  for (unsigned i = 0; i < n; i++) free(spath[i]);
  free(spath);
  free(pids);
  free(fds);
  if (interrupted && status < EXIT_FATAL) {
    fprintf(stderr, "%s: interrupted; what was indexed so far is committed\n", prog);
    return 130;
  }
  return status;
}

/* Whether path is a sharded database (a folder with a Xapian stub, or a stub file). */
static int is_sharded(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) return 0;
  if (S_ISREG(st.st_mode)) return 1;
  presse_buf stub = PRESSE_BUF_INIT;
  presse_buf_printf(&stub, "%s/XAPIANDB", path);
  int yes = stub.data && stat(stub.data, &st) == 0;
  presse_buf_free(&stub);
  return yes;
}

static int cmd_remove(const char *dbpath, char **ids, int n) {
  if (n == 0) {
    fprintf(stderr, "%s: remove: give one or more ids or paths\n", prog);
    return EXIT_FATAL;
  }
  presse_db *db;
  int ex = open_db(dbpath, PRESSE_DB_WRITE, &db);
  if (ex) return ex;
  int status = 0;
  for (int i = 0; i < n; i++) {
    char *abs = presse_path_absolute(ids[i]);
    int rc = presse_db_remove(db, abs ? abs : ids[i]);
    if (rc == PRESSE_ENOTFOUND && abs) rc = presse_db_remove(db, ids[i]);
    free(abs);
    if (rc == PRESSE_ENOTFOUND) {
      fprintf(stderr, "%s: %s: no such document in the index\n", prog, ids[i]);
      status = EXIT_SKIPPED;
    } else if (rc != PRESSE_OK) {
      fprintf(stderr, "%s: %s: %s\n", prog, ids[i], presse_db_errmsg(db));
      presse_db_close(db);
      return EXIT_FATAL;
    }
  }
  if (presse_db_commit(db) != PRESSE_OK) {
    fprintf(stderr, "%s: commit failed: %s\n", prog, presse_db_errmsg(db));
    status = EXIT_FATAL;
  }
  presse_db_close(db);
  return status;
}

static int cmd_stats(const char *dbpath) {
  presse_db *db;
  int ex = open_db(dbpath, PRESSE_DB_READ, &db);
  if (ex) return ex;
  presse_db_stats st;
  /* the walk over the statistics crashed inside libxapian on a damaged posting-list table */
  int rc = presse_db_check(db, 0);
  if (rc == PRESSE_OK) rc = presse_db_stats_get(db, &st);
  if (rc != PRESSE_OK) {
    fprintf(stderr, "%s: %s\n", prog, presse_db_errmsg(db));
    presse_db_close(db);
    return EXIT_FATAL;
  }
  printf("database:        %s\n", dbpath);
  printf("documents:       %llu\n", st.docs);
  printf("distinct terms:  %llu\n", st.terms);
  printf("average length:  %.1f terms\n", st.avg_length);
  if (st.first_date)
    printf("dates:           %04u-%02u-%02u .. %04u-%02u-%02u\n", st.first_date / 10000, st.first_date / 100 % 100,
           st.first_date % 100, st.last_date / 10000, st.last_date / 100 % 100, st.last_date % 100);
  printf("duplicates:      %llu (documents whose text another document already has; shown once in results)\n",
         st.duplicates);
  printf("size on disk:    %.2f MB\n", (double)st.disk_bytes / 1e6);
  int status = 0;
  unsigned n = presse_db_nshards(db);
  if (n) printf("shards:          %u (a document lives in shard FNV-1a(its id term) mod %u)\n", n, n);
  for (unsigned i = 0; i < n; i++) {
    presse_db_stats ss;
    if (presse_db_shard_stats_get(db, i, &ss) != PRESSE_OK) {
      printf("  %-24s unavailable\n", presse_db_shard_name(db, i));
      fprintf(stderr, "%s: %s\n", prog, presse_db_errmsg(db));
      status = EXIT_FATAL;
      continue;
    }
    printf("  %-24s %8llu documents %9llu terms %10.2f MB", presse_db_shard_name(db, i), ss.docs, ss.terms,
           (double)ss.disk_bytes / 1e6);
    if (ss.first_date)
      printf("  %04u-%02u-%02u .. %04u-%02u-%02u", ss.first_date / 10000, ss.first_date / 100 % 100, ss.first_date % 100,
             ss.last_date / 10000, ss.last_date / 100 % 100, ss.last_date % 100);
    putchar('\n');
  }
  presse_db_close(db);
  return status;
}

/* Xapian's full consistency check of every table. */
static int cmd_check(const char *dbpath) {
  presse_db *db;
  int ex = open_db(dbpath, PRESSE_DB_READ, &db);
  if (ex) return ex;
  int rc = presse_db_check(db, 1);
  if (rc != PRESSE_OK) fprintf(stderr, "%s: %s\n", prog, presse_db_errmsg(db));
  else printf("%s: every table is consistent\n", dbpath);
  presse_db_close(db);
  return rc == PRESSE_OK ? 0 : EXIT_FATAL;
}

typedef struct list_ctx {
  int json;
  json_t *arr;
} list_ctx;

static int on_list(void *vctx, const char *id, const char *data, size_t len) {
  list_ctx *c = vctx;
  json_t *o = json_loadb(data, len, 0, NULL);
  const char *title = o ? json_string_value(json_object_get(o, "title")) : NULL;
  const char *date = o ? json_string_value(json_object_get(o, "date")) : NULL;
  if (c->json) {
    json_t *e = json_object();
    json_object_set_new(e, "id", json_string(id));
    json_object_set_new(e, "date", date ? json_string(date) : json_null());
    json_object_set_new(e, "title", json_string(title ? title : ""));
    json_array_append_new(c->arr, e);
  } else {
    /* TSV: a tab or newline inside a field is escaped, control characters are shown, not obeyed */
    presse_term_puts(stdout, id, PRESSE_TERM_TSV);
    putchar('\t');
    presse_term_puts(stdout, date ? date : "-", PRESSE_TERM_TSV);
    putchar('\t');
    presse_term_puts(stdout, title ? title : "", PRESSE_TERM_TSV);
    putchar('\n');
  }
  json_decref(o);
  return 0;
}

static int cmd_list(const char *dbpath, int json) {
  presse_db *db;
  int ex = open_db(dbpath, PRESSE_DB_READ, &db);
  if (ex) return ex;
  list_ctx c = {json, json ? json_array() : NULL};
  int rc = presse_db_each(db, on_list, &c);
  if (rc != PRESSE_OK) {
    fprintf(stderr, "%s: %s\n", prog, presse_db_errmsg(db));
    presse_db_close(db);
    json_decref(c.arr);
    return EXIT_FATAL;
  }
  if (json) {
    json_t *o = json_pack("{s:o}", "documents", c.arr);
    json_dumpf(o, stdout, JSON_INDENT(1));
    putchar('\n');
    json_decref(o);
  }
  presse_db_close(db);
  return 0;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},     {"batch", required_argument, NULL, 'b'},
      {"max-size", required_argument, NULL, 'm'}, {"jsonl", required_argument, NULL, 'j'},
      {"feed", required_argument, NULL, 'F'},
      {"no-ocr", no_argument, NULL, 'O'},
      {"id", required_argument, NULL, 'i'},     {"format", required_argument, NULL, 'f'},
      {"json", no_argument, NULL, 'J'},         {"quiet", no_argument, NULL, 'q'},
      {"verbose", no_argument, NULL, 'v'},      {"follow-links", no_argument, NULL, 'L'},
      {"no-entities", no_argument, NULL, 'E'},  {"ner-model", required_argument, NULL, 'M'},
      {"shards", required_argument, NULL, 'S'}, {"changesets", required_argument, NULL, 'C'},
      {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  unsigned nshards = 0;
  const char *changesets = NULL;
  char *dbpath = NULL;
  presse_indexer_opts opts = {0};
  run r;
  memset(&r, 0, sizeof r);
  r.stdin_fmt = PRESSE_FMT_AUTO;
  int json = 0, status;
  char **jsonl = calloc((size_t)argc + 1, sizeof *jsonl);
  int njsonl = 0;
  int c;
  while ((c = getopt_long(argc, argv, "qvh", longopts, NULL)) != -1) {
    char *end;
    switch (c) {
      case 'd':
        free(dbpath);
        dbpath = strdup(optarg);
        break;
      case 'b':
        opts.batch = (unsigned)strtoul(optarg, &end, 10);
        if (*end || opts.batch == 0) {
          fprintf(stderr, "%s: --batch: '%s' is not a positive number\n", prog, optarg);
          free(jsonl);
          free(dbpath);
          return EXIT_FATAL;
        }
        break;
      case 'm':
        opts.max_doc_bytes = (size_t)strtoull(optarg, &end, 10);
        if (*end || opts.max_doc_bytes == 0) {
          fprintf(stderr, "%s: --max-size: '%s' is not a positive number of bytes\n", prog, optarg);
          free(jsonl);
          free(dbpath);
          return EXIT_FATAL;
        }
        break;
      case 'S': {
        unsigned long v = strtoul(optarg, &end, 10);
        if (*end || *optarg == '-' || v < 1 || v > 1024) {
          fprintf(stderr, "%s: --shards: '%s' is not a number from 1 to 1024\n", prog, optarg);
          free(jsonl);
          free(dbpath);
          return EXIT_FATAL;
        }
        nshards = (unsigned)v;
        break;
      }
      case 'C':
        strtoul(optarg, &end, 10);
        if (*end || !*optarg || *optarg == '-') {
          fprintf(stderr, "%s: --changesets: '%s' is not a number\n", prog, optarg);
          free(jsonl);
          free(dbpath);
          return EXIT_FATAL;
        }
        changesets = optarg;
        break;
      case 'j':
        jsonl[njsonl++] = optarg;
        break;
      case 'O':
        opts.no_ocr = 1;
        break;
      case 'F':
        if (!r.feeds) r.feeds = calloc((size_t)argc + 1, sizeof *r.feeds);
        if (r.feeds) r.feeds[r.nfeeds++] = optarg;
        break;
      case 'i':
        r.stdin_id = optarg;
        break;
      case 'f':
        if (!strcmp(optarg, "md") || !strcmp(optarg, "markdown")) r.stdin_fmt = PRESSE_FMT_MARKDOWN;
        else if (!strcmp(optarg, "txt") || !strcmp(optarg, "text")) r.stdin_fmt = PRESSE_FMT_TEXT;
        else if (!strcmp(optarg, "html") || !strcmp(optarg, "htm")) r.stdin_fmt = PRESSE_FMT_HTML;
        else if (!strcmp(optarg, "pdf")) r.stdin_fmt = PRESSE_FMT_PDF;
        else if (!strcmp(optarg, "docx")) r.stdin_fmt = PRESSE_FMT_DOCX;
        else if (!strcmp(optarg, "odt")) r.stdin_fmt = PRESSE_FMT_ODT;
        else {
          fprintf(stderr, "%s: --format: '%s' is not txt, md, html, pdf, docx or odt\n", prog, optarg);
          free(jsonl);
          free(dbpath);
          return EXIT_FATAL;
        }
        break;
      case 'J':
        json = 1;
        break;
      case 'E':
        opts.no_entities = 1;
        break;
      case 'M':
        opts.ner_model = optarg;
        break;
      case 'q':
        r.quiet = 1;
        break;
      case 'v':
        r.verbose = 1;
        break;
      case 'L':
        r.follow_links = 1;
        break;
      case 'h':
        usage(stdout);
        free(jsonl);
        free(dbpath);
        return 0;
      case 'V':
        printf("presse-index (presse) %s\n", PRESSE_VERSION);
        free(jsonl);
        free(dbpath);
        return 0;
      default: /* getopt named the option: a short error, not the whole usage */
        fprintf(stderr, "%s: try '%s --help'\n", prog, prog);
        free(jsonl);
        free(dbpath);
        return EXIT_FATAL;
    }
  }
  if (optind >= argc) {
    usage(stderr);
    free(jsonl);
    free(dbpath);
    return EXIT_FATAL;
  }
  if (!dbpath) dbpath = presse_path_default_db();
  /* Xapian's writer keeps this many changesets per database: what xapian-replicate ships to a
   * replica instead of whole copies (README, "On several machines"). */
  if (changesets) setenv("XAPIAN_MAX_CHANGESETS", changesets, 1);
  else if (!getenv("XAPIAN_MAX_CHANGESETS")) setenv("XAPIAN_MAX_CHANGESETS", "10", 1);
  r.tty = isatty(2);
  const char *cmd = argv[optind];
  char **rest = argv + optind + 1;
  int nrest = argc - optind - 1;
  if (!strcmp(cmd, "add") && (nshards || is_sharded(dbpath)))
    status = cmd_add_sharded(dbpath, nshards, &r, rest, nrest, jsonl, njsonl, &opts);
  else if (!strcmp(cmd, "add")) status = cmd_add(dbpath, &r, rest, nrest, jsonl, njsonl, &opts);
  else if ((!strcmp(cmd, "sync") || !strcmp(cmd, "watch")) && nrest > 0) {
    r.folders = !strcmp(cmd, "sync") ? 1 : 2;
    status = cmd_add(dbpath, &r, rest, nrest, NULL, 0, &opts);
  }
  else if (!strcmp(cmd, "remove") || !strcmp(cmd, "rm")) status = cmd_remove(dbpath, rest, nrest);
  else if (!strcmp(cmd, "stats")) status = cmd_stats(dbpath);
  else if (!strcmp(cmd, "check")) status = cmd_check(dbpath);
  else if (!strcmp(cmd, "list")) status = cmd_list(dbpath, json);
  else {
    fprintf(stderr, "%s: %s '%s' (add, sync DIR, watch DIR, remove, stats, list, check)\n", prog,
            strcmp(cmd, "sync") && strcmp(cmd, "watch") ? "unknown command" : "give one or more folders to", cmd);
    status = EXIT_FATAL;
  }
  free(jsonl);
  free(r.feeds);
  free(dbpath);
  return status;
}
