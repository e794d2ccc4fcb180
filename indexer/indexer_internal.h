/* The indexer handle, shared by ingest.c and jsonl.c. Internal to libpresse. */
#ifndef PRESSE_INDEXER_INTERNAL_H
#define PRESSE_INDEXER_INTERNAL_H

#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "indexer/formats/formats.h"
#include "presse/ner.h"
#include "presse/presse.h"
#include "util/buf.h"

struct presse_indexer {
  presse_db *db;
  presse_analyzer *an;
  presse_doc *doc;
  presse_ner_model *ner; /* NULL: entities off */
  size_t max_doc_bytes;
  unsigned batch, pending;
  unsigned shard, nshards; /* presse_indexer_opts: index only this shard's documents */
  unsigned long long docs, bytes, dropped;
  presse_report_cb report;
  void *report_ctx;
  presse_buf err;
  presse_extracted x;     /* what the format reader found in the current file */
  presse_buf conv, fixed; /* the current file converted to UTF-8; its mojibake repaired */
  const char *conv_text;  /* plain text read in place (input or conv): no copy */
  size_t conv_len;
  const char *last_format, *last_encoding;
  int last_repaired;
  volatile sig_atomic_t stop; /* presse_indexer_interrupt: checked between records and reads */
  /* containers (email.c, feed.c) */
  presse_item_cb item;
  void *item_ctx;
  const char *parent;   /* set while a message's attachments are read: their "message" */
  const char *last_parent;
  unsigned last_ocr;
  int last_container;
  presse_ocr *ocr; /* NULL: --no-ocr */
  long long file_mtime, file_size; /* of the file being read, for the stored "mtime"/"size" */
  const char *container_path;      /* a mailbox's path: the "path" of its attachments */
};

/* container.c. Opens a regular file for reading (bounded: not larger than max_doc_bytes);
 * returns the descriptor, or a negative status with the error text on ix. */
int presse_indexer_open_file(presse_indexer *ix, const char *path, int bounded, struct stat *st);
/* Reports a problem with one item of a container through the report callback. */
void presse_indexer_report(presse_indexer *ix, const char *what, const char *msg);
/* Tells the item callback that the document what was stored. */
void presse_indexer_announce(presse_indexer *ix, const char *what);
/* The status of one item: announced when stored, reported (and PRESSE_OK) when the item was bad,
 * rc itself when the database or memory failed and the container must stop. */
int presse_indexer_item_status(presse_indexer *ix, const char *what, int rc);

/* Reads fd until end of file into out, at most limit bytes: *more is set (and the rest left
 * unread) when the stream goes on past them. A signal's EINTR is retried unless
 * presse_indexer_interrupt asked to stop (PRESSE_EABORT). Stdin and feeds read through it. */
int presse_indexer_read_bounded(presse_indexer *ix, int fd, size_t limit, presse_buf *out, int *more);

/* Sets the error text on ix and returns rc. */
int presse_indexer_fail(presse_indexer *ix, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

#endif
