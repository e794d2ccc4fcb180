/* Helpers shared by the benchmark programs: a monotonic clock, and a whole file read into memory. */
#ifndef PRESSE_BENCH_UTIL_H
#define PRESSE_BENCH_UTIL_H

#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "util/buf.h"

static inline double bench_now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The file at path, NUL-terminated ("" when empty), its length in *len. NULL when it cannot be
 * opened, or when memory runs out (errno ENOMEM). */
static inline char *bench_slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  presse_buf b = PRESSE_BUF_INIT;
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    if (presse_buf_append(&b, chunk, n) != 0) {
      fclose(f);
      presse_buf_free(&b);
      errno = ENOMEM;
      return NULL;
    }
  fclose(f);
  *len = b.len;
  return presse_buf_detach(&b);
}

#endif
