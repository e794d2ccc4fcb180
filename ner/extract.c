/* Entity extraction from raw text: tokenise, split sentences, tag, then make the tags of one
 * text agree with each other and give every mention a canonical form.
 *
 * The tagger sees one sentence at a time; a release, though, names "Alexander Kühner" and later
 * "Kühner", or "Herne" three times of which the tagger catches two. The post-processing here is
 * deliberately generic (no names of this or that release): the same string gets the same label
 * within a text, a lone surname joins the full name mentioned in the same text, titles and
 * quotes are not part of a name, and German adjective inflection is undone for organisation
 * names ("vom Kommunalen Integrationszentrum" -> "Kommunales Integrationszentrum"). */
#include <stdlib.h>
#include <string.h>

#include "analysis/compound.h"
#include "analysis/normalize.h"
#include "ner/ner_internal.h"
#include "presse/presse.h"

typedef struct span {
  size_t a, b; /* token range [a, b) */
  int type;
} span;

typedef struct doc {
  const char *text;
  size_t len;
  ner_tokens t;
  uint8_t *tags;
  const presse_ner_model *m;
  span extra[32]; /* nested mentions reported besides the tag sequence (places inside ORG names) */
  size_t nextra;
} doc;

static int tok_eq(const doc *d, size_t i, const char *s) {
  size_t n = strlen(s);
  return d->t.tok[i].end - d->t.tok[i].start == n && memcmp(d->text + d->t.tok[i].start, s, n) == 0;
}
static const char *tp(const doc *d, size_t i) { return d->text + d->t.tok[i].start; }
static size_t tl(const doc *d, size_t i) { return d->t.tok[i].end - d->t.tok[i].start; }

static int is_quote_tok(const doc *d, size_t i) {
  const char *s = tp(d, i);
  size_t n = tl(d, i);
  return (n == 1 && (s[0] == '"' || s[0] == '\'')) ||
         (n == 3 && (memcmp(s, "\xE2\x80\x9E", 3) == 0 || memcmp(s, "\xE2\x80\x9C", 3) == 0 ||
                     memcmp(s, "\xE2\x80\x9D", 3) == 0 || memcmp(s, "\xE2\x80\x9A", 3) == 0 ||
                     memcmp(s, "\xE2\x80\x98", 3) == 0 || memcmp(s, "\xE2\x80\x99", 3) == 0)) ||
         (n == 2 && (memcmp(s, "\xC2\xAB", 2) == 0 || memcmp(s, "\xC2\xBB", 2) == 0));
}

static int is_upper_start(const doc *d, size_t i) {
  unsigned char c = (unsigned char)tp(d, i)[0];
  if (c >= 'A' && c <= 'Z') return 1;
  /* Ä Ö Ü and other Latin-1/Latin Extended capitals; good enough for a name check. */
  if (c == 0xC3) {
    unsigned char c2 = (unsigned char)tp(d, i)[1];
    return c2 >= 0x80 && c2 <= 0x9E;
  }
  return c == 0xC4 || c == 0xC5 ? (((unsigned char)tp(d, i)[1]) % 2 == 0) : 0;
}

static unsigned gaz(const doc *d, size_t i) {
  return ner_gaz_get(d->m->gaz, tp(d, i), tl(d, i)) & ~(unsigned)NER_GAZ_PREFIX;
}

/* Name lists that post-processing trusts: places of the German-speaking lists and countries (not
 * NER_GAZ_WORLD), and persons' names. */
#define GAZ_PLACES (NER_GAZ_CITY | NER_GAZ_DISTRICT | NER_GAZ_STATE | NER_GAZ_COUNTRY)
#define GAZ_PERSONS (NER_GAZ_FIRSTNAME | NER_GAZ_SURNAME | NER_GAZ_PERNAME)

/* A line break between token i-1 and token i: names do not run on over lines of an address block. */
static int newline_before(const doc *d, size_t i) {
  return i > 0 && memchr(d->text + d->t.tok[i - 1].end, '\n', d->t.tok[i].start - d->t.tok[i - 1].end) != NULL;
}

/* "Kölner", "Hagener": a place name + "er" that is no place name itself. */
static int place_adjective(const doc *d, size_t i) {
  size_t n = tl(d, i);
  return n >= 5 && tp(d, i)[n - 2] == 'e' && tp(d, i)[n - 1] == 'r' && !(gaz(d, i) & GAZ_PLACES) &&
         (ner_gaz_get(d->m->gaz, tp(d, i), n - 2) & GAZ_PLACES);
}

/* An organisation-type noun: a head from the gazetteer ("Verein", "Städtekooperation") or a
 * capitalised compound ending in one ("Integrationszentrum", "Sportverband"). */
static int org_compound(const doc *d, size_t i);
static int ends_with(const char *s, size_t n, const char *suf);
static int org_noun(const doc *d, size_t i) {
  if (!is_upper_start(d, i)) return 0;
  return (gaz(d, i) & NER_GAZ_ORGHEAD) || org_compound(d, i);
}

/* A capitalised compound whose last part is an organisation head: "Migrantenorganisation". */
static int org_compound(const doc *d, size_t i) {
  if (!is_upper_start(d, i)) return 0;
  const char *s = tp(d, i);
  size_t n = tl(d, i);
  for (size_t a = 3; a + 3 <= n; a++)
    if ((((unsigned char)s[a]) & 0xC0) != 0x80 && (ner_gaz_get(d->m->gaz, s + a, n - a) & NER_GAZ_ORGSUF)) return 1;
  return 0;
}

/* A word of lower-case letters only ("ruft", "und"). */
static int all_lower_word(const doc *d, size_t i) {
  const char *s = tp(d, i);
  size_t n = tl(d, i);
  if (!(d->t.tok[i].flags & NER_TOK_WORD)) return 0;
  for (size_t k = 0; k < n; k++)
    if (!(s[k] >= 'a' && s[k] <= 'z') && !(((unsigned char)s[k]) >= 0x80)) return 0;
  return n > 0 && !(((unsigned char)s[0]) >= 0x80 && is_upper_start(d, i));
}

/* A capitalised word with an adjective ending as German inflects it after an article:
 * "Kommunalen", "Kommunales", "Technische". Not -er: "Hagener Vereine" is a place adjective. */
static int cap_adjective(const doc *d, size_t i) {
  const char *s = tp(d, i);
  size_t n = tl(d, i);
  if (n < 5 || !is_upper_start(d, i) || (gaz(d, i) & ~(unsigned)(NER_GAZ_PERNAME | NER_GAZ_LOCNAME | NER_GAZ_ORGNAME | NER_GAZ_SURNAME | NER_GAZ_WORLD)))
    return 0;
  for (size_t k = 1; k < n; k++)
    if (!(s[k] >= 'a' && s[k] <= 'z') && !(((unsigned char)s[k]) >= 0x80)) return 0;
  return (s[n - 2] == 'e' && (s[n - 1] == 'n' || s[n - 1] == 's' || s[n - 1] == 'm')) || s[n - 1] == 'e';
}

static size_t collect(const doc *d, span **out) {
  size_t n = 0, cap = 16;
  span *v = malloc(cap * sizeof *v);
  if (!v) return (size_t)-1;
  for (size_t i = 0; i < d->t.n;) {
    if (d->tags[i] == NER_O) {
      i++;
      continue;
    }
    int ty = ner_tag_type(d->tags[i]);
    size_t j = i + 1;
    while (j < d->t.n && d->tags[j] != NER_O && !ner_tag_is_begin(d->tags[j]) && ner_tag_type(d->tags[j]) == ty) j++;
    if (n == cap) {
      span *nv = realloc(v, (cap *= 2) * sizeof *nv);
      if (!nv) {
        free(v);
        return (size_t)-1;
      }
      v = nv;
    }
    v[n++] = (span){i, j, ty};
    i = j;
  }
  *out = v;
  return n;
}

static void set_span(doc *d, size_t a, size_t b, int type) {
  for (size_t k = a; k < b; k++) d->tags[k] = (uint8_t)(k == a ? 1 + 2 * type : 2 + 2 * type);
  if (b < d->t.n && d->tags[b] != NER_O && !ner_tag_is_begin(d->tags[b])) d->tags[b]--; /* I- -> B- */
}

/* A title from the gazetteer, or an abbreviation like one ("Dipl.", "Ing.", "Abs."): a capital,
 * two to four lower-case ASCII letters, a full stop. */
static int is_title(const doc *d, size_t i) {
  if (gaz(d, i) & NER_GAZ_TITLE) return 1;
  const char *w = tp(d, i);
  size_t n = tl(d, i);
  if (n < 4 || n > 6 || w[n - 1] != '.' || !(w[0] >= 'A' && w[0] <= 'Z')) return 0;
  for (size_t k = 1; k + 1 < n; k++)
    if (!(w[k] >= 'a' && w[k] <= 'z')) return 0;
  return 1;
}

static int same_tokens(const doc *d, size_t a, size_t b, size_t c) {
  for (size_t k = 0; k < b - a; k++)
    if (tl(d, a + k) != tl(d, c + k) || memcmp(tp(d, a + k), tp(d, c + k), tl(d, a + k)) != 0) return 0;
  return 1;
}

#define NER_CONSISTENCY_MAX_SPANS 2000
#define NER_CONSISTENCY_MAX_TOKENS 200000

/* Sentence index of every token, for "does this span cross a sentence boundary". */
static int in_one_sentence(const doc *d, const size_t *sent_of, size_t a, size_t b) {
  (void)d;
  return sent_of[a] == sent_of[b - 1];
}

/* Post-processing on the tag array of the whole text. */
static int consistency(doc *d) {
  span *v = NULL;
  size_t n = collect(d, &v);
  if (n == (size_t)-1) return PRESSE_ENOMEM;
  size_t *sent_of = malloc((d->t.n ? d->t.n : 1) * sizeof *sent_of);
  if (!sent_of) {
    free(v);
    return PRESSE_ENOMEM;
  }
  for (size_t s = 0; s < d->t.nsent; s++)
    for (size_t k = d->t.sent[s]; k < d->t.sent[s + 1]; k++) sent_of[k] = s;

  /* 1. Titles and quotes never belong to a name: trim them off span edges. */
  for (size_t e = 0; e < n; e++) {
    while (v[e].b - v[e].a > 1 && (gaz(d, v[e].a) & NER_GAZ_TITLE || is_quote_tok(d, v[e].a))) d->tags[v[e].a++] = NER_O;
    while (v[e].b - v[e].a > 1 && is_quote_tok(d, v[e].b - 1)) d->tags[--v[e].b] = NER_O;
    /* "Amtsleiter Dipl.-Ing. Ralf Weißkirchen": a person's name does not end in a title or an
     * abbreviation ("Dipl."); an initial ("A.") is two bytes and stays. */
    while (v[e].type == PRESSE_NER_PER && v[e].b - v[e].a > 1 &&
           ((gaz(d, v[e].b - 1) & NER_GAZ_TITLE) || (tl(d, v[e].b - 1) >= 3 && tp(d, v[e].b - 1)[tl(d, v[e].b - 1) - 1] == '.')))
      d->tags[--v[e].b] = NER_O;
    set_span(d, v[e].a, v[e].b, v[e].type);
  }
  /* Steps 2 and 3 compare every mention with every other: quadratic. A press release has a few
   * dozen entities; a text with thousands is not one (a log, a 50 MB dump) and gets the tagger's
   * labels without the document-level pass, so tagging stays linear in the input. */
  int small = n <= NER_CONSISTENCY_MAX_SPANS && d->t.n <= NER_CONSISTENCY_MAX_TOKENS;
  /* 2. Majority type for identical strings (ties: leave them). */
  for (size_t e = 0; small && e < n; e++) {
    int votes[3] = {0};
    for (size_t f = 0; f < n; f++)
      if (v[f].b - v[f].a == v[e].b - v[e].a && same_tokens(d, v[e].a, v[e].b, v[f].a)) votes[v[f].type]++;
    int best = v[e].type;
    for (int t = 0; t < 3; t++)
      if (votes[t] > votes[best]) best = t;
    if (best != v[e].type) {
      v[e].type = best;
      set_span(d, v[e].a, v[e].b, best);
    }
  }
  /* 3. Untagged repetitions of a tagged string get its label; a lone surname of a tagged full
   * name becomes PER. Only capitalised tokens, so "essen" never turns into the city. */
  for (size_t i = 0; small && i < d->t.n; i++) {
    if (d->tags[i] != NER_O || !is_upper_start(d, i)) continue;
    size_t bestlen = 0;
    int besttype = -1;
    for (size_t e = 0; e < n; e++) {
      size_t L = v[e].b - v[e].a;
      if (L > bestlen && i + L <= d->t.n && in_one_sentence(d, sent_of, i, i + L) && same_tokens(d, v[e].a, v[e].b, i)) {
        int free_run = 1;
        for (size_t k = i; k < i + L; k++)
          if (d->tags[k] != NER_O) free_run = 0;
        if (free_run) bestlen = L, besttype = v[e].type;
      }
      if (bestlen == 0 && v[e].type == PRESSE_NER_PER && L >= 2 && tl(d, i) >= 3 &&
          same_tokens(d, v[e].b - 1, v[e].b, i) && !(gaz(d, i) & NER_GAZ_FIRSTNAME))
        besttype = PRESSE_NER_PER, bestlen = 1;
    }
    if (bestlen) {
      set_span(d, i, i + bestlen, besttype);
      i += bestlen - 1;
    }
  }
  free(v);
  free(sent_of);
  return 0;
}

/* Organisation names of the form "Ministerium für A, B und C des Landes X": the tagger often stops
 * at the head noun. Extend an ORG whose last token is such a head over "für"/"des Landes" tails
 * made of capitalised words, commas and "und". */
static int ministry_head(const doc *d, size_t i) {
  static const char *const heads[] = {"Ministerium", "Bundesministerium", "Landesministerium", "Staatsministerium",
                                      "Senatsverwaltung", "Bundesamt", "Landesamt", "Bundesanstalt", "Landesanstalt",
                                      "Institut", "Akademie", "Hochschule", "Zentrum", "Beauftragte", "Stiftung"};
  for (size_t h = 0; h < sizeof heads / sizeof *heads; h++)
    if (tok_eq(d, i, heads[h])) return 1;
  return 0;
}

/* "von der Kolping Hochschule …", "der Fraunhofer Akademie": a capitalised, untagged word between
 * an article and an organisation's head noun is the brand of that organisation, not a word of its
 * own (German would write "der Hochschule" otherwise). */
static void extend_orgs_left(doc *d) {
  static const char *const dets[] = {"der", "die", "den", "dem", "des", "von", "vom", "zur", "zum", "im", "am"};
  for (size_t i = 2; i < d->t.n; i++) {
    if (d->tags[i] != 1 + 2 * PRESSE_NER_ORG || !((gaz(d, i) & NER_GAZ_ORGHEAD) || ministry_head(d, i))) continue;
    if (d->tags[i - 1] != NER_O || !is_upper_start(d, i - 1) || (gaz(d, i - 1) & (NER_GAZ_TITLE | NER_GAZ_ORGHEAD)))
      continue;
    int det = 0;
    for (size_t k = 0; k < sizeof dets / sizeof *dets; k++) det |= tok_eq(d, i - 2, dets[k]);
    if (!det) continue;
    d->tags[i - 1] = 1 + 2 * PRESSE_NER_ORG;
    d->tags[i] = 2 + 2 * PRESSE_NER_ORG;
  }
}

static void extend_orgs(doc *d) {
  /* An untagged head like "Ministerium" directly followed by "für" + a capitalised word starts an
   * organisation name of its own. */
  for (size_t i = 0; i + 2 < d->t.n; i++)
    if (d->tags[i] == NER_O && ministry_head(d, i) && tok_eq(d, i + 1, "für") && is_upper_start(d, i + 2) &&
        (i == 0 || d->tags[i - 1] == NER_O))
      d->tags[i] = 1 + 2 * PRESSE_NER_ORG;
  for (size_t i = 0; i < d->t.n; i++) {
    if (d->tags[i] == NER_O || ner_tag_type(d->tags[i]) != PRESSE_NER_ORG) continue;
    size_t j = i + 1;
    while (j < d->t.n && d->tags[j] == 2 + 2 * PRESSE_NER_ORG) j++;
    /* [i, j) is the ORG; one that already holds its "für" may continue with "und C". An ORG
     * the tagger ended on "für" itself is re-extended from there. */
    if (j - i >= 2 && tok_eq(d, j - 1, "für")) j--;
    int has_fuer = 0;
    for (size_t k = i; k < j; k++) has_fuer |= tok_eq(d, k, "für");
    int tail = j < d->t.n && (tok_eq(d, j, "für") || tok_eq(d, j, "for")) && j + 1 < d->t.n && is_upper_start(d, j + 1) &&
               !newline_before(d, j) && !newline_before(d, j + 1);
    int cont = has_fuer && j + 1 < d->t.n && (tok_eq(d, j, "und") || tok_eq(d, j, ",")) && is_upper_start(d, j + 1);
    if (tail || cont) {
      size_t k = j + 1, last = j;
      while (k < d->t.n && !newline_before(d, k)) {
        if (gaz(d, k) & NER_GAZ_STOP) break; /* "…, Tel. 030 …" */
        if (is_upper_start(d, k) && (d->tags[k] == NER_O || ner_tag_type(d->tags[k]) != PRESSE_NER_PER)) last = k, k++;
        else if ((tok_eq(d, k, ",") || tok_eq(d, k, "und") || tok_eq(d, k, "&")) && k + 1 < d->t.n && is_upper_start(d, k + 1)) k++;
        else break;
      }
      if (last > j) {
        /* "des Landes Nordrhein-Westfalen", "der Stadt Hagen", "des Bundes" */
        if (last + 2 < d->t.n && (tok_eq(d, last + 1, "des") || tok_eq(d, last + 1, "der")) &&
            (tok_eq(d, last + 2, "Landes") || tok_eq(d, last + 2, "Bundes") || tok_eq(d, last + 2, "Freistaates"))) {
          last += 2;
          if (last + 1 < d->t.n && is_upper_start(d, last + 1) && (gaz(d, last + 1) & (NER_GAZ_STATE | NER_GAZ_COUNTRY | NER_GAZ_LOCNAME))) {
            last++;
            /* The place inside the name is still a place mention of its own (nested entity). */
            if (d->nextra < sizeof d->extra / sizeof *d->extra) d->extra[d->nextra++] = (span){last, last + 1, PRESSE_NER_LOC};
          }
        }
        set_span(d, i, last + 1, PRESSE_NER_ORG);
        j = last + 1;
      }
    }
    i = j - 1;
  }
  extend_orgs_left(d);
}

/* "Kickwerk e.V.", "Müller GmbH": a legal form right after a name on the same line belongs to it,
 * and makes it an organisation (the tagger trained on GermEval's train split often ends the span
 * before "e.V."). */
static void legal_forms(doc *d) {
  for (size_t i = 0; i + 1 < d->t.n; i++) {
    if (d->tags[i] == NER_O || d->tags[i + 1] != NER_O || !(gaz(d, i + 1) & NER_GAZ_LEGAL) || newline_before(d, i + 1))
      continue;
    size_t a = i;
    while (a > 0 && !ner_tag_is_begin(d->tags[a])) a--;
    size_t b = i + 2;
    while (b < d->t.n && d->tags[b] == NER_O && (gaz(d, b) & NER_GAZ_LEGAL) && !newline_before(d, b)) b++;
    set_span(d, a, b, PRESSE_NER_ORG);
    i = b - 1;
  }
}

/* "Projektleiter Dipl.-Ing. Torsten Wünsche", "Dr. Karl Heinrich Brömmelkamp": after a title, a
 * known first name and the capitalised words that follow it on the line (up to three words in
 * all) are a person, even where the tagger missed them (a surname that is also a noun). */
static int ends_title(const doc *d, size_t i) {
  const char *w = tp(d, i);
  size_t n = tl(d, i);
  return is_title(d, i) ||
         (n >= 4 && w[n - 1] == '.' && (memcmp(w + n - 4, "Ing.", 4) == 0 || memcmp(w + n - 4, "med.", 4) == 0));
}
static void titled_persons(doc *d) {
  for (size_t i = 1; i + 1 < d->t.n; i++) {
    if (d->tags[i] != NER_O || !ends_title(d, i - 1) || !(gaz(d, i) & NER_GAZ_FIRSTNAME) || !is_upper_start(d, i))
      continue;
    size_t j = i + 1;
    while (j < d->t.n && j < i + 3 && d->tags[j] == NER_O && is_upper_start(d, j) && (d->t.tok[j].flags & NER_TOK_WORD) &&
           !newline_before(d, j) && !(d->t.tok[j].flags & NER_TOK_BREAK) && !(gaz(d, j) & NER_GAZ_STOP))
      j++;
    if (j > i + 1) set_span(d, i, j, PRESSE_NER_PER);
    i = j - 1;
  }
}

/* Städtekooperation „Integration.Interkommunal“, Verein "Kinderzeit": a quoted capitalised name
 * right after an organisation-type noun is that organisation's name. The tagger rarely sees
 * such names (often no ordinary word at all) and has no dictionary for them. */
static void quoted_orgs(doc *d) {
  for (size_t i = 0; i + 3 < d->t.n; i++) {
    if (!org_noun(d, i) || !is_quote_tok(d, i + 1) || !is_upper_start(d, i + 2)) continue;
    size_t j = i + 2;
    while (j < d->t.n && j <= i + 8 && !is_quote_tok(d, j) && !newline_before(d, j) &&
           !(d->t.tok[j].flags & (NER_TOK_SENTEND | NER_TOK_BREAK))) j++;
    if (j >= d->t.n || j > i + 8 || !is_quote_tok(d, j)) continue;
    int per = 0;
    for (size_t k = i + 2; k < j; k++) per |= d->tags[k] != NER_O && ner_tag_type(d->tags[k]) == PRESSE_NER_PER;
    if (per) continue;
    if (d->tags[i + 1] != NER_O && ner_tag_is_begin(d->tags[i + 1]) == 0) continue;
    set_span(d, i + 2, j, PRESSE_NER_ORG);
    i = j;
  }
}

/* "vom städtischen Kommunalen Integrationszentrum", "der Technischen Universität": inside a
 * sentence, after a lower-case word, a capitalised adjective makes the organisation noun it
 * precedes a name (a common noun phrase would write "kommunalen"). Up to two adjectives. */
static void adjective_orgs(doc *d) {
  for (size_t i = 1; i + 1 < d->t.n; i++) {
    if (!cap_adjective(d, i) || is_upper_start(d, i - 1) || newline_before(d, i) ||
        (d->t.tok[i].flags & NER_TOK_BREAK) || !(d->t.tok[i - 1].flags & NER_TOK_WORD))
      continue;
    size_t h = i + 1;
    if (h + 1 < d->t.n && cap_adjective(d, h) && !newline_before(d, h + 1)) h++;
    if (newline_before(d, h) || !org_noun(d, h) || cap_adjective(d, h)) continue;
    int ok = 1;
    for (size_t k = i; k < h; k++) ok &= d->tags[k] == NER_O || ner_tag_type(d->tags[k]) == PRESSE_NER_ORG;
    if (!ok || (d->tags[h] != NER_O && ner_tag_type(d->tags[h]) != PRESSE_NER_ORG)) continue;
    if (d->tags[h] == NER_O) {
      set_span(d, i, h + 1, PRESSE_NER_ORG);
    } else if (ner_tag_is_begin(d->tags[h])) {
      /* The tagger found the head's ORG; it starts at the adjective instead. */
      for (size_t k = i; k <= h; k++) d->tags[k] = (uint8_t)(k == i ? 1 + 2 * PRESSE_NER_ORG : 2 + 2 * PRESSE_NER_ORG);
    } else {
      continue;
    }
    i = h;
  }
}

/* Is token i a word of a person's name of two or more tokens elsewhere in the text? */
static int in_full_name(const doc *d, size_t i) {
  for (size_t k = 0; k + 1 < d->t.n; k++)
    if (d->tags[k] == 1 + 2 * PRESSE_NER_PER && d->tags[k + 1] == 2 + 2 * PRESSE_NER_PER)
      for (size_t j = k; j < d->t.n && (j == k || d->tags[j] == 2 + 2 * PRESSE_NER_PER); j++)
        if (j != i && same_tokens(d, i, i + 1, j)) return 1;
  return 0;
}

static int possessive(const doc *d, size_t i) {
  static const char *const stems[] = {"Unser", "Mein", "Dein", "Euer", "Eure", "Ihr"};
  const char *w = tp(d, i);
  size_t n = tl(d, i);
  for (size_t k = 0; k < sizeof stems / sizeof *stems; k++) {
    size_t l = strlen(stems[k]);
    if (n >= l && n <= l + 2 && memcmp(w, stems[k], l) == 0 &&
        (n == l || (n == l + 1 && strchr("em", w[l])) || (n == l + 2 && strncmp(w + l, "en", 2) == 0) ||
         (n == l + 2 && (strncmp(w + l, "em", 2) == 0 || strncmp(w + l, "er", 2) == 0 || strncmp(w + l, "es", 2) == 0))))
      return 1;
  }
  return 0;
}

/* Spans that are no names: a contact-block label or role noun alone ("E-Mail", "Postfach",
 * "Presseamt", "Landrätin"), possibly behind inflected adjectives ("Großen Saal"). And a span
 * that opened a parenthesis closes it: "Halle (Saale)". */
static void clean_spans(doc *d) {
  span *v = NULL;
  size_t n = collect(d, &v);
  if (n == (size_t)-1) return;
  for (size_t e = 0; e < n; e++) {
    size_t a = v[e].a, b = v[e].b;
    if (d->tags[a] != 1 + 2 * v[e].type) continue; /* absorbed by an earlier span's brackets */
    /* "Unser Haus hat ...", "Ihre Stadtverwaltung": a span opened by a possessive is a description. */
    if (possessive(d, a)) {
      for (size_t k = a; k < b; k++) d->tags[k] = NER_O;
      continue;
    }
    /* A title or a capitalised abbreviation alone ("Dipl." of "Dipl.-Ing.", "Prof.") is no name. */
    if (b - a == 1 && is_title(d, a)) {
      d->tags[a] = NER_O;
      continue;
    }
    /* "Ministerium ruft": a name ends in a name word, not in a lower-case word (legal forms such as
     * "mbH" are in the gazetteer). */
    while (b - a >= 2 && all_lower_word(d, b - 1) && !(gaz(d, b - 1) & NER_GAZ_LEGAL)) d->tags[--b] = NER_O;
    if (gaz(d, b - 1) & NER_GAZ_STOP) {
      int adj = 1;
      for (size_t k = a; k + 1 < b; k++) adj &= cap_adjective(d, k);
      if (adj) {
        for (size_t k = a; k < b; k++) d->tags[k] = NER_O;
        continue;
      }
    }
    /* "die Hagener Migrantenorganisation ACADI e.V.", "die Fluggesellschaft Air One GmbH": a
     * descriptive compound in front of a registered name (one that ends in a legal form) is not
     * part of that name; a place after the compound is ("Stadtwerke Münster GmbH"). */
    if (v[e].type == PRESSE_NER_ORG && b - a >= 3 && (gaz(d, b - 1) & NER_GAZ_LEGAL)) {
      const unsigned places = GAZ_PLACES | NER_GAZ_LOCNAME;
      size_t h = b - 2;
      int found = 0;
      while (!found && h > a) {
        h--;
        found = org_compound(d, h) && is_upper_start(d, h + 1) && !(gaz(d, h + 1) & places);
      }
      if (found) {
        for (size_t k = a; k <= h; k++) d->tags[k] = NER_O;
        set_span(d, h + 1, b, PRESSE_NER_ORG);
        a = h + 1;
      }
    }
    /* A release introduces a person by the full name; a lone word tagged PER that is no known
     * name and no part of a full name in the same text is a capitalised noun ("Hackathon"). */
    if (v[e].type == PRESSE_NER_PER && b - a == 1 && !(gaz(d, a) & GAZ_PERSONS) && !in_full_name(d, a) &&
        !(a > 0 && ends_title(d, a - 1))) {
      d->tags[a] = NER_O;
      continue;
    }
    /* "im Landkreis Breisgau-Hochschwarzwald 27 solcher Anrufe": a number closes no name but a
     * road's ("A 40", "B 54", "Bundesstraße 80"). */
    if (b - a >= 2 && (d->t.tok[b - 1].flags & NER_TOK_NUM) && tl(d, b - 2) > 2) {
      const char *w = tp(d, b - 2);
      size_t wl = tl(d, b - 2);
      if (!ends_with(w, wl, "straße") && !ends_with(w, wl, "strasse") && !ends_with(w, wl, "bahn") &&
          !ends_with(w, wl, "Linie") && !ends_with(w, wl, "linie")) {
        d->tags[--b] = NER_O;
      }
    }
    /* "im Kölner Norden", "Berliner Polizei": a place adjective alone is no place (GermEval's
     * LOCderiv, which the tag set leaves out); the whole "Kölner Innenstadt" span stays. */
    if (v[e].type == PRESSE_NER_LOC && b - a == 1 && place_adjective(d, a)) {
      d->tags[a] = NER_O;
      continue;
    }
    int open = 0;
    for (size_t k = a; k < b; k++) open += tok_eq(d, k, "(") - tok_eq(d, k, ")");
    if (open == 1 && b < d->t.n && tok_eq(d, b, ")") && d->tags[b] == NER_O) set_span(d, a, b + 1, v[e].type);
    /* "Halle (Saale)", "Frankfurt (Oder)": a place disambiguated by a parenthesised capitalised word
     * written tight against the brackets. */
    else if (open == 0 && v[e].type != PRESSE_NER_PER && b + 2 < d->t.n && tok_eq(d, b, "(") && tok_eq(d, b + 2, ")") &&
             is_upper_start(d, b + 1) && d->t.tok[b].end == d->t.tok[b + 1].start &&
             d->t.tok[b + 1].end == d->t.tok[b + 2].start && d->t.tok[b - 1].end < d->t.tok[b].start &&
             (d->tags[b + 1] == NER_O || ner_tag_type(d->tags[b + 1]) == PRESSE_NER_LOC) &&
             (b + 3 >= d->t.n || d->tags[b + 3] == NER_O || ner_tag_is_begin(d->tags[b + 3])) &&
             (gaz(d, b - 1) & (NER_GAZ_CITY | NER_GAZ_DISTRICT | NER_GAZ_LOCNAME) || ner_tag_type(d->tags[b + 1]) == PRESSE_NER_LOC))
      set_span(d, a, b + 3, v[e].type);
    else if (open > 0 && b - a > 1 && tok_eq(d, b - 1, "(")) set_span(d, a, b - 1, v[e].type), d->tags[b - 1] = NER_O;
  }
  free(v);
}

/* "SPD (14), AfD (10), Grünen (7) und FDP (4)": the items of an enumeration are names of one
 * kind. In a run of at least three spans joined only by commas, "und"/"oder"/"sowie" and
 * bracketed numbers, a span of a minority type becomes the majority type when the name lists
 * know it as a name of that type (the tagger took "Grünen" for a place). */
static void enumerations(doc *d) {
  span *v = NULL;
  size_t n = collect(d, &v);
  if (n == (size_t)-1) return;
  static const unsigned support[3] = {GAZ_PERSONS, GAZ_PLACES | NER_GAZ_LOCNAME,
                                      NER_GAZ_ORG | NER_GAZ_ORGNAME | NER_GAZ_LEGAL};
  for (size_t e = 0; e < n;) {
    size_t f = e + 1;
    while (f < n) {
      int joined = v[f].a > v[f - 1].b;
      for (size_t k = v[f - 1].b; k < v[f].a && joined; k++)
        joined = !newline_before(d, k) && (tok_eq(d, k, ",") || tok_eq(d, k, "und") || tok_eq(d, k, "oder") ||
                                           tok_eq(d, k, "sowie") || tok_eq(d, k, "(") || tok_eq(d, k, ")") ||
                                           (d->t.tok[k].flags & NER_TOK_NUM));
      if (!joined || newline_before(d, v[f].a)) break;
      f++;
    }
    if (f - e >= 3) {
      size_t votes[3] = {0};
      for (size_t k = e; k < f; k++) votes[v[k].type]++;
      int maj = 0;
      for (int t = 1; t < 3; t++)
        if (votes[t] > votes[maj]) maj = t;
      if (2 * votes[maj] > f - e)
        for (size_t k = e; k < f; k++) {
          if (v[k].type == maj) continue;
          int known = 1;
          for (size_t i = v[k].a; i < v[k].b; i++) known &= (gaz(d, i) & support[maj]) != 0;
          if (known) set_span(d, v[k].a, v[k].b, maj);
        }
    }
    e = f;
  }
  free(v);
}

/* "Dresden, 18.07.2025" under a ministry's name, "Kreisverwaltung Ahrweiler": a place name alone
 * is a place, not an organisation (GermEval tags the literal kind, not the metonymy), unless
 * the name lists know it as an organisation too; nor a person, unless they know it as a person's
 * name ("Ahrweiler" ends like a surname) or it is a word of a full name in the text. Runs before
 * admin_units, which then joins "Kreisverwaltung" + place into one ORG. */
/* The dictionary lists token i as a noun form (capitalised free word) - with a lexicon only. */
static int lex_noun(const doc *d, size_t i) {
  if (!d->m->lex) return 0;
  char buf[PRESSE_COMPOUND_MAX_WORD + 8];
  size_t fl = presse_fold_small(tp(d, i), tl(d, i), buf, PRESSE_COMPOUND_MAX_WORD);
  return fl && (presse_compound_lookup(d->m->lex, buf, fl) & PRESSE_LEX_NOUN);
}

static int tok_in(const doc *d, size_t i, const char *const *list, size_t n) {
  for (size_t k = 0; k < n; k++)
    if (tok_eq(d, i, list[k])) return 1;
  return 0;
}

/* The last word of a street, square, park or similar name, as a word or a compound ending:
 * "Parchimer Allee", "Schwedter Steg", "Görlitzer Park", "St. Michael-Friedhof". */
static int street_word(const doc *d, size_t i) {
  static const char *const ends[] = {"straße", "strasse", "allee", "chaussee", "damm", "weg", "platz", "steg",
                                     "ufer", "park", "brücke", "fließ", "friedhof", "garten", "markt", "ring",
                                     "gasse", "promenade", "pfad", "zeile", "hain", "tunnel", "kanal"};
  static const char *const words[] = {"Straße", "Strasse", "Allee", "Chaussee", "Damm", "Weg", "Platz", "Steg",
                                      "Ufer", "Park", "Brücke", "Fließ", "Friedhof", "Markt", "Ring", "Gasse",
                                      "Promenade", "Pfad", "Zeile", "Tunnel", "Kanal"};
  if (tok_in(d, i, words, sizeof words / sizeof *words)) return 1;
  const char *w = tp(d, i);
  size_t n = tl(d, i);
  for (size_t k = 0; k < sizeof ends / sizeof *ends; k++)
    if (n > strlen(ends[k]) + 2 && ends_with(w, n, ends[k])) return 1;
  return 0;
}

static int station(const doc *d, size_t i);

/* Car makes: in police and traffic releases "ein VW Golf", "mit einem weißen Mercedes" is a
 * vehicle, not the company. */
static int car_make(const doc *d, size_t i) {
  static const char *const makes[] = {"VW", "Volkswagen", "Mercedes", "Mercedes-Benz", "BMW", "Audi", "Opel", "Ford",
                                      "Toyota", "Skoda", "Škoda", "Honda", "Porsche", "Tesla", "Suzuki", "Mitsubishi",
                                      "Smart", "Fiat", "Renault", "Peugeot", "Seat", "Hyundai", "Kia", "Nissan",
                                      "Mazda", "Volvo", "Citroën", "Citroen", "Dacia", "Alfa", "Daihatsu", "Mini",
                                      "Jeep", "Lada", "Saab", "Chevrolet", "Jaguar", "Lexus", "Subaru", "Cupra"};
  return tok_in(d, i, makes, sizeof makes / sizeof *makes);
}

/* Errors seen in real releases (Berlin police corpus, corpus/), each fixed by a rule about its
 * kind rather than the one word:
 * - a street, park or square name is a place, whatever the tagger made of it ("Parchimer Allee"
 *   as a person, "Volkspark Friedrichshain" as an organisation), and a place adjective before a
 *   street word the tagger missed is one too ("Görlitzer Park"); the street word after a tagged
 *   name joins it ("Bernauer" + "Straße");
 * - "Alt-Moabit", "Alt-Treptow": a capitalised "Alt-" compound is a place (a historic centre);
 * - "in Mitte", "Bezirk Mitte": Berlin's district after a preposition or "Bezirk" (not "Mitte
 *   des Jahres", "Mitte Juli", "in der Mitte");
 * - "Herr Kuehner", "Frau Dr. Slowik": a capitalised word after Herr/Frau (and academic titles)
 *   is a person's name;
 * - a compass word alone ("Direktion 1 (Nord)") is no place;
 * - a car make (and model) after an article, possessive or preposition is a vehicle;
 * - a lone word tagged PER that the dictionary lists as a noun and that no title precedes is a
 *   noun even when some name list has it ("Rumpf", "Senior", "Corona", "Keller", "Smart");
 * - a lone name right after "wegen", "an", "seit", ... is a noun ("wegen Corona", "an Silvester"),
 *   and a short hand list of nouns seen tagged as persons or places is never a name alone;
 * - "BAB A100": a motorway is a place, "BAB" alone no name;
 * - an election ("Bundestagswahl") or a station or transport word alone ("U-Bahnhof", "Tram") is
 *   no organisation or place. */
static void release_rules(doc *d) {
  static const char *const preps[] = {"in", "aus", "nach", "von", "Bezirk", "Bezirks", "Ortsteil", "(", "Berlin-"};
  static const char *const mitte_not[] = {"des", "der", "dieses", "Januar", "Februar", "März", "April", "Mai", "Juni",
                                          "Juli", "August", "September", "Oktober", "November", "Dezember", "nächster",
                                          "kommender", "vergangener", "letzter"};
  static const char *const compass[] = {"Nord", "Süd", "Ost", "West", "Nordost", "Nordwest", "Südost", "Südwest",
                                        "Zentral", "Mitte"};
  static const char *const dets[] = {"ein", "eine", "einen", "einem", "eines", "einer", "der", "die", "das", "den",
                                     "dem", "des", "seinem", "seinen", "seines", "seiner", "seine", "sein", "ihrem",
                                     "ihren", "ihres", "ihrer", "ihre", "ihr", "mit", "im", "vom", "beim", "zum",
                                     "dessen", "deren", "kein", "keinen", "keinem", "Der", "Die", "Das", "Ein",
                                     "Eine", "Einen", "Dem", "Den", "Sein", "Ihr", "Mit"};
  static const char *const stations[] = {"U-Bahnhof", "S-Bahnhof", "Bahnhof", "U-Bahn", "S-Bahn", "Tram", "TRAM",
                                         "ÖPNV", "SUV", "Makerspace"};
  /* "wegen Corona", "an Silvester", "seit Ostern": a lone name after these is a noun */
  static const char *const before_noun[] = {"wegen", "trotz", "seit", "während", "an", "vor", "bis", "zu", "Wegen",
                                            "Trotz", "Seit", "Während", "An", "Vor"};
  /* Nouns the tagger took for names in the releases and the dictionary does not list as nouns
     (or lists as names too): never a person or place by themselves ("Long COVID"). */
  static const char *const nouns[] = {"Corona", "COVID", "Covid", "Hustenreiz", "Niederschlag", "Makerspace",
                                      "Müller-Thurgau", "Silvester", "Senior", "Seniorin", "Rumpf", "Jogger",
                                      "Joggerin", "Sattelzug", "Tram"};
  static const char *const defart[] = {"der", "die", "das", "den", "dem", "des", "Der", "Die", "Das", "Den", "Dem",
                                       "vom", "zum", "zur", "beim", "im"};
  const size_t n = d->t.n;
  for (size_t i = 0; i < n; i++) {
    if (d->tags[i] == NER_O) {
      /* "Alt-Moabit" */
      unsigned char c4 = tl(d, i) > 5 ? (unsigned char)tp(d, i)[4] : 0;
      if (c4 && memcmp(tp(d, i), "Alt-", 4) == 0 && ((c4 >= 'A' && c4 <= 'Z') || c4 == 0xC3))
        set_span(d, i, i + 1, PRESSE_NER_LOC);
      /* "in Mitte" */
      else if (tok_eq(d, i, "Mitte") && i > 0 && tok_in(d, i - 1, preps, sizeof preps / sizeof *preps) &&
               !(i + 1 < n && (tok_in(d, i + 1, mitte_not, sizeof mitte_not / sizeof *mitte_not) ||
                               (d->t.tok[i + 1].flags & NER_TOK_NUM))))
        set_span(d, i, i + 1, PRESSE_NER_LOC);
      /* "der Berliner Feuerwehr", "die Leipziger Polizei": a place adjective before an
         organisation head after a definite article is that city's organisation */
      else if (i > 0 && i + 1 < n && d->tags[i + 1] == NER_O && place_adjective(d, i) &&
               (gaz(d, i + 1) & NER_GAZ_ORGHEAD) && !newline_before(d, i + 1) &&
               tok_in(d, i - 1, defart, sizeof defart / sizeof *defart))
        set_span(d, i, i + 2, PRESSE_NER_ORG);
      /* "Görlitzer Park", "Oberhofer Straße" */
      else if (i + 1 < n && d->tags[i + 1] == NER_O && place_adjective(d, i) && street_word(d, i + 1) &&
               is_upper_start(d, i + 1) && !newline_before(d, i + 1))
        set_span(d, i, i + 2, PRESSE_NER_LOC);
      /* "Herr Kuehner", "Frau Dr. Slowik" */
      else if (i > 0 && is_upper_start(d, i) && (d->t.tok[i].flags & NER_TOK_WORD) && !is_title(d, i) &&
               !(gaz(d, i) & (NER_GAZ_STOP | NER_GAZ_TITLE | NER_GAZ_ORGHEAD)) && !newline_before(d, i)) {
        size_t t = i;
        while (t > 0 && t + 3 > i && is_title(d, t - 1) && !tok_eq(d, t - 1, "Herr") && !tok_eq(d, t - 1, "Frau")) t--;
        if (t > 0 && (tok_eq(d, t - 1, "Herr") || tok_eq(d, t - 1, "Frau") || tok_eq(d, t - 1, "Herrn")) &&
            !lex_noun(d, i))
          set_span(d, i, i + 1, PRESSE_NER_PER);
      }
      continue;
    }
    if (!ner_tag_is_begin(d->tags[i])) continue;
    int type = ner_tag_type(d->tags[i]);
    size_t b = i + 1;
    while (b < n && d->tags[b] == d->tags[i] + 1) b++;
    /* a street word after the span joins it */
    if (b < n && d->tags[b] == NER_O && street_word(d, b) && is_upper_start(d, b) && !newline_before(d, b) &&
        (b - i == 1 || (b - i == 2 && type != PRESSE_NER_ORG)) && !(gaz(d, i) & NER_GAZ_ORGHEAD))
      b++;
    if ((street_word(d, b - 1) && (b - i >= 2 || type != PRESSE_NER_ORG) && !(gaz(d, i) & NER_GAZ_ORGHEAD)) ||
        (b - i >= 2 && station(d, i)))
      set_span(d, i, b, PRESSE_NER_LOC); /* "S-Bahnhof Lankwitz" too */
    else if (b - i == 1 && type == PRESSE_NER_LOC && tok_in(d, i, compass, sizeof compass / sizeof *compass) &&
             !(i > 0 && tok_in(d, i - 1, preps, sizeof preps / sizeof *preps) && tok_eq(d, i, "Mitte")))
      d->tags[i] = NER_O;
    else if (car_make(d, i) && type != PRESSE_NER_LOC && i > 0 &&
             (tok_in(d, i - 1, dets, sizeof dets / sizeof *dets) ||
              (all_lower_word(d, i - 1) && (ends_with(tp(d, i - 1), tl(d, i - 1), "en") ||
                                             ends_with(tp(d, i - 1), tl(d, i - 1), "er") ||
                                             ends_with(tp(d, i - 1), tl(d, i - 1), "em")))))
      for (size_t k = i; k < b; k++) d->tags[k] = NER_O;
    else if (b - i == 1 && type == PRESSE_NER_PER && !(i > 0 && ends_title(d, i - 1)) && !in_full_name(d, i) &&
             (lex_noun(d, i) || (i > 0 && tok_in(d, i - 1, before_noun, sizeof before_noun / sizeof *before_noun))))
      d->tags[i] = NER_O;
    else if (type != PRESSE_NER_ORG && (b - i == 1 || type == PRESSE_NER_PER) &&
             tok_in(d, b - 1, nouns, sizeof nouns / sizeof *nouns))
      for (size_t k = i; k < b; k++) d->tags[k] = NER_O;
    else if (b - i == 1 && type != PRESSE_NER_PER &&
             (tok_in(d, i, stations, sizeof stations / sizeof *stations) || ends_with(tp(d, i), tl(d, i), "wahl") ||
              ends_with(tp(d, i), tl(d, i), "wahlen")))
      d->tags[i] = NER_O;
    else if (tok_eq(d, i, "BAB")) {
      if (b - i == 1 && !(b < n && (d->t.tok[b].flags & NER_TOK_WORD) && tl(d, b) <= 5 && tp(d, b)[0] == 'A'))
        d->tags[i] = NER_O;
      else {
        if (b - i == 1) b++;
        if (b < n && (d->t.tok[b].flags & NER_TOK_NUM) && d->t.tok[b].start == d->t.tok[b - 1].end + 1 &&
            tl(d, b - 1) == 1)
          b++; /* "BAB A 100" */
        set_span(d, i, b, PRESSE_NER_LOC);
      }
    }
    i = b - 1;
  }
}

static void lone_places(doc *d) {
  for (size_t i = 0; i < d->t.n; i++) {
    int type = ner_tag_type(d->tags[i]);
    unsigned g = gaz(d, i);
    if (!ner_tag_is_begin(d->tags[i]) || (i + 1 < d->t.n && d->tags[i + 1] == d->tags[i] + 1) || !(g & GAZ_PLACES) ||
        (g & NER_GAZ_ORGHEAD))
      continue;
    if ((type == PRESSE_NER_ORG && !(g & (NER_GAZ_ORG | NER_GAZ_ORGNAME))) ||
        (type == PRESSE_NER_PER && !(g & GAZ_PERSONS) && !in_full_name(d, i)))
      d->tags[i] = 1 + 2 * PRESSE_NER_LOC;
  }
}

/* "Stadt Hagen", "Kreis Unna", "Gemeinde Much": in a release the administrative unit before a
 * place name acts as the institution, so the pair becomes one ORG (the place alone stays LOC
 * wherever it stands alone). So does any organisation noun right before a place on the same
 * line: "Polizei Dortmund", "Stadtbibliothek Göttingen", "Kultusministerium Baden-Württemberg"
 * (not stations and ports: "Hauptbahnhof Köln" is a place). */
static int station(const doc *d, size_t i) {
  static const char *const ends[] = {"bahnhof", "Bahnhof", "hafen", "Hafen", "bahnhofs", "Bahnhofs", "bahnhofes",
                                     "Bahnhofes"};
  for (size_t k = 0; k < sizeof ends / sizeof *ends; k++)
    if (ends_with(tp(d, i), tl(d, i), ends[k])) return 1;
  return 0;
}
static void admin_units(doc *d) {
  static const char *const units[] = {"Stadt", "Gemeinde", "Kreis", "Landkreis", "Bezirksamt", "Landeshauptstadt",
                                      "Hansestadt", "Stadtverwaltung", "Kreisverwaltung", "Bezirk", "Markt"};
  for (size_t i = 0; i + 1 < d->t.n; i++) {
    if (d->tags[i] != NER_O || d->tags[i + 1] != 1 + 2 * PRESSE_NER_LOC) continue;
    int unit = 0;
    for (size_t u = 0; u < sizeof units / sizeof *units; u++) unit |= tok_eq(d, i, units[u]);
    if (!unit) unit = org_noun(d, i) && !station(d, i) && !newline_before(d, i + 1) && !place_adjective(d, i + 1);
    if (!unit || d->t.tok[i].end == d->t.tok[i + 1].start || (gaz(d, i + 1) & NER_GAZ_STOP)) continue;
    size_t j = i + 2;
    while (j < d->t.n && d->tags[j] == 2 + 2 * PRESSE_NER_LOC) j++;
    set_span(d, i, j, PRESSE_NER_ORG);
    i = j - 1;
  }
}

/* ---- canonical forms -------------------------------------------------------------------- */

typedef struct sbuf {
  char *p;
  size_t n, cap;
} sbuf;

static int sb_add(sbuf *b, const char *s, size_t n) {
  if (b->n + n + 1 > b->cap) {
    size_t c = b->cap ? b->cap * 2 : 64;
    while (c < b->n + n + 1) c *= 2;
    char *np = realloc(b->p, c);
    if (!np) return PRESSE_ENOMEM;
    b->p = np;
    b->cap = c;
  }
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = 0;
  return 0;
}

static int ends_with(const char *s, size_t n, const char *suf) {
  size_t k = strlen(suf);
  return n >= k && memcmp(s + n - k, suf, k) == 0;
}

/* Grammatical gender of a German head noun from its ending: 'n' neuter, 'f' feminine,
 * 'm' masculine, 0 unknown. */
static char head_gender(const char *s, size_t n) {
  static const char *const neut[] = {"zentrum", "amt", "institut", "ministerium", "werk", "haus", "gericht",
                                     "museum", "theater", "krankenhaus", "klinikum", "büro", "forum", "netzwerk",
                                     "kolleg", "team", "kreuz", "parlament", "präsidium", "kommissariat", "archiv",
                                     "orchester", "landeskriminalamt", "bündnis", "komitee", "gymnasium"};
  static const char *const fem[] = {"ung", "schaft", "heit", "keit", "ion", "tät", "schule", "stadt", "agentur",
                                    "kammer", "behörde", "bank", "kasse", "kirche", "partei", "union", "akademie",
                                    "stiftung", "gesellschaft", "initiative", "polizei", "feuerwehr", "verwaltung",
                                    "bibliothek", "gruppe", "liga", "bahn", "post", "hilfe", "wacht", "anwaltschaft"};
  static const char *const masc[] = {"verein", "verband", "rat", "bund", "dienst", "kreis", "tag", "senat",
                                     "konzern", "club", "klub", "rundfunk", "gerichtshof", "hof", "betrieb"};
  char low[64];
  size_t m = n < sizeof low ? n : sizeof low - 1;
  for (size_t i = 0; i < m; i++) low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
  low[m] = 0;
  /* Longest matching ending wins ("Gerichtshof" is masculine, "Gericht" neuter). */
  size_t best = 0;
  char g = 0;
  for (size_t i = 0; i < sizeof neut / sizeof *neut; i++)
    if (ends_with(low, m, neut[i]) && strlen(neut[i]) > best) best = strlen(neut[i]), g = 'n';
  for (size_t i = 0; i < sizeof fem / sizeof *fem; i++)
    if (ends_with(low, m, fem[i]) && strlen(fem[i]) > best) best = strlen(fem[i]), g = 'f';
  for (size_t i = 0; i < sizeof masc / sizeof *masc; i++)
    if (ends_with(low, m, masc[i]) && strlen(masc[i]) > best) best = strlen(masc[i]), g = 'm';
  return g;
}

/* A capitalised attributive adjective in an inflected form: Kommunalen, Deutsche, Roten. */
static size_t adj_stem(const char *s, size_t n) {
  static const char *const adj[] = {"al", "isch", "lich", "ig", "sch", "är", "iv", "ell", "ot", "eu", "ün",
                                    "oß", "ross", "eiß", "alt", "ert", "ig", "ar", "ein", "ord", "üd", "est", "st"};
  size_t stem;
  if (ends_with(s, n, "en") || ends_with(s, n, "es") || ends_with(s, n, "er") || ends_with(s, n, "em")) stem = n - 2;
  else if (ends_with(s, n, "e")) stem = n - 1;
  else return 0;
  for (size_t i = 0; i < sizeof adj / sizeof *adj; i++)
    if (ends_with(s, stem, adj[i])) return stem;
  return 0;
}

static int canonical(const doc *d, const span *v, size_t nv, size_t e, char **out) {
  sbuf b = {0};
  size_t a = v[e].a, z = v[e].b;
  int rc = 0;
  /* A lone surname (or "Herr Kühner" after title trimming) resolves to the longest earlier or
   * later full name of the same text that ends in it. */
  if (v[e].type == PRESSE_NER_PER && z - a == 1 && nv <= NER_CONSISTENCY_MAX_SPANS) {
    size_t best = (size_t)-1, bl = 1;
    for (size_t f = 0; f < nv; f++) {
      size_t L = v[f].b - v[f].a;
      if (v[f].type != PRESSE_NER_PER || L <= bl) continue;
      const char *last = tp(d, v[f].b - 1);
      size_t ll = tl(d, v[f].b - 1);
      /* "Kühner" or genitive "Kühners" */
      if ((ll == tl(d, a) && memcmp(last, tp(d, a), ll) == 0) ||
          (ll + 1 == tl(d, a) && memcmp(last, tp(d, a), ll) == 0 && tp(d, a)[ll] == 's'))
        best = f, bl = L;
    }
    if (best != (size_t)-1) a = v[best].a, z = v[best].b;
  }
  char g = 0;
  size_t h = (size_t)-1, hlen = 0;
  if (v[e].type == PRESSE_NER_ORG && z - a >= 2) {
    /* head noun: the last capitalised token before a "für"/"des"/"der" tail */
    h = a;
    while (h + 1 < z && is_upper_start(d, h + 1)) h++;
    hlen = tl(d, h);
    g = head_gender(tp(d, h), hlen);
    /* "des Deutschen Gewerkschaftsbundes", "des Landeskriminalamts": a masculine or neuter head
     * in the genitive after "des"/"eines" -> the nominative, so the facet has one name */
    if (a > 0 && (tok_eq(d, a - 1, "des") || tok_eq(d, a - 1, "eines")) && hlen > 4) {
      for (size_t cut = 2; cut >= 1; cut--) {
        const char *w = tp(d, h);
        if (!ends_with(w, hlen, cut == 2 ? "es" : "s")) continue;
        char g2 = head_gender(w, hlen - cut);
        if (g2 == 'm' || g2 == 'n') {
          g = g2;
          hlen -= cut;
          break;
        }
      }
    }
  }
  /* "Berlins", "Polizei Berlins": a place's genitive -s at the end of the name is dropped when the
   * name lists know the place without it (facets and filters need the base form). */
  size_t last_len = tl(d, z - 1);
  if (v[e].type != PRESSE_NER_PER && last_len > 3 && tp(d, z - 1)[last_len - 1] == 's' &&
      !(gaz(d, z - 1) & (GAZ_PLACES | NER_GAZ_LOCNAME)) &&
      (ner_gaz_get(d->m->gaz, tp(d, z - 1), last_len - 1) & (GAZ_PLACES | NER_GAZ_LOCNAME)))
    last_len--;
  int in_adj_prefix = 1;
  for (size_t k = a; k < z && !rc; k++) {
    if (is_quote_tok(d, k)) continue;
    if (b.n && !(k > a && d->t.tok[k - 1].end == d->t.tok[k].start &&
                 (tok_eq(d, k, ",") || tok_eq(d, k, ".") || tok_eq(d, k, ")") || tok_eq(d, k - 1, "("))))
      rc = sb_add(&b, " ", 1);
    if (rc) break;
    size_t stem = 0;
    if (g && in_adj_prefix && k + 1 < z && is_upper_start(d, k) && !(gaz(d, k) & (NER_GAZ_CITY | NER_GAZ_STATE)))
      stem = adj_stem(tp(d, k), tl(d, k));
    if (stem) {
      const char *end = g == 'n' ? "es" : g == 'f' ? "e" : "er";
      rc = sb_add(&b, tp(d, k), stem);
      if (!rc) rc = sb_add(&b, end, strlen(end));
    } else {
      in_adj_prefix = 0;
      size_t kl = tl(d, k);
      if (k == h && hlen < kl) kl = hlen;
      if (k == z - 1 && last_len < kl) kl = last_len;
      rc = sb_add(&b, tp(d, k), kl);
    }
  }
  if (!rc && !b.p) rc = sb_add(&b, tp(d, v[e].a), tl(d, v[e].a));
  if (rc) {
    free(b.p);
    return rc;
  }
  /* Newlines or soft hyphens from line wrapping never belong in a canonical form. */
  size_t o = 0;
  for (size_t i = 0; i < b.n; i++) {
    if ((unsigned char)b.p[i] == 0xC2 && i + 1 < b.n && (unsigned char)b.p[i + 1] == 0xAD) {
      i++; /* U+00AD SOFT HYPHEN */
      continue;
    }
    b.p[o++] = (b.p[i] == '\n' || b.p[i] == '\r' || b.p[i] == '\t') ? ' ' : b.p[i];
  }
  b.n = o;
  b.p[o] = 0;
  *out = b.p;
  return 0;
}

static char *dupn(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (p) {
    memcpy(p, s, n);
    p[n] = 0;
  }
  return p;
}

void presse_ner_entities_free(presse_ner_entity *e, size_t n) {
  if (!e) return;
  for (size_t i = 0; i < n; i++) {
    free(e[i].canonical);
    free(e[i].surface);
  }
  free(e);
}

int presse_ner_extract(const presse_ner_model *m, const char *text, size_t len, presse_ner_entity **out,
                       size_t *n) {
  if (out) *out = NULL;
  if (n) *n = 0;
  if (!m || !out || !n || (!text && len)) return PRESSE_EINVAL;
  if (len == 0) return 0;
  if (!ner_utf8_valid(text, len)) return PRESSE_EUTF8;
  doc d = {text, len, {0}, NULL, m, {{0, 0, 0}}, 0};
  ner_tagbuf tb = {0};
  const char **tok = NULL;
  size_t *tlen = NULL;
  span *v = NULL;
  presse_ner_entity *ents = NULL;
  size_t ne = 0;
  int rc = ner_tokenize(text, len, &d.t);
  if (rc) goto done;
  d.tags = calloc(d.t.n ? d.t.n : 1, 1);
  tok = malloc((d.t.n ? d.t.n : 1) * sizeof *tok);
  tlen = malloc((d.t.n ? d.t.n : 1) * sizeof *tlen);
  if (!d.tags || !tok || !tlen) {
    rc = PRESSE_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < d.t.n; i++) tok[i] = tp(&d, i), tlen[i] = tl(&d, i);
  for (size_t s = 0; s < d.t.nsent; s++) {
    size_t a = d.t.sent[s], b = d.t.sent[s + 1];
    if (b == a) continue;
    if ((rc = ner_tagbuf_reserve(&tb, b - a))) goto done;
    ner_model_tag(m, &tb, tok + a, tlen + a, b - a, d.tags + a);
  }
  /* URLs and e-mail addresses are entities of their own kind elsewhere in presse, never names. */
  for (size_t i = 0; i < d.t.n; i++)
    if (d.t.tok[i].flags & (NER_TOK_URL | NER_TOK_EMAIL)) d.tags[i] = NER_O;
  ner_tags_repair(d.tags, d.t.n);
  extend_orgs(&d);
  legal_forms(&d);
  titled_persons(&d);
  quoted_orgs(&d);
  adjective_orgs(&d);
  if ((rc = consistency(&d))) goto done;
  lone_places(&d);
  admin_units(&d);
  release_rules(&d);
  clean_spans(&d);
  enumerations(&d);
  size_t nv = collect(&d, &v);
  if (nv == (size_t)-1) {
    v = NULL;
    rc = PRESSE_ENOMEM;
    goto done;
  }
  /* Nested places join the list in text order (after the ORG that contains them). */
  for (size_t x = 0; x < d.nextra; x++) {
    span *nvv = realloc(v, (nv + 1) * sizeof *nvv);
    if (!nvv) {
      rc = PRESSE_ENOMEM;
      goto done;
    }
    v = nvv;
    size_t at = nv;
    while (at > 0 && v[at - 1].a > d.extra[x].a) at--;
    memmove(v + at + 1, v + at, (nv - at) * sizeof *v);
    v[at] = d.extra[x];
    nv++;
  }
  if (nv) {
    ents = calloc(nv, sizeof *ents);
    if (!ents) {
      rc = PRESSE_ENOMEM;
      goto done;
    }
  }
  for (size_t e = 0; e < nv; e++) {
    presse_ner_entity *x = &ents[ne];
    x->type = (presse_ner_type)v[e].type;
    x->start = d.t.tok[v[e].a].start;
    x->end = d.t.tok[v[e].b - 1].end;
    x->surface = dupn(text + x->start, x->end - x->start);
    if (!x->surface || (rc = canonical(&d, v, nv, e, &x->canonical))) {
      free(x->surface);
      x->surface = NULL;
      if (!rc) rc = PRESSE_ENOMEM;
      goto done;
    }
    ne++;
  }
done:
  if (rc) {
    presse_ner_entities_free(ents, ne);
    ents = NULL;
    ne = 0;
  }
  free(v);
  free(tok);
  free(tlen);
  free(d.tags);
  ner_tokens_free(&d.t);
  ner_tagbuf_free(&tb);
  *out = ents;
  *n = ne;
  return rc;
}
