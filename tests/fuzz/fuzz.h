/* Shared pieces of the libFuzzer targets (tests/fuzz/README.md): one indexer without a database
 * that runs the whole ingest pipeline, and a ZIP writer for the DOCX/ODT targets. */
#ifndef PRESSE_FUZZ_H
#define PRESSE_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "presse/ingest.h"
#include "presse/ner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The process's indexer: no database (documents are built and dropped), entities on with the
 * default model. Created on first use; aborts when the model cannot be loaded, since a target
 * without NER would silently test less. */
presse_indexer *fuzz_indexer(void);
/* The process's NER model (the default lookup). */
const presse_ner_model *fuzz_ner_model(void);

/* Stops the run with a message: a broken invariant is a finding like a sanitizer report. */
void fuzz_fail(const char *what);

/* Writes data to a file of this name in a directory of the process's own (on /dev/shm when it
 * can) and returns its path (static storage), for readers that take a path. The directory is
 * removed at exit; the caller unlinks the file. */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);

/* One member of a ZIP archive. */
typedef struct fuzz_zip_part {
  const char *name;
  const uint8_t *data;
  size_t len;
} fuzz_zip_part;

/* Writes an archive of stored (uncompressed) members with correct CRCs, so that libzip reads the
 * members and the fuzzed bytes reach the XML parser. Returns a malloc'd buffer (*len bytes). */
uint8_t *fuzz_zip(const fuzz_zip_part *parts, size_t nparts, size_t *len);

/* Splits data at NUL bytes into at most max pieces (the last keeps any further NULs); returns the
 * number of pieces. An XML part never contains NUL, so NUL separates the parts of an archive. */
size_t fuzz_split_nul(const uint8_t *data, size_t size, fuzz_zip_part *parts, size_t max);

#endif
