// xapian-rel: the Xapian peers of bench-relevance. It does what a Xapian user would write
// without tuning: TermGenerator and QueryParser with Xapian::Stem("german"), BM25 with Xapian's
// defaults, the QueryParser's default operator (OR) unless told otherwise. Only the stemming
// strategy varies: "some" is Xapian's default (STEM_SOME: capitalised query words, i.e. most
// German nouns, are not stemmed), "all_z" uses STEM_ALL_Z on both sides. A benchmark helper, not
// part of presse (whose only C++ file is the shim in store/).
//
//   xapian-rel DBDIR DOCS QUERIES some|all_z OP...
//     DOCS     JSON lines {"id": "...", "text": "..."}; every text is indexed as body text.
//     QUERIES  lines "QID<TAB>QUERY".
//     OP       "or" or "and": the QueryParser's default operator; the queries run once per OP.
//   prints "index-seconds S" once, then per OP and query "OP<TAB>QID<TAB>ID ID ..." (top 10),
//   then "query-seconds OP S".
#include <jansson.h>
#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run(int argc, char **argv) {
  const char *dbdir = argv[1], *docs = argv[2], *queries = argv[3], *strategy = argv[4];
  bool all_z = !std::strcmp(strategy, "all_z");
  if (!all_z && std::strcmp(strategy, "some")) {
    std::fprintf(stderr, "xapian-rel: strategy must be some or all_z\n");
    return 2;
  }
  std::ifstream in(docs, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "xapian-rel: cannot open %s\n", docs);
    return 2;
  }
  auto t0 = std::chrono::steady_clock::now();
  {
    Xapian::WritableDatabase db(dbdir, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("german"));
    tg.set_stemming_strategy(all_z ? Xapian::TermGenerator::STEM_ALL_Z : Xapian::TermGenerator::STEM_SOME);
    std::string line;
    while (std::getline(in, line)) {
      json_t *o = json_loadb(line.data(), line.size(), 0, nullptr);
      json_t *id = o ? json_object_get(o, "id") : nullptr, *text = o ? json_object_get(o, "text") : nullptr;
      if (json_is_string(id) && json_is_string(text)) {
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(std::string(json_string_value(text), json_string_length(text)));
        doc.set_data(json_string_value(id));
        db.add_document(doc);
      }
      json_decref(o);
    }
    db.commit();
  }
  std::printf("index-seconds %.3f\n", seconds_since(t0));

  std::vector<std::pair<std::string, std::string>> qs;
  std::ifstream qin(queries, std::ios::binary);
  std::string line;
  while (std::getline(qin, line)) {
    size_t tab = line.find('\t');
    if (tab != std::string::npos) qs.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  Xapian::Database db(dbdir);
  Xapian::Enquire enquire(db);  // BM25Weight() with its default parameters
  for (int k = 5; k < argc; k++) {
    bool op_and = !std::strcmp(argv[k], "and");
    Xapian::QueryParser qp;
    qp.set_database(db);
    qp.set_stemmer(Xapian::Stem("german"));
    qp.set_stemming_strategy(all_z ? Xapian::QueryParser::STEM_ALL_Z : Xapian::QueryParser::STEM_SOME);
    if (op_and) qp.set_default_op(Xapian::Query::OP_AND);
    t0 = std::chrono::steady_clock::now();
    for (auto &q : qs) {
      std::string out;
      try {
        enquire.set_query(qp.parse_query(q.second));
        Xapian::MSet ms = enquire.get_mset(0, 10);
        for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
          if (!out.empty()) out += ' ';
          out += it.get_document().get_data();
        }
      } catch (const Xapian::QueryParserError &) {
        // no result, like a query a system rejects
      }
      std::printf("%s\t%s\t%s\n", op_and ? "and" : "or", q.first.c_str(), out.c_str());
    }
    std::printf("query-seconds %s %.3f\n", op_and ? "and" : "or", seconds_since(t0));
  }
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 6) {
    std::fprintf(stderr, "usage: xapian-rel DBDIR DOCS QUERIES some|all_z or|and...\n");
    return 2;
  }
  try {
    return run(argc, argv);
  } catch (const Xapian::Error &e) {
    std::fprintf(stderr, "xapian-rel: %s\n", e.get_description().c_str());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "xapian-rel: %s\n", e.what());
  }
  return 2;
}
