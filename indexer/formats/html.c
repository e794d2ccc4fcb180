/* HTML pages: the release without the site around it. libxml2's HTML parser (the same tolerant
 * parser xmllint --html uses) builds the tree; we pick the content root (<main>, role="main", the
 * longest <article>, else <body>), walk it and keep the text of its blocks, dropping what every
 * site wraps around a release: navigation, page header and footer, asides, scripts, styles,
 * forms, hidden and screen-reader-only elements, and link lists (three or more links that make
 * up most of their block's text). Metadata: og:title, <h1>, <title>; article:published_time,
 * <time datetime>; og:site_name and publisher as the issuer hint. */
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "indexer/extract.h"
#include "indexer/formats/formats.h"
#include "presse/presse.h"

typedef struct walk {
  presse_extracted *x;
  xmlNode *root;      /* the content root; header/footer inside it belong to the release */
  int root_is_body;
  int pre;            /* inside <pre>: whitespace is kept */
  presse_buf h1;      /* the first <h1> in the content */
  unsigned time_date; /* the first <time> in the content */
  int rc;
} walk;

static int name_is(const xmlNode *n, const char *name) {
  return n->type == XML_ELEMENT_NODE && n->name && !strcasecmp((const char *)n->name, name);
}

static const char *attr(const xmlNode *n, const char *name) {
  for (xmlAttr *a = n->properties; a; a = a->next)
    if (a->name && !strcasecmp((const char *)a->name, name))
      return a->children && a->children->content ? (const char *)a->children->content : "";
  return NULL;
}

static int in_list(const char *s, size_t n, const char *const *list) {
  for (size_t i = 0; list[i]; i++)
    if (strlen(list[i]) == n && !strncasecmp(s, list[i], n)) return 1;
  return 0;
}

/* Elements whose content is never part of a release. */
static const char *const dropped_tags[] = {"script", "style",  "noscript", "template", "nav",    "aside",
                                           "form",   "button", "select",   "option",   "textarea", "iframe",
                                           "svg",    "canvas", "video",    "audio",    "object", "embed",
                                           "map",    "head",   "dialog",   "menu",     "input",  NULL};
/* Words in class or id that mark site furniture ("main-nav", "breadcrumb", "sr-only"). */
static const char *const furniture[] = {"nav",     "navbar",   "navigation", "menu",     "breadcrumb", "breadcrumbs",
                                        "cookie",  "cookies",  "consent",    "banner",   "sidebar",    "skip",
                                        "skiplink", "share",   "sharing",    "social",   "related",    "newsletter",
                                        "pagination", "pager", "toolbar",    "sr",       "visually",
                                        "offcanvas", "topbar", "metanav",    "servicenav", NULL};
static const char *const roles[] = {"navigation", "banner", "contentinfo", "complementary", "search", "menu",
                                    "menubar",    "dialog", NULL};

/* Does a class/id value contain one of the words (split at spaces, '-' and '_')? "page-header"
 * has "header". */
static int has_word(const char *v, const char *const *words, const char *also1, const char *also2) {
  if (!v) return 0;
  const char *p = v;
  while (*p) {
    while (*p && !isalnum((unsigned char)*p)) p++;
    const char *s = p;
    while (*p && isalnum((unsigned char)*p)) p++;
    size_t n = (size_t)(p - s);
    if (!n) continue;
    if (in_list(s, n, words)) return 1;
    if (also1 && strlen(also1) == n && !strncasecmp(s, also1, n)) return 1;
    if (also2 && strlen(also2) == n && !strncasecmp(s, also2, n)) return 1;
  }
  return 0;
}

static int is_block(const xmlNode *n) {
  static const char *const blocks[] = {"p",     "div",  "section", "article", "main",       "h1",     "h2",
                                       "h3",    "h4",   "h5",      "h6",      "li",         "ul",     "ol",
                                       "dl",    "dt",   "dd",      "table",   "tr",         "blockquote", "pre",
                                       "address", "figure", "figcaption", "header", "footer", "hr", "body",
                                       "caption", NULL};
  return n->type == XML_ELEMENT_NODE && in_list((const char *)n->name, strlen((const char *)n->name), blocks);
}

/* Text length of a subtree and how much of it sits inside links: for the link-list test. */
static void measure(const xmlNode *n, int in_link, size_t *text, size_t *link, size_t *links) {
  for (const xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && c->content) {
      size_t k = 0;
      for (const xmlChar *p = c->content; *p; p++)
        if (!isspace(*p)) k++;
      *text += k;
      if (in_link) *link += k;
    } else if (c->type == XML_ELEMENT_NODE) {
      int a = name_is(c, "a");
      if (a) (*links)++;
      measure(c, in_link || a, text, link, links);
    }
  }
}

static int dropped(const walk *w, const xmlNode *n) {
  const char *name = (const char *)n->name;
  if (in_list(name, strlen(name), dropped_tags)) return 1;
  int outside_release = w->root_is_body; /* header/footer of the page, not of the article */
  if (outside_release && (name_is(n, "header") || name_is(n, "footer"))) return 1;
  if (attr(n, "hidden")) return 1;
  const char *v = attr(n, "aria-hidden");
  if (v && !strcasecmp(v, "true")) return 1;
  v = attr(n, "style");
  if (v) {
    const char *d = strstr(v, "display");
    if (d) {
      d += 7;
      while (*d == ' ' || *d == ':') d++;
      if (!strncasecmp(d, "none", 4)) return 1;
    }
  }
  v = attr(n, "role");
  if (v && in_list(v, strlen(v), roles)) return 1;
  const char *hf1 = outside_release ? "header" : NULL, *hf2 = outside_release ? "footer" : NULL;
  if (has_word(attr(n, "class"), furniture, hf1, hf2) || has_word(attr(n, "id"), furniture, hf1, hf2)) return 1;
  /* a block that is mostly links is a menu or a list of other releases */
  if (name_is(n, "ul") || name_is(n, "ol") || name_is(n, "div") || name_is(n, "section") || name_is(n, "table") ||
      name_is(n, "p")) {
    size_t text = 0, link = 0, links = 0;
    measure(n, 0, &text, &link, &links);
    if (links >= 3 && link * 10 >= text * 6) return 1;
  }
  return 0;
}

/* Paragraph breaks: at most one blank line, none at the start. */
static void newlines(walk *w, int n) {
  presse_buf *t = &w->x->text;
  while (t->len && t->data[t->len - 1] == ' ') t->data[--t->len] = '\0';
  if (!t->len) return;
  size_t have = 0;
  while (have < t->len && have < 2 && t->data[t->len - 1 - have] == '\n') have++;
  for (int i = (int)have; i < n; i++)
    if (presse_buf_putc(t, '\n') != PRESSE_OK) w->rc = PRESSE_ENOMEM;
}

static void put_text(walk *w, const char *s) {
  presse_buf *t = &w->x->text;
  if (w->pre) {
    if (presse_buf_puts(t, s) != PRESSE_OK) w->rc = PRESSE_ENOMEM;
    return;
  }
  /* HTML whitespace collapses to one space; a line break from the source is just a space */
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      if (t->len && t->data[t->len - 1] != ' ' && t->data[t->len - 1] != '\n')
        if (presse_buf_putc(t, ' ') != PRESSE_OK) w->rc = PRESSE_ENOMEM;
    } else if (presse_buf_putc(t, (char)c) != PRESSE_OK) {
      w->rc = PRESSE_ENOMEM;
    }
  }
}

/* The text of a subtree, whitespace collapsed (for titles). */
static void text_of(const xmlNode *n, presse_buf *out) {
  for (const xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && c->content) {
      for (const xmlChar *p = c->content; *p; p++) {
        if (isspace(*p)) {
          if (out->len && out->data[out->len - 1] != ' ') presse_buf_putc(out, ' ');
        } else {
          presse_buf_putc(out, (char)*p);
        }
      }
    } else if (c->type == XML_ELEMENT_NODE && !name_is(c, "script") && !name_is(c, "style")) {
      if (name_is(c, "br") && out->len && out->data[out->len - 1] != ' ') presse_buf_putc(out, ' ');
      text_of(c, out);
    }
  }
}

static void trim(presse_buf *b) {
  size_t a = 0;
  while (a < b->len && isspace((unsigned char)b->data[a])) a++;
  size_t e = b->len;
  while (e > a && isspace((unsigned char)b->data[e - 1])) e--;
  if (a) memmove(b->data, b->data + a, e - a);
  b->len = e - a;
  if (b->data) b->data[b->len] = '\0';
}

/* "[Kontakt](mailto:...)": an address only in the link target would be lost with the markup. */
static void link_target(walk *w, const xmlNode *a, size_t start) {
  const char *href = attr(a, "href");
  if (!href) return;
  const char *shown;
  if (!strncasecmp(href, "mailto:", 7)) shown = href + 7;
  else if (!strncasecmp(href, "tel:", 4)) shown = href + 4;
  else return;
  size_t n = strcspn(shown, "?");
  if (!n) return;
  presse_buf *t = &w->x->text;
  for (size_t i = start; i + n <= t->len; i++)
    if (!strncasecmp(t->data + i, shown, n)) return;
  /* a phone number shown with spaces or slashes counts as shown */
  if (shown == href + 4 && t->len > start) return;
  presse_buf_puts(t, " (");
  presse_buf_append(t, shown, n);
  presse_buf_putc(t, ')');
}

static void walk_node(walk *w, xmlNode *n) {
  for (xmlNode *c = n->children; c && w->rc == PRESSE_OK; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) put_text(w, (const char *)c->content);
      continue;
    }
    if (c->type != XML_ELEMENT_NODE || dropped(w, c)) continue;
    if (name_is(c, "br")) {
      newlines(w, 1);
      continue;
    }
    if (name_is(c, "img")) continue;
    if (name_is(c, "time") && !w->time_date) {
      const char *dt = attr(c, "datetime");
      presse_buf tb = PRESSE_BUF_INIT;
      if (!dt) text_of(c, &tb);
      w->time_date = presse_format_meta_date(dt ? dt : tb.data);
      presse_buf_free(&tb);
    }
    int block = is_block(c);
    if (block) newlines(w, 2);
    if (name_is(c, "td") || name_is(c, "th")) put_text(w, " ");
    if (name_is(c, "h1") && !w->h1.len) {
      text_of(c, &w->h1);
      trim(&w->h1);
      if (w->h1.len && presse_extract_is_generic_header(w->h1.data, w->h1.len)) presse_buf_clear(&w->h1);
    }
    int pre = name_is(c, "pre");
    w->pre += pre;
    size_t start = w->x->text.len;
    walk_node(w, c);
    w->pre -= pre;
    if (name_is(c, "a")) link_target(w, c, start);
    if (block) newlines(w, 2);
  }
}

/* The first element with this name (depth first), or with role="main" when name is NULL. */
static xmlNode *find(xmlNode *n, const char *name) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (name ? name_is(c, name) : (attr(c, "role") && !strcasecmp(attr(c, "role"), "main"))) return c;
    xmlNode *r = find(c, name);
    if (r) return r;
  }
  return NULL;
}

static void longest_article(xmlNode *n, xmlNode **best, size_t *best_len) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (name_is(c, "article")) {
      size_t text = 0, link = 0, links = 0;
      measure(c, 0, &text, &link, &links);
      if (text > *best_len) {
        *best = c;
        *best_len = text;
      }
      continue; /* an article inside an article is part of it */
    }
    longest_article(c, best, best_len);
  }
}

typedef struct head_meta {
  presse_buf og_title, title, site;
  unsigned date;
} head_meta;

static void read_meta(xmlNode *n, head_meta *m, presse_extracted *x) {
  for (xmlNode *c = n ? n->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (name_is(c, "meta")) {
      const char *key = attr(c, "property");
      if (!key) key = attr(c, "name");
      if (!key) key = attr(c, "itemprop");
      const char *val = attr(c, "content");
      if (!key || !val || !*val) continue;
      if (!strcasecmp(key, "og:title") && !m->og_title.len) presse_buf_puts(&m->og_title, val);
      else if (!strcasecmp(key, "og:site_name") && !m->site.len) presse_buf_puts(&m->site, val);
      else if ((!strcasecmp(key, "publisher") || !strcasecmp(key, "dc.publisher") ||
                !strcasecmp(key, "dcterms.publisher")) && !x->issuer_hint.len)
        presse_buf_puts(&x->issuer_hint, val);
      else if (!m->date && (!strcasecmp(key, "article:published_time") || !strcasecmp(key, "og:published_time") ||
                            !strcasecmp(key, "datePublished") || !strcasecmp(key, "date") ||
                            !strcasecmp(key, "dc.date") || !strcasecmp(key, "dc.date.issued") ||
                            !strcasecmp(key, "dcterms.date") || !strcasecmp(key, "dcterms.issued") ||
                            !strcasecmp(key, "pubdate") || !strcasecmp(key, "publishdate")))
        m->date = presse_format_meta_date(val);
      continue;
    }
    if (name_is(c, "title") && !m->title.len) {
      text_of(c, &m->title);
      trim(&m->title);
      continue;
    }
    if (name_is(c, "script") || name_is(c, "style")) continue;
    read_meta(c, m, x);
  }
}

/* "Fachtag zur Rolle … | Stadt Hagen": the part after the last " | " (or " - ", " – " when it
 * names the site) is the site, not the release. */
static void strip_site_suffix(presse_buf *t, const presse_buf *site) {
  static const char *const seps[] = {" | ", " :: ", " · ", " – ", " — ", " - "};
  for (size_t k = 0; k < sizeof seps / sizeof *seps; k++) {
    const char *s = t->data, *last = NULL;
    for (const char *p = s; (p = strstr(p, seps[k])) != NULL; p++) last = p;
    if (!last || last == s) continue;
    const char *tail = last + strlen(seps[k]);
    int pipe_like = k < 3;
    int names_site = site->len && !strcasecmp(tail, site->data);
    size_t words = 1;
    for (const char *p = tail; *p; p++) words += *p == ' ';
    if ((pipe_like && words <= 6) || names_site) {
      t->len = (size_t)(last - s);
      t->data[t->len] = '\0';
      return;
    }
  }
}

int presse_format_html(const char *data, size_t len, presse_extracted *x) {
  x->format = "html";
  if (len > INT_MAX) return presse_extracted_fail(x, PRESSE_ETOOBIG, "HTML page too large");
  presse_buf conv = PRESSE_BUF_INIT;
  const char *utf8 = data;
  size_t ulen = len, bad;
  if (presse_utf8_check(data, len, &bad)) {
    /* bytes that are valid UTF-8 are UTF-8, whatever the page declares */
    x->encoding = "utf-8";
  } else {
    /* a legacy page: declared ISO-8859-1 is read as Windows-1252, as browsers do; the same
     * detection as for text files decides */
    presse_buf err = PRESSE_BUF_INIT;
    int rc = presse_encoding_decode(data, len, &conv, &utf8, &ulen, &x->encoding, &err);
    if (rc != PRESSE_OK) {
      presse_extracted_fail(x, rc, "%s", err.data ? err.data : "cannot decode");
      presse_buf_free(&err);
      presse_buf_free(&conv);
      return rc;
    }
    presse_buf_free(&err);
  }
  xmlInitParser();
  htmlDocPtr doc = htmlReadMemory(utf8, (int)ulen, NULL, "UTF-8",
                                  HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                      HTML_PARSE_IGNORE_ENC | HTML_PARSE_COMPACT);
  presse_buf_free(&conv);
  if (!doc) return presse_extracted_fail(x, PRESSE_EFORMAT, "cannot parse this HTML page");
  xmlNode *html = xmlDocGetRootElement(doc);
  head_meta m = {PRESSE_BUF_INIT, PRESSE_BUF_INIT, PRESSE_BUF_INIT, 0};
  read_meta(html, &m, x);
  if (!x->issuer_hint.len && m.site.len) presse_buf_append(&x->issuer_hint, m.site.data, m.site.len);

  xmlNode *body = find(html, "body");
  xmlNode *root = find(html, "main");
  if (!root) root = find(html, NULL);
  if (!root) {
    size_t best = 0;
    longest_article(html, &root, &best);
  }
  walk w = {x, NULL, 0, 0, PRESSE_BUF_INIT, 0, PRESSE_OK};
  w.root = root ? root : body ? body : html;
  w.root_is_body = !root;
  if (w.root) walk_node(&w, w.root);
  trim(&x->text);

  if (!w.h1.len) { /* the headline may stand above the content root */
    xmlNode *h = find(html, "h1");
    if (h) {
      text_of(h, &w.h1);
      trim(&w.h1);
      if (w.h1.len && presse_extract_is_generic_header(w.h1.data, w.h1.len)) presse_buf_clear(&w.h1);
    }
  }
  /* title: og:title, else the first <h1> of the content, else <title> without the site name */
  presse_buf *t = m.og_title.len ? &m.og_title : w.h1.len ? &w.h1 : &m.title;
  if (t->len) {
    trim(t);
    if (t != &w.h1) strip_site_suffix(t, &m.site);
    if (!presse_extract_is_generic_header(t->data, t->len)) presse_buf_append(&x->title, t->data, t->len);
  }
  x->date = m.date ? m.date : w.time_date;
  int rc = w.rc;
  presse_buf_free(&m.og_title);
  presse_buf_free(&m.title);
  presse_buf_free(&m.site);
  presse_buf_free(&w.h1);
  xmlFreeDoc(doc);
  if (rc != PRESSE_OK) return presse_extracted_fail(x, rc, "out of memory");
  return PRESSE_OK;
}
