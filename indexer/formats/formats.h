/* Format readers: bytes of one file in, plain UTF-8 text and metadata out. Each reader has one
 * job (encoding.c: legacy encodings; html.c, pdf.c, office.c: one container format each);
 * indexer/ingest.c picks the reader. Internal to libpresse. */
#ifndef PRESSE_INDEXER_FORMATS_H
#define PRESSE_INDEXER_FORMATS_H

#include <stddef.h>

#include "util/buf.h"

typedef struct presse_ocr presse_ocr; /* ocr.c */

/* What a reader found. The buffers belong to the caller, who clears them between files
 * (presse_extracted_clear) and frees them at the end (presse_extracted_free). */
typedef struct presse_extracted {
  presse_buf text;        /* plain UTF-8 text, paragraphs separated by blank lines */
  presse_buf title;       /* "" when the reader found none (then the text's first line is used) */
  presse_buf issuer_hint; /* the publisher as the file's metadata names it (og:site_name,
                             DOCX Company, ...); "" if none */
  presse_buf err;         /* why a reader failed: one line, no file name */
  unsigned date;          /* YYYYMMDD stated as the publication date (<time>, article:published_time) */
  unsigned date_fallback; /* YYYYMMDD of the file's production (PDF/DOCX/ODT creation date): used
                             only when the text names no date */
  const char *format;     /* "txt", "md", "html", "pdf", "docx", "odt"; static */
  const char *encoding;   /* the source encoding as reported by --verbose; static */
  unsigned ocr_pages;     /* pages whose text came from OCR (pdf.c, ocr.c) */
  presse_ocr *ocr;        /* input: the OCR engine for pages without text, NULL = no OCR; set by
                             the caller, kept by presse_extracted_clear */
} presse_extracted;

void presse_extracted_clear(presse_extracted *x);
void presse_extracted_free(presse_extracted *x);
/* Sets x->err and returns rc. */
int presse_extracted_fail(presse_extracted *x, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- encoding.c ---- */

/* Decodes a text file to UTF-8. Order: a byte-order mark (UTF-8, UTF-16LE or -BE), UTF-16 without a
 * mark (NUL in every other byte), strict UTF-8, then a single-byte legacy encoding: Windows-1252
 * when bytes 0x80-0x9F occur (C1 controls never appear in ISO-8859 text), ISO-8859-15 when 0xA4
 * (the euro sign there) occurs, else ISO-8859-1; converted with iconv. Text that fits none of
 * them (control bytes, bytes Windows-1252 leaves undefined, mostly non-ASCII) fails with
 * PRESSE_EUTF8; NUL bytes outside UTF-16 fail with PRESSE_EFORMAT ("binary file").
 * On success *out and *out_len give the UTF-8 text: data itself (minus a BOM) when it already was
 * UTF-8, else conv->data. *encoding is a static name ("utf-8", "windows-1252", ...). err gets
 * the reason on failure. */
int presse_encoding_decode(const char *data, size_t len, presse_buf *conv, const char **out, size_t *out_len,
                           const char **encoding, presse_buf *err);

/* Converts len bytes from the named encoding (an iconv name) to UTF-8, appending to out.
 * PRESSE_EUTF8 if the input is not valid in that encoding, PRESSE_EINVAL if iconv does not know
 * the name. */
int presse_encoding_convert(const char *from, const char *data, size_t len, presse_buf *out);

/* Repairs UTF-8 that went through a wrong Latin-1/Windows-1252 decoding once too often
 * ("KÃ¼hner" -> "Kühner", "â€“" -> "–"). Only runs of characters that map back to bytes forming
 * valid UTF-8 of Latin letters or punctuation are changed, so correct text is left alone.
 * Returns 1 and writes the repaired text to out when something was repaired, else 0 (out is
 * then untouched). Cheap when there is nothing to repair: one scan for the lead bytes. */
int presse_encoding_repair(const char *s, size_t len, presse_buf *out);

/* Non-zero if s looks like UTF-8 mis-decoded as Latin-1 (a cheap pre-check for repair). */
int presse_encoding_has_mojibake(const char *s, size_t len);

/* ---- html.c, pdf.c, office.c ---- */

/* HTML through libxml2's HTML parser: the main text without navigation, header, footer, asides,
 * scripts, styles and link lists; the title from og:title, <h1> or <title>; the date from
 * article:published_time, <time datetime> or (later) the text; og:site_name as issuer hint.
 * Bytes that are valid UTF-8 are read as UTF-8 whatever the page declares; otherwise the declared
 * charset, else the detection of presse_encoding_decode. */
int presse_format_html(const char *data, size_t len, presse_extracted *x);

/* PDF through poppler-glib: the text of every page in reading order (columns one after the
 * other), ligatures and soft hyphens at line ends normalised; title and creation date from the
 * document information. */
int presse_format_pdf(const char *data, size_t len, size_t max_text, presse_extracted *x);

/* DOCX (word/document.xml, docProps/core.xml, docProps/app.xml) and ODT (content.xml, meta.xml)
 * through libzip and libxml2. max_part bounds the uncompressed size of any part read (zip bombs). */
int presse_format_docx(const char *data, size_t len, size_t max_part, presse_extracted *x);
int presse_format_odt(const char *data, size_t len, size_t max_part, presse_extracted *x);

/* ---- ocr.c ---- */

/* An OCR engine (Tesseract, German model), loaded at its first page. */
int presse_ocr_new(presse_ocr **out);
void presse_ocr_free(presse_ocr *o); /* accepts NULL */
/* Renders a PopplerPage at 200 dpi and reads its text into out. PRESSE_ENOTFOUND when the
 * German model is missing (err says so), PRESSE_ETOOBIG for absurd page sizes. */
int presse_ocr_pdf_page(presse_ocr *o, void *pdf_page, presse_buf *out, presse_buf *err);

/* ---- email.c (the mailbox reader itself is presse_indexer_add_mail) ---- */

/* A subject as a title: without "Fwd:", "WG:", "AW:", "Re:", list tags ("[presse-hagen]") and
 * genre prefixes ("PM:", "Pressemitteilung Nr. 12/2025:"), on one line. */
int presse_mail_subject(const char *subject, presse_buf *out);
/* A message body as a release's text: quoted replies ("> ", with their "Am ... schrieb ...:"
 * line) and what follows "-----Ursprüngliche Nachricht-----" left out, the signature (after
 * "-- ") into sig. A forward ("---------- Forwarded message ---------", "Weitergeleitete
 * Nachricht", or any of these markers when forwarded is set) keeps only the forwarded text, one
 * quote level removed, and its sender (the "Von:"/"From:" line) goes into fwd_from. */
int presse_mail_body(const char *s, size_t len, int forwarded, presse_buf *body, presse_buf *sig,
                     presse_buf *fwd_from);

/* An RFC 5322 date ("Thu, 30 Jan 2025 10:15:00 +0100") as YYYYMMDD in its own time zone; 0 if none. */
unsigned presse_mail_date(const char *s);

/* Dates in metadata: "2025-01-30", "2025-01-30T10:00:00+01:00", "D:20250130..." (PDF). 0 if none. */
unsigned presse_format_meta_date(const char *s);

#endif
