/* The installed data folder, relative to the installed program or library (util/datadir.h). */
#define _GNU_SOURCE /* dladdr */
#include "util/datadir.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char found[PATH_MAX];
static int have;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void lookup(void) {
  char self[PATH_MAX];
  Dl_info info;
  /* the shared library (libpresse.so) or, linked statically, the program */
  if (!dladdr((void *)presse_datadir_installed, &info) || !info.dli_fname || !realpath(info.dli_fname, self)) {
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return;
    self[n] = '\0';
  }
  char *slash = strrchr(self, '/');
  if (!slash) return;
  *slash = '\0';
  /* from bin/ or from lib/ (PRESSE_BIN_TO_DATA / PRESSE_LIB_TO_DATA: CMake's relative paths) */
  const char *rel[] = {PRESSE_BIN_TO_DATA, PRESSE_LIB_TO_DATA};
  for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
    char p[PATH_MAX];
    if (snprintf(p, sizeof p, "%s/%s", self, rel[i]) >= (int)sizeof p) continue;
    if (is_dir(p) && realpath(p, found)) {
      have = 1;
      return;
    }
  }
}

const char *presse_datadir_installed(void) {
  pthread_once(&once, lookup);
  return have ? found : NULL;
}
