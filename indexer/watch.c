/* Keeping the index in step with folders. presse-index sync DIR compares the files under DIR
 * with what the index stores of them (each document built from a file stores the file's mtime
 * and size): new files are added, changed ones re-indexed (a changed mailbox: its old messages
 * removed first), and documents whose file is gone are removed, which re-adding a folder never
 * did. presse-index watch DIR first syncs (so a restart catches up on what changed while it was
 * down), then follows inotify: a file written (IN_CLOSE_WRITE) or moved in is indexed, one
 * deleted or moved out is removed, a new or removed folder triggers a sync of the tree; events
 * are gathered for a moment (files are often written in several steps) and each batch is
 * committed, so a file copied in is searchable within a second or two. */
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "document/schema.h"
#include "indexer/indexer_internal.h"
#include "util/path.h"

enum { MAX_DEPTH = 64, SETTLE_MS = 300 };

/* ---- what the index holds of a folder ---- */

typedef struct stored {
  char *path;
  long long mtime, size;
  char **ids;
  size_t nids;
  int seen;
} stored;

typedef struct state {
  stored *v;
  size_t n, cap;
  const char *root; /* absolute, no trailing slash */
  size_t rootlen;
} state;

static void state_free(state *s) {
  for (size_t i = 0; i < s->n; i++) {
    for (size_t k = 0; k < s->v[i].nids; k++) free(s->v[i].ids[k]);
    free(s->v[i].ids);
    free(s->v[i].path);
  }
  free(s->v);
  s->v = NULL;
  s->n = s->cap = 0;
}

static int cmp_stored(const void *a, const void *b) { return strcmp(((const stored *)a)->path, ((const stored *)b)->path); }

static stored *state_find(state *s, const char *path) {
  stored key = {0};
  key.path = (char *)path;
  return s->n ? bsearch(&key, s->v, s->n, sizeof *s->v, cmp_stored) : NULL;
}

static int under(const state *s, const char *path) {
  return !strncmp(path, s->root, s->rootlen) && path[s->rootlen] == '/';
}

static long long mtime_ns(const struct stat *st) {
  return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

/* Collects the stored documents whose file lies under s->root (unsorted: state_sort after). */
static int on_doc(void *ctx, const char *id, const char *data, size_t len) {
  state *s = ctx;
  json_t *o = json_loadb(data, len, 0, NULL);
  const char *path = o ? json_string_value(json_object_get(o, PRESSE_STORED_PATH)) : NULL;
  if (path && under(s, path)) {
    stored *e = NULL;
    for (size_t i = s->n; i > 0 && !e; i--) /* a mailbox's messages follow each other */
      if (!strcmp(s->v[i - 1].path, path)) e = &s->v[i - 1];
      else if (s->n - i > 8) break;
    if (!e && s->n == s->cap) {
      size_t cap = s->cap ? s->cap * 2 : 256;
      stored *p = realloc(s->v, cap * sizeof *p);
      if (p) {
        s->v = p;
        s->cap = cap;
      }
    }
    if (!e && s->n < s->cap) {
      e = &s->v[s->n++];
      memset(e, 0, sizeof *e);
      e->path = strdup(path);
      e->mtime = (long long)json_integer_value(json_object_get(o, PRESSE_STORED_MTIME));
      e->size = (long long)json_integer_value(json_object_get(o, PRESSE_STORED_SIZE));
    }
    char **ids = e ? realloc(e->ids, (e->nids + 1) * sizeof *ids) : NULL;
    if (ids) {
      e->ids = ids;
      ids[e->nids] = strdup(id);
      if (ids[e->nids]) e->nids++;
    }
  }
  json_decref(o);
  return 0;
}

/* Merges entries of the same path (a mailbox whose messages were stored apart) after sorting. */
static void state_sort(state *s) {
  if (s->n) qsort(s->v, s->n, sizeof *s->v, cmp_stored); /* an empty folder: v is NULL */
  size_t w = 0;
  for (size_t i = 0; i < s->n; i++) {
    if (w && !strcmp(s->v[w - 1].path, s->v[i].path)) {
      stored *d = &s->v[w - 1], *e = &s->v[i];
      char **ids = realloc(d->ids, (d->nids + e->nids) * sizeof *ids);
      if (ids) {
        d->ids = ids;
        memcpy(ids + d->nids, e->ids, e->nids * sizeof *ids);
        d->nids += e->nids;
        e->nids = 0;
      }
      for (size_t k = 0; k < e->nids; k++) free(e->ids[k]);
      free(e->ids);
      free(e->path);
      continue;
    }
    s->v[w++] = s->v[i];
  }
  s->n = w;
}

static int state_load(presse_indexer *ix, state *s) {
  int rc = presse_db_each(ix->db, on_doc, s);
  if (rc != PRESSE_OK) return presse_indexer_fail(ix, rc, "%s", presse_db_errmsg(ix->db));
  state_sort(s);
  return PRESSE_OK;
}

/* ---- changes ---- */

static int remove_ids(presse_indexer *ix, stored *e) {
  for (size_t k = 0; k < e->nids; k++) {
    int rc = presse_db_remove(ix->db, e->ids[k]);
    if (rc != PRESSE_OK && rc != PRESSE_ENOTFOUND) return presse_indexer_fail(ix, rc, "%s", presse_db_errmsg(ix->db));
    if (rc == PRESSE_OK) ix->pending++;
  }
  return PRESSE_OK;
}

/* A file found under the root: unchanged, new or changed. */
static int visit_file(presse_indexer *ix, state *s, const char *path, const struct stat *st, presse_sync_counts *c) {
  stored *e = state_find(s, path);
  if (e) {
    e->seen = 1;
    if (e->mtime == mtime_ns(st) && e->size == (long long)st->st_size) {
      c->unchanged++;
      return PRESSE_OK;
    }
    int rc = remove_ids(ix, e); /* a changed mailbox may have lost messages */
    if (rc != PRESSE_OK) return rc;
  }
  int rc = presse_indexer_add_file(ix, path);
  if (rc == PRESSE_OK) {
    if (e) c->updated++;
    else c->added++;
    presse_ingest_info in;
    presse_indexer_last_info(ix, &in);
    if (!in.container) presse_indexer_announce(ix, path);
    return PRESSE_OK;
  }
  if (rc == PRESSE_EDB || rc == PRESSE_ELOCKED || rc == PRESSE_ENOMEM || rc == PRESSE_EABORT) return rc;
  c->failed++;
  presse_indexer_report(ix, path, presse_indexer_errmsg(ix));
  return PRESSE_OK;
}

static int walk(presse_indexer *ix, state *s, const char *dir, int depth, presse_sync_counts *c) {
  if (depth > MAX_DEPTH) {
    presse_indexer_report(ix, dir, "folders nested more than 64 deep: not walked further");
    return PRESSE_OK;
  }
  char **names;
  size_t n;
  if (presse_path_list_dir(dir, &names, &n) != 0) {
    presse_indexer_report(ix, dir, strerror(errno));
    return PRESSE_OK;
  }
  int rc = PRESSE_OK;
  char path[PATH_MAX];
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    int len = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    /* symbolic links are not followed: what they point to may lie outside the folder */
    if (rc == PRESSE_OK && len > 0 && (size_t)len < sizeof path && lstat(path, &st) == 0 && !ix->stop) {
      if (S_ISDIR(st.st_mode)) rc = walk(ix, s, path, depth + 1, c);
      else if (S_ISREG(st.st_mode)) rc = visit_file(ix, s, path, &st, c);
    }
  }
  presse_path_names_free(names, n);
  if (rc == PRESSE_OK && ix->stop) rc = presse_indexer_fail(ix, PRESSE_EABORT, "interrupted");
  return rc;
}

int presse_indexer_sync(presse_indexer *ix, const char *dir, presse_sync_counts *out) {
  memset(out, 0, sizeof *out);
  char *root = presse_path_absolute(dir);
  struct stat st;
  if (!root || stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
    free(root);
    return presse_indexer_fail(ix, PRESSE_EIO, "%s", !root ? strerror(errno) : "not a directory");
  }
  state s = {NULL, 0, 0, root, strlen(root)};
  int rc = state_load(ix, &s);
  if (rc == PRESSE_OK) rc = walk(ix, &s, root, 0, out);
  for (size_t i = 0; rc == PRESSE_OK && i < s.n; i++)
    if (!s.v[i].seen) { /* its file is gone (or is now skipped): so is the document */
      rc = remove_ids(ix, &s.v[i]);
      out->removed++;
    }
  if (rc == PRESSE_OK) rc = presse_indexer_commit(ix);
  state_free(&s);
  free(root);
  return rc;
}

/* ---- watching ---- */

typedef struct watched {
  int wd;
  char *dir;  /* absolute */
  size_t root; /* index of the root it belongs to */
} watched;

typedef struct watcher {
  presse_indexer *ix;
  int fd;
  watched *w;
  size_t n, cap;
  char **roots;
  size_t nroots;
  char **changed, **gone; /* files since the last batch */
  size_t nchanged, ngone;
  unsigned char *resync;  /* roots whose folders changed */
} watcher;

static void add_watches(watcher *wt, const char *dir, size_t root, int depth) {
  if (depth > MAX_DEPTH) return;
  int wd = inotify_add_watch(wt->fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE |
                                              IN_DELETE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW);
  if (wd < 0) {
    char msg[200];
    snprintf(msg, sizeof msg, "cannot watch: %s", strerror(errno));
    presse_indexer_report(wt->ix, dir, msg);
    return;
  }
  if (wt->n == wt->cap) {
    size_t cap = wt->cap ? wt->cap * 2 : 16;
    watched *p = realloc(wt->w, cap * sizeof *p);
    if (!p) return;
    wt->w = p;
    wt->cap = cap;
  }
  wt->w[wt->n++] = (watched){wd, strdup(dir), root};
  char **names;
  size_t n;
  if (presse_path_list_dir(dir, &names, &n) != 0) return;
  char path[PATH_MAX];
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    int len = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (len > 0 && (size_t)len < sizeof path && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
      add_watches(wt, path, root, depth + 1);
  }
  presse_path_names_free(names, n);
}

static watched *watched_of(watcher *wt, int wd) {
  for (size_t i = 0; i < wt->n; i++)
    if (wt->w[i].wd == wd) return &wt->w[i];
  return NULL;
}

static void push(char ***v, size_t *n, const char *s) {
  for (size_t i = 0; i < *n; i++)
    if (!strcmp((*v)[i], s)) return;
  char **p = realloc(*v, (*n + 1) * sizeof *p);
  if (!p) return;
  *v = p;
  if ((p[*n] = strdup(s))) (*n)++;
}

static void clear_list(char **v, size_t *n) {
  for (size_t i = 0; i < *n; i++) free(v[i]);
  *n = 0;
}

/* Reads what inotify has; returns the number of events. */
static int read_events(watcher *wt) {
  char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
  int events = 0;
  for (;;) {
    ssize_t len = read(wt->fd, buf, sizeof buf);
    if (len <= 0) break;
    for (char *p = buf; p < buf + len;) {
      struct inotify_event *ev = (struct inotify_event *)(void *)p;
      p += sizeof *ev + ev->len;
      watched *w = watched_of(wt, ev->wd);
      if (!w) continue;
      if (ev->mask & (IN_DELETE_SELF | IN_Q_OVERFLOW)) {
        wt->resync[w->root] = 1;
        events++;
        continue;
      }
      if (!ev->len || presse_path_walk_skips(ev->name)) continue;
      char path[PATH_MAX];
      int pl = snprintf(path, sizeof path, "%s/%s", w->dir, ev->name);
      if (pl <= 0 || (size_t)pl >= sizeof path) continue;
      events++;
      if (ev->mask & IN_ISDIR) {
        if (ev->mask & (IN_CREATE | IN_MOVED_TO)) add_watches(wt, path, w->root, 1);
        wt->resync[w->root] = 1; /* a folder came or went with its files */
      } else if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
        push(&wt->changed, &wt->nchanged, path);
      } else if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
        push(&wt->gone, &wt->ngone, path);
      }
    }
  }
  return events;
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The documents of one file, as a state of that file alone. */
static int file_state(presse_indexer *ix, const char *path, state *s) {
  const char *slash = strrchr(path, '/');
  s->root = path;
  s->rootlen = slash ? (size_t)(slash - path) : 0;
  int rc = state_load(ix, s);
  stored *e = rc == PRESSE_OK ? state_find(s, path) : NULL;
  for (size_t i = 0; i < s->n; i++) /* only this file's entry counts */
    if (&s->v[i] != e) s->v[i].seen = 1;
  return rc;
}

static int batch(watcher *wt, presse_sync_counts *c) {
  presse_indexer *ix = wt->ix;
  int rc = PRESSE_OK;
  memset(c, 0, sizeof *c);
  for (size_t r = 0; r < wt->nroots && rc == PRESSE_OK; r++)
    if (wt->resync[r]) {
      wt->resync[r] = 0;
      presse_sync_counts one;
      rc = presse_indexer_sync(ix, wt->roots[r], &one);
      c->added += one.added;
      c->updated += one.updated;
      c->removed += one.removed;
      c->failed += one.failed;
    }
  for (size_t i = 0; i < wt->ngone && rc == PRESSE_OK; i++) {
    struct stat st;
    if (lstat(wt->gone[i], &st) == 0) continue; /* replaced already: a change */
    state s = {0};
    rc = file_state(ix, wt->gone[i], &s);
    stored *e = rc == PRESSE_OK ? state_find(&s, wt->gone[i]) : NULL;
    if (e && e->nids) {
      rc = remove_ids(ix, e);
      c->removed++;
    }
    state_free(&s);
  }
  for (size_t i = 0; i < wt->nchanged && rc == PRESSE_OK; i++) {
    struct stat st;
    if (lstat(wt->changed[i], &st) != 0 || !S_ISREG(st.st_mode)) continue;
    state s = {0};
    rc = file_state(ix, wt->changed[i], &s);
    if (rc == PRESSE_OK) rc = visit_file(ix, &s, wt->changed[i], &st, c);
    state_free(&s);
  }
  clear_list(wt->changed, &wt->nchanged);
  clear_list(wt->gone, &wt->ngone);
  if (rc == PRESSE_OK) rc = presse_indexer_commit(ix);
  return rc;
}

int presse_indexer_watch(presse_indexer *ix, char *const *dirs, size_t ndirs, presse_sync_cb cb, void *ctx) {
  watcher wt;
  memset(&wt, 0, sizeof wt);
  wt.ix = ix;
  wt.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (wt.fd < 0) return presse_indexer_fail(ix, PRESSE_EIO, "inotify: %s", strerror(errno));
  wt.roots = calloc(ndirs + 1, sizeof *wt.roots);
  wt.resync = calloc(ndirs + 1, 1);
  int rc = wt.roots && wt.resync ? PRESSE_OK : presse_indexer_fail(ix, PRESSE_ENOMEM, "out of memory");
  /* watch first, then catch up: nothing written in between is missed */
  for (size_t i = 0; i < ndirs && rc == PRESSE_OK; i++) {
    char *root = presse_path_absolute(dirs[i]);
    struct stat st;
    if (!root || stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
      presse_indexer_report(ix, dirs[i], root ? "not a directory" : strerror(errno));
      free(root);
      continue;
    }
    wt.roots[wt.nroots] = root;
    add_watches(&wt, root, wt.nroots++, 0);
  }
  if (rc == PRESSE_OK && !wt.nroots) rc = presse_indexer_fail(ix, PRESSE_EINVAL, "no folder to watch");
  for (size_t i = 0; i < wt.nroots && rc == PRESSE_OK; i++) {
    presse_sync_counts c;
    rc = presse_indexer_sync(ix, wt.roots[i], &c);
    if (rc == PRESSE_OK && cb) cb(ctx, wt.roots[i], &c);
  }
  long long first = 0, last = 0;
  while (rc == PRESSE_OK && !ix->stop) {
    struct pollfd p = {wt.fd, POLLIN, 0};
    int pr = poll(&p, 1, first ? 100 : 1000);
    if (pr < 0 && errno != EINTR) {
      rc = presse_indexer_fail(ix, PRESSE_EIO, "poll: %s", strerror(errno));
      break;
    }
    if (pr > 0 && read_events(&wt)) {
      last = now_ms();
      if (!first) first = last;
    }
    /* a batch when the folder has been quiet for a moment, or after 2 s of steady writes */
    if (first && (now_ms() - last >= SETTLE_MS || now_ms() - first >= 2000)) {
      presse_sync_counts c;
      rc = batch(&wt, &c);
      if (rc == PRESSE_OK && cb && (c.added || c.updated || c.removed || c.failed)) cb(ctx, NULL, &c);
      first = last = 0;
    }
  }
  if (rc == PRESSE_OK && ix->stop) rc = presse_indexer_fail(ix, PRESSE_EABORT, "interrupted");
  close(wt.fd);
  for (size_t i = 0; i < wt.n; i++) free(wt.w[i].dir);
  free(wt.w);
  for (size_t i = 0; i < wt.nroots; i++) free(wt.roots[i]);
  free(wt.roots);
  free(wt.resync);
  clear_list(wt.changed, &wt.nchanged);
  clear_list(wt.gone, &wt.ngone);
  free(wt.changed);
  free(wt.gone);
  return rc;
}
