/* Training and evaluation support: corpus readers (GermEval TSV, CoNLL), the averaged structured
 * perceptron (Collins 2002) and exact-span CoNLL scoring.
 *
 * Determinism: features are precomputed once, sentence order per epoch comes from a seeded
 * xorshift generator, and all arithmetic is sequential in double precision, so the same inputs
 * give the same model bytes on the same platform. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/compound.h"
#include "ner/ner_internal.h"
#include "presse/presse.h"

/* ---- corpora --------------------------------------------------------------------------------- */

/* The casing classes of the recovered GermEval train split (the UKPLab tutorial's getCasing), as
 * our capitalisation classes: allLower 0, initialUpper 1, allUpper 2, numeric and mainly_numeric 3,
 * contains_digit 6, other 4 (digits 0..6 of a placeholder token). -1 for anything else. */
int ner_casing_parse(const char *s) {
  static const char *const names[] = {"allLower", "initialUpper", "allUpper", "numeric",
                                      "mainly_numeric", "contains_digit", "other"};
  static const int cls[] = {0, 1, 2, 3, 3, 6, 4};
  for (int k = 0; k < 7; k++)
    if (strcmp(s, names[k]) == 0) return cls[k];
  return -1;
}

static int add_sentence(ner_corpus *c, char **tok, uint8_t *gold, size_t n, float weight, int source) {
  if (c->n == c->cap) {
    size_t nc = c->cap ? c->cap * 2 : 1024;
    ner_sentence *ns = realloc(c->s, nc * sizeof *ns);
    if (!ns) return PRESSE_ENOMEM;
    c->s = ns;
    c->cap = nc;
  }
  ner_tags_repair(gold, n);
  c->s[c->n++] = (ner_sentence){tok, gold, n, weight, source, 0};
  return 0;
}

void ner_corpus_free(ner_corpus *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n; i++) {
    for (size_t k = 0; k < c->s[i].n; k++) free(c->s[i].tok[k]);
    free(c->s[i].tok);
    free(c->s[i].gold);
  }
  free(c->s);
  memset(c, 0, sizeof *c);
}

int ner_corpus_read(ner_corpus *c, const char *path, float weight, int source, int folds, int fold,
                    int keep_only_fold, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open", path);
    return PRESSE_EIO;
  }
  /* Read all sentences into a temporary corpus first: fold membership needs the total count. */
  ner_corpus tmp = {0};
  char line[8192];
  char **tok = NULL;
  uint8_t *gold = NULL;
  size_t n = 0, cap = 0;
  int rc = 0, germeval = -1;
  size_t nph = 0;
  for (;;) {
    char *got = fgets(line, sizeof line, f);
    size_t l = got ? strcspn(line, "\r\n") : 0;
    if (got) line[l] = 0;
    if (!got || l == 0) {
      if (n > 0) {
        if ((rc = add_sentence(&tmp, tok, gold, n, weight, source))) break;
        tok = NULL, gold = NULL, n = cap = 0;
      }
      if (!got) break;
      continue;
    }
    if (germeval == -1) {
      if (line[0] == '#' && line[1] == ' ') continue; /* header of the recovered train split */
      germeval = (line[0] == '#' && line[1] == '\t');
    }
    if (germeval && line[0] == '#' && line[1] == '\t') continue;
    /* Split on tabs (or spaces for space-separated CoNLL). */
    char *fld[8];
    int nf = 0;
    char *p = line;
    const char *sep = strchr(line, '\t') ? "\t" : " ";
    while (nf < 8) {
      fld[nf++] = p;
      char *q = strpbrk(p, sep);
      if (!q) break;
      *q = 0;
      p = q + 1;
    }
    const char *word, *tag;
    char phbuf[32];
    int cc = nf == 4 && !germeval ? ner_casing_parse(fld[2]) : -1;
    if (cc >= 0) {
      /* GermEval 2014 train, recovered: token, outer tag, casing class, vocabulary index. A
       * placeholder (<W12345>, <OOV>) becomes NER_PH_BYTE + casing digit + the index ("?" for
       * <OOV>), which features.c gives casing, identity and context features only. */
      word = fld[0], tag = fld[1];
      if (word[0] == '<' && (strcmp(word, "<OOV>") == 0 || (word[1] == 'W' && strchr(word, '>')))) {
        snprintf(phbuf, sizeof phbuf, "%c%d%s", NER_PH_BYTE, cc, word[1] == 'W' ? fld[3] : "?");
        word = phbuf;
        nph++;
      }
    } else if (germeval) {
      if (nf < 3) continue;
      word = fld[1], tag = fld[2];
    } else {
      if (nf < 2) continue;
      word = fld[0], tag = fld[nf - 1];
    }
    if (n == cap) {
      cap = cap ? cap * 2 : 32;
      char **nt = realloc(tok, cap * sizeof *nt);
      uint8_t *ng = nt ? realloc(gold, cap) : NULL;
      if (nt) tok = nt;
      if (!nt || !ng) {
        rc = PRESSE_ENOMEM;
        break;
      }
      gold = ng;
    }
    tok[n] = strdup(word);
    if (!tok[n]) {
      rc = PRESSE_ENOMEM;
      break;
    }
    gold[n++] = (uint8_t)ner_tag_parse(tag);
  }
  fclose(f);
  if (rc) {
    for (size_t k = 0; k < n; k++) free(tok[k]);
    free(tok);
    free(gold);
    ner_corpus_free(&tmp);
    snprintf(err, errlen, "%s: out of memory", path);
    return rc;
  }
  free(tok);
  free(gold);
  for (size_t i = 0; i < tmp.n; i++) {
    int in_fold = folds > 1 && (int)(i * (size_t)folds / tmp.n) == fold;
    int keep = folds > 1 ? (keep_only_fold ? in_fold : !in_fold) : 1;
    if (keep && nph && (c->ph_max > 0 || c->ph_weight > 0)) {
      size_t k = 0;
      for (size_t t = 0; t < tmp.s[i].n; t++) k += tmp.s[i].tok[t][0] == NER_PH_BYTE;
      double share = (double)k / (double)tmp.s[i].n;
      if (c->ph_max > 0 && share > c->ph_max) keep = 0;
      else if (c->ph_weight > 0 && share > 0) tmp.s[i].weight *= (float)(1.0 - share * (1.0 - c->ph_weight));
    }
    if (keep) {
      if ((rc = add_sentence(c, tmp.s[i].tok, tmp.s[i].gold, tmp.s[i].n, tmp.s[i].weight, source))) {
        snprintf(err, errlen, "%s: out of memory", path);
        keep = 0;
      } else {
        continue;
      }
    }
    for (size_t k = 0; k < tmp.s[i].n; k++) free(tmp.s[i].tok[k]);
    free(tmp.s[i].tok);
    free(tmp.s[i].gold);
  }
  free(tmp.s);
  return rc;
}

/* ---- perceptron --------------------------------------------------------------------------- */

static uint64_t xorshift(uint64_t *s) {
  uint64_t x = *s;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return *s = x;
}

int ner_train(const ner_train_opts *o, const ner_corpus *c, ner_gaz *gaz, ner_clusters *clusters,
              presse_ner_model **out) {
  *out = NULL;
  presse_ner_model *m = NULL;
  int rc = ner_model_new(&m, o->hash_bits, gaz, clusters);
  if (rc) return rc;
  const size_t rows = (size_t)1 << o->hash_bits;
  const size_t W = rows * NER_LANES;
  double *w = calloc(W, sizeof *w), *u = calloc(W, sizeof *u), *wsum = NULL;
  double tw[NER_NTAGS + 1][NER_NTAGS] = {{0}}, tu[NER_NTAGS + 1][NER_NTAGS] = {{0}};
  /* Precomputed features: offsets per sentence into one big array. */
  size_t total = 0, maxn = 0;
  for (size_t i = 0; i < c->n; i++) {
    total += c->s[i].n;
    if (c->s[i].n > maxn) maxn = c->s[i].n;
  }
  uint32_t *feats = malloc((total ? total : 1) * NER_MAXF2 * sizeof *feats);
  uint8_t *nfeat = malloc(total ? total : 1);
  size_t *off = malloc((c->n + 1) * sizeof *off);
  size_t *order = malloc((c->n ? c->n : 1) * sizeof *order);
  size_t *lens = malloc((maxn ? maxn : 1) * sizeof *lens);
  float *em = malloc((maxn ? maxn : 1) * NER_NTAGS * sizeof *em);
  float *vs = malloc((maxn ? maxn : 1) * NER_NTAGS * sizeof *vs);
  int *bp = malloc((maxn ? maxn : 1) * NER_NTAGS * sizeof *bp);
  uint8_t *pred = malloc(maxn ? maxn : 1);
  if (!w || !u || !feats || !nfeat || !off || !order || !lens || !em || !vs || !bp || !pred) {
    rc = PRESSE_ENOMEM;
    goto done;
  }
  if (o->lexicon) {
    if ((rc = presse_compound_new(&m->lex, NULL)) != 0) goto done;
    m->flags |= NER_MODEL_LEXICON;
  }
  m->flags |= NER_MODEL_NGRAMS;
  ner_featctx ctx = {gaz, clusters, (uint32_t)(rows - 1), 0, m->lex, 1};
  if (o->augment) m->flags |= NER_MODEL_AUGMENTED;
  size_t pos = 0;
  for (size_t i = 0; i < c->n; i++) {
    off[i] = pos;
    for (size_t k = 0; k < c->s[i].n; k++) lens[k] = strlen(c->s[i].tok[k]);
    ctx.domain = o->augment ? (c->s[i].target ? 1u : 2u + (unsigned)c->s[i].source) : 0u;
    ner_sentence_features(&ctx, (const char *const *)c->s[i].tok, lens, c->s[i].n, feats + pos * NER_MAXF2,
                          nfeat + pos);
    pos += c->s[i].n;
  }
  off[c->n] = pos;
  /* Parameter mixing: K runs over differently shuffled orders, averaged. Each run is an ordinary
   * averaged perceptron; the mean of K of them has lower variance than any one (the run-to-run
   * spread in cross-validation is about half a point of F1). */
  const int runs = o->mix > 1 ? o->mix : 1;
  double tsum[NER_NTAGS + 1][NER_NTAGS] = {{0}};
  if (runs > 1 && !(wsum = calloc(W, sizeof *wsum))) {
    rc = PRESSE_ENOMEM;
    goto done;
  }
  double step = 1.0; /* the averaging clock: one tick per sentence */
  for (int run = 0; run < runs; run++) {
  for (size_t i = 0; i < c->n; i++) order[i] = i;
  uint64_t rng = (o->seed ? o->seed : 0x9E3779B97F4A7C15ULL) + (uint64_t)run * 0x9E3779B97F4A7C15ULL;
  if (run > 0) {
    memset(w, 0, W * sizeof *w);
    memset(u, 0, W * sizeof *u);
    memset(tw, 0, sizeof tw);
    memset(tu, 0, sizeof tu);
  }
  step = 1.0;
  for (int ep = 0; ep < o->epochs; ep++) {
    for (size_t i = c->n; i > 1; i--) {
      size_t j = (size_t)(xorshift(&rng) % i);
      size_t t = order[i - 1];
      order[i - 1] = order[j];
      order[j] = t;
    }
    long errs = 0, toks = 0;
    float tr[NER_NTAGS + 1][NER_NTAGS];
    for (int s = 0; s <= NER_NTAGS; s++)
      for (int t = 0; t < NER_NTAGS; t++) tr[s][t] = (float)tw[s][t];
    for (size_t oi = 0; oi < c->n; oi++) {
      const ner_sentence *s = &c->s[order[oi]];
      size_t n = s->n, base = off[order[oi]];
      for (size_t i = 0; i < n; i++) {
        double acc[NER_LANES] = {0};
        const uint32_t *f = feats + (base + i) * NER_MAXF2;
        for (size_t k = 0; k < nfeat[base + i]; k++) {
          const double *row = w + (size_t)f[k] * NER_LANES;
          for (int l = 0; l < NER_NTAGS; l++) acc[l] += row[l];
        }
        for (int t = 0; t < NER_NTAGS; t++) em[i * NER_NTAGS + t] = (float)acc[t];
      }
      ner_viterbi_f(em, n, (const float(*)[NER_NTAGS])tr, pred, vs, bp);
      int wrong = 0;
      for (size_t i = 0; i < n; i++)
        if (pred[i] != s->gold[i]) wrong = 1;
      toks += (long)n;
      if (wrong) {
        errs++;
        double d = s->weight;
        for (size_t i = 0; i < n; i++) {
          int g = s->gold[i], p = pred[i];
          int gp = i ? s->gold[i - 1] : NER_START, pp = i ? pred[i - 1] : NER_START;
          if (g != p) {
            const uint32_t *f = feats + (base + i) * NER_MAXF2;
            for (size_t k = 0; k < nfeat[base + i]; k++) {
              size_t r = (size_t)f[k] * NER_LANES;
              w[r + g] += d, u[r + g] += step * d;
              w[r + p] -= d, u[r + p] -= step * d;
            }
          }
          if (g != p || gp != pp) {
            tw[gp][g] += d, tu[gp][g] += step * d;
            tw[pp][p] -= d, tu[pp][p] -= step * d;
            tr[gp][g] = (float)tw[gp][g];
            tr[pp][p] = (float)tw[pp][p];
          }
        }
      }
      step += 1.0;
    }
    if (o->verbose) fprintf(stderr, "epoch %d: %ld of %zu sentences wrong (%ld tokens)\n", ep + 1, errs, c->n, toks);
  }
  /* Average: w_avg = w - u / step. Then quantise to int16 with one global scale. */
  for (size_t i = 0; i < W; i++) w[i] = w[i] - u[i] / step;
  for (int s = 0; s <= NER_NTAGS; s++)
    for (int t = 0; t < NER_NTAGS; t++) tw[s][t] = tw[s][t] - tu[s][t] / step;
  if (runs > 1) {
    for (size_t i = 0; i < W; i++) wsum[i] += w[i];
    for (int s = 0; s <= NER_NTAGS; s++)
      for (int t = 0; t < NER_NTAGS; t++) tsum[s][t] += tw[s][t];
  }
  } /* runs */
  if (runs > 1) {
    for (size_t i = 0; i < W; i++) w[i] = wsum[i] / runs;
    for (int s = 0; s <= NER_NTAGS; s++)
      for (int t = 0; t < NER_NTAGS; t++) tw[s][t] = tsum[s][t] / runs;
  }
  double maxabs = 0;
  for (size_t i = 0; i < W; i++)
    if (fabs(w[i]) > maxabs) maxabs = fabs(w[i]);
  /* Feature augmentation is a training device: at run time every feature f is accompanied by its
   * target-domain copy, so fold that copy into f's row and ship a plain model (half the lookups). */
  if (o->augment) {
    double *merged = calloc(W, sizeof *merged);
    if (!merged) {
      rc = PRESSE_ENOMEM;
      goto done;
    }
    maxabs = 0;
    for (size_t r = 0; r < rows; r++) {
      size_t a = (size_t)ner_feature_augment((uint32_t)r, 1, (uint32_t)(rows - 1)) * NER_LANES;
      for (int l = 0; l < NER_NTAGS; l++) {
        merged[r * NER_LANES + l] = w[r * NER_LANES + l] + w[a + l];
        if (fabs(merged[r * NER_LANES + l]) > maxabs) maxabs = fabs(merged[r * NER_LANES + l]);
      }
    }
    free(w);
    w = merged;
    m->flags &= ~NER_MODEL_AUGMENTED;
  }
  double scale = maxabs > 0 ? 32000.0 / maxabs : 1.0;
  m->scale = (float)scale;
  for (size_t i = 0; i < W; i++) m->w[i] = (int16_t)lrint(w[i] * scale);
  for (int s = 0; s <= NER_NTAGS; s++)
    for (int t = 0; t < NER_NTAGS; t++) {
      double v = tw[s][t] * scale;
      if (v > 2e9) v = 2e9;
      if (v < -2e9) v = -2e9;
      m->trans[s][t] = (int32_t)lrint(v);
    }
  ner_model_set_bias(m, o->bias);
  *out = m;
  m = NULL;
done:
  free(wsum);
  free(w);
  free(u);
  free(feats);
  free(nfeat);
  free(off);
  free(order);
  free(lens);
  free(em);
  free(vs);
  free(bp);
  free(pred);
  presse_ner_model_free(m);
  return rc;
}

/* ---- evaluation ---------------------------------------------------------------------------- */

/* Spans as conlleval reads BIO: a chunk starts at B-x, or at I-x whose predecessor is not x. */
static size_t spans(const uint8_t *tags, size_t n, size_t *st, size_t *en, int *ty) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (tags[i] == NER_O) continue;
    int t = ner_tag_type(tags[i]);
    if (ner_tag_is_begin(tags[i]) || i == 0 || tags[i - 1] == NER_O || ner_tag_type(tags[i - 1]) != t) {
      st[k] = i;
      ty[k] = t;
      en[k] = i + 1;
      k++;
    } else {
      en[k - 1] = i + 1;
    }
  }
  return k;
}

void ner_eval_sentence(ner_eval_counts *c, const uint8_t *gold, const uint8_t *pred, size_t n) {
  size_t sbuf[4][128];
  int tbuf[2][128];
  size_t *gs = sbuf[0], *ge = sbuf[1], *ps = sbuf[2], *pe = sbuf[3];
  int *gt = tbuf[0], *pt = tbuf[1];
  void *heap = NULL;
  if (n > 128) {
    heap = malloc(n * (4 * sizeof(size_t) + 2 * sizeof(int)));
    if (!heap) return;
    gs = heap, ge = gs + n, ps = ge + n, pe = ps + n;
    gt = (int *)(pe + n), pt = gt + n;
  }
  size_t ng = spans(gold, n, gs, ge, gt), np = spans(pred, n, ps, pe, pt);
  for (size_t i = 0; i < np; i++) {
    int hit = 0;
    for (size_t j = 0; j < ng; j++)
      if (gs[j] == ps[i] && ge[j] == pe[i] && gt[j] == pt[i]) hit = 1;
    if (hit) c->tp[pt[i]]++;
    else c->fp[pt[i]]++;
  }
  for (size_t j = 0; j < ng; j++) {
    int hit = 0;
    for (size_t i = 0; i < np; i++)
      if (gs[j] == ps[i] && ge[j] == pe[i] && gt[j] == pt[i]) hit = 1;
    if (!hit) c->fn[gt[j]]++;
  }
  free(heap);
}
