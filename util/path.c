/* Path helpers (see path.h). */
#include "util/path.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *presse_path_absolute(const char *path) {
  return realpath(path, NULL);
}

const char *presse_path_ext(const char *path, char *buf, unsigned bufsz) {
  const char *slash = strrchr(path, '/');
  const char *base = slash ? slash + 1 : path;
  const char *dot = strrchr(base, '.');
  if (!dot || dot == base || bufsz == 0) return "";
  unsigned i = 0;
  for (const char *p = dot + 1; *p && i + 1 < bufsz; p++) buf[i++] = (char)tolower((unsigned char)*p);
  buf[i] = '\0';
  return buf;
}

static char *dup_join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 1;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s%s", a, b);
  return p;
}

char *presse_path_default_db(void) {
  const char *env = getenv("PRESSE_DB");
  if (env && *env) return strdup(env);
  env = getenv("XDG_DATA_HOME");
  if (env && *env == '/') return dup_join(env, "/presse/db");
  env = getenv("HOME");
  if (env && *env == '/') return dup_join(env, "/.local/share/presse/db");
  return strdup("presse.db");
}

int presse_path_mkdirs(const char *dir) {
  char tmp[PATH_MAX];
  size_t n = strlen(dir);
  if (n == 0 || n >= sizeof tmp) {
    errno = ENAMETOOLONG;
    return -1;
  }
  memcpy(tmp, dir, n + 1);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
    *p = '/';
  }
  if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1;
  return 0;
}

int presse_path_walk_skips(const char *name) {
  return name[0] == '.' || !strncmp(name, "README", 6) || !strncmp(name, "LICENSE", 7) ||
         !strncmp(name, "COPYING", 7);
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int presse_path_list_dir(const char *dir, char ***names, size_t *n) {
  *names = NULL;
  *n = 0;
  DIR *d = opendir(dir);
  if (!d) return -1;
  size_t cap = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (presse_path_walk_skips(e->d_name)) continue;
    if (*n == cap) {
      cap = cap ? cap * 2 : 64;
      char **p = realloc(*names, cap * sizeof *p);
      if (!p) break;
      *names = p;
    }
    if (((*names)[*n] = strdup(e->d_name))) ++*n;
  }
  closedir(d);
  if (*n) qsort(*names, *n, sizeof **names, cmp_names);
  return 0;
}

void presse_path_names_free(char **names, size_t n) {
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
}
