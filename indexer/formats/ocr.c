/* OCR of scanned PDF pages: a page without a text layer is rendered by poppler (through cairo)
 * at 200 dpi, turned into 8-bit gray and read by Tesseract's C API with the German model
 * (Debian: tesseract-ocr-deu). The engine is loaded at the first scanned page and kept for the
 * indexer's lifetime: loading the model costs more than reading a page. The text goes through
 * the same pipeline as any PDF text (ligatures, line-end hyphens joined by the tokenizer).
 * Tesseract runs its own OpenMP threads with a fixed count in its code, which only the
 * environment variable OMP_THREAD_LIMIT caps (libgomp reads it before main): on a busy machine
 * OMP_THREAD_LIMIT=1 makes a page several times faster (the seed's 2 pages at load 10 on 2 cores:
 * 5 s instead of 15-27 s); README says so, and the tests set it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <poppler.h>
#include <tesseract/capi.h>

#include "indexer/formats/formats.h"
#include "presse/presse.h"

enum { OCR_DPI = 200 };

struct presse_ocr {
  TessBaseAPI *api;
  int failed;          /* the engine could not be loaded: every later page fails at once */
  char why[200];
};

int presse_ocr_new(presse_ocr **out) {
  *out = calloc(1, sizeof **out);
  return *out ? PRESSE_OK : PRESSE_ENOMEM;
}

void presse_ocr_free(presse_ocr *o) {
  if (!o) return;
  if (o->api) {
    TessBaseAPIEnd(o->api);
    TessBaseAPIDelete(o->api);
  }
  free(o);
}

static int engine(presse_ocr *o, presse_buf *err) {
  if (o->api) return PRESSE_OK;
  if (!o->failed) {
    TessBaseAPI *api = TessBaseAPICreate();
    if (api) TessBaseAPISetVariable(api, "debug_file", "/dev/null"); /* its own messages: ours say it */
    if (api && TessBaseAPIInit3(api, NULL, "deu") == 0) {
      o->api = api;
      return PRESSE_OK;
    }
    if (api) TessBaseAPIDelete(api);
    o->failed = 1;
    snprintf(o->why, sizeof o->why, "%s",
             "the German Tesseract model cannot be loaded (Debian: tesseract-ocr-deu; or --no-ocr)");
  }
  presse_buf_clear(err);
  presse_buf_puts(err, o->why);
  return PRESSE_ENOTFOUND;
}

int presse_ocr_pdf_page(presse_ocr *o, void *pdf_page, presse_buf *out, presse_buf *err) {
  PopplerPage *page = pdf_page;
  presse_buf_clear(out);
  int rc = engine(o, err);
  if (rc != PRESSE_OK) return rc;
  double wpt, hpt;
  poppler_page_get_size(page, &wpt, &hpt);
  int w = (int)(wpt * OCR_DPI / 72.0), h = (int)(hpt * OCR_DPI / 72.0);
  if (w <= 0 || h <= 0 || w > 20000 || h > 20000 || (long long)w * h > 100000000LL) {
    presse_buf_clear(err);
    presse_buf_printf(err, "page of %.0f x %.0f pt is too large to be read by OCR", wpt, hpt);
    return PRESSE_ETOOBIG;
  }
  cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(s);
    return PRESSE_ENOMEM;
  }
  cairo_t *cr = cairo_create(s);
  cairo_set_source_rgb(cr, 1, 1, 1); /* paper: a transparent page would read as black */
  cairo_paint(cr);
  cairo_scale(cr, OCR_DPI / 72.0, OCR_DPI / 72.0);
  poppler_page_render_for_printing(page, cr);
  cairo_destroy(cr);
  cairo_surface_flush(s);
  const unsigned char *px = cairo_image_surface_get_data(s);
  int stride = cairo_image_surface_get_stride(s);
  unsigned char *gray = malloc((size_t)w * (size_t)h);
  if (!gray) {
    cairo_surface_destroy(s);
    return PRESSE_ENOMEM;
  }
  for (int y = 0; y < h; y++) {
    const uint32_t *row = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
    for (int x = 0; x < w; x++) {
      uint32_t v = row[x];
      unsigned r = (v >> 16) & 0xFF, g = (v >> 8) & 0xFF, b = v & 0xFF;
      gray[(size_t)y * (size_t)w + (size_t)x] = (unsigned char)((r * 299 + g * 587 + b * 114) / 1000);
    }
  }
  cairo_surface_destroy(s);
  TessBaseAPISetPageSegMode(o->api, PSM_AUTO);
  TessBaseAPISetImage(o->api, gray, w, h, 1, w);
  TessBaseAPISetSourceResolution(o->api, OCR_DPI);
  char *text = TessBaseAPIGetUTF8Text(o->api);
  free(gray);
  if (!text) {
    TessBaseAPIClear(o->api);
    presse_buf_clear(err);
    presse_buf_puts(err, "OCR failed on the page");
    return PRESSE_EFORMAT;
  }
  rc = presse_buf_puts(out, text);
  TessDeleteText(text);
  TessBaseAPIClear(o->api);
  return rc;
}
