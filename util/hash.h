/* 64-bit FNV-1a, the one byte-string hash of ids and fingerprints: a document's over-long id
 * term, its shard, the fingerprint's runs, and the ids made up for stdin, feed items and e-mails
 * without one. Stored values depend on it: it must not change. Usable from C and C++. */
#ifndef PRESSE_UTIL_HASH_H
#define PRESSE_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

#define PRESSE_FNV1A_INIT 1469598103934665603ull

/* h, continued over the n bytes at s (start with PRESSE_FNV1A_INIT). */
static inline uint64_t presse_fnv1a(uint64_t h, const void *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

#endif
