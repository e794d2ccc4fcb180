/* Feeds: RSS 2.0 (and RSS 1.0) and Atom, as the press pages of cities, police and ministries
 * publish them. The feed is read with libxml2 (no network, no external entities) in recovery
 * mode, up to four times --max-size: a feed that never ends stops there, and one cut off or
 * broken in its middle gives the items before the damage, with one line naming the error. One release
 * per item: its title, its date (RSS pubDate in RFC 822 form, Atom published/updated in ISO
 * 8601), its link (stored as "link"), its full content (content:encoded, Atom content) or else
 * its summary (description, summary), read with the HTML reader when it is markup. The item's
 * guid or Atom id, else its link, is its document id, so reading the feed again adds only new
 * items. The channel's title names the publisher ("Stadt Hagen - Pressemitteilungen"): evidence
 * for the issuer. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <libxml/parser.h>

#include "document/meta.h"
#include "indexer/formats/formats.h"
#include "indexer/indexer_internal.h"
#include "util/hash.h"
#include "util/path.h"

enum { MAX_ITEMS = 100000 };

typedef struct feedrun {
  presse_indexer *ix;
  const char *name;       /* as given: shown in reports */
  const char *path;       /* stored as the documents' path */
  const char *format;     /* "rss" or "atom" */
  presse_buf channel_org; /* the publisher the channel title names */
  presse_buf what, title, id, link, err_first;
  int err_line;
  unsigned items;
} feedrun;

/* The first error libxml2 reports for the feed, kept for our one line instead of its own. */
static void on_xml_error(void *ctx, const xmlError *e) {
  feedrun *fr = ctx;
  if (!e || fr->err_first.len || e->level < XML_ERR_ERROR) return;
  fr->err_line = e->line;
  presse_buf_puts(&fr->err_first, e->message ? e->message : "syntax error");
  while (fr->err_first.len && (fr->err_first.data[fr->err_first.len - 1] == '\n'))
    fr->err_first.data[--fr->err_first.len] = '\0';
}

static const char *lname(const xmlNode *n) { return (const char *)n->name; }

static const char *attr(const xmlNode *n, const char *name, char *buf, size_t sz) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
  if (!v) return NULL;
  snprintf(buf, sz, "%s", (const char *)v);
  xmlFree(v);
  return buf;
}

/* The text of an element into out (trimmed). */
static void content_of(const xmlNode *n, presse_buf *out) {
  presse_buf_clear(out);
  xmlChar *c = xmlNodeGetContent(n);
  if (!c) return;
  const char *s = (const char *)c;
  while (*s && isspace((unsigned char)*s)) s++;
  size_t len = strlen(s);
  while (len && isspace((unsigned char)s[len - 1])) len--;
  presse_buf_append(out, s, len);
  xmlFree(c);
}

/* Atom's type="xhtml": the markup itself, serialised. */
static void markup_of(xmlNode *n, presse_buf *out) {
  presse_buf_clear(out);
  xmlBufferPtr b = xmlBufferCreate();
  if (!b) return;
  for (xmlNode *c = n->children; c; c = c->next) xmlNodeDump(b, n->doc, c, 0, 0);
  presse_buf_append(out, (const char *)xmlBufferContent(b), (size_t)xmlBufferLength(b));
  xmlBufferFree(b);
}

/* A date of a feed: RFC 822 (RSS) or ISO 8601 (Atom, dc:date). */
static unsigned feed_date(const char *s) {
  unsigned d = presse_mail_date(s);
  return d ? d : presse_format_meta_date(s);
}

/* Text that is markup: tags or entities that the HTML reader should handle. */
static int looks_html(const char *s) {
  for (const char *p = s; *p; p++)
    if (*p == '<' && (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!')) return 1;
  return strstr(s, "&amp;") || strstr(s, "&nbsp;") || strstr(s, "&#");
}

static int read_item(feedrun *fr, xmlNode *item) {
  presse_indexer *ix = fr->ix;
  fr->items++;
  presse_buf_clear(&fr->title);
  presse_buf_clear(&fr->id);
  presse_buf_clear(&fr->link);
  presse_buf content = PRESSE_BUF_INIT, summary = PRESSE_BUF_INIT, tmp = PRESSE_BUF_INIT;
  int content_html = 1, summary_html = 1, title_html = 0;
  unsigned date = 0, updated = 0;
  char ab[64], href[2048];
  for (xmlNode *c = item->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    const char *n = lname(c);
    const char *type = attr(c, "type", ab, sizeof ab);
    int is_html = type ? (!strcmp(type, "html") || !strcmp(type, "xhtml") || strstr(type, "html") != NULL) : -1;
    if (!strcmp(n, "title")) {
      content_of(c, &fr->title);
      title_html = is_html == 1;
    } else if (!strcmp(n, "link")) {
      const char *rel = attr(c, "rel", ab, sizeof ab);
      const char *h = attr(c, "href", href, sizeof href);
      if (h && (!rel || !strcmp(rel, "alternate")) && !fr->link.len) presse_buf_puts(&fr->link, h);
      else if (!h && !fr->link.len) content_of(c, &fr->link);
    } else if (!strcmp(n, "guid") || !strcmp(n, "id")) {
      content_of(c, &fr->id);
    } else if (!strcmp(n, "pubDate") || !strcmp(n, "published") || !strcmp(n, "date") || !strcmp(n, "issued")) {
      content_of(c, &tmp);
      if (!date && tmp.len) date = feed_date(tmp.data);
    } else if (!strcmp(n, "updated") || !strcmp(n, "modified")) {
      content_of(c, &tmp);
      if (tmp.len) updated = feed_date(tmp.data);
    } else if (!strcmp(n, "encoded") || !strcmp(n, "content")) {
      if (type && !strcmp(type, "xhtml")) markup_of(c, &content);
      else content_of(c, &content);
      content_html = is_html;
    } else if (!strcmp(n, "description") || !strcmp(n, "summary")) {
      if (type && !strcmp(type, "xhtml")) markup_of(c, &summary);
      else content_of(c, &summary);
      summary_html = is_html;
    }
  }
  if (!date) date = updated;
  presse_buf_clear(&fr->what);
  presse_buf_printf(&fr->what, "%s: item %u", fr->name, fr->items);
  if (fr->id.len || fr->link.len) presse_buf_printf(&fr->what, " (%s)", fr->id.len ? fr->id.data : fr->link.data);
  int rc = PRESSE_OK;
  presse_buf *body = content.len ? &content : &summary;
  int html = body == &content ? content_html : summary_html;
  presse_extracted hx;
  memset(&hx, 0, sizeof hx);
  const char *text = body->data ? body->data : "";
  size_t tlen = body->len;
  /* RSS says nothing about its markup: what looks like HTML is read as HTML; Atom says type= */
  if (tlen && (html == 1 || (html == -1 && looks_html(text)))) {
    if (presse_format_html(text, tlen, &hx) == PRESSE_OK) {
      text = hx.text.data ? hx.text.data : "";
      tlen = hx.text.len;
    } else {
      tlen = 0;
    }
  }
  if (fr->title.len && (title_html || strchr(fr->title.data, '<'))) { /* "Neue <b>Radwege</b>" */
    size_t k = 0;
    int in_tag = 0;
    for (size_t i = 0; i < fr->title.len; i++) {
      char ch = fr->title.data[i];
      if (ch == '<') in_tag = 1;
      else if (ch == '>' && in_tag) in_tag = 0;
      else if (!in_tag) fr->title.data[k++] = ch;
    }
    fr->title.data[fr->title.len = k] = '\0';
  }
  size_t k = 0;
  while (k < tlen && isspace((unsigned char)text[k])) k++;
  if (k == tlen) {
    presse_indexer_report(ix, fr->what.data, "item without content (no content, description or summary)");
  } else {
    if (!fr->id.len && fr->link.len) presse_buf_append(&fr->id, fr->link.data, fr->link.len);
    if (!fr->id.len) { /* neither guid nor link: the item's title and date identify it */
      unsigned long long h = presse_fnv1a(PRESSE_FNV1A_INIT, fr->title.data, fr->title.len);
      presse_buf_printf(&fr->id, "feed:%s:%08u:%016llx", fr->path, date, h);
    }
    presse_record r = {0};
    r.id = fr->id.data;
    r.path = fr->path;
    r.title = fr->title.len ? fr->title.data : NULL;
    r.text = text;
    r.text_len = tlen;
    r.date = date;
    r.format = fr->format;
    presse_record_meta meta = {0};
    meta.link = fr->link.len ? fr->link.data : NULL;
    meta.issuer_hint = fr->channel_org.len ? fr->channel_org.data : NULL;
    rc = presse_indexer_item_status(ix, fr->what.data, presse_indexer_add_record_meta(ix, &r, &meta));
  }
  presse_extracted_free(&hx);
  presse_buf_free(&content);
  presse_buf_free(&summary);
  presse_buf_free(&tmp);
  return rc;
}

/* The line of the first item that the first XML error falls into or precedes: it and what
 * follows are what the parser had to guess. */
static int damaged(const xmlNode *item, int err_line, int next_line) {
  return err_line > 0 && (next_line == 0 || next_line > err_line) && (int)xmlGetLineNo(item) <= err_line + 1;
}

int presse_indexer_add_feed(presse_indexer *ix, const char *source) {
  const char *path = source;
  if (!strncasecmp(source, "http://", 7) || !strncasecmp(source, "https://", 8))
    return presse_indexer_fail(ix, PRESSE_EINVAL,
                               "feeds are read from files and file:// URLs only (presse has no HTTP client); "
                               "download the feed and give the file");
  if (!strncmp(source, "file://", 7)) path = source + 7;
  int fd = 0;
  if (strcmp(path, "-")) {
    struct stat st;
    fd = presse_indexer_open_file(ix, path, 0, &st);
    if (fd < 0) return fd;
  }
  /* a feed is a list of releases: it may be longer than one document, but not endless */
  size_t limit = ix->max_doc_bytes * 4;
  presse_buf in = PRESSE_BUF_INIT;
  int more;
  int rc = presse_indexer_read_bounded(ix, fd, limit, &in, &more);
  if (fd) close(fd);
  if (rc == PRESSE_OK && !in.len) rc = presse_indexer_fail(ix, PRESSE_EFORMAT, "empty file");
  if (rc != PRESSE_OK) {
    presse_buf_free(&in);
    return rc;
  }
  feedrun fr;
  memset(&fr, 0, sizeof fr);
  fr.ix = ix;
  fr.name = source;
  char *abs = strcmp(path, "-") ? presse_path_absolute(path) : NULL;
  fr.path = abs ? abs : path;
  /* recover: a feed cut off or broken in its middle still gives the items before the damage */
  xmlSetStructuredErrorFunc(&fr, (xmlStructuredErrorFunc)on_xml_error);
  xmlDocPtr doc = xmlReadMemory(in.data, (int)in.len, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_RECOVER | XML_PARSE_NOWARNING);
  xmlSetStructuredErrorFunc(NULL, NULL);
  presse_buf_free(&in);
  xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
  if (!root) {
    rc = presse_indexer_fail(ix, PRESSE_EFORMAT, "not XML, no feed: %s at line %d",
                             fr.err_first.len ? fr.err_first.data : "no root element", fr.err_line);
  } else if (!strcmp(lname(root), "rss") || !strcmp(lname(root), "RDF")) {
    fr.format = "rss";
  } else if (!strcmp(lname(root), "feed")) {
    fr.format = "atom";
  } else {
    rc = presse_indexer_fail(ix, PRESSE_EFORMAT, "not an RSS or Atom feed (the root element is <%s>)", lname(root));
  }
  /* the items: children of <channel> (RSS 2.0), of the root (RSS 1.0, Atom) */
  xmlNode *items[2] = {root, NULL};
  for (xmlNode *c = root && rc == PRESSE_OK ? root->children : NULL; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !strcmp(lname(c), "channel")) items[1] = c;
  for (int k = 0; k < 2 && rc == PRESSE_OK; k++)
    for (xmlNode *c = items[k] ? items[k]->children : NULL; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && !strcmp(lname(c), "title") && !fr.channel_org.len) {
        presse_buf t = PRESSE_BUF_INIT; /* "Stadt Hagen - Pressemitteilungen" names the publisher */
        content_of(c, &t);
        if (t.len) presse_meta_institution(ix->an, t.data, t.len, &fr.channel_org);
        presse_buf_free(&t);
      }
  int cut = 0;
  for (int k = 0; k < 2 && rc == PRESSE_OK && !cut; k++)
    for (xmlNode *c = items[k] ? items[k]->children : NULL; c && rc == PRESSE_OK; c = c->next) {
      if (c->type != XML_ELEMENT_NODE || (strcmp(lname(c), "item") && strcmp(lname(c), "entry"))) continue;
      const xmlNode *next = c->next;
      while (next && next->type != XML_ELEMENT_NODE) next = next->next;
      if (fr.err_first.len && damaged(c, fr.err_line, next ? (int)xmlGetLineNo(next) : 0)) {
        cut = 1;
        break;
      }
      if (ix->stop) rc = presse_indexer_fail(ix, PRESSE_EABORT, "interrupted");
      else if (fr.items >= MAX_ITEMS) cut = more = 1;
      else rc = read_item(&fr, c);
      if (cut) break;
    }
  if (rc == PRESSE_OK && (more || fr.err_first.len)) {
    char msg[600];
    if (more)
      snprintf(msg, sizeof msg, "feed longer than %zu bytes or %u items: read no further (%u items before were read)",
               limit, (unsigned)MAX_ITEMS, fr.items);
    else
      snprintf(msg, sizeof msg, "malformed feed: %s at line %d (%u items before it were read)", fr.err_first.data,
               fr.err_line, fr.items);
    if (!fr.items) rc = presse_indexer_fail(ix, PRESSE_EFORMAT, "%s", msg); /* nothing read: the feed failed */
    else presse_indexer_report(ix, source, msg);
  }
  xmlFreeDoc(doc);
  presse_buf *bufs[] = {&fr.channel_org, &fr.what, &fr.title, &fr.id, &fr.link, &fr.err_first};
  for (size_t i = 0; i < sizeof bufs / sizeof *bufs; i++) presse_buf_free(bufs[i]);
  free(abs);
  if (rc == PRESSE_OK) ix->last_container = 1;
  return rc;
}
