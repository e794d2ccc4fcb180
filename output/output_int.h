/* What the output writers share: the stored data of a hit, its snippet, its distinct entities. */
#ifndef PRESSE_OUTPUT_INT_H
#define PRESSE_OUTPUT_INT_H

#include <jansson.h>

#include "presse/output.h"
#include "util/buf.h"

/* The stored JSON of hit i, parsed; an empty object when it does not parse. The caller decrefs. */
json_t *presse_out_hit_data(const presse_hits *h, size_t i);
/* A string field of the stored data, or NULL. Owned by d. */
const char *presse_out_str(json_t *d, const char *key);
/* The distinct entities of the stored data, in order of first mention: [{"type", "name"}]. */
json_t *presse_out_entities(json_t *d);
/* Code-point offset of byte offset b in s. */
size_t presse_out_char_offset(const char *s, size_t b);
/* [{"start", "end", "char_start", "char_end"}] for the marks of a snippet. */
json_t *presse_out_marks(const presse_snippet *sn);

#endif
