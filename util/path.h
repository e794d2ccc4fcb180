/* Path helpers shared by the commands and the indexer. */
#ifndef PRESSE_UTIL_PATH_H
#define PRESSE_UTIL_PATH_H

#include <stddef.h>

/* The absolute, normalised form of path (realpath for existing files). Returns a malloc'd string
 * the caller frees, or NULL if path does not exist or memory ran out. */
char *presse_path_absolute(const char *path);

/* The lower-cased extension of path without the dot ("md"), or "" if none. Points into path. */
const char *presse_path_ext(const char *path, char *buf, unsigned bufsz);

/* The default database directory: $PRESSE_DB, else $XDG_DATA_HOME/presse/db, else
 * $HOME/.local/share/presse/db, else ./presse.db. Returns a malloc'd string. */
char *presse_path_default_db(void);

/* The entries of dir that a folder walk reads (presse-index add, sync and watch), sorted by name
 * so that runs are repeatable: without hidden entries and the documentation that lives beside
 * releases (README*, LICENSE*, COPYING*). *names is a malloc'd array of *n malloc'd strings, free
 * it with presse_path_names_free. Returns 0, or -1 with errno set when dir cannot be opened. */
int presse_path_list_dir(const char *dir, char ***names, size_t *n);
/* Whether a folder walk leaves the entry named name out (the rule presse_path_list_dir applies;
 * watch applies it to inotify's names). */
int presse_path_walk_skips(const char *name);
void presse_path_names_free(char **names, size_t n);

/* Creates dir and its parents (mode 0755). Returns 0 or -1 with errno set. */
int presse_path_mkdirs(const char *dir);

#endif
