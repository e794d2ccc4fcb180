/* German compound splitting (see compound.h; the rationale, with measurements, is in
 * analysis/COMPOUNDS.md).
 *
 * Method: dictionary-licensed decomposition. The lexicon is generated at build time from
 * Debian's hunspell-de-de (igerman98). That dictionary lists simple words, and compounds only
 * where their meaning is lexicalised ("Rathaus", "Mitteilung"); every other compound it accepts
 * through its compounding rules, with its own marks for the nouns that may end a compound and
 * for the compound-initial forms with their linking elements ("Arbeits", "Tages", "Schul").
 *   1. A word the dictionary lists (any inflected form of a listed stem) is never split. This
 *      rule stops nearly all false splits: "verein", "konsumenten" (not konsum+enten),
 *      "halterung", "mitteilung", "organisation", "hagen", "berlin".
 *   2. Otherwise the word is covered by parts, fewest parts first: modifiers (a listed
 *      compound-initial form, or a noun form followed by a linking element -s-, -es-, -n-,
 *      -en-, -er-, -e-, -ens-, or none) and a head (a noun form the dictionary allows at the
 *      end of a compound, or a nominalised participle: "Rad"+"fahrende"). Parts are 3+ bytes.
 *      Fewest parts means the parts are the smallest units the dictionary lists on their own:
 *      "hochwasserschutzmassnahmen" -> hoch + wasser + schutz + massnahmen.
 *   3. What is not a compound part: particles stick to the part after them ("mitglieder",
 *      "vorstands"), suffix-like and bound heads to the part before them ("landschaft",
 *      "fahrzeug", "haushalt", "massnahmen"), -ung nouns of listed particle verbs stay whole
 *      ("feststellung"), function words are never parts.
 *   4. Among covers with as many parts, a small cost model decides: listed compound-initial
 *      forms over a noun plus linking element, no linking element over one, longer parts
 *      over 3-byte ones ("arbeits"+"amt", not "arbeit"+"samt").
 *   5. Street names: an unknown name before "strasse", "allee", "damm", "platz", "weg", ... is
 *      a part of its own ("gotzkowsky"+"strasse"), rather than chance parts ("volk"+"mars"+
 *      "trasse").
 * Why not Koehn & Knight's corpus frequencies: their split test compares the compound's
 * frequency with its parts', which needs a corpus large enough to have seen both; the text we
 * may ship (corpus/, the CC BY NER sets: under a million tokens) has not seen most compounds,
 * and larger corpora may not be redistributed or required at build time. The dictionary's
 * curated compounding marks carry the knowledge without a corpus, on any Debian machine.
 *
 * Speed: the lexicon is an mmap-ed open-addressing hash table; the search hashes every
 * substring incrementally (FNV-1a extends one byte at a time) and asks a Bloom filter over the
 * part forms first, so most of the ~n^2/2 candidate substrings never touch the big table. */
#include "analysis/compound.h"
#include "util/datadir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "presse/presse.h"

struct presse_compound {
  void *map;
  size_t map_len;
  const uint32_t *slots;
  const uint64_t *bloom;
  const unsigned char *pool;
  uint32_t slot_mask, bloom_words, pool_size;
  char *path;
};

static int try_load(presse_compound *c, const char *path) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT || errno == ENOTDIR ? PRESSE_ENOTFOUND : PRESSE_EIO;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return PRESSE_EIO;
  }
  if ((size_t)st.st_size < sizeof(presse_lex_header)) {
    close(fd);
    return PRESSE_EFORMAT;
  }
  void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return PRESSE_EIO;
  const presse_lex_header *h = map;
  size_t size = (size_t)st.st_size;
  int ok = memcmp(h->magic, PRESSE_LEX_MAGIC, sizeof h->magic) == 0 && h->version == PRESSE_LEX_VERSION &&
           h->nslots && !(h->nslots & (h->nslots - 1)) && h->bloom_words &&
           !(h->bloom_words & (h->bloom_words - 1)) &&
           size == sizeof *h + (size_t)h->nslots * 4 + (size_t)h->bloom_words * 8 + h->pool_size;
  if (!ok) {
    munmap(map, size);
    return PRESSE_EFORMAT;
  }
  c->map = map;
  c->map_len = size;
  c->slots = (const uint32_t *)(h + 1);
  c->bloom = (const uint64_t *)(c->slots + h->nslots);
  c->pool = (const unsigned char *)(c->bloom + h->bloom_words);
  c->slot_mask = h->nslots - 1;
  c->bloom_words = h->bloom_words;
  c->pool_size = h->pool_size;
  c->path = strdup(path);
  if (!c->path) return PRESSE_ENOMEM;
  return PRESSE_OK;
}

int presse_compound_new(presse_compound **out, const char *lexicon_path) {
  *out = NULL;
  presse_compound *c = calloc(1, sizeof *c);
  if (!c) return PRESSE_ENOMEM;
  int rc;
  if (lexicon_path) {
    rc = try_load(c, lexicon_path);
  } else {
    /* The environment wins (tests, relocated installs), then the build tree, then the install. */
    const char *candidates[3];
    int n = 0;
    const char *env = getenv("PRESSE_LEXICON");
    if (env && *env) candidates[n++] = env;
    /* an installed libpresse reads only its own prefix's lexicon (util/datadir.c) */
    const char *inst = presse_datadir_installed();
    char installed[4096];
    if (inst && snprintf(installed, sizeof installed, "%s/compound.lex", inst) < (int)sizeof installed) {
      if (!env || !*env) candidates[n++] = installed;
    } else {
#ifdef PRESSE_LEXICON_BUILD_PATH
      candidates[n++] = PRESSE_LEXICON_BUILD_PATH;
#endif
#ifdef PRESSE_DATADIR
      candidates[n++] = PRESSE_DATADIR "/compound.lex";
#endif
    }
    rc = PRESSE_ENOTFOUND;
    for (int i = 0; i < n && rc == PRESSE_ENOTFOUND; i++) rc = try_load(c, candidates[i]);
  }
  if (rc != PRESSE_OK) {
    presse_compound_free(c);
    return rc;
  }
  *out = c;
  return PRESSE_OK;
}

void presse_compound_free(presse_compound *c) {
  if (!c) return;
  if (c->map) munmap(c->map, c->map_len);
  free(c->path);
  free(c);
}

const char *presse_compound_path(const presse_compound *c) { return c->path; }

/* Slots are checked against the pool bounds as they are read, so a damaged file can give
 * wrong answers but never a read outside the mapping (checking all slots at load would
 * touch the whole file and cost milliseconds at every start). A full table ends the probe. */
static unsigned lookup_hashed(const presse_compound *c, uint64_t hv, const char *s, size_t len) {
  uint32_t i = presse_lex_slot(hv) & c->slot_mask;
  for (uint32_t probes = 0; probes <= c->slot_mask; probes++) {
    uint32_t off = c->slots[i];
    if (!off) return 0;
    if ((size_t)off + 1 + len <= c->pool_size) {
      const unsigned char *e = c->pool + off - 1;
      if (e[0] == len && memcmp(e + 2, s, len) == 0) return e[1];
    }
    i = (i + 1) & c->slot_mask;
  }
  return 0;
}

static int bloom_has(const presse_compound *c, uint64_t hv) {
  uint32_t a, b;
  presse_lex_bloom_bits(hv, c->bloom_words, &a, &b);
  return (c->bloom[a >> 6] >> (a & 63) & 1) && (c->bloom[b >> 6] >> (b & 63) & 1);
}

unsigned presse_compound_lookup(const presse_compound *c, const char *folded, size_t len) {
  if (!c || len == 0 || len > PRESSE_COMPOUND_MAX_WORD) return 0;
  return lookup_hashed(c, presse_lex_hash(folded, len), folded, len);
}

/* Linking elements, tried after a noun form that is not itself a listed compound-initial form.
 * "" first: most modifiers are a plain word form ("migranten", "kinder", "stadt"). */
static const char *const links[] = {"", "s", "es", "n", "en", "er", "e", "ens", "ns"};
#define NLINKS (int)(sizeof links / sizeof *links)

/* Costs, in tenths: the number of parts dominates (a longer known unit beats two shorter
 * ones), then how each modifier is licensed. */
#define COST_PART 100
#define COST_LINK 8      /* a linking element outside any listed form */
#define COST_NOUN_MOD 5  /* a noun form as modifier that the dictionary does not list as compound-initial */
#define COST_PREFIX 10   /* a particle glued to the next part: a direct unit is preferred */
#define COST_SHORT 2     /* a 3-letter part: "arbeits+amt" still beats "arbeit+samt" */
#define INF_COST 1000000

/* Is w[i..n) an -ung noun of a verb the dictionary lists with its particle or first part
 * ("feststellung" of "feststellen", "vollstreckung" of "vollstrecken")? Such a noun is one
 * unit: "Fest"+"Stellung" would be a false split. */
static int deverbal_unit(const presse_compound *c, const char *w, size_t i, size_t n) {
  size_t cut;
  if (n - i > 8 && memcmp(w + n - 5, "ungen", 5) == 0) cut = 5;
  else if (n - i > 6 && memcmp(w + n - 3, "ung", 3) == 0) cut = 3;
  else return 0;
  char verb[PRESSE_COMPOUND_MAX_WORD + 2];
  size_t base = n - i - cut;
  memcpy(verb, w + i, base);
  memcpy(verb + base, "en", 2); /* stellung -> stellen */
  if (presse_compound_lookup(c, verb, base + 2) & PRESSE_LEX_KNOWN) return 1;
  verb[base] = 'n'; /* anderung -> andern, regelung -> regeln */
  return (presse_compound_lookup(c, verb, base + 1) & PRESSE_LEX_KNOWN) != 0;
}

static int is_letter(unsigned char ch) { return (ch >= 'a' && ch <= 'z') || ch >= 0x80; }

/* The search state, right to left: best[i] is the cheapest cover of w[i..n) by parts
 * (INF_COST if none); its first part is w[i..i+plen[i]), and the rest of the cover starts at
 * next[i] (the bytes between are a linking element). */
typedef struct {
  int best[PRESSE_COMPOUND_MAX_WORD + 1];
  unsigned char next[PRESSE_COMPOUND_MAX_WORD + 1], plen[PRESSE_COMPOUND_MAX_WORD + 1];
} search;

/* Offers a cover of w[i..n) whose first part is plen bytes long and whose rest starts at at. */
static void offer(search *st, size_t i, size_t plen, size_t at, int cost) {
  if (cost < st->best[i]) {
    st->best[i] = cost;
    st->plen[i] = (unsigned char)plen;
    st->next[i] = (unsigned char)at;
  }
}

/* A modifier w[i..end) followed by a linking element (or none) and the cover from there. */
static void offer_modifier(search *st, const char *w, size_t n, size_t i, size_t end, int listed,
                           int nolink, int cost) {
  for (int k = 0; k < NLINKS; k++) {
    if (k > 0 && (listed || nolink)) break; /* a listed compound-initial form carries its own link */
    size_t ll = strlen(links[k]);
    size_t at = end + ll;
    if (at + PRESSE_COMPOUND_MIN_PART > n || memcmp(w + end, links[k], ll) != 0) continue;
    if (st->best[at] >= INF_COST) continue;
    offer(st, i, end - i, at,
          st->best[at] + cost + (ll ? COST_LINK : 0) + (listed ? 0 : COST_NOUN_MOD));
  }
}

int presse_compound_split(const presse_compound *c, const char *w, size_t n,
                          presse_compound_part *parts, int max) {
  if (max < 1) max = 1;
  parts[0].start = 0;
  parts[0].len = n;
  if (!c || n < 2 * PRESSE_COMPOUND_MIN_PART || n > PRESSE_COMPOUND_MAX_WORD) return 1;
  for (size_t i = 0; i < n; i++)
    if (!is_letter((unsigned char)w[i])) return 1;
  /* Words the dictionary lists are atomic. */
  if (presse_compound_lookup(c, w, n) & (PRESSE_LEX_KNOWN | PRESSE_LEX_STOP)) return 1;
  int ung = n > 6 && memcmp(w + n - 3, "ung", 3) == 0;
  ung = ung || (n > 8 && memcmp(w + n - 5, "ungen", 5) == 0);
  if (ung && deverbal_unit(c, w, 0, n)) return 1;

  /* bound[i] has bit L set if w[i..i+L) is a bound head;
   * boundmod[i] the same for those that may also stand inside a modifier (not "halte", which
   * is a compound-initial form of its own: "Bushaltestelle" is Bus + Halte + Stelle). */
  search st;
  uint16_t bound[PRESSE_COMPOUND_MAX_WORD + 1], boundmod[PRESSE_COMPOUND_MAX_WORD + 1];
  st.best[n] = INF_COST;
  bound[n] = boundmod[n] = 0;
  for (size_t i = n; i-- > 0;) {
    st.best[i] = INF_COST;
    bound[i] = boundmod[i] = 0;
    if (i + 2 > n || ((unsigned char)w[i] & 0xC0) == 0x80) continue; /* cut mid-character */
    if (ung && i > 0 && deverbal_unit(c, w, i, n)) offer(&st, i, n - i, n, COST_PART);
    uint64_t hv = PRESSE_LEX_HASH_INIT;
    for (size_t j = i; j < n; j++) {
      hv = presse_lex_hash_step(hv, (unsigned char)w[j]);
      size_t end = j + 1, len = end - i;
      if (len < 2 || (end < n && ((unsigned char)w[end] & 0xC0) == 0x80)) continue;
      if (!bloom_has(c, hv)) continue;
      unsigned fl = lookup_hashed(c, hv, w + i, len);
      if (!fl) continue;
      if ((fl & PRESSE_LEX_BOUND) && len < 16) {
        bound[i] |= (uint16_t)(1u << len);
        if (!(fl & PRESSE_LEX_BEGIN)) boundmod[i] |= (uint16_t)(1u << len);
      }
      /* A particle sticks to the first part of the cover after it. */
      if ((fl & PRESSE_LEX_PREFIX) && end < n && st.best[end] < INF_COST)
        offer(&st, i, len + st.plen[end], st.next[end], st.best[end] + COST_PREFIX);
      if (len < PRESSE_COMPOUND_MIN_PART || (fl & PRESSE_LEX_STOP)) continue;
      /* A 3-letter part must be one the dictionary allows in compounds (it lists "amt",
       * "rat", "bus" so): a bare noun or name form of 3 letters ("Ben") is too often chance. */
      if (len == PRESSE_COMPOUND_MIN_PART && !(fl & (PRESSE_LEX_TAIL | PRESSE_LEX_BEGIN))) continue;
      int cost = COST_PART + (len == PRESSE_COMPOUND_MIN_PART ? COST_SHORT : 0);
      if (end == n) {
        if ((fl & PRESSE_LEX_TAIL) && i > 0) offer(&st, i, len, n, cost);
        continue;
      }
      if (!(fl & (PRESSE_LEX_BEGIN | PRESSE_LEX_NOUN))) continue;
      offer_modifier(&st, w, n, i, end, (fl & PRESSE_LEX_BEGIN) != 0, 0, cost);
      /* A bound head sticks to this modifier: "mass"+"nahmen", "wohnungs"+"losen". The unit
       * is a head at the end of the word, else a modifier without a linking element. */
      for (unsigned bl = 3; bl < 16; bl++) {
        if (!(bound[end] >> bl & 1)) continue;
        size_t uend = end + bl;
        if (uend == n) offer(&st, i, n - i, n, COST_PART);
        else if (boundmod[end] >> bl & 1) offer_modifier(&st, w, n, i, uend, 0, 1, COST_PART);
      }
    }
  }
  /* Street names: a name the dictionary does not know, before "straße", "allee", "damm", ...
   * is still a part ("gotzkowsky" + "strasse"). It also replaces a cover that cuts into the
   * street word ("volk"+"mars"+"trasse" for Volkmarstraße); a cover whose last part is the
   * street word or ends with it ("rad"+"schnell"+"weg", "fussganger"+"uberweg") stays. */
  static const char *const street[] = {"strasse", "strassen", "allee", "chaussee", "damm",
                                       "platz",   "weg",      "gasse", "steig"};
  for (size_t k = 0; k < sizeof street / sizeof *street; k++) {
    size_t hl = strlen(street[k]);
    if (n < hl + 4 || memcmp(w + n - hl, street[k], hl) != 0) continue;
    size_t last = 0;
    if (st.best[0] < INF_COST)
      for (size_t i = 0; i < n; i = st.next[i]) last = i;
    if (st.best[0] >= INF_COST || last > n - hl) {
      st.best[0] = 2 * COST_PART;
      st.plen[0] = (unsigned char)(n - hl);
      st.next[0] = (unsigned char)(n - hl);
      st.plen[n - hl] = (unsigned char)hl;
      st.next[n - hl] = (unsigned char)n;
    }
    break;
  }
  if (st.best[0] >= INF_COST || st.next[0] == n) return 1; /* no cover, or a one-part one */
  int count = 0;
  for (size_t i = 0; i < n; i = st.next[i]) count++;
  if (count > max) return 1;
  int k = 0;
  for (size_t i = 0; i < n; i = st.next[i]) {
    parts[k].start = i;
    parts[k].len = st.plen[i];
    k++;
  }
  return count;
}
