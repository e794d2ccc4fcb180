/* presse-query: search the index and print ranked hits with highlighted snippets, as text for
 * people or as one JSON document for programs. A thin command over libpresse. */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "presse/output.h"
#include "presse/presse.h"
#include "util/buf.h"
#include "util/path.h"

enum { EXIT_NOHITS = 1, EXIT_FATAL = 2 };

static const char *prog = "presse-query";

static void usage(FILE *f) {
  fprintf(f,
          "usage: presse-query [OPTIONS] QUERY...\n"
          "\n"
          "query language:\n"
          "  Wort Wort            releases with all words first, then those with some (BM25)\n"
          "  \"eine Phrase\"        the words in this order\n"
          "  a OR b, a ODER b     either\n"
          "  NOT a, NICHT a, -a   without\n"
          "  Migrant*             words starting with\n"
          "  ( ... )              grouping\n"
          "  titel:Wort, title:   in the title\n"
          "  datum:2025-01..2025-03, datum:30.01.2025, datum:2025   date or date range\n"
          "  person:Kühner, person:\"Alexander Kühner\"   releases naming this person\n"
          "  org:\"Universität Duisburg-Essen\", ort:Herne   ... organisation, place\n"
          "  von:\"Stadt Hagen\", von:Hagen   releases published by (aliases issuer:, herausgeber:)\n"
          "  (English aliases: title:, date:, organisation:, place:, location:)\n"
          "\n"
          "options:\n"
          "  --db DIR             database (default: $PRESSE_DB, else $XDG_DATA_HOME/presse/db,\n"
          "                       else ~/.local/share/presse/db)\n"
          "  --limit N            hits to show (default 10)\n"
          "  --offset N           skip the first N hits\n"
          "  --sort relevance|date\n"
          "  --json               one JSON document on stdout\n"
          "  --facets             the most frequent persons, organisations and places among ALL hits\n"
          "  --no-collapse        show every copy of a release (by default the same text, as HTML and\n"
          "                       PDF or added twice, is one hit with a count of its copies)\n"
          "  --partial            sharded database: when shards are down, show the results of the\n"
          "                       others, marked as partial, instead of failing\n"
          "  --color auto|always|never   bold highlights (auto: when stdout is a terminal;\n"
          "                       otherwise highlights are marked **like this**)\n"
          "  -h, --help\n"
          "      --version\n"
          "\n"
          "exit status: 0 hits found, 1 no hits, 2 error (bad query, no database)\n");
}

static unsigned parse_uint(const char *opt, const char *s) {
  char *end;
  unsigned long v = strtoul(s, &end, 10);
  if (*end || *s == '-' || v > 100000) {
    fprintf(stderr, "%s: %s: '%s' is not a number from 0 to 100000\n", prog, opt, s);
    exit(EXIT_FATAL);
  }
  return (unsigned)v;
}

static void print_snippet(const presse_snippet *sn, int color) {
  const char *on = color ? "\033[1m" : "**", *off = color ? "\033[0m" : "**";
  size_t at = 0;
  fputs("   ", stdout);
  for (size_t m = 0; m < sn->nmarks; m++) {
    presse_term_write(stdout, sn->text + at, sn->marks[2 * m] - at, 0);
    fputs(on, stdout);
    presse_term_write(stdout, sn->text + sn->marks[2 * m], sn->marks[2 * m + 1] - sn->marks[2 * m], 0);
    fputs(off, stdout);
    at = sn->marks[2 * m + 1];
  }
  presse_term_write(stdout, sn->text + at, sn->len - at, 0);
  putchar('\n');
}

/* A count for people: "etwa " before an estimate, and German digit groups from five digits on
 * ("etwa 12.000"). Returns buf. */
static const char *count_text(char *buf, size_t size, unsigned long long n, int exact) {
  char digits[32];
  int len = snprintf(digits, sizeof digits, "%llu", n), at = snprintf(buf, size, "%s", exact ? "" : "etwa ");
  for (int k = 0; k < len && (size_t)at + 2 < size; k++) {
    if (len >= 5 && k > 0 && (len - k) % 3 == 0) buf[at++] = '.';
    buf[at++] = digits[k];
  }
  buf[at] = '\0';
  return buf;
}

static int has_weighted(const presse_qnode *n) {
  if (!n) return 0;
  if (n->op == PRESSE_Q_TERM || n->op == PRESSE_Q_WILDCARD) return 1;
  if (n->op == PRESSE_Q_MATCH_ALL || n->op == PRESSE_Q_DATE_RANGE || n->op == PRESSE_Q_BOOL_TERM) return 0;
  size_t k = (n->op == PRESSE_Q_AND_NOT || n->op == PRESSE_Q_FILTER) && n->nkids ? 1 : n->nkids;
  for (size_t i = 0; i < k; i++)
    if (has_weighted(n->kids[i])) return 1;
  return 0;
}

/* Moves the query's words behind the options so that a query may start with '-': in
 * "presse-query -Karlshorst Messer" '-Karlshorst' is a word to exclude, not options -K -a ...
 * Only -h and the long options below are options (with their values); "--" ends them; every
 * other argument, also one starting with '-', is part of the query, in order. Returns the index
 * of the first query word in the reordered argv; *nargs is the new argc ("--" is dropped). */
static int query_words_last(int argc, char **argv, const struct option *longopts, int *nargs) {
  char **opts = malloc((size_t)argc * sizeof *opts), **words = malloc((size_t)argc * sizeof *words);
  if (!opts || !words) {
    fprintf(stderr, "%s: out of memory\n", prog);
    exit(EXIT_FATAL);
  }
  int no = 0, nw = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--")) {
      while (++i < argc) words[nw++] = argv[i];
      break;
    }
    if (!strcmp(a, "-h")) {
      opts[no++] = argv[i];
      continue;
    }
    if (!strncmp(a, "--", 2) && a[2]) {
      size_t n = strcspn(a + 2, "=");
      const struct option *o = longopts;
      while (o->name && (strlen(o->name) != n || strncmp(o->name, a + 2, n))) o++;
      if (o->name || (a[2] >= 'a' && a[2] <= 'z')) { /* known, or meant as one: getopt says which */
        opts[no++] = argv[i];
        if (o->name && o->has_arg == required_argument && !a[2 + n] && i + 1 < argc) opts[no++] = argv[++i];
        continue;
      }
    }
    words[nw++] = argv[i];
  }
  for (int k = 0; k < no; k++) argv[1 + k] = opts[k];
  for (int k = 0; k < nw; k++) argv[1 + no + k] = words[k];
  free(opts);
  free(words);
  *nargs = 1 + no + nw;
  return 1 + no;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},   {"limit", required_argument, NULL, 'l'},
      {"offset", required_argument, NULL, 'o'}, {"sort", required_argument, NULL, 's'},
      {"json", no_argument, NULL, 'j'},       {"color", required_argument, NULL, 'c'},
      {"facets", no_argument, NULL, 'F'},     {"help", no_argument, NULL, 'h'},
      {"no-collapse", no_argument, NULL, 'N'}, {"partial", no_argument, NULL, 'P'},
      {"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0}};
  char *dbpath = NULL;
  presse_search_opts so = {.limit = 10};
  int json = 0, color = -1, sort_given = 0;
  int c;
  int first_word = query_words_last(argc, argv, longopts, &argc);
  /* "+": stop at the first query word, which may start with '-' */
  while ((c = getopt_long(first_word, argv, "+h", longopts, NULL)) != -1) {
    switch (c) {
      case 'd':
        free(dbpath);
        dbpath = strdup(optarg);
        break;
      case 'l':
        so.limit = parse_uint("--limit", optarg);
        break;
      case 'o':
        so.offset = parse_uint("--offset", optarg);
        break;
      case 's':
        sort_given = 1;
        if (!strcmp(optarg, "relevance")) so.sort = PRESSE_SORT_RELEVANCE;
        else if (!strcmp(optarg, "date")) so.sort = PRESSE_SORT_DATE;
        else {
          fprintf(stderr, "%s: --sort: '%s' is not relevance or date\n", prog, optarg);
          return EXIT_FATAL;
        }
        break;
      case 'j':
        json = 1;
        break;
      case 'F':
        so.facets = 10;
        break;
      case 'N':
        so.no_collapse = 1;
        break;
      case 'P':
        so.partial = 1;
        break;
      case 'c':
        if (!strcmp(optarg, "always")) color = 1;
        else if (!strcmp(optarg, "never")) color = 0;
        else if (!strcmp(optarg, "auto")) color = -1;
        else {
          fprintf(stderr, "%s: --color: '%s' is not auto, always or never\n", prog, optarg);
          return EXIT_FATAL;
        }
        break;
      case 'h':
        usage(stdout);
        free(dbpath);
        return 0;
      case 'V':
        printf("presse-query (presse) %s\n", PRESSE_VERSION);
        free(dbpath);
        return 0;
      default: /* getopt named the option */
        fprintf(stderr, "%s: see '%s --help'; a query word starting with '-' may also follow '--'\n", prog, prog);
        free(dbpath);
        return EXIT_FATAL;
    }
  }
  if (optind < first_word) { /* a stray argument among the options, e.g. an option's value */
    first_word = optind;
  }
  if (first_word >= argc) {
    usage(stderr);
    return EXIT_FATAL;
  }
  if (color < 0) color = isatty(1);
  presse_buf qtext = PRESSE_BUF_INIT;
  for (int i = first_word; i < argc; i++) {
    if (i > first_word) presse_buf_putc(&qtext, ' ');
    presse_buf_puts(&qtext, argv[i]);
  }
  if (!dbpath) dbpath = presse_path_default_db();

  presse_analyzer *an = NULL;
  presse_query *q = NULL;
  presse_db *db = NULL;
  presse_result res = {0};
  presse_hits *hits = NULL;
  int status = EXIT_FATAL;
  if (presse_analyzer_new(&an) != PRESSE_OK) {
    fprintf(stderr, "%s: out of memory\n", prog);
    goto out;
  }
  if (presse_query_parse(&q, an, qtext.data) != PRESSE_OK) {
    fprintf(stderr, "%s: malformed query at position %zu: ", prog, presse_query_errpos(q) + 1);
    presse_term_puts(stderr, presse_query_errmsg(q), 0);
    fputc('\n', stderr);
    goto out;
  }
  int rc = presse_db_open(&db, dbpath, PRESSE_DB_READ);
  if (rc != PRESSE_OK) {
    if (rc == PRESSE_ENOTFOUND)
      fprintf(stderr, "%s: no database at '%s' (index releases first: presse-index --db '%s' add DIR)\n", prog,
              dbpath, dbpath);
    else
      fprintf(stderr, "%s: %s\n", prog, presse_db_errmsg(db));
    goto out;
  }
  const presse_qnode *tree = presse_query_tree(q);
  if (!tree) {
    fprintf(stderr, "%s: the query '%s' has no words to search for\n", prog, qtext.data);
    goto out;
  }
  /* a query of filters only (datum:2025-01) has no relevance to rank by: newest first */
  if (!sort_given && !has_weighted(tree)) so.sort = PRESSE_SORT_DATE;
  /* Releases with every word first, then those with some of them (query/search.c). */
  rc = presse_search(db, an, qtext.data, &so, &res);
  if (rc != PRESSE_OK) {
    fprintf(stderr, "%s: search failed: %s\n", prog,
            rc == PRESSE_EDB ? presse_db_errmsg(db) : presse_strerror(rc));
    goto out;
  }
  hits = res.hits;
  size_t n = presse_hits_count(hits);
  if (presse_hits_partial(hits)) { /* the terminal says so, whatever the format */
    fprintf(stderr, "%s: partial results: shard%s", prog, presse_hits_nfailed(hits) == 1 ? "" : "s");
    for (size_t i = 0; i < presse_hits_nfailed(hits); i++)
      fprintf(stderr, "%s %s", i ? "," : "", presse_hits_failed(hits, i));
    fprintf(stderr, " did not answer\n");
  }
  char *suggestion = NULL;
  if (res.total_all == 0) presse_suggest(db, an, q, qtext.data, &suggestion);

  if (json) {
    /* the one JSON writer that presse-serve's /api/search uses too (output/json.c) */
    presse_output_opts oo = {.query = qtext.data, .offset = so.offset, .limit = so.limit, .facets = so.facets,
                             .suggestion = suggestion, .indent = 1, .partial = so.partial};
    char *js = NULL;
    int orc = presse_output_json(an, &res, &oo, &js);
    if (orc == PRESSE_OK) puts(js);
    else fprintf(stderr, "%s: out of memory\n", prog);
    free(js);
    free(suggestion);
    status = orc != PRESSE_OK ? EXIT_FATAL : n ? 0 : EXIT_NOHITS;
    goto out;
  }
  char all_s[48], some_s[48], sum_s[48];
  count_text(all_s, sizeof all_s, res.total_all, res.total_exact);
  count_text(some_s, sizeof some_s, res.total_some, res.total_exact);
  count_text(sum_s, sizeof sum_s, res.total_all + res.total_some, res.total_exact);
  /* what is printed to the terminal passes presse_term_*: release text may carry escape sequences */
  char *qshow = presse_term_escape(qtext.data, qtext.len, 0);
  if (!json && qshow) {
    if (n == 0 && res.total_all + res.total_some == 0) printf("Keine Treffer für „%s“.\n", qshow);
    else if (res.total_all == 0)
      printf("Kein Treffer enthält alle Wörter von „%s“; %s Treffer mit einem Teil davon (%u–%zu):\n\n", qshow,
             some_s, so.offset + 1, so.offset + n);
    else if (n == 0) printf("%s Treffer für „%s“; keine auf dieser Seite.\n", sum_s, qshow);
    else if (res.total_some)
      printf("%s Treffer für „%s“, %s weitere mit einem Teil der Wörter (%u–%zu):\n\n", all_s, qshow, some_s,
             so.offset + 1, so.offset + n);
    else printf("%s Treffer für „%s“ (%u–%zu):\n\n", all_s, qshow, so.offset + 1, so.offset + n);
  }
  for (size_t i = 0; i < n; i++) {
    size_t tl;
    const char *text = presse_hits_text(hits, i, &tl);
    presse_snippet sn;
    int have_sn = text && presse_snippet_make(an, q, text, tl, 240, &sn) == PRESSE_OK;
    const char *title = presse_hits_title(hits, i);
    const char *date = presse_hits_date(hits, i);
    const char *id = presse_hits_id(hits, i);
    const char *issuer = presse_hits_issuer(hits, i);
    {
      if (i == res.nall && res.total_all)
        printf("Weitere %s Treffer mit einem Teil der Wörter:\n\n", some_s);
      printf("%zu. %s", so.offset + i + 1, color ? "\033[1m" : "");
      presse_term_puts(stdout, title ? title : "(ohne Titel)", 0);
      printf("%s\n   ", color ? "\033[0m" : "");
      presse_term_puts(stdout, date ? date : "----------", 0);
      fputs("  ", stdout);
      if (issuer) {
        presse_term_puts(stdout, issuer, 0);
        fputs("  ", stdout);
      }
      presse_term_puts(stdout, id, 0);
      putchar('\n');
      const char *link = presse_hits_link(hits, i);
      if (link) {
        fputs("   ", stdout);
        presse_term_puts(stdout, link, 0);
        putchar('\n');
      }
      if (have_sn) print_snippet(&sn, color);
      unsigned long long copies = presse_hits_collapsed(hits, i);
      if (copies)
        printf("   (%llu weitere Fassung%s dieser Meldung, z. B. als PDF oder HTML; --no-collapse zeigt alle)\n", copies,
               copies == 1 ? "" : "en");
      putchar('\n');
    }
    if (have_sn) presse_snippet_free(&sn);
  }
  static const char *const facet_names[][2] = {{"PER", "Personen:"}, {"ORG", "Organisationen:"}, {"LOC", "Orte:"}};
  for (size_t t = 0; so.facets && t < 3; t++) {
    int printed = 0;
    for (size_t i = 0; i < presse_hits_nfacets(hits); i++) {
      const char *type;
      unsigned long long cnt;
      const char *name = presse_hits_facet(hits, i, &type, &cnt);
      if (strcmp(type, facet_names[t][0])) continue;
      {
        printf("%s ", printed ? "," : facet_names[t][1]);
        presse_term_puts(stdout, name, 0);
        printf(" (%llu)", cnt);
        if (!printed) printed = 1;
      }
    }
    if (printed) putchar('\n');
  }
  if (suggestion) {
    fputs("Meinten Sie: ", stdout);
    presse_term_puts(stdout, suggestion, 0);
    putchar('\n');
  }
  free(suggestion);
  free(qshow);
  status = n ? 0 : EXIT_NOHITS;
out:
  presse_result_free(&res);
  presse_db_close(db);
  presse_query_free(q);
  presse_analyzer_free(an);
  presse_buf_free(&qtext);
  free(dbpath);
  return status;
}
