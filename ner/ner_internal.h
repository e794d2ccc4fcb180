/* Internals shared by the ner/ sources and the ner tools (trainer, evaluator, tests).
 * Not installed; the public surface is include/presse/ner.h. */
#ifndef PRESSE_NER_INTERNAL_H
#define PRESSE_NER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "presse/ner.h"

/* ---- tag set ------------------------------------------------------------------------------ */

/* BIO over PER/LOC/ORG. B-x is 1+2*type, I-x is 2+2*type, matching presse_ner_type. */
enum { NER_O = 0, NER_NTAGS = 7 };
#define NER_LANES 8 /* weight rows are padded to 8 lanes so one row is one aligned 16-byte load */
#define NER_START NER_NTAGS /* the "previous tag" of the first token */

extern const char *const ner_tag_names[NER_NTAGS];
/* Maps a corpus tag ("B-PER", "I-LOCderiv", "B-OTH", "B-MISC", ...) to our tag set; everything but
 * plain PER/LOC/ORG becomes O. */
int ner_tag_parse(const char *s);
static inline int ner_tag_type(int tag) { return tag == NER_O ? -1 : (tag - 1) / 2; }
static inline int ner_tag_is_begin(int tag) { return tag != NER_O && (tag - 1) % 2 == 0; }
/* Repairs I-x after O or after another type into B-x (BIO2), in place. */
void ner_tags_repair(uint8_t *tags, size_t n);

/* ---- tokenizer ----------------------------------------------------------------------------- */

enum {
  NER_TOK_WORD = 0x01,
  NER_TOK_NUM = 0x02,
  NER_TOK_PUNCT = 0x04,
  NER_TOK_URL = 0x08,
  NER_TOK_EMAIL = 0x10,
  NER_TOK_MARKUP = 0x20,  /* Markdown markup ('#', '*', '|', ...): not shown to the tagger */
  NER_TOK_SENTEND = 0x40, /* '.', '!', '?', '...' standing alone */
  NER_TOK_BREAK = 0x80    /* a sentence boundary precedes this token (blank line, heading, list) */
};

typedef struct ner_token {
  size_t start, end;
  unsigned flags;
} ner_token;

typedef struct ner_tokens {
  ner_token *tok; /* markup tokens already removed */
  size_t n, cap;
  size_t *sent;   /* sent[i] = index of the first token of sentence i; sent[nsent] = n */
  size_t nsent, sentcap;
} ner_tokens;

/* Tokenises valid UTF-8 text into CoNLL-like tokens with byte offsets and splits sentences.
 * out must be zeroed or reused from an earlier call (buffers are recycled). */
int ner_tokenize(const char *text, size_t len, ner_tokens *out);
void ner_tokens_free(ner_tokens *t);
/* 1 when text[0,len) is valid UTF-8 without NUL bytes. */
int ner_utf8_valid(const char *text, size_t len);

/* ---- gazetteer ----------------------------------------------------------------------------- */

enum {
  NER_GAZ_FIRSTNAME = 0x001,
  NER_GAZ_CITY = 0x002,     /* municipality */
  NER_GAZ_DISTRICT = 0x004, /* Kreis / kreisfreie Stadt */
  NER_GAZ_STATE = 0x008,    /* Bundesland, Kanton, ... */
  NER_GAZ_COUNTRY = 0x010,  /* country or region, German name */
  NER_GAZ_LEGAL = 0x020,    /* legal-form suffix: GmbH, AG, e.V. */
  NER_GAZ_ORGHEAD = 0x040,  /* organisation head noun: Universität, Ministerium, Verein */
  NER_GAZ_TITLE = 0x080,    /* Dr., Prof., Herr, Frau: precede a person, never part of the name */
  NER_GAZ_ORG = 0x100,      /* well-known organisation name */
  NER_GAZ_PERNAME = 0x200,  /* person name seen as an entity in held-out silver data (WikiANN) */
  NER_GAZ_LOCNAME = 0x400,  /* place name, same source */
  NER_GAZ_ORGNAME = 0x800,  /* organisation name, same source */
  NER_GAZ_SURNAME = 0x1000, /* last token of such a person name */
  NER_GAZ_ORGSUF = 0x2000,  /* lower-cased organisation head as the last part of a compound: verband, amt */
  NER_GAZ_STOP = 0x4000,    /* contact-block label or role noun, never a name by itself: E-Mail,
                               Postfach, Presseamt, Landrätin (post-processing only, no feature) */
  NER_GAZ_PREFIX = 0x8000,  /* internal: a proper prefix of a multi-token entry */
  NER_GAZ_WORLD = 0x10000   /* a city or region outside the German-speaking lists (GeoNames,
                               ISO 3166-2): a tagger feature only, since such lists hold brands
                               and nouns too ("Union", "Nokia", "Nord"), which no post-processing
                               rule may take for places */
};
#define NER_GAZ_NBITS 13 /* bits 0..12 have tagger features, and NER_GAZ_WORLD (as bit 13);
                            ORGSUF and STOP serve post-processing only */
#define NER_GAZ_MAXTOK 6

typedef struct ner_gaz ner_gaz;

int ner_gaz_new(ner_gaz **out);
void ner_gaz_free(ner_gaz *g);
/* key: tokens joined by single spaces. Masks of repeated keys are OR-ed. */
int ner_gaz_add(ner_gaz *g, const char *key, size_t len, unsigned mask);
unsigned ner_gaz_get(const ner_gaz *g, const char *key, size_t len);
size_t ner_gaz_count(const ner_gaz *g);
/* Reads "type<TAB>entry" lines (type: first, city, district, state, country, legal, orghead,
 * title, org). Returns 0 or a PRESSE_E* status; on failure a reason is written to err. */
int ner_gaz_load_tsv(ner_gaz *g, const char *path, char *err, size_t errlen);
/* Serialisation in the model file: entries in sorted order so the model bytes are reproducible. */
int ner_gaz_serialize(const ner_gaz *g, unsigned char **buf, size_t *len);
int ner_gaz_deserialize(ner_gaz *g, const unsigned char *buf, size_t len);

/* ---- word clusters -------------------------------------------------------------------------- */

/* word (exact form) -> cluster path bits (up to 16 bits, hierarchical: prefixes are coarser).
 * Stored like the gazetteer, the value being the cluster id + 1. */
typedef ner_gaz ner_clusters;

/* ---- features ------------------------------------------------------------------------------ */

#define NER_MAXF 64  /* base features per token */
#define NER_MAXF2 (2 * NER_MAXF) /* with domain-augmented copies */

typedef struct ner_featctx {
  const ner_gaz *gaz;
  const ner_clusters *clusters; /* may be NULL */
  uint32_t mask;                /* (1 << hash_bits) - 1 */
  unsigned domain;              /* 0: plain features; else every feature also gets a copy salted
                                   with the domain (Daume 2007 feature augmentation; 1 = target) */
  const struct presse_compound *lex; /* the word lexicon (analysis/compound.h), or NULL: gives each
                                        word its dictionary class (unknown, noun, other word, verb,
                                        compound of known words) */
  int ngrams;                   /* letter 4-grams inside words (models trained since format 02 +
                                   NER_MODEL_NGRAMS; older models were trained without them) */
} ner_featctx;

/* Computes the hashed feature rows of every token of one sentence: feats[i*NER_MAXF2 + k] for
 * k < nfeat[i]. tok[i]/len[i] need not be NUL-terminated. Scratch-free and reentrant. */
void ner_sentence_features(const ner_featctx *ctx, const char *const *tok, const size_t *len,
                           size_t n, uint32_t *feats, uint8_t *nfeat);

#define NER_MODEL_AUGMENTED 1u
#define NER_MODEL_LEXICON 2u /* features use the word lexicon (ner_featctx.lex) */
#define NER_MODEL_NGRAMS 4u  /* features include letter 4-grams inside words (ner_featctx.ngrams) */
#define NER_MODEL_FLAGS (NER_MODEL_AUGMENTED | NER_MODEL_LEXICON | NER_MODEL_NGRAMS) /* all known */

/* Why presse_compound_new's status rc leaves no usable lexicon, as the end of a sentence that
 * begins "the word lexicon (compound.lex) ...": for the model loader's and the trainer's errors. */
const char *ner_lexicon_problem(int rc);

/* The bucket of the domain-salted copy of feature bucket f. */
uint32_t ner_feature_augment(uint32_t f, unsigned domain, uint32_t mask);

/* ---- model ---------------------------------------------------------------------------------- */

struct presse_ner_model {
  uint32_t hash_bits;
  int16_t *w;                     /* (1 << hash_bits) rows of NER_LANES weights, scaled */
  int32_t trans[NER_NTAGS + 1][NER_NTAGS]; /* [prev (NER_START for the first)][cur], scaled */
  float scale;                    /* weight = stored / scale */
  int32_t bias[NER_NTAGS];        /* added to each tag's emission score at decoding, scaled: the
                                     perceptron's decisions lean towards O (precision well above
                                     recall), and a per-type offset tuned by cross-validation
                                     moves the balance; zero in format 01 files */
  uint32_t flags;                 /* NER_MODEL_AUGMENTED */
  ner_gaz *gaz;
  ner_clusters *clusters;
  struct presse_compound *lex;    /* with NER_MODEL_LEXICON: the word lexicon, loaded by the
                                     default lookup (analysis/compound.h) */
  char *path;
};

/* Viterbi over emission scores em[i*NER_NTAGS + t] and transitions; writes the best tags. */
void ner_viterbi_f(const float *em, size_t n, const float trans[NER_NTAGS + 1][NER_NTAGS],
                   uint8_t *tags_out, float *scratch /* 2*n*NER_NTAGS floats */, int *bp /* n*NER_NTAGS */);

/* Tags one tokenised sentence with the quantised model. scratch sizes as ner_viterbi_f plus the
 * feature buffers; the caller owns all buffers, so the model stays read-only. */
typedef struct ner_tagbuf {
  uint32_t *feats;
  uint8_t *nfeat;
  float *em, *vs;
  int *bp;
  size_t cap;
} ner_tagbuf;
int ner_tagbuf_reserve(ner_tagbuf *b, size_t n);
void ner_tagbuf_free(ner_tagbuf *b);
void ner_model_tag(const presse_ner_model *m, ner_tagbuf *b, const char *const *tok,
                   const size_t *len, size_t n, uint8_t *tags);

int ner_model_save(const presse_ner_model *m, const char *path, char *err, size_t errlen);
/* An empty model (all weights zero) owning gaz and clusters. */
int ner_model_new(presse_ner_model **out, uint32_t hash_bits, ner_gaz *gaz, ner_clusters *clusters);

/* ---- corpora and training ----------------------------------------------------------------- */

typedef struct ner_sentence {
  char **tok;
  uint8_t *gold;
  size_t n;
  float weight;
  int source; /* index of the file it came from */
  int target; /* from the target domain (GermEval-style news and Wikipedia) */
} ner_sentence;

typedef struct ner_corpus {
  ner_sentence *s;
  size_t n, cap;
  /* Sentences of the recovered GermEval train split read after these are set: drop those whose
   * share of placeholder tokens exceeds ph_max (0: keep all, with ph_weight's down-weighting), and
   * scale a sentence's weight by 1 - share * (1 - ph_weight) when ph_weight > 0. */
  double ph_max, ph_weight;
} ner_corpus;

/* A placeholder token of the recovered GermEval train split, as the reader stores it: this byte
 * (never in tokenised text), the casing class digit (ner_casing_parse), the vocabulary index or
 * "?" for <OOV>. Its letters are unknown, so it gets no spelling, gazetteer, cluster or
 * dictionary features of its own. */
#define NER_PH_BYTE '\x1f'
int ner_casing_parse(const char *s);

/* Reads GermEval TSV ("#" comments, idx token outer inner) or CoNLL ("token ... tag", tag in the
 * last column) into c, appending. Sentences i with (i * folds / nsent) == skip_fold are dropped
 * (skip_fold < 0: none), or kept only those when keep_only_fold is set. */
int ner_corpus_read(ner_corpus *c, const char *path, float weight, int source, int folds,
                    int fold, int keep_only_fold, char *err, size_t errlen);
void ner_corpus_free(ner_corpus *c);

typedef struct ner_train_opts {
  int epochs;
  uint32_t hash_bits;
  uint64_t seed;
  int verbose;
  int augment; /* domain feature augmentation: target sentences vs each other source */
  int mix;     /* > 1: train this many perceptrons on differently shuffled orders (seeds seed,
                  seed+1, ...) and average their weights (parameter mixing); 0 or 1: one */
  int lexicon;    /* dictionary-class features from the word lexicon (default lookup) */
  double bias[3]; /* decode-time emission bias for PER, LOC, ORG (B- and I-), in weight units */
} ner_train_opts;

/* Sets m->bias from per-type offsets in weight units (PER, LOC, ORG); O stays 0. */
void ner_model_set_bias(presse_ner_model *m, const double bias[3]);
/* Parses "x" (all types) or "per,loc,org" into bias[3]; 0 or PRESSE_EINVAL. */
int ner_bias_parse(const char *s, double bias[3]);

/* Averaged structured perceptron. Deterministic for equal inputs. On success *out owns gaz and
 * clusters; on failure they are freed too. */
int ner_train(const ner_train_opts *o, const ner_corpus *c, ner_gaz *gaz, ner_clusters *clusters,
              presse_ner_model **out);

/* ---- evaluation ------------------------------------------------------------------------------ */

typedef struct ner_eval_counts {
  long tp[3], fp[3], fn[3];
} ner_eval_counts;

/* Exact-span CoNLL matching of one sentence. */
void ner_eval_sentence(ner_eval_counts *c, const uint8_t *gold, const uint8_t *pred, size_t n);

/* ---- hashing ------------------------------------------------------------------------------ */

static inline uint64_t ner_hash_bytes(uint64_t h, const void *p, size_t n) {
  const unsigned char *s = p;
  for (size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
static inline uint64_t ner_hash_init(unsigned tmpl) {
  return ner_hash_bytes(0xcbf29ce484222325ULL, &(unsigned char){(unsigned char)tmpl}, 1);
}
static inline uint32_t ner_hash_final(uint64_t h, uint32_t mask) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return (uint32_t)h & mask;
}

#endif
