/* Builds the compound splitter's lexicon (analysis/compound.h) from Debian's hunspell-de-de
 * dictionary (/usr/share/hunspell/de_DE.{dic,aff}, igerman98, GPL-2/GPL-3), at build time.
 *
 * The word list itself never enters the repository: this program expands the dictionary's
 * stems with its suffix rules, folds every form the way the analyzer folds (presse_fold_append)
 * and writes a compact, mmap-able hash table of folded forms with a few flag bits. Why hunspell
 * and not a frequency list: see analysis/COMPOUNDS.md. What the flags mean: see the LEX_* bits in
 * analysis/compound.h (this tool and compound.c share them).
 *
 *   presse-build-lexicon --dic de_DE.dic --aff de_DE.aff --stopwords german.txt --out compound.lex
 *                        [--dump forms.tsv]
 *
 * Only suffix rules and the two real prefix rules (un-, ver-) are expanded; hyphen forms
 * ("Arbeits-") are skipped, they never occur inside a folded word. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compound.h"
#include "analysis/normalize.h"
#include "presse/presse.h"
#include "util/buf.h"

/* ---- affix rules ---------------------------------------------------------------------- */

/* One element of a condition: a set of UTF-8 characters, or its complement, or any ('.'). */
typedef struct {
  int neg, any;
  char chars[64]; /* concatenated UTF-8 characters */
} cond_elem;

typedef struct {
  char strip[64], add[96], cont[96]; /* cont: continuation flags of the added affix */
  cond_elem cond[16];
  int ncond;
} affix_rule;

typedef struct {
  int used, is_pfx, cross;
  affix_rule *rules;
  int nrules, cap;
} affix_class;

static affix_class classes[256];

static void die(const char *msg, const char *arg) {
  fprintf(stderr, "presse-build-lexicon: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
  exit(1);
}

static size_t u8len(unsigned char c) {
  return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static int parse_cond(const char *s, affix_rule *r) {
  r->ncond = 0;
  if (strcmp(s, ".") == 0) return 0;
  while (*s) {
    if (r->ncond == 16) return -1;
    cond_elem *e = &r->cond[r->ncond++];
    memset(e, 0, sizeof *e);
    if (*s == '.') {
      e->any = 1;
      s++;
    } else if (*s == '[') {
      s++;
      if (*s == '^') {
        e->neg = 1;
        s++;
      }
      size_t n = 0;
      while (*s && *s != ']') {
        size_t k = u8len((unsigned char)*s);
        if (n + k >= sizeof e->chars) return -1;
        memcpy(e->chars + n, s, k);
        n += k;
        s += k;
      }
      if (*s != ']') return -1;
      s++;
    } else {
      size_t k = u8len((unsigned char)*s);
      memcpy(e->chars, s, k);
      s += k;
    }
  }
  return 0;
}

/* Does the UTF-8 character c[0..k) belong to e? */
static int elem_match(const cond_elem *e, const char *c, size_t k) {
  if (e->any) return 1;
  int in = 0;
  for (const char *p = e->chars; *p;) {
    size_t pk = u8len((unsigned char)*p);
    if (pk == k && memcmp(p, c, k) == 0) {
      in = 1;
      break;
    }
    p += pk;
  }
  return e->neg ? !in : in;
}

/* Checks the condition against the end (suffix) or start (prefix) of word. */
static int cond_match(const affix_rule *r, const char *w, size_t len, int is_pfx) {
  if (is_pfx) {
    size_t i = 0;
    for (int k = 0; k < r->ncond; k++) {
      if (i >= len) return 0;
      size_t cl = u8len((unsigned char)w[i]);
      if (!elem_match(&r->cond[k], w + i, cl)) return 0;
      i += cl;
    }
    return 1;
  }
  size_t i = len;
  for (int k = r->ncond - 1; k >= 0; k--) {
    if (i == 0) return 0;
    size_t j = i - 1;
    while (j > 0 && ((unsigned char)w[j] & 0xC0) == 0x80) j--;
    if (!elem_match(&r->cond[k], w + j, i - j)) return 0;
    i = j;
  }
  return 1;
}

static void load_aff(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open", path);
  char line[512];
  while (fgets(line, sizeof line, f)) {
    char kind[8], flag[8], a[64], b[96], c[96];
    int n = sscanf(line, "%7s %7s %63s %95s %95s", kind, flag, a, b, c);
    if (n < 4 || (strcmp(kind, "SFX") && strcmp(kind, "PFX")) || strlen(flag) != 1) continue;
    affix_class *cl = &classes[(unsigned char)flag[0]];
    if (!cl->used) { /* header: SFX F Y 35 */
      cl->used = 1;
      cl->is_pfx = kind[0] == 'P';
      cl->cross = a[0] == 'Y';
      continue;
    }
    if (n < 5) continue;
    if (cl->nrules == cl->cap) {
      cl->cap = cl->cap ? cl->cap * 2 : 16;
      cl->rules = realloc(cl->rules, (size_t)cl->cap * sizeof *cl->rules);
      if (!cl->rules) die("out of memory", NULL);
    }
    affix_rule *r = &cl->rules[cl->nrules];
    memset(r, 0, sizeof *r);
    snprintf(r->strip, sizeof r->strip, "%s", strcmp(a, "0") ? a : "");
    char *slash = strchr(b, '/');
    if (slash) {
      *slash = '\0';
      snprintf(r->cont, sizeof r->cont, "%s", slash + 1);
    }
    snprintf(r->add, sizeof r->add, "%s", strcmp(b, "0") ? b : "");
    if (parse_cond(c, r) != 0) die("bad affix condition", c);
    cl->nrules++;
  }
  fclose(f);
}

/* ---- collected forms ------------------------------------------------------------------ */

/* Bits used only while building; replaced by PRESSE_LEX_TAIL / PRESSE_LEX_BOUND at the end. */
#define ZFORM 0x100u     /* a form of a stem the dictionary allows at the end of a compound */
#define PARTICIPLE 0x200u/* an inflected present participle: "(Rad)fahrende", "(Zufuß)gehenden" */

typedef struct {
  char *s;
  uint8_t len;
  uint16_t flags; /* PRESSE_LEX_* bits, and the two building bits below */
} form;

static form *forms;
static size_t nforms, capforms;
static presse_folder folder;
static presse_buf fbuf = PRESSE_BUF_INIT;

static void add_form(const char *w, size_t len, unsigned flags) {
  if (memchr(w, '-', len) || memchr(w, '.', len)) return;
  fbuf.len = 0;
  if (presse_fold_append(&folder, w, len, &fbuf) != PRESSE_OK) return;
  if (fbuf.len < 2 || fbuf.len > PRESSE_COMPOUND_MAX_WORD) return;
  for (size_t i = 0; i < fbuf.len; i++) /* letters only: digits and apostrophes never split */
    if (!((fbuf.data[i] >= 'a' && fbuf.data[i] <= 'z') || (unsigned char)fbuf.data[i] >= 0x80))
      return;
  if (nforms == capforms) {
    capforms = capforms ? capforms * 2 : 1 << 16;
    forms = realloc(forms, capforms * sizeof *forms);
    if (!forms) die("out of memory", NULL);
  }
  form *fm = &forms[nforms++];
  fm->s = malloc(fbuf.len);
  if (!fm->s) die("out of memory", NULL);
  memcpy(fm->s, fbuf.data, fbuf.len);
  fm->len = (uint8_t)fbuf.len;
  fm->flags = (uint16_t)flags;
}

static int has_flag(const char *flags, char f) { return flags && strchr(flags, f) != NULL; }

/* Flags a generated form gets from the stem's flags plus the continuation flags of the affix
 * that produced it. hunspell de_DE: x/y/z compound begin/middle/end, o only in compounds,
 * h needs an affix, d forbidden. */
static unsigned form_flags(const char *stemflags, const char *cont, int upper, int affixed) {
  char all[160];
  snprintf(all, sizeof all, "%s%s", stemflags ? stemflags : "", cont ? cont : "");
  if (has_flag(all, 'd')) return 0;
  int bound = has_flag(all, 'o') || (has_flag(stemflags, 'h') && !affixed);
  unsigned fl = 0;
  if (!bound) fl |= PRESSE_LEX_KNOWN;
  if (!bound && upper) fl |= PRESSE_LEX_NOUN;
  if (has_flag(all, 'x') || has_flag(all, 'y')) fl |= PRESSE_LEX_BEGIN;
  if (has_flag(stemflags, 'z') && !has_flag(cont, 'x') && !has_flag(cont, 'y')) fl |= ZFORM;
  return fl;
}

static int is_upper_initial(const char *w) {
  unsigned char c = (unsigned char)w[0];
  if (c >= 'A' && c <= 'Z') return 1;
  /* Ä Ö Ü in UTF-8 */
  return c == 0xC3 && ((unsigned char)w[1] == 0x84 || (unsigned char)w[1] == 0x96 ||
                       (unsigned char)w[1] == 0x9C);
}

/* Applies suffix rule r to w; returns 1 and the result in out. */
static int apply_sfx(const affix_rule *r, const char *w, size_t len, char *out, size_t outsz) {
  size_t sl = strlen(r->strip);
  if (sl > len || memcmp(w + len - sl, r->strip, sl) != 0) return 0;
  if (!cond_match(r, w, len, 0)) return 0;
  if (len - sl + strlen(r->add) + 1 > outsz) return 0;
  memcpy(out, w, len - sl);
  strcpy(out + len - sl, r->add);
  return 1;
}

static int apply_pfx(const affix_rule *r, const char *w, size_t len, char *out, size_t outsz) {
  size_t sl = strlen(r->strip);
  if (sl > len || memcmp(w, r->strip, sl) != 0) return 0;
  if (!cond_match(r, w, len, 1)) return 0;
  size_t al = strlen(r->add);
  if (al + len - sl + 1 > outsz) return 0;
  memcpy(out, r->add, al);
  memcpy(out + al, w + sl, len - sl);
  out[al + len - sl] = '\0';
  return 1;
}

static void expand_entry(const char *w, const char *flags) {
  size_t len = strlen(w);
  int upper = is_upper_initial(w);
  /* hunspell de_DE: D makes the present participle, I the conjugation of a verb */
  unsigned verb = !upper && len >= 4 && w[len - 1] == 'n' && (has_flag(flags, 'D') || has_flag(flags, 'I'))
                      ? PRESSE_LEX_VERB
                      : 0;
  add_form(w, len, form_flags(flags, NULL, upper, 0) | verb);
  if (!flags) return;
  char buf[256], buf2[256];
  for (const char *fp = flags; *fp; fp++) {
    affix_class *cl = &classes[(unsigned char)*fp];
    if (!cl->used || cl->is_pfx) continue;
    for (int i = 0; i < cl->nrules; i++) {
      const affix_rule *r = &cl->rules[i];
      if (!apply_sfx(r, w, len, buf, sizeof buf)) continue;
      /* Class D makes present participles; the inflected ones are nominalised in compounds. */
      unsigned extra = (*fp == 'D' && strlen(r->add) >= 2) ? PARTICIPLE : 0;
      add_form(buf, strlen(buf), form_flags(flags, r->cont, upper, 1) | extra);
      /* un- / ver- on top of a suffix, where both classes allow the cross product */
      if (!cl->cross) continue;
      for (const char *pp = flags; *pp; pp++) {
        affix_class *pc = &classes[(unsigned char)*pp];
        if (!pc->used || !pc->is_pfx || !pc->cross || (*pp != 'U' && *pp != 'V')) continue;
        for (int j = 0; j < pc->nrules; j++)
          if (apply_pfx(&pc->rules[j], buf, strlen(buf), buf2, sizeof buf2))
            add_form(buf2, strlen(buf2), form_flags(flags, r->cont, 0, 1));
      }
    }
  }
  for (const char *pp = flags; *pp; pp++) {
    if (*pp != 'U' && *pp != 'V') continue;
    affix_class *pc = &classes[(unsigned char)*pp];
    if (!pc->used) continue;
    for (int j = 0; j < pc->nrules; j++)
      if (apply_pfx(&pc->rules[j], w, len, buf2, sizeof buf2))
        add_form(buf2, strlen(buf2), form_flags(flags, NULL, 0, 1) | verb);
  }
}

static void load_dic(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open", path);
  char line[512];
  int first = 1;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (first) { /* the entry count */
      first = 0;
      continue;
    }
    if (!line[0] || line[0] == '\t' || line[0] == ' ' || line[0] == '#') continue;
    char *sp = strpbrk(line, " \t"); /* morphological fields, if any */
    if (sp) *sp = '\0';
    char *slash = strchr(line, '/');
    const char *flags = NULL;
    if (slash) {
      *slash = '\0';
      flags = slash + 1;
    }
    if (line[0]) expand_entry(line, flags);
  }
  fclose(f);
}

/* Particles and prefixes. Alone they are never a part; they stick to the part after them,
 * because what they make is a derivation, not a compound: "Einsatz", "Vorstand", "Mitglied",
 * "Rückfrage" are single units, and "Parteimitglieder" is Partei + Mitglieder, not
 * Partei + mit + Glieder. */
static const char *const prefixes[] = {
    "ab",      "an",      "auf",    "aus",    "bei",      "dar",    "durch",  "ein",    "empor",
    "emp",     "ent",     "fort",   "gegen",  "her",      "hin",    "hinter", "miss",   "mit",
    "nach",    "neben",   "uber",   "um",     "unter",    "ver",    "vor",    "wider",  "wieder",
    "zer",     "zu",      "zuruck", "ruck",   "zusammen", "voran",  "vorbei", "heraus", "hinaus",
    "herein",  "hinein",  "heran",  "herab",  "hinab",    "herum",  "umher",  "entgegen",
    "gegenuber", NULL};

/* Suffix-like heads: never a part of their own; they stick to the part before them, so
 * "Landschaft", "Fahrzeug", "Haushalt" (the budget), "beispielsweise", "Denkmal", "zahlbar",
 * "Arbeitslose" are single units ("Landeshaushalt" is Landes + Haushalt). The dictionary's
 * own bound heads ("-nahme", "-losigkeit") behave the same. */
static const char *const bound_heads[] = {"schaft", "schaften", "zeug",  "zeuges", "zeugs", "halt",
                                          "halts",  "halte",    "halten", "weise", "weisen", "mal",
                                          "male",   "malen",    "mals",  "bar",    "bare",   "baren",
                                          "barer",  "bares",    "los",   "lose",   "losen",  "loser",
                                          NULL};

/* Never a part at all: pieces that are words only by accident of spelling. */
static const char *const never_part[] = {"ob",   "un",    "heit", "keit", "ung",   "ungen", "lich",
                                         "ling", "linge", "lingen", "nis", "nisse", "sam",  "kunft",
                                         NULL};

/* Compounds whose meaning is not made of their parts and that the dictionary does not list
 * (it forms them by its compounding rules): known words, never split, so that "Zeit" does not
 * find "Hochzeit". With their inflected forms. A short list by design: transparent lexicalised
 * compounds ("Krankenhaus", "Feuerwehr") are split, which is what a search for "Haus" wants. */
static const char *const opaque[] = {
    "Hochzeit", "Hochzeiten", "Augenblick", "Augenblicke", "Augenblicken", "Augenblicks",
    "Handschuh", "Handschuhe", "Handschuhen", "Handschuhs", "Junggeselle", "Junggesellen",
    "Hochstapler", "Hochstaplern", "Hochstaplers", "Maulwurf", "Maulwürfe", "Maulwurfs",
    "Walross", "Walrosse", "Wolkenkratzer", "Wolkenkratzern", "Wolkenkratzers", "Zwieback",
    "Nachtigall", "Eisbein", "Hahnenfuß", "Löwenzahn", "Frauenzimmer", "Augenmaß",
    "Stiefmütterchen", "Steckenpferd", "Steckenpferde", NULL};

/* Nouns the dictionary has only as compound-initial forms ("Morgen/hij": the adverb took the
 * free form), though they are heads too: "Ostermorgen", "Einsatzmorgen". */
static const char *const missing_nouns[] = {"Morgen", "Morgens", NULL};

/* Stopwords whose folded form is also a content noun that makes compounds: "Radweg",
 * "Lebensmittelwaren", "Menschenwürde" (würde folds to the stopword wurde), "Selbsthilfe". */
static const char *const stop_but_part[] = {"weg", "waren", "wurde", "selbst", NULL};

/* Never a modifier: the particle reading wins at the start ("Wegfall", "Wegzug"), while the
 * noun is a common head ("Radweg", "Rettungsweg"). */
static const char *const never_modifier[] = {"weg", "wege", "wegs", "weges", NULL};

typedef struct {
  char *s;
  uint8_t len;
} word;

static int load_stopwords(const char *path, word **out, size_t *n) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char line[256];
  size_t cap = 0;
  *out = NULL;
  *n = 0;
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\r\n")] = '\0';
    if (!line[0] || line[0] == '#') continue;
    fbuf.len = 0;
    if (presse_fold_append(&folder, line, strlen(line), &fbuf) != PRESSE_OK) continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 256;
      *out = realloc(*out, cap * sizeof **out);
      if (!*out) die("out of memory", NULL);
    }
    (*out)[*n].s = strdup(fbuf.data);
    (*out)[*n].len = (uint8_t)fbuf.len;
    (*n)++;
  }
  fclose(f);
  return 0;
}

static int cmp_form(const void *a, const void *b) {
  const form *x = a, *y = b;
  size_t m = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->s, y->s, m);
  if (c) return c;
  return (int)x->len - (int)y->len;
}

static form *find_form(const char *w) {
  form key;
  key.s = (char *)w;
  key.len = (uint8_t)strlen(w);
  return bsearch(&key, forms, nforms, sizeof *forms, cmp_form);
}

int main(int argc, char **argv) {
  const char *dic = NULL, *aff = NULL, *stop = NULL, *out = NULL, *dump = NULL;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--dic")) dic = argv[i + 1];
    else if (!strcmp(argv[i], "--aff")) aff = argv[i + 1];
    else if (!strcmp(argv[i], "--stopwords")) stop = argv[i + 1];
    else if (!strcmp(argv[i], "--out")) out = argv[i + 1];
    else if (!strcmp(argv[i], "--dump")) dump = argv[i + 1];
    else die("unknown option", argv[i]);
  }
  if (!dic || !aff || !out) {
    fprintf(stderr,
            "usage: presse-build-lexicon --dic de_DE.dic --aff de_DE.aff [--stopwords german.txt]"
            " --out compound.lex [--dump forms.tsv]\n");
    return 2;
  }
  load_aff(aff);
  load_dic(dic);

  word *stops = NULL;
  size_t nstops = 0;
  if (stop && load_stopwords(stop, &stops, &nstops) != 0) die("cannot open", stop);
  for (size_t i = 0; i < nstops; i++) {
    int exempt = 0;
    for (int k = 0; stop_but_part[k]; k++)
      if (strcmp(stops[i].s, stop_but_part[k]) == 0) exempt = 1;
    add_form(stops[i].s, stops[i].len, exempt ? PRESSE_LEX_KNOWN : PRESSE_LEX_STOP | PRESSE_LEX_KNOWN);
  }
  for (int i = 0; missing_nouns[i]; i++) /* free nouns that can end a compound */
    add_form(missing_nouns[i], strlen(missing_nouns[i]), PRESSE_LEX_KNOWN | PRESSE_LEX_NOUN | ZFORM);
  for (int i = 0; opaque[i]; i++) add_form(opaque[i], strlen(opaque[i]), PRESSE_LEX_KNOWN | PRESSE_LEX_NOUN);
  for (int i = 0; never_part[i]; i++) add_form(never_part[i], strlen(never_part[i]), PRESSE_LEX_STOP);
  for (int i = 0; prefixes[i]; i++)
    add_form(prefixes[i], strlen(prefixes[i]), PRESSE_LEX_STOP | PRESSE_LEX_PREFIX);

  /* The dictionary lists many derived nouns only through their compound-initial form
   * ("Vollstreckungs", "Feststellungs"): such a form ending in a suffix that makes nouns, plus
   * the linking s, vouches for the noun itself, which then is a known word (never split into
   * "voll"+"streckung") and a head. Its plural is the stem plus -en. */
  static const char *const noun_suffix[] = {"ungs", "heits", "keits", "schafts", "ions", "tats", NULL};
  size_t nbase = nforms;
  for (size_t i = 0; i < nbase; i++) {
    if (!(forms[i].flags & PRESSE_LEX_BEGIN)) continue;
    for (int k = 0; noun_suffix[k]; k++) {
      size_t sl = strlen(noun_suffix[k]), len = forms[i].len;
      if (len <= sl + 2 || memcmp(forms[i].s + len - sl, noun_suffix[k], sl) != 0) continue;
      char stem[PRESSE_COMPOUND_MAX_WORD + 3];
      memcpy(stem, forms[i].s, len - 1);
      add_form(stem, len - 1, PRESSE_LEX_KNOWN | PRESSE_LEX_NOUN | ZFORM);
      memcpy(stem + len - 1, "en", 2);
      add_form(stem, len + 1, PRESSE_LEX_KNOWN | PRESSE_LEX_NOUN | ZFORM);
      break;
    }
  }

  /* Merge duplicates: a folded form collects the flags of every word that folds to it. */
  qsort(forms, nforms, sizeof *forms, cmp_form);
  size_t m = 0;
  for (size_t i = 0; i < nforms; i++) {
    if (m && cmp_form(&forms[m - 1], &forms[i]) == 0) {
      forms[m - 1].flags |= forms[i].flags;
      free(forms[i].s);
    } else {
      forms[m++] = forms[i];
    }
  }
  nforms = m;

  /* A tail is a free noun form of a stem allowed at the end of a compound, or a nominalised
   * participle; a z-form that is no free noun is a bound head ("nahme" of "Maßnahme").
   * Decided before the lists below change NOUN bits. */
  for (size_t i = 0; i < nforms; i++) {
    unsigned fl = forms[i].flags;
    unsigned nf = fl & ~(ZFORM | PARTICIPLE);
    if (((fl & ZFORM) && (fl & PRESSE_LEX_NOUN)) || (fl & PARTICIPLE)) nf |= PRESSE_LEX_TAIL;
    else if (fl & ZFORM) nf |= PRESSE_LEX_BOUND;
    forms[i].flags = (uint16_t)nf;
  }
  for (int i = 0; bound_heads[i]; i++) { /* not a part alone, not even a modifier */
    form *fm = find_form(bound_heads[i]);
    if (fm) fm->flags = (uint16_t)((fm->flags & ~(PRESSE_LEX_TAIL | PRESSE_LEX_NOUN)) | PRESSE_LEX_BOUND);
  }
  for (int i = 0; never_modifier[i]; i++) {
    form *fm = find_form(never_modifier[i]);
    if (fm) fm->flags &= (uint16_t)~(PRESSE_LEX_NOUN | PRESSE_LEX_BEGIN);
  }

  /* Stop forms lose every part bit; forms too short to matter are dropped. */
  size_t kept = 0;
  for (size_t i = 0; i < nforms; i++) {
    form *fm = &forms[i];
    if (fm->flags & PRESSE_LEX_STOP)
      fm->flags &= (uint16_t)~(PRESSE_LEX_TAIL | PRESSE_LEX_BEGIN | PRESSE_LEX_NOUN | PRESSE_LEX_BOUND);
    /* Prefixes may be two letters ("ab", "um", "zu"). */
    /* Forms shorter than the shortest splittable word matter only as parts. */
    int part = fm->flags & (PRESSE_LEX_NOUN | PRESSE_LEX_TAIL | PRESSE_LEX_BEGIN | PRESSE_LEX_STOP | PRESSE_LEX_BOUND);
    if ((fm->flags & (PRESSE_LEX_PREFIX | PRESSE_LEX_VERB)) ||
        (fm->len >= PRESSE_COMPOUND_MIN_PART && (part || fm->len >= 2 * PRESSE_COMPOUND_MIN_PART) && fm->flags))
      forms[kept++] = *fm;
    else
      free(fm->s);
  }
  nforms = kept;

  if (dump) {
    FILE *d = fopen(dump, "w");
    if (!d) die("cannot write", dump);
    for (size_t i = 0; i < nforms; i++)
      fprintf(d, "%.*s\t%s%s%s%s%s%s%s%s\n", forms[i].len, forms[i].s,
              forms[i].flags & PRESSE_LEX_KNOWN ? "K" : "", forms[i].flags & PRESSE_LEX_NOUN ? "N" : "",
              forms[i].flags & PRESSE_LEX_TAIL ? "T" : "", forms[i].flags & PRESSE_LEX_BEGIN ? "B" : "",
              forms[i].flags & PRESSE_LEX_STOP ? "S" : "", forms[i].flags & PRESSE_LEX_BOUND ? "b" : "",
              forms[i].flags & PRESSE_LEX_PREFIX ? "P" : "", forms[i].flags & PRESSE_LEX_VERB ? "V" : "");
    fclose(d);
  }

  /* The hash table: slots hold 1 + the offset of an entry (len, flags, bytes) in the pool. */
  uint32_t nslots = 1;
  while (nslots < nforms + nforms / 2) nslots <<= 1; /* load factor at most 2/3 */
  size_t nparts = 0;
  for (size_t i = 0; i < nforms; i++)
    if (forms[i].flags & (PRESSE_LEX_NOUN | PRESSE_LEX_TAIL | PRESSE_LEX_BEGIN | PRESSE_LEX_BOUND | PRESSE_LEX_PREFIX))
      nparts++;
  uint32_t bloom_words = 1; /* about 16 bits per part form: under 2% false positives */
  while ((size_t)bloom_words * 64 < nparts * 16) bloom_words <<= 1;
  uint32_t *slots = calloc(nslots, sizeof *slots);
  uint64_t *bloom = calloc(bloom_words, sizeof *bloom);
  presse_buf pool = PRESSE_BUF_INIT;
  if (!slots || !bloom) die("out of memory", NULL);
  for (size_t i = 0; i < nforms; i++) {
    uint32_t off = (uint32_t)pool.len;
    char hdr[2] = {(char)forms[i].len, (char)forms[i].flags};
    if (presse_buf_append(&pool, hdr, 2) || presse_buf_append(&pool, forms[i].s, forms[i].len))
      die("out of memory", NULL);
    uint64_t hv = presse_lex_hash(forms[i].s, forms[i].len);
    uint32_t h = presse_lex_slot(hv) & (nslots - 1);
    while (slots[h]) h = (h + 1) & (nslots - 1);
    slots[h] = off + 1;
    if (forms[i].flags & (PRESSE_LEX_NOUN | PRESSE_LEX_TAIL | PRESSE_LEX_BEGIN | PRESSE_LEX_BOUND | PRESSE_LEX_PREFIX)) {
      uint32_t a, b;
      presse_lex_bloom_bits(hv, bloom_words, &a, &b);
      bloom[a >> 6] |= 1ull << (a & 63);
      bloom[b >> 6] |= 1ull << (b & 63);
    }
  }

  presse_lex_header hd;
  memset(&hd, 0, sizeof hd);
  memcpy(hd.magic, PRESSE_LEX_MAGIC, sizeof hd.magic);
  hd.version = PRESSE_LEX_VERSION;
  hd.nslots = nslots;
  hd.nentries = (uint32_t)nforms;
  hd.pool_size = (uint32_t)pool.len;
  hd.bloom_words = bloom_words;

  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", out);
  FILE *o = fopen(tmp, "wb");
  if (!o) die("cannot write", tmp);
  if (fwrite(&hd, sizeof hd, 1, o) != 1 || fwrite(slots, sizeof *slots, nslots, o) != nslots ||
      fwrite(bloom, sizeof *bloom, bloom_words, o) != bloom_words || fwrite(pool.data, 1, pool.len, o) != pool.len || fclose(o) != 0)
    die("cannot write", tmp);
  if (rename(tmp, out) != 0) die("cannot rename", tmp);
  fprintf(stderr, "presse-build-lexicon: %zu forms, %u slots, %zu bytes -> %s\n", nforms, nslots,
          sizeof hd + (size_t)nslots * 4 + (size_t)bloom_words * 8 + pool.len, out);
  free(slots);
  free(bloom);
  presse_buf_free(&pool);
  for (size_t i = 0; i < nforms; i++) free(forms[i].s);
  free(forms);
  for (size_t i = 0; i < nstops; i++) free(stops[i].s);
  free(stops);
  presse_buf_free(&fbuf);
  presse_folder_free(&folder);
  for (int i = 0; i < 256; i++) free(classes[i].rules);
  return 0;
}
