/* presse-serve's parts: the HTTP side (serve/http.c: requests, limits, responses, static files,
 * the access log), the API endpoints (serve/api.c) and the command (serve/main.c). Only the
 * public headers of libpresse are used. */
#ifndef PRESSE_SERVE_H
#define PRESSE_SERVE_H

#include <microhttpd.h>
#include <pthread.h>
#include <stddef.h>

#include "presse/output.h"
#include "presse/presse.h"

/* Limits: each one, when exceeded, is a 4xx with a JSON error naming it. */
#define SERVE_MAX_URI 8192           /* 414 */
#define SERVE_MAX_HEADERS 16384      /* 431: all header names and values together */
#define SERVE_MAX_QUERY 1024         /* 400: bytes of q */
#define SERVE_MAX_QUERY_TERMS 64     /* 400: words and phrases of one query */
#define SERVE_MAX_LIMIT 100          /* 400: hits per page */
#define SERVE_MAX_OFFSET 10000       /* 400 */
#define SERVE_MAX_BATCH_BODY (1u << 20) /* 413: POST /api/batch */
#define SERVE_MAX_BATCH_QUERIES 1000 /* 400 */
#define SERVE_MAX_EXPORT 100000      /* rows of one CSV export */

typedef struct static_file {
  char *name; /* "index.html" */
  char *data;
  size_t len;
  const char *mime;
} static_file;

typedef struct server {
  const char *dbpath;
  char base_url[128];          /* http://127.0.0.1:8080 */
  static_file *files;
  size_t nfiles;
  char *token;                 /* NULL: writes are off */
  size_t max_body;             /* POST /api/documents */
  unsigned request_timeout;    /* seconds */
  presse_db *wdb;              /* the writer, held while the server runs (with --write-token) */
  presse_indexer *ix;
  pthread_mutex_t wmu;         /* serialises wdb and ix */
  pthread_key_t worker_key;
} server;

/* One request: created by the URI log callback, freed when the request completes. */
typedef struct request {
  char *uri;              /* as the client sent it, with the query string; truncated */
  size_t uri_len;         /* its full length */
  struct timespec t0;
  const char *method;     /* static: "GET", "POST", ... */
  unsigned status;
  unsigned long long bytes;
  char *body;             /* POST body so far */
  size_t body_len, body_cap;
  int body_over;          /* the body went past its limit */
  int started;
} request;

/* Per worker thread (Xapian handles are not thread-safe): one read handle and one analyzer,
 * opened on the thread's first request. NULL with *status set when the database cannot be
 * opened; the handle is moved to the latest revision (presse_db_reopen) for every request, and
 * libpresse itself reopens and retries when a commit replaces what a search was reading. */
typedef struct worker {
  presse_db *db;
  presse_analyzer *an;
} worker;
worker *serve_worker(server *s, int *status, const char **msg);

/* Responses. Each queues the response and returns what the access handler returns. */
enum MHD_Result serve_json(struct MHD_Connection *c, request *r, unsigned status, char *json /* freed */);
enum MHD_Result serve_error(struct MHD_Connection *c, request *r, unsigned status, const char *msg);
enum MHD_Result serve_error_at(struct MHD_Connection *c, request *r, unsigned status, const char *msg, long pos);
enum MHD_Result serve_bytes(struct MHD_Connection *c, request *r, unsigned status, const char *mime, char *data,
                            size_t len, int copy);
void serve_headers(struct MHD_Response *resp, const char *mime);
enum MHD_Result serve_queue(struct MHD_Connection *c, request *r, unsigned status, struct MHD_Response *resp);

/* An argument of the query string, or NULL; *bad is set when it holds a NUL byte or is not UTF-8. */
const char *serve_arg(struct MHD_Connection *c, const char *name, int *bad);
int serve_utf8_valid(const char *s, size_t n);

/* The API (serve/api.c): returns MHD_NO when it does not know the path (then 404). */
enum MHD_Result serve_api(server *s, struct MHD_Connection *c, request *r, const char *url, const char *method);

#endif
