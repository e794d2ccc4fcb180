/* presse-serve's HTTP side: per-thread database handles, the limits every request passes, the
 * security headers of every response, static files (loaded once from the installed folder, so
 * no request path can reach another file), JSON errors and the access log. */
#include <errno.h>
#include <netinet/in.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve/serve.h"

/* What the web UI needs and nothing more: scripts and styles only from this server, no inline
 * script or style, no frames, no plugins, forms only to here. */
static const char CSP[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/* Thread-local state */

static void worker_free(void *p) {
  worker *w = p;
  if (!w) return;
  presse_db_close(w->db);
  presse_analyzer_free(w->an);
  free(w);
}

void serve_worker_key_init(server *s) { pthread_key_create(&s->worker_key, worker_free); }

static int worker_open(server *s, worker *w) {
  presse_db_close(w->db);
  w->db = NULL;
  int rc = presse_db_open(&w->db, s->dbpath, PRESSE_DB_READ);
  if (rc != PRESSE_OK) {
    presse_db_close(w->db);
    w->db = NULL;
  }
  return rc;
}

worker *serve_worker(server *s, int *status, const char **msg) {
  worker *w = pthread_getspecific(s->worker_key);
  *status = PRESSE_OK;
  *msg = NULL;
  if (!w) {
    w = calloc(1, sizeof *w);
    if (!w || presse_analyzer_new(&w->an) != PRESSE_OK) {
      free(w);
      *status = PRESSE_ENOMEM;
      *msg = "out of memory";
      return NULL;
    }
    pthread_setspecific(s->worker_key, w);
  }
  /* every request sees the latest commit: releases indexed meanwhile appear without a restart */
  int rc = w->db ? presse_db_reopen(w->db) : worker_open(s, w);
  if (rc != PRESSE_OK && w->db) rc = worker_open(s, w);
  if (rc != PRESSE_OK) {
    *status = rc;
    *msg = rc == PRESSE_ENOTFOUND ? "the database does not exist (yet)" : "the database cannot be opened";
    return NULL;
  }
  return w;
}

/* Responses */

void serve_headers(struct MHD_Response *resp, const char *mime) {
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, mime);
  MHD_add_response_header(resp, "Content-Security-Policy", CSP);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
}

enum MHD_Result serve_queue(struct MHD_Connection *c, request *r, unsigned status, struct MHD_Response *resp) {
  if (!resp) return MHD_NO;
  r->status = status;
  enum MHD_Result ok = MHD_queue_response(c, status, resp);
  MHD_destroy_response(resp);
  return ok;
}

enum MHD_Result serve_bytes(struct MHD_Connection *c, request *r, unsigned status, const char *mime, char *data,
                            size_t len, int copy) {
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      len, data, copy == 2 ? MHD_RESPMEM_PERSISTENT : copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    if (!copy) free(data);
    return MHD_NO;
  }
  serve_headers(resp, mime);
  if (copy != 2) MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  r->bytes = len;
  return serve_queue(c, r, status, resp);
}

enum MHD_Result serve_json(struct MHD_Connection *c, request *r, unsigned status, char *json) {
  if (!json) return serve_error(c, r, 500, "out of memory");
  return serve_bytes(c, r, status, "application/json; charset=utf-8", json, strlen(json), 0);
}

enum MHD_Result serve_error_at(struct MHD_Connection *c, request *r, unsigned status, const char *msg, long pos) {
  json_t *o = json_pack("{s:{s:i,s:s}}", "error", "status", (int)status, "message", msg);
  if (o && pos >= 0) json_object_set_new(json_object_get(o, "error"), "position", json_integer(pos));
  char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
  json_decref(o);
  if (!s) {
    static char oom[] = "{\"error\":{\"status\":500,\"message\":\"out of memory\"}}";
    return serve_bytes(c, r, 500, "application/json; charset=utf-8", oom, sizeof oom - 1, 2);
  }
  struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(s);
    return MHD_NO;
  }
  serve_headers(resp, "application/json; charset=utf-8");
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  if (status == 401) MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
  if (status == 405) MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD, POST, DELETE");
  r->bytes = strlen(s);
  return serve_queue(c, r, status, resp);
}

enum MHD_Result serve_error(struct MHD_Connection *c, request *r, unsigned status, const char *msg) {
  return serve_error_at(c, r, status, msg, -1);
}

/* Input */

int serve_utf8_valid(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    unsigned c = p[i];
    size_t k;
    unsigned min;
    if (c < 0x80) {
      if (!c) return 0;
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) k = 1, min = 0x80, c &= 0x1F;
    else if ((c & 0xF0) == 0xE0) k = 2, min = 0x800, c &= 0x0F;
    else if ((c & 0xF8) == 0xF0) k = 3, min = 0x10000, c &= 0x07;
    else return 0;
    for (size_t j = 1; j <= k; j++) {
      if (i + j >= n || (p[i + j] & 0xC0) != 0x80) return 0;
      c = (c << 6) | (p[i + j] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c < 0xE000)) return 0;
    i += k + 1;
  }
  return 1;
}

const char *serve_arg(struct MHD_Connection *c, const char *name, int *bad) {
  const char *v = NULL;
  size_t n = 0;
  if (MHD_lookup_connection_value_n(c, MHD_GET_ARGUMENT_KIND, name, strlen(name), &v, &n) != MHD_YES || !v)
    return NULL;
  if (strlen(v) != n || !serve_utf8_valid(v, n)) *bad = 1;
  return v;
}

/* Static files */

static const char *mime_of(const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot) return "application/octet-stream";
  if (!strcmp(dot, ".html")) return "text/html; charset=utf-8";
  if (!strcmp(dot, ".js")) return "text/javascript; charset=utf-8";
  if (!strcmp(dot, ".css")) return "text/css; charset=utf-8";
  if (!strcmp(dot, ".svg")) return "image/svg+xml";
  if (!strcmp(dot, ".png")) return "image/png";
  if (!strcmp(dot, ".ico")) return "image/x-icon";
  return "application/octet-stream";
}

static enum MHD_Result serve_static(server *s, struct MHD_Connection *c, request *r, const char *url) {
  const char *name = url[1] ? url + 1 : "index.html";
  for (size_t i = 0; i < s->nfiles; i++) {
    if (strcmp(s->files[i].name, name)) continue;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(s->files[i].len, s->files[i].data, MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    serve_headers(resp, s->files[i].mime);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    r->bytes = s->files[i].len;
    return serve_queue(c, r, 200, resp);
  }
  return serve_error(c, r, 404, "no such page");
}

/* Reads the regular files directly in dir into memory. Symbolic links are followed only when they
 * stay inside dir; subfolders, hidden files and anything over 4 MiB are left out. */
int serve_load_static(server *s, const char *dir, char *err, size_t errsz) {
  char *root = realpath(dir, NULL);
  if (!root) {
    snprintf(err, errsz, "static files: '%s': %s", dir, strerror(errno));
    return -1;
  }
  static const char *const names[] = {"index.html", "app.js", "style.css", "favicon.svg"};
  s->files = calloc(sizeof names / sizeof *names, sizeof *s->files);
  if (!s->files) {
    free(root);
    snprintf(err, errsz, "out of memory");
    return -1;
  }
  int rc = 0;
  for (size_t i = 0; i < sizeof names / sizeof *names && !rc; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, names[i]);
    char *real = realpath(path, NULL);
    size_t rl = strlen(root);
    if (!real || strncmp(real, root, rl) || real[rl] != '/' || strchr(real + rl + 1, '/')) {
      snprintf(err, errsz, "static files: '%s' is missing or outside '%s'", path, root);
      rc = -1;
    } else {
      FILE *f = fopen(real, "rb");
      char *data = NULL;
      long n = -1;
      if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n <= (4L << 20) && fseek(f, 0, SEEK_SET) == 0 &&
          (data = malloc((size_t)n + 1)) && fread(data, 1, (size_t)n, f) == (size_t)n) {
        static_file *sf = &s->files[s->nfiles++];
        sf->name = strdup(names[i]);
        sf->data = data;
        sf->len = (size_t)n;
        sf->mime = mime_of(names[i]);
      } else {
        free(data);
        snprintf(err, errsz, "static files: cannot read '%s'", real);
        rc = -1;
      }
      if (f) fclose(f);
    }
    free(real);
  }
  free(root);
  return rc;
}

void serve_free_static(server *s) {
  for (size_t i = 0; i < s->nfiles; i++) {
    free(s->files[i].name);
    free(s->files[i].data);
  }
  free(s->files);
  s->files = NULL;
  s->nfiles = 0;
}

/* The request's life */

void *serve_uri_log(void *cls, const char *uri, struct MHD_Connection *c) {
  (void)cls;
  (void)c;
  request *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  clock_gettime(CLOCK_MONOTONIC, &r->t0);
  r->uri_len = strlen(uri);
  r->uri = strndup(uri, r->uri_len > 512 ? 512 : r->uri_len); /* enough for the log */
  return r;
}

static enum MHD_Result sum_headers(void *cls, enum MHD_ValueKind kind, const char *key, const char *value) {
  (void)kind;
  size_t *n = cls;
  *n += strlen(key) + (value ? strlen(value) : 0) + 4;
  return MHD_YES;
}

void serve_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe) {
  (void)cls;
  request *r = *con_cls;
  if (!r) return;
  struct timespec t1;
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - r->t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - r->t0.tv_nsec) / 1e6;
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  char addr[64] = "-";
  if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
    const unsigned char *a = (const unsigned char *)&((const struct sockaddr_in *)ci->client_addr)->sin_addr;
    snprintf(addr, sizeof addr, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
  }
  /* what the client sent goes to the log shown, not obeyed (presse_term_escape: controls as \xHH,
   * bidi overrides as <U+202E>); a quote would end the log's quoted request */
  for (char *p = r->uri; p && *p; p++)
    if (*p == '"') *p = '?';
  char *uri = r->uri ? presse_term_escape(r->uri, strlen(r->uri), 0) : NULL;
  fprintf(stderr, "%s \"%s %s%s\" %u %llu %.1fms%s\n", addr, r->method ? r->method : "-", uri ? uri : "-",
          r->uri_len > 512 ? "…" : "",
          r->status, r->bytes, ms, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
  free(uri);
  free(r->uri);
  free(r->body);
  free(r);
  *con_cls = NULL;
}

static int token_ok(server *s, struct MHD_Connection *c) {
  const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
  if (!auth || strncmp(auth, "Bearer ", 7)) return 0;
  const char *given = auth + 7;
  size_t gl = strlen(given), tl = strlen(s->token);
  /* compared in time independent of where they differ */
  unsigned char diff = gl != tl;
  for (size_t i = 0; i < tl; i++) diff |= (unsigned char)(s->token[i] ^ (i < gl ? given[i] : 0));
  return diff == 0;
}

enum MHD_Result serve_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                             const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls) {
  (void)version;
  server *s = cls;
  request *r = *con_cls;
  if (!r) return MHD_NO;
  int is_get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
  int is_post = !strcmp(method, "POST"), is_delete = !strcmp(method, "DELETE");
  if (!r->started) {
    r->started = 1;
    r->method = is_get ? (method[0] == 'H' ? "HEAD" : "GET") : is_post ? "POST" : is_delete ? "DELETE" : "OTHER";
    if (r->uri_len > SERVE_MAX_URI) return serve_error(c, r, 414, "the URL is longer than 8192 bytes");
    size_t hbytes = 0;
    MHD_get_connection_values(c, MHD_HEADER_KIND, sum_headers, &hbytes);
    if (hbytes > SERVE_MAX_HEADERS) return serve_error(c, r, 431, "the request headers are larger than 16384 bytes");
    if (!is_get && !is_post && !is_delete) return serve_error(c, r, 405, "method not allowed");
    int writes = !strcmp(url, "/api/documents") || !strncmp(url, "/api/documents/", 15);
    if (writes) {
      if (!s->token) return serve_error(c, r, 403, "writes are off (start presse-serve with --write-token FILE)");
      if (!token_ok(s, c)) return serve_error(c, r, 401, "a valid bearer token is required");
    }
    if (is_post) {
      size_t limit = writes ? s->max_body : SERVE_MAX_BATCH_BODY;
      const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
      if (cl && strtoull(cl, NULL, 10) > limit) {
        char msg[96];
        snprintf(msg, sizeof msg, "the request body is larger than %zu bytes", limit);
        return serve_error(c, r, 413, msg);
      }
    }
    return MHD_YES; /* the body (if any) comes next */
  }
  if (*upload_data_size) {
    size_t n = *upload_data_size;
    int writes = !strncmp(url, "/api/documents", 14);
    size_t limit = writes ? s->max_body : SERVE_MAX_BATCH_BODY;
    *upload_data_size = 0;
    if (r->body_over || r->body_len + n > limit) {
      r->body_over = 1;
      return MHD_YES;
    }
    if (r->body_len + n + 1 > r->body_cap) {
      size_t cap = r->body_cap ? r->body_cap : 4096;
      while (cap < r->body_len + n + 1) cap *= 2;
      char *nb = realloc(r->body, cap);
      if (!nb) return MHD_NO;
      r->body = nb;
      r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, upload_data, n);
    r->body_len += n;
    r->body[r->body_len] = '\0';
    return MHD_YES;
  }
  if (r->body_over) return serve_error(c, r, 413, "the request body is too large");
  if (!strncmp(url, "/api/", 5) || !strcmp(url, "/healthz") || !strcmp(url, "/feed.atom")) {
    enum MHD_Result res = serve_api(s, c, r, url, method);
    if (r->status) return res;
    return serve_error(c, r, 404, "no such endpoint");
  }
  if (!is_get) return serve_error(c, r, 405, "method not allowed");
  return serve_static(s, c, r, url);
}
