/* The issuer and the contact persons of a release.
 *
 * Issuer. Candidates are names the text itself contains: organisation entities (NER), phrases
 * of an institution word and a name ("Stadt Hagen", "Polizei Berlin", "Landkreis Pinneberg",
 * "des Kreises Soest" -> "Kreis Soest"), and the publisher the file's metadata names
 * (og:site_name, DOCX Company). Each candidate collects evidence:
 *   +0.5 per mention (at most +2)                          a name the text keeps repeating
 *   +2   mentioned in the letterhead (the short lines before the first paragraph)
 *   +2   mentioned in a contact block (near "Kontakt", "Pressestelle", "Herausgeber",
 *        "Presse- und Öffentlichkeitsarbeit", ... or in the block after a closing "---")
 *   +3   an e-mail or web domain spells the name (stadt-hagen.de, polizei.berlin.de), +1 more
 *        for a press address (pressestelle@, presse@); +1.5 when a domain label is one of the
 *        name's words (hagen.de for "Stadt Hagen", muenchen.de for "Landeshauptstadt München")
 *   +0.5 the name starts with an institution word
 *   +3   the file's metadata names it (+2.5 when the text never does)
 * The candidate with the most evidence is the issuer if it has 3 points or more: a domain alone
 * never makes an issuer (stadt-hagen.de gives "Stadt Hagen" only if the text names it), and an
 * organisation merely mentioned a few times does not either.
 *
 * Contacts. A person is a contact when an e-mail address is theirs (its local part spells
 * their name: michael.kaub@, a.kuehner@) or when a phone number or e-mail address follows their
 * name within 200 bytes with no other person between ("Michael Kaub, Tel. ..."). Persons come
 * from NER and, without it, from the capitalised words that an address's local part names. */
#include "document/meta.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "presse/presse.h"

/* ---- folding ---- */

/* The folded letters and digits of s, nothing else ("Stadt Hagen" -> "stadthagen"). */
static size_t key_of(presse_analyzer *a, const char *s, size_t n, char *out, size_t outsz) {
  char f[512];
  int fl = presse_analyzer_fold(a, s, n, f, sizeof f);
  size_t k = 0;
  if (fl <= 0 || !outsz) {
    if (outsz) out[0] = '\0';
    return 0;
  }
  for (int i = 0; i < fl && k + 1 < outsz; i++)
    if (isalnum((unsigned char)f[i]) || (unsigned char)f[i] >= 0x80) out[k++] = f[i];
  out[k] = '\0';
  return k;
}

static const char *find_bytes(const char *h, size_t hn, const char *nd, size_t nn) {
  if (!nn || nn > hn) return NULL;
  for (const char *p = h, *end = h + hn - nn; p <= end; p++) {
    p = memchr(p, nd[0], (size_t)(end - p) + 1);
    if (!p) return NULL;
    if (!memcmp(p, nd, nn)) return p;
  }
  return NULL;
}

/* ---- candidates ---- */

typedef struct cand {
  char name[160]; /* as the text writes it */
  char key[160];
  char alias[24];  /* "RVR" of "Regionalverband Ruhr (RVR)" */
  char alias_key[24];
  size_t mentions;
  double score;
  size_t first;   /* first mention, for ties */
  int from_text;
} cand;

typedef struct cands {
  cand *v;
  size_t n, cap;
} cands;

static cand *cand_add(presse_analyzer *a, cands *c, const char *name, size_t n, size_t pos) {
  while (n && (name[n - 1] == ' ' || name[n - 1] == ',' || name[n - 1] == '\n')) n--;
  if (n < 3 || n >= sizeof c->v[0].name) return NULL;
  char key[160];
  if (key_of(a, name, n, key, sizeof key) < 3) return NULL;
  for (size_t i = 0; i < c->n; i++)
    if (!strcmp(c->v[i].key, key) || (c->v[i].alias_key[0] && !strcmp(c->v[i].alias_key, key))) {
      if (pos < c->v[i].first) c->v[i].first = pos;
      return &c->v[i];
    }
  if (c->n == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 16;
    cand *p = realloc(c->v, cap * sizeof *p);
    if (!p) return NULL;
    c->v = p;
    c->cap = cap;
  }
  cand *x = &c->v[c->n++];
  memset(x, 0, sizeof *x);
  memcpy(x->name, name, n);
  memcpy(x->key, key, strlen(key) + 1);
  x->first = pos;
  return x;
}

/* Words that open the name of an institution; genitives ("Kreises") are found by their base. */
static const char *const institution[] = {
    "Stadt",           "Gemeinde",       "Kreis",          "Landkreis",        "Kreisstadt",      "Hansestadt",
    "Landeshauptstadt", "Bundesstadt",   "Stadtverwaltung", "Kreisverwaltung",  "Bezirksamt",      "Bezirksregierung",
    "Regierungspräsidium", "Landratsamt", "Polizei",        "Polizeipräsidium", "Polizeidirektion", "Polizeiinspektion",
    "Kreispolizeibehörde", "Feuerwehr",  "Berufsfeuerwehr", "Universität",      "Hochschule",      "Fachhochschule",
    "Stadtwerke",      "Stadtentwässerung", "Stadtbibliothek", "Regionalverband", "Landschaftsverband", "Zweckverband",
    "Stiftung",        "Wirtschaftsförderung", "Handwerkskammer", "Landtag",      "Senatsverwaltung", "Bundesamt",
    "Landesamt",       "Verkehrsverbund", "Klinikum",       "Staatskanzlei",    "Staatsministerium", "Landesregierung",
    NULL};

static int is_upper_start(const unsigned char *s) {
  return (s[0] >= 'A' && s[0] <= 'Z') || (s[0] == 0xC3 && (s[1] == 0x84 || s[1] == 0x96 || s[1] == 0x9C));
}

static int word_char(unsigned char c) { return isalnum(c) || c >= 0x80 || c == '-' || c == '.'; }

/* The institution word at s (its base form), or NULL. *wl is the length of the word in the text. */
static const char *institution_at(const char *s, size_t n, size_t *wl) {
  size_t k = 0;
  while (k < n && (isalnum((unsigned char)s[k]) || (unsigned char)s[k] >= 0x80)) k++;
  *wl = k;
  for (size_t i = 0; institution[i]; i++) {
    size_t il = strlen(institution[i]);
    if (il == k && !memcmp(s, institution[i], k)) return institution[i];
    /* genitive: Kreises, Landratsamts, Bezirksamtes */
    if ((k == il + 1 && s[il] == 's') || (k == il + 2 && s[il] == 'e' && s[il + 1] == 's'))
      if (!memcmp(s, institution[i], il)) return institution[i];
  }
  return NULL;
}

/* "Stadt Hagen", "Landeshauptstadt München", "Stadt Halle (Saale)", "Stadt Mülheim an der Ruhr". */
static void institution_phrases(presse_analyzer *a, const char *t, size_t len, cands *c) {
  for (size_t i = 0; i < len; i++) {
    if (i > 0 && word_char((unsigned char)t[i - 1])) continue;
    if (!is_upper_start((const unsigned char *)t + i)) continue;
    size_t wl;
    const char *base = institution_at(t + i, len - i, &wl);
    if (!base) continue;
    size_t j = i + wl;
    size_t name_end = 0;
    int words = 0;
    char alias[16] = "";
    while (j < len && words < 3) {
      size_t k = j;
      while (k < len && t[k] == ' ') k++;
      if (k == j || k >= len) break;
      const unsigned char *w = (const unsigned char *)t + k;
      size_t e = k;
      if (t[k] == '(') { /* Halle (Saale); an acronym in parentheses is another name for it */
        while (e < len && t[e] != ')' && t[e] != '\n' && e - k < 30) e++;
        if (e < len && t[e] == ')') {
          int acro = e - k - 1 >= 2 && e - k - 1 < sizeof alias;
          for (size_t q = k + 1; q < e && acro; q++) acro = t[q] >= 'A' && t[q] <= 'Z';
          if (acro) {
            memcpy(alias, t + k + 1, e - k - 1);
            alias[e - k - 1] = '\0';
            break;
          }
          name_end = e + 1;
          j = e + 1;
          continue;
        }
        break;
      }
      if ((len - k >= 7 && !memcmp(w, "an der ", 7)) || (len - k >= 3 && !memcmp(w, "am ", 3)) ||
          (len - k >= 3 && !memcmp(w, "im ", 3))) {
        size_t skip = w[0] == 'a' && w[1] == 'n' ? 7 : 3;
        if (k + skip < len && is_upper_start(w + skip)) {
          j = k + skip;
          continue;
        }
        break;
      }
      if (!is_upper_start(w)) break;
      while (e < len && word_char((unsigned char)t[e])) e++;
      while (e > k && (t[e - 1] == '.' || t[e - 1] == '-')) e--;
      if (e == k) break;
      name_end = e;
      words++;
      j = e;
    }
    if (!name_end) continue;
    char buf[200];
    size_t bl = strlen(base), nl = name_end - (i + wl);
    if (bl + nl >= sizeof buf) continue;
    memcpy(buf, base, bl);
    memcpy(buf + bl, t + i + wl, nl);
    cand *x = cand_add(a, c, buf, bl + nl, i);
    if (x) {
      x->from_text = 1;
      if (x->score < 0.5) x->score += 0.5;
      if (alias[0] && !x->alias[0]) {
        memcpy(x->alias, alias, strlen(alias) + 1);
        key_of(a, alias, strlen(alias), x->alias_key, sizeof x->alias_key);
      }
    }
    i = name_end - 1;
  }
}

/* ---- zones of the text ---- */

/* The letterhead: the lines before the first line of prose (one that ends a sentence of five
 * words or more, or is longer than 120 bytes), at most 400 bytes. */
static int on_title_line(const char *t, size_t len, size_t pos, const char *title);

static size_t letterhead_end(const char *t, size_t len, const char *title) {
  size_t i = 0;
  while (i < len && i < 400) {
    size_t e = i;
    while (e < len && t[e] != '\n') e++;
    size_t b = e;
    while (b > i && (t[b - 1] == ' ' || t[b - 1] == '\r')) b--;
    size_t words = 0;
    for (size_t k = i; k < b; k++) words += t[k] == ' ' && k + 1 < b && t[k + 1] != ' ';
    int prose = e - i > 120 || (b > i && strchr(".!?", t[b - 1]) && words + 1 >= 5);
    if (prose && !on_title_line(t, len, i, title)) return i;
    i = e + 1;
  }
  return i < len ? i : len;
}

/* Is the line around pos the title (the release's subject, not its sender)? */
static int title_line_at(const char *t, size_t a, size_t b, const char *title) {
  if (!title || !*title) return 0;
  size_t tl = strlen(title), n = b - a;
  if (n >= 12 && tl >= 12) {
    size_t k = n < tl ? n : tl;
    if (k > 40) k = 40;
    /* the line starts like the title, or the title like the line (markup stripped either way) */
    const char *l = t + a;
    while (n && (*l == '#' || *l == '*' || *l == ' ')) l++, n--;
    if (n >= k && !memcmp(l, title, k)) return 1;
  }
  return 0;
}

static int on_title_line(const char *t, size_t len, size_t pos, const char *title) {
  size_t a = pos, b = pos;
  while (a > 0 && t[a - 1] != '\n') a--;
  while (b < len && t[b] != '\n') b++;
  return title_line_at(t, a, b, title);
}

/* The first line after a closing rule ("---") near the end: where a release names its sender. */
/* The text's lines, found once: the issuer heuristic asks "which line is this mention on" for every
 * mention of every candidate, and walking back to the line start each time made a one-line
 * record of a megabyte take seconds (issue 14, defect 5). */
typedef struct line_index {
  size_t *start;             /* start offset of line k; start[n] = len + 1 */
  unsigned char *after_rule; /* line k is the first non-blank line after a "---", "___" or "***" line */
  size_t n;
} line_index;

static int is_rule(const char *t, size_t a, size_t b) {
  return b - a >= 3 && (!memcmp(t + a, "---", 3) || !memcmp(t + a, "___", 3) || !memcmp(t + a, "***", 3));
}

static int is_blank(const char *t, size_t a, size_t b) {
  for (size_t i = a; i < b; i++)
    if (t[i] != ' ' && t[i] != '\r') return 0;
  return 1;
}

static int line_index_build(line_index *li, const char *t, size_t len) {
  size_t n = 1;
  for (size_t i = 0; i < len; i++) n += t[i] == '\n';
  li->start = malloc((n + 1) * sizeof *li->start);
  li->after_rule = calloc(n, 1);
  if (!li->start || !li->after_rule) {
    free(li->start);
    free(li->after_rule);
    li->start = NULL;
    li->after_rule = NULL;
    return -1;
  }
  size_t k = 0;
  li->start[k++] = 0;
  for (size_t i = 0; i < len; i++)
    if (t[i] == '\n') li->start[k++] = i + 1;
  li->start[n] = len + 1;
  li->n = n;
  int rule = 0; /* the last non-blank line was a rule */
  for (k = 0; k < n; k++) {
    size_t a = li->start[k], b = li->start[k + 1] - 1;
    if (is_blank(t, a, b)) continue;
    li->after_rule[k] = (unsigned char)rule;
    rule = is_rule(t, a, b);
  }
  return 0;
}

static void line_index_free(line_index *li) {
  free(li->start);
  free(li->after_rule);
}

/* The line that holds pos: [*a, *b) without its newline. */
static size_t line_of(const line_index *li, size_t pos, size_t *a, size_t *b) {
  size_t lo = 0, hi = li->n; /* start[lo] <= pos < start[hi] */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (li->start[mid] <= pos) lo = mid;
    else hi = mid;
  }
  if (a) *a = li->start[lo];
  if (b) *b = li->start[lo + 1] - 1;
  return lo;
}

static const char *const contact_cues[] = {"Kontakt",          "Pressekontakt", "Pressestelle", "Herausgeber",
                                           "V.i.S.d.P",        "Ansprechpartner", "Medienkontakt", "Rückfragen",
                                           "Öffentlichkeitsarbeit", "Pressesprecher", "Kommunikation", NULL};

/* A cue labels a contact block when it starts its line (after markup), is followed by a colon or
 * stands on a short line - not in prose ("persönlichen Kontakt mit ihr", issue 15). */
static int cue_is_label(const char *t, size_t len, size_t i, size_t cl) {
  size_t a = i, b = i + cl;
  while (a > 0 && t[a - 1] != '\n') a--;
  while (b < len && t[b] != '\n') b++;
  size_t p = a;
  while (p < i && strchr(" \t#*>-_|", t[p])) p++;
  if (p == i || b - a < 80) return 1;
  for (size_t q = i + cl; q < b && q < i + cl + 3; q++)
    if (t[q] == ':') return 1;
  return 0;
}

static int in_contact_zone(const char *t, size_t len, size_t pos) {
  /* after a closing rule ("---") near the end */
  size_t tail = len > 1500 ? len - 1500 : 0;
  for (size_t i = tail; i + 3 <= len && i < pos; i++)
    if ((t[i] == '-' || t[i] == '_' || t[i] == '*') && !memcmp(t + i, t[i] == '-' ? "---" : t[i] == '_' ? "___" : "***", 3) &&
        (i == 0 || t[i - 1] == '\n'))
      return 1;
  size_t lo = pos > 300 ? pos - 300 : 0, hi = pos + 400 < len ? pos + 400 : len;
  for (size_t k = 0; contact_cues[k]; k++) {
    size_t cl = strlen(contact_cues[k]);
    for (size_t i = lo; i + cl <= hi; i++)
      if (t[i] == contact_cues[k][0] && !memcmp(t + i, contact_cues[k], cl) && cue_is_label(t, len, i, cl)) return 1;
  }
  return 0;
}

/* ---- domains ---- */

static const char *const generic_domains[] = {"gmail",  "googlemail", "web", "gmx", "t-online", "yahoo", "outlook",
                                              "hotmail", "icloud",   "posteo", "freenet", "aol", NULL};

/* The labels of an address's or URL's host, without www and the top-level domain, joined
 * without separators ("pressestelle@polizei.berlin.de" -> "polizeiberlin") into whole; each
 * label into labels (NUL-separated). Returns 0 for mail providers. */
static int domain_of(presse_analyzer *a, const char *s, size_t n, int email, char *whole, size_t wsz, char *labels,
                     size_t lsz, int *press) {
  const char *h = s, *end = s + n;
  *press = 0;
  if (email) {
    const char *at = memchr(s, '@', n);
    if (!at) return 0;
    static const char *const press_locals[] = {"presse", "pressestelle", "medien", "kommunikation", "pr",
                                               "oeffentlichkeitsarbeit", "redaktion", NULL};
    size_t ll = (size_t)(at - s);
    for (size_t i = 0; press_locals[i]; i++)
      if (ll >= strlen(press_locals[i]) && !strncasecmp(s, press_locals[i], strlen(press_locals[i]))) *press = 1;
    h = at + 1;
  } else {
    /* the span lies in the release's text, which need not end in a NUL (plain text is read in
     * place): never search past it */
    for (const char *p = s; p + 3 <= end; p++)
      if (!memcmp(p, "://", 3)) {
        h = p + 3;
        break;
      }
  }
  const char *he = h;
  while (he < end && *he != '/' && *he != ':' && *he != '?') he++;
  /* split into labels, drop www and the last (top-level) label */
  const char *lab[8];
  size_t lablen[8], nl = 0;
  for (const char *p = h; p < he && nl < 8;) {
    const char *q = p;
    while (q < he && *q != '.') q++;
    lab[nl] = p;
    lablen[nl++] = (size_t)(q - p);
    p = q + 1;
  }
  if (nl < 2) return 0;
  nl--; /* the top-level domain */
  size_t w = 0, l = 0;
  for (size_t i = 0; i < nl; i++) {
    if (lablen[i] == 3 && !strncasecmp(lab[i], "www", 3)) continue;
    for (size_t g = 0; generic_domains[g]; g++)
      if (lablen[i] == strlen(generic_domains[g]) && !strncasecmp(lab[i], generic_domains[g], lablen[i])) return 0;
    char k[128];
    size_t kl = key_of(a, lab[i], lablen[i], k, sizeof k);
    if (w + kl + 1 >= wsz || l + kl + 2 >= lsz) break;
    memcpy(whole + w, k, kl);
    w += kl;
    memcpy(labels + l, k, kl + 1);
    l += kl + 1;
    /* "uni-freiburg": its parts are labels too */
    for (const char *p = lab[i], *e = lab[i] + lablen[i]; p < e && memchr(lab[i], '-', lablen[i]);) {
      const char *q = p;
      while (q < e && *q != '-') q++;
      size_t pl = key_of(a, p, (size_t)(q - p), k, sizeof k);
      if (pl >= 3 && l + pl + 2 < lsz) {
        memcpy(labels + l, k, pl + 1);
        l += pl + 1;
      }
      p = q + 1;
    }
  }
  whole[w] = '\0';
  labels[l] = '\0';
  return w > 0;
}

/* Do the first words of the name spell the domain ("stadt-frankfurt.de" for "Stadt Frankfurt am
 * Main")? */
static int name_starts_with(presse_analyzer *a, const cand *x, const char *whole) {
  if (!strcmp(x->key, whole) || (x->alias_key[0] && !strcmp(x->alias_key, whole))) return 1;
  for (const char *p = x->name; *p; p++)
    if (*p == ' ') {
      char k[160];
      key_of(a, x->name, (size_t)(p - x->name), k, sizeof k);
      if (!strcmp(k, whole)) return 1;
    }
  return 0;
}

/* Does a folded label equal one word of the name (not its institution word)? */
static int label_names_word(presse_analyzer *a, const cand *x, const char *label) {
  const char *s = x->name;
  while (*s) {
    while (*s == ' ') s++;
    const char *e = s;
    while (*e && *e != ' ') e++;
    if (e > s) {
      char k[128];
      size_t wl;
      if (!institution_at(s, (size_t)(e - s), &wl) && key_of(a, s, (size_t)(e - s), k, sizeof k) >= 3 &&
          !strcmp(k, label))
        return 1;
    }
    s = e;
  }
  return 0;
}

/* An issuer is the full name of the organisation a release is from (issue 15): not an institution
 * word alone ("Landkreis" of "Landkreis Göttingen"), and not a platform or messenger the release
 * is reached through ("per WhatsApp", "auf Instagram"). */
static int full_org_name(const char *name) {
  static const char *const channels[] = {"WhatsApp", "Facebook", "Instagram", "Twitter", "X", "YouTube", "TikTok",
                                         "Telegram", "Signal", "Threads", "Mastodon", "LinkedIn", "Xing", "Snapchat",
                                         "Google", "Zoom", "Skype", "Microsoft Teams", "Teams", "Webex", NULL};
  size_t n = strlen(name), wl;
  for (size_t i = 0; channels[i]; i++)
    if (!strcmp(name, channels[i])) return 0;
  return !(institution_at(name, n, &wl) && wl == n);
}

int presse_meta_issuer(presse_analyzer *a, const presse_meta_in *in, presse_buf *out) {
  presse_buf_clear(out);
  cands c = {NULL, 0, 0};
  institution_phrases(a, in->text, in->len, &c);
  for (size_t i = 0; i < in->nents; i++) {
    const presse_ner_entity *e = &in->ents[i];
    if (e->type != PRESSE_NER_ORG || !full_org_name(e->canonical)) continue;
    /* a name that runs over a line break ("...Baden-Württemberg⏎Stuttgart") ends at it */
    const char *nm = e->canonical;
    size_t nn = strlen(nm);
    const char *nl = strchr(e->surface, '\n');
    if (nl) {
      nm = e->surface;
      nn = (size_t)(nl - e->surface);
    }
    cand *x = cand_add(a, &c, nm, nn, e->start);
    if (x) x->from_text = 1;
  }
  cand *hinted = NULL;
  if (in->hint && *in->hint) {
    hinted = cand_add(a, &c, in->hint, strlen(in->hint), (size_t)-1);
  }
  size_t lh = letterhead_end(in->text, in->len, in->title);
  line_index li;
  if (line_index_build(&li, in->text, in->len) != 0) {
    free(c.v);
    return PRESSE_ENOMEM;
  }
  for (size_t i = 0; i < c.n; i++) {
    cand *x = &c.v[i];
    /* mentions, and where they stand */
    size_t mentions = 0;
    int in_lh = 0, in_contact = 0, sender_line = 0;
    for (int form = 0; form < 2; form++) {
      const char *nd = form ? x->alias : x->name;
      size_t nl = strlen(nd);
      if (!nl) continue;
      for (const char *p = in->text; p && (size_t)(p - in->text) + nl <= in->len;) {
        p = find_bytes(p, in->len - (size_t)(p - in->text), nd, nl);
        if (!p) break;
        size_t pos = (size_t)(p - in->text);
        mentions++;
        if (pos < x->first) x->first = pos;
        size_t la, lb, line = line_of(&li, pos, &la, &lb);
        if (pos < lh && !title_line_at(in->text, la, lb, in->title)) in_lh = 1;
        if (!in_contact && in_contact_zone(in->text, in->len, pos)) in_contact = 1;
        if (li.after_rule[line]) sender_line = 1;
        p += nl;
      }
    }
    x->mentions = mentions;
    if (mentions) x->from_text = 1;
    x->score += (mentions * 0.5 > 2 ? 2 : mentions * 0.5) + (in_lh ? 2 : 0) + (in_contact ? 2 : 0) + sender_line;
    /* domains of the addresses and URLs */
    double dom = 0;
    for (size_t s = 0; s < in->nspans; s++) {
      if (in->spans[s].kind != PRESSE_TOK_EMAIL && in->spans[s].kind != PRESSE_TOK_URL) continue;
      char whole[160], labels[200];
      int press;
      if (!domain_of(a, in->text + in->spans[s].start, in->spans[s].end - in->spans[s].start,
                     in->spans[s].kind == PRESSE_TOK_EMAIL, whole, sizeof whole, labels, sizeof labels, &press))
        continue;
      double d = 0;
      if (name_starts_with(a, x, whole)) d = 3 + press;
      else
        for (const char *l = labels; *l; l += strlen(l) + 1)
          if (label_names_word(a, x, l)) d = 1.5;
      if (d > dom) dom = d;
    }
    x->score += dom;
    if (x == hinted) x->score += x->from_text ? 3 : 2.5;
  }
  /* "Universität Freiburg" inside "Albert-Ludwigs-Universität Freiburg", "Stadt Halle" inside
   * "Stadt Halle (Saale)": the fuller name wins unless its evidence is clearly weaker */
  for (size_t i = 0; i < c.n; i++)
    for (size_t j = 0; j < c.n; j++) {
      cand *s1 = &c.v[i], *l1 = &c.v[j];
      if (i == j || s1->score < 0 || !l1->mentions || strlen(l1->name) <= strlen(s1->name)) continue;
      if (strstr(l1->name, s1->name) && l1->score >= s1->score - 1.5) {
        if (s1->score > l1->score) l1->score = s1->score;
        s1->score = -1;
      }
    }
  if (getenv("PRESSE_DEBUG_ISSUER"))
    for (size_t i = 0; i < c.n; i++) fprintf(stderr, "issuer? %5.2f %s\n", c.v[i].score, c.v[i].name);
  cand *best = NULL;
  for (size_t i = 0; i < c.n; i++)
    if (!best || c.v[i].score > best->score || (c.v[i].score == best->score && c.v[i].first < best->first))
      best = &c.v[i];
  int rc = PRESSE_OK;
  if (best && best->score >= 3) rc = presse_buf_puts(out, best->name);
  line_index_free(&li);
  free(c.v);
  return rc;
}

/* ---- a sender's organisation (e-mail display names and signatures) ---- */

int presse_meta_institution(presse_analyzer *a, const char *s, size_t n, presse_buf *out) {
  presse_buf_clear(out);
  cands c = {NULL, 0, 0};
  institution_phrases(a, s, n, &c);
  cand *first = NULL;
  for (size_t i = 0; i < c.n; i++)
    if (!first || c.v[i].first < first->first) first = &c.v[i];
  int rc = first ? presse_buf_puts(out, first->name) : PRESSE_OK;
  free(c.v);
  return rc;
}

int presse_meta_domain_spells(presse_analyzer *a, const char *addr, const char *name) {
  char whole[160], labels[200];
  int press;
  if (!addr || !name || !domain_of(a, addr, strlen(addr), 1, whole, sizeof whole, labels, sizeof labels, &press))
    return 0;
  cands c = {NULL, 0, 0};
  cand *x = cand_add(a, &c, name, strlen(name), 0);
  int yes = x && name_starts_with(a, x, whole);
  free(c.v);
  return yes;
}

/* ---- contacts ---- */

/* The local part of an address as folded name words: "michael.kaub" -> {"michael", "kaub"}. */
static size_t local_words(presse_analyzer *a, const char *s, size_t n, char words[3][64]) {
  const char *at = memchr(s, '@', n);
  if (!at) return 0;
  size_t k = 0;
  for (const char *p = s; p < at && k < 3;) {
    const char *q = p;
    while (q < at && *q != '.' && *q != '-' && *q != '_') q++;
    if (q > p) {
      char f[64];
      int fl = presse_analyzer_fold(a, p, (size_t)(q - p), f, sizeof f);
      if (fl <= 0) return 0;
      for (int i = 0; i < fl; i++)
        if (!isalpha((unsigned char)f[i]) && (unsigned char)f[i] < 0x80) return 0; /* digits: not a name */
      memcpy(words[k++], f, (size_t)fl + 1);
    }
    p = q + 1;
  }
  return k;
}

/* Does the name (its words, folded) match the local-part words? The first may be an initial. */
static int name_matches(presse_analyzer *a, const char *name, size_t n, char words[3][64], size_t nw) {
  char f[256];
  int fl = presse_analyzer_fold(a, name, n, f, sizeof f);
  if (fl <= 0 || nw < 2) return 0;
  /* the name's words */
  char nwds[6][64];
  size_t k = 0;
  for (char *p = f; *p && k < 6;) {
    while (*p && !(isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80)) p++;
    char *q = p;
    while (*q && (isalpha((unsigned char)*q) || (unsigned char)*q >= 0x80)) q++;
    if (q > p && (size_t)(q - p) < 64) {
      memcpy(nwds[k], p, (size_t)(q - p));
      nwds[k++][q - p] = '\0';
    }
    p = q;
  }
  if (k < 2) return 0;
  const char *last = words[nw - 1], *firstw = words[0];
  if (strcmp(nwds[k - 1], last)) return 0;
  if (strlen(firstw) == 1) return nwds[0][0] == firstw[0];
  return !strcmp(nwds[0], firstw);
}

static void add_contact(json_t *arr, unsigned *n, presse_analyzer *a, const char *name, size_t nlen, const char *email,
                        size_t elen, const char *phone, size_t plen) {
  char key[128];
  key_of(a, name, nlen, key, sizeof key);
  size_t i;
  json_t *v;
  json_array_foreach(arr, i, v) {
    const char *nm = json_string_value(json_object_get(v, "name"));
    char k2[128];
    if (nm && key_of(a, nm, strlen(nm), k2, sizeof k2) && !strcmp(k2, key)) {
      if (email && json_is_null(json_object_get(v, "email")))
        json_object_set_new(v, "email", json_stringn(email, elen));
      if (phone && json_is_null(json_object_get(v, "phone")))
        json_object_set_new(v, "phone", json_stringn(phone, plen));
      return;
    }
  }
  json_t *o = json_object();
  json_object_set_new(o, "name", json_stringn(name, nlen));
  json_object_set_new(o, "email", email ? json_stringn(email, elen) : json_null());
  json_object_set_new(o, "phone", phone ? json_stringn(phone, plen) : json_null());
  json_array_append_new(arr, o);
  (*n)++;
}

int presse_meta_contacts(presse_analyzer *a, const presse_meta_in *in, json_t *arr, unsigned *n) {
  *n = 0;
  const char *t = in->text;
  /* persons: NER mentions, else pairs of capitalised words an address names */
  for (size_t i = 0; i < in->nents; i++) {
    const presse_ner_entity *e = &in->ents[i];
    if (e->type != PRESSE_NER_PER || !strchr(e->canonical, ' ')) continue;
    const char *email = NULL, *phone = NULL;
    size_t elen = 0, plen = 0;
    /* the next person mention bounds the search */
    size_t limit = e->end + 100 < in->len ? e->end + 100 : in->len;
    for (size_t j = i + 1; j < in->nents; j++)
      if (in->ents[j].type == PRESSE_NER_PER && in->ents[j].start >= e->end) {
        if (in->ents[j].start < limit) limit = in->ents[j].start;
        break;
      }
    int owns = 0;
    for (size_t s = 0; s < in->nspans; s++) {
      const presse_span *sp = &in->spans[s];
      if (sp->kind == PRESSE_TOK_EMAIL) {
        char w[3][64];
        size_t nw = local_words(a, t + sp->start, sp->end - sp->start, w);
        if (nw && name_matches(a, e->canonical, strlen(e->canonical), w, nw)) {
          email = t + sp->start;
          elen = sp->end - sp->start;
          owns = 1;
        }
      } else if (sp->kind == PRESSE_TOK_PHONE && !phone && sp->start >= e->end && sp->start < limit) {
        phone = t + sp->start;
        plen = sp->end - sp->start;
      }
    }
    if (!owns && !phone) continue;
    /* a name broken at a line end ("Alexander Küh-⏎ner" in a PDF column) is joined */
    char joined[256];
    const char *nm = e->canonical;
    size_t nn = strlen(nm);
    if (nn && nm[nn - 1] == '-' && e->end + 1 < in->len && t[e->end] == '\n' && nn < sizeof joined) {
      size_t k = e->end + 1, m = nn - 1;
      memcpy(joined, nm, m);
      while (k < in->len && m + 1 < sizeof joined && (isalpha((unsigned char)t[k]) || (unsigned char)t[k] >= 0x80))
        joined[m++] = t[k++];
      nm = joined;
      nn = m;
    }
    add_contact(arr, n, a, nm, nn, email, elen, phone, plen);
  }
  /* without entities (or where NER missed a name): the name an address spells, if the text has it */
  for (size_t s = 0; s < in->nspans; s++) {
    const presse_span *sp = &in->spans[s];
    if (sp->kind != PRESSE_TOK_EMAIL) continue;
    char w[3][64];
    size_t nw = local_words(a, t + sp->start, sp->end - sp->start, w);
    if (nw < 2) continue;
    const char *last = w[nw - 1];
    /* every mention of the name; the one with a phone number after it wins */
    size_t best_s = 0, best_e = 0;
    const char *best_phone = NULL;
    size_t best_plen = 0;
    for (size_t c = 1; c < in->ncaps; c++) {
      const presse_capword *lw = &in->caps[c], *fw = &in->caps[c - 1];
      if (strcmp(in->cap_arena + lw->fold, last)) continue;
      if (lw->start < fw->end || lw->start - fw->end > 2) continue; /* adjacent words */
      const char *ff = in->cap_arena + fw->fold;
      int first_ok = strlen(w[0]) == 1 ? ff[0] == w[0][0] : !strcmp(ff, w[0]);
      if (!first_ok) continue;
      const char *phone = NULL;
      size_t plen = 0;
      for (size_t q = 0; q < in->nspans; q++)
        if (in->spans[q].kind == PRESSE_TOK_PHONE && in->spans[q].start >= lw->end &&
            in->spans[q].start < lw->end + 100) {
          phone = t + in->spans[q].start;
          plen = in->spans[q].end - in->spans[q].start;
          break;
        }
      if (!best_e || (phone && !best_phone)) {
        best_s = fw->start;
        best_e = lw->end;
        best_phone = phone;
        best_plen = plen;
      }
    }
    if (!best_e) continue;
    /* the name as written, a line-end hyphenation undone */
    char name[256];
    size_t m = 0;
    for (size_t k = best_s; k < best_e && m + 1 < sizeof name; k++) {
      if (t[k] == '-' && k + 1 < best_e && t[k + 1] == '\n') {
        k++;
        continue;
      }
      name[m++] = t[k] == '\n' ? ' ' : t[k];
    }
    add_contact(arr, n, a, name, m, t + sp->start, sp->end - sp->start, best_phone, best_plen);
  }
  return PRESSE_OK;
}
