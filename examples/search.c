/* A small search program on libpresse's public API, built against the installed library:
 *     cc search.c $(pkg-config --cflags --libs presse) -o search
 *     ./search DB 'Beamte festnehmen'
 * prints the ten best releases with date, title and id, and the first contact person. */
#include <stdio.h>
#include <stdlib.h>

#include <presse/presse.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s DB QUERY\n", argv[0]);
    return 2;
  }
  presse_db *db = NULL;
  presse_analyzer *an = NULL;
  presse_result res = {0};
  int status = 2;
  if (presse_db_open(&db, argv[1], PRESSE_DB_READ) != PRESSE_OK) {
    fprintf(stderr, "%s: %s\n", argv[0], presse_db_errmsg(db));
    goto out;
  }
  if (presse_analyzer_new(&an) != PRESSE_OK) {
    fprintf(stderr, "%s: cannot set up the analyser\n", argv[0]);
    goto out;
  }
  presse_search_opts opts = {.limit = 10};
  int rc = presse_search(db, an, argv[2], &opts, &res);
  if (rc != PRESSE_OK) {
    fprintf(stderr, "%s: %s\n", argv[0],
            rc == PRESSE_EQUERY && res.query ? presse_query_errmsg(res.query) : presse_db_errmsg(db));
    goto out;
  }
  size_t n = presse_hits_count(res.hits);
  printf("%llu releases with every word\n", res.total_all);
  for (size_t i = 0; i < n; i++) {
    const char *date = presse_hits_date(res.hits, i), *title = presse_hits_title(res.hits, i);
    printf("%zu. %s  %s  (%s)\n", i + 1, date ? date : "----------", title ? title : "(no title)",
           presse_hits_id(res.hits, i));
    if (presse_hits_ncontacts(res.hits, i)) {
      const char *email, *phone, *name = presse_hits_contact(res.hits, i, 0, &email, &phone);
      printf("   contact: %s%s%s\n", name, email ? ", " : "", email ? email : "");
    }
  }
  status = n ? 0 : 1;
out:
  presse_result_free(&res);
  presse_analyzer_free(an);
  presse_db_close(db);
  return status;
}
