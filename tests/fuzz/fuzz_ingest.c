/* Fuzz target for one ingest format, the whole pipeline without a database: format reader,
 * encoding detection and repair, analysis, NER, issuer and contacts, document building.
 * Built once per format (tests/fuzz/CMakeLists.txt sets FUZZ_FORMAT):
 *   text, markdown, html, pdf  the input is the file;
 *   docx, odt                  the input is the XML of the main part, NUL-separated from the
 *                              other parts (see parts below), wrapped here into a valid ZIP so that
 *                              the mutations reach the XML readers instead of dying in libzip;
 *   jsonl                      the input is the JSON-lines stream;
 *   email                      the input is an mbox when it starts with "From ", else one
 *                              message (.eml); written to a file, since mail is read by path;
 *   feed                       the input is an RSS or Atom feed, written to a file likewise.
 * Besides the sanitizers it checks what the store relies on: every term fits Xapian's limit and
 * the stored data is JSON. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "document/document.h"
#include "fuzz.h"
#include "indexer/indexer_internal.h"
#include "presse/presse.h"

#define F_TEXT 1
#define F_MARKDOWN 2
#define F_HTML 3
#define F_PDF 4
#define F_DOCX 5
#define F_ODT 6
#define F_JSONL 7
#define F_EMAIL 8
#define F_FEED 9

#ifndef FUZZ_FORMAT
#error "FUZZ_FORMAT must name the format (tests/fuzz/CMakeLists.txt)"
#endif

/* What the store would be handed: checked after every document the indexer built. */
static void check_doc(const presse_doc *d) {
  if (d->id_term.len > 245) fuzz_fail("id term over Xapian's 245 bytes");
  for (size_t i = 0; i < d->npost; i++)
    if (d->post[i].len > PRESSE_MAX_TERM) fuzz_fail("term over PRESSE_MAX_TERM");
  json_error_t e;
  json_t *j = json_loadb(d->data.data ? d->data.data : "", d->data.len, 0, &e);
  if (!j) {
    fprintf(stderr, "fuzz: %s at %d: %.*s\n", e.text, e.position, (int)(d->data.len < 2000 ? d->data.len : 2000), d->data.data);
    fuzz_fail("stored data is not JSON");
  }
  json_decref(j);
}

#if FUZZ_FORMAT == F_DOCX || FUZZ_FORMAT == F_ODT
static int add_zip(presse_indexer *ix, const uint8_t *data, size_t size) {
#if FUZZ_FORMAT == F_DOCX
  static const char *const names[] = {"word/document.xml", "docProps/core.xml", "docProps/app.xml",
                                      "word/header1.xml"};
  fuzz_zip_part parts[5];
  size_t n = fuzz_split_nul(data, size, parts, 4);
  for (size_t i = 0; i < n; i++) parts[i].name = names[i];
  presse_format fmt = PRESSE_FMT_DOCX;
  const char *name = "fuzz.docx";
#else
  static const char mime[] = "application/vnd.oasis.opendocument.text";
  static const char *const names[] = {"content.xml", "meta.xml", "styles.xml"};
  fuzz_zip_part parts[4] = {{"mimetype", (const uint8_t *)mime, sizeof mime - 1}};
  size_t n = 1 + fuzz_split_nul(data, size, parts + 1, 3);
  for (size_t i = 1; i < n; i++) parts[i].name = names[i - 1];
  presse_format fmt = PRESSE_FMT_ODT;
  const char *name = "fuzz.odt";
#endif
  size_t zlen;
  uint8_t *zip = fuzz_zip(parts, n, &zlen);
  int rc = presse_indexer_add_buffer(ix, "fuzz", name, (const char *)zip, zlen, fmt);
  free(zip);
  return rc;
}
#endif

#if FUZZ_FORMAT == F_EMAIL
static int add_mail(presse_indexer *ix, const uint8_t *data, size_t size) {
  const char *path = fuzz_file(size >= 5 && !memcmp(data, "From ", 5) ? "fuzz.mbox" : "fuzz.eml", data, size);
  int rc = presse_indexer_add_mail(ix, path);
  unlink(path);
  return rc;
}
#endif

#if FUZZ_FORMAT == F_EMAIL || FUZZ_FORMAT == F_FEED
/* A mailbox or a feed stores many documents: each is checked when the indexer announces it. */
static void on_item(void *ctx, const char *what) {
  (void)what;
  check_doc(((presse_indexer *)ctx)->doc);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  presse_indexer *ix = fuzz_indexer();
  presse_indexer_counts before, after;
  presse_indexer_counts_get(ix, &before);
  int last_ok; /* the last document the input made was stored: ix->doc is it */
#if FUZZ_FORMAT == F_JSONL
  if (!size) return 0;
  FILE *f = fmemopen((void *)data, size, "r");
  if (!f) return 0;
  size_t bad = 0;
  presse_indexer_add_jsonl(ix, f, "fuzz.jsonl", &bad);
  fclose(f);
  last_ok = bad == 0; /* blank lines build nothing; a bad line may have reset ix->doc */
#elif FUZZ_FORMAT == F_DOCX || FUZZ_FORMAT == F_ODT
  last_ok = add_zip(ix, data, size) == PRESSE_OK;
#elif FUZZ_FORMAT == F_EMAIL
  presse_indexer_set_item_cb(ix, on_item, ix);
  add_mail(ix, data, size);
  last_ok = 0; /* checked by on_item */
#elif FUZZ_FORMAT == F_FEED
  presse_indexer_set_item_cb(ix, on_item, ix);
  const char *path = fuzz_file("fuzz.xml", data, size);
  presse_indexer_add_feed(ix, path);
  unlink(path);
  last_ok = 0;
#else
  static const struct {
    const char *name;
    presse_format fmt;
  } as[] = {{0}, {"fuzz.txt", PRESSE_FMT_TEXT}, {"fuzz.md", PRESSE_FMT_MARKDOWN}, {"fuzz.html", PRESSE_FMT_HTML},
            {"fuzz.pdf", PRESSE_FMT_PDF}};
  last_ok = presse_indexer_add_buffer(ix, "fuzz", as[FUZZ_FORMAT].name, (const char *)data, size,
                                      as[FUZZ_FORMAT].fmt) == PRESSE_OK;
#endif
  presse_indexer_counts_get(ix, &after);
  if (after.docs != before.docs && last_ok) {
    check_doc(ix->doc);
    presse_ingest_info info;
    presse_indexer_last_info(ix, &info);
    if (!info.title || !info.issuer) fuzz_fail("last_info without title or issuer");
  }
  return 0;
}
