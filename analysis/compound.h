/* German compound splitting on folded words ("migrantenorganisationen" -> "migranten" +
 * "organisationen"), driven by a lexicon generated at build time from Debian's hunspell-de-de
 * (tools/build_lexicon.c). Method and its reasons: analysis/COMPOUNDS.md and compound.c.
 *
 * One loaded splitter is read-only and may be shared by any number of threads. */
#ifndef PRESSE_ANALYSIS_COMPOUND_H
#define PRESSE_ANALYSIS_COMPOUND_H

#include <stddef.h>
#include <stdint.h>

typedef struct presse_compound presse_compound;

/* One part of a compound: a byte span of the folded word. Linking elements (the s of
 * "arbeitsamt", the en of "strassenbau" where it is not part of a word form) lie between
 * parts and belong to none; an elided e is simply absent ("schul" of "schulamt"). */
typedef struct presse_compound_part {
  size_t start, len;
} presse_compound_part;

/* Loads the lexicon. lexicon_path NULL means the default lookup: the PRESSE_LEXICON environment
 * variable, then the build tree's copy, then the installed one (PRESSE_DATADIR/compound.lex).
 * Returns 0, PRESSE_ENOTFOUND (no lexicon anywhere; *out is NULL), PRESSE_EFORMAT (a file that
 * is not a lexicon of this version), PRESSE_EIO or PRESSE_ENOMEM. On failure *out is NULL. */
int presse_compound_new(presse_compound **out, const char *lexicon_path);
void presse_compound_free(presse_compound *c);

/* The path the splitter was loaded from. Owned by c, valid until presse_compound_free. */
const char *presse_compound_path(const presse_compound *c);

/* Splits the folded word folded[0..len) (need not be NUL-terminated), as the analyzer folds it
 * (presse_fold_append). Writes the parts in order to parts[0..) and returns their number:
 * 1 means "not a compound" (parts[0] is then the whole word). A word whose best split has more
 * than max parts counts as not a compound, so the result is always between 1 and max; parts
 * must have room for max entries (max < 1 is treated as 1). Words under 6 bytes, over
 * PRESSE_COMPOUND_MAX_WORD bytes, or with anything but letters (digits, hyphens) are not split.
 * c may be NULL (then nothing is split). Never fails; takes no lock. */
int presse_compound_split(const presse_compound *c, const char *folded, size_t len,
                          presse_compound_part *parts, int max);

/* Flags of a folded form in the lexicon (PRESSE_LEX_* bits below), 0 if absent. */
unsigned presse_compound_lookup(const presse_compound *c, const char *folded, size_t len);

/* ---- lexicon file format, shared with tools/build_lexicon.c ------------------------------ */

#define PRESSE_COMPOUND_MAX_WORD 64 /* longer words are never split (and not in the lexicon) */
#define PRESSE_COMPOUND_MIN_PART 3  /* no part is shorter (in bytes of the folded form) */
#define PRESSE_COMPOUND_MAX_PARTS 8

/* Flag bits of a lexicon form. */
#define PRESSE_LEX_KNOWN 0x01u /* a form of a word the dictionary lists on its own: never split */
#define PRESSE_LEX_NOUN 0x02u  /* a form of a capitalised free word (noun or name) */
#define PRESSE_LEX_TAIL 0x04u  /* a noun form the dictionary allows at the end of a compound */
#define PRESSE_LEX_BEGIN 0x08u /* a compound-initial form the dictionary lists ("arbeits", "schul") */
#define PRESSE_LEX_STOP 0x10u  /* never a part: function words, particles, suffix-like nouns */
#define PRESSE_LEX_BOUND 0x20u /* a head that exists only inside compounds ("nahme", "losigkeit"):
                                  it makes one part with the modifier before it ("massnahmen") */
#define PRESSE_LEX_PREFIX 0x40u /* a particle ("ein", "mit", "vor"): makes one part with the part
                                   after it ("mitglieder"); with STOP, never a part alone */

#define PRESSE_LEX_VERB 0x80u /* the infinitive of a verb (analysis/verbs.c) */

#define PRESSE_LEX_MAGIC "PRSLEX\0\1"
#define PRESSE_LEX_VERSION 4u

/* File layout (native byte order; the file is built on the machine that uses it):
 *   presse_lex_header
 *   uint32_t slots[nslots]          open addressing, linear probing on presse_lex_hash;
 *                                   0 = empty, else 1 + offset of the entry in the pool
 *   uint64_t bloom[bloom_words]     Bloom filter over the forms that can be parts, two bits
 *                                   per form from the same hash (see presse_lex_bloom_bits)
 *   pool: entries of  uint8_t len, uint8_t flags, char bytes[len] */
typedef struct presse_lex_header {
  char magic[8];
  uint32_t version;
  uint32_t nslots;      /* a power of two */
  uint32_t nentries;
  uint32_t pool_size;
  uint32_t bloom_words; /* a power of two */
  uint32_t reserved[3];
} presse_lex_header;

/* FNV-1a, 64 bit: extendable one byte at a time, which the splitter's search relies on. */
#define PRESSE_LEX_HASH_INIT 0xcbf29ce484222325ull
static inline uint64_t presse_lex_hash_step(uint64_t h, unsigned char c) {
  return (h ^ c) * 0x100000001b3ull;
}
static inline uint64_t presse_lex_hash(const char *s, size_t len) {
  uint64_t h = PRESSE_LEX_HASH_INIT;
  for (size_t i = 0; i < len; i++) h = presse_lex_hash_step(h, (unsigned char)s[i]);
  return h;
}
/* The hash's low bits pick the slot; the Bloom filter uses two bit positions from the high bits. */
static inline uint32_t presse_lex_slot(uint64_t h) { return (uint32_t)(h ^ (h >> 29)); }
static inline void presse_lex_bloom_bits(uint64_t h, uint32_t bloom_words, uint32_t *a, uint32_t *b) {
  uint32_t nbits = bloom_words * 64u;
  *a = (uint32_t)(h >> 32) & (nbits - 1);
  *b = (uint32_t)((h >> 40) ^ (h << 7) ^ (h >> 17)) & (nbits - 1);
}

#endif
