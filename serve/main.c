/* presse-serve: the newsroom's search service. An HTTP JSON API and a German web UI over one
 * presse database, on libmicrohttpd (a pool of threads, each with its own epoll loop, its own
 * read handle and analyzer). Releases committed by presse-index while it runs appear with the
 * next request. */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve/serve.h"

void serve_worker_key_init(server *s);
int serve_load_static(server *s, const char *dir, char *err, size_t errsz);
void serve_free_static(server *s);
void *serve_uri_log(void *cls, const char *uri, struct MHD_Connection *c);
void serve_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe);
enum MHD_Result serve_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                             const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls);

static const char *prog = "presse-serve";

static void usage(FILE *f) {
  fprintf(f,
          "usage: presse-serve --db DIR [OPTIONS]\n"
          "\n"
          "Serves the JSON API (/api/search, /api/doc/ID, /api/similar/ID, /api/entities, /api/suggest,\n"
          "/api/export.csv, /api/batch, /feed.atom, /api/stats, /healthz) and the web UI at /.\n"
          "\n"
          "options:\n"
          "  --db DIR              database (default: $PRESSE_DB, else $XDG_DATA_HOME/presse/db)\n"
          "  --listen ADDR:PORT    where to listen (default 127.0.0.1:8080; port 0 picks a free one)\n"
          "  --threads N           worker threads, each with its own database handle (default 4)\n"
          "  --static DIR          the web UI's files (default: the installed ones)\n"
          "  --write-token FILE    allow POST/DELETE /api/documents with 'Authorization: Bearer TOKEN',\n"
          "                        TOKEN being the first line of FILE; the server then holds the writer\n"
          "  --max-body BYTES      largest document upload (default 16 MiB)\n"
          "  --base-url URL        the server's address in feeds (default http://ADDR:PORT)\n"
          "  --timeout SECONDS     idle connections are closed after this (default 30)\n"
          "  -h, --help            this text\n"
          "  --version             the version\n"
          "\n"
          "Stops on SIGTERM or SIGINT; one access log line per request on stderr.\n");
}

static long parse_num(const char *opt, const char *s, long lo, long hi) {
  char *end;
  long v = strtol(s, &end, 10);
  if (!*s || *end || v < lo || v > hi) {
    fprintf(stderr, "%s: %s: '%s' is not a number from %ld to %ld\n", prog, opt, s, lo, hi);
    exit(2);
  }
  return v;
}

static char *read_token(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "%s: --write-token: cannot read '%s'\n", prog, path);
    return NULL;
  }
  char line[512];
  char *t = fgets(line, sizeof line, f) ? line : NULL;
  fclose(f);
  if (t) t[strcspn(t, "\r\n")] = '\0';
  if (!t || strlen(t) < 16) {
    fprintf(stderr, "%s: --write-token: '%s' must start with a token of at least 16 characters\n", prog, path);
    return NULL;
  }
  return strdup(t);
}

static void report_stderr(void *ctx, const char *what, const char *msg) {
  (void)ctx;
  fprintf(stderr, "%s: %s: %s\n", prog, what, msg);
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},       {"listen", required_argument, NULL, 'l'},
      {"threads", required_argument, NULL, 't'},  {"static", required_argument, NULL, 's'},
      {"write-token", required_argument, NULL, 'w'}, {"max-body", required_argument, NULL, 'm'},
      {"base-url", required_argument, NULL, 'b'}, {"timeout", required_argument, NULL, 'T'},
      {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  const char *dbarg = NULL, *listen_at = "127.0.0.1:8080", *static_dir = NULL, *token_file = NULL, *base = NULL;
  long threads = 4, max_body = 16L << 20, timeout = 30;
  int c;
  while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
    switch (c) {
      case 'd': dbarg = optarg; break;
      case 'l': listen_at = optarg; break;
      case 't': threads = parse_num("--threads", optarg, 1, 256); break;
      case 's': static_dir = optarg; break;
      case 'w': token_file = optarg; break;
      case 'm': max_body = parse_num("--max-body", optarg, 1024, 1L << 30); break;
      case 'b': base = optarg; break;
      case 'T': timeout = parse_num("--timeout", optarg, 1, 3600); break;
      case 'h': usage(stdout); return 0;
      case 'V': printf("presse-serve %s\n", PRESSE_VERSION); return 0;
      default: fprintf(stderr, "try '%s --help'\n", prog); return 2;
    }
  }
  if (optind < argc) {
    fprintf(stderr, "%s: unexpected argument '%s'; try '%s --help'\n", prog, argv[optind], prog);
    return 2;
  }
  char *envdb = NULL;
  if (!dbarg) {
    const char *e = getenv("PRESSE_DB"), *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    size_t n = 64 + (e ? strlen(e) : 0) + (x ? strlen(x) : 0) + (home ? strlen(home) : 0);
    envdb = malloc(n);
    if (!envdb) return 2;
    if (e && *e) snprintf(envdb, n, "%s", e);
    else if (x && *x) snprintf(envdb, n, "%s/presse/db", x);
    else snprintf(envdb, n, "%s/.local/share/presse/db", home ? home : ".");
    dbarg = envdb;
  }
  /* ADDR:PORT, IPv4 */
  char host[64];
  const char *colon = strrchr(listen_at, ':');
  struct sockaddr_in sa = {.sin_family = AF_INET};
  if (!colon || (size_t)(colon - listen_at) >= sizeof host) {
    fprintf(stderr, "%s: --listen: '%s' is not ADDR:PORT (like 127.0.0.1:8080)\n", prog, listen_at);
    return 2;
  }
  memcpy(host, listen_at, (size_t)(colon - listen_at));
  host[colon - listen_at] = '\0';
  if (!strcmp(host, "localhost")) strcpy(host, "127.0.0.1");
  if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
    fprintf(stderr, "%s: --listen: '%s' is not an IPv4 address\n", prog, host);
    return 2;
  }
  sa.sin_port = htons((unsigned short)parse_num("--listen", colon + 1, 0, 65535));

  server s = {.dbpath = dbarg, .max_body = (size_t)max_body, .request_timeout = (unsigned)timeout};
  pthread_mutex_init(&s.wmu, NULL);
  int status = 2;
  char err[4600];
  struct MHD_Daemon *d = NULL;
  /* the web UI: --static, else the folder installed beside this program (PREFIX/bin ->
   * PREFIX/share/presse/static, whatever the prefix), else the source tree's when this is a
   * build tree, else the configured install folder */
  char exe[4096], found[4200];
  struct stat st;
  ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (!static_dir && el > 0) {
    exe[el] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';
    snprintf(found, sizeof found, "%s/../share/presse/static", exe);
    if (stat(found, &st) == 0) static_dir = found;
    else {
      snprintf(found, sizeof found, "%s/CMakeCache.txt", exe);
      if (stat(found, &st) == 0) static_dir = PRESSE_SOURCE_STATIC_DIR;
    }
  }
  if (!static_dir) static_dir = stat(PRESSE_STATIC_DIR, &st) == 0 ? PRESSE_STATIC_DIR : PRESSE_SOURCE_STATIC_DIR;
  if (serve_load_static(&s, static_dir, err, sizeof err)) {
    fprintf(stderr, "%s: %s\n", prog, err);
    goto out;
  }
  if (token_file) {
    if (!(s.token = read_token(token_file))) goto out;
    int rc = presse_db_open(&s.wdb, s.dbpath, PRESSE_DB_WRITE);
    if (rc != PRESSE_OK) {
      fprintf(stderr, "%s: %s\n", prog, presse_db_errmsg(s.wdb));
      goto out;
    }
    presse_indexer_opts io = {.max_doc_bytes = (size_t)max_body};
    rc = presse_indexer_new(&s.ix, s.wdb, &io);
    if (rc != PRESSE_OK) {
      fprintf(stderr, "%s: %s\n", prog, presse_indexer_errmsg(s.ix));
      goto out;
    }
    presse_indexer_set_report(s.ix, report_stderr, NULL);
  } else {
    presse_db *probe = NULL;
    int rc = presse_db_open(&probe, s.dbpath, PRESSE_DB_READ);
    if (rc != PRESSE_OK) {
      fprintf(stderr, "%s: %s%s\n", prog, presse_db_errmsg(probe),
              rc == PRESSE_ENOTFOUND ? " (index releases first: presse-index --db DIR add FOLDER)" : "");
      presse_db_close(probe);
      goto out;
    }
    presse_db_close(probe);
  }
  serve_worker_key_init(&s);

  /* SIGTERM and SIGINT are taken by sigwait below; the daemon's threads inherit the mask */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);

  /* the socket is bound here, so that the port (port 0: a free one) and the feeds' base URL are
   * known before the first worker thread can read them */
  int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  socklen_t sl = sizeof sa;
  if (ls < 0 || setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) || bind(ls, (struct sockaddr *)&sa, sizeof sa) ||
      listen(ls, 256) || getsockname(ls, (struct sockaddr *)&sa, &sl)) {
    fprintf(stderr, "%s: cannot listen on %s: %s\n", prog, listen_at, strerror(errno));
    if (ls >= 0) close(ls);
    goto out;
  }
  unsigned port = ntohs(sa.sin_port);
  if (base) snprintf(s.base_url, sizeof s.base_url, "%s", base);
  else snprintf(s.base_url, sizeof s.base_url, "http://%s:%u", host, port);
  size_t bl = strlen(s.base_url);
  if (bl && s.base_url[bl - 1] == '/') s.base_url[bl - 1] = '\0';
  d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL,
                       NULL, serve_handle, &s, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)ls,
                       MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_CONNECTION_TIMEOUT,
                       (unsigned)timeout, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(256 * 1024),
                       MHD_OPTION_CONNECTION_LIMIT, 1024u, MHD_OPTION_URI_LOG_CALLBACK, serve_uri_log, &s,
                       MHD_OPTION_NOTIFY_COMPLETED, serve_completed, &s, MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "%s: cannot start the HTTP server on %s\n", prog, listen_at);
    close(ls);
    goto out;
  }
  fprintf(stderr, "%s: listening on http://%s:%u/ with %ld threads, database '%s'%s\n", prog, host, port, threads,
          s.dbpath, s.token ? ", writes on" : "");
  int sig = 0;
  sigwait(&sigs, &sig);
  fprintf(stderr, "%s: %s, stopping\n", prog, sig == SIGTERM ? "SIGTERM" : "SIGINT");
  status = 0;
out:
  if (d) {
    /* no new connections; the requests being answered are finished by their threads */
    MHD_socket qs = MHD_quiesce_daemon(d);
    MHD_stop_daemon(d);
    if (qs != MHD_INVALID_SOCKET) close(qs);
  }
  if (s.ix && presse_indexer_free(s.ix) != PRESSE_OK) status = 2;
  presse_db_close(s.wdb);
  serve_free_static(&s);
  free(s.token);
  free(envdb);
  pthread_mutex_destroy(&s.wmu);
  return status;
}
