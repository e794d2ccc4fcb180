/* Verb forms to the stem of their infinitive; the rules and their limits are in analysis/VERBS.md. */
#include "analysis/verbs.h"

#include <string.h>

/* Particles that separate from the verb and take the participle's ge- inside ("festgenommen",
 * "mitgeteilt"), and prefixes that never separate and take no ge- ("verletzt", "beraubt"). */
static const char *const separable[] = {"zusammen", "zuruck", "wieder", "weiter", "vorbei", "nieder", "hinaus",
                                        "heraus",   "herum",  "durch",  "unter",  "fest",   "fort",   "frei",
                                        "heim",     "nach",   "teil",   "uber",   "auf",    "aus",    "bei",
                                        "ein",      "her",    "hin",    "los",    "mit",    "weg",    "vor",
                                        "ab",       "an",     "um",     "zu",     NULL};
static const char *const inseparable[] = {"hinter", "wider", "miss", "emp", "ent", "zer", "ver", "be", "er", NULL};

/* Strong and irregular verbs whose past stems Snowball cannot bring back to the infinitive: the
 * Snowball stem of a past form, of a participle without its ge-, of a present form with a vowel
 * change, or of the noun made from the past stem ("Einbruch", "Angriff", "Festnahme"); the
 * infinitive. A German grammar's table of strong verbs, narrowed to the ones that releases about
 * crime, accidents and public life use. */
enum {
  BARE = 1,    /* also without particle or ge-: "nahm", "fiel"; off where the bare stem is another
                  word ("Floh", "Stahl", "Wiese", "Schloss") */
  GE_ONLY = 2, /* only after ge-: "gegangen", but not "Eingang" (a noun of its own) */
  NOUN = 4     /* the nouns of this stem name the verb's act ("Festnahme", "Einbruch", "Angriff");
                  without it, nouns keep their own stem ("Betrug", "Abschnitt", "Ausschuss",
                  "Anlage", "Aufgabe" are not forms of betragen, abschneiden, ausschießen ...) */
};
typedef struct ablaut {
  const char *past, *infinitive;
  unsigned flags;
} ablaut;
static const ablaut strong[] = {
    {"nahm", "nehmen", BARE | NOUN},      {"nomm", "nehmen", 0},         {"nimmt", "nehmen", BARE},
    {"brach", "brechen", BARE},    {"broch", "brechen", 0},       {"bricht", "brechen", BARE},
    {"bruch", "brechen", BARE | NOUN},    {"griff", "greifen", BARE | NOUN},    {"stach", "stechen", BARE},
    {"stoch", "stechen", 0},       {"sticht", "stechen", BARE},   {"stich", "stechen", BARE | NOUN},
    {"starb", "sterben", BARE},    {"storb", "sterben", 0},       {"stirbt", "sterben", BARE},
    {"floh", "fliehen", 0},        {"fand", "finden", BARE},      {"fund", "finden", BARE | NOUN},
    {"stahl", "stehlen", 0},       {"stohl", "stehlen", 0},       {"stiehlt", "stehlen", BARE},
    {"schuss", "schiessen", BARE}, {"zog", "ziehen", BARE},       {"warf", "werfen", BARE},
    {"worf", "werfen", 0},         {"wirft", "werfen", BARE},     {"wurf", "werfen", BARE | NOUN},
    {"trat", "treten", BARE},      {"tritt", "treten", BARE | NOUN},     {"schnitt", "schneiden", BARE},
    {"stieg", "steigen", BARE},    {"fiel", "fallen", BARE},      {"lief", "laufen", BARE},
    {"rief", "rufen", BARE},       {"hielt", "halten", BARE},     {"schlug", "schlagen", BARE},
    {"stiess", "stossen", BARE},   {"half", "helfen", BARE},      {"holf", "helfen", 0},
    {"hilft", "helfen", BARE},     {"lor", "lieren", 0},          {"traf", "treffen", BARE},
    {"troff", "treffen", 0},       {"trifft", "treffen", BARE},   {"fuhr", "fahren", BARE},
    {"kam", "kommen", BARE},       {"bot", "bieten", 0},          {"trug", "tragen", BARE},
    {"gab", "geben", BARE},        {"gibt", "geben", BARE},       {"sah", "sehen", BARE},
    {"sieht", "sehen", BARE},      {"liess", "lassen", BARE},     {"ging", "gehen", BARE},
    {"gang", "gehen", GE_ONLY},    {"wies", "weisen", 0},         {"schrieb", "schreiben", BARE},
    {"blieb", "bleiben", BARE},    {"fing", "fangen", BARE},      {"sass", "sitzen", BARE},
    {"lag", "liegen", BARE},       {"flog", "fliegen", BARE},     {"flug", "fliegen", BARE | NOUN},
    {"sprang", "springen", BARE},  {"sprung", "springen", BARE | NOUN},  {"schloss", "schliessen", 0},
    {"schluss", "schliessen", BARE | NOUN}, {"gewann", "gewinnen", BARE}, {"gewonn", "gewinnen", BARE},
    {"begann", "beginnen", BARE},  {"begonn", "beginnen", BARE},  {"schien", "scheinen", BARE},
    {"schied", "scheiden", BARE},  {"bracht", "bringen", BARE},   {"dacht", "denken", 0},
    {"nannt", "nennen", BARE},     {NULL, NULL, 0}};

/* Is s[0..n) one of the words in list (n == 0: the empty particle, allowed)? */
static int in_list(const char *const *list, const char *s, size_t n) {
  if (n == 0) return 1;
  for (int i = 0; list[i]; i++)
    if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return 1;
  return 0;
}

/* The Snowball stem of prefix[0..pn) + rest + tail, if the lexicon lists that as a verb's
 * infinitive (tail NULL: no check, the table says it is one). */
static size_t infinitive_stem(const presse_compound *lex, presse_raw_stem_fn raw, void *ctx, const char *prefix,
                              size_t pn, const char *rest, size_t rn, const char *tail, char *out, size_t outsz) {
  char inf[PRESSE_COMPOUND_MAX_WORD + 8];
  size_t tn = tail ? strlen(tail) : 0;
  if (pn + rn + tn >= sizeof inf) return 0;
  memcpy(inf, prefix, pn);
  memcpy(inf + pn, rest, rn);
  memcpy(inf + pn + rn, tail ? tail : "", tn);
  inf[pn + rn + tn] = '\0';
  if (tail && !(presse_compound_lookup(lex, inf, pn + rn + tn) & PRESSE_LEX_VERB)) return 0;
  return raw(ctx, inf, pn + rn + tn, out, outsz);
}

/* A strong verb's past stem, after a particle, a particle + ge-, ge-, or alone. */
static size_t strong_form(const presse_compound *lex, presse_raw_stem_fn raw, void *ctx, const char *s, size_t n,
                          int noun, char *out, size_t outsz) {
  for (const ablaut *e = strong; e->past; e++) {
    size_t el = strlen(e->past);
    if (el > n || memcmp(s + n - el, e->past, el) != 0) continue;
    size_t pn = n - el;
    int ge = pn >= 2 && s[pn - 2] == 'g' && s[pn - 1] == 'e' && in_list(separable, s, pn - 2);
    if (noun && (ge || !(e->flags & NOUN))) continue; /* "Geschoss" is no participle */
    if (ge) {
      pn -= 2;
    } else {
      if (!in_list(separable, s, pn) && !in_list(inseparable, s, pn)) continue;
      if ((e->flags & GE_ONLY) || (pn == 0 && !(e->flags & BARE))) continue;
    }
    return infinitive_stem(lex, raw, ctx, s, pn, e->infinitive, strlen(e->infinitive), NULL, out, outsz);
  }
  return 0;
}

/* A weak verb's participle or past ("geraubt", "raubte", "flüchtete", "ermittelt"), or a strong
 * verb's participle that keeps the infinitive's vowel ("angefahren"): the form without ge- and
 * its ending, if the lexicon lists the infinitive as a verb. */
static size_t regular_form(const presse_compound *lex, presse_raw_stem_fn raw, void *ctx, const char *s, size_t n,
                           char *out, size_t outsz) {
  char core[PRESSE_COMPOUND_MAX_WORD + 8];
  for (int pass = 0; pass < 2; pass++) {
    size_t cn = 0, pn = 0;
    int ge = 0;
    if (pass == 0) { /* particle + ge- + rest */
      for (size_t p = 0; p + 2 + 3 <= n && p <= 8; p++)
        if (s[p] == 'g' && s[p + 1] == 'e' && in_list(separable, s, p)) {
          memcpy(core, s, p);
          memcpy(core + p, s + p + 2, n - p - 2);
          cn = n - 2;
          pn = p;
          ge = 1;
          break;
        }
      if (!ge) continue;
    } else {
      if (n + 2 >= sizeof core) return 0;
      memcpy(core, s, n);
      memcpy(core + n, "en", 2);
      /* the stem of an infinitive already ("flucht" of "flüchte"): keep it */
      if (presse_compound_lookup(lex, core, n + 2) & PRESSE_LEX_VERB) return 0;
      cn = n;
    }
    size_t r;
    if (cn >= 5 && core[cn - 2] == 'e' && core[cn - 1] == 't' &&
        (r = infinitive_stem(lex, raw, ctx, core, cn - 2, "", 0, "en", out, outsz)))
      return r;
    if (cn >= 4 && core[cn - 1] == 't') {
      if ((r = infinitive_stem(lex, raw, ctx, core, cn - 1, "", 0, "en", out, outsz))) return r;
      if (cn >= 5 && core[cn - 3] == 'e' && (core[cn - 2] == 'l' || core[cn - 2] == 'r') &&
          (r = infinitive_stem(lex, raw, ctx, core, cn - 1, "", 0, "n", out, outsz)))
        return r; /* ermittelt -> ermitteln, andert -> andern */
    }
    if (ge && cn - pn >= 3 && (r = infinitive_stem(lex, raw, ctx, core, cn, "", 0, "en", out, outsz))) return r;
  }
  return 0;
}

size_t presse_verb_reduce(const presse_compound *lex, presse_raw_stem_fn raw, void *ctx, const char *word,
                          size_t wlen, const char *stem, size_t slen, char *out, size_t outsz) {
  if (!lex || slen < 3 || slen > PRESSE_COMPOUND_MAX_WORD) return 0;
  unsigned wf = presse_compound_lookup(lex, word, wlen);
  if (wf & PRESSE_LEX_VERB) return 0; /* an infinitive: "flüchten" is no past form of "fluchen" */
  int noun = (wf & PRESSE_LEX_NOUN) != 0;
  size_t r = strong_form(lex, raw, ctx, stem, slen, noun, out, outsz);
  if (r || noun) return r; /* "Gericht" is no form of "richten", "Fahrt" none of "fahren" */
  return regular_form(lex, raw, ctx, stem, slen, out, outsz);
}
