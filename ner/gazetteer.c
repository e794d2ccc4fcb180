/* Gazetteer: an open-addressing string set with a bit mask per entry (first name, municipality,
 * country, organisation head noun, ...). Multi-token entries are stored as tokens joined by
 * spaces, and every proper prefix is marked NER_GAZ_PREFIX so a longest-match scan can stop early.
 * The same structure holds the word clusters (value = cluster id + 1). It is embedded in the
 * model file, so the features a model was trained with are exactly the ones it is run with. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ner/ner_internal.h"
#include "presse/presse.h"

typedef struct {
  uint32_t off, len; /* into arena; len 0 = empty slot */
  uint32_t mask;
  uint32_t hash; /* high bits of the key's hash: most probes of other keys end here, without
                    touching the arena */
} slot;

struct ner_gaz {
  slot *tab;
  size_t cap, n;
  char *arena;
  size_t alen, acap;
};

static uint64_t hkey(const char *s, size_t n) { return ner_hash_bytes(0xcbf29ce484222325ULL, s, n); }

int ner_gaz_new(ner_gaz **out) {
  *out = NULL;
  ner_gaz *g = calloc(1, sizeof *g);
  if (!g) return PRESSE_ENOMEM;
  g->cap = 1024;
  g->tab = calloc(g->cap, sizeof *g->tab);
  if (!g->tab) {
    free(g);
    return PRESSE_ENOMEM;
  }
  *out = g;
  return 0;
}

void ner_gaz_free(ner_gaz *g) {
  if (!g) return;
  free(g->tab);
  free(g->arena);
  free(g);
}

size_t ner_gaz_count(const ner_gaz *g) { return g ? g->n : 0; }

static slot *find(const ner_gaz *g, const char *key, size_t len) {
  uint64_t h = hkey(key, len);
  size_t i = (size_t)(h & (g->cap - 1));
  for (;;) {
    slot *s = &g->tab[i];
    if (s->len == 0) return s;
    if (s->hash == (uint32_t)(h >> 32) && s->len == len && memcmp(g->arena + s->off, key, len) == 0) return s;
    i = (i + 1) & (g->cap - 1);
  }
}

static int grow(ner_gaz *g) {
  size_t nc = g->cap * 2;
  slot *nt = calloc(nc, sizeof *nt);
  if (!nt) return PRESSE_ENOMEM;
  for (size_t i = 0; i < g->cap; i++) {
    slot s = g->tab[i];
    if (!s.len) continue;
    size_t j = (size_t)(hkey(g->arena + s.off, s.len) & (nc - 1));
    while (nt[j].len) j = (j + 1) & (nc - 1);
    nt[j] = s;
  }
  free(g->tab);
  g->tab = nt;
  g->cap = nc;
  return 0;
}

static int put(ner_gaz *g, const char *key, size_t len, unsigned mask) {
  if (len == 0 || len > 0xFFFF) return 0;
  if ((g->n + 1) * 2 > g->cap && grow(g)) return PRESSE_ENOMEM;
  slot *s = find(g, key, len);
  if (s->len) {
    s->mask |= mask;
    return 0;
  }
  if (g->alen + len > g->acap) {
    size_t nc = g->acap ? g->acap * 2 : 65536;
    while (nc < g->alen + len) nc *= 2;
    char *na = realloc(g->arena, nc);
    if (!na) return PRESSE_ENOMEM;
    g->arena = na;
    g->acap = nc;
  }
  memcpy(g->arena + g->alen, key, len);
  s->off = (uint32_t)g->alen;
  s->len = (uint32_t)len;
  s->mask = mask;
  s->hash = (uint32_t)(hkey(key, len) >> 32);
  g->alen += len;
  g->n++;
  return 0;
}

int ner_gaz_add(ner_gaz *g, const char *key, size_t len, unsigned mask) {
  int rc = put(g, key, len, mask);
  if (rc) return rc;
  /* Proper prefixes at token boundaries, for the longest-match scan. */
  for (size_t i = 1; i < len; i++)
    if (key[i] == ' ' && (rc = put(g, key, i, NER_GAZ_PREFIX))) return rc;
  return 0;
}

unsigned ner_gaz_get(const ner_gaz *g, const char *key, size_t len) {
  if (!g || len == 0) return 0;
  const slot *s = find(g, key, len);
  return s->len ? s->mask : 0;
}

static const struct {
  const char *name;
  unsigned mask;
} kinds[] = {{"first", NER_GAZ_FIRSTNAME}, {"city", NER_GAZ_CITY},       {"district", NER_GAZ_DISTRICT},
             {"state", NER_GAZ_STATE},     {"country", NER_GAZ_COUNTRY}, {"legal", NER_GAZ_LEGAL},
             {"orghead", NER_GAZ_ORGHEAD}, {"title", NER_GAZ_TITLE},     {"org", NER_GAZ_ORG},
             {"per", NER_GAZ_PERNAME},     {"loc", NER_GAZ_LOCNAME},     {"orgname", NER_GAZ_ORGNAME},
             {"surname", NER_GAZ_SURNAME},
             {"orgsuffix", NER_GAZ_ORGSUF}, {"stop", NER_GAZ_STOP}, {"world", NER_GAZ_WORLD}};

int ner_gaz_load_tsv(ner_gaz *g, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: cannot open gazetteer", path);
    return PRESSE_EIO;
  }
  char line[4096];
  int rc = 0;
  long ln = 0;
  while (fgets(line, sizeof line, f)) {
    ln++;
    size_t n = strcspn(line, "\r\n");
    line[n] = 0;
    if (n == 0 || line[0] == '#') continue;
    char *tab = strchr(line, '\t');
    if (!tab) continue;
    *tab = 0;
    unsigned mask = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
      if (strcmp(line, kinds[i].name) == 0) mask = kinds[i].mask;
    if (!mask) {
      /* a cluster line: numeric id */
      char *endp;
      unsigned long v = strtoul(line, &endp, 10);
      if (*endp || v >= 0xFFFF) {
        snprintf(err, errlen, "%s:%ld: unknown gazetteer type \"%s\"", path, ln, line);
        rc = PRESSE_EFORMAT;
        break;
      }
      mask = (unsigned)v + 1;
      if ((rc = put(g, tab + 1, strlen(tab + 1), mask))) break;
      continue;
    }
    if ((rc = ner_gaz_add(g, tab + 1, strlen(tab + 1), mask))) break;
  }
  fclose(f);
  return rc;
}

static const ner_gaz *sort_ctx;
static int cmp_slot(const void *a, const void *b) {
  const slot *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(sort_ctx->arena + x->off, sort_ctx->arena + y->off, n);
  if (c) return c;
  return (x->len > y->len) - (x->len < y->len);
}

/* Format: u32 count, then per entry u32 mask, u16 len, bytes; sorted by key. */
int ner_gaz_serialize(const ner_gaz *g, unsigned char **buf, size_t *len) {
  *buf = NULL;
  *len = 0;
  slot *v = malloc((g->n ? g->n : 1) * sizeof *v);
  if (!v) return PRESSE_ENOMEM;
  size_t k = 0, total = 4;
  for (size_t i = 0; i < g->cap; i++)
    if (g->tab[i].len) {
      v[k++] = g->tab[i];
      total += 6 + g->tab[i].len;
    }
  /* qsort with a file-static context: serialisation only happens in the single-threaded trainer. */
  sort_ctx = g;
  qsort(v, k, sizeof *v, cmp_slot);
  unsigned char *b = malloc(total), *p = b;
  if (!b) {
    free(v);
    return PRESSE_ENOMEM;
  }
  uint32_t cnt = (uint32_t)k;
  memcpy(p, &cnt, 4), p += 4;
  for (size_t i = 0; i < k; i++) {
    uint16_t l = (uint16_t)v[i].len;
    memcpy(p, &v[i].mask, 4), p += 4;
    memcpy(p, &l, 2), p += 2;
    memcpy(p, g->arena + v[i].off, l), p += l;
  }
  free(v);
  *buf = b;
  *len = total;
  return 0;
}

int ner_gaz_deserialize(ner_gaz *g, const unsigned char *buf, size_t len) {
  if (len < 4) return PRESSE_EFORMAT;
  uint32_t cnt;
  memcpy(&cnt, buf, 4);
  size_t p = 4;
  /* Pre-size so loading never rehashes. */
  while (g->cap < (size_t)cnt * 2 + 2) g->cap *= 2;
  slot *nt = calloc(g->cap, sizeof *nt);
  if (!nt) return PRESSE_ENOMEM;
  free(g->tab);
  g->tab = nt;
  for (uint32_t i = 0; i < cnt; i++) {
    if (p + 6 > len) return PRESSE_EFORMAT;
    uint32_t mask;
    uint16_t l;
    memcpy(&mask, buf + p, 4);
    memcpy(&l, buf + p + 4, 2);
    p += 6;
    if (p + l > len) return PRESSE_EFORMAT;
    int rc = put(g, (const char *)buf + p, l, mask);
    if (rc) return rc;
    p += l;
  }
  return p == len ? 0 : PRESSE_EFORMAT;
}
