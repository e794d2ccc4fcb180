/* Where an installed libpresse finds its data files (NER model, gazetteer, compound lexicon):
 * <prefix>/share/presse of the prefix it was installed under, found at run time from the place
 * of the program or shared library that holds this code, so that `cmake --install --prefix DIR`
 * works for any DIR. Internal to libpresse. */
#ifndef PRESSE_UTIL_DATADIR_H
#define PRESSE_UTIL_DATADIR_H

/* The installed data folder, or NULL when this code does not run from an install (a build tree:
 * then the build and source tree copies are used). Static storage, thread-safe. */
const char *presse_datadir_installed(void);

#endif
