/* Path helpers shared by the commands and the indexer. */
#ifndef PRESSE_UTIL_PATH_H
#define PRESSE_UTIL_PATH_H

/* The absolute, normalised form of path (realpath for existing files). Returns a malloc'd string
 * the caller frees, or NULL if path does not exist or memory ran out. */
char *presse_path_absolute(const char *path);

/* The lower-cased extension of path without the dot ("md"), or "" if none. Points into path. */
const char *presse_path_ext(const char *path, char *buf, unsigned bufsz);

/* The default database directory: $PRESSE_DB, else $XDG_DATA_HOME/presse/db, else
 * $HOME/.local/share/presse/db, else ./presse.db. Returns a malloc'd string. */
char *presse_path_default_db(void);

/* Creates dir and its parents (mode 0755). Returns 0 or -1 with errno set. */
int presse_path_mkdirs(const char *dir);

#endif
