/* Unit tests of the store: put/replace/remove on the Q term, search, date ranges, the lock held by
 * a writer, a missing database, and that no Xapian exception escapes into C. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "testdb.h"
#include "presse/presse.h"
#include "query/qtree.h"
#include "util/buf.h"

static char dbpath[512];

static unsigned long long count(presse_db *db, presse_analyzer *an, const char *query) {
  presse_query *q;
  unsigned long long n = 0;
  if (presse_query_parse(&q, an, query) == PRESSE_OK) {
    presse_hits *h;
    presse_search_opts o = {.limit = 100};
    if (presse_db_search(db, presse_query_tree(q), &o, &h) == PRESSE_OK) n = presse_hits_count(h);
    presse_hits_free(h);
  }
  presse_query_free(q);
  return n;
}

int main(void) {
  testdb_path("test_store", dbpath, sizeof dbpath);

  presse_db *db = NULL;
  CHECK(presse_db_open(&db, dbpath, PRESSE_DB_READ) == PRESSE_ENOTFOUND);
  CHECK(strstr(presse_db_errmsg(db), "no database") != NULL);
  presse_db_close(db);

  CHECK(presse_db_open(&db, dbpath, PRESSE_DB_WRITE) == PRESSE_OK);
  presse_analyzer *an;
  presse_analyzer_new(&an);
  presse_indexer *ix;
  CHECK(presse_indexer_new(&ix, db, NULL) == PRESSE_OK);
  const char *a = "Fachtag in Herne\n\n30. Januar 2025 – Alexander Kühner sprach über Migrantenorganisationen.";
  const char *b = "Baustelle in Hagen\n\n03.06.2024 – Die Straße wird gesperrt.";
  CHECK(presse_indexer_add_buffer(ix, "doc-a", "a.txt", a, strlen(a), PRESSE_FMT_TEXT) == PRESSE_OK);
  CHECK(presse_indexer_add_buffer(ix, "doc-b", "b.txt", b, strlen(b), PRESSE_FMT_TEXT) == PRESSE_OK);
  CHECK(presse_indexer_commit(ix) == PRESSE_OK);

  /* a second writer is refused while the first holds the lock */
  presse_db *db2 = NULL;
  CHECK(presse_db_open(&db2, dbpath, PRESSE_DB_WRITE) == PRESSE_ELOCKED);
  CHECK(strstr(presse_db_errmsg(db2), "locked") != NULL);
  presse_db_close(db2);

  presse_db_stats st;
  CHECK(presse_db_stats_get(db, &st) == PRESSE_OK && st.docs == 2);
  CHECK(st.first_date == 20240603 && st.last_date == 20250130);
  CHECK(count(db, an, "Kuehner") == 1);
  CHECK(count(db, an, "Strasse") == 1);
  CHECK(count(db, an, "datum:2025") == 1);
  CHECK(count(db, an, "datum:2024-06") == 1);
  CHECK(count(db, an, "titel:Herne") == 1);

  /* a hit's fields through the typed accessors, and the same document by its id */
  {
    presse_query *q;
    presse_hits *h = NULL;
    CHECK(presse_query_parse(&q, an, "Kuehner") == PRESSE_OK);
    CHECK(presse_db_search(db, presse_query_tree(q), NULL, &h) == PRESSE_OK && presse_hits_count(h) == 1);
    CHECK_STR(presse_hits_id(h, 0), "doc-a");
    CHECK_STR(presse_hits_path(h, 0), "a.txt");
    CHECK_STR(presse_hits_title(h, 0), "Fachtag in Herne");
    CHECK_STR(presse_hits_date(h, 0), "2025-01-30");
    CHECK_STR(presse_hits_format(h, 0), "txt");
    size_t tl = 0;
    const char *text = presse_hits_text(h, 0, &tl);
    CHECK(text && tl == strlen(text) && strstr(text, "Migrantenorganisationen") != NULL);
    CHECK(presse_hits_nitems(h, 0, PRESSE_HIT_EMAILS) == 0 && presse_hits_item(h, 0, PRESSE_HIT_URLS, 0) == NULL);
    for (size_t k = 0; k < presse_hits_nentities(h, 0); k++) { /* offsets point into the text */
      const char *type, *surface;
      size_t s, e;
      const char *name = presse_hits_entity(h, 0, k, &type, &surface, &s, &e);
      CHECK(name && type && surface && s < e && e <= tl && !memcmp(text + s, surface, e - s));
    }
    CHECK(presse_hits_title(h, 1) == NULL && presse_hits_nentities(h, 1) == 0); /* no hit 1 */
    presse_hits_free(h);
    presse_query_free(q);
    CHECK(presse_db_get(db, "doc-b", &h) == PRESSE_OK && presse_hits_count(h) == 1);
    CHECK_STR(presse_hits_title(h, 0), "Baustelle in Hagen");
    CHECK_STR(presse_hits_date(h, 0), "2024-06-03");
    presse_hits_free(h);
    CHECK(presse_db_get(db, "doc-z", &h) == PRESSE_ENOTFOUND && h == NULL);
    CHECK(strstr(presse_db_errmsg(db), "doc-z") != NULL);
  }

  /* presse_search: the releases with every word first, then those with some, across pages */
  const char *c = "Fachtag in Hagen\n\nNeues aus der Stadt.";
  CHECK(presse_indexer_add_buffer(ix, "doc-c", "c.txt", c, strlen(c), PRESSE_FMT_TEXT) == PRESSE_OK);
  CHECK(presse_indexer_commit(ix) == PRESSE_OK);
  {
    presse_result r;
    presse_search_opts o = {.limit = 10};
    CHECK(presse_search(db, an, "Fachtag Hagen", &o, &r) == PRESSE_OK);
    CHECK(r.total_all == 1 && r.nall == 1 && r.total_some == 2 && presse_hits_count(r.hits) == 3);
    CHECK(r.hits && strstr(presse_hits_data(r.hits, 0, NULL), "doc-c") != NULL);
    presse_result_free(&r);
    o.offset = 1; /* the second page starts in the second tier */
    o.limit = 1;
    CHECK(presse_search(db, an, "Fachtag Hagen", &o, &r) == PRESSE_OK);
    CHECK(r.total_all == 1 && r.nall == 0 && presse_hits_count(r.hits) == 1);
    CHECK(r.hits && strstr(presse_hits_data(r.hits, 0, NULL), "doc-c") == NULL);
    presse_result_free(&r);
    o.offset = 2;
    o.limit = 5;
    CHECK(presse_search(db, an, "Fachtag Hagen", &o, &r) == PRESSE_OK);
    CHECK(r.nall == 0 && presse_hits_count(r.hits) == 1);
    presse_result_free(&r);
    o.offset = 0; /* no release has both words: the one with more of the query's words first */
    CHECK(presse_search(db, an, "Fachtag Herne Baustelle", &o, &r) == PRESSE_OK);
    CHECK(r.total_all == 0 && r.nall == 0 && presse_hits_count(r.hits) == 3);
    CHECK(r.hits && strstr(presse_hits_data(r.hits, 0, NULL), "doc-a") != NULL);
    presse_result_free(&r);
    CHECK(presse_search(db, an, "Fachtag", &o, &r) == PRESSE_OK); /* one word: one tier */
    CHECK(r.total_all == 2 && r.nall == 2 && r.total_some == 0);
    presse_result_free(&r);
    CHECK(presse_search(db, an, "Fachtag (", &o, &r) == PRESSE_EQUERY);
    CHECK(r.query && strstr(presse_query_errmsg(r.query), "parenthesis") != NULL && r.hits == NULL);
    presse_result_free(&r);
  }
  CHECK(presse_db_remove(db, "doc-c") == PRESSE_OK);
  CHECK(presse_db_commit(db) == PRESSE_OK);

  /* issue 13: totals a journalist can quote. The same exact total on every page and at every
   * limit, also for two tiers; beyond the exact bound a flagged estimate that paging does not
   * move; a facet's count is the total of the filtered query it leads to. */
  {
    char id[32], text[256];
    for (int i = 0; i < 40; i++) {
      snprintf(id, sizeof id, "raub-%d", i);
      snprintf(text, sizeof text, "Raub Nummer %d\n\nIn Neukölln wurde ein Mann beraubt. Der Raub%s geschah am Abend des %d.%s", i,
               i % 3 ? "" : " mit einem Messer", i + 1, i % 4 ? "" : " Die Polizei Berlin ermittelt in Kreuzberg.");
      CHECK(presse_indexer_add_buffer(ix, id, id, text, strlen(text), PRESSE_FMT_TEXT) == PRESSE_OK);
    }
    CHECK(presse_indexer_commit(ix) == PRESSE_OK);
    static const char *const queries[] = {"Raub OR Raub", "Raub", "Raub Messer", "Messer Neukölln Abend"};
    static const unsigned limits[] = {1, 3, 10, 50}, offsets[] = {0, 2, 13, 39, 60};
    for (size_t k = 0; k < 4; k++) {
      unsigned long long first = 0;
      for (size_t l = 0; l < 4; l++)
        for (size_t f = 0; f < 5; f++) {
          presse_result r;
          presse_search_opts o = {.limit = limits[l], .offset = offsets[f]};
          CHECK(presse_search(db, an, queries[k], &o, &r) == PRESSE_OK);
          unsigned long long t = r.total_all + r.total_some;
          if (!first) first = t;
          if (t != first || !r.total_exact)
            fprintf(stderr, "  '%s' limit %u offset %u: total %llu (exact %d), first %llu\n", queries[k], limits[l],
                    offsets[f], t, r.total_exact, first);
          CHECK(t == first && r.total_exact);
          presse_result_free(&r);
        }
      CHECK(first >= 13);
    }
    presse_result r;
    presse_search_opts o = {.limit = 10};
    CHECK(presse_search(db, an, "Raub", &o, &r) == PRESSE_OK);
    unsigned long long exact = r.total_all;
    if (exact != 40) fprintf(stderr, "  Raub: %llu of 40\n", exact);
    CHECK(exact == 40);
    presse_result_free(&r);
    unsigned long long est = 0;
    for (unsigned f = 0; f < 30; f += 7) { /* an estimate is flagged and does not move with paging */
      presse_search_opts e = {.limit = 1 + f % 3, .offset = f, .exact_total = 5};
      CHECK(presse_search(db, an, "Raub OR Mann OR Messer OR Kreuzberg", &e, &r) == PRESSE_OK);
      if (r.total_exact) fprintf(stderr, "  Raub with exact_total 5: %llu, exact\n", r.total_all);
      CHECK(!r.total_exact);
      if (!est) est = r.total_all;
      CHECK(r.total_all == est);
      presse_result_free(&r);
    }
    o.facets = 10; /* facets: count = total of the filtered query */
    CHECK(presse_search(db, an, "Raub", &o, &r) == PRESSE_OK);
    size_t nf = presse_hits_nfacets(r.hits);
    CHECK(nf > 0);
    for (size_t i = 0; i < nf; i++) {
      const char *type;
      unsigned long long cnt;
      const char *name = presse_hits_facet(r.hits, i, &type, &cnt);
      char fq[256];
      snprintf(fq, sizeof fq, "Raub %s:\"%s\"", presse_facet_field(type), name);
      presse_result fr;
      presse_search_opts p = {.limit = 1};
      CHECK(presse_search(db, an, fq, &p, &fr) == PRESSE_OK);
      if (fr.total_all != cnt) fprintf(stderr, "  facet %s %s: %llu, '%s' finds %llu\n", type, name, cnt, fq, fr.total_all);
      CHECK(fr.total_all == cnt && cnt > 0);
      presse_result_free(&fr);
    }
    presse_result_free(&r);
    for (int i = 0; i < 40; i++) {
      snprintf(id, sizeof id, "raub-%d", i);
      CHECK(presse_db_remove(db, id) == PRESSE_OK);
    }
    CHECK(presse_db_commit(db) == PRESSE_OK);
  }

  /* a word in the lead (the first words of the text) ranks above the same word further down */
  {
    presse_buf late = PRESSE_BUF_INIT, early = PRESSE_BUF_INIT;
    presse_buf_puts(&early, "Meldung\n\nWasserrohrbruch");
    presse_buf_puts(&late, "Meldung\n\n");
    for (int i = 0; i < 40; i++) {
      presse_buf_printf(&early, " Füllwort%d", i);
      presse_buf_printf(&late, "Füllwort%d ", i);
    }
    presse_buf_puts(&late, "Wasserrohrbruch");
    CHECK(presse_indexer_add_buffer(ix, "doc-late", "l.txt", late.data, late.len, PRESSE_FMT_TEXT) == PRESSE_OK);
    CHECK(presse_indexer_add_buffer(ix, "doc-early", "e.txt", early.data, early.len, PRESSE_FMT_TEXT) == PRESSE_OK);
    CHECK(presse_indexer_commit(ix) == PRESSE_OK);
    CHECK(strstr(testdb_first_hit(db, "Wasserrohrbruch"), "doc-early") != NULL);
    CHECK(count(db, an, "Wasserrohrbruch") == 2);
    CHECK(presse_db_remove(db, "doc-late") == PRESSE_OK && presse_db_remove(db, "doc-early") == PRESSE_OK);
    CHECK(presse_db_commit(db) == PRESSE_OK);
    presse_buf_free(&late);
    presse_buf_free(&early);
  }

  /* duplicates: the same release as HTML and as text, reformatted, is one hit with one copy */
  const char *html =
      "<html><body><nav><a href=/>Start</a></nav><h1>Fachtag in Herne</h1><p>30. Januar 2025 &ndash; "
      "Alexander K&uuml;hner sprach &uuml;ber Migranten&shy;organisationen.</p></body></html>";
  CHECK(presse_indexer_add_buffer(ix, "doc-a-html", "a.html", html, strlen(html), PRESSE_FMT_AUTO) == PRESSE_OK);
  CHECK(presse_indexer_commit(ix) == PRESSE_OK);
  CHECK(presse_db_stats_get(db, &st) == PRESSE_OK && st.docs == 3 && st.duplicates == 1);
  CHECK(count(db, an, "Migrantenorganisationen") == 1);
  {
    presse_query *q;
    presse_hits *h = NULL;
    CHECK(presse_query_parse(&q, an, "Migrantenorganisationen") == PRESSE_OK);
    presse_search_opts o = {.limit = 10};
    CHECK(presse_db_search(db, presse_query_tree(q), &o, &h) == PRESSE_OK);
    CHECK(presse_hits_count(h) == 1 && presse_hits_collapsed(h, 0) == 1);
    presse_hits_free(h);
    o.no_collapse = 1;
    CHECK(presse_db_search(db, presse_query_tree(q), &o, &h) == PRESSE_OK);
    CHECK(presse_hits_count(h) == 2 && presse_hits_collapsed(h, 0) == 0);
    presse_hits_free(h);
    presse_query_free(q);
  }
  CHECK(presse_db_remove(db, "doc-a-html") == PRESSE_OK);
  CHECK(presse_db_commit(db) == PRESSE_OK);
  CHECK(count(db, an, "titel:Kühner") == 0);
  CHECK(count(db, an, "in") == 2);

  /* re-adding the same id replaces; the old words are gone */
  const char *a2 = "Fachtag in Bochum\n\nGanz neuer Text.";
  CHECK(presse_indexer_add_buffer(ix, "doc-a", "a.txt", a2, strlen(a2), PRESSE_FMT_TEXT) == PRESSE_OK);
  CHECK(presse_indexer_commit(ix) == PRESSE_OK);
  CHECK(presse_db_stats_get(db, &st) == PRESSE_OK && st.docs == 2);
  CHECK(count(db, an, "Kühner") == 0);
  CHECK(count(db, an, "Bochum") == 1);

  /* an id longer than a term may be still works, and stays unique */
  char longid[600];
  memset(longid, 'x', sizeof longid - 1);
  longid[sizeof longid - 1] = '\0';
  CHECK(presse_indexer_add_buffer(ix, longid, "l.txt", b, strlen(b), PRESSE_FMT_TEXT) == PRESSE_OK);
  longid[10] = 'y';
  CHECK(presse_indexer_add_buffer(ix, longid, "l.txt", b, strlen(b), PRESSE_FMT_TEXT) == PRESSE_OK);
  CHECK(presse_indexer_commit(ix) == PRESSE_OK);
  CHECK(presse_db_stats_get(db, &st) == PRESSE_OK && st.docs == 4);
  CHECK(presse_db_remove(db, longid) == PRESSE_OK);

  CHECK(presse_db_remove(db, "doc-b") == PRESSE_OK);
  CHECK(presse_db_remove(db, "doc-b") == PRESSE_ENOTFOUND);
  CHECK(presse_db_commit(db) == PRESSE_OK);
  CHECK(presse_db_stats_get(db, &st) == PRESSE_OK && st.docs == 2);

  /* an invalid query tree is a Xapian error, turned into a status, not an exception */
  presse_qnode *bad = presse_qnode_new(PRESSE_Q_PHRASE);
  presse_qnode_add(bad, presse_qnode_new(PRESSE_Q_DATE_RANGE));
  presse_qnode_add(bad, presse_qnode_term(PRESSE_Q_TERM, "", "x", 1));
  presse_hits *h = NULL;
  int rc = presse_db_search(db, bad, NULL, &h);
  CHECK(rc == PRESSE_EDB && h == NULL);
  CHECK(strlen(presse_db_errmsg(db)) > 0);
  presse_qnode_free(bad);

  presse_indexer_free(ix);
  presse_db_close(db);

  /* read-only handles refuse writes */
  CHECK(presse_db_open(&db, dbpath, PRESSE_DB_READ) == PRESSE_OK);
  CHECK(presse_db_remove(db, "doc-a") == PRESSE_EINVAL);
  presse_db_close(db);
  presse_analyzer_free(an);

  testdb_remove(dbpath);
  return check_report("test_store");
}
