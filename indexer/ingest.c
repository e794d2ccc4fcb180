/* The indexer: reads a file or buffer, checks it (size, binary, UTF-8, empty), extracts text and
 * title, builds the document and stores it, committing in batches so that an interrupted run
 * keeps every batch committed before it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "document/document.h"
#include "indexer/extract.h"
#include "indexer/indexer_internal.h"
#include "presse/presse.h"
#include "util/path.h"

const char *presse_strerror(int status) {
  switch (status) {
    case PRESSE_OK: return "ok";
    case PRESSE_ENOMEM: return "out of memory";
    case PRESSE_EINVAL: return "invalid argument";
    case PRESSE_EIO: return "I/O error";
    case PRESSE_EUTF8: return "invalid UTF-8";
    case PRESSE_EFORMAT: return "unreadable format";
    case PRESSE_EDB: return "database error";
    case PRESSE_ELOCKED: return "database locked";
    case PRESSE_ENOTFOUND: return "not found";
    case PRESSE_EQUERY: return "malformed query";
    case PRESSE_ETOOBIG: return "too large";
    case PRESSE_EABORT: return "aborted";
    default: return "unknown error";
  }
}

int presse_indexer_new(presse_indexer **out, presse_db *db, const presse_indexer_opts *opts) {
  *out = NULL;
  presse_indexer *ix = calloc(1, sizeof *ix);
  if (!ix) return PRESSE_ENOMEM;
  ix->db = db;
  ix->max_doc_bytes = opts && opts->max_doc_bytes ? opts->max_doc_bytes : (size_t)16 << 20;
  ix->batch = opts && opts->batch ? opts->batch : 1000;
  int rc = presse_analyzer_new(&ix->an);
  if (rc == PRESSE_OK) rc = presse_doc_new(&ix->doc);
  if (rc != PRESSE_OK) {
    presse_indexer_free(ix);
    return rc;
  }
  *out = ix;
  if (!(opts && opts->no_entities)) {
    char err[512];
    rc = presse_ner_model_load_err(&ix->ner, opts ? opts->ner_model : NULL, err, sizeof err);
    if (rc != PRESSE_OK) return presse_indexer_fail(ix, PRESSE_ENOTFOUND, "%s", err);
  }
  return PRESSE_OK;
}

int presse_indexer_free(presse_indexer *ix) {
  if (!ix) return PRESSE_OK;
  int rc = ix->pending ? presse_indexer_commit(ix) : PRESSE_OK;
  presse_analyzer_free(ix->an);
  presse_doc_free(ix->doc);
  presse_ner_model_free(ix->ner);
  presse_buf_free(&ix->err);
  presse_buf_free(&ix->text);
  presse_buf_free(&ix->title);
  free(ix);
  return rc;
}

void presse_indexer_set_report(presse_indexer *ix, presse_report_cb cb, void *ctx) {
  ix->report = cb;
  ix->report_ctx = ctx;
}

const char *presse_indexer_errmsg(const presse_indexer *ix) {
  return ix->err.data && ix->err.len ? ix->err.data : "no error";
}

void presse_indexer_counts_get(const presse_indexer *ix, presse_indexer_counts *out) {
  out->docs = ix->docs;
  out->bytes = ix->bytes;
  out->terms_dropped = ix->dropped;
}

int presse_indexer_fail(presse_indexer *ix, int rc, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  presse_buf_clear(&ix->err);
  presse_buf_puts(&ix->err, msg);
  return rc;
}

int presse_indexer_commit(presse_indexer *ix) {
  int rc = presse_db_commit(ix->db);
  if (rc != PRESSE_OK) return presse_indexer_fail(ix, rc, "%s", presse_db_errmsg(ix->db));
  ix->pending = 0;
  return PRESSE_OK;
}

int presse_indexer_add_record(presse_indexer *ix, const presse_record *r) {
  if (!r->id || !*r->id) return presse_indexer_fail(ix, PRESSE_EINVAL, "record has no id");
  if (r->text_len > ix->max_doc_bytes)
    return presse_indexer_fail(ix, PRESSE_ETOOBIG, "text of %zu bytes is over the limit of %zu bytes", r->text_len,
                               ix->max_doc_bytes);
  int rc = presse_doc_build(ix->doc, ix->an, ix->ner, r);
  if (rc != PRESSE_OK) return presse_indexer_fail(ix, rc, "cannot build document: %s", presse_strerror(rc));
  rc = presse_db_put(ix->db, ix->doc);
  if (rc != PRESSE_OK) return presse_indexer_fail(ix, rc, "%s", presse_db_errmsg(ix->db));
  ix->docs++;
  ix->bytes += r->text_len;
  ix->dropped += ix->doc->dropped;
  if (++ix->pending >= ix->batch) return presse_indexer_commit(ix);
  return PRESSE_OK;
}

static int has_content(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return 1;
  return 0;
}

int presse_indexer_add_buffer(presse_indexer *ix, const char *id, const char *name, const char *data, size_t len,
                              presse_format fmt) {
  if (len > ix->max_doc_bytes)
    return presse_indexer_fail(ix, PRESSE_ETOOBIG, "%zu bytes is over the limit of %zu bytes (--max-size)", len,
                               ix->max_doc_bytes);
  const void *nul = memchr(data, '\0', len);
  if (nul)
    return presse_indexer_fail(ix, PRESSE_EFORMAT, "binary file (NUL byte at offset %zu)",
                               (size_t)((const char *)nul - data));
  if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) { /* UTF-8 byte order mark */
    data += 3;
    len -= 3;
  }
  size_t bad;
  if (!presse_utf8_check(data, len, &bad))
    return presse_indexer_fail(ix, PRESSE_EUTF8, "invalid UTF-8 at byte offset %zu", bad);
  if (!has_content(data, len)) return presse_indexer_fail(ix, PRESSE_EFORMAT, "empty file");
  if (fmt == PRESSE_FMT_AUTO) {
    char eb[16];
    const char *ext = presse_path_ext(name ? name : "", eb, sizeof eb);
    fmt = (!strcmp(ext, "md") || !strcmp(ext, "markdown")) ? PRESSE_FMT_MARKDOWN : PRESSE_FMT_TEXT;
  }
  int rc;
  presse_record r = {0};
  r.id = id;
  r.path = name;
  if (fmt == PRESSE_FMT_MARKDOWN) {
    rc = presse_extract_markdown(data, len, &ix->text, &ix->title);
    r.text = ix->text.data ? ix->text.data : "";
    r.text_len = ix->text.len;
    r.format = "md";
  } else {
    rc = presse_extract_text_title(data, len, &ix->title);
    r.text = data;
    r.text_len = len;
    r.format = "txt";
  }
  if (rc != PRESSE_OK) return presse_indexer_fail(ix, rc, "cannot extract text: %s", presse_strerror(rc));
  r.title = ix->title.data;
  return presse_indexer_add_record(ix, &r);
}

/* Formats we read today; anything else is reported, not guessed at. */
static int supported(const char *path, presse_format *fmt) {
  char eb[16];
  const char *ext = presse_path_ext(path, eb, sizeof eb);
  if (!strcmp(ext, "md") || !strcmp(ext, "markdown")) {
    *fmt = PRESSE_FMT_MARKDOWN;
    return 1;
  }
  if (!strcmp(ext, "txt") || !strcmp(ext, "text") || !*ext) {
    *fmt = PRESSE_FMT_TEXT;
    return 1;
  }
  return 0;
}

int presse_indexer_add_file(presse_indexer *ix, const char *path) {
  presse_format fmt;
  if (!supported(path, &fmt)) {
    char eb[16];
    return presse_indexer_fail(ix, PRESSE_EFORMAT, "unsupported file type '.%s'", presse_path_ext(path, eb, sizeof eb));
  }
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return presse_indexer_fail(ix, PRESSE_EIO, "%s", strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return presse_indexer_fail(ix, PRESSE_EIO, "not a regular file");
  }
  if ((unsigned long long)st.st_size > ix->max_doc_bytes) {
    close(fd);
    return presse_indexer_fail(ix, PRESSE_ETOOBIG, "%lld bytes is over the limit of %zu bytes (--max-size)",
                               (long long)st.st_size, ix->max_doc_bytes);
  }
  size_t size = (size_t)st.st_size;
  char *data = malloc(size + 1);
  if (!data) {
    close(fd);
    return presse_indexer_fail(ix, PRESSE_ENOMEM, "out of memory");
  }
  size_t got = 0;
  while (got < size) {
    ssize_t n = read(fd, data + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += (size_t)n;
  }
  int err = errno;
  close(fd);
  if (got < size) {
    free(data);
    return presse_indexer_fail(ix, PRESSE_EIO, "read failed: %s", got == 0 && err ? strerror(err) : "short read");
  }
  char *abs = presse_path_absolute(path);
  int rc = presse_indexer_add_buffer(ix, abs ? abs : path, path, data, size, fmt);
  free(abs);
  free(data);
  return rc;
}
