/* The indexer: reads a file or buffer, picks the format reader (by extension, else by the first
 * bytes), lets it extract text and metadata, builds the document and stores it, committing in
 * batches so that an interrupted run keeps every batch committed before it. The readers live in
 * indexer/formats/; this file only dispatches, so plain text pays for no format it is not. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "document/document.h"
#include "indexer/extract.h"
#include "indexer/indexer_internal.h"
#include "presse/presse.h"
#include "util/buf.h"
#include "util/hash.h"
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
  if (opts && opts->nshards > 1) {
    ix->nshards = opts->nshards;
    ix->shard = opts->shard;
  }
  int rc = presse_analyzer_new(&ix->an);
  if (rc == PRESSE_OK) rc = presse_doc_new(&ix->doc);
  if (rc == PRESSE_OK && !(opts && opts->no_ocr)) rc = presse_ocr_new(&ix->ocr); /* formats/ocr.c */
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
  presse_ocr_free(ix->ocr);
  presse_buf_free(&ix->err);
  presse_extracted_free(&ix->x);
  presse_buf_free(&ix->conv);
  presse_buf_free(&ix->fixed);
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
  int rc = ix->db ? presse_db_commit(ix->db) : PRESSE_OK;
  if (rc != PRESSE_OK) return presse_indexer_fail(ix, rc, "%s", presse_db_errmsg(ix->db));
  ix->pending = 0;
  return PRESSE_OK;
}

int presse_indexer_owns(const presse_indexer *ix, const char *id) {
  return ix->nshards < 2 || presse_db_shard_of(id, ix->nshards) == ix->shard;
}

int presse_indexer_add_record_meta(presse_indexer *ix, const presse_record *r, const presse_record_meta *meta) {
  if (!r->id || !*r->id) return presse_indexer_fail(ix, PRESSE_EINVAL, "record has no id");
  if (!presse_indexer_owns(ix, r->id)) return PRESSE_OK; /* another shard's process indexes it */
  if (r->text_len > ix->max_doc_bytes)
    return presse_indexer_fail(ix, PRESSE_ETOOBIG, "text of %zu bytes is over the limit of %zu bytes", r->text_len,
                               ix->max_doc_bytes);
  int rc = presse_doc_build_meta(ix->doc, ix->an, ix->ner, r, meta);
  if (rc != PRESSE_OK) return presse_indexer_fail(ix, rc, "cannot build document: %s", presse_strerror(rc));
  rc = ix->db ? presse_db_put(ix->db, ix->doc) : PRESSE_OK;
  if (rc != PRESSE_OK) return presse_indexer_fail(ix, rc, "%s", presse_db_errmsg(ix->db));
  ix->docs++;
  ix->bytes += r->text_len;
  ix->dropped += ix->doc->dropped;
  ix->last_format = r->format;
  ix->last_parent = meta ? meta->parent : NULL; /* containers: email.c, feed.c */
  ix->last_ocr = meta ? meta->ocr_pages : 0;
  ix->last_container = 0;
  if (ix->db && ++ix->pending >= ix->batch) { /* a whole batch: committed by the writer thread, in order */
    rc = presse_db_commit_queued(ix->db);
    if (rc != PRESSE_OK) return presse_indexer_fail(ix, rc, "%s", presse_db_errmsg(ix->db));
    ix->pending = 0;
  }
  return PRESSE_OK;
}

int presse_indexer_add_record(presse_indexer *ix, const presse_record *r) {
  ix->last_encoding = NULL;
  ix->last_repaired = 0;
  return presse_indexer_add_record_meta(ix, r, NULL);
}

void presse_indexer_last_info(const presse_indexer *ix, presse_ingest_info *out) {
  out->format = ix->last_format;
  out->encoding = ix->last_encoding;
  out->repaired = ix->last_repaired;
  out->title = ix->doc->title.data ? ix->doc->title.data : "";
  out->date = ix->doc->date_ymd;
  out->issuer = ix->doc->issuer.data ? ix->doc->issuer.data : "";
  out->contacts = ix->doc->ncontacts;
  out->ocr_pages = ix->last_ocr;
  out->parent = ix->last_parent;
  out->container = ix->last_container;
}

static int has_content(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' && s[i] != '\f') return 1;
  return 0;
}

/* ---- format detection ---- */

typedef enum { K_NONE, K_TEXT, K_MD, K_HTML, K_PDF, K_DOCX, K_ODT, K_ZIP, K_IMAGE, K_UNKNOWN } kind;

static kind kind_of_ext(const char *ext) {
  static const struct {
    const char *ext;
    kind k;
  } map[] = {{"txt", K_TEXT},   {"text", K_TEXT},  {"md", K_MD},     {"markdown", K_MD}, {"html", K_HTML},
             {"htm", K_HTML},   {"xhtml", K_HTML}, {"shtml", K_HTML}, {"pdf", K_PDF},     {"docx", K_DOCX},
             {"odt", K_ODT},    {"png", K_IMAGE},  {"jpg", K_IMAGE}, {"jpeg", K_IMAGE}, {"gif", K_IMAGE},
             {"tif", K_IMAGE},  {"tiff", K_IMAGE}, {"webp", K_IMAGE}, {"bmp", K_IMAGE},  {"heic", K_IMAGE},
             {"svg", K_IMAGE}};
  if (!*ext) return K_NONE;
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (!strcmp(ext, map[i].ext)) return map[i].k;
  return K_UNKNOWN;
}

/* Formats whose first bytes say what they are. *what names an image type. */
static kind kind_of_magic(const char *d, size_t len, const char **what) {
  const unsigned char *s = (const unsigned char *)d;
  *what = NULL;
  if (len >= 8 && !memcmp(s, "\x89PNG\r\n\x1a\n", 8)) *what = "PNG";
  else if (len >= 3 && !memcmp(s, "\xFF\xD8\xFF", 3)) *what = "JPEG";
  else if (len >= 6 && (!memcmp(s, "GIF87a", 6) || !memcmp(s, "GIF89a", 6))) *what = "GIF";
  else if (len >= 4 && (!memcmp(s, "II*\0", 4) || !memcmp(s, "MM\0*", 4))) *what = "TIFF";
  else if (len >= 12 && !memcmp(s, "RIFF", 4) && !memcmp(s + 8, "WEBP", 4)) *what = "WebP";
  if (*what) return K_IMAGE;
  if (len >= 4 && !memcmp(s, "PK\3\4", 4)) return K_ZIP;
  /* the PDF header may follow some junk, within the first 1024 bytes */
  size_t n = len < 1024 ? len : 1024;
  for (size_t i = 0; i + 5 <= n; i++)
    if (s[i] == '%' && !memcmp(s + i, "%PDF-", 5)) return K_PDF;
  size_t i = 0;
  if (len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) i = 3;
  while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
  if (i + 14 <= len && !strncasecmp(d + i, "<!doctype html", 14)) return K_HTML;
  if (i + 5 <= len && !strncasecmp(d + i, "<html", 5)) return K_HTML;
  return K_NONE;
}

/* The kind of a buffer: the format the caller names, else the extension, else the first bytes.
 * The first bytes win over .txt and a missing extension, because a PDF or an image named .txt
 * is still what its bytes say. */
static kind detect(presse_format fmt, const char *name, const char *data, size_t len, const char **image) {
  *image = NULL;
  switch (fmt) {
    case PRESSE_FMT_TEXT: return K_TEXT;
    case PRESSE_FMT_MARKDOWN: return K_MD;
    case PRESSE_FMT_HTML: return K_HTML;
    case PRESSE_FMT_PDF: return K_PDF;
    case PRESSE_FMT_DOCX: return K_DOCX;
    case PRESSE_FMT_ODT: return K_ODT;
    case PRESSE_FMT_AUTO: break;
  }
  char eb[16];
  kind k = kind_of_ext(presse_path_ext(name ? name : "", eb, sizeof eb));
  if (k == K_TEXT || k == K_NONE || k == K_UNKNOWN) {
    kind m = kind_of_magic(data, len, image);
    if (m != K_NONE && !(m == K_HTML && k == K_UNKNOWN)) return m;
  }
  return k == K_NONE ? K_TEXT : k;
}

/* Text and Markdown: decode the encoding, then extract. */
static int read_text(presse_indexer *ix, const char *data, size_t len, int markdown) {
  presse_extracted *x = &ix->x;
  const char *text;
  size_t tlen;
  int rc = presse_encoding_decode(data, len, &ix->conv, &text, &tlen, &x->encoding, &x->err);
  if (rc != PRESSE_OK) return rc;
  if (!has_content(text, tlen)) return presse_extracted_fail(x, PRESSE_EFORMAT, "empty file");
  x->format = markdown ? "md" : "txt";
  if (markdown) return presse_extract_markdown(text, tlen, &x->text, &x->title);
  rc = presse_extract_text_title(text, tlen, &x->title);
  /* the text stays where it is (the input or the conversion buffer): no copy for plain text */
  ix->conv_text = text;
  ix->conv_len = tlen;
  return rc;
}

int presse_indexer_add_buffer(presse_indexer *ix, const char *id, const char *name, const char *data, size_t len,
                              presse_format fmt) {
  if (len > ix->max_doc_bytes)
    return presse_indexer_fail(ix, PRESSE_ETOOBIG, "%zu bytes is over the limit of %zu bytes (--max-size)", len,
                               ix->max_doc_bytes);
  presse_extracted *x = &ix->x;
  presse_extracted_clear(x);
  x->ocr = ix->ocr;
  ix->conv_text = NULL;
  ix->conv_len = 0;
  const char *image;
  kind k = detect(fmt, name, data, len, &image);
  int rc;
  switch (k) {
    case K_TEXT: rc = read_text(ix, data, len, 0); break;
    case K_MD: rc = read_text(ix, data, len, 1); break;
    case K_HTML: rc = presse_format_html(data, len, x); break;
    case K_PDF: rc = presse_format_pdf(data, len, ix->max_doc_bytes, x); break;
    case K_DOCX: rc = presse_format_docx(data, len, ix->max_doc_bytes, x); break;
    case K_ODT: rc = presse_format_odt(data, len, ix->max_doc_bytes, x); break;
    case K_ZIP: /* a zip without a telling extension: its parts say whether it is a DOCX or an ODT */
      rc = presse_format_odt(data, len, ix->max_doc_bytes, x);
      if (rc == PRESSE_EFORMAT) rc = presse_format_docx(data, len, ix->max_doc_bytes, x);
      if (rc == PRESSE_EFORMAT)
        rc = presse_extracted_fail(x, PRESSE_EFORMAT, "a ZIP archive that is neither a DOCX nor an ODT document");
      break;
    case K_IMAGE:
      if (image) return presse_indexer_fail(ix, PRESSE_EFORMAT, "%s image, not a text document", image);
      else {
        char eb[16];
        return presse_indexer_fail(ix, PRESSE_EFORMAT, "image file '.%s', not a text document",
                                   presse_path_ext(name ? name : "", eb, sizeof eb));
      }
    default: {
      char eb[16];
      return presse_indexer_fail(ix, PRESSE_EFORMAT, "unsupported file type '.%s'",
                                 presse_path_ext(name ? name : "", eb, sizeof eb));
    }
  }
  if (rc != PRESSE_OK)
    return presse_indexer_fail(ix, rc, "%s", x->err.len ? x->err.data : presse_strerror(rc));
  const char *text = ix->conv_text ? ix->conv_text : x->text.data ? x->text.data : "";
  size_t tlen = ix->conv_text ? ix->conv_len : x->text.len;
  if (!has_content(text, tlen))
    return presse_indexer_fail(ix, PRESSE_EFORMAT, "%s",
                               k == K_PDF ? "no text in this PDF (a scanned image without a text layer?)"
                                          : "no text in this document");
  /* never let "KÃ¼hner" into the index, whichever reader the text came from */
  ix->last_repaired = 0;
  if (presse_encoding_repair(text, tlen, &ix->fixed)) {
    text = ix->fixed.data;
    tlen = ix->fixed.len;
    ix->last_repaired = 1;
    if (x->title.len && presse_encoding_repair(x->title.data, x->title.len, &ix->conv)) {
      presse_buf_clear(&x->title);
      presse_buf_append(&x->title, ix->conv.data, ix->conv.len);
    }
  }
  presse_record r = {0};
  r.id = id;
  r.path = name;
  r.text = text;
  r.text_len = tlen;
  r.title = x->title.len ? x->title.data : NULL;
  r.date = x->date;
  r.format = x->format;
  presse_record_meta m = {0};
  m.date_fallback = x->date_fallback;
  m.issuer_hint = x->issuer_hint.len ? x->issuer_hint.data : NULL;
  m.encoding = x->encoding;
  m.parent = ix->parent;
  m.ocr_pages = x->ocr_pages;
  m.mtime = ix->file_mtime; /* watch.c compares them */
  m.size = ix->file_size;
  if (ix->container_path) r.path = ix->container_path;
  rc = presse_indexer_add_record_meta(ix, &r, &m);
  ix->last_encoding = x->encoding;
  return rc;
}

void presse_indexer_interrupt(presse_indexer *ix) {
  if (ix) ix->stop = 1;
}

int presse_indexer_read_bounded(presse_indexer *ix, int fd, size_t limit, presse_buf *out, int *more) {
  *more = 0;
  for (;;) {
    if (ix->stop) return presse_indexer_fail(ix, PRESSE_EABORT, "interrupted");
    if (presse_buf_reserve(out, 65536) != PRESSE_OK) return presse_indexer_fail(ix, PRESSE_ENOMEM, "out of memory");
    ssize_t n = read(fd, out->data + out->len, 65536);
    if (n < 0 && errno == EINTR) continue; /* a signal: ix->stop says whether to go on */
    if (n < 0) return presse_indexer_fail(ix, PRESSE_EIO, "read failed: %s", strerror(errno));
    if (n == 0) return PRESSE_OK;
    out->len += (size_t)n;
    out->data[out->len] = '\0';
    if (out->len > limit) {
      out->len = limit;
      out->data[limit] = '\0';
      *more = 1;
      return PRESSE_OK;
    }
  }
}

int presse_indexer_add_fd(presse_indexer *ix, int fd, const char *id, const char *name, presse_format fmt) {
  presse_buf in = PRESSE_BUF_INIT;
  int more;
  int rc = presse_indexer_read_bounded(ix, fd, ix->max_doc_bytes, &in, &more);
  if (rc == PRESSE_OK && more)
    rc = presse_indexer_fail(ix, PRESSE_ETOOBIG, "more than %zu bytes (--max-size): not read further, not indexed",
                             ix->max_doc_bytes);
  if (rc == PRESSE_OK) {
    char idbuf[40];
    if (!id) {
      snprintf(idbuf, sizeof idbuf, "stdin:%016llx",
               (unsigned long long)presse_fnv1a(PRESSE_FNV1A_INIT, in.data, in.len));
      id = idbuf;
    }
    rc = presse_indexer_add_buffer(ix, id, name, in.data ? in.data : "", in.len, fmt);
  }
  presse_buf_free(&in);
  return rc;
}

int presse_indexer_add_file(presse_indexer *ix, const char *path) {
  if (presse_indexer_is_mail(path)) return presse_indexer_add_mail(ix, path); /* formats/email.c */
  char eb[16];
  kind k = kind_of_ext(presse_path_ext(path, eb, sizeof eb));
  if (k == K_UNKNOWN) return presse_indexer_fail(ix, PRESSE_EFORMAT, "unsupported file type '.%s'", eb);
  if (k == K_IMAGE) return presse_indexer_fail(ix, PRESSE_EFORMAT, "image file '.%s', not a text document", eb);
  struct stat st;
  int fd = presse_indexer_open_file(ix, path, 1, &st);
  if (fd < 0) return fd;
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
  ix->file_mtime = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
  ix->file_size = (long long)st.st_size;
  int rc = presse_indexer_add_buffer(ix, abs ? abs : path, path, data, size, PRESSE_FMT_AUTO);
  ix->file_mtime = ix->file_size = 0;
  free(abs);
  free(data);
  return rc;
}
