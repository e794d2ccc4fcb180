/* Text and title extraction from the formats presse reads. Internal to libpresse. */
#ifndef PRESSE_INDEXER_EXTRACT_H
#define PRESSE_INDEXER_EXTRACT_H

#include <stddef.h>

#include "util/buf.h"

/* Markdown -> plain text (through cmark, the CommonMark reference parser). Soft line breaks stay
 * line breaks, so a word hyphenated across lines is still joined by the tokenizer. The title is
 * the first heading that is not a generic header like "PRESSEINFORMATION". */
int presse_extract_markdown(const char *md, size_t len, presse_buf *text, presse_buf *title);

/* The title of a plain text: its first non-empty line that is not a generic header (the first
 * non-empty line when all are); the title of a JSONL record without one, too. */
int presse_extract_text_title(const char *text, size_t len, presse_buf *title);

/* Non-zero for header lines that name the genre, not the release ("Pressemitteilung"). */
int presse_extract_is_generic_header(const char *s, size_t len);

#endif
