/* presse: search and entity extraction for German press releases.
 * Umbrella header: status codes shared by every module, then the module headers. */
#ifndef PRESSE_PRESSE_H
#define PRESSE_PRESSE_H

#include "presse/api.h"

#define PRESSE_VERSION "0.1.0"

/* Every public function returns one of these (0 ok, negative on failure).
 * The human-readable reason lives on the handle the call was made on. */
enum {
  PRESSE_OK = 0,
  PRESSE_ENOMEM = -1,    /* allocation failed */
  PRESSE_EINVAL = -2,    /* bad argument */
  PRESSE_EIO = -3,       /* a file could not be read or written */
  PRESSE_EUTF8 = -4,     /* input is not valid UTF-8 */
  PRESSE_EFORMAT = -5,   /* input is not a document we can read (binary, empty, broken) */
  PRESSE_EDB = -6,       /* the database reported an error */
  PRESSE_ELOCKED = -7,   /* another writer holds the database lock */
  PRESSE_ENOTFOUND = -8, /* no such database, document or file */
  PRESSE_EQUERY = -9,    /* the query string is malformed */
  PRESSE_ETOOBIG = -10,  /* input over a configured size limit */
  PRESSE_EABORT = -11    /* a callback asked to stop */
};

/* A short English name for a status code; static storage, never NULL. */
PRESSE_API const char *presse_strerror(int status);

#include "presse/analysis.h"
#include "presse/db.h"
#include "presse/ingest.h"
#include "presse/query.h"
#include "presse/term.h"

#endif
