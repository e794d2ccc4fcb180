/* The index: a Xapian database reached through the C++ shim in store/.
 * Layout (DESIGN.md): bare folded words with positions, Z+stem, S/ZS for the title, Q+id as the
 * unique id, value slot 0 = date YYYYMMDD, document data = JSON with what results need. */
#ifndef PRESSE_DB_H
#define PRESSE_DB_H

#include "presse/api.h"

#include <stddef.h>

typedef struct presse_db presse_db;
typedef struct presse_doc presse_doc;     /* document/document.h */
typedef struct presse_qnode presse_qnode; /* include/presse/query.h */

#define PRESSE_DB_READ 0
#define PRESSE_DB_WRITE 1  /* opens for writing, creating the database if it does not exist */

/* Opens the database at path: a Xapian database, or a sharded one (a folder with a Xapian stub
 * file XAPIANDB beside its shards, or a stub file, whose shards may be xapian-tcpsrv servers:
 * "remote HOST:PORT"), which reads like one database and writes each document to its shard.
 * Remote shards wait $PRESSE_SHARD_TIMEOUT ms (default 10000) for a connection and each answer.
 * Returns PRESSE_ENOTFOUND if there is none (read mode),
 * PRESSE_ELOCKED if another writer holds it, PRESSE_EDB otherwise. Even on failure *out may be a
 * handle that carries the error text (presse_db_errmsg): the caller always calls presse_db_close. */
PRESSE_API int presse_db_open(presse_db **out, const char *path, int mode);
/* Creates (or opens, if it has nshards shards already) a sharded database for writing: a folder
 * with the shards shard0 .. shard<nshards-1> and the stub XAPIANDB listing them. An existing
 * database with another number of shards is PRESSE_EINVAL: the number is fixed at creation. */
PRESSE_API int presse_db_create(presse_db **out, const char *path, unsigned nshards);
/* The shard (0 .. nshards-1) of the document with this id: FNV-1a of its Q term mod nshards. */
PRESSE_API unsigned presse_db_shard_of(const char *id, unsigned nshards);
/* A sharded database's shards, in stub order (0 for one database). The name is as the stub
 * lists it; the path is the local shard's directory, NULL for a remote shard. Owned by db. */
PRESSE_API unsigned presse_db_nshards(const presse_db *db);
PRESSE_API const char *presse_db_shard_name(const presse_db *db, unsigned i);
PRESSE_API const char *presse_db_shard_path(const presse_db *db, unsigned i);

/* Commits pending changes of a writable database, then closes. Accepts NULL. */
PRESSE_API void presse_db_close(presse_db *db);
/* The text of the last error on db; owned by db, valid until the next call on it. */
PRESSE_API const char *presse_db_errmsg(const presse_db *db);
/* Moves a read-only handle to the newest committed revision, so that it sees what a writer
 * committed since it was opened (a long-running reader such as presse-serve calls it between
 * requests). The read calls below also reopen by themselves, and retry, when a writer's commit
 * replaced data they were reading (Xapian's DatabaseModifiedError): a reader never fails
 * because an ingest is running. A writable handle always sees its own changes: a no-op. */
PRESSE_API int presse_db_reopen(presse_db *db);

/* Adds or replaces (on its Q term) a document. A writer thread stores it in Xapian while the
 * caller builds the next one: a failure to store it is returned by the next call on db. Every
 * other call first waits until what was put is stored. */
PRESSE_API int presse_db_put(presse_db *db, const presse_doc *doc);
/* Commits what was put before, on the writer thread, without waiting for it (the indexer's
 * batches); a failure is returned by the next call on db. presse_db_commit waits. */
PRESSE_API int presse_db_commit_queued(presse_db *db);
/* Removes the document with this id; PRESSE_ENOTFOUND if there is none. */
PRESSE_API int presse_db_remove(presse_db *db, const char *id);
PRESSE_API int presse_db_commit(presse_db *db);
/* Discards uncommitted changes of a writable database. */
PRESSE_API int presse_db_cancel(presse_db *db);

typedef struct presse_db_stats {
  unsigned long long docs;
  unsigned long long terms;        /* distinct terms */
  unsigned long long positions;    /* total document length */
  double avg_length;
  unsigned first_date, last_date;  /* YYYYMMDD or 0 */
  unsigned long long disk_bytes;   /* size of the database directory */
  unsigned long long duplicates;   /* documents whose fingerprint an earlier document has: documents
                                      with a fingerprint minus distinct fingerprints */
} presse_db_stats;
PRESSE_API int presse_db_stats_get(presse_db *db, presse_db_stats *out);
/* The same for shard i alone (size on disk 0 for a remote shard). */
PRESSE_API int presse_db_shard_stats_get(presse_db *db, unsigned i, presse_db_stats *out);

/* Runs Xapian's consistency check (the one xapian-check runs) over the committed revision of the
 * database: the B-tree structure of every table's blocks, not the payload (random damage inside an
 * item can pass). About 0.25 s of CPU for the 7,224 Berlin releases (72 MB), linear in the size.
 * Damage it finds made libxapian crash in a stats walk and overflow a heap buffer in a commit.
 * PRESSE_EDB with a message naming the problem when it is damaged. full == 0 skips databases
 * over 2 GiB on disk. presse_db_open in write mode runs it (full == 0) itself; readers do not (a
 * query would pay for it every time). */
int presse_db_check(presse_db *db, int full);

/* Calls cb(ctx, id, data) for every document in docid order; data is the stored JSON. Pointers are
 * valid during the call only. A non-zero return stops the walk (result PRESSE_EABORT). When a
 * writer commits during the walk, it goes on after the last document it passed to cb (each
 * document once). */
typedef int (*presse_db_doc_cb)(void *ctx, const char *id, const char *data, size_t data_len);
PRESSE_API int presse_db_each(presse_db *db, presse_db_doc_cb cb, void *ctx);

/* Search. */
typedef enum { PRESSE_SORT_RELEVANCE = 0, PRESSE_SORT_DATE = 1 /* newest first */, PRESSE_SORT_DATE_ASC = 2 } presse_sort;

typedef struct presse_search_opts {
  unsigned offset, limit;
  presse_sort sort;
  double bm25_k1, bm25_b; /* <= 0 for the defaults in store/ */
  unsigned facets;        /* > 0: count entities over ALL matching documents, keep this many per type */
  int no_collapse;        /* non-zero: show every copy of a release, not one per fingerprint */
  unsigned exact_total;   /* count matches exactly up to this many (0: 10,000), estimate beyond */
  int partial;            /* sharded: when shards are down, search the others (presse_hits_partial)
                             instead of failing with an error that names the shard */
} presse_search_opts;

typedef struct presse_hits presse_hits;
PRESSE_API int presse_db_search(presse_db *db, const presse_qnode *q, const presse_search_opts *opts,
                     presse_hits **out);
PRESSE_API void presse_hits_free(presse_hits *h);
/* Moves src's hits behind dst's and adds its total; dst keeps its facets unless it has none.
 * Frees src, also on failure (PRESSE_ENOMEM, dst unchanged). */
PRESSE_API int presse_hits_append(presse_hits *dst, presse_hits *src);
PRESSE_API size_t presse_hits_count(const presse_hits *h);
/* Matches over the whole database: exact up to 10,000 matches (and whenever the matcher saw every
 * match), otherwise Xapian's estimate, the same on every page; presse_hits_total_exact says which
 * (non-zero: exact). */
PRESSE_API unsigned long long presse_hits_total(const presse_hits *h);
PRESSE_API int presse_hits_total_exact(const presse_hits *h);
/* Hit i: weight, and its stored data as JSON (owned by h, valid until presse_hits_free). The
 * keys of the JSON are internal: read the fields with the accessors below. */
PRESSE_API double presse_hits_weight(const presse_hits *h, size_t i);
PRESSE_API const char *presse_hits_data(const presse_hits *h, size_t i, size_t *len);
PRESSE_API unsigned presse_hits_docid(const presse_hits *h, size_t i);

/* The fields of hit i. Every string is UTF-8, NUL-terminated, owned by h and valid until
 * presse_hits_free(h) (presse_hits_append moves them along with their hit); NULL when the
 * release has no such field (no date found, a record without a path, ...) or i is out of range.
 * The stored data is decoded on the first call for a hit, so one presse_hits must not be read
 * from two threads at the same time; separate presse_hits may. */
PRESSE_API const char *presse_hits_id(const presse_hits *h, size_t i);     /* the unique id (path or record id) */
PRESSE_API const char *presse_hits_path(const presse_hits *h, size_t i);   /* the file it was read from */
PRESSE_API const char *presse_hits_title(const presse_hits *h, size_t i);
PRESSE_API const char *presse_hits_date(const presse_hits *h, size_t i);   /* "YYYY-MM-DD" */
PRESSE_API const char *presse_hits_issuer(const presse_hits *h, size_t i); /* who published it */
PRESSE_API const char *presse_hits_format(const presse_hits *h, size_t i); /* "txt", "md", "html", "pdf", "jsonl", ... */
PRESSE_API const char *presse_hits_link(const presse_hits *h, size_t i);    /* a feed item's link */
PRESSE_API const char *presse_hits_message(const presse_hits *h, size_t i); /* an attachment's e-mail message */
PRESSE_API unsigned presse_hits_ocr_pages(const presse_hits *h, size_t i);  /* pages read by OCR; 0 none */
/* The release's plain text, the source for presse_snippet_make and the offsets of
 * presse_hits_entity; *len (when len is not NULL) gets its length in bytes. */
PRESSE_API const char *presse_hits_text(const presse_hits *h, size_t i, size_t *len);

/* The e-mail addresses, phone numbers and URLs found in hit i's text, in order of appearance,
 * each once. */
typedef enum { PRESSE_HIT_EMAILS = 0, PRESSE_HIT_PHONES = 1, PRESSE_HIT_URLS = 2 } presse_hit_list;
PRESSE_API size_t presse_hits_nitems(const presse_hits *h, size_t i, presse_hit_list list);
PRESSE_API const char *presse_hits_item(const presse_hits *h, size_t i, presse_hit_list list, size_t k);

/* The entity mentions of hit i, in text order (empty when indexed without entities). Mention k:
 * returns its canonical name; *type gets "PER", "ORG", "LOC", ..., *surface the words as the text
 * writes them, [*start, *end) their byte offsets in presse_hits_text. Out-pointers may be NULL. */
PRESSE_API size_t presse_hits_nentities(const presse_hits *h, size_t i);
PRESSE_API const char *presse_hits_entity(const presse_hits *h, size_t i, size_t k, const char **type, const char **surface,
                               size_t *start, size_t *end);
/* The contact persons of hit i (whom to ask, from the release's contact block). Person k:
 * returns the name; *email and *phone get theirs, or NULL when the release gives none. */
PRESSE_API size_t presse_hits_ncontacts(const presse_hits *h, size_t i);
PRESSE_API const char *presse_hits_contact(const presse_hits *h, size_t i, size_t k, const char **email, const char **phone);

/* How many other copies of hit i (same fingerprint) were folded into it; a lower bound when the
 * match stopped early, exact for small result sets. */
PRESSE_API unsigned long long presse_hits_collapsed(const presse_hits *h, size_t i);
/* Facets (when opts->facets > 0): entity i of all types, most frequent first within a type.
 * type is "PER", "ORG" or "LOC"; strings owned by h. Counts are exact: every matching document
 * is counted. */
PRESSE_API size_t presse_hits_nfacets(const presse_hits *h);
PRESSE_API const char *presse_hits_facet(const presse_hits *h, size_t i, const char **type, unsigned long long *count);
/* Replaces each facet's count by what recount(ctx, type, name, &count) sets (it returns non-zero
 * to stop with that status) and orders each type by the new counts, ties as before. query/search.c
 * makes a facet's count the total of the filtered query it leads to. */
typedef int (*presse_facet_recount_cb)(void *ctx, const char *type, const char *name, unsigned long long *count);
PRESSE_API int presse_hits_facets_recount(presse_hits *h, presse_facet_recount_cb recount, void *ctx);

/* Facets beside the entities (presse-serve): with opts->facets > 0, presse_hits_facet also gives
 * the most frequent issuers, as type "ISSUER", and presse_hits_month the matching releases per
 * month: month i as YYYYMM (ascending), with its count. Exact like the entity facets. */
PRESSE_API size_t presse_hits_nmonths(const presse_hits *h);
PRESSE_API unsigned presse_hits_month(const presse_hits *h, size_t i, unsigned long long *count);

/* The release with this id as a one-hit result (weight 0), read with the accessors above;
 * PRESSE_ENOTFOUND (and *out = NULL) if there is none. Free with presse_hits_free. */
PRESSE_API int presse_db_get(presse_db *db, const char *id, presse_hits **out);
/* Releases like the one with this id ("more like this": the relevance set of the release, its
 * expand set of words and stems as the query), without it and without its copies (same
 * fingerprint). PRESSE_ENOTFOUND if there is no such release. */
PRESSE_API int presse_db_similar(presse_db *db, const char *id, unsigned limit, presse_hits **out);

/* A partial result: shards that were down and left out (opts->partial), by their stub names. */
PRESSE_API int presse_hits_partial(const presse_hits *h);
PRESSE_API size_t presse_hits_nfailed(const presse_hits *h);
PRESSE_API const char *presse_hits_failed(const presse_hits *h, size_t i);

/* Walks the indexed terms that start with prefix (bare words: prefix with no capital letter),
 * calling cb(ctx, term, termfreq). Used for spelling suggestions. */
typedef int (*presse_db_term_cb)(void *ctx, const char *term, size_t len, unsigned long long freq);
PRESSE_API int presse_db_terms(presse_db *db, const char *prefix, presse_db_term_cb cb, void *ctx);
PRESSE_API unsigned long long presse_db_termfreq(presse_db *db, const char *term);

#endif
