/* Tokeniser and sentence splitter for the NER tagger.
 *
 * The tagger was trained on CoNLL-style tokens (GermEval: punctuation apart, "Dr." / "z.B." /
 * "30." keep their dot), so raw text has to be cut the same way, with byte offsets back into the
 * source. Things that are one unit for a reader stay one token: e-mail addresses, URLs,
 * hyphenated names (Duisburg-Essen), dotted names (Integration.Interkommunal), abbreviations
 * (e.V., z.B.), dates and phone numbers. Markdown markup is recognised and hidden from the tagger. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "ner/ner_internal.h"
#include "presse/presse.h"

int ner_utf8_valid(const char *text, size_t len) {
  const unsigned char *s = (const unsigned char *)text;
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    if (c == 0) return 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return 0;
    }
    for (size_t k = 1; k <= n; k++) {
      if (i + k >= len || (s[i + k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += n + 1;
  }
  return 1;
}

/* Decodes one code point of valid UTF-8; returns its byte length (1 for a stray byte). */
static size_t dec(const char *t, size_t len, size_t p, int32_t *cp) {
  utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)t + p, (utf8proc_ssize_t)(len - p), cp);
  if (k <= 0) {
    *cp = (unsigned char)t[p];
    return 1;
  }
  return (size_t)k;
}

static int is_space(int32_t c) {
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (c < 0x80) return 0;
  if (c == 0x00A0 || c == 0x200B || c == 0xFEFF || c == 0x2028 || c == 0x2029) return 1;
  return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

static int is_wordch(int32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (c == 0x00AD) return 1; /* soft hyphen lives inside words */
  utf8proc_category_t k = utf8proc_category(c);
  return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
         (k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME) || k == UTF8PROC_CATEGORY_ND;
}
static int is_letter(int32_t c) { return is_wordch(c) && !(c >= '0' && c <= '9'); }
static int is_digit(int32_t c) { return c >= '0' && c <= '9'; }
static int is_lower(int32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return utf8proc_category(c) == UTF8PROC_CATEGORY_LL;
}
static int is_upper(int32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return utf8proc_category(c) == UTF8PROC_CATEGORY_LU;
}

/* Abbreviations that keep their dot in German text (GermEval tokenisation). Compared exactly;
 * the list errs on the side of not splitting a sentence. */
static const char *const abbrevs[] = {
    "Abb", "Abg", "Abs", "Abt", "Anm", "Apr", "Art", "Aug", "Bd", "Bde", "Bem", "Bhf", "Bsp",
    "Bez", "Bzw", "Chr", "Co", "Corp", "Dez", "Di", "Dipl", "Do", "Dr", "Dres", "Fa", "Feb", "Fr",
    "Frl", "Gebr", "Ges", "Hbf", "Hr", "Hrn", "Hrsg", "Inc", "Ing", "Inh", "Jan", "Jh", "Jhd",
    "Jr", "Jul", "Jun", "Kap", "Kfm", "Kl", "Kr", "Lkr", "Ltd", "Mag", "Mi", "Min", "Mio", "Mo",
    "Mrd", "Mr", "Mrs", "Ms", "Nov", "Nr", "Okt", "Pfr", "Pkt", "Pl", "Prof", "Präs", "Reg", "Rd",
    "Ref", "Sa", "Sek", "Sep", "Sept", "So", "Sr", "St", "Std", "Str", "Tel", "Univ", "Vors",
    "Ziff", "abzgl", "allg", "bspw", "bzgl", "bzw", "ca", "dgl", "ebd", "ehem", "eigtl",
    "einschl", "entspr", "erg", "etc", "evtl", "gem", "geb", "gegr", "gest", "ggf", "ggfs",
    "habil", "inkl", "jur", "kath", "evang", "ev", "lt", "med", "mind", "nat", "phil", "rer",
    "sog", "spez", "stv", "tägl", "usw", "verh", "vgl", "zzgl", "zzt", "zB", "Mass", "Hl", "hl",
    "Verf", "Vfg", "Bhf", "Dt", "dt", "Jg", "Jahrg", "max", "Max", "rd", "Tsd", "tsd", "Ca"};
static const char *const months[] = {"Januar",   "Februar",  "März",   "April",  "Mai",
                                     "Juni",     "Juli",     "August", "September",
                                     "Oktober",  "November", "Dezember", "Jänner"};

static int in_list(const char *const *list, size_t n, const char *s, size_t len) {
  for (size_t i = 0; i < n; i++)
    if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0) return 1;
  return 0;
}

/* "e.V", "z.B", "u.a", "d.h": every dot-separated piece is one to three letters. */
static int dotted_abbrev(const char *s, size_t len) {
  size_t seg = 0, ndots = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '.') {
      if (seg == 0 || seg > 3) return 0;
      seg = 0;
      ndots++;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80) {
      seg++;
    } else {
      return 0;
    }
  }
  return ndots > 0 && seg > 0 && seg <= 3;
}

static int push(ner_tokens *t, size_t s, size_t e, unsigned flags) {
  if (t->n == t->cap) {
    size_t nc = t->cap ? t->cap * 2 : 256;
    ner_token *nt = realloc(t->tok, nc * sizeof *nt);
    if (!nt) return PRESSE_ENOMEM;
    t->tok = nt;
    t->cap = nc;
  }
  t->tok[t->n++] = (ner_token){s, e, flags};
  return 0;
}

static int push_sent(ner_tokens *t, size_t first) {
  if (t->nsent + 1 >= t->sentcap) {
    size_t nc = t->sentcap ? t->sentcap * 2 : 64;
    size_t *ns = realloc(t->sent, nc * sizeof *ns);
    if (!ns) return PRESSE_ENOMEM;
    t->sent = ns;
    t->sentcap = nc;
  }
  t->sent[t->nsent++] = first;
  return 0;
}

static int starts_with(const char *t, size_t len, size_t p, const char *lit) {
  size_t n = strlen(lit);
  if (p + n > len) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = t[p + i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != lit[i]) return 0;
  }
  return 1;
}

/* End of a URL starting at p: up to whitespace or a delimiter, minus trailing punctuation. */
static size_t scan_url(const char *t, size_t len, size_t p) {
  size_t q = p;
  while (q < len) {
    int32_t c;
    size_t k = dec(t, len, q, &c);
    if (is_space(c) || c == '<' || c == '>' || c == '"' || c == '[' || c == ']' || c == ')' ||
        c == '(' || c == 0x201C || c == 0x201E || c == 0x201D || c == 0xAB || c == 0xBB)
      break;
    q += k;
  }
  while (q > p && strchr(".,;:!?'", t[q - 1])) q--;
  return q;
}

/* Next non-space code point at or after p (0 at the end); *nl counts newlines skipped. */
static int32_t peek_nonspace(const char *t, size_t len, size_t p, size_t *at) {
  while (p < len) {
    int32_t c;
    size_t k = dec(t, len, p, &c);
    if (!is_space(c)) {
      if (at) *at = p;
      return c;
    }
    p += k;
  }
  if (at) *at = len;
  return 0;
}

static int is_markup(int32_t c) {
  return c == '#' || c == '*' || c == '|' || c == '>' || c == '_' || c == '=' || c == '~' ||
         c == '`' || c == '^';
}
static int is_closing(int32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201C || c == 0x201D ||
         c == 0x2019 || c == 0xBB || c == 0xAB || c == 0x2018;
}

int ner_tokenize(const char *text, size_t len, ner_tokens *out) {
  out->n = 0;
  out->nsent = 0;
  size_t p = 0, line_start = 0;
  unsigned pending = NER_TOK_BREAK; /* flags for the next token */
  int rc;
  while (p < len) {
    int32_t c;
    size_t k = dec(text, len, p, &c);
    if (is_space(c)) {
      if (c == '\n') {
        /* A blank line always ends a sentence; a single newline does after a short line
         * (headings, contact blocks, signatures), not inside wrapped prose. */
        size_t linelen = p - line_start;
        size_t at;
        int32_t nx = peek_nonspace(text, len, p + 1, &at);
        int blank = 0;
        for (size_t q = p + 1; q < at; q++)
          if (text[q] == '\n') blank = 1;
        if (blank || linelen < 50 || is_markup(nx) || nx == '-' || is_digit(nx)) pending |= NER_TOK_BREAK;
        line_start = p + 1;
      }
      p += k;
      continue;
    }
    size_t s = p;
    if (starts_with(text, len, p, "http://") || starts_with(text, len, p, "https://") ||
        starts_with(text, len, p, "www.") || starts_with(text, len, p, "mailto:")) {
      size_t e = scan_url(text, len, p);
      if (e > p + 4) {
        if ((rc = push(out, s, e, NER_TOK_URL | pending))) return rc;
        pending = 0;
        p = e;
        continue;
      }
    }
    if (is_wordch(c)) {
      int has_at = 0, has_dot = 0;
      size_t q = p + k;
      int32_t prev = c;
      while (q < len) {
        int32_t d;
        size_t kd = dec(text, len, q, &d);
        if (is_wordch(d)) {
          prev = d;
          q += kd;
          continue;
        }
        int32_t nx = 0;
        size_t kn = 0;
        if (q + kd < len) kn = dec(text, len, q + kd, &nx);
        (void)kn;
        int join = 0;
        if (d == '-' || d == 0x2011) {
          if (is_wordch(nx)) join = 1;
          else if (is_letter(prev) && (nx == 0 || is_space(nx) || nx == ',')) {
            q += kd; /* "Presse- und": the hyphen stays with its word */
            break;
          }
        } else if (d == '.') {
          if (is_wordch(nx) && (is_letter(prev) ? is_letter(nx) : is_digit(nx))) join = 1, has_dot = 1;
        } else if (d == '@') {
          if (is_wordch(nx)) join = 1, has_at = 1;
        } else if (d == '\'' || d == 0x2019) {
          if (is_letter(prev) && is_letter(nx)) join = 1;
        } else if (d == '/' || d == ',') {
          if (is_digit(prev) && is_digit(nx)) join = 1;
        } else if (d == '*' || d == ':' || d == '_') {
          if (is_lower(prev) && is_lower(nx)) join = 1; /* Teilnehmer*innen */
        } else if (d == '&') {
          if (is_upper(prev) && is_upper(nx)) join = 1; /* H&M, AT&T */
        } else if (has_at && d == '-') {
          join = 1;
        }
        if (!join) break;
        prev = d;
        q += kd;
      }
      size_t e = q;
      unsigned fl = NER_TOK_WORD;
      if (is_digit(c)) fl = NER_TOK_NUM;
      if (has_at) fl = NER_TOK_EMAIL;
      else if (has_dot && e - s > 4 && (starts_with(text, len, s, "www") ||
                                        (e - s > 3 && (memcmp(text + e - 3, ".de", 3) == 0 ||
                                                       memcmp(text + e - 4, ".com", 4) == 0 ||
                                                       memcmp(text + e - 4, ".org", 4) == 0))))
        fl = NER_TOK_URL;
      /* Does a following dot belong to the token? */
      if (e < len && text[e] == '.' && !(e + 1 < len && text[e + 1] == '.') && !(fl & (NER_TOK_URL | NER_TOK_EMAIL))) {
        size_t at;
        int32_t nx = peek_nonspace(text, len, e + 1, &at);
        size_t wl = e - s;
        int attach = 0;
        if (in_list(abbrevs, sizeof abbrevs / sizeof *abbrevs, text + s, wl)) attach = 1;
        else if (dotted_abbrev(text + s, wl)) attach = 1;
        else if (fl == NER_TOK_WORD && is_upper(c) && e == p + k) attach = 1; /* initial "A." */
        else if (fl == NER_TOK_WORD && wl > 3 && memcmp(text + e - 3, "str", 3) == 0 && is_digit(nx))
          attach = 1; /* "Rathausstr. 13" */
        else if (fl == NER_TOK_NUM && wl <= 4) {
          int alldig = 1;
          for (size_t i = s; i < e; i++)
            if (!is_digit((unsigned char)text[i])) alldig = 0;
          if (alldig && nx != 0) {
            size_t we = at;
            while (we < len && is_wordch((unsigned char)text[we] < 0x80 ? (unsigned char)text[we] : 'a')) we++;
            if (is_lower(nx) || is_digit(nx) || in_list(months, sizeof months / sizeof *months, text + at, we - at))
              attach = 1; /* ordinal: "30. Januar", "2. und 3." */
          }
        } else if (fl == NER_TOK_WORD && nx != 0 && (is_lower(nx) || is_digit(nx)) && wl <= 5) {
          attach = 1; /* unknown short abbreviation followed by lower case: "Jh. v. Chr." */
        }
        if (attach) e++;
      }
      if ((rc = push(out, s, e, fl | pending))) return rc;
      pending = 0;
      p = e;
      continue;
    }
    /* Punctuation and symbols: one code point each, but "..." and "--" stay together. */
    size_t e = p + k;
    unsigned fl = NER_TOK_PUNCT;
    if (c == '.' || c == '-') {
      while (e < len && text[e] == (char)c) e++;
    }
    if (is_markup(c)) {
      while (e < len && text[e] == (char)c) e++;
      fl = NER_TOK_MARKUP;
      /* A heading or list item starts a new sentence. */
      if (p == line_start || pending & NER_TOK_BREAK) pending |= NER_TOK_BREAK;
      /* So does a table cell: no name runs on from one cell into the next. */
      if (c == '|') pending |= NER_TOK_BREAK;
    }
    if (c == '.' || c == '!' || c == '?' || c == 0x2026) fl |= NER_TOK_SENTEND;
    if (c == '-' && p == line_start) fl = NER_TOK_MARKUP, pending |= NER_TOK_BREAK; /* list item */
    if (fl & NER_TOK_MARKUP) {
      p = e;
      continue;
    }
    if ((rc = push(out, s, e, fl | pending))) return rc;
    pending = 0;
    p = e;
  }
  /* Sentences: a break before a token, or the token after sentence-final punctuation (plus any
   * closing quotes directly attached to it). Very long runs are cut so Viterbi stays bounded. */
  size_t cur = 0;
  for (size_t i = 0; i < out->n; i++) {
    int start = (i == 0) || (out->tok[i].flags & NER_TOK_BREAK) || (i - cur >= 200);
    if (!start && i > 0 && (out->tok[i - 1].flags & NER_TOK_SENTEND)) {
      int32_t c;
      dec(text, len, out->tok[i].start, &c);
      if (!(is_closing(c) && out->tok[i].start == out->tok[i - 1].end)) start = 1;
    }
    if (!start && i > 1 && (out->tok[i - 2].flags & NER_TOK_SENTEND) && (out->tok[i - 1].flags & NER_TOK_PUNCT) &&
        out->tok[i - 1].start == out->tok[i - 2].end) {
      int32_t c;
      dec(text, len, out->tok[i - 1].start, &c);
      if (is_closing(c)) start = 1;
    }
    if (start) {
      if ((rc = push_sent(out, i))) return rc;
      cur = i;
    }
  }
  if (out->nsent + 1 > out->sentcap) {
    size_t *ns = realloc(out->sent, (out->nsent + 1) * sizeof *ns);
    if (!ns) return PRESSE_ENOMEM;
    out->sent = ns;
    out->sentcap = out->nsent + 1;
  }
  out->sent[out->nsent] = out->n;
  return 0;
}

void ner_tokens_free(ner_tokens *t) {
  if (!t) return;
  free(t->tok);
  free(t->sent);
  memset(t, 0, sizeof *t);
}
