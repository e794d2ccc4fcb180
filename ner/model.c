/* The tagger model: hashed int16 weight rows, tag transitions, the embedded gazetteer and word
 * clusters; loading, saving, default lookup, and Viterbi decoding.
 *
 * File format (little-endian, as written by the host; the trainer and the readers are the same
 * program family on the same machines, so no byte swapping is attempted - the magic catches a
 * mismatch):
 *   "PRNERM02"  u32 hash_bits  u32 flags  f32 scale  i32 trans[8][7]  i32 bias[7]
 *   u32 gazlen, gazetteer bytes   u32 cllen, cluster bytes (0 = none)
 *   bitmap of non-zero rows ((1<<hash_bits)/8 bytes), then 7 x i16 per non-zero row.
 * Zero rows are most of a hashed table, so the bitmap keeps the file a few MB.
 * Format 01 (magic "PRNERM01") is the same without bias[7]; it still loads, with a zero bias. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compound.h"
#include "ner/ner_internal.h"
#include "util/datadir.h"
#include "presse/presse.h"

#define MAGIC "PRNERM03"    /* as 02, with the dictionary-class and 4-gram feature flags */
#define MAGIC_V2 "PRNERM02"
#define MAGIC_V1 "PRNERM01"
#define MODEL_NAME "ner-de.model"

const char *const ner_tag_names[NER_NTAGS] = {"O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"};

const char *ner_lexicon_problem(int rc) {
  return rc == PRESSE_ENOTFOUND ? "was not found (set PRESSE_LEXICON)"
         : rc == PRESSE_EFORMAT ? "is not a lexicon of this version"
                                : "could not be read";
}

const char *presse_ner_type_name(presse_ner_type t) {
  switch (t) {
  case PRESSE_NER_PER: return "PER";
  case PRESSE_NER_LOC: return "LOC";
  case PRESSE_NER_ORG: return "ORG";
  }
  return "?";
}

int ner_tag_parse(const char *s) {
  if (!s || (s[0] != 'B' && s[0] != 'I') || s[1] != '-') return NER_O;
  const char *t = s + 2;
  int type;
  if (strcmp(t, "PER") == 0) type = 0;
  else if (strcmp(t, "LOC") == 0) type = 1;
  else if (strcmp(t, "ORG") == 0) type = 2;
  else return NER_O; /* OTH, MISC, *deriv, *part */
  return 1 + 2 * type + (s[0] == 'I');
}

void ner_tags_repair(uint8_t *tags, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (tags[i] == NER_O || ner_tag_is_begin(tags[i])) continue;
    if (i == 0 || tags[i - 1] == NER_O || ner_tag_type(tags[i - 1]) != ner_tag_type(tags[i])) tags[i]--;
  }
}

void ner_model_set_bias(presse_ner_model *m, const double bias[3]) {
  m->bias[NER_O] = 0;
  for (int t = 1; t < NER_NTAGS; t++) m->bias[t] = (int32_t)lrint(bias[ner_tag_type(t)] * m->scale);
}

int ner_bias_parse(const char *s, double bias[3]) {
  char *end;
  for (int k = 0; k < 3; k++) {
    bias[k] = strtod(s, &end);
    if (end == s) return PRESSE_EINVAL;
    if (k == 0 && *end == 0) {
      bias[1] = bias[2] = bias[0];
      return 0;
    }
    if (*end != (k < 2 ? ',' : 0)) return PRESSE_EINVAL;
    s = end + 1;
  }
  return 0;
}

int ner_model_new(presse_ner_model **out, uint32_t hash_bits, ner_gaz *gaz, ner_clusters *clusters) {
  *out = NULL;
  presse_ner_model *m = calloc(1, sizeof *m);
  if (!m || hash_bits < 8 || hash_bits > 26) {
    free(m);
    ner_gaz_free(gaz);
    ner_gaz_free(clusters);
    return m ? PRESSE_EINVAL : PRESSE_ENOMEM;
  }
  m->hash_bits = hash_bits;
  m->scale = 1.0f;
  m->gaz = gaz;
  m->clusters = clusters;
  m->w = calloc((size_t)NER_LANES << hash_bits, sizeof *m->w);
  if (!m->w) {
    presse_ner_model_free(m);
    return PRESSE_ENOMEM;
  }
  *out = m;
  return 0;
}

void presse_ner_model_free(presse_ner_model *m) {
  if (!m) return;
  free(m->w);
  ner_gaz_free(m->gaz);
  ner_gaz_free(m->clusters);
  presse_compound_free(m->lex);
  free(m->path);
  free(m);
}

const char *presse_ner_model_path(const presse_ner_model *m) { return m ? m->path : NULL; }

static int wr(FILE *f, const void *p, size_t n) { return fwrite(p, 1, n, f) == n ? 0 : -1; }

int ner_model_save(const presse_ner_model *m, const char *path, char *err, size_t errlen) {
  unsigned char *gb = NULL, *cb = NULL;
  size_t gl = 0, cl = 0;
  int rc = ner_gaz_serialize(m->gaz, &gb, &gl);
  if (!rc && m->clusters) rc = ner_gaz_serialize(m->clusters, &cb, &cl);
  if (rc) {
    free(gb);
    snprintf(err, errlen, "%s: out of memory", path);
    return rc;
  }
  FILE *f = fopen(path, "wb");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    free(gb);
    free(cb);
    return PRESSE_EIO;
  }
  size_t rows = (size_t)1 << m->hash_bits;
  unsigned char *bitmap = calloc(rows / 8 + 1, 1);
  int bad = !bitmap;
  uint32_t gl32 = (uint32_t)gl, cl32 = (uint32_t)cl;
  bad = bad || wr(f, MAGIC, 8) || wr(f, &m->hash_bits, 4) || wr(f, &m->flags, 4) || wr(f, &m->scale, 4) ||
        wr(f, m->trans, sizeof m->trans) || wr(f, m->bias, sizeof m->bias) || wr(f, &gl32, 4) ||
        wr(f, gb, gl) || wr(f, &cl32, 4) ||
        (cl && wr(f, cb, cl));
  if (!bad) {
    for (size_t r = 0; r < rows; r++) {
      const int16_t *w = m->w + r * NER_LANES;
      for (int t = 0; t < NER_NTAGS; t++)
        if (w[t]) {
          bitmap[r / 8] |= (unsigned char)(1u << (r % 8));
          break;
        }
    }
    bad = wr(f, bitmap, rows / 8);
    for (size_t r = 0; r < rows && !bad; r++)
      if (bitmap[r / 8] & (1u << (r % 8))) bad = wr(f, m->w + r * NER_LANES, NER_NTAGS * sizeof(int16_t));
  }
  free(bitmap);
  free(gb);
  free(cb);
  if (fclose(f) != 0) bad = 1;
  if (bad) {
    snprintf(err, errlen, "%s: write failed", path);
    return PRESSE_EIO;
  }
  return 0;
}

static int load_file(presse_ner_model **out, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return errno == ENOENT ? PRESSE_ENOTFOUND : PRESSE_EIO;
  }
  unsigned char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : (1u << 20);
      unsigned char *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return PRESSE_ENOMEM;
      }
      buf = nb;
    }
    size_t k = fread(buf + len, 1, cap - len, f);
    len += k;
    if (k == 0) break;
  }
  int ioerr = ferror(f);
  fclose(f);
  int rc = PRESSE_EFORMAT;
  presse_ner_model *m = NULL;
  ner_gaz *gaz = NULL, *cl = NULL;
  size_t p = 0;
  uint32_t bits, gl, cll;
  float scale;
  if (ioerr) {
    rc = PRESSE_EIO;
    goto fail;
  }
  if (len < 8 + 8) goto fail;
  int v1 = memcmp(buf, MAGIC_V1, 8) == 0, v2 = memcmp(buf, MAGIC_V2, 8) == 0;
  if (!v1 && !v2 && memcmp(buf, MAGIC, 8) != 0) {
    if (memcmp(buf, "PRNERM", 6) == 0) {
      snprintf(err, errlen, "%s: NER model format %.2s is newer than this program reads (%.2s)", path,
               (const char *)buf + 6, &MAGIC[6]);
      free(buf);
      return PRESSE_EFORMAT;
    }
    goto fail;
  }
  p = 8;
  uint32_t flags;
  if (len < 8 + 12) goto fail;
  memcpy(&bits, buf + p, 4), p += 4;
  memcpy(&flags, buf + p, 4), p += 4;
  memcpy(&scale, buf + p, 4), p += 4;
  if (bits < 8 || bits > 26) goto fail;
  if (flags & ~((v1 || v2) ? NER_MODEL_AUGMENTED : NER_MODEL_FLAGS)) {
    snprintf(err, errlen, "%s: NER model uses features this program does not know (flags 0x%x)", path, (unsigned)flags);
    free(buf);
    return PRESSE_EFORMAT;
  }
  int32_t trans[NER_NTAGS + 1][NER_NTAGS];
  if (p + sizeof trans + 4 > len) goto fail;
  memcpy(trans, buf + p, sizeof trans), p += sizeof trans;
  int32_t bias[NER_NTAGS] = {0};
  if (!v1) {
    if (p + sizeof bias + 4 > len) goto fail;
    memcpy(bias, buf + p, sizeof bias), p += sizeof bias;
  }
  memcpy(&gl, buf + p, 4), p += 4;
  if (p + gl + 4 > len) goto fail;
  if ((rc = ner_gaz_new(&gaz)) || (rc = ner_gaz_deserialize(gaz, buf + p, gl))) goto fail;
  p += gl;
  memcpy(&cll, buf + p, 4), p += 4;
  rc = PRESSE_EFORMAT;
  if (p + cll > len) goto fail;
  if (cll) {
    if ((rc = ner_gaz_new(&cl)) || (rc = ner_gaz_deserialize(cl, buf + p, cll))) goto fail;
    p += cll;
  }
  rc = ner_model_new(&m, bits, gaz, cl);
  gaz = cl = NULL; /* owned by m now, or freed */
  if (rc) goto fail;
  m->scale = scale;
  m->flags = flags;
  if ((flags & NER_MODEL_LEXICON) && (rc = presse_compound_new(&m->lex, NULL)) != 0) {
    /* Not PRESSE_ENOTFOUND: the model was found, so the default lookup must stop here and report
       this, not go on to another directory's model. */
    snprintf(err, errlen, "%s: the model needs the word lexicon (compound.lex), which %s", path,
             ner_lexicon_problem(rc));
    presse_ner_model_free(m);
    free(buf);
    return rc == PRESSE_ENOTFOUND ? PRESSE_EIO : rc;
  }
  memcpy(m->trans, trans, sizeof trans);
  memcpy(m->bias, bias, sizeof bias);
  size_t rows = (size_t)1 << bits;
  rc = PRESSE_EFORMAT;
  if (p + rows / 8 > len) goto fail;
  const unsigned char *bitmap = buf + p;
  p += rows / 8;
  for (size_t r = 0; r < rows; r++) {
    if (!(bitmap[r / 8] & (1u << (r % 8)))) continue;
    if (p + NER_NTAGS * 2 > len) goto fail;
    memcpy(m->w + r * NER_LANES, buf + p, NER_NTAGS * 2);
    p += NER_NTAGS * 2;
  }
  if (p != len) goto fail;
  m->path = strdup(path);
  if (!m->path) {
    rc = PRESSE_ENOMEM;
    goto fail;
  }
  free(buf);
  *out = m;
  return 0;
fail:
  if (rc == PRESSE_EFORMAT) snprintf(err, errlen, "%s: not a presse NER model (or truncated)", path);
  else if (rc == PRESSE_ENOMEM) snprintf(err, errlen, "%s: out of memory", path);
  else snprintf(err, errlen, "%s: read error", path);
  presse_ner_model_free(m);
  ner_gaz_free(gaz);
  ner_gaz_free(cl);
  free(buf);
  return rc;
}

int presse_ner_model_load_err(presse_ner_model **out, const char *path, char *errbuf, size_t errlen) {
  char dummy[8];
  if (!errbuf || errlen == 0) errbuf = dummy, errlen = sizeof dummy;
  errbuf[0] = 0;
  if (!out) return PRESSE_EINVAL;
  *out = NULL;
  if (path) return load_file(out, path, errbuf, errlen);
  const char *env = getenv("PRESSE_NER_MODEL");
  if (env && *env) return load_file(out, env, errbuf, errlen);
  /* An installed libpresse reads only its own prefix's model (util/datadir.c): a missing one is
   * an error that names it, never the build tree's copy. */
  const char *inst = presse_datadir_installed();
  if (inst) {
    char p[4096];
    snprintf(p, sizeof p, "%s/models/%s", inst, MODEL_NAME);
    return load_file(out, p, errbuf, errlen);
  }
  /* The source tree first so tests and uninstalled builds see the model they were built with. */
  const char *dirs[] = {
#ifdef PRESSE_SOURCE_DIR
      PRESSE_SOURCE_DIR "/models",
#endif
#ifdef PRESSE_DATADIR
      PRESSE_DATADIR "/models",
#endif
      NULL};
  char p[4096];
  for (size_t i = 0; dirs[i]; i++) {
    snprintf(p, sizeof p, "%s/%s", dirs[i], MODEL_NAME);
    int rc = load_file(out, p, errbuf, errlen);
    if (rc != PRESSE_ENOTFOUND) return rc;
  }
  snprintf(errbuf, errlen, "no NER model found (set PRESSE_NER_MODEL or install %s)", MODEL_NAME);
  return PRESSE_ENOTFOUND;
}

int presse_ner_model_load(presse_ner_model **out, const char *path) {
  return presse_ner_model_load_err(out, path, NULL, 0);
}

void ner_viterbi_f(const float *em, size_t n, const float trans[NER_NTAGS + 1][NER_NTAGS],
                   uint8_t *tags, float *vs, int *bp) {
  if (n == 0) return;
  for (int t = 0; t < NER_NTAGS; t++) {
    vs[t] = em[t] + trans[NER_START][t];
    bp[t] = -1;
  }
  for (size_t i = 1; i < n; i++) {
    const float *prev = vs + (i - 1) * NER_NTAGS;
    float *cur = vs + i * NER_NTAGS;
    for (int t = 0; t < NER_NTAGS; t++) {
      float best = prev[0] + trans[0][t];
      int arg = 0;
      for (int s = 1; s < NER_NTAGS; s++) {
        float v = prev[s] + trans[s][t];
        if (v > best) best = v, arg = s;
      }
      cur[t] = best + em[i * NER_NTAGS + t];
      bp[i * NER_NTAGS + t] = arg;
    }
  }
  const float *last = vs + (n - 1) * NER_NTAGS;
  int arg = 0;
  for (int t = 1; t < NER_NTAGS; t++)
    if (last[t] > last[arg]) arg = t;
  for (size_t i = n; i-- > 0;) {
    tags[i] = (uint8_t)arg;
    arg = bp[i * NER_NTAGS + arg];
  }
}

int ner_tagbuf_reserve(ner_tagbuf *b, size_t n) {
  if (n <= b->cap) return 0;
  size_t c = b->cap ? b->cap : 64;
  while (c < n) c *= 2;
  uint32_t *f = realloc(b->feats, c * NER_MAXF2 * sizeof *f);
  if (!f) return PRESSE_ENOMEM;
  b->feats = f;
  uint8_t *nf = realloc(b->nfeat, c);
  if (!nf) return PRESSE_ENOMEM;
  b->nfeat = nf;
  float *em = realloc(b->em, c * NER_NTAGS * sizeof *em);
  if (!em) return PRESSE_ENOMEM;
  b->em = em;
  float *vs = realloc(b->vs, c * NER_NTAGS * sizeof *vs);
  if (!vs) return PRESSE_ENOMEM;
  b->vs = vs;
  int *bp = realloc(b->bp, c * NER_NTAGS * sizeof *bp);
  if (!bp) return PRESSE_ENOMEM;
  b->bp = bp;
  b->cap = c;
  return 0;
}

void ner_tagbuf_free(ner_tagbuf *b) {
  if (!b) return;
  free(b->feats);
  free(b->nfeat);
  free(b->em);
  free(b->vs);
  free(b->bp);
  memset(b, 0, sizeof *b);
}

void ner_model_tag(const presse_ner_model *m, ner_tagbuf *b, const char *const *tok, const size_t *len,
                   size_t n, uint8_t *tags) {
  ner_featctx ctx = {m->gaz, m->clusters, ((uint32_t)1 << m->hash_bits) - 1,
                     (m->flags & NER_MODEL_AUGMENTED) ? 1u : 0u, m->lex,
                     (m->flags & NER_MODEL_NGRAMS) != 0};
  ner_sentence_features(&ctx, tok, len, n, b->feats, b->nfeat);
  for (size_t i = 0; i < n; i++) {
    int32_t acc[NER_LANES] = {0};
    for (int t = 0; t < NER_NTAGS; t++) acc[t] = m->bias[t];
    const uint32_t *f = b->feats + i * NER_MAXF2;
    for (size_t k = 0; k < b->nfeat[i]; k++) {
      const int16_t *row = m->w + (size_t)f[k] * NER_LANES;
      for (int l = 0; l < NER_LANES; l++) acc[l] += row[l];
    }
    for (int t = 0; t < NER_NTAGS; t++) b->em[i * NER_NTAGS + t] = (float)acc[t];
  }
  float tr[NER_NTAGS + 1][NER_NTAGS];
  for (int s = 0; s <= NER_NTAGS; s++)
    for (int t = 0; t < NER_NTAGS; t++) tr[s][t] = (float)m->trans[s][t];
  ner_viterbi_f(b->em, n, (const float(*)[NER_NTAGS])tr, tags, b->vs, b->bp);
}

int presse_ner_tag_tokens(const presse_ner_model *m, const char *const *tokens, size_t ntok,
                          const char **tags_out) {
  if (!m || (!tokens && ntok) || (!tags_out && ntok)) return PRESSE_EINVAL;
  if (ntok == 0) return 0;
  ner_tagbuf b = {0};
  size_t *len = malloc(ntok * sizeof *len);
  uint8_t *tags = malloc(ntok);
  int rc = (len && tags) ? ner_tagbuf_reserve(&b, ntok) : PRESSE_ENOMEM;
  if (!rc) {
    for (size_t i = 0; i < ntok; i++) len[i] = strlen(tokens[i]);
    ner_model_tag(m, &b, tokens, len, ntok, tags);
    for (size_t i = 0; i < ntok; i++) tags_out[i] = ner_tag_names[tags[i]];
  }
  ner_tagbuf_free(&b);
  free(len);
  free(tags);
  return rc;
}
