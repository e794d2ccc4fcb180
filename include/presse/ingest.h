/* Ingest: files, stdin and JSON-lines records in, indexed documents out.
 * A presse_indexer ties the analysis pipeline to one writable database and batches commits. */
#ifndef PRESSE_INGEST_H
#define PRESSE_INGEST_H

#include "presse/api.h"

#include <stddef.h>
#include <stdio.h>
#include "presse/db.h"

/* One release as the document builder sees it. All strings are UTF-8 and borrowed. */
typedef struct presse_record {
  const char *id;       /* unique id: a JSONL record's id or the file's absolute path */
  const char *path;     /* file path as given, or NULL */
  const char *title;    /* NULL: taken from the text */
  const char *text;     /* plain text */
  size_t text_len;
  unsigned date;        /* YYYYMMDD, 0: taken from the text */
  const char *format;   /* "txt", "md", "html", "pdf", "docx", "odt", "jsonl" */
} presse_record;

/* What a file's format knows beside its text (kept apart from presse_record so that existing
 * initialisers of presse_record stay complete). All strings borrowed; NULL/0 = unknown. */
typedef struct presse_record_meta {
  unsigned date_fallback;  /* YYYYMMDD the file was produced (PDF/DOCX/ODT creation date): used
                              only when the text names no date */
  const char *issuer;      /* the publisher as the source states it (a JSONL "issuer"): taken as is */
  const char *issuer_hint; /* a publisher named by the file's metadata (og:site_name, DOCX
                              Company): one piece of evidence for the issuer heuristic */
  const char *encoding;    /* the source encoding, stored when it was not UTF-8 */
  const char *parent;      /* the id of the e-mail message an attachment came with ("message") */
  const char *link;        /* a feed item's link ("link") */
  unsigned ocr_pages;      /* pages whose text was read by OCR ("ocr") */
  long long mtime, size;   /* the file's modification time (ns) and size ("mtime", "size"), which
                              presse_indexer_sync compares; 0: not from a file */
} presse_record_meta;

typedef enum {
  PRESSE_FMT_AUTO = 0,
  PRESSE_FMT_TEXT,
  PRESSE_FMT_MARKDOWN,
  PRESSE_FMT_HTML,
  PRESSE_FMT_PDF,
  PRESSE_FMT_DOCX,
  PRESSE_FMT_ODT
} presse_format;

typedef struct presse_indexer presse_indexer;

/* Reports one problem with one input (a skipped file, a bad JSONL line). what names the input
 * ("corpus/a.txt", "docs.jsonl:17"), msg is the cause. Both valid during the call only. */
typedef void (*presse_report_cb)(void *ctx, const char *what, const char *msg);

typedef struct presse_indexer_opts {
  size_t max_doc_bytes;   /* documents larger than this are skipped; 0 = 16 MiB */
  unsigned batch;         /* documents per commit; 0 = 1000 */
  int no_entities;        /* non-zero: skip named-entity recognition */
  const char *ner_model;  /* model file; NULL = the default lookup of presse_ner_model_load */
  unsigned shard, nshards; /* nshards > 1: index only the documents of shard `shard` (presse_db_shard_of
                              their id) and pass over the others silently: one process per shard
                              reads the same input (presse-index on a sharded database) */
  int no_ocr;             /* non-zero: PDF pages without a text layer are not read by OCR */
} presse_indexer_opts;

/* db NULL builds every document (formats, analysis, entities, metadata) and stores it nowhere:
 * the fuzz targets of tests/fuzz run the whole ingest pipeline that way without Xapian.
 * Fails with PRESSE_ENOTFOUND (errmsg names the file) when entities are on and the NER model
 * cannot be loaded; *out is then still a handle for presse_indexer_errmsg, to be freed. */
PRESSE_API int presse_indexer_new(presse_indexer **out, presse_db *db, const presse_indexer_opts *opts);
/* Commits what is pending and frees. Accepts NULL. Returns the commit status. */
PRESSE_API int presse_indexer_free(presse_indexer *ix);
PRESSE_API void presse_indexer_set_report(presse_indexer *ix, presse_report_cb cb, void *ctx);
PRESSE_API const char *presse_indexer_errmsg(const presse_indexer *ix);

/* Indexes one file: .txt and .md (UTF-8, UTF-16, Windows-1252, ISO-8859-1/-15, detected),
 * .html/.htm, .pdf, .docx, .odt; the extension decides, the first bytes when there is none.
 * Returns PRESSE_OK, or an error for this file only (PRESSE_EUTF8, PRESSE_EFORMAT, PRESSE_EIO,
 * PRESSE_ETOOBIG): errmsg says why in one line. PRESSE_EDB/PRESSE_ELOCKED mean the database
 * itself failed; stop then. */
PRESSE_API int presse_indexer_add_file(presse_indexer *ix, const char *path);
/* Indexes a buffer as if it were a file named name, with id as its unique id. */
PRESSE_API int presse_indexer_add_buffer(presse_indexer *ix, const char *id, const char *name,
                              const char *data, size_t len, presse_format fmt);
/* Reads one document from fd (stdin, a pipe) until end of file and indexes it as if it were a
 * file named name. At most the indexer's max_doc_bytes are read: a longer stream is refused with
 * PRESSE_ETOOBIG as soon as the limit is passed, without reading the rest. id NULL: an id from a
 * hash of the content ("stdin:0123456789abcdef"), so the same text read twice replaces itself.
 * Returns PRESSE_EABORT when presse_indexer_interrupt was called during the read. */
PRESSE_API int presse_indexer_add_fd(presse_indexer *ix, int fd, const char *id, const char *name, presse_format fmt);
/* Asks a running add (a JSON-lines stream, a read from a pipe) to stop after the current record;
 * it then returns PRESSE_EABORT. Async-signal-safe: meant to be called from a SIGINT/SIGTERM
 * handler. What was added before stays added (commit it as usual). */
PRESSE_API void presse_indexer_interrupt(presse_indexer *ix);
/* Indexes a record as is. */
PRESSE_API int presse_indexer_add_record(presse_indexer *ix, const presse_record *r);
/* ... with what its format knows beside the text (meta may be NULL). */
PRESSE_API int presse_indexer_add_record_meta(presse_indexer *ix, const presse_record *r, const presse_record_meta *meta);

/* What the last successful add stored, for presse-index --verbose. Strings are owned by ix and
 * valid until the next add. */
typedef struct presse_ingest_info {
  const char *format;    /* "txt", "md", "html", "pdf", "docx", "odt", "jsonl" */
  const char *encoding;  /* the source encoding ("utf-8", "windows-1252", ...); NULL where the
                            format carries its own (PDF, DOCX, ODT, JSONL) */
  int repaired;          /* mis-decoded UTF-8 ("Ã¼") was repaired */
  const char *title;
  unsigned date;         /* YYYYMMDD, 0 if none */
  const char *issuer;    /* "" if none was found */
  unsigned contacts;     /* contact persons found */
  unsigned ocr_pages;    /* pages read by OCR */
  const char *parent;    /* an attachment's message id, else NULL */
  int container;         /* the last add read a mailbox or feed: its documents were announced one by
                            one through the item callback, and the fields above are the last one's */
} presse_ingest_info;
PRESSE_API void presse_indexer_last_info(const presse_indexer *ix, presse_ingest_info *out);
/* Indexes every line of a JSON-lines stream ({"id","title","date","text",...}). Bad lines are
 * reported through the report callback and counted in *bad; the rest are indexed. A line longer
 * than max_doc_bytes is skipped (and reported) without being held in memory. Returns an error
 * only when the database fails or the stream cannot be read; PRESSE_EABORT after
 * presse_indexer_interrupt. */
PRESSE_API int presse_indexer_add_jsonl(presse_indexer *ix, FILE *f, const char *name, size_t *bad);
PRESSE_API int presse_indexer_commit(presse_indexer *ix);
/* Whether the document with this id is this indexer's to index (always, unless opts->nshards > 1). */
PRESSE_API int presse_indexer_owns(const presse_indexer *ix, const char *id);

/* ---- containers: mailboxes and feeds (indexer/formats/email.c, feed.c) ---- */

/* Called after each document a mailbox or feed stored (what: "box.mbox: <message id>"), so that
 * --verbose can show every one; presse_indexer_last_info describes it during the call. */
typedef void (*presse_item_cb)(void *ctx, const char *what);
PRESSE_API void presse_indexer_set_item_cb(presse_indexer *ix, presse_item_cb cb, void *ctx);

/* Non-zero if path is e-mail: an .eml or .mbox file, a message file in a Maildir's cur/ or new/,
 * or a file without extension that starts like an mbox ("From "). presse_indexer_add_file
 * reads such files with presse_indexer_add_mail. */
PRESSE_API int presse_indexer_is_mail(const char *path);
/* Indexes every message of an .eml file, an mbox or a Maildir message file (GMime). One release
 * per message, its id "mid:" + the Message-ID (so re-reading adds only new messages); title from
 * the subject without "Fwd:", "PM:" and list tags; date from the Date header; text from the
 * text/plain part, else the text/html part, without quoted replies and the signature; every
 * attachment in a format presse reads becomes a document of its own that names its message.
 * A bad message or attachment is reported through the report callback and the rest is read;
 * the status is an error only for the file itself or the database. */
PRESSE_API int presse_indexer_add_mail(presse_indexer *ix, const char *path);
/* Indexes the items of an RSS 2.0 or Atom feed: a file, "file://" URL or "-". Each item's guid
 * (else its link) is its id, so re-reading a feed adds only new items. Bad items are reported;
 * the status is an error only when the feed cannot be read at all or the database fails. */
PRESSE_API int presse_indexer_add_feed(presse_indexer *ix, const char *source);

/* ---- folders kept in step (indexer/watch.c) ---- */

typedef struct presse_sync_counts {
  unsigned long added, updated, removed, unchanged, failed; /* files */
} presse_sync_counts;
/* Makes the index match the files under dir: new files added, changed ones (mtime or size
 * differ from what is stored) re-indexed, documents whose file is gone removed; commits. Bad
 * files are reported through the report callback and counted as failed. */
int presse_indexer_sync(presse_indexer *ix, const char *dir, presse_sync_counts *out);
/* Called after the first sync of each folder (dir set) and after each batch of changes (dir NULL). */
typedef void (*presse_sync_cb)(void *ctx, const char *dir, const presse_sync_counts *c);
/* Syncs the folders, then follows them with inotify until presse_indexer_interrupt (then
 * PRESSE_EABORT, with every batch committed): files written or moved in are indexed, files
 * deleted or moved out are removed, new and removed subfolders are synced; batches are
 * committed as soon as the folder is quiet for 0.3 s (at the latest every 2 s). */
int presse_indexer_watch(presse_indexer *ix, char *const *dirs, size_t ndirs, presse_sync_cb cb, void *ctx);

/* Counters since creation. */
typedef struct presse_indexer_counts {
  unsigned long long docs, bytes, terms_dropped;
} presse_indexer_counts;
PRESSE_API void presse_indexer_counts_get(const presse_indexer *ix, presse_indexer_counts *out);

#endif
