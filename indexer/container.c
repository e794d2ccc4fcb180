/* What the readers of containers (mailboxes: formats/email.c, feeds: formats/feed.c) share: one
 * input holds many documents, so problems are reported per item and the rest is read, and
 * --verbose hears of every document stored, not only of the last one. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "indexer/indexer_internal.h"

int presse_indexer_open_file(presse_indexer *ix, const char *path, int bounded, struct stat *st) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return presse_indexer_fail(ix, PRESSE_EIO, "%s", strerror(errno));
  if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
    close(fd);
    return presse_indexer_fail(ix, PRESSE_EIO, "not a regular file");
  }
  if (bounded && (unsigned long long)st->st_size > ix->max_doc_bytes) {
    close(fd);
    return presse_indexer_fail(ix, PRESSE_ETOOBIG, "%lld bytes is over the limit of %zu bytes (--max-size)",
                               (long long)st->st_size, ix->max_doc_bytes);
  }
  return fd;
}

void presse_indexer_set_item_cb(presse_indexer *ix, presse_item_cb cb, void *ctx) {
  ix->item = cb;
  ix->item_ctx = ctx;
}

void presse_indexer_report(presse_indexer *ix, const char *what, const char *msg) {
  if (ix->report) ix->report(ix->report_ctx, what, msg);
}

void presse_indexer_announce(presse_indexer *ix, const char *what) {
  if (ix->item) ix->item(ix->item_ctx, what);
}

int presse_indexer_item_status(presse_indexer *ix, const char *what, int rc) {
  if (rc == PRESSE_OK) {
    presse_indexer_announce(ix, what);
    return PRESSE_OK;
  }
  if (rc == PRESSE_EDB || rc == PRESSE_ELOCKED || rc == PRESSE_ENOMEM || rc == PRESSE_EABORT) return rc;
  presse_indexer_report(ix, what, presse_indexer_errmsg(ix));
  return PRESSE_OK;
}
