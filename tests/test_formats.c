/* Unit tests of the format readers through the indexer: HTML boilerplate removal, titles and
 * dates from metadata, legacy and mislabelled charsets, PDF columns, broken containers. The
 * seed fixtures themselves are checked end to end by e2e_formats.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "testdb.h"
#include "indexer/formats/formats.h"
#include "presse/presse.h"

static presse_db *db;
static presse_indexer *ix;

static int add(const char *name, const char *s) {
  return presse_indexer_add_buffer(ix, name, name, s, strlen(s), PRESSE_FMT_AUTO);
}

/* E-mail subjects and bodies (indexer/formats/email.c); whole mailboxes: e2e_mail.sh. */
static void check_mail(void) {
  presse_buf t = PRESSE_BUF_INIT, body = PRESSE_BUF_INIT, sig = PRESSE_BUF_INIT, fwd = PRESSE_BUF_INIT;
  static const char *const subjects[][2] = {
      {"Fwd: PM: Neue Radwege in Witten", "Neue Radwege in Witten"},
      {"[presse-nrw] WG: AW: Pressemitteilung Nr. 12/2024: Haushalt", "Haushalt"},
      {"Pressemitteilung \xe2\x80\x93 Haushalt beschlossen", "Haushalt beschlossen"},
      {"Pressemitteilung der Stadt Hagen", "Pressemitteilung der Stadt Hagen"}, /* no prefix: a title */
      {"PMA-Wert gemessen", "PMA-Wert gemessen"},
      {"  Re:  Termin\n am Montag ", "Termin  am Montag"}};
  for (size_t i = 0; i < sizeof subjects / sizeof *subjects; i++) {
    presse_mail_subject(subjects[i][0], &t);
    CHECK_STR(t.data ? t.data : "", subjects[i][1]);
  }
  const char *reply = "Danke, wir berichten.\n\nAm 14.05.2024 um 10:00 schrieb Stadt Bielefeld <p@bielefeld.de>:\n"
                      "> Zitat aus dem Original\n>> noch eins\n\n-- \nRedaktion Lokales\nTel. 0521 1234\n";
  CHECK(presse_mail_body(reply, strlen(reply), 0, &body, &sig, &fwd) == PRESSE_OK);
  CHECK_STR(body.data, "Danke, wir berichten.\n\n\n");
  CHECK_STR(sig.data, "Redaktion Lokales\nTel. 0521 1234\n");
  const char *fw = "zur Info\n-- \nJana\n\n---------- Forwarded message ---------\n"
                   "Von: Stadt Witten <presse@witten.de>\nDate: 1. Mai 2024\nSubject: Radwege\n\n"
                   "> Die Stadt baut Radwege.\n> -- \n> Pressestelle\n";
  CHECK(presse_mail_body(fw, strlen(fw), 1, &body, &sig, &fwd) == PRESSE_OK);
  CHECK_STR(body.data, "Die Stadt baut Radwege.\n");
  CHECK_STR(sig.data, "Pressestelle\n");
  CHECK_STR(fwd.data, "Stadt Witten <presse@witten.de>");
  /* Outlook writes the same marker for a reply and a forward: the subject tells them apart */
  const char *ol = "Kurz.\r\n-----Urspr\xc3\xbcngliche Nachricht-----\r\nVon: Stadt Leipzig\r\nBetreff: X\r\n\r\nDer Stadtrat tagt.\r\n";
  CHECK(presse_mail_body(ol, strlen(ol), 0, &body, &sig, &fwd) == PRESSE_OK);
  CHECK_STR(body.data, "Kurz.\n");
  CHECK(presse_mail_body(ol, strlen(ol), 1, &body, &sig, &fwd) == PRESSE_OK);
  CHECK_STR(body.data, "Der Stadtrat tagt.\n");
  CHECK_STR(fwd.data, "Stadt Leipzig");
  presse_buf_free(&t);
  presse_buf_free(&body);
  presse_buf_free(&sig);
  presse_buf_free(&fwd);
}

static const char *data_of(const char *query) {
  presse_indexer_commit(ix);
  return testdb_first_hit(db, query);
}

int main(void) {
  char dbpath[512];
  testdb_path("test_formats", dbpath, sizeof dbpath);
  CHECK(presse_db_open(&db, dbpath, PRESSE_DB_WRITE) == PRESSE_OK);
  presse_indexer_opts opts = {.no_entities = 1};
  CHECK(presse_indexer_new(&ix, db, &opts) == PRESSE_OK);
  presse_ingest_info in;
  check_mail();

  /* a page without <main> or <article>: the body minus its furniture */
  const char *page =
      "<html><head><title>Neue Radwege in Witten | Stadt Witten</title>"
      "<meta property=\"article:published_time\" content=\"2024-05-17T09:30:00+02:00\">"
      "<meta property=\"og:site_name\" content=\"Stadt Witten\"></head><body>"
      "<header class=\"page-header\">Logo Kopfzeilenmarke</header>"
      "<nav><a href=/>Start</a></nav>"
      "<div class=\"menu-links\"><a href=a>Abfall</a> <a href=b>Baustellen</a> <a href=c>Bürgeramt</a></div>"
      "<span class=\"sr-only\">Vorlesetextmarke</span><div hidden>Versteckttextmarke</div>"
      "<div style=\"display: none\">Unsichtbarmarke</div>"
      "<p>Die Stadt baut <b>neue</b> Radwege an der Ruhrstraße.<br>Baubeginn ist im Juni.</p>"
      "<ul><li><a href=1>Linkliste eins</a></li><li><a href=2>Linkliste zwei</a></li><li><a href=3>drei</a></li></ul>"
      "<p>Kontakt: <a href=\"mailto:presse@witten.de\">Pressestelle</a></p>"
      "<footer>Impressum Fußzeilenmarke</footer><script>var skriptmarke = 1;</script></body></html>";
  CHECK(add("witten.html", page) == PRESSE_OK);
  presse_indexer_last_info(ix, &in);
  CHECK_STR(in.format, "html");
  CHECK_STR(in.title, "Neue Radwege in Witten");
  CHECK(in.date == 20240517);
  const char *d = data_of("Ruhrstraße");
  CHECK(strstr(d, "Die Stadt baut neue Radwege an der Ruhrstraße.\\nBaubeginn ist im Juni.") != NULL);
  CHECK(strstr(d, "Kontakt: Pressestelle (presse@witten.de)") != NULL);
  for (const char *w = "Kopfzeilenmarke\0Start\0Abfall\0Vorlesetextmarke\0Versteckttextmarke\0Unsichtbarmarke\0"
                       "Linkliste\0Fußzeilenmarke\0skriptmarke\0";
       *w; w += strlen(w) + 1)
    CHECK(data_of(w)[0] == '\0');

  /* the title from <h1> when there is no og:title; a generic <h1> is skipped */
  CHECK(add("h1.html", "<title>Startseite</title><h1>Pressemitteilung</h1><main><h1>Haushalt für Gevelsberg "
                       "beschlossen</h1><p><time datetime=\"2023-12-14\">14.12.</time> Der Rat tagte.</p></main>") ==
        PRESSE_OK);
  presse_indexer_last_info(ix, &in);
  CHECK_STR(in.title, "Haushalt für Gevelsberg beschlossen");
  CHECK(in.date == 20231214);

  /* charsets: Windows-1252 bytes under an ISO-8859-1 label (as browsers read it), and UTF-8
   * bytes under a wrong Latin-1 label */
  CHECK(add("cp.html", "<meta charset=\"iso-8859-1\"><title>Br\xfc" "cke in L\xfcnen</title>"
                       "<p>\x84" "Die Br\xfc" "cke\x93 \x96 gesperrt</p>") == PRESSE_OK);
  presse_indexer_last_info(ix, &in);
  CHECK_STR(in.encoding, "windows-1252");
  CHECK(strstr(data_of("Lünen"), "„Die Brücke“ – gesperrt") != NULL);
  CHECK(add("lie.html", "<meta charset=\"iso-8859-1\"><title>Gr\xc3\xbc" "ne Welle in D\xc3\xbc" "lmen</title><p>Ampeln.</p>") ==
        PRESSE_OK);
  presse_indexer_last_info(ix, &in);
  CHECK_STR(in.encoding, "utf-8");
  CHECK_STR(in.title, "Grüne Welle in Dülmen");

  /* the two-column PDF: no words glued across the gutter, hyphenation joined by the analyzer */
  char path[600];
  snprintf(path, sizeof path, "%s/tests/formats/seed.pdf", PRESSE_SOURCE_DIR);
  CHECK(presse_indexer_add_file(ix, path) == PRESSE_OK);
  d = data_of("Thementisch");
  CHECK(strstr(d, "seed.pdf") != NULL);
  CHECK(strstr(d, "HagenFragen") == NULL && strstr(d, "0Hinweis") == NULL);
  CHECK(strstr(d, "Postfach 42 49 | 58042 Hagen\\n") != NULL);
  CHECK(strstr(data_of("Unterstützungsmöglichkeiten"), "seed.pdf") != NULL); /* "Unterstüt-⏎zungs..." */

  /* broken containers */
  CHECK(add("x.docx", "PK\3\4 not really a zip archive") == PRESSE_EFORMAT);
  CHECK(strstr(presse_indexer_errmsg(ix), "broken ZIP archive") != NULL);
  CHECK(add("y.odt", "plain text") == PRESSE_EFORMAT);
  CHECK(strstr(presse_indexer_errmsg(ix), "not a valid ODT file (not a ZIP archive)") != NULL);
  CHECK(add("z.pdf", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n") == PRESSE_EFORMAT);
  CHECK(strstr(presse_indexer_errmsg(ix), "damaged PDF") != NULL);
  static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
  CHECK(presse_indexer_add_buffer(ix, "noext", "noext", png, sizeof png - 1, PRESSE_FMT_AUTO) == PRESSE_EFORMAT);
  CHECK_STR(presse_indexer_errmsg(ix), "PNG image, not a text document");
  /* a file without extension is sniffed: HTML */
  CHECK(add("page", "<!DOCTYPE html><html><body><p>Sniffing in Hattingen</p></body></html>") == PRESSE_OK);
  presse_indexer_last_info(ix, &in);
  CHECK_STR(in.format, "html");

  presse_indexer_free(ix);
  presse_db_close(db);
  testdb_remove(dbpath);
  return check_report("test_formats");
}
