/* Word (DOCX) and OpenDocument (ODT) files: ZIP archives of XML parts, opened in memory with
 * libzip and parsed with libxml2 (no network, no entity expansion). We read the body text
 * paragraph by paragraph, the page headers (a letterhead usually lives there) before it, and the
 * document properties: DOCX docProps/core.xml (dc:title, dcterms:created) and docProps/app.xml
 * (Company, the issuer hint); ODT meta.xml (dc:title, meta:creation-date) and the headers of
 * styles.xml. Deleted text of tracked changes, field codes, comments and the fallback copies of
 * text boxes are not part of the release. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "indexer/extract.h"
#include "indexer/formats/formats.h"
#include "presse/presse.h"

/* ---- the container ---- */

static int open_zip(const char *data, size_t len, const char *what, zip_t **out, presse_extracted *x) {
  *out = NULL;
  if (len < 4 || memcmp(data, "PK\3\4", 4))
    return presse_extracted_fail(x, PRESSE_EFORMAT, "not a valid %s file (not a ZIP archive)", what);
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
  zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
  if (!z) {
    int rc = presse_extracted_fail(x, PRESSE_EFORMAT, "broken ZIP archive, not a readable %s document: %s", what,
                                   zip_error_strerror(&ze));
    zip_source_free(src);
    zip_error_fini(&ze);
    return rc;
  }
  zip_error_fini(&ze);
  *out = z;
  return PRESSE_OK;
}

/* Reads one part; PRESSE_ENOTFOUND if the archive has none of that name. max bounds the
 * uncompressed size, so a zip bomb costs nothing. */
static int read_part(zip_t *z, const char *name, size_t max, presse_buf *out, presse_extracted *x) {
  presse_buf_clear(out);
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(z, name, 0, &st) != 0) return PRESSE_ENOTFOUND;
  if ((st.valid & ZIP_STAT_SIZE) && st.size > max)
    return presse_extracted_fail(x, PRESSE_ETOOBIG, "%s unpacks to %llu bytes, over the limit of %zu bytes", name,
                                 (unsigned long long)st.size, max);
  zip_file_t *f = zip_fopen(z, name, 0);
  if (!f) return presse_extracted_fail(x, PRESSE_EFORMAT, "cannot open %s in the archive: %s", name, zip_strerror(z));
  char chunk[65536];
  zip_int64_t n;
  int rc = PRESSE_OK;
  while ((n = zip_fread(f, chunk, sizeof chunk)) > 0) {
    if (out->len + (size_t)n > max) {
      rc = presse_extracted_fail(x, PRESSE_ETOOBIG, "%s unpacks to more than %zu bytes", name, max);
      break;
    }
    if (presse_buf_append(out, chunk, (size_t)n) != PRESSE_OK) {
      rc = presse_extracted_fail(x, PRESSE_ENOMEM, "out of memory");
      break;
    }
  }
  if (rc == PRESSE_OK && n < 0)
    rc = presse_extracted_fail(x, PRESSE_EFORMAT, "broken ZIP archive: cannot read %s: %s", name,
                               zip_file_strerror(f));
  zip_fclose(f);
  return rc;
}

static xmlDocPtr parse_xml(const presse_buf *b, const char *name) {
  if (!b->len || b->len > 0x7fffffff) return NULL;
  xmlInitParser();
  return xmlReadMemory(b->data, (int)b->len, name, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

/* The document node, from which first() searches the whole tree. */
static xmlNode *top(xmlDocPtr d) { return (xmlNode *)d; }

static int is(const xmlNode *n, const char *local) {
  return n->type == XML_ELEMENT_NODE && n->name && !strcmp((const char *)n->name, local);
}

static const char *attr_local(const xmlNode *n, const char *local) {
  for (xmlAttr *a = n->properties; a; a = a->next)
    if (a->name && !strcmp((const char *)a->name, local))
      return a->children && a->children->content ? (const char *)a->children->content : "";
  return NULL;
}

/* The text of the first element with this local name, or NULL. */
static xmlNode *first(xmlNode *n, const char *local) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
    if (is(c, local)) return c;
    xmlNode *r = first(c, local);
    if (r) return r;
  }
  return NULL;
}

static void text_of(const xmlNode *n, presse_buf *out) {
  for (const xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && c->content) presse_buf_puts(out, (const char *)c->content);
    else if (c->type == XML_ELEMENT_NODE) text_of(c, out);
  }
}

static void trim(presse_buf *b) {
  size_t a = 0;
  while (a < b->len && (b->data[a] == ' ' || b->data[a] == '\n' || b->data[a] == '\t')) a++;
  size_t e = b->len;
  while (e > a && (b->data[e - 1] == ' ' || b->data[e - 1] == '\n' || b->data[e - 1] == '\t')) e--;
  if (a) memmove(b->data, b->data + a, e - a);
  b->len = e - a;
  if (b->data) b->data[b->len] = '\0';
}

/* ---- the text walk, shared by both dialects ---- */

typedef struct owalk {
  presse_buf *out;
  int odt;
  presse_buf styled_title; /* the first paragraph styled as a title or top heading */
  int in_title;
  size_t title_start;
} owalk;

static void paragraph_break(presse_buf *out) {
  while (out->len && out->data[out->len - 1] == ' ') out->data[--out->len] = '\0';
  if (!out->len) return;
  size_t have = 0;
  while (have < out->len && have < 2 && out->data[out->len - 1 - have] == '\n') have++;
  for (size_t i = have; i < 2; i++) presse_buf_putc(out, '\n');
}

/* Style ids of titles: Word writes English ids, localised ones with the umlaut dropped
 * ("berschrift1" for "Überschrift 1"); ODF writes "Title" or the heading level. */
static int title_style(const char *v) {
  static const char *const ids[] = {"Title", "Titel", "Heading1", "berschrift1", "Überschrift1", "Heading_20_1",
                                    NULL};
  if (!v) return 0;
  for (size_t i = 0; ids[i]; i++)
    if (!strcasecmp(v, ids[i])) return 1;
  return 0;
}

static void walk(owalk *w, xmlNode *n);

/* A paragraph of either format, then a paragraph break. title: its text is the styled title,
 * unless it is only a genre line ("Pressemitteilung"): then the next title-styled paragraph is. */
static void paragraph(owalk *w, xmlNode *p, int title) {
  size_t start = w->out->len;
  walk(w, p);
  if (title && w->out->len > start) { /* an empty Title paragraph adds nothing (and out may have no data yet) */
    presse_buf_append(&w->styled_title, w->out->data + start, w->out->len - start);
    trim(&w->styled_title);
    if (presse_extract_is_generic_header(w->styled_title.data, w->styled_title.len))
      presse_buf_clear(&w->styled_title);
  }
  paragraph_break(w->out);
}

/* A table cell of either format: its text, then a tab. */
static void table_cell(owalk *w, xmlNode *c) {
  walk(w, c);
  presse_buf_putc(w->out, '\t');
}

static void walk(owalk *w, xmlNode *n) {
  for (xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE) {
      /* DOCX: only w:t holds text; ODF: text sits directly in text:p and its spans */
      if (w->odt && c->content) presse_buf_puts(w->out, (const char *)c->content);
      continue;
    }
    if (c->type != XML_ELEMENT_NODE) continue;
    if (!w->odt) {
      if (is(c, "t")) {
        text_of(c, w->out);
        continue;
      }
      if (is(c, "tab")) {
        presse_buf_putc(w->out, '\t');
        continue;
      }
      if (is(c, "br") || is(c, "cr")) {
        presse_buf_putc(w->out, '\n');
        continue;
      }
      if (is(c, "noBreakHyphen")) {
        presse_buf_putc(w->out, '-');
        continue;
      }
      if (is(c, "softHyphen")) {
        presse_buf_puts(w->out, "\xC2\xAD");
        continue;
      }
      /* deleted text, field codes, properties, the fallback copy of a text box */
      if (is(c, "del") || is(c, "delText") || is(c, "instrText") || is(c, "rPr") || is(c, "pPr") ||
          is(c, "Fallback") || is(c, "footnoteReference") || is(c, "commentReference"))
        continue;
      if (is(c, "p")) {
        xmlNode *ppr = first(c, "pStyle");
        paragraph(w, c, !w->styled_title.len && !w->in_title && ppr && title_style(attr_local(ppr, "val")));
        continue;
      }
      if (is(c, "tc")) {
        table_cell(w, c);
        continue;
      }
      walk(w, c);
      continue;
    }
    /* ODF */
    if (is(c, "s")) {
      const char *k = attr_local(c, "c");
      int count = k ? atoi(k) : 1;
      for (int i = 0; i < count && i < 1000; i++) presse_buf_putc(w->out, ' ');
      continue;
    }
    if (is(c, "tab")) {
      presse_buf_putc(w->out, '\t');
      continue;
    }
    if (is(c, "line-break")) {
      presse_buf_putc(w->out, '\n');
      continue;
    }
    if (is(c, "annotation") || is(c, "annotation-end") || is(c, "tracked-changes") || is(c, "note") ||
        is(c, "sequence-decls") || is(c, "soft-page-break") || is(c, "deletion"))
      continue;
    if (is(c, "p") || is(c, "h")) {
      const char *lvl = attr_local(c, "outline-level");
      paragraph(w, c,
                !w->styled_title.len &&
                    ((is(c, "h") && (!lvl || !strcmp(lvl, "1"))) || title_style(attr_local(c, "style-name"))));
      continue;
    }
    if (is(c, "table-cell")) {
      table_cell(w, c);
      continue;
    }
    walk(w, c);
  }
}

/* A document-property title worth taking: three words or more, not a genre line. */
static int useful_title(const presse_buf *t) {
  if (!t->len || t->len > 300) return 0;
  size_t words = 1;
  for (size_t i = 0; i < t->len; i++) words += t->data[i] == ' ';
  return words >= 3 && !presse_extract_is_generic_header(t->data, t->len);
}

/* The body text, then: title = styled title, else property title, else the body's first line. */
static void finish(presse_extracted *x, owalk *w, const presse_buf *letterhead, const presse_buf *prop_title) {
  trim(&x->text);
  if (w->styled_title.len) presse_buf_append(&x->title, w->styled_title.data, w->styled_title.len);
  else if (useful_title(prop_title)) presse_buf_append(&x->title, prop_title->data, prop_title->len);
  else presse_extract_text_title(x->text.data ? x->text.data : "", x->text.len, &x->title);
  if (letterhead->len) { /* the letterhead goes first, as on the page */
    presse_buf all = PRESSE_BUF_INIT;
    presse_buf_append(&all, letterhead->data, letterhead->len);
    presse_buf_puts(&all, "\n\n");
    presse_buf_append(&all, x->text.data ? x->text.data : "", x->text.len);
    presse_buf_free(&x->text);
    x->text = all;
  }
}

/* Appends the text of every element with this local name (headers of styles.xml). */
static void collect(xmlNode *n, const char *local, int odt, presse_buf *out) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
    if (is(c, local)) {
      owalk w = {out, odt, PRESSE_BUF_INIT, 0, 0};
      w.in_title = 1;
      walk(&w, c);
      presse_buf_free(&w.styled_title);
      paragraph_break(out);
    } else {
      collect(c, local, odt, out);
    }
  }
}

/* ---- DOCX ---- */

/* The document properties (DOCX docProps/core.xml, ODT meta.xml): the title and, as a fallback
 * date, the creation date in the element named created. A missing or broken part is no error. */
static void read_properties(zip_t *z, const char *name, const char *created, size_t max_part, presse_buf *part,
                            presse_extracted *x, presse_buf *prop_title) {
  if (read_part(z, name, max_part, part, x) != PRESSE_OK) return;
  xmlDocPtr props = parse_xml(part, name);
  if (!props) return;
  xmlNode *t = first(top(props), "title");
  if (t) {
    text_of(t, prop_title);
    trim(prop_title);
  }
  xmlNode *cr = first(top(props), created);
  if (cr) {
    presse_buf d = PRESSE_BUF_INIT;
    text_of(cr, &d);
    x->date_fallback = presse_format_meta_date(d.data);
    presse_buf_free(&d);
  }
  xmlFreeDoc(props);
}

int presse_format_docx(const char *data, size_t len, size_t max_part, presse_extracted *x) {
  x->format = "docx";
  zip_t *z;
  int rc = open_zip(data, len, "DOCX", &z, x);
  if (rc != PRESSE_OK) return rc;
  presse_buf part = PRESSE_BUF_INIT, letterhead = PRESSE_BUF_INIT, prop_title = PRESSE_BUF_INIT;
  rc = read_part(z, "word/document.xml", max_part, &part, x);
  if (rc == PRESSE_ENOTFOUND)
    rc = presse_extracted_fail(x, PRESSE_EFORMAT, "a ZIP archive without word/document.xml: not a DOCX document");
  xmlDocPtr doc = rc == PRESSE_OK ? parse_xml(&part, "document.xml") : NULL;
  if (rc == PRESSE_OK && !doc) rc = presse_extracted_fail(x, PRESSE_EFORMAT, "broken DOCX: word/document.xml is not XML");
  if (rc == PRESSE_OK) {
    owalk w = {&x->text, 0, PRESSE_BUF_INIT, 0, 0};
    xmlNode *body = first(top(doc), "body");
    if (body) walk(&w, body);
    /* page headers: the letterhead */
    for (int i = 1; i <= 3; i++) {
      char name[32];
      snprintf(name, sizeof name, "word/header%d.xml", i);
      if (read_part(z, name, max_part, &part, x) != PRESSE_OK) continue;
      xmlDocPtr h = parse_xml(&part, name);
      if (!h) continue;
      presse_buf one = PRESSE_BUF_INIT;
      owalk hw = {&one, 0, PRESSE_BUF_INIT, 1, 0};
      walk(&hw, top(h));
      presse_buf_free(&hw.styled_title);
      trim(&one);
      /* first-page, default and even-page headers mostly say the same: once is enough */
      if (one.len && !(letterhead.data && strstr(letterhead.data, one.data))) {
        paragraph_break(&letterhead);
        presse_buf_append(&letterhead, one.data, one.len);
      }
      presse_buf_free(&one);
      xmlFreeDoc(h);
    }
    trim(&letterhead);
    read_properties(z, "docProps/core.xml", "created", max_part, &part, x, &prop_title);
    if (read_part(z, "docProps/app.xml", max_part, &part, x) == PRESSE_OK) {
      xmlDocPtr app = parse_xml(&part, "app.xml");
      if (app) {
        xmlNode *co = first(top(app), "Company");
        if (co) {
          text_of(co, &x->issuer_hint);
          trim(&x->issuer_hint);
        }
        xmlFreeDoc(app);
      }
    }
    finish(x, &w, &letterhead, &prop_title);
    presse_buf_free(&w.styled_title);
    presse_buf_clear(&x->err);
  }
  xmlFreeDoc(doc);
  presse_buf_free(&part);
  presse_buf_free(&letterhead);
  presse_buf_free(&prop_title);
  zip_close(z);
  return rc;
}

/* ---- ODT ---- */

int presse_format_odt(const char *data, size_t len, size_t max_part, presse_extracted *x) {
  x->format = "odt";
  zip_t *z;
  int rc = open_zip(data, len, "ODT", &z, x);
  if (rc != PRESSE_OK) return rc;
  presse_buf part = PRESSE_BUF_INIT, letterhead = PRESSE_BUF_INIT, prop_title = PRESSE_BUF_INIT;
  rc = read_part(z, "mimetype", 256, &part, x);
  if (rc == PRESSE_OK && (part.len < 39 || memcmp(part.data, "application/vnd.oasis.opendocument.text", 39)))
    rc = presse_extracted_fail(x, PRESSE_EFORMAT, "an OpenDocument file that is not a text document (%.*s)",
                               (int)(part.len < 80 ? part.len : 80), part.data ? part.data : "");
  else if (rc == PRESSE_ENOTFOUND)
    rc = presse_extracted_fail(x, PRESSE_EFORMAT, "a ZIP archive without an OpenDocument mimetype: not an ODT document");
  if (rc == PRESSE_OK) {
    rc = read_part(z, "content.xml", max_part, &part, x);
    if (rc == PRESSE_ENOTFOUND) rc = presse_extracted_fail(x, PRESSE_EFORMAT, "broken ODT: no content.xml");
  }
  xmlDocPtr doc = rc == PRESSE_OK ? parse_xml(&part, "content.xml") : NULL;
  if (rc == PRESSE_OK && !doc) rc = presse_extracted_fail(x, PRESSE_EFORMAT, "broken ODT: content.xml is not XML");
  if (rc == PRESSE_OK) {
    owalk w = {&x->text, 1, PRESSE_BUF_INIT, 0, 0};
    xmlNode *body = first(top(doc), "body");
    if (body) walk(&w, body);
    if (read_part(z, "styles.xml", max_part, &part, x) == PRESSE_OK) {
      xmlDocPtr st = parse_xml(&part, "styles.xml");
      if (st) {
        collect(top(st), "header", 1, &letterhead);
        trim(&letterhead);
        xmlFreeDoc(st);
      }
    }
    read_properties(z, "meta.xml", "creation-date", max_part, &part, x, &prop_title);
    finish(x, &w, &letterhead, &prop_title);
    presse_buf_free(&w.styled_title);
    presse_buf_clear(&x->err);
  }
  xmlFreeDoc(doc);
  presse_buf_free(&part);
  presse_buf_free(&letterhead);
  presse_buf_free(&prop_title);
  zip_close(z);
  return rc;
}
