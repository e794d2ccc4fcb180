/* Text and title extraction (see extract.h). */
#include "indexer/extract.h"

#include <cmark.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "presse/presse.h"

int presse_extract_is_generic_header(const char *s, size_t len) {
  static const char *const generic[] = {"presseinformation", "pressemitteilung", "pressemeldung",
                                        "medieninformation", "mediendienst",     "presseerklarung",
                                        "presseerklärung",   "pressenotiz",      "information",
                                        "presse",            "pressestelle",     "newsroom"};
  /* the first word decides: "PRESSEINFORMATION", "Presseinformation der Stadt Bielefeld" */
  char w[64];
  size_t n = 0, i = 0;
  while (i < len && !(isalpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)) i++;
  if (i == len) return 1; /* nothing but markup */
  for (; i < len && n + 1 < sizeof w; i++) {
    unsigned char c = (unsigned char)s[i];
    if (isalpha(c) || c >= 0x80) w[n++] = (char)tolower(c);
    else break;
  }
  w[n] = '\0';
  for (size_t k = 0; k < sizeof generic / sizeof *generic; k++)
    if (strcmp(w, generic[k]) == 0) return 1;
  return 0;
}

static int trimmed_line(const char *s, size_t len, size_t *a, size_t *b) {
  while (*a < *b && isspace((unsigned char)s[*a])) (*a)++;
  while (*b > *a && isspace((unsigned char)s[*b - 1])) (*b)--;
  (void)len;
  return *b > *a;
}

int presse_extract_text_title(const char *text, size_t len, presse_buf *title) {
  presse_buf_clear(title);
  /* the first line that is no genre header; a text of genre lines only is titled by its first */
  for (int generic_ok = 0; generic_ok < 2; generic_ok++) {
    size_t i = 0;
    while (i < len) {
      size_t e = i;
      while (e < len && text[e] != '\n') e++;
      size_t a = i, b = e;
      if (trimmed_line(text, len, &a, &b) && (generic_ok || !presse_extract_is_generic_header(text + a, b - a))) {
        if (b - a > 300) { /* a title, not a paragraph: cut at a character boundary */
          b = a + 300;
          while (b > a && ((unsigned char)text[b] & 0xC0) == 0x80) b--;
        }
        return presse_buf_append(title, text + a, b - a);
      }
      i = e + 1;
    }
  }
  return PRESSE_OK;
}

static int block_end(cmark_node_type t) {
  return t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING || t == CMARK_NODE_ITEM ||
         t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_THEMATIC_BREAK;
}

/* "[Kontakt](mailto:a@b.de)": the address would vanish with the markup, so it follows the link
 * text in parentheses, unless the text already shows it ("[www.hagen.de](http://www.hagen.de)"). */
static int keep_link_target(cmark_node *n, presse_buf *text, size_t link_start) {
  const char *url = cmark_node_get_url(n);
  if (!url) return PRESSE_OK;
  int is_mail = !strncasecmp(url, "mailto:", 7);
  const char *shown = url;
  if (is_mail) shown += 7;
  else if (!strncasecmp(url, "https://", 8)) shown += 8;
  else if (!strncasecmp(url, "http://", 7)) shown += 7;
  else return PRESSE_OK;
  size_t n_shown = strlen(shown);
  while (n_shown && shown[n_shown - 1] == '/') n_shown--;
  if (n_shown == 0) return PRESSE_OK;
  for (const char *p = text->data ? text->data + link_start : ""; *p; p++)
    if (!strncasecmp(p, shown, n_shown)) return PRESSE_OK;
  int rc = presse_buf_puts(text, " (");
  if (rc == PRESSE_OK) rc = presse_buf_puts(text, is_mail ? shown : url);
  if (rc == PRESSE_OK) rc = presse_buf_putc(text, ')');
  return rc;
}

int presse_extract_markdown(const char *md, size_t len, presse_buf *text, presse_buf *title) {
  presse_buf_clear(text);
  presse_buf_clear(title);
  cmark_node *doc = cmark_parse_document(md, len, CMARK_OPT_DEFAULT);
  if (!doc) return PRESSE_ENOMEM;
  cmark_iter *it = cmark_iter_new(doc);
  int rc = it ? PRESSE_OK : PRESSE_ENOMEM;
  int in_heading = 0, have_title = 0;
  size_t heading_start = 0, link_start = 0;
  cmark_event_type ev;
  while (rc == PRESSE_OK && it && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (ev == CMARK_EVENT_ENTER) {
      const char *lit;
      switch (t) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
        case CMARK_NODE_CODE_BLOCK:
          lit = cmark_node_get_literal(n);
          if (lit) rc = presse_buf_puts(text, lit);
          break;
        case CMARK_NODE_SOFTBREAK:
        case CMARK_NODE_LINEBREAK:
          rc = presse_buf_putc(text, '\n');
          break;
        case CMARK_NODE_HEADING:
          in_heading = 1;
          heading_start = text->len;
          break;
        case CMARK_NODE_LINK:
          link_start = text->len;
          break;
        default:
          break;
      }
    } else if (ev == CMARK_EVENT_EXIT) {
      if (t == CMARK_NODE_LINK) rc = keep_link_target(n, text, link_start);
      if (t == CMARK_NODE_HEADING && in_heading) {
        in_heading = 0;
        size_t a = heading_start, b = text->len;
        if (!have_title && trimmed_line(text->data ? text->data : "", text->len, &a, &b) &&
            !presse_extract_is_generic_header(text->data + a, b - a)) {
          rc = presse_buf_append(title, text->data + a, b - a);
          for (size_t k = 0; k < title->len; k++)
            if (title->data[k] == '\n') title->data[k] = ' ';
          have_title = 1;
        }
      }
      if (rc == PRESSE_OK && block_end(t)) rc = presse_buf_puts(text, "\n\n");
    }
  }
  cmark_iter_free(it);
  cmark_node_free(doc);
  if (rc == PRESSE_OK && !have_title) rc = presse_extract_text_title(text->data ? text->data : "", text->len, title);
  return rc;
}
