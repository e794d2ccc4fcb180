/* PDF: the text layer through poppler-glib. poppler_page_get_text returns a page's text in
 * reading order (TextOutputDev's column detection puts the left column before the right one), so
 * a two-column release comes out as sentences, not as lines zipped across the columns. We add
 * what the analyzer needs: ligatures (ﬁ, ﬂ) spelled out and a soft or Unicode hyphen at a line
 * end made a plain "-", so that "Migranten-⏎organisationen" is joined like in any text file.
 * Poppler alone still merges a short line of one column with the line beside it in the other
 * ("58042 HagenFragen zum Fachtag"), so we find the gutter ourselves from the character boxes
 * (a vertical line no character crosses over most of the page height, with text on both sides)
 * and emit the full-width part above it, the left column, the right column, then what is below.
 * Without a usable document-info title, the title is the largest type on the first page.
 * A truncated file (no %%EOF at its end) is refused rather than half-read: poppler would rebuild
 * what it can and index a part of the release as if it were all of it. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <poppler.h>

#include "indexer/extract.h"
#include "indexer/formats/formats.h"
#include "presse/presse.h"

/* Poppler reports syntax errors of damaged files through g_log; they are the file's problem,
 * reported in our one line, not lines of their own on stderr. */
static void quiet_log(const gchar *domain, GLogLevelFlags level, const gchar *msg, gpointer data) {
  (void)domain;
  (void)level;
  presse_buf *first = data;
  if (first && !first->len && msg) presse_buf_puts(first, msg);
}

/* Appends page text with ligatures expanded and line-end hyphens normalised. */
static int append_page(presse_buf *out, const char *t) {
  static const char *const lig[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
  const unsigned char *s = (const unsigned char *)t;
  int rc = PRESSE_OK;
  for (size_t i = 0; s[i] && rc == PRESSE_OK;) {
    /* U+FB00..U+FB06: EF AC 80..86 */
    if (s[i] == 0xEF && s[i + 1] == 0xAC && s[i + 2] >= 0x80 && s[i + 2] <= 0x86) {
      rc = presse_buf_puts(out, lig[s[i + 2] - 0x80]);
      i += 3;
      continue;
    }
    /* soft hyphen U+00AD, hyphen U+2010, non-breaking hyphen U+2011 before a line break */
    size_t hl = 0;
    if (s[i] == 0xC2 && s[i + 1] == 0xAD) hl = 2;
    else if (s[i] == 0xE2 && s[i + 1] == 0x80 && (s[i + 2] == 0x90 || s[i + 2] == 0x91)) hl = 3;
    if (hl && (s[i + hl] == '\n' || (s[i + hl] == '\r' && s[i + hl + 1] == '\n'))) {
      rc = presse_buf_putc(out, '-');
      i += hl;
      continue;
    }
    rc = presse_buf_putc(out, (char)s[i]);
    i++;
  }
  return rc;
}

/* ---- columns ---- */

typedef struct pchar {
  size_t off;   /* byte offset in the page text */
  unsigned len; /* bytes */
  double x1, y1, x2, y2;
  int ink;      /* not a space or a line break */
  int cross;    /* a glyph or a word space: what a gutter may not cut (a space wider than three
                   times its height is a gap between columns, not between words) */
} pchar;

typedef struct pline {
  int stream; /* 0 above the columns, 1 left, 2 right, 3 below */
  double y;
  size_t at, len; /* in the line buffer */
  size_t seq;     /* emission order, for a stable sort */
} pline;

static int cmp_pline(const void *a, const void *b) {
  const pline *p = a, *q = b;
  if (p->stream != q->stream) return p->stream - q->stream;
  if ((p->stream == 1 || p->stream == 2) && p->y != q->y) return p->y < q->y ? -1 : 1;
  return p->seq < q->seq ? -1 : p->seq > q->seq;
}

typedef struct yspan {
  double a, b;
} yspan;

static int cmp_yspan(const void *x, const void *y) {
  const yspan *p = x, *q = y;
  return p->a < q->a ? -1 : p->a > q->a;
}

/* The largest vertical stretch [lo, hi] of the text's extent that no character crosses at x = g. */
static double free_zone(const pchar *c, size_t n, double g, double top, double bottom, yspan *tmp, double *lo,
                        double *hi) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (c[i].cross && c[i].x1 - 0.5 < g && c[i].x2 + 0.5 > g) tmp[k++] = (yspan){c[i].y1, c[i].y2};
  qsort(tmp, k, sizeof *tmp, cmp_yspan);
  double best = 0, at = top;
  *lo = *hi = top;
  for (size_t i = 0; i <= k; i++) {
    double next = i < k ? tmp[i].a : bottom;
    if (next - at > best) {
      best = next - at;
      *lo = at;
      *hi = next;
    }
    if (i < k && tmp[i].b > at) at = tmp[i].b;
  }
  return best;
}

/* Rebuilds a page's text column by column when it has two columns; else returns 0 and the
 * caller keeps poppler's text. */
static int split_columns(PopplerPage *page, const char *text, presse_buf *out) {
  PopplerRectangle *r = NULL;
  guint nr = 0;
  if (!poppler_page_get_text_layout(page, &r, &nr) || !nr) {
    g_free(r);
    return 0;
  }
  size_t n = 0;
  for (const char *p = text; *p; p = g_utf8_next_char(p)) n++;
  if (n != nr) { /* layout and text disagree: trust poppler's text */
    g_free(r);
    return 0;
  }
  pchar *c = malloc(n * sizeof *c);
  yspan *tmp = malloc(n * sizeof *tmp);
  if (!c || !tmp) {
    free(c);
    free(tmp);
    g_free(r);
    return 0;
  }
  double top = 1e9, bottom = -1e9;
  size_t ink = 0, i = 0;
  for (const char *p = text; *p; p = g_utf8_next_char(p), i++) {
    c[i].off = (size_t)(p - text);
    c[i].len = (unsigned)(g_utf8_next_char(p) - p);
    c[i].x1 = r[i].x1;
    c[i].y1 = r[i].y1;
    c[i].x2 = r[i].x2;
    c[i].y2 = r[i].y2;
    c[i].ink = !(*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t');
    c[i].cross = *p != '\n' && *p != '\r' && (c[i].ink || c[i].x2 - c[i].x1 <= 3 * (c[i].y2 - c[i].y1));
    if (c[i].ink) {
      ink++;
      if (c[i].y1 < top) top = c[i].y1;
      if (c[i].y2 > bottom) bottom = c[i].y2;
    }
  }
  g_free(r);
  double w, h;
  poppler_page_get_size(page, &w, &h);
  double best_h = 0, best_g = 0, best_lo = 0, best_hi = 0;
  size_t best_min = 0;
  for (double g = w * 0.3; ink > 40 && g <= w * 0.7; g += 1.0) {
    double lo, hi;
    double zh = free_zone(c, n, g, top, bottom, tmp, &lo, &hi);
    if (zh < (bottom - top) * 0.25 || zh < best_h) continue;
    size_t left = 0, right = 0;
    for (size_t k = 0; k < n; k++) {
      if (!c[k].ink) continue;
      double cy = (c[k].y1 + c[k].y2) / 2, cx = (c[k].x1 + c[k].x2) / 2;
      if (cy < lo || cy > hi) continue;
      if (cx < g) left++;
      else right++;
    }
    size_t mn = left < right ? left : right;
    if (mn * 100 < ink * 15) continue;
    if (zh > best_h || mn > best_min) {
      best_h = zh;
      best_g = g;
      best_lo = lo;
      best_hi = hi;
      best_min = mn;
    }
  }
  free(tmp);
  if (best_h <= 0) {
    free(c);
    return 0;
  }
  /* distribute the characters, line by line, to the four streams */
  presse_buf lines = PRESSE_BUF_INIT;
  presse_buf cur[4] = {PRESSE_BUF_INIT, PRESSE_BUF_INIT, PRESSE_BUF_INIT, PRESSE_BUF_INIT};
  double cur_y[4] = {0, 0, 0, 0};
  pline *pl = NULL;
  size_t npl = 0, cap = 0, seq = 0;
  int rc = PRESSE_OK;
  for (size_t k = 0; k <= n && rc == PRESSE_OK; k++) {
    int eol = k == n || text[c[k].off] == '\n';
    if (eol) {
      for (int s = 0; s < 4; s++) {
        size_t a = 0;
        while (a < cur[s].len && cur[s].data[a] == ' ') a++;
        if (a < cur[s].len) {
          if (npl == cap) {
            cap = cap ? cap * 2 : 64;
            pline *q = realloc(pl, cap * sizeof *q);
            if (!q) {
              rc = PRESSE_ENOMEM;
              break;
            }
            pl = q;
          }
          pl[npl++] = (pline){s, cur_y[s], lines.len, cur[s].len - a, seq++};
          rc = presse_buf_append(&lines, cur[s].data + a, cur[s].len - a);
        }
        presse_buf_clear(&cur[s]);
      }
      continue;
    }
    double cy = (c[k].y1 + c[k].y2) / 2, cx = (c[k].x1 + c[k].x2) / 2;
    int s = cy < best_lo ? 0 : cy > best_hi ? 3 : cx < best_g ? 1 : 2;
    if (!c[k].ink && !cur[s].len) continue;
    if (!cur[s].len) cur_y[s] = c[k].y1;
    rc = presse_buf_append(&cur[s], text + c[k].off, c[k].len);
  }
  if (rc == PRESSE_OK && npl) {
    qsort(pl, npl, sizeof *pl, cmp_pline);
    for (size_t k = 0; k < npl && rc == PRESSE_OK; k++) {
      rc = presse_buf_append(out, lines.data + pl[k].at, pl[k].len);
      if (rc == PRESSE_OK) rc = presse_buf_putc(out, '\n');
    }
  }
  for (int s = 0; s < 4; s++) presse_buf_free(&cur[s]);
  presse_buf_free(&lines);
  free(pl);
  free(c);
  return rc == PRESSE_OK ? 1 : -1;
}

/* ---- the title from type sizes ---- */

/* The title of a page: the run of the largest type that is at least 15% over the body size
 * and has three words or more (a letterhead in large type is one or two words). */
static void title_by_size(PopplerPage *page, const char *text, presse_buf *title) {
  GList *attrs = poppler_page_get_text_attributes(page);
  if (!attrs) return;
  size_t nchars = 0;
  for (const char *p = text; *p; p = g_utf8_next_char(p)) nchars++;
  /* the body size: the size of the most characters */
  double sizes[64];
  size_t counts[64], nsizes = 0;
  for (GList *l = attrs; l; l = l->next) {
    PopplerTextAttributes *a = l->data;
    size_t k = 0;
    while (k < nsizes && (sizes[k] - a->font_size > 0.3 || a->font_size - sizes[k] > 0.3)) k++;
    if (k == nsizes && nsizes < 64) {
      sizes[nsizes] = a->font_size;
      counts[nsizes++] = 0;
    }
    if (k < nsizes) counts[k] += (size_t)(a->end_index - a->start_index + 1);
  }
  double body = 0;
  size_t most = 0;
  for (size_t k = 0; k < nsizes; k++)
    if (counts[k] > most) {
      most = counts[k];
      body = sizes[k];
    }
  double best = 0;
  int best_a = -1, best_b = -1;
  for (GList *l = attrs; l;) {
    PopplerTextAttributes *a = l->data;
    double size = a->font_size;
    int sa = a->start_index, sb = a->end_index;
    GList *m = l->next;
    while (m) { /* the same size on the next lines belongs to the same run */
      PopplerTextAttributes *b = m->data;
      if (b->font_size - size > 0.3 || size - b->font_size > 0.3) break;
      sb = b->end_index;
      m = m->next;
    }
    l = m;
    if (size < body * 1.15 || size <= best || sb < sa || (size_t)sb >= nchars) continue;
    const char *pa = g_utf8_offset_to_pointer(text, sa), *pb = g_utf8_offset_to_pointer(text, sb + 1);
    size_t words = 0;
    int in = 0;
    for (const char *p = pa; p < pb; p++) {
      int sp = *p == ' ' || *p == '\n';
      if (!sp && !in) words++;
      in = !sp;
    }
    if (words < 3 || pb - pa > 400) continue;
    best = size;
    best_a = sa;
    best_b = sb;
  }
  if (best_a >= 0) {
    const char *pa = g_utf8_offset_to_pointer(text, best_a), *pb = g_utf8_offset_to_pointer(text, best_b + 1);
    presse_buf_clear(title);
    for (const char *p = pa; p < pb; p++) {
      if (*p == '\n' || *p == '\r') {
        /* "Mi-⏎grantenorganisationen": a hyphen at a line end before a small letter joins */
        if (title->len && title->data[title->len - 1] == '-' && p + 1 < pb && g_unichar_islower(g_utf8_get_char(p + 1)))
          title->data[--title->len] = '\0';
        else if (title->len && title->data[title->len - 1] != ' ')
          presse_buf_putc(title, ' ');
        continue;
      }
      presse_buf_putc(title, *p);
    }
    while (title->len && title->data[title->len - 1] == ' ') title->data[--title->len] = '\0';
    if (title->len && presse_extract_is_generic_header(title->data, title->len)) presse_buf_clear(title);
  }
  poppler_page_free_text_attributes(attrs);
}

/* ---- scanned pages ---- */

static int has_ink(const char *t) {
  for (; t && *t; t++)
    if (*t != ' ' && *t != '\n' && *t != '\r' && *t != '\t' && *t != '\f') return 1;
  return 0;
}

/* Reads a page without a text layer by OCR and appends its text; the first failure is kept in
 * err for the file's one line. */
static int ocr_page(presse_extracted *x, PopplerPage *page, presse_buf *err) {
  presse_buf text = PRESSE_BUF_INIT, why = PRESSE_BUF_INIT;
  int rc = presse_ocr_pdf_page(x->ocr, page, &text, &why);
  if (rc == PRESSE_OK && has_ink(text.data)) {
    if (x->text.len) rc = presse_buf_puts(&x->text, "\n\n");
    if (rc == PRESSE_OK) rc = append_page(&x->text, text.data);
    x->ocr_pages++;
  } else if (rc != PRESSE_OK && !err->len) {
    presse_buf_puts(err, why.len ? why.data : presse_strerror(rc));
  }
  presse_buf_free(&text);
  presse_buf_free(&why);
  return rc;
}

/* The title of a scanned release: the first line that is not a genre line, with the lines of its
 * paragraph that follow it (a title set over two lines), up to 250 bytes. */
static void scan_title(presse_extracted *x) {
  const char *t = x->text.data ? x->text.data : "";
  presse_extract_text_title(t, x->text.len, &x->title);
  const char *at = x->title.len ? strstr(t, x->title.data) : NULL;
  if (!at) return;
  const char *p = at + x->title.len;
  while (*p == '\n' && p[1] != '\n' && p[1] && x->title.len < 250) {
    const char *e = strchr(p + 1, '\n');
    size_t n = e ? (size_t)(e - p - 1) : strlen(p + 1);
    if (!n || x->title.len + n > 250) break;
    if (x->title.data[x->title.len - 1] == '-') x->title.data[--x->title.len] = '\0'; /* "Migranten-" */
    else presse_buf_putc(&x->title, ' ');
    presse_buf_append(&x->title, p + 1, n);
    p += 1 + n;
  }
}

/* Document-info titles that name a file, a template or the program that made the PDF
 * ("Enscript Output", "Microsoft Word - Dokument1", "Untitled"), not the release. */
static int useful_title(const char *t, PopplerDocument *doc) {
  if (!t) return 0;
  while (*t == ' ') t++;
  size_t n = strlen(t);
  if (n < 8 || n > 300) return 0;
  static const char *const junk_prefix[] = {"Microsoft Word - ", "Microsoft Word-", "Microsoft PowerPoint - ",
                                            "Microsoft Excel - ", "untitled", "Unbenannt", "Ohne Titel",
                                            "Dokument", "Document", "Vorlage", "Template", "Enscript Output",
                                            "Neues Dokument", "New Document"};
  for (size_t i = 0; i < sizeof junk_prefix / sizeof *junk_prefix; i++)
    if (!strncasecmp(t, junk_prefix[i], strlen(junk_prefix[i]))) return 0;
  static const char *const junk_suffix[] = {".pdf", ".doc", ".docx", ".odt", ".indd", ".rtf", ".txt"};
  for (size_t i = 0; i < sizeof junk_suffix / sizeof *junk_suffix; i++) {
    size_t k = strlen(junk_suffix[i]);
    if (n > k && !strcasecmp(t + n - k, junk_suffix[i])) return 0;
  }
  if (!strchr(t, ' ')) return 0; /* one word: a file name or a code */
  /* the name of the program that made the file ("LibreOffice Writer", "Adobe InDesign CS6") */
  char *prog[2] = {poppler_document_get_creator(doc), poppler_document_get_producer(doc)};
  int generator = 0;
  for (int i = 0; i < 2; i++) {
    if (prog[i] && strlen(prog[i]) >= 4 && (strstr(prog[i], t) || strstr(t, prog[i]))) generator = 1;
    g_free(prog[i]);
  }
  if (generator) return 0;
  return !presse_extract_is_generic_header(t, n);
}

int presse_format_pdf(const char *data, size_t len, size_t max_text, presse_extracted *x) {
  x->format = "pdf";
  size_t head = len < 1024 ? len : 1024, h = 0;
  while (h + 5 <= head && memcmp(data + h, "%PDF-", 5)) h++;
  if (h + 5 > head) return presse_extracted_fail(x, PRESSE_EFORMAT, "not a PDF file (no %%PDF- header)");
  size_t tail = len < 2048 ? len : 2048;
  int eof = 0;
  for (size_t i = len - tail; i + 5 <= len && !eof; i++) eof = !memcmp(data + i, "%%EOF", 5);
  if (!eof) return presse_extracted_fail(x, PRESSE_EFORMAT, "truncated PDF (no %%%%EOF at the end of the file)");

  presse_buf first_error = PRESSE_BUF_INIT;
  guint handler = g_log_set_handler("Poppler", (GLogLevelFlags)(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL), quiet_log,
                                    &first_error);
  GBytes *bytes = g_bytes_new_static(data, len);
  GError *gerr = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
  int rc = PRESSE_OK;
  presse_buf size_title = PRESSE_BUF_INIT, ocr_err = PRESSE_BUF_INIT;
  if (!doc) {
    if (gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED)
      rc = presse_extracted_fail(x, PRESSE_EFORMAT, "encrypted PDF (it needs a password)");
    else
      rc = presse_extracted_fail(x, PRESSE_EFORMAT, "damaged PDF: %s",
                                 first_error.len ? first_error.data : gerr ? gerr->message : "poppler cannot open it");
  } else {
    int n = poppler_document_get_n_pages(doc);
    for (int i = 0; i < n && rc == PRESSE_OK && x->text.len <= max_text; i++) {
      PopplerPage *page = poppler_document_get_page(doc, i);
      if (!page) continue;
      char *t = poppler_page_get_text(page);
      if (x->ocr && !has_ink(t)) { /* a scanned page: formats/ocr.c */
        if (ocr_page(x, page, &ocr_err) == PRESSE_OK) {
          g_free(t);
          t = NULL;
        }
      }
      if (t) {
        if (x->text.len) rc = presse_buf_puts(&x->text, "\n\n");
        presse_buf cols = PRESSE_BUF_INIT;
        int split = rc == PRESSE_OK ? split_columns(page, t, &cols) : 0;
        if (split < 0) rc = PRESSE_ENOMEM;
        if (rc == PRESSE_OK) rc = append_page(&x->text, split > 0 ? cols.data : t);
        presse_buf_free(&cols);
        if (i == 0) title_by_size(page, t, &size_title);
      }
      g_free(t);
      g_object_unref(page);
    }
    if (rc != PRESSE_OK) presse_extracted_fail(x, rc, "out of memory");
    else if (!has_ink(x->text.data) && ocr_err.len) /* scanned, and OCR could not read it */
      rc = presse_extracted_fail(x, PRESSE_EFORMAT, "no text layer in this PDF, and OCR failed: %s", ocr_err.data);
    char *title = poppler_document_get_title(doc);
    if (useful_title(title, doc)) presse_buf_puts(&x->title, title);
    else if (size_title.len) presse_buf_append(&x->title, size_title.data, size_title.len);
    else if (x->ocr_pages) /* a scan has no type sizes: its first paragraph that is not a genre line */
      scan_title(x);
    g_free(title);
    GDateTime *created = poppler_document_get_creation_date_time(doc);
    if (created) {
      int y, m, d;
      g_date_time_get_ymd(created, &y, &m, &d);
      if (y >= 1900 && y <= 2199) x->date_fallback = (unsigned)(y * 10000 + m * 100 + d);
      g_date_time_unref(created);
    }
    g_object_unref(doc);
  }
  if (gerr) g_error_free(gerr);
  g_bytes_unref(bytes);
  g_log_remove_handler("Poppler", handler);
  presse_buf_free(&first_error);
  presse_buf_free(&size_title);
  presse_buf_free(&ocr_err);
  return rc;
}
