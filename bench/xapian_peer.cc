// xapian-peer: the bare Xapian baseline that bench-index measures presse against.
// It does what a Xapian user would write in an afternoon: TermGenerator with the German Snowball
// stemmer (default STEM_SOME, positions on), QueryParser for queries. Nothing here is tuned;
// that is the point. It is a benchmark helper, not part of presse (which has one C++ file, the
// shim in store/).
//
//   xapian-peer index DB JSONL     index JSON lines {"id","title","date","text",...}; prints
//                                  "docs N bytes B" (B = title + text bytes, as bench-index counts)
//   xapian-peer query DB QUERIES [PASSES]
//                                  QUERIES: lines "ID<TAB>QUERY"; runs them all once to warm up,
//                                  then PASSES times (default 1) timed, printing per query
//                                  "MEDIAN-NANOSECONDS<TAB>MATCHES<TAB>TOPID"
#include <jansson.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

const unsigned kBatch = 1000;  // presse-index commits every 1000 documents by default
const Xapian::valueno kSlotDate = 0;

std::string record_id(json_t *o) {
  json_t *jid = json_object_get(o, "id");
  if (json_is_string(jid)) return std::string(json_string_value(jid), json_string_length(jid));
  if (json_is_integer(jid)) return std::to_string((long long)json_integer_value(jid));
  return std::string();
}

std::string field(json_t *o, const char *name) {
  json_t *v = json_object_get(o, name);
  if (!json_is_string(v)) return std::string();
  return std::string(json_string_value(v), json_string_length(v));
}

// "2021-03-04T10:00" -> "20210304", the sortable value presse keeps in slot 0 too.
std::string date_value(const std::string &d) {
  if (d.size() < 10 || d[4] != '-' || d[7] != '-') return std::string();
  return d.substr(0, 4) + d.substr(5, 2) + d.substr(8, 2);
}

int cmd_index(const char *dbpath, const char *jsonl) {
  std::ifstream in(jsonl, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "xapian-peer: cannot open %s\n", jsonl);
    return 2;
  }
  Xapian::WritableDatabase db(dbpath, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("german"));
  // STEM_SOME is the default; spelled out so that nobody wonders.
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);

  std::string line;
  unsigned long long docs = 0, bytes = 0, bad = 0;
  unsigned pending = 0;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    json_error_t err;
    json_t *o = json_loadb(line.data(), line.size(), 0, &err);
    std::string id = o ? record_id(o) : std::string();
    json_t *jtext = o ? json_object_get(o, "text") : nullptr;
    if (!o || id.empty() || !json_is_string(jtext)) {
      bad++;
      json_decref(o);
      continue;
    }
    std::string title = field(o, "title");
    std::string text(json_string_value(jtext), json_string_length(jtext));
    std::string date = date_value(field(o, "date"));
    json_decref(o);

    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(title, 1, "S");  // title field
    tg.index_text(title);          // and as body text
    tg.increase_termpos();
    tg.index_text(text);
    std::string idterm = "Q" + id;
    doc.add_boolean_term(idterm);
    if (!date.empty()) doc.add_value(kSlotDate, date);
    doc.set_data(line);
    db.replace_document(idterm, doc);
    docs++;
    bytes += title.size() + text.size();
    if (++pending >= kBatch) {
      db.commit();
      pending = 0;
    }
  }
  db.commit();
  db.close();
  std::printf("docs %llu bytes %llu bad %llu\n", docs, bytes, bad);
  return 0;
}

struct Query {
  std::string id, text;
};

int cmd_query(const char *dbpath, const char *qfile, int passes) {
  std::ifstream in(qfile, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "xapian-peer: cannot open %s\n", qfile);
    return 2;
  }
  std::vector<Query> qs;
  std::string line;
  while (std::getline(in, line)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    qs.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }

  Xapian::Database db(dbpath);
  Xapian::Enquire enquire(db);  // BM25 with Xapian's defaults
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("german"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  // presse matches all words of a query; make the peer do the same (Xapian's default is OR).
  qp.set_default_op(Xapian::Query::OP_AND);

  std::vector<std::vector<long long>> ns(qs.size());
  std::vector<unsigned long long> matches(qs.size());
  std::vector<std::string> top(qs.size());
  for (int pass = 0; pass <= passes; pass++) {  // pass 0 warms caches, the others are measured
    for (size_t i = 0; i < qs.size(); i++) {
      auto t0 = std::chrono::steady_clock::now();
      Xapian::MSet ms;
      std::string first;
      try {
        Xapian::Query q = qp.parse_query(qs[i].text);
        enquire.set_query(q);
        ms = enquire.get_mset(0, 10);
        for (Xapian::MSetIterator it = ms.begin(); it != ms.end(); ++it) {
          std::string data = it.get_document().get_data();
          if (first.empty()) first.swap(data);
        }
      } catch (const Xapian::QueryParserError &) {
        // counted as no match, like a query presse rejects
      }
      auto t1 = std::chrono::steady_clock::now();
      if (pass == 0) continue;
      ns[i].push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
      if (pass > 1) continue;
      matches[i] = ms.get_matches_estimated();
      if (!first.empty()) {  // outside the timed region: which release came first
        json_t *o = json_loadb(first.data(), first.size(), 0, nullptr);
        if (o) top[i] = record_id(o);
        json_decref(o);
      }
    }
  }
  for (size_t i = 0; i < qs.size(); i++) {
    std::vector<long long> &v = ns[i];  // the median of the timed passes
    std::sort(v.begin(), v.end());
    std::printf("%lld\t%llu\t%s\n", v[(v.size() - 1) / 2], matches[i], top[i].empty() ? "-" : top[i].c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  bool index = argc == 4 && !std::strcmp(argv[1], "index");
  bool query = (argc == 4 || argc == 5) && !std::strcmp(argv[1], "query");
  int passes = argc == 5 ? std::atoi(argv[4]) : 1;
  if ((!index && !query) || passes < 1) {
    std::fprintf(stderr, "usage: xapian-peer index DB JSONL\n       xapian-peer query DB QUERIES [PASSES]\n");
    return 2;
  }
  try {
    return index ? cmd_index(argv[2], argv[3]) : cmd_query(argv[2], argv[3], passes);
  } catch (const Xapian::Error &e) {
    std::fprintf(stderr, "xapian-peer: %s\n", e.get_description().c_str());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "xapian-peer: %s\n", e.what());
  }
  return 2;
}
