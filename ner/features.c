/* Feature extraction for the tagger: each token gets up to NER_MAXF hashed feature rows.
 *
 * Feature hashing (template id + string -> bucket) keeps the model a fixed-size array with no
 * vocabulary to store or look up, and makes extraction allocation-free on short sentences.
 * Context features reuse per-token hashes computed once per sentence, so a token costs one pass
 * over its bytes plus a fixed number of multiplications. */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "analysis/compound.h"
#include "analysis/normalize.h"
#include "ner/ner_internal.h"

enum {
  F_BIAS = 1, F_WORD, F_LOWER, F_PRE1, F_PRE2, F_PRE3, F_PRE4, F_SUF1, F_SUF2, F_SUF3, F_SUF4,
  F_SUF5, F_SHAPE, F_CAP, F_LM1, F_LP1, F_LM2, F_LP2, F_BIM, F_BIP, F_SHM, F_SHP, F_GAZ0,
  F_GAZM, F_GAZP, F_GAZSPAN, F_CL0, F_CLC0, F_CLM, F_CLP, F_HYLAST, F_HYFIRST, F_HYGAZ, F_LEN,
  F_CAPCTX, F_CLC_M, F_CLC_P, F_QUOTE, F_SUFM, F_SUFP, F_LEX, F_LEXM, F_LEXP, F_NG4, F_PH
};

#define LOWMAX 64

typedef struct tokinfo {
  uint64_t low, shape, suf; /* suf: last 4 code points of a long word, else the whole word */
  uint32_t gaz, cl;
  uint8_t cap, ncp, ll, lex, ph; /* ph: a placeholder of the recovered train split (1; 2 <OOV>) */
  char lowbuf[LOWMAX + 8];
  uint8_t cpend[LOWMAX];
} tokinfo;

static inline uint32_t fx(unsigned tmpl, uint64_t h, uint32_t mask) {
  h ^= (uint64_t)tmpl * 0x9E3779B97F4A7C15ULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return (uint32_t)h & mask;
}
static inline uint64_t hs(const void *p, size_t n) { return ner_hash_bytes(0xcbf29ce484222325ULL, p, n); }

/* Gazetteer bits with tagger features, as bit positions 0..NER_GAZ_NBITS: NER_GAZ_WORLD moves
 * down to bit NER_GAZ_NBITS. */
static inline uint32_t feat_bits(unsigned m) {
  return (m & ((1u << NER_GAZ_NBITS) - 1)) | ((m & NER_GAZ_WORLD) ? (1u << NER_GAZ_NBITS) : 0u);
}

/* The dictionary class of a word: 0 not in the lexicon, 1-7 the KNOWN/NOUN/VERB bits of a listed
 * form, 8 a form listed only as a compound part, 9 a compound of listed words, 15 not a word. A
 * capitalised word the dictionary does not know is the strongest hint of a name that German
 * capitalisation leaves: every noun is capitalised, but most nouns are in the dictionary. */
static uint8_t lex_class(const presse_compound *lex, const char *s, size_t n, uint8_t cap) {
  if (!(cap <= 2 || cap == 5) || n < 2) return 15;
  char buf[PRESSE_COMPOUND_MAX_WORD + 8];
  size_t fl = presse_fold_small(s, n, buf, PRESSE_COMPOUND_MAX_WORD);
  if (!fl) return 0;
  unsigned f = presse_compound_lookup(lex, buf, fl);
  if (f) {
    unsigned c = ((f & PRESSE_LEX_KNOWN) ? 1u : 0u) | ((f & PRESSE_LEX_NOUN) ? 2u : 0u) | ((f & PRESSE_LEX_VERB) ? 4u : 0u);
    return (uint8_t)(c ? c : 8u);
  }
  if (fl >= 6) {
    presse_compound_part parts[4];
    if (presse_compound_split(lex, buf, fl, parts, 4) > 1) return 9;
  }
  return 0;
}

/* Lower-cases a token (code point by code point) into buf; returns the byte length and fills
 * cpend[k] = byte end of the k-th code point (up to 64 of them). */
static size_t lower_token(const char *s, size_t n, char *buf, size_t *cpend, size_t *ncp, uint8_t *cap,
                          char *shape, size_t *shlen) {
  size_t o = 0, k = 0, sl = 0;
  int nup = 0, nlow = 0, ndig = 0, nother = 0, first = -1, inner_up = 0;
  char last = 0;
  size_t p = 0;
  while (p < n && o + 4 < LOWMAX && k < LOWMAX) {
    utf8proc_int32_t c;
    utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)s + p, (utf8proc_ssize_t)(n - p), &c);
    if (l <= 0) {
      c = (unsigned char)s[p];
      l = 1;
    }
    char cls;
    utf8proc_int32_t lc = c;
    if (c < 0x80) {
      if (c >= 'A' && c <= 'Z') lc = c + 32, cls = 'X';
      else if (c >= 'a' && c <= 'z') cls = 'x';
      else if (c >= '0' && c <= '9') cls = 'd';
      else cls = (char)c;
    } else {
      utf8proc_category_t cat = utf8proc_category(c);
      if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT) lc = utf8proc_tolower(c), cls = 'X';
      else if (cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LO || cat == UTF8PROC_CATEGORY_LM) cls = 'x';
      else if (cat == UTF8PROC_CATEGORY_ND) cls = 'd';
      else if (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME) cls = 'x';
      else cls = 'o';
    }
    if (first < 0) first = cls;
    if (cls == 'X') {
      nup++;
      if (k > 0) inner_up = 1;
    } else if (cls == 'x') nlow++;
    else if (cls == 'd') ndig++;
    else nother++;
    if (cls != last && sl < 12) shape[sl++] = cls;
    last = cls;
    o += (size_t)utf8proc_encode_char(lc, (utf8proc_uint8_t *)buf + o);
    cpend[k++] = o;
    p += (size_t)l;
  }
  *ncp = k;
  *shlen = sl;
  if (first == 'x') *cap = 0;
  else if (first == 'X') *cap = (nup > 1 && nlow == 0) ? 2 : (inner_up && nlow ? 5 : 1);
  else if (first == 'd') *cap = 3;
  else *cap = 4;
  (void)ndig;
  (void)nother;
  return o;
}

/* A placeholder token (ner_internal.h: NER_PH_BYTE, casing digit, index or "?"): 0 for real
 * words, 1 for a known vocabulary word, 2 for <OOV>; *cap gets its capitalisation class. */
static uint8_t placeholder(const char *s, size_t n, uint8_t *cap) {
  if (n < 3 || s[0] != NER_PH_BYTE || s[1] < '0' || s[1] > '6') return 0;
  *cap = (uint8_t)(s[1] - '0');
  return s[2] == '?' ? 2 : 1;
}

/* The shape a word of casing class cap most often has, for a placeholder's neighbours' shape
 * features: "x", "Xx", "X", "d"; classes without a typical shape get their own value. */
static uint64_t placeholder_shape(uint8_t cap) {
  static const char *const sh[] = {"x", "Xx", "X", "d"};
  return cap < 4 ? hs(sh[cap], strlen(sh[cap])) : 0x5bd1e995u + cap;
}

uint32_t ner_feature_augment(uint32_t f, unsigned domain, uint32_t mask) { return fx(1000 + domain, f, mask); }

static int is_quote(const char *s, size_t n) {
  return (n == 1 && (s[0] == '"' || s[0] == '\'')) ||
         (n == 3 && (memcmp(s, "\xE2\x80\x9E", 3) == 0 || memcmp(s, "\xE2\x80\x9C", 3) == 0 ||
                     memcmp(s, "\xE2\x80\x9D", 3) == 0)) ||
         (n == 2 && (memcmp(s, "\xC2\xAB", 2) == 0 || memcmp(s, "\xC2\xBB", 2) == 0));
}

void ner_sentence_features(const ner_featctx *ctx, const char *const *tok, const size_t *len,
                           size_t n, uint32_t *feats, uint8_t *nfeat) {
  tokinfo stackinfo[256];
  uint32_t stackspan[256];
  tokinfo *ti = stackinfo;
  uint32_t *span = stackspan;
  if (n > 256) {
    ti = malloc(n * sizeof *ti);
    span = malloc(n * sizeof *span);
    if (!ti || !span) {
      /* Out of memory: degrade to bias-only features rather than fail the whole text. */
      free(ti == stackinfo ? NULL : ti);
      free(span == stackspan ? NULL : span);
      for (size_t i = 0; i < n; i++) {
        feats[i * NER_MAXF2] = fx(F_BIAS, 0, ctx->mask);
        nfeat[i] = 1;
      }
      return;
    }
  }
  const uint32_t M = ctx->mask;
  char lowbuf[LOWMAX + 8];
  size_t cpend[LOWMAX];
  char shape[16];

  /* Pass 1: per-token hashes and lookups. */
  for (size_t i = 0; i < n; i++) {
    size_t ncp, sl;
    uint8_t cap;
    if ((ti[i].ph = placeholder(tok[i], len[i], &cap)) != 0) {
      /* Identity: the index stands for the lower-cased word; spelling, gazetteer, cluster and
         dictionary class are unknown (neighbours see the values no real word has). */
      ti[i].low = hs(tok[i] + 2, len[i] - 2) ^ 0x9d2c5680u;
      ti[i].ncp = ti[i].ll = 0;
      ti[i].shape = placeholder_shape(cap);
      ti[i].suf = ti[i].low;
      ti[i].cap = cap;
      ti[i].gaz = 0;
      ti[i].cl = 0xFFFFFE;
      ti[i].lex = 14;
      span[i] = 0;
      continue;
    }
    size_t ll = lower_token(tok[i], len[i], lowbuf, cpend, &ncp, &cap, shape, &sl);
    ti[i].low = hs(lowbuf, ll);
    memcpy(ti[i].lowbuf, lowbuf, ll);
    for (size_t a = 0; a < ncp; a++) ti[i].cpend[a] = (uint8_t)cpend[a];
    ti[i].ncp = (uint8_t)ncp;
    ti[i].ll = (uint8_t)ll;
    ti[i].shape = hs(shape, sl);
    ti[i].suf = ncp > 6 ? hs(lowbuf + cpend[ncp - 5], ll - cpend[ncp - 5]) : ti[i].low;
    ti[i].cap = cap;
    ti[i].gaz = (cap == 1 || cap == 2 || cap == 5 || ll <= 4) ? feat_bits(ner_gaz_get(ctx->gaz, tok[i], len[i])) : 0;
    ti[i].cl = ctx->clusters ? ner_gaz_get(ctx->clusters, tok[i], len[i]) : 0;
    ti[i].lex = ctx->lex ? lex_class(ctx->lex, tok[i], len[i], cap) : 0;
    span[i] = 0;
  }
  /* Longest gazetteer matches over token sequences, left to right. span = mask | 1<<31 for B. */
  if (ctx->gaz) {
    char key[512];
    for (size_t i = 0; i < n;) {
      if (!(ti[i].cap == 1 || ti[i].cap == 2 || ti[i].cap == 5)) {
        i++;
        continue;
      }
      size_t kl = 0, best = 0;
      uint32_t bestmask = 0;
      for (size_t j = i; j < n && j < i + NER_GAZ_MAXTOK; j++) {
        if (kl + len[j] + 1 > sizeof key) break;
        if (j > i) key[kl++] = ' ';
        memcpy(key + kl, tok[j], len[j]);
        kl += len[j];
        unsigned m = ner_gaz_get(ctx->gaz, key, kl);
        if (!m) break;
        if (m & ~NER_GAZ_PREFIX) {
          best = j - i + 1;
          bestmask = feat_bits(m);
        }
        if (!(m & NER_GAZ_PREFIX)) break;
      }
      if (best > 1) {
        for (size_t j = i; j < i + best; j++) span[j] = bestmask | (j == i ? 0x80000000u : 0x40000000u);
        i += best;
      } else {
        i++;
      }
    }
  }
  /* Pass 2: features. */
  static const uint64_t BOS = 0x1234567u, EOS = 0x7654321u;
  for (size_t i = 0; i < n; i++) {
    uint32_t *f = feats + i * NER_MAXF2;
    size_t k = 0;
    size_t ncp = ti[i].ncp, ll = ti[i].ll;
    uint8_t cap = ti[i].cap;
    const char *lw = ti[i].lowbuf;
    const uint8_t *ce = ti[i].cpend;
    uint64_t lm1 = i > 0 ? ti[i - 1].low : BOS, lp1 = i + 1 < n ? ti[i + 1].low : EOS;
    uint64_t lm2 = i > 1 ? ti[i - 2].low : BOS, lp2 = i + 2 < n ? ti[i + 2].low : EOS;
    const uint8_t ph = ti[i].ph;
    f[k++] = fx(F_BIAS, 0, M);
    if (ph != 2) {
      f[k++] = fx(F_WORD, hs(tok[i], len[i]), M);
      f[k++] = fx(F_LOWER, ti[i].low, M);
    }
    for (size_t a = 1; a <= 4 && a < ncp; a++) f[k++] = fx(F_PRE1 + (unsigned)a - 1, hs(lw, ce[a - 1]), M);
    for (size_t a = 1; a <= 5 && a < ncp; a++) {
      size_t from = ce[ncp - a - 1];
      f[k++] = fx(F_SUF1 + (unsigned)a - 1, hs(lw + from, ll - from), M);
    }
    f[k++] = fx(F_SHAPE, ti[i].shape, M);
    unsigned capi = (unsigned)cap * 2u + (i == 0);
    f[k++] = fx(F_CAP, capi, M);
    unsigned lb = ncp <= 4 ? (unsigned)ncp : ncp <= 6 ? 5 : ncp <= 9 ? 6 : 7;
    if (ph) f[k++] = fx(F_PH, capi * 4 + ph, M); /* absorbs what is peculiar to placeholders */
    else f[k++] = fx(F_LEN, lb * 16 + cap, M);
    f[k++] = fx(F_LM1, lm1, M);
    f[k++] = fx(F_LP1, lp1, M);
    f[k++] = fx(F_LM2, lm2, M);
    f[k++] = fx(F_LP2, lp2, M);
    f[k++] = fx(F_BIM, lm1 * 31 + ti[i].low, M);
    f[k++] = fx(F_BIP, ti[i].low * 31 + lp1, M);
    f[k++] = fx(F_SHM, i > 0 ? ti[i - 1].shape : BOS, M);
    f[k++] = fx(F_SHP, i + 1 < n ? ti[i + 1].shape : EOS, M);
    f[k++] = fx(F_CAPCTX, (uint64_t)(i > 0 ? ti[i - 1].cap + 1 : 0) * 100 + (uint64_t)cap * 10 +
                               (i + 1 < n ? ti[i + 1].cap + 1 : 0), M);
    for (unsigned b = 0; b <= NER_GAZ_NBITS; b++) {
      if (ti[i].gaz & (1u << b)) f[k++] = fx(F_GAZ0, b * 8 + cap, M);
      if (i > 0 && (ti[i - 1].gaz & (1u << b))) f[k++] = fx(F_GAZM, b, M);
      if (i + 1 < n && (ti[i + 1].gaz & (1u << b))) f[k++] = fx(F_GAZP, b, M);
      if (span[i] & (1u << b)) f[k++] = fx(F_GAZSPAN, b * 2 + ((span[i] >> 31) & 1), M);
      if (k > NER_MAXF - 20) break;
    }
    if (ctx->clusters) {
      uint32_t c0 = ti[i].cl;
      if (!ph) {
        f[k++] = fx(F_CL0, c0, M);
        f[k++] = fx(F_CLC0, c0 >> 10, M);
      }
      f[k++] = fx(F_CLM, i > 0 ? ti[i - 1].cl : 0xFFFFFF, M);
      f[k++] = fx(F_CLP, i + 1 < n ? ti[i + 1].cl : 0xFFFFFF, M);
      f[k++] = fx(F_CLC_M, i > 0 ? ti[i - 1].cl >> 10 : 0xFFFFFF, M);
      f[k++] = fx(F_CLC_P, i + 1 < n ? ti[i + 1].cl >> 10 : 0xFFFFFF, M);
    }
    /* Hyphenated compounds: "Duisburg-Essen", "CDU-Politiker" - the parts carry the signal. */
    const char *hy = ph ? NULL : memchr(tok[i], '-', len[i]);
    if (hy && hy > tok[i] && hy + 1 < tok[i] + len[i]) {
      const char *last = tok[i] + len[i];
      while (last > hy && last[-1] != '-') last--;
      size_t fl = (size_t)(hy - tok[i]), lastl = (size_t)(tok[i] + len[i] - last);
      size_t ncp2, sl2;
      uint8_t cap2;
      char lb2[LOWMAX + 8];
      size_t ce2[LOWMAX];
      char sh2[16];
      size_t l2 = lower_token(last, lastl, lb2, ce2, &ncp2, &cap2, sh2, &sl2);
      f[k++] = fx(F_HYLAST, hs(lb2, l2), M);
      l2 = lower_token(tok[i], fl, lb2, ce2, &ncp2, &cap2, sh2, &sl2);
      f[k++] = fx(F_HYFIRST, hs(lb2, l2), M);
      unsigned g1 = feat_bits(ner_gaz_get(ctx->gaz, tok[i], fl));
      unsigned g2 = feat_bits(ner_gaz_get(ctx->gaz, last, lastl));
      for (unsigned b = 0; b <= NER_GAZ_NBITS && k < NER_MAXF - 2; b++) {
        if (g1 & (1u << b)) f[k++] = fx(F_HYGAZ, b, M);
        if (g2 & (1u << b)) f[k++] = fx(F_HYGAZ, 100 + b, M);
      }
    }
    if (i > 0 && is_quote(tok[i - 1], len[i - 1]) && k < NER_MAXF) f[k++] = fx(F_QUOTE, cap, M);
    /* The head of a neighbouring compound: "Ölgesellschaft Petrobras", "Erstligisten Litex" -
       German compounds make the whole neighbour word too sparse a context. */
    if (k + 2 <= NER_MAXF) {
      f[k++] = fx(F_SUFM, i > 0 ? ti[i - 1].suf : BOS, M);
      f[k++] = fx(F_SUFP, i + 1 < n ? ti[i + 1].suf : EOS, M);
    }
    if (ctx->lex && k + 3 <= NER_MAXF) {
      if (!ph) f[k++] = fx(F_LEX, (uint64_t)ti[i].lex * 16 + capi, M);
      f[k++] = fx(F_LEXM, i > 0 ? ti[i - 1].lex : 99, M);
      f[k++] = fx(F_LEXP, i + 1 < n ? ti[i + 1].lex : 99, M);
    }
    /* Letter 4-grams inside a longer word, neither its first nor its last letter: the parts of
       a German compound ("Landesverband", "Stadtwerke", "Ölgesellschaft") that the prefixes and
       suffixes miss. */
    if (ctx->ngrams && ncp >= 6)
      for (size_t a = 1; a + 4 <= ncp - 1 && k + 1 < NER_MAXF; a++)
        f[k++] = fx(F_NG4, hs(lw + ce[a - 1], (size_t)(ce[a + 3] - ce[a - 1])), M);
    if (ctx->domain) {
      size_t base = k;
      for (size_t j = 0; j < base; j++) f[k++] = ner_feature_augment(f[j], ctx->domain, M);
    }
    nfeat[i] = (uint8_t)k;
  }
  if (ti != stackinfo) free(ti);
  if (span != stackspan) free(span);
}
