/* presse-ner-eval: exact-span precision, recall and F1 per type and overall (CoNLL style) of a
 * model on GermEval / CoNLL files.
 *
 *   presse-ner-eval [--model MODEL] [--bias B|PER,LOC,ORG] [--folds K --fold I] [--quiet] FILE...
 *
 * --bias replaces the model's decode-time type offsets (weight units), for tuning them by
 * cross-validation without retraining.
 * With --folds only fold I of each file is scored (the part presse-ner-train --cv held out).
 * The last line, "counts tpPER fpPER fnPER tpLOC ... fnORG", is for scripts that sum folds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner/ner_internal.h"
#include "presse/presse.h"

static const char *const tn[3] = {"PER", "LOC", "ORG"};

static void report(const char *title, const ner_eval_counts *c) {
  printf("%s\n", title);
  long T = 0, P = 0, N = 0;
  for (int t = 0; t < 3; t++) {
    long tp = c->tp[t], fp = c->fp[t], fn = c->fn[t];
    T += tp, P += fp, N += fn;
    double p = tp + fp ? 100.0 * tp / (double)(tp + fp) : 0, r = tp + fn ? 100.0 * tp / (double)(tp + fn) : 0;
    double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
    printf("  %-4s precision %6.2f%%  recall %6.2f%%  F1 %6.2f  (gold %ld, found %ld)\n", tn[t], p, r, f,
           tp + fn, tp + fp);
  }
  double p = T + P ? 100.0 * T / (double)(T + P) : 0, r = T + N ? 100.0 * T / (double)(T + N) : 0;
  double f = p + r > 0 ? 2 * p * r / (p + r) : 0;
  printf("  all  precision %6.2f%%  recall %6.2f%%  F1 %6.2f\n", p, r, f);
}

int main(int argc, char **argv) {
  const char *modelp = NULL;
  int folds = 0, fold = -1, quiet = 0, dump = 0, setbias = 0;
  double bias[3];
  ner_eval_counts all;
  memset(&all, 0, sizeof all);
  presse_ner_model *m = NULL;
  char err[512];
  int nfiles = 0, rc = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) modelp = argv[++i];
    else if (strcmp(argv[i], "--folds") == 0 && i + 1 < argc) folds = atoi(argv[++i]);
    else if (strcmp(argv[i], "--fold") == 0 && i + 1 < argc) fold = atoi(argv[++i]);
    else if (strcmp(argv[i], "--bias") == 0 && i + 1 < argc && ner_bias_parse(argv[i + 1], bias) == 0) setbias = 1, i++;
    else if (strcmp(argv[i], "--quiet") == 0) quiet = 1;
    else if (strcmp(argv[i], "--dump") == 0) dump = 1; /* token, gold, predicted per line */
    else if (argv[i][0] == '-') {
      fprintf(stderr, "usage: presse-ner-eval [--model MODEL] [--bias B|PER,LOC,ORG] [--folds K --fold I] [--quiet] [--dump] FILE...\n");
      return 2;
    }
  }
  if ((rc = presse_ner_model_load_err(&m, modelp, err, sizeof err))) {
    fprintf(stderr, "presse-ner-eval: %s\n", err);
    return 1;
  }
  if (setbias) ner_model_set_bias(m, bias);
  ner_tagbuf b = {0};
  for (int i = 1; i < argc && !rc; i++) {
    if (argv[i][0] == '-') {
      if (strcmp(argv[i], "--quiet") != 0 && strcmp(argv[i], "--dump") != 0) i++;
      continue;
    }
    ner_corpus c = {0};
    if ((rc = ner_corpus_read(&c, argv[i], 1, 0, folds, fold, 1, err, sizeof err))) {
      fprintf(stderr, "presse-ner-eval: %s\n", err);
      break;
    }
    ner_eval_counts fc;
    memset(&fc, 0, sizeof fc);
    for (size_t s = 0; s < c.n && !rc; s++) {
      size_t n = c.s[s].n;
      size_t *len = malloc(n * sizeof *len);
      uint8_t *pred = malloc(n);
      if (!len || !pred || (rc = ner_tagbuf_reserve(&b, n))) {
        rc = PRESSE_ENOMEM;
      } else {
        for (size_t k = 0; k < n; k++) len[k] = strlen(c.s[s].tok[k]);
        ner_model_tag(m, &b, (const char *const *)c.s[s].tok, len, n, pred);
        ner_eval_sentence(&fc, c.s[s].gold, pred, n);
        if (dump) {
          for (size_t k = 0; k < n; k++)
            fprintf(stderr, "%s\t%s\t%s\n", c.s[s].tok[k], ner_tag_names[c.s[s].gold[k]], ner_tag_names[pred[k]]);
          fprintf(stderr, "\n");
        }
      }
      free(len);
      free(pred);
    }
    for (int t = 0; t < 3; t++) all.tp[t] += fc.tp[t], all.fp[t] += fc.fp[t], all.fn[t] += fc.fn[t];
    if (!quiet) report(argv[i], &fc);
    ner_corpus_free(&c);
    nfiles++;
  }
  if (!rc && nfiles > 1) report("overall", &all);
  if (!rc) {
    printf("counts");
    for (int t = 0; t < 3; t++) printf(" %ld %ld %ld", all.tp[t], all.fp[t], all.fn[t]);
    printf("\n");
  }
  ner_tagbuf_free(&b);
  presse_ner_model_free(m);
  return rc ? 1 : 0;
}
