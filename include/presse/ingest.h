/* Ingest: files, stdin and JSON-lines records in, indexed documents out.
 * A presse_indexer ties the analysis pipeline to one writable database and batches commits. */
#ifndef PRESSE_INGEST_H
#define PRESSE_INGEST_H

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
  const char *format;   /* "txt", "md", "jsonl" */
} presse_record;

typedef enum { PRESSE_FMT_AUTO = 0, PRESSE_FMT_TEXT, PRESSE_FMT_MARKDOWN } presse_format;

typedef struct presse_indexer presse_indexer;

/* Reports one problem with one input (a skipped file, a bad JSONL line). what names the input
 * ("corpus/a.txt", "docs.jsonl:17"), msg is the cause. Both valid during the call only. */
typedef void (*presse_report_cb)(void *ctx, const char *what, const char *msg);

typedef struct presse_indexer_opts {
  size_t max_doc_bytes;   /* documents larger than this are skipped; 0 = 16 MiB */
  unsigned batch;         /* documents per commit; 0 = 1000 */
  int no_entities;        /* non-zero: skip named-entity recognition */
  const char *ner_model;  /* model file; NULL = the default lookup of presse_ner_model_load */
} presse_indexer_opts;

/* Fails with PRESSE_ENOTFOUND (errmsg names the file) when entities are on and the NER model
 * cannot be loaded; *out is then still a handle for presse_indexer_errmsg, to be freed. */
int presse_indexer_new(presse_indexer **out, presse_db *db, const presse_indexer_opts *opts);
/* Commits what is pending and frees. Accepts NULL. Returns the commit status. */
int presse_indexer_free(presse_indexer *ix);
void presse_indexer_set_report(presse_indexer *ix, presse_report_cb cb, void *ctx);
const char *presse_indexer_errmsg(const presse_indexer *ix);

/* Indexes one file (.txt, .md; by extension, else sniffed). Returns PRESSE_OK, or an error for
 * this file only (PRESSE_EUTF8, PRESSE_EFORMAT, PRESSE_EIO, PRESSE_ETOOBIG): errmsg says why.
 * PRESSE_EDB/PRESSE_ELOCKED mean the database itself failed; stop then. */
int presse_indexer_add_file(presse_indexer *ix, const char *path);
/* Indexes a buffer as if it were a file named name, with id as its unique id. */
int presse_indexer_add_buffer(presse_indexer *ix, const char *id, const char *name,
                              const char *data, size_t len, presse_format fmt);
/* Indexes a record as is. */
int presse_indexer_add_record(presse_indexer *ix, const presse_record *r);
/* Indexes every line of a JSON-lines stream ({"id","title","date","text",...}). Bad lines are
 * reported through the report callback and counted in *bad; the rest are indexed. Returns an
 * error only when the database fails or the stream cannot be read. */
int presse_indexer_add_jsonl(presse_indexer *ix, FILE *f, const char *name, size_t *bad);
int presse_indexer_commit(presse_indexer *ix);

/* Counters since creation. */
typedef struct presse_indexer_counts {
  unsigned long long docs, bytes, terms_dropped;
} presse_indexer_counts;
void presse_indexer_counts_get(const presse_indexer *ix, presse_indexer_counts *out);

#endif
