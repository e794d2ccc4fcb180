/* presse-ner: prints the persons, organisations and places of texts.
 *
 *   presse-ner [--model MODEL] [--json] FILE...     ("-" reads stdin)
 *   presse-ner [--model MODEL] --conll FILE...      tag CoNLL token files for evaluation
 *
 * TSV output: type, canonical form, surface, byte start, byte end; with several files a
 * "# FILE" line precedes each file's entities. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner/ner_internal.h"
#include "presse/presse.h"

static void usage(FILE *f) {
  fprintf(f, "usage: presse-ner [--model MODEL] [--json | --conll] FILE...   (\"-\" for stdin)\n");
}

static int slurp(const char *path, char **out, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return -1;
  size_t cap = 1 << 16, n = 0;
  char *b = malloc(cap);
  while (b) {
    size_t k = fread(b + n, 1, cap - n, f);
    n += k;
    if (n < cap) {
      if (ferror(f)) {
        free(b);
        b = NULL;
      }
      break;
    }
    char *nb = realloc(b, cap *= 2);
    if (!nb) free(b);
    b = nb;
  }
  int e = errno;
  if (f != stdin) fclose(f);
  if (!b) {
    errno = e ? e : ENOMEM;
    return -1;
  }
  *out = b;
  *len = n;
  return 0;
}

static void json_str(FILE *o, const char *s, size_t n) {
  fputc('"', o);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') fprintf(o, "\\%c", c);
    else if (c == '\n') fputs("\\n", o);
    else if (c == '\t') fputs("\\t", o);
    else if (c == '\r') fputs("\\r", o);
    else if (c < 0x20) fprintf(o, "\\u%04x", c);
    else fputc(c, o);
  }
  fputc('"', o);
}

static void tsv_str(FILE *o, const char *s) { presse_term_puts(o, s, PRESSE_TERM_TSV); }

/* Tags a CoNLL file: one token per line (first column; GermEval "idx token ..." lines give the
 * second), blank line between sentences. Prints "token<TAB>tag". */
static int tag_conll(const presse_ner_model *m, const char *name, char *buf, size_t len) {
  size_t cap = 256, n = 0;
  const char **tok = malloc(cap * sizeof *tok);
  const char **tags = malloc(cap * sizeof *tags);
  int rc = (tok && tags) ? 0 : PRESSE_ENOMEM;
  size_t p = 0;
  while (!rc && p <= len) {
    size_t e = p;
    while (e < len && buf[e] != '\n') e++;
    size_t le = e;
    if (le > p && buf[le - 1] == '\r') le--;
    buf[le] = 0; /* the buffer has one spare byte past len */
    char *line = buf + p;
    int blank = le == p || strspn(line, " \t") == le - p;
    int comment = line[0] == '#' && (line[1] == '\t' || (line[1] == ' ' && !strchr(line + 2, '\t')));
    if (!blank && !comment) {
      char *f1 = line, *t = strpbrk(line, "\t ");
      if (t) {
        *t = 0;
        char *f2 = t + 1, *t2 = strpbrk(f2, "\t ");
        int numeric = strspn(f1, "0123456789") == strlen(f1);
        if (numeric && t2) {
          *t2 = 0;
          f1 = f2;
        }
      }
      if (n == cap) {
        cap *= 2;
        const char **a = realloc(tok, cap * sizeof *a);
        if (a) tok = a;
        const char **b2 = a ? realloc(tags, cap * sizeof *b2) : NULL;
        if (b2) tags = b2;
        if (!a || !b2) rc = PRESSE_ENOMEM;
      }
      if (!rc) tok[n++] = f1;
    }
    if (!rc && (blank || e >= len) && n > 0) {
      rc = presse_ner_tag_tokens(m, tok, n, tags);
      for (size_t i = 0; !rc && i < n; i++) printf("%s\t%s\n", tok[i], tags[i]);
      if (!rc) printf("\n");
      n = 0;
    }
    p = e + 1;
  }
  if (rc) fprintf(stderr, "presse-ner: %s: %s\n", name, presse_strerror(rc));
  free(tok);
  free(tags);
  return rc;
}

int main(int argc, char **argv) {
  const char *modelp = NULL;
  int json = 0, conll = 0, nfiles = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) modelp = argv[++i];
    else if (strcmp(argv[i], "--json") == 0) json = 1;
    else if (strcmp(argv[i], "--conll") == 0) conll = 1;
    else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
      usage(stdout);
      return 0;
    } else if (argv[i][0] == '-' && argv[i][1]) {
      fprintf(stderr, "presse-ner: unknown option %s\n", argv[i]);
      usage(stderr);
      return 2;
    } else nfiles++;
  }
  if (nfiles == 0) {
    usage(stderr);
    return 2;
  }
  char err[512];
  presse_ner_model *m = NULL;
  if (presse_ner_model_load_err(&m, modelp, err, sizeof err)) {
    fprintf(stderr, "presse-ner: %s\n", err);
    return 1;
  }
  int failed = 0, first = 1;
  if (json && nfiles > 1) printf("[");
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--model") == 0) {
      i++;
      continue;
    }
    if (argv[i][0] == '-' && argv[i][1]) continue;
    const char *name = argv[i];
    char *buf = NULL;
    size_t len = 0;
    if (slurp(name, &buf, &len)) {
      fprintf(stderr, "presse-ner: %s: %s\n", strcmp(name, "-") ? name : "(stdin)", strerror(errno));
      failed = 1;
      continue;
    }
    if (memchr(buf, 0, len)) {
      fprintf(stderr, "presse-ner: %s: binary file (contains NUL bytes)\n", name);
      free(buf);
      failed = 1;
      continue;
    }
    if (!ner_utf8_valid(buf, len)) {
      fprintf(stderr, "presse-ner: %s: not valid UTF-8\n", name);
      free(buf);
      failed = 1;
      continue;
    }
    if (conll) {
      if (tag_conll(m, name, buf, len)) failed = 1;
      free(buf);
      continue;
    }
    presse_ner_entity *e = NULL;
    size_t n = 0;
    int rc = presse_ner_extract(m, buf, len, &e, &n);
    if (rc) {
      fprintf(stderr, "presse-ner: %s: %s\n", name, presse_strerror(rc));
      free(buf);
      failed = 1;
      continue;
    }
    if (json) {
      if (!first) printf(",");
      printf("{\"file\":");
      json_str(stdout, name, strlen(name));
      printf(",\"entities\":[");
      for (size_t k = 0; k < n; k++) {
        printf("%s{\"type\":\"%s\",\"canonical\":", k ? "," : "", presse_ner_type_name(e[k].type));
        json_str(stdout, e[k].canonical, strlen(e[k].canonical));
        printf(",\"surface\":");
        json_str(stdout, e[k].surface, strlen(e[k].surface));
        printf(",\"start\":%zu,\"end\":%zu}", e[k].start, e[k].end);
      }
      printf("]}");
    } else {
      if (nfiles > 1) printf("# %s\n", name);
      for (size_t k = 0; k < n; k++) {
        printf("%s\t", presse_ner_type_name(e[k].type));
        tsv_str(stdout, e[k].canonical);
        printf("\t");
        tsv_str(stdout, e[k].surface);
        printf("\t%zu\t%zu\n", e[k].start, e[k].end);
      }
    }
    first = 0;
    presse_ner_entities_free(e, n);
    free(buf);
  }
  if (json) printf(nfiles > 1 ? "]\n" : "\n");
  presse_ner_model_free(m);
  if (fflush(stdout) != 0) return 1;
  return failed ? 1 : 0;
}
