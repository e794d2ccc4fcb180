/* The Atom writer (RFC 4287): every search of presse-serve is a feed (/feed.atom?q=…), so a
 * journalist subscribes to person:"…" in a feed reader and hears of new releases. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/output_int.h"
#include "presse/presse.h"

/* Text for XML: & < > " ' escaped, and the characters XML 1.0 forbids (C0 controls but tab and
 * line breaks) left out, since one of them would make the whole feed unreadable. */
static int put_xml(presse_buf *b, const char *s) {
  int rc = PRESSE_OK;
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); rc == PRESSE_OK && *p; p++) {
    switch (*p) {
      case '&': rc = presse_buf_puts(b, "&amp;"); break;
      case '<': rc = presse_buf_puts(b, "&lt;"); break;
      case '>': rc = presse_buf_puts(b, "&gt;"); break;
      case '"': rc = presse_buf_puts(b, "&quot;"); break;
      case '\'': rc = presse_buf_puts(b, "&#39;"); break;
      default:
        if (*p >= 0x20 || *p == '\t' || *p == '\n' || *p == '\r') rc = presse_buf_putc(b, (char)*p);
    }
  }
  return rc;
}

/* "2025-01-30" as an RFC 3339 time; fallback when the release has no date. */
static void put_time(presse_buf *b, const char *date, const char *fallback) {
  if (date && strlen(date) == 10) presse_buf_printf(b, "%sT00:00:00Z", date);
  else presse_buf_puts(b, fallback);
}

static int put_entry_url(presse_buf *b, const char *base, const char *path, const char *id) {
  char *enc = NULL;
  if (presse_output_url_encode(id ? id : "", id ? strlen(id) : 0, &enc) != PRESSE_OK) return PRESSE_ENOMEM;
  presse_buf u = PRESSE_BUF_INIT;
  presse_buf_printf(&u, "%s%s%s", base, path, enc);
  int rc = put_xml(b, u.data);
  presse_buf_free(&u);
  free(enc);
  return rc;
}

int presse_output_atom(presse_analyzer *a, const presse_result *r, const presse_atom_opts *o, char **out) {
  *out = NULL;
  presse_buf b = PRESSE_BUF_INIT;
  const char *base = o->base_url ? o->base_url : "";
  char now[32];
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
  /* the feed was updated when its newest release was (hits come newest first) */
  const char *newest = presse_hits_count(r->hits) ? presse_hits_date(r->hits, 0) : NULL;
  presse_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
  presse_buf_puts(&b, "  <title>");
  put_xml(&b, o->title);
  presse_buf_puts(&b, "</title>\n  <id>");
  presse_buf u = PRESSE_BUF_INIT;
  presse_buf_printf(&u, "%s%s", base, o->self ? o->self : "/feed.atom");
  put_xml(&b, u.data);
  presse_buf_puts(&b, "</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"");
  put_xml(&b, u.data);
  presse_buf_puts(&b, "\"/>\n");
  presse_buf_free(&u);
  if (o->alternate) {
    presse_buf_puts(&b, "  <link rel=\"alternate\" type=\"text/html\" href=\"");
    presse_buf_printf(&u, "%s%s", base, o->alternate);
    put_xml(&b, u.data);
    presse_buf_free(&u);
    presse_buf_puts(&b, "\"/>\n");
  }
  presse_buf_puts(&b, "  <updated>");
  put_time(&b, newest, now);
  presse_buf_puts(&b, "</updated>\n  <author><name>presse</name></author>\n  <generator version=\"" PRESSE_VERSION
                      "\">presse-serve</generator>\n");
  for (size_t i = 0; i < presse_hits_count(r->hits); i++) {
    const presse_hits *h = r->hits;
    const char *id = presse_hits_id(h, i), *title = presse_hits_title(h, i), *date = presse_hits_date(h, i);
    const char *issuer = presse_hits_issuer(h, i);
    size_t tlen = 0;
    const char *text = presse_hits_text(h, i, &tlen);
    presse_snippet sn;
    int have_sn = text && r->query && presse_snippet_make(a, r->query, text, tlen, 400, &sn) == PRESSE_OK;
    presse_buf_puts(&b, "  <entry>\n    <id>");
    put_entry_url(&b, base, "/api/doc/", id);
    presse_buf_puts(&b, "</id>\n    <title type=\"text\">");
    put_xml(&b, title && *title ? title : "(ohne Titel)");
    presse_buf_puts(&b, "</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
    put_entry_url(&b, base, "/?doc=", id);
    presse_buf_puts(&b, "\"/>\n    <updated>");
    put_time(&b, date, "1970-01-01T00:00:00Z");
    presse_buf_puts(&b, "</updated>\n");
    if (date && strlen(date) == 10) {
      presse_buf_puts(&b, "    <published>");
      put_time(&b, date, "");
      presse_buf_puts(&b, "</published>\n");
    }
    if (issuer && *issuer) {
      presse_buf_puts(&b, "    <author><name>");
      put_xml(&b, issuer);
      presse_buf_puts(&b, "</name></author>\n");
    }
    presse_buf_puts(&b, "    <summary type=\"text\">");
    put_xml(&b, have_sn ? sn.text : "");
    presse_buf_puts(&b, "</summary>\n  </entry>\n");
    if (have_sn) presse_snippet_free(&sn);
  }
  int rc = presse_buf_puts(&b, "</feed>\n");
  if (rc != PRESSE_OK) {
    presse_buf_free(&b);
    return PRESSE_ENOMEM;
  }
  *out = presse_buf_detach(&b);
  return PRESSE_OK;
}
