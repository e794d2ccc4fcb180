/* The duplicate fingerprint.
 *
 * Input: the folded letters of the body's words as the analyzer gives them, so markup,
 * whitespace, case, umlaut spelling (ü/ue) and line-break hyphenation ("Migranten-⏎
 * organisationen") make no difference; numbers and dates (ISO-normalised by the analyzer) count,
 * because a daily report that differs from yesterday's only in its figures is another release;
 * phone numbers, addresses and URLs (formatted differently by every format: "+49 2331" or
 * "02331", a mailto link shown or not) are left out.
 *
 * The text is cut into runs at sentence marks (. ! ? : ; | •), blank lines, phone numbers,
 * addresses and URLs. The key is a hash of the four longest runs (in text order). Those are the
 * release's own long sentences: the same in its HTML, PDF, DOCX and text versions, whereas what
 * differs between the versions - a PDF letterhead, an HTML page's "Kontakt" heading, page
 * numbers, how a contact block is broken into lines - is short runs. Two different releases of an
 * office share boilerplate sentences (a contact block, "Die Ermittlungen dauern an."), rarely
 * their four longest sentences; a min-hash over all of the text (tried first) folded such
 * releases together far too often on the Berlin police corpus, where half of a short report can
 * be standard phrases. A text without runs of eight words falls back to a hash of all its words.
 * It is an exact key, as a Xapian collapse key must be. */
#include "document/fingerprint.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "presse/presse.h"
#include "util/hash.h"

#define FP_MIN_RUN 8 /* words */
#define FP_RUNS 4      /* the longest runs that make the key */

void presse_fp_reset(presse_fp *fp) {
  presse_buf_clear(&fp->run);
  presse_buf_clear(&fp->prose);
  presse_buf_clear(&fp->all);
  fp->run_words = 0;
  fp->token = 0;
  fp->have_token = 0;
  fp->skip = 0;
  fp->last_end = 0;
  fp->nruns = 0;
}

void presse_fp_free(presse_fp *fp) {
  presse_buf_free(&fp->run);
  presse_buf_free(&fp->prose);
  presse_buf_free(&fp->all);
  free(fp->runs);
}

static void flush(presse_fp *fp) {
  if (fp->run_words >= FP_MIN_RUN && fp->run.len) {
    if (fp->nruns == fp->runs_cap) {
      size_t cap = fp->runs_cap ? fp->runs_cap * 2 : 32;
      size_t *p = realloc(fp->runs, cap * 2 * sizeof *p);
      if (p) {
        fp->runs = p;
        fp->runs_cap = cap;
      }
    }
    if (fp->nruns < fp->runs_cap) {
      fp->runs[2 * fp->nruns] = fp->prose.len;
      fp->runs[2 * fp->nruns + 1] = fp->run.len;
      fp->nruns++;
      presse_buf_append(&fp->prose, fp->run.data, fp->run.len);
    }
  }
  presse_buf_clear(&fp->run);
  fp->run_words = 0;
}

/* Does the text between two tokens end a run? */
static int boundary(const char *gap, size_t n) {
  int newlines = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)gap[i];
    if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '|') return 1;
    if (c == '\n') {
      if (++newlines >= 2) return 1; /* a blank line */
    } else if (c != ' ' && c != '\r' && c != '\t') {
      newlines = 0;
    }
    /* bullets and middle dots: U+2022, U+00B7 */
    if (c == 0xE2 && i + 2 < n && (unsigned char)gap[i + 1] == 0x80 && (unsigned char)gap[i + 2] == 0xA2) return 1;
    if (c == 0xC2 && i + 1 < n && (unsigned char)gap[i + 1] == 0xB7) return 1;
  }
  return 0;
}

void presse_fp_term(presse_fp *fp, const char *src, const presse_term *t) {
  if (!fp->have_token || t->token != fp->token) {
    size_t a = fp->last_end < t->start ? fp->last_end : t->start;
    if (fp->have_token && boundary(src + a, t->start - a)) flush(fp);
    fp->have_token = 1;
    fp->token = t->token;
    fp->skip = t->kind == PRESSE_TOK_PHONE || t->kind == PRESSE_TOK_EMAIL || t->kind == PRESSE_TOK_URL;
    if (fp->skip) flush(fp);
    else fp->run_words++;
  }
  if (t->end > fp->last_end) fp->last_end = t->end;
  if (fp->skip || (t->flags & (PRESSE_TERM_ALT | PRESSE_TERM_SPLIT))) return;
  if (presse_buf_reserve(&fp->run, t->len) != PRESSE_OK || presse_buf_reserve(&fp->all, t->len) != PRESSE_OK) return;
  for (size_t i = 0; i < t->len; i++) { /* room reserved: no call per byte */
    unsigned char c = (unsigned char)t->text[i];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      fp->run.data[fp->run.len++] = (char)c;
      fp->all.data[fp->all.len++] = (char)c;
    }
  }
  fp->run.data[fp->run.len] = '\0';
  fp->all.data[fp->all.len] = '\0';
}

int presse_fp_finish(presse_fp *fp, char out[17]) {
  flush(fp);
  out[0] = '\0';
  uint64_t h = PRESSE_FNV1A_INIT;
  if (fp->nruns) {
    /* the FP_RUNS longest runs (the earlier one among equals), hashed in text order */
    size_t pick[FP_RUNS], np = 0;
    for (size_t r = 0; r < fp->nruns; r++) {
      size_t k = np < FP_RUNS ? np++ : FP_RUNS;
      while (k > 0 && fp->runs[2 * pick[k - 1] + 1] < fp->runs[2 * r + 1]) {
        if (k < FP_RUNS) pick[k] = pick[k - 1];
        k--;
      }
      if (k < FP_RUNS) pick[k] = r;
    }
    for (size_t i = 1; i < np; i++) /* back to text order */
      for (size_t j = i; j > 0 && pick[j - 1] > pick[j]; j--) {
        size_t t = pick[j];
        pick[j] = pick[j - 1];
        pick[j - 1] = t;
      }
    for (size_t i = 0; i < np; i++) {
      h = presse_fnv1a(h, fp->prose.data + fp->runs[2 * pick[i]], fp->runs[2 * pick[i] + 1]);
      h = presse_fnv1a(h, "|", 1);
    }
  } else if (fp->all.len) {
    h = presse_fnv1a(h, fp->all.data, fp->all.len);
  } else {
    return 0;
  }
  snprintf(out, 17, "%016llx", (unsigned long long)h);
  return 1;
}
