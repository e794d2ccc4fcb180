/* The shared pieces of the fuzz targets; see fuzz.h. */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "presse/presse.h"

static presse_indexer *indexer;
static presse_ner_model *model;

void fuzz_fail(const char *what) {
  fprintf(stderr, "fuzz: invariant broken: %s\n", what);
  abort();
}

presse_indexer *fuzz_indexer(void) {
  if (indexer) return indexer;
  int rc = presse_indexer_new(&indexer, NULL, NULL);
  if (rc != PRESSE_OK) {
    fprintf(stderr, "fuzz: cannot create the indexer: %s\n", indexer ? presse_indexer_errmsg(indexer) : "no memory");
    exit(2);
  }
  return indexer;
}

const presse_ner_model *fuzz_ner_model(void) {
  if (model) return model;
  char err[512];
  if (presse_ner_model_load_err(&model, NULL, err, sizeof err) != PRESSE_OK) {
    fprintf(stderr, "fuzz: %s\n", err);
    exit(2);
  }
  return model;
}

static char dir[64];

static void remove_dir(void) { rmdir(dir); }

const char *fuzz_file(const char *name, const uint8_t *data, size_t size) {
  static char path[160];
  if (!dir[0]) {
    snprintf(dir, sizeof dir, "%s/presse-fuzz-%ld", access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm", (long)getpid());
    if (mkdir(dir, 0700) != 0) fuzz_fail("cannot make the directory for input files");
    atexit(remove_dir);
  }
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) fuzz_fail("cannot write the input file");
  return path;
}

static uint32_t crc32_of(const uint8_t *p, size_t n) {
  static uint32_t table[256];
  if (!table[1])
    for (uint32_t i = 0; i < 256; i++) {
      uint32_t c = i;
      for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

static uint8_t *put16(uint8_t *o, unsigned v) {
  o[0] = (uint8_t)v;
  o[1] = (uint8_t)(v >> 8);
  return o + 2;
}

static uint8_t *put32(uint8_t *o, uint32_t v) {
  return put16(put16(o, v & 0xFFFF), v >> 16);
}

/* The fields a local header and a central directory entry share, from "version needed" on. */
static uint8_t *common_fields(uint8_t *o, uint32_t crc, size_t len, size_t namelen) {
  o = put16(o, 20);      /* version needed: 2.0 */
  o = put16(o, 0);       /* flags */
  o = put16(o, 0);       /* method: stored */
  o = put16(o, 0);       /* time */
  o = put16(o, 0x21);    /* date: 1980-01-01 */
  o = put32(o, crc);
  o = put32(o, (uint32_t)len); /* compressed size */
  o = put32(o, (uint32_t)len); /* uncompressed size */
  o = put16(o, (unsigned)namelen);
  return put16(o, 0);    /* extra field length */
}

uint8_t *fuzz_zip(const fuzz_zip_part *parts, size_t nparts, size_t *len) {
  size_t total = 22;
  for (size_t i = 0; i < nparts; i++) total += 30 + 46 + 2 * strlen(parts[i].name) + parts[i].len;
  uint8_t *buf = malloc(total), *o = buf;
  uint32_t *offs = malloc((nparts ? nparts : 1) * sizeof *offs), *crcs = malloc((nparts ? nparts : 1) * sizeof *crcs);
  if (!buf || !offs || !crcs) fuzz_fail("out of memory building a ZIP");
  for (size_t i = 0; i < nparts; i++) {
    size_t nl = strlen(parts[i].name);
    offs[i] = (uint32_t)(o - buf);
    crcs[i] = crc32_of(parts[i].data, parts[i].len);
    o = put32(o, 0x04034b50u);
    o = common_fields(o, crcs[i], parts[i].len, nl);
    memcpy(o, parts[i].name, nl);
    o += nl;
    if (parts[i].len) memcpy(o, parts[i].data, parts[i].len);
    o += parts[i].len;
  }
  uint8_t *cd = o;
  for (size_t i = 0; i < nparts; i++) {
    size_t nl = strlen(parts[i].name);
    o = put32(o, 0x02014b50u);
    o = put16(o, 20); /* version made by */
    o = common_fields(o, crcs[i], parts[i].len, nl);
    o = put16(o, 0);  /* comment length */
    o = put16(o, 0);  /* disk */
    o = put16(o, 0);  /* internal attributes */
    o = put32(o, 0);  /* external attributes */
    o = put32(o, offs[i]);
    memcpy(o, parts[i].name, nl);
    o += nl;
  }
  uint32_t cdsize = (uint32_t)(o - cd), cdoff = (uint32_t)(cd - buf);
  o = put32(o, 0x06054b50u);
  o = put16(o, 0);
  o = put16(o, 0);
  o = put16(o, (unsigned)nparts);
  o = put16(o, (unsigned)nparts);
  o = put32(o, cdsize);
  o = put32(o, cdoff);
  o = put16(o, 0);
  free(offs);
  free(crcs);
  *len = (size_t)(o - buf);
  return buf;
}

size_t fuzz_split_nul(const uint8_t *data, size_t size, fuzz_zip_part *parts, size_t max) {
  size_t n = 0, start = 0;
  for (size_t i = 0; i <= size && n < max; i++) {
    if (i == size || (data[i] == 0 && n + 1 < max)) {
      parts[n].data = data + start;
      parts[n].len = i - start;
      n++;
      start = i + 1;
      if (i == size) break;
    }
  }
  return n;
}
