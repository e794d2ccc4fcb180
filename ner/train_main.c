/* presse-ner-train: trains the NER tagger from CoNLL / GermEval files.
 *
 *   presse-ner-train -o models/ner-de.model --gazetteer models/gazetteer.tsv \
 *       [--clusters models/clusters.tsv] [--epochs 12] [--bits 20] [--seed N] [-v] \
 *       [--folds K --fold I --cv FILE[:WEIGHT]] FILE[:WEIGHT]...
 *
 * --augment adds domain-specific copies of every feature (target: the --cv file and files named
 * with --target FILE) so corpora annotated under other guidelines help without overruling the
 * target's conventions. --bias B or --bias PER,LOC,ORG stores a decode-time offset (weight units) that
 * is added to the B-/I- scores of each type, i.e. a handicap for O. --gazetteer may be repeated. A FILE's sentences count WEIGHT times in each perceptron update (default 1). With --folds, the
 * --cv file contributes all sentences except fold I, which presse-ner-eval then scores.
 * The recovered GermEval train split (token, tag, casing class, index) is read with its
 * placeholders; --ph-max S drops its sentences with a placeholder share above S, --ph-weight W
 * scales a sentence's weight by 1 - share * (1 - W). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner/ner_internal.h"
#include "presse/presse.h"

static void usage(void) {
  fprintf(stderr,
          "usage: presse-ner-train -o MODEL [--gazetteer TSV] [--clusters TSV] [--epochs N] [--bits B]\n"
          "                        [--seed N] [--mix K] [--bias B|P,L,O] [--lexicon] [--ph-max SHARE] [--ph-weight W] [-v]\n"
          "                        [--folds K --fold I --cv FILE[:W]] FILE[:W]...\n");
}

/* "path:2.5" -> weight 2.5; a path may itself contain ':' only if followed by a weight. */
static float split_weight(char *spec) {
  char *c = strrchr(spec, ':');
  if (c && c[1]) {
    char *end;
    double v = strtod(c + 1, &end);
    if (*end == 0 && v > 0) {
      *c = 0;
      return (float)v;
    }
  }
  return 1.0f;
}

int main(int argc, char **argv) {
  const char *outp = NULL, *clp = NULL;
  const char *gazp[16];
  int ngaz = 0;
  ner_train_opts o = {.epochs = 12, .hash_bits = 20, .seed = 1, .verbose = 0};
  int folds = 0, fold = -1;
  double ph_max = 0, ph_weight = 0;
  char *cv = NULL;
  char **files = calloc((size_t)argc, sizeof *files);
  int nfiles = 0, ntargets = 0;
  const char **targets = calloc((size_t)argc, sizeof *targets);
  if (!targets) return 1;
  if (!files) return 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    int more = i + 1 < argc;
    if (strcmp(a, "-o") == 0 && more) outp = argv[++i];
    else if (strcmp(a, "--gazetteer") == 0 && more && ngaz < 16) gazp[ngaz++] = argv[++i];
    else if (strcmp(a, "--clusters") == 0 && more) clp = argv[++i];
    else if (strcmp(a, "--epochs") == 0 && more) o.epochs = atoi(argv[++i]);
    else if (strcmp(a, "--bits") == 0 && more) o.hash_bits = (uint32_t)atoi(argv[++i]);
    else if (strcmp(a, "--seed") == 0 && more) o.seed = strtoull(argv[++i], NULL, 10);
    else if (strcmp(a, "--mix") == 0 && more) o.mix = atoi(argv[++i]);
    else if (strcmp(a, "--bias") == 0 && more && ner_bias_parse(argv[i + 1], o.bias) == 0) i++;
    else if (strcmp(a, "--folds") == 0 && more) folds = atoi(argv[++i]);
    else if (strcmp(a, "--fold") == 0 && more) fold = atoi(argv[++i]);
    else if (strcmp(a, "--cv") == 0 && more) cv = argv[++i];
    else if (strcmp(a, "--ph-max") == 0 && more) ph_max = atof(argv[++i]);
    else if (strcmp(a, "--ph-weight") == 0 && more) ph_weight = atof(argv[++i]);
    else if (strcmp(a, "--augment") == 0) o.augment = 1;
    else if (strcmp(a, "--lexicon") == 0) o.lexicon = 1;
    else if (strcmp(a, "--target") == 0 && more) targets[ntargets++] = argv[++i];
    else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) o.verbose = 1;
    else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage();
      free(files);
      free(targets);
      return 0;
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, "presse-ner-train: unknown option %s\n", a);
      usage();
      free(files);
      free(targets);
      return 2;
    } else files[nfiles++] = argv[i];
  }
  if (!outp || (nfiles == 0 && !cv) || (folds > 1 && (fold < 0 || fold >= folds || !cv))) {
    usage();
    free(files);
    free(targets);
    return 2;
  }
  char err[512] = "";
  ner_gaz *gaz = NULL, *cl = NULL;
  int rc = ner_gaz_new(&gaz);
  for (int i = 0; i < ngaz && !rc; i++) rc = ner_gaz_load_tsv(gaz, gazp[i], err, sizeof err);
  if (!rc && clp && !(rc = ner_gaz_new(&cl))) rc = ner_gaz_load_tsv(cl, clp, err, sizeof err);
  ner_corpus c = {0};
  c.ph_max = ph_max;
  c.ph_weight = ph_weight;
  for (int i = 0; i < nfiles && !rc; i++) {
    float wgt = split_weight(files[i]);
    size_t before = c.n;
    rc = ner_corpus_read(&c, files[i], wgt, i, 0, -1, 0, err, sizeof err);
    for (int t = 0; t < ntargets; t++)
      if (strcmp(targets[t], files[i]) == 0)
        for (size_t k = before; k < c.n; k++) c.s[k].target = 1;
    if (o.verbose && !rc) fprintf(stderr, "%s: weight %.2f, %zu sentences so far\n", files[i], wgt, c.n);
  }
  if (!rc && cv) {
    float wgt = split_weight(cv);
    size_t before = c.n;
    rc = ner_corpus_read(&c, cv, wgt, nfiles, folds, fold, 0, err, sizeof err);
    for (size_t k = before; k < c.n; k++) c.s[k].target = 1; /* the cross-validated corpus is the target */
    if (o.verbose && !rc) fprintf(stderr, "%s (cv %d/%d held out): weight %.2f, %zu sentences so far\n", cv, fold, folds, wgt, c.n);
  }
  presse_ner_model *m = NULL;
  if (!rc) {
    rc = ner_train(&o, &c, gaz, cl, &m);
    gaz = cl = NULL;
    if (rc && o.lexicon && (rc == PRESSE_ENOTFOUND || rc == PRESSE_EFORMAT))
      snprintf(err, sizeof err, "--lexicon: the word lexicon (compound.lex) %s", ner_lexicon_problem(rc));
    else if (rc) snprintf(err, sizeof err, "training failed: %s", presse_strerror(rc));
  }
  if (!rc) rc = ner_model_save(m, outp, err, sizeof err);
  if (rc) fprintf(stderr, "presse-ner-train: %s\n", err);
  presse_ner_model_free(m);
  ner_gaz_free(gaz);
  ner_gaz_free(cl);
  ner_corpus_free(&c);
  free(files);
  free(targets);
  return rc ? 1 : 0;
}
