/* PRESSE_API marks what libpresse exports. The library is built with hidden visibility, so a
 * function without it stays internal, and scripts/check_api.sh checks that the shared library's
 * dynamic symbols are exactly the functions declared with it in include/presse/. */
#ifndef PRESSE_API_H
#define PRESSE_API_H

#if defined(__GNUC__) || defined(__clang__)
#define PRESSE_API __attribute__((visibility("default")))
#else
#define PRESSE_API
#endif

#endif
