/* Verb forms to the stem of their infinitive (method in analysis/VERBS.md).
 *
 * Snowball's German stemmer strips inflectional endings only: "geraubt", "raubte" and "rauben"
 * get three stems, "festgenommen", "Festnahme" and "festnehmen" three more. Releases put the
 * participle or the noun in the title ("Radfahrer verstorben", "Festnahme nach Einbruch") and
 * the finite verb in the text ("verstarb", "wurde festgenommen", "brachen ein"). This maps the
 * participles and past forms of the verbs that the compound lexicon lists, and the past stems of
 * a short table of strong verbs, to the Snowball stem of the infinitive. */
#ifndef PRESSE_ANALYSIS_VERBS_H
#define PRESSE_ANALYSIS_VERBS_H

#include <stddef.h>

#include "analysis/compound.h"

/* Snowball's stem of a folded word, into out (NUL-terminated); returns its length, 0 if it
 * does not fit. */
typedef size_t (*presse_raw_stem_fn)(void *ctx, const char *word, size_t len, char *out, size_t outsz);

/* word: the folded word; stem: its Snowball stem. Writes the infinitive's stem to out and returns
 * its length, or returns 0 when the stem stays as it is (not a verb form this knows, or a noun
 * of its own: "Gericht" is not a form of "richten"). lex NULL: always 0. */
size_t presse_verb_reduce(const presse_compound *lex, presse_raw_stem_fn raw, void *ctx, const char *word,
                          size_t wlen, const char *stem, size_t slen, char *out, size_t outsz);

#endif
