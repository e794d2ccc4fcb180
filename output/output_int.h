/* What the output writers share: a hit's distinct entities, snippet marks, offsets. */
#ifndef PRESSE_OUTPUT_INT_H
#define PRESSE_OUTPUT_INT_H

#include <jansson.h>

#include "presse/output.h"
#include "util/buf.h"

/* A JSON string, or null for NULL. */
json_t *presse_out_str(const char *s);
/* The distinct entities of hit i, in order of first mention: [{"type", "name"}]. */
json_t *presse_out_entities(const presse_hits *h, size_t i);
/* Code-point offset of byte offset b in s. */
size_t presse_out_char_offset(const char *s, size_t b);
/* [{"start", "end", "char_start", "char_end"}] for the marks of a snippet. */
json_t *presse_out_marks(const presse_snippet *sn);

#endif
