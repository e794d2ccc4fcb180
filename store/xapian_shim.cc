// The only C++ in presse: a thin extern "C" shim over Xapian (storage, BM25 ranking, value
// ranges). Every entry point catches Xapian::Error (not a std::exception), then std::exception,
// then anything else, keeps the message on the handle and returns a status: no exception ever
// crosses into C. Commits are explicit because Xapian's destructors swallow errors.
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <xapian.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <utility>
#include <vector>

extern "C" {
#include "document/document.h"
#include "document/schema.h"
#include "presse/presse.h"
#include "util/hash.h"
}

// A writer thread for presse_db_put: the indexer builds the next document (analysis, entities)
// while this thread hands the previous ones to Xapian, whose replace_document is about a third of
// indexing. Only one thread touches the database at a time: every other entry point first waits
// until the queue is empty (drain). presse_db_commit stays on the caller's thread; the indexer's
// batch commits (presse_db_commit_queued) are queued behind the documents they cover, so what a
// commit makes durable is exactly what was put before it.
// A job for the writer thread: a document to store on its id term, or a commit.
struct queued_doc {
  bool commit = false;  // not a document: commit what came before (presse_db_commit_queued)
  std::string idterm;
  Xapian::Document doc;
};

struct presse_writer {
  std::thread th;
  std::mutex mu;
  std::condition_variable work, room, idle;
  std::deque<queued_doc> q;
  bool busy = false, stop = false;
  int rc = 0;       // the first failure of a queued document, reported by the next call
  std::string err;
};

// One shard as a Xapian stub file lists it (issue 12): a local database or a xapian-tcpsrv.
struct shard_spec {
  bool remote = false;
  std::string path;  // local: the shard's directory, relative names resolved against the stub's
  std::string host;  // remote
  unsigned port = 0;
  std::string name;  // as the stub spells it ("shard0", "127.0.0.1:7001"), for messages and stats
};

struct presse_db {
  std::unique_ptr<Xapian::Database> db;  // the WritableDatabase when writable; over shards, all of them combined
  Xapian::WritableDatabase *wdb = nullptr;
  std::unique_ptr<presse_writer> writer;  // started by the first presse_db_put
  std::string path;
  std::string err;
  // A sharded database (a folder with a XAPIANDB stub, or a stub file): its shards in stub order.
  // Reading: sub[i] is shard i, null while it is down (suberr[i] says why), and db combines those
  // that are up. Writing: one handle per shard (wsub), each with its own writer thread.
  std::string stub;
  std::vector<shard_spec> shards;
  std::vector<std::unique_ptr<Xapian::Database>> sub;
  std::vector<std::string> suberr;
  std::vector<std::chrono::steady_clock::time_point> downat;  // when a shard was last found down
  std::vector<presse_db *> wsub;
};

// A hit's stored data decoded (on first use: most callers read a page's fields, some none).
struct json_ref {
  json_t *j = nullptr;
  json_ref() = default;
  json_ref(const json_ref &) = delete;
  json_ref &operator=(const json_ref &) = delete;
  json_ref(json_ref &&o) noexcept : j(o.j) { o.j = nullptr; }
  json_ref &operator=(json_ref &&o) noexcept {
    std::swap(j, o.j);
    return *this;
  }
  ~json_ref() { json_decref(j); }
};

struct presse_hits {
  struct hit {
    Xapian::docid did;
    double weight;
    std::string data;
    unsigned long long collapsed;
    mutable json_ref doc;  // the decoded data; an empty object when it is no JSON
  };
  std::vector<hit> hits;
  unsigned long long total = 0;
  bool total_exact = true;
  struct facet {
    std::string type, name;
    unsigned long long count;
  };
  std::vector<facet> facets;
  // presse-serve: matches per month (YYYYMM, ascending) beside the facets
  std::vector<std::pair<unsigned, unsigned long long>> months;
  std::vector<std::string> failed;  // shards left out of a partial result (opts->partial)
};

namespace {

// BM25 defaults, chosen by measurement on the known-item benchmark (bench/): see README.
constexpr double kDefaultK1 = 1.2;
constexpr double kDefaultB = 0.75;
// Documents the writer thread may have waiting: enough to smooth out one long release, little
// memory (a built Xapian::Document of a release is some kilobytes).
constexpr size_t kQueued = 32;
// Result sets up to this size get an exact count: the matcher checks this many candidates
// before it may stop and estimate. A count is what a journalist quotes, so it is exact up to a
// bound that covers the Berlin corpus whole (7,224 releases); beyond it the total is an estimate
// and says so (presse_hits_total_exact). Its cost is not yet tuned: bench-index on the Berlin
// corpus (AND queries, shared VM at load 8) measured p50 0.228 ms / p99 4.56 ms against the
// peer's 0.057 / 0.21 ms with this bound; a smaller bound for the first page is issue 13's fast path.
constexpr Xapian::doccount kExactTotal = 10000;

// Runs f and turns whatever it throws into a status and a message in err; path names the
// database in the messages about opening it. No exception leaves. Used on the caller's thread
// (guard) and on the writer thread, which keeps its own message until the caller takes it.
template <typename F>
int catch_all(const std::string &path, std::string &err, F &&f) {
  try {
    return f();
  } catch (const Xapian::DatabaseLockError &e) {
    // Xapian throws this also when the lock file cannot be made at all: a read-only file system
    // or no write permission is not "another writer", and the user needs to know which.
    const std::string &m = e.get_msg();
    if (m.find("already locked") != std::string::npos) {
      err = "database '" + path + "' is locked by another writer";
      return PRESSE_ELOCKED;
    }
    size_t colon = m.rfind(": ");
    err = "cannot write to database '" + path + "': " + (colon != std::string::npos ? m.substr(colon + 2) : m);
    return PRESSE_EDB;
  } catch (const Xapian::DatabaseNotFoundError &e) {
    std::error_code ec;
    if (!path.empty() && std::filesystem::exists(path + "/iamglass", ec)) {  // there is one, with parts missing
      err = "database '" + path + "' is incomplete: " + e.get_msg();
      return PRESSE_EDB;
    }
    err = "no database at '" + path + "'";
    return PRESSE_ENOTFOUND;
  } catch (const Xapian::DatabaseOpeningError &e) {
    err = "cannot open database '" + path + "': " + e.get_msg();
    std::error_code ec;  // a database is there but cannot be opened: no "create one" hint
    return !path.empty() && std::filesystem::exists(path + "/iamglass", ec) ? PRESSE_EDB : PRESSE_ENOTFOUND;
  } catch (const Xapian::Error &e) {
    err = e.get_type() + std::string(": ") + e.get_msg();
    // Xapian keeps the system's reason apart ("Error writing block 130" + ENOSPC): say it, and
    // say plainly when the disk is full (what was committed before stays, the batch does not).
    if (const char *why = e.get_error_string()) err += std::string(" (") + why + ")";
    if (err.find(strerror(ENOSPC)) != std::string::npos)  // also when nested: "Modifications failed (...)"
      err = "the disk is full, nothing more can be written to '" + path + "' (" + err + ")";
    return PRESSE_EDB;
  } catch (const std::bad_alloc &) {
    err = "out of memory";
    return PRESSE_ENOMEM;
  } catch (const std::exception &e) {
    err = e.what();
    return PRESSE_EDB;
  } catch (...) {
    err = "unknown error in the Xapian shim";
    return PRESSE_EDB;
  }
}

template <typename F>
int guard_nodrain(presse_db *db, F &&f) {
  if (db) return catch_all(db->path, db->err, f);
  std::string unused;  // no handle to keep the message on
  return catch_all(std::string(), unused, f);
}

void add_entity_values(Xapian::Document &xd, const char *v, size_t len);  // below, with the facets

// The folded issuer name of the document's whole-name issuer term (not a name-word term) into
// its slot, for the issuer facet.
void add_issuer_value(Xapian::Document &xd, const presse_doc *d) {
  const presse_field *f = PRESSE_FIELD(PRESSE_F_ISSUER);
  size_t wl = std::strlen(f->whole_prefix), nl = std::strlen(f->word_prefix);
  for (size_t i = 0; i < d->npost; i++) {
    const presse_posting &p = d->post[i];
    const char *t = d->arena.data + p.off;
    if (p.len > wl && !std::memcmp(t, f->whole_prefix, wl) && !(p.len >= nl && !std::memcmp(t, f->word_prefix, nl))) {
      xd.add_value(PRESSE_SLOT_ISSUER, std::string(t + wl, p.len - wl));
      return;
    }
  }
}

// The Xapian document of a presse document: its terms with their positions and wdf, the values,
// the data. Built on the caller's thread: Xapian's side is the larger half of indexing.
Xapian::Document xapian_doc(const presse_doc *d) {
  Xapian::Document xd;
  const char *arena = d->arena.data;
  for (size_t i = 0; i < d->npost; i++) {
    const presse_posting &p = d->post[i];
    std::string term(arena + p.off, p.len);
    if (p.boolean)
      xd.add_boolean_term(term);
    else if (p.pos)
      xd.add_posting(term, p.pos, p.wdf);
    else
      xd.add_term(term, p.wdf);
  }
  xd.add_boolean_term(std::string(d->id_term.data, d->id_term.len));
  if (d->date[0]) xd.add_value(PRESSE_SLOT_DATE, d->date);
  if (d->entities.len) {
    xd.add_value(PRESSE_SLOT_ENTITIES, std::string(d->entities.data, d->entities.len));
    add_entity_values(xd, d->entities.data, d->entities.len);
  }
  if (d->fingerprint[0]) xd.add_value(PRESSE_SLOT_FINGERPRINT, d->fingerprint);
  add_issuer_value(xd, d);
  xd.set_data(std::string(d->data.data ? d->data.data : "", d->data.len));
  return xd;
}

// The writer thread's first failure, if any, moved onto the handle (the caller holds w->mu).
int take_failure(presse_db *db, presse_writer *w) {
  int rc = w->rc;
  if (rc) {
    db->err = std::move(w->err);
    w->err.clear();
    w->rc = 0;
  }
  return rc;
}

// Waits until the writer thread has stored every queued document; passes on its first failure.
int drain(presse_db *db) {
  if (db) {
    for (presse_db *s : db->wsub)  // a sharded database: every shard's writer thread
      if (int rc = drain(s)) {
        db->err = s->err;
        return rc;
      }
  }
  presse_writer *w = db ? db->writer.get() : nullptr;
  if (!w) return PRESSE_OK;
  std::unique_lock<std::mutex> lk(w->mu);
  w->idle.wait(lk, [w] { return w->q.empty() && !w->busy; });
  return take_failure(db, w);
}

// One job, on whichever thread runs it.
void run_job(Xapian::WritableDatabase *wdb, const queued_doc &job) {
  if (job.commit)
    wdb->commit();
  else
    wdb->replace_document(job.idterm, job.doc);
}

// Every entry point but presse_db_put: the queued documents first, then f.
template <typename F>
int guard(presse_db *db, F &&f) {
  return guard_nodrain(db, [&] {
    int rc = drain(db);
    return rc ? rc : f();
  });
}

// How often a read tries after a writer's commit replaced the revision it was reading; each try
// loses only to further commits landing while it runs, and the later ones wait a little first.
constexpr int kReadTries = 10;

// Tries for an error that a reused block of a discarded revision can also cause (a block that
// reads as corrupt, a listed document that is not found). Real damage fails as often and is then
// reported about 3 s later (waits up to 128 ms a try); 6 and 10 tries were not enough (test_readers under
// ASan on a clean clone: "Expected block 112 to be level 1, not 0" after all 6).
constexpr int kDamagedTries = 30;

// After a read failed on a revision that a writer discarded: moves the handle to the newest
// revision, or says that the read should give up (max_tries reached, or a writable handle). A
// read that got further (*progress moved) has its tries counted anew.
bool reopen_for_retry(presse_db *db, int &tries, const unsigned long long *progress, unsigned long long &seen,
                      int max_tries) {
  if (progress && *progress != seen) {
    seen = *progress;
    tries = 1;
  }
  if (tries >= max_tries || db->wdb) return false;
  if (tries > 2) std::this_thread::sleep_for(std::chrono::milliseconds(1 << (tries < 7 ? tries : 7)));
  try {
    db->db->reopen();
    return true;
  } catch (const Xapian::DatabaseModifiedError &) {
    return true;  // caught in the middle of a commit: the next try reopens again
  }
}

// Every read entry point: guard, and when a writer's commit discarded what it was reading
// (DatabaseModifiedError) a reopen and another try of f. A walk over the whole database (stats,
// each, terms) can take longer than a writer with small batches needs for two commits; it keeps
// its place, counts in *progress what it has passed and goes on from there.
template <typename F>
int guard_read(presse_db *db, F &&f, const unsigned long long *progress = nullptr) {
  return guard(db, [&] {
    if (!db->db) {  // a handle whose open failed
      if (db->err.empty()) db->err = "database '" + db->path + "' is not open";
      return (int)PRESSE_EINVAL;
    }
    unsigned long long seen = progress ? *progress : 0;
    for (int tries = 1;; tries++) {
      try {
        return f();
      } catch (const Xapian::DatabaseModifiedError &) {
        if (!reopen_for_retry(db, tries, progress, seen, kReadTries)) throw;
      } catch (const Xapian::DatabaseCorruptError &) {
        // seen in tests/test_readers: "Expected block 16 to be level 1, not 0"
        if (!reopen_for_retry(db, tries, progress, seen, kDamagedTries)) throw;
      } catch (const Xapian::DocNotFoundError &) {
        // presse_db_each: "Document 114 not found", a document its own postlist listed
        if (!reopen_for_retry(db, tries, progress, seen, kDamagedTries)) throw;
      }
    }
  });
}

// The writer thread's loop: one queued document at a time, the lock released while Xapian works.
void write_queued(presse_writer *w, Xapian::WritableDatabase *wdb, std::string path) {
  sigset_t all;  // signals (Ctrl-C for presse-index) go to the caller's thread, never this one
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  std::unique_lock<std::mutex> lk(w->mu);
  for (;;) {
    w->work.wait(lk, [w] { return w->stop || !w->q.empty(); });
    if (w->q.empty()) return; /* stopped, nothing left */
    queued_doc job = std::move(w->q.front());
    w->q.pop_front();
    w->busy = true;
    w->room.notify_one();
    lk.unlock();
    std::string err;
    int rc = catch_all(path, err, [&] {
      run_job(wdb, job);
      return (int)PRESSE_OK;
    });
    lk.lock();
    if (rc && !w->rc) {
      w->rc = rc;
      w->err = err;
    }
    w->busy = false;
    if (w->q.empty()) w->idle.notify_all();
  }
}

// Stops the writer thread after it has stored what is queued.
void stop_writer(presse_db *db) {
  presse_writer *w = db->writer.get();
  if (!w) return;
  {
    std::lock_guard<std::mutex> lk(w->mu);
    w->stop = true;
  }
  w->work.notify_one();
  if (w->th.joinable()) w->th.join();
}

Xapian::Query build(const presse_qnode *q) {
  std::vector<Xapian::Query> kids;
  kids.reserve(q->nkids);
  for (size_t i = 0; i < q->nkids; i++) kids.push_back(build(q->kids[i]));
  switch (q->op) {
    case PRESSE_Q_TERM:
      return Xapian::Query(q->term, q->wqf ? q->wqf : 1);
    case PRESSE_Q_BOOL_TERM:
      return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(q->term), 0.0);
    case PRESSE_Q_AND:
      return Xapian::Query(Xapian::Query::OP_AND, kids.begin(), kids.end());
    case PRESSE_Q_OR:
      return Xapian::Query(Xapian::Query::OP_OR, kids.begin(), kids.end());
    case PRESSE_Q_AND_NOT: {
      if (kids.empty()) return Xapian::Query();
      Xapian::Query rest(Xapian::Query::OP_OR, kids.begin() + 1, kids.end());
      return Xapian::Query(Xapian::Query::OP_AND_NOT, kids[0], rest);
    }
    case PRESSE_Q_PHRASE:
      return Xapian::Query(Xapian::Query::OP_PHRASE, kids.begin(), kids.end(), (Xapian::termcount)kids.size());
    case PRESSE_Q_WILDCARD:
      return Xapian::Query(Xapian::Query::OP_WILDCARD, q->term, 512, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    case PRESSE_Q_DATE_RANGE: {
      char lo[9], hi[9];
      presse_schema_date_encode(q->lo, lo);
      presse_schema_date_encode(q->hi, hi);
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, PRESSE_SLOT_DATE, lo, hi);
    }
    case PRESSE_Q_MATCH_ALL:
      // a new query, not a copy of the static Query::MatchAll: Xapian's reference counts are
      // not atomic, and threads that copy one shared object race on its count (TSan, presse-serve)
      return Xapian::Query(std::string());
    case PRESSE_Q_FILTER: {
      if (kids.empty()) return Xapian::Query();
      Xapian::Query rest(Xapian::Query::OP_AND, kids.begin() + 1, kids.end());
      return Xapian::Query(Xapian::Query::OP_FILTER, kids[0], rest);
    }
    case PRESSE_Q_AND_MAYBE: {
      if (kids.empty()) return Xapian::Query();
      Xapian::Query rest(Xapian::Query::OP_OR, kids.begin() + 1, kids.end());
      return Xapian::Query(Xapian::Query::OP_AND_MAYBE, kids[0], rest);
    }
    case PRESSE_Q_SCALE:
      return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, kids.empty() ? Xapian::Query() : kids[0], q->scale);
  }
  return Xapian::Query();
}

// The number of matches of an MSet fetched with check_at_least = atleast. Fewer matches than
// were checked, or equal bounds: the matcher saw them all, and the lower bound is the count (with
// duplicates collapsed, Xapian's estimate can still be above it). Otherwise the estimate.
unsigned long long count_of(const Xapian::MSet &ms, Xapian::doccount atleast, bool *exact) {
  Xapian::doccount lo = ms.get_matches_lower_bound();
  *exact = lo < atleast || lo == ms.get_matches_upper_bound();
  return *exact ? lo : ms.get_matches_estimated();
}

// presse-serve's facets beside the entities, on value slots too, so that remote shards count
// them with ValueCountMatchSpy: the issuer (slot PRESSE_SLOT_ISSUER: the folded name of its
// whole-name term) and the month (slot 0's YYYYMMDD, counted per day and summed per month).
struct issuer_month_facets {
  Xapian::ValueCountMatchSpy issuers{PRESSE_SLOT_ISSUER}, days{PRESSE_SLOT_DATE};
  void attach(Xapian::Enquire &enq) {
    enq.add_matchspy(&issuers);
    enq.add_matchspy(&days);
  }
  // The n most frequent issuers as facets of type "ISSUER", named as the first document with that
  // issuer spells it, and every month in order.
  void collect(Xapian::Database &x, unsigned n, presse_hits &h) const {
    std::vector<std::pair<std::string, unsigned long long>> f;
    for (auto v = issuers.values_begin(); v != issuers.values_end(); ++v) f.push_back({*v, v.get_termfreq()});
    std::stable_sort(f.begin(), f.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    if (f.size() > n) f.resize(n);
    for (auto &kv : f) {
      const presse_field *issuer = PRESSE_FIELD(PRESSE_F_ISSUER);
      std::string term = issuer->whole_prefix + kv.first;
      auto p = x.postlist_begin(term);
      std::string name;
      if (p != x.postlist_end(term)) {
        std::string data = x.get_document(*p).get_data();
        json_t *j = json_loadb(data.data(), data.size(), 0, nullptr);
        const char *v = json_string_value(json_object_get(j, PRESSE_STORED_ISSUER));
        if (v) name = v;
        json_decref(j);
      }
      if (name.empty()) name = kv.first;
      h.facets.push_back({issuer->type, name, kv.second});
    }
    std::map<unsigned, unsigned long long> months;
    for (auto v = days.values_begin(); v != days.values_end(); ++v)
      if ((*v).size() == 8) months[(unsigned)std::strtoul((*v).substr(0, 6).c_str(), nullptr, 10)] += v.get_termfreq();
    h.months.assign(months.begin(), months.end());
  }
};

unsigned long long dir_bytes(const std::string &path) {
  unsigned long long n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(path, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2)) n += it->file_size(ec2);
  }
  return n;
}

// ---- Sharded databases (issue 12) ----
// A sharded database is a folder of Xapian databases (shard0, shard1, ...) with a Xapian stub
// file XAPIANDB beside them ("auto shard0" per line), or any stub file, which may also list
// shards behind xapian-tcpsrv ("remote HOST:PORT"). Plain Xapian opens either; presse reads the
// stub itself to open remote shards with its own timeouts, to name a shard that fails and to
// search on without it when asked. Documents go to shard FNV-1a(id term) mod N, so a re-added
// document replaces itself in its own shard and remove finds it there.

constexpr unsigned kMaxShards = 1024;

// The stub of path, if path is a sharded database: a folder with XAPIANDB, or a regular file.
bool stub_of(const std::string &path, std::string &stub) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    std::string s = path + "/XAPIANDB";
    if (std::filesystem::is_regular_file(s, ec)) {
      stub = s;
      return true;
    }
    return false;
  }
  if (std::filesystem::is_regular_file(path, ec)) {
    stub = path;
    return true;
  }
  return false;
}

// Parses a Xapian stub file (the subset presse writes and documents): blank lines, '#' comments,
// "auto|glass|chert PATH" (relative to the stub's folder) and "remote HOST:PORT".
int read_stub(const std::string &stub, std::vector<shard_spec> &out, std::string &err) {
  FILE *f = std::fopen(stub.c_str(), "r");
  if (!f) {
    err = "cannot read the stub file '" + stub + "': " + std::strerror(errno);
    return PRESSE_EIO;
  }
  std::string base = std::filesystem::path(stub).parent_path().string();
  char buf[4096];
  unsigned lineno = 0;
  int rc = PRESSE_OK;
  while (rc == PRESSE_OK && std::fgets(buf, sizeof buf, f)) {
    lineno++;
    std::string line(buf);
    while (!line.empty() && std::isspace((unsigned char)line.back())) line.pop_back();
    size_t a = 0;
    while (a < line.size() && std::isspace((unsigned char)line[a])) a++;
    if (a == line.size() || line[a] == '#') continue;
    size_t sp = line.find_first_of(" \t", a);
    std::string kind = line.substr(a, sp == std::string::npos ? std::string::npos : sp - a);
    std::string arg = sp == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", sp));
    auto bad = [&](const std::string &why) {
      err = "stub file '" + stub + "', line " + std::to_string(lineno) + ": " + why;
      rc = PRESSE_EINVAL;
    };
    shard_spec s;
    s.name = arg;
    if (arg.empty()) {
      bad("'" + kind + "' needs an argument");
    } else if (kind == "auto" || kind == "glass" || kind == "chert") {
      s.path = arg[0] == '/' || base.empty() ? arg : base + "/" + arg;
      out.push_back(s);
    } else if (kind == "remote") {
      size_t colon = arg.rfind(':');
      char *end = nullptr;
      unsigned long port = colon == std::string::npos ? 0 : std::strtoul(arg.c_str() + colon + 1, &end, 10);
      if (colon == std::string::npos || colon == 0 || !end || *end || port == 0 || port > 65535)
        bad("'remote " + arg + "' is not HOST:PORT (presse speaks to xapian-tcpsrv only)");
      else {
        s.remote = true;
        s.host = arg.substr(0, colon);
        s.port = (unsigned)port;
        out.push_back(s);
      }
    } else {
      bad("unknown database type '" + kind + "' (auto, glass, chert or remote)");
    }
  }
  std::fclose(f);
  if (rc == PRESSE_OK && out.empty()) {
    err = "stub file '" + stub + "' lists no shards";
    rc = PRESSE_EINVAL;
  }
  if (rc == PRESSE_OK && out.size() > kMaxShards) {
    err = "stub file '" + stub + "' lists more than " + std::to_string(kMaxShards) + " shards";
    rc = PRESSE_EINVAL;
  }
  return rc;
}

// How long a remote shard may take to connect and to answer each message, in milliseconds:
// $PRESSE_SHARD_TIMEOUT, else 10 s (Xapian's default). A shard that takes longer is down.
unsigned shard_timeout_ms() {
  const char *e = std::getenv("PRESSE_SHARD_TIMEOUT");
  char *end = nullptr;
  unsigned long v = e && *e ? std::strtoul(e, &end, 10) : 0;
  return v > 0 && end && !*end && v < 3600000 ? (unsigned)v : 10000;
}

Xapian::Database open_shard(const shard_spec &s) {
  if (!s.remote) return Xapian::Database(s.path);
  unsigned t = shard_timeout_ms();
  return Xapian::Remote::open(s.host, s.port, t, t);
}

std::string shard_label(const presse_db *db, size_t i) {
  return "shard " + std::to_string(i + 1) + " of " + std::to_string(db->shards.size()) + " ('" + db->shards[i].name +
         "' in " + db->stub + ")";
}

// Rebuilds the combined database from the shards that are up.
void combine(presse_db *db) {
  std::unique_ptr<Xapian::Database> all(new Xapian::Database);
  for (auto &s : db->sub)
    if (s) all->add_database(*s);
  db->db = std::move(all);
}

// (Re)connects shard i; false and the reason in suberr[i] when it is down.
bool connect_shard(presse_db *db, size_t i) {
  std::string err;
  int rc = catch_all(db->shards[i].name, err, [&] {
    std::unique_ptr<Xapian::Database> d(new Xapian::Database(open_shard(db->shards[i])));
    if (db->shards[i].remote) d->get_doccount();  // a round trip: the server answers
    db->sub[i] = std::move(d);
    return (int)PRESSE_OK;
  });
  if (rc == PRESSE_OK) return true;
  db->sub[i].reset();
  db->suberr[i] = err;
  db->downat[i] = std::chrono::steady_clock::now();
  return false;
}

// Opens every shard of a stub for reading. Shards that are down are left out (a search may go on
// without them when asked); it fails only when none is up.
int open_shards_read(presse_db *db) {
  db->sub.resize(db->shards.size());
  db->suberr.assign(db->shards.size(), std::string());
  db->downat.resize(db->shards.size());
  size_t up = 0;
  for (size_t i = 0; i < db->shards.size(); i++) up += connect_shard(db, i);
  if (!up) {
    db->err = shard_label(db, 0) + " is unavailable: " + db->suberr[0];
    return PRESSE_EDB;
  }
  combine(db);
  return PRESSE_OK;
}

// Reconnects the shards that were down; then, unless partial results are allowed, every shard
// must be up: the error names the first that is not.
int shards_ready(presse_db *db, bool partial) {
  bool changed = false;
  auto now = std::chrono::steady_clock::now();
  for (size_t i = 0; i < db->sub.size(); i++)  // not again within a second: a dead host costs a timeout
    if (!db->sub[i] && now - db->downat[i] >= std::chrono::seconds(1) && connect_shard(db, i)) changed = true;
  if (changed) combine(db);
  size_t up = 0;
  for (size_t i = 0; i < db->sub.size(); i++) {
    if (db->sub[i]) {
      up++;
    } else if (!partial) {
      db->err = shard_label(db, i) + " is unavailable: " + db->suberr[i];
      return PRESSE_EDB;
    }
  }
  if (!up) {
    db->err = "no shard of " + db->stub + " is available: " + db->suberr[0];
    return PRESSE_EDB;
  }
  return PRESSE_OK;
}

// Runs f over the combined shards. A network error (a shard server gone, or a connection that
// xapian-tcpsrv dropped when idle) reconnects every remote shard and runs f again; the shards
// that do not answer are marked down, so the error names them, or with partial, f runs on the
// others. failed gets the shards left out.
template <typename F>
int over_shards(presse_db *db, bool partial, std::vector<std::string> *failed, F &&f) {
  if (db->shards.empty() || db->wdb || !db->wsub.empty()) return f();
  for (int attempt = 0;; attempt++) {
    if (int rc = shards_ready(db, partial)) return rc;
    try {
      int rc = f();
      if (failed)
        for (size_t i = 0; i < db->sub.size(); i++)
          if (!db->sub[i]) failed->push_back(db->shards[i].name);
      return rc;
    } catch (const Xapian::NetworkError &) {
      if (attempt >= 2) throw;
      for (size_t i = 0; i < db->sub.size(); i++)
        if (db->shards[i].remote) connect_shard(db, i);
      combine(db);
    }
  }
}

// Every shard must be up for what is not a search (stats, list, terms).
template <typename F>
int all_shards(presse_db *db, F &&f) {
  return over_shards(db, false, nullptr, f);
}

// 64-bit FNV-1a of the id term, modulo the shard count: the shard a document lives in.
unsigned shard_of_term(const char *term, size_t len, unsigned n) {
  uint64_t h = presse_fnv1a(PRESSE_FNV1A_INIT, term, len);
  return n ? (unsigned)(h % n) : 0;
}

// Opens a local sharded database for writing: one handle per shard.
int open_shards_write(presse_db *db) {
  for (const auto &s : db->shards)
    if (s.remote) {
      db->err = "'" + db->path + "' lists the remote shard '" + s.name +
                "': index on that shard's machine (presse-index --db SHARD add ...)";
      return PRESSE_EINVAL;
    }
  std::unique_ptr<Xapian::Database> all(new Xapian::Database);
  for (const auto &s : db->shards) {
    presse_db *sub = nullptr;
    int rc = presse_db_open(&sub, s.path.c_str(), PRESSE_DB_WRITE);
    if (rc != PRESSE_OK) {
      db->err = "shard '" + s.name + "' of " + db->path + ": " + presse_db_errmsg(sub);
      presse_db_close(sub);
      return rc;
    }
    db->wsub.push_back(sub);
    all->add_database(*sub->db);
  }
  db->db = std::move(all);
  return PRESSE_OK;
}

// Runs f on every shard's handle of a writable sharded database; the first failure wins.
template <typename F>
int each_wshard(presse_db *db, F &&f) {
  int first = PRESSE_OK;
  for (presse_db *s : db->wsub) {
    int rc = f(s);
    if (rc && !first) {
      first = rc;
      db->err = s->err;
    }
  }
  return first;
}

// ---- Facets on value slots ----
// Entity facets are counted by Xapian's own ValueCountMatchSpy, which xapian-tcpsrv runs on each
// shard and whose counts the client adds up (a custom MatchSpy is refused by remote shards).
// A ValueCountMatchSpy counts one value per slot and document, so the k-th entity of a document
// (by mentions) is in slot PRESSE_SLOT_ENTITY0 + k, one spy per slot in use, and an entity's
// count is the sum over the slots: exact, as no document names an entity twice.
void add_entity_values(Xapian::Document &xd, const char *v, size_t len) {
  struct ent {
    std::string key;  // "TYPE\tname"
    unsigned long mentions;
  };
  std::vector<ent> es;
  presse_schema_entities_each(
      v, len,
      [](void *ctx, const char *type, size_t tlen, const char *name, size_t nlen, unsigned long long mentions) {
        std::string key(type, tlen);
        key += '\t';
        key.append(name, nlen);
        static_cast<std::vector<ent> *>(ctx)->push_back({key, (unsigned long)mentions});
        return 0;
      },
      &es);
  std::stable_sort(es.begin(), es.end(), [](const ent &a, const ent &b) { return a.mentions > b.mentions; });
  for (size_t k = 0; k < es.size() && k < PRESSE_ENTITY_SLOTS; k++) xd.add_value(PRESSE_SLOT_ENTITY0 + (unsigned)k, es[k].key);
}

// The entity slots that some document fills (slot k is filled only where slot k-1 is).
unsigned entity_slots_used(const Xapian::Database &x) {
  unsigned n = 0;
  while (n < PRESSE_ENTITY_SLOTS && x.get_value_freq(PRESSE_SLOT_ENTITY0 + n) > 0) n++;
  return n;
}

struct entity_facets {
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  void attach(Xapian::Enquire &enq, const Xapian::Database &x) {
    for (unsigned k = 0, n = entity_slots_used(x); k < n; k++) {
      spies.emplace_back(new Xapian::ValueCountMatchSpy(PRESSE_SLOT_ENTITY0 + k));
      enq.add_matchspy(spies.back().get());
    }
  }
  // The keep most frequent entities of each type into h: most documents first; among equals, the
  // more prominent (a lower slot is a higher rank by mentions in its document), then by name.
  void collect(unsigned keep, presse_hits &h) const {
    struct tally {
      unsigned long long docs = 0, prominence = 0;
    };
    std::map<std::string, tally> counts;  // "TYPE\tname"
    for (size_t k = 0; k < spies.size(); k++)
      for (auto v = spies[k]->values_begin(); v != spies[k]->values_end(); ++v) {
        tally &t = counts[*v];
        t.docs += v.get_termfreq();
        t.prominence += v.get_termfreq() * (PRESSE_ENTITY_SLOTS - k);
      }
    for (const presse_field &fld : presse_schema_fields) {
      if (fld.ner_type < 0) continue;  // the NER types, in the schema's order
      const char *type = fld.type;
      std::vector<std::pair<presse_hits::facet, unsigned long long>> f;
      std::string pre = std::string(type) + "\t";
      for (auto it = counts.lower_bound(pre); it != counts.end() && it->first.compare(0, pre.size(), pre) == 0; ++it)
        f.push_back({{type, it->first.substr(pre.size()), it->second.docs}, it->second.prominence});
      std::stable_sort(f.begin(), f.end(), [](const auto &x, const auto &y) {
        return x.first.count != y.first.count ? x.first.count > y.first.count : x.second > y.second;
      });
      if (f.size() > keep) f.resize(keep);
      for (auto &x : f) h.facets.push_back(x.first);
    }
  }
};

}  // namespace

extern "C" {

// Xapian's own consistency check (what xapian-check runs) of the database in dir, at its
// committed revision (read from the version file: a table checked alone was taken at blocks an
// interrupted commit had left, and a database that survived kill -9 looked damaged): the B-tree
// structure of each block (item bounds, key order), not the payload. Damage that it finds made
// libxapian crash (a stats walk) or overflow a heap buffer (a commit). Without full, a database
// over kCheckBytes on disk is not checked (presse-index check does it). Returns the first
// problem, or "" when there is none.
constexpr unsigned long long kCheckBytes = 2ull << 30;

static std::string check_tables(const std::string &dir, bool full) {
  std::error_code ec;
  if (!std::filesystem::exists(dir + "/iamglass", ec)) return std::string();  // new, or not glass
  if (!full) {
    unsigned long long bytes = 0;
    for (const auto &f : std::filesystem::directory_iterator(dir, ec)) bytes += f.file_size(ec);
    if (bytes > kCheckBytes) return std::string();
  }
  try {
    std::ostringstream sink;  // xapian-check's report, not ours to print
    if (Xapian::Database::check(dir, 0, &sink) != 0) return "inconsistent tables";
  } catch (const Xapian::Error &e) {
    return e.get_msg();
  }
  return std::string();
}

static int damaged(presse_db *db, const std::string &why) {
  db->err = "database '" + db->path + "' is damaged (" + why + "); xapian-check '" + db->path +
            "' says more: restore it from a backup or index the releases again into a new database";
  return PRESSE_EDB;
}

int presse_db_check(presse_db *db, int full) {
  if (!db) return PRESSE_EINVAL;
  return guard(db, [&] {
    if (!db->wdb && db->db->locked()) return (int)PRESSE_OK;  // a writer is at work: its open checked
    Xapian::rev before = db->db->get_revision();
    std::string why = check_tables(db->path, full != 0);
    if (!why.empty() && !db->wdb) {
      // Xapian's check is not safe against a commit running beside it (blocks are reused): a
      // writer that started or committed meanwhile makes the finding worthless, not the database
      db->db->reopen();
      if (db->db->locked() || db->db->get_revision() != before) return (int)PRESSE_OK;
    }
    return why.empty() ? (int)PRESSE_OK : damaged(db, why);
  });
}

int presse_db_open(presse_db **out, const char *path, int mode) {
  *out = nullptr;
  presse_db *db;
  try {
    db = new presse_db;
    db->path = path;
  } catch (...) {
    return PRESSE_ENOMEM;
  }
  *out = db;
  return guard(db, [&] {
    if (stub_of(path, db->stub)) {  // a sharded database
      if (int rc = read_stub(db->stub, db->shards, db->err)) return rc;
      return mode == PRESSE_DB_WRITE ? open_shards_write(db) : open_shards_read(db);
    }
    if (mode == PRESSE_DB_WRITE) {
      auto *w = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
      db->db.reset(w);
      db->wdb = w;
      // with the lock held nothing changes under the check; a damaged table is refused before a
      // commit writes into it
      std::string why = check_tables(path, false);
      if (!why.empty()) return damaged(db, why);
    } else {
      std::error_code ec;
      if (!std::filesystem::exists(path, ec)) {
        db->err = std::string("no database at '") + path + "'";
        return (int)PRESSE_ENOTFOUND;
      }
      // opened while a writer commits: the revision it began to read can go at once
      for (int tries = 1;; tries++) {
        try {
          db->db.reset(new Xapian::Database(path));
          break;
        } catch (const Xapian::DatabaseModifiedError &) {
          if (tries == kReadTries) throw;
        } catch (const Xapian::DatabaseCorruptError &) {
          if (tries == kReadTries) throw;  // as in guard_read; a real damage stays and is reported
        }
      }
    }
    return (int)PRESSE_OK;
  });
}

void presse_db_close(presse_db *db) {
  if (!db) return;
  guard_nodrain(db, [&] {
    drain(db);  // a failure was reported by the calls before, or goes with the handle
    if (db->wdb) db->wdb->commit();
    if (db->db && db->wsub.empty()) db->db->close();
    return (int)PRESSE_OK;
  });
  stop_writer(db);
  db->db.reset();  // before the shards it reads
  for (presse_db *s : db->wsub) presse_db_close(s);
  delete db;
}

const char *presse_db_errmsg(const presse_db *db) {
  if (!db) return "out of memory";
  return db->err.empty() ? "no error" : db->err.c_str();
}

// After xapian-replicate shipped a whole copy, the revision an open reader has is gone and
// reopen() fails (DatabaseNotFoundError, or an opening error): the reader opens the path again,
// which the replica's stub now points at the new copy.
static void reopen_or_open(std::unique_ptr<Xapian::Database> &d, const std::function<Xapian::Database()> &open) {
  try {
    d->reopen();
  } catch (const Xapian::DatabaseNotFoundError &) {
    d.reset(new Xapian::Database(open()));
  } catch (const Xapian::DatabaseOpeningError &) {
    d.reset(new Xapian::Database(open()));
  }
}

int presse_db_reopen(presse_db *db) {
  return guard_read(db, [&] {
    if (db->wdb || !db->wsub.empty()) return (int)PRESSE_OK;
    if (db->shards.empty()) {
      reopen_or_open(db->db, [&] { return Xapian::Database(db->path); });
      return (int)PRESSE_OK;
    }
    for (size_t i = 0; i < db->sub.size(); i++) {  // each shard; one that fails is down until it is back
      if (!db->sub[i]) continue;
      std::string err;
      if (catch_all(db->shards[i].name, err, [&] {
            reopen_or_open(db->sub[i], [&] { return open_shard(db->shards[i]); });
            return (int)PRESSE_OK;
          }))
        connect_shard(db, i);
    }
    combine(db);
    return (int)PRESSE_OK;
  });
}

static int need_writable(presse_db *db) {
  if (db->wdb || !db->wsub.empty()) return PRESSE_OK;
  db->err = "database '" + db->path + "' is open read-only";
  return PRESSE_EINVAL;
}

// Hands a job to the writer thread (started on first use), waiting while the queue is full. An
// earlier job's failure is returned instead, and this job is not queued.
static int enqueue(presse_db *db, queued_doc &job) {
  if (!db->writer) {
    std::unique_ptr<presse_writer> w(new presse_writer);
    // The writer thread takes no signals: SIGINT/SIGTERM must reach the caller's thread, whose
    // blocking read of stdin they interrupt (presse-index add -).
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    try {
      w->th = std::thread(write_queued, w.get(), db->wdb, db->path);
    } catch (const std::system_error &) {  // no thread to be had: do it here and now
      pthread_sigmask(SIG_SETMASK, &old, nullptr);
      run_job(db->wdb, job);
      return (int)PRESSE_OK;
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    db->writer = std::move(w);
  }
  presse_writer *w = db->writer.get();
  std::unique_lock<std::mutex> lk(w->mu);
  w->room.wait(lk, [w] { return w->q.size() < kQueued; });
  if (int rc = take_failure(db, w)) return rc;
  w->q.push_back(job);
  // Xapian's reference counts are not atomic: the caller's copy goes while the lock is held, so
  // from here on the writer thread holds the only reference.
  job.doc = Xapian::Document();
  w->work.notify_one();
  return (int)PRESSE_OK;
}

int presse_db_put(presse_db *db, const presse_doc *d) {
  if (int rc = need_writable(db)) return rc;
  if (!db->wsub.empty()) {  // to its shard's writer thread
    presse_db *s = db->wsub[shard_of_term(d->id_term.data, d->id_term.len, (unsigned)db->wsub.size())];
    int rc = presse_db_put(s, d);
    if (rc) db->err = s->err;
    return rc;
  }
  return guard_nodrain(db, [&] {
    queued_doc qd;
    qd.idterm.assign(d->id_term.data, d->id_term.len);
    qd.doc = xapian_doc(d);
    return enqueue(db, qd);
  });
}

int presse_db_commit_queued(presse_db *db) {
  if (int rc = need_writable(db)) return rc;
  if (!db->wsub.empty()) return each_wshard(db, presse_db_commit_queued);
  return guard_nodrain(db, [&] {
    queued_doc marker;
    marker.commit = true;
    return enqueue(db, marker);
  });
}

int presse_db_remove(presse_db *db, const char *id) {
  if (int rc = need_writable(db)) return rc;
  presse_buf t = PRESSE_BUF_INIT;
  if (presse_doc_id_term(id, &t) != PRESSE_OK) return PRESSE_ENOMEM;
  std::string term(t.data, t.len);
  presse_buf_free(&t);
  if (!db->wsub.empty()) {
    presse_db *s = db->wsub[shard_of_term(term.data(), term.size(), (unsigned)db->wsub.size())];
    int rc = presse_db_remove(s, id);
    if (rc) db->err = s->err;
    return rc;
  }
  return guard(db, [&] {
    if (!db->wdb->term_exists(term)) {
      db->err = std::string("no document with id '") + id + "'";
      return (int)PRESSE_ENOTFOUND;
    }
    db->wdb->delete_document(term);
    return (int)PRESSE_OK;
  });
}

int presse_db_commit(presse_db *db) {
  if (int rc = need_writable(db)) return rc;
  if (!db->wsub.empty()) return each_wshard(db, presse_db_commit);
  return guard(db, [&] {
    db->wdb->commit();
    return (int)PRESSE_OK;
  });
}

int presse_db_cancel(presse_db *db) {
  if (int rc = need_writable(db)) return rc;
  if (!db->wsub.empty()) return each_wshard(db, presse_db_cancel);
  return guard(db, [&] {
    db->wdb->begin_transaction(false);
    db->wdb->cancel_transaction();
    return (int)PRESSE_OK;
  });
}

// The statistics of one Xapian database (one shard, or all combined); path for the size on disk.
// The two walks keep their place across tries (guard_read reopens after a writer's commit).
struct stats_walk {
  unsigned long long progress = 0, terms = 0, with = 0;
  std::string last_term;
  Xapian::docid next_fp = 0;
  std::unordered_set<std::string> seen;
  int run(Xapian::Database &x, const std::string &path, presse_db_stats *out) {
    out->docs = x.get_doccount();
    out->avg_length = x.get_avlength();
    out->positions = (unsigned long long)(out->avg_length * (double)out->docs + 0.5);
    auto t = x.allterms_begin();
    if (terms) {
      t.skip_to(last_term);
      if (t != x.allterms_end() && *t == last_term) ++t;
    }
    for (; t != x.allterms_end(); ++t, progress++) {
      terms++;
      last_term = *t;
    }
    out->terms = terms;
    std::string lo = x.get_value_lower_bound(PRESSE_SLOT_DATE), hi = x.get_value_upper_bound(PRESSE_SLOT_DATE);
    out->first_date = presse_schema_date_decode(lo.data(), lo.size());
    out->last_date = presse_schema_date_decode(hi.data(), hi.size());
    out->disk_bytes = path.empty() ? 0 : dir_bytes(path);
    // duplicates: one pass over the fingerprint slot (a value stream, no document is read)
    auto v = x.valuestream_begin(PRESSE_SLOT_FINGERPRINT);
    if (next_fp) v.skip_to(next_fp);
    for (; v != x.valuestream_end(PRESSE_SLOT_FINGERPRINT); ++v, progress++) {
      with++;
      seen.insert(*v);
      next_fp = v.get_docid() + 1;
    }
    out->duplicates = with - seen.size();
    return (int)PRESSE_OK;
  }
};

int presse_db_stats_get(presse_db *db, presse_db_stats *out) {
  std::memset(out, 0, sizeof *out);
  stats_walk w;
  return guard_read(db, [&] { return all_shards(db, [&] { return w.run(*db->db, db->path, out); }); }, &w.progress);
}

unsigned presse_db_nshards(const presse_db *db) { return db ? (unsigned)db->shards.size() : 0; }

const char *presse_db_shard_name(const presse_db *db, unsigned i) {
  return db && i < db->shards.size() ? db->shards[i].name.c_str() : nullptr;
}

const char *presse_db_shard_path(const presse_db *db, unsigned i) {
  return db && i < db->shards.size() && !db->shards[i].remote ? db->shards[i].path.c_str() : nullptr;
}

int presse_db_shard_stats_get(presse_db *db, unsigned i, presse_db_stats *out) {
  std::memset(out, 0, sizeof *out);
  if (i >= db->shards.size()) {
    db->err = "'" + db->path + "' has no shard " + std::to_string(i + 1);
    return PRESSE_EINVAL;
  }
  stats_walk w;
  return guard_read(db, [&] {
    const shard_spec &s = db->shards[i];
    if (!db->wsub.empty()) return w.run(*db->wsub[i]->db, s.path, out);
    if (!db->sub[i] && !connect_shard(db, i)) {
      db->err = shard_label(db, i) + " is unavailable: " + db->suberr[i];
      return (int)PRESSE_EDB;
    }
    return w.run(*db->sub[i], s.remote ? std::string() : s.path, out);
  }, &w.progress);
}

unsigned presse_db_shard_of(const char *id, unsigned nshards) {
  presse_buf t = PRESSE_BUF_INIT;
  unsigned k = 0;
  if (presse_doc_id_term(id, &t) == PRESSE_OK) k = shard_of_term(t.data, t.len, nshards);
  presse_buf_free(&t);
  return k;
}

int presse_db_create(presse_db **out, const char *path, unsigned nshards) {
  *out = nullptr;
  std::string p(path), stub, err;
  std::error_code ec;
  int rc = PRESSE_OK;
  if (nshards < 1 || nshards > kMaxShards) {
    err = "the number of shards must be from 1 to " + std::to_string(kMaxShards);
    rc = PRESSE_EINVAL;
  } else if (stub_of(p, stub)) {
    std::vector<shard_spec> have;
    rc = read_stub(stub, have, err);
    if (rc == PRESSE_OK && have.size() != nshards) {
      err = "'" + p + "' already has " + std::to_string(have.size()) +
            " shards; the number is fixed when the database is created (to reshard, index the sources into a "
            "new database with --shards " + std::to_string(nshards) + ")";
      rc = PRESSE_EINVAL;
    }
  } else if (std::filesystem::exists(p + "/iamglass", ec) || std::filesystem::exists(p + "/iamchert", ec)) {
    err = "'" + p + "' is a database of one shard; --shards applies when a database is created (to reshard, index "
          "the sources into a new database with --shards " + std::to_string(nshards) + ")";
    rc = PRESSE_EINVAL;
  } else {
    // the shards first, the stub last: a folder without a stub is no database yet
    try {
      std::filesystem::create_directories(p);
      std::string text = "# presse: " + std::to_string(nshards) +
                         " shards; a document lives in shard FNV-1a(Q term) mod " + std::to_string(nshards) + "\n";
      for (unsigned i = 0; i < nshards; i++) {
        std::string name = "shard" + std::to_string(i);
        Xapian::WritableDatabase w(p + "/" + name, Xapian::DB_CREATE_OR_OPEN);
        w.commit();
        w.close();
        text += "auto " + name + "\n";
      }
      std::string tmp = p + "/XAPIANDB.tmp";
      FILE *f = std::fopen(tmp.c_str(), "w");
      if (!f || std::fputs(text.c_str(), f) < 0 || std::fclose(f) != 0) {
        err = "cannot write '" + tmp + "': " + std::strerror(errno);
        rc = PRESSE_EIO;
      } else {
        std::filesystem::rename(tmp, p + "/XAPIANDB");
      }
    } catch (const Xapian::Error &e) {
      err = "cannot create '" + p + "': " + e.get_msg();
      rc = PRESSE_EDB;
    } catch (const std::exception &e) {
      err = "cannot create '" + p + "': " + e.what();
      rc = PRESSE_EIO;
    } catch (...) {
      err = "cannot create '" + p + "'";
      rc = PRESSE_EDB;
    }
  }
  if (rc != PRESSE_OK) {
    try {
      *out = new presse_db;
      (*out)->err = err;
    } catch (...) {
    }
    return rc;
  }
  return presse_db_open(out, path, PRESSE_DB_WRITE);
}

int presse_db_each(presse_db *db, presse_db_doc_cb cb, void *ctx) {
  Xapian::docid next = 1;  // where a try after a reopen goes on
  unsigned long long progress = 0;
  return guard_read(db, [&] { return all_shards(db, [&] {
    Xapian::Database &x = *db->db;
    auto p = x.postlist_begin("");
    if (next > 1) p.skip_to(next);
    for (; p != x.postlist_end(""); ++p) {
      Xapian::Document doc = x.get_document(*p);
      std::string id;
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        t.skip_to(PRESSE_PREFIX_ID);
        if (t != doc.termlist_end() && (*t)[0] == PRESSE_PREFIX_ID[0]) id = (*t).substr(1);
        break;
      }
      std::string data = doc.get_data();
      next = *p + 1;
      progress++;
      if (cb(ctx, id.c_str(), data.c_str(), data.size())) return (int)PRESSE_EABORT;
    }
    return (int)PRESSE_OK;
  }); }, &progress);
}

int presse_db_search(presse_db *db, const presse_qnode *q, const presse_search_opts *opts, presse_hits **out) {
  *out = nullptr;
  return guard_read(db, [&] {
    std::unique_ptr<presse_hits> h(new presse_hits);
    if (!q) {
      *out = h.release();
      return (int)PRESSE_OK;
    }
    bool partial = opts && opts->partial;
    int rc = over_shards(db, partial, &h->failed, [&] {
      h->hits.clear();
      h->facets.clear();
      h->failed.clear();
      Xapian::Enquire enq(*db->db);
      enq.set_query(build(q));
      double k1 = opts && opts->bm25_k1 > 0 ? opts->bm25_k1 : kDefaultK1;
      double b = opts && opts->bm25_b > 0 ? opts->bm25_b : kDefaultB;
      enq.set_weighting_scheme(Xapian::BM25Weight(k1, 0, 1, b, 0.5));
      if (opts && opts->sort == PRESSE_SORT_DATE) enq.set_sort_by_value_then_relevance(PRESSE_SLOT_DATE, true);
      if (opts && opts->sort == PRESSE_SORT_DATE_ASC) enq.set_sort_by_value_then_relevance(PRESSE_SLOT_DATE, false);
      // the same release as HTML and PDF, or added twice: one hit, the best-ranked copy
      if (!(opts && opts->no_collapse)) enq.set_collapse_key(PRESSE_SLOT_FINGERPRINT);
      unsigned offset = opts ? opts->offset : 0, limit = opts && opts->limit ? opts->limit : 10;
      entity_facets ef;
      issuer_month_facets imf;
      // Up to 100 matches, and on a page that is not full, every match is seen, so the total is
      // exact: paging shows the same count on every page, and query/search.c starts its second
      // tier where the first ends. Facets need every match.
      Xapian::doccount exact = opts && opts->exact_total ? opts->exact_total : kExactTotal;
      Xapian::doccount atleast = std::max<Xapian::doccount>(offset + limit, exact);
      if (opts && opts->facets) {
        ef.attach(enq, *db->db);
        imf.attach(enq);
        atleast = db->db->get_doccount();
      }
      Xapian::MSet ms = enq.get_mset(offset, limit, atleast);
      h->total = count_of(ms, atleast, &h->total_exact);
      // Xapian's estimate depends on how far the matcher went, and so on the page; an estimate
      // that moves with --offset is no count, so it comes from a pass of its own.
      if (!h->total_exact) h->total = count_of(enq.get_mset(0, 0, exact), exact, &h->total_exact);
      if (!ms.empty()) ms.fetch(ms.begin(), ms.end());  // remote shards: every hit's document requested at once, not one round trip each
      for (auto it = ms.begin(); it != ms.end(); ++it)
        h->hits.push_back({*it, it.get_weight(), it.get_document().get_data(), it.get_collapse_count(), {}});
      if (opts && opts->facets) {
        ef.collect(opts->facets, *h);
        imf.collect(*db->db, opts->facets, *h);
      }
      return (int)PRESSE_OK;
    });
    if (rc == PRESSE_OK) *out = h.release();
    return rc;
  });
}

void presse_hits_free(presse_hits *h) { delete h; }

int presse_hits_append(presse_hits *dst, presse_hits *src) {
  std::unique_ptr<presse_hits> own(src);
  if (!src) return (int)PRESSE_OK;
  try {
    dst->hits.reserve(dst->hits.size() + src->hits.size());
  } catch (...) {
    return (int)PRESSE_ENOMEM;
  }
  for (auto &x : src->hits) dst->hits.push_back(std::move(x));  // no throw: room reserved
  dst->total += src->total;
  dst->total_exact = dst->total_exact && src->total_exact;
  if (dst->facets.empty()) dst->facets.swap(src->facets);
  if (dst->months.empty()) dst->months.swap(src->months);
  for (auto &f : src->failed)
    if (std::find(dst->failed.begin(), dst->failed.end(), f) == dst->failed.end()) dst->failed.push_back(f);
  return (int)PRESSE_OK;
}
size_t presse_hits_nfacets(const presse_hits *h) { return h ? h->facets.size() : 0; }
int presse_hits_facets_recount(presse_hits *h, presse_facet_recount_cb recount, void *ctx) {
  if (!h) return (int)PRESSE_OK;
  for (auto &f : h->facets)
    if (int rc = recount(ctx, f.type.c_str(), f.name.c_str(), &f.count)) return rc;
  // facets are grouped by type (search order); each group by count, ties in their old order
  for (size_t a = 0; a < h->facets.size();) {
    size_t b = a;
    while (b < h->facets.size() && h->facets[b].type == h->facets[a].type) b++;
    std::stable_sort(h->facets.begin() + (long)a, h->facets.begin() + (long)b,
                     [](const presse_hits::facet &x, const presse_hits::facet &y) { return x.count > y.count; });
    a = b;
  }
  return (int)PRESSE_OK;
}
int presse_hits_partial(const presse_hits *h) { return h && !h->failed.empty(); }
size_t presse_hits_nfailed(const presse_hits *h) { return h ? h->failed.size() : 0; }
const char *presse_hits_failed(const presse_hits *h, size_t i) { return h->failed[i].c_str(); }
const char *presse_hits_facet(const presse_hits *h, size_t i, const char **type, unsigned long long *count) {
  if (type) *type = h->facets[i].type.c_str();
  if (count) *count = h->facets[i].count;
  return h->facets[i].name.c_str();
}
size_t presse_hits_count(const presse_hits *h) { return h ? h->hits.size() : 0; }
unsigned long long presse_hits_total(const presse_hits *h) { return h ? h->total : 0; }
int presse_hits_total_exact(const presse_hits *h) { return h ? h->total_exact : 1; }
double presse_hits_weight(const presse_hits *h, size_t i) { return h->hits[i].weight; }
unsigned presse_hits_docid(const presse_hits *h, size_t i) { return h->hits[i].did; }
unsigned long long presse_hits_collapsed(const presse_hits *h, size_t i) { return h->hits[i].collapsed; }
const char *presse_hits_data(const presse_hits *h, size_t i, size_t *len) {
  if (len) *len = h->hits[i].data.size();
  return h->hits[i].data.c_str();
}

// The decoded stored data of hit i, or NULL when there is no hit i.
static const json_t *hit_doc(const presse_hits *h, size_t i) {
  if (!h || i >= h->hits.size()) return nullptr;
  const presse_hits::hit &x = h->hits[i];
  if (!x.doc.j) {
    x.doc.j = json_loadb(x.data.data(), x.data.size(), 0, nullptr);
    if (!x.doc.j || !json_is_object(x.doc.j)) {
      json_decref(x.doc.j);
      x.doc.j = json_object();
    }
  }
  return x.doc.j;
}

static const char *hit_str(const presse_hits *h, size_t i, const char *key) {
  return json_string_value(json_object_get(hit_doc(h, i), key));
}

const char *presse_hits_id(const presse_hits *h, size_t i) { return hit_str(h, i, PRESSE_STORED_ID); }
const char *presse_hits_path(const presse_hits *h, size_t i) { return hit_str(h, i, PRESSE_STORED_PATH); }
const char *presse_hits_title(const presse_hits *h, size_t i) { return hit_str(h, i, PRESSE_STORED_TITLE); }
const char *presse_hits_date(const presse_hits *h, size_t i) { return hit_str(h, i, PRESSE_STORED_DATE); }
const char *presse_hits_issuer(const presse_hits *h, size_t i) { return hit_str(h, i, PRESSE_STORED_ISSUER); }
const char *presse_hits_format(const presse_hits *h, size_t i) { return hit_str(h, i, PRESSE_STORED_FORMAT); }
const char *presse_hits_link(const presse_hits *h, size_t i) { return hit_str(h, i, PRESSE_STORED_LINK); }
const char *presse_hits_message(const presse_hits *h, size_t i) { return hit_str(h, i, PRESSE_STORED_MESSAGE); }
unsigned presse_hits_ocr_pages(const presse_hits *h, size_t i) {
  return (unsigned)json_integer_value(json_object_get(hit_doc(h, i), PRESSE_STORED_OCR));
}
const char *presse_hits_text(const presse_hits *h, size_t i, size_t *len) {
  const json_t *t = json_object_get(hit_doc(h, i), PRESSE_STORED_TEXT);
  if (len) *len = json_string_length(t);
  return json_string_value(t);
}

static const json_t *hit_array(const presse_hits *h, size_t i, const char *key) {
  const json_t *a = json_object_get(hit_doc(h, i), key);
  return json_is_array(a) ? a : nullptr;
}

static const char *list_key(presse_hit_list list) {
  switch (list) {
    case PRESSE_HIT_EMAILS:
      return PRESSE_STORED_EMAILS;
    case PRESSE_HIT_PHONES:
      return PRESSE_STORED_PHONES;
    case PRESSE_HIT_URLS:
      return PRESSE_STORED_URLS;
  }
  return "";
}

size_t presse_hits_nitems(const presse_hits *h, size_t i, presse_hit_list list) {
  return json_array_size(hit_array(h, i, list_key(list)));
}
const char *presse_hits_item(const presse_hits *h, size_t i, presse_hit_list list, size_t k) {
  return json_string_value(json_array_get(hit_array(h, i, list_key(list)), k));
}

size_t presse_hits_nentities(const presse_hits *h, size_t i) {
  return json_array_size(hit_array(h, i, PRESSE_STORED_ENTITIES));
}
const char *presse_hits_entity(const presse_hits *h, size_t i, size_t k, const char **type, const char **surface,
                               size_t *start, size_t *end) {
  const json_t *e = json_array_get(hit_array(h, i, PRESSE_STORED_ENTITIES), k);
  if (type) *type = json_string_value(json_object_get(e, PRESSE_STORED_ENT_TYPE));
  if (surface) *surface = json_string_value(json_object_get(e, PRESSE_STORED_ENT_SURFACE));
  if (start) *start = (size_t)json_integer_value(json_object_get(e, PRESSE_STORED_ENT_START));
  if (end) *end = (size_t)json_integer_value(json_object_get(e, PRESSE_STORED_ENT_END));
  return json_string_value(json_object_get(e, PRESSE_STORED_ENT_CANONICAL));
}

size_t presse_hits_ncontacts(const presse_hits *h, size_t i) {
  return json_array_size(hit_array(h, i, PRESSE_STORED_CONTACTS));
}
const char *presse_hits_contact(const presse_hits *h, size_t i, size_t k, const char **email, const char **phone) {
  const json_t *c = json_array_get(hit_array(h, i, PRESSE_STORED_CONTACTS), k);
  if (email) *email = json_string_value(json_object_get(c, PRESSE_STORED_CONTACT_EMAIL));
  if (phone) *phone = json_string_value(json_object_get(c, PRESSE_STORED_CONTACT_PHONE));
  return json_string_value(json_object_get(c, PRESSE_STORED_CONTACT_NAME));
}

int presse_db_terms(presse_db *db, const char *prefix, presse_db_term_cb cb, void *ctx) {
  std::string last;  // the last term passed to cb: a try after a reopen goes on behind it
  bool started = false;
  unsigned long long progress = 0;
  return guard_read(db, [&] { return all_shards(db, [&] {
    Xapian::Database &x = *db->db;
    auto t = x.allterms_begin(prefix);
    if (started) {
      t.skip_to(last);
      if (t != x.allterms_end(prefix) && *t == last) ++t;
    }
    for (; t != x.allterms_end(prefix); ++t) {
      std::string s = *t;
      unsigned long long freq = t.get_termfreq();
      last = s;
      started = true;
      progress++;
      if (cb(ctx, s.data(), s.size(), freq)) return (int)PRESSE_EABORT;
    }
    return (int)PRESSE_OK;
  }); }, &progress);
}

unsigned long long presse_db_termfreq(presse_db *db, const char *term) {
  unsigned long long f = 0;
  guard_read(db, [&] { return all_shards(db, [&] {
    f = db->db->get_termfreq(term);
    return (int)PRESSE_OK;
  }); });
  return f;
}

// presse-serve: one release by its id, more like it, the months of the matches.

namespace {
// The docid of the release with this id (its Q term), or PRESSE_ENOTFOUND with the message on db.
int docid_of(presse_db *db, const char *id, Xapian::docid *did, std::string *term) {
  presse_buf t = PRESSE_BUF_INIT;
  if (presse_doc_id_term(id, &t) != PRESSE_OK) return PRESSE_ENOMEM;
  term->assign(t.data, t.len);
  presse_buf_free(&t);
  Xapian::PostingIterator p = db->db->postlist_begin(*term);
  if (p == db->db->postlist_end(*term)) {
    db->err = std::string("no document with id '") + id + "'";
    return PRESSE_ENOTFOUND;
  }
  *did = *p;
  return PRESSE_OK;
}
}  // namespace

int presse_db_get(presse_db *db, const char *id, presse_hits **out) {
  *out = nullptr;
  return guard_read(db, [&] { return all_shards(db, [&] {
    Xapian::docid did;
    std::string term;
    if (int rc = docid_of(db, id, &did, &term)) return rc;
    std::unique_ptr<presse_hits> h(new presse_hits);
    h->hits.push_back({did, 0.0, db->db->get_document(did).get_data(), 0, {}});
    h->total = 1;
    h->total_exact = true;
    *out = h.release();
    return (int)PRESSE_OK;
  }); });
}

namespace {
// Words and stems only: the expand set of a release should not suggest its id, entities or dates.
struct ContentTerms : public Xapian::ExpandDecider {
  bool operator()(const std::string &t) const override {
    if (t.empty() || t.size() < 3) return false;
    unsigned char c = (unsigned char)t[0];
    if (c == 'Z') return t.size() > 3 && !(t[1] >= 'A' && t[1] <= 'Z');
    return !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9');
  }
};
}  // namespace

int presse_db_similar(presse_db *db, const char *id, unsigned limit, presse_hits **out) {
  *out = nullptr;
  return guard_read(db, [&] { return all_shards(db, [&] {
    Xapian::Database &x = *db->db;
    Xapian::docid did;
    std::string term;
    if (int rc = docid_of(db, id, &did, &term)) return rc;
    // Xapian's relevance feedback: the release is the relevance set, its best terms the query
    Xapian::Enquire enq(x);
    Xapian::RSet rset;
    rset.add_document(did);
    ContentTerms decider;
    enq.set_query(Xapian::Query(term));
    Xapian::ESet eset = enq.get_eset(40, rset, &decider);
    std::unique_ptr<presse_hits> h(new presse_hits);
    if (!eset.empty()) {
      // each term weighted by its expand weight, so the release's most telling words decide
      std::vector<Xapian::Query> terms;
      for (auto e = eset.begin(); e != eset.end(); ++e)
        terms.push_back(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(*e), e.get_weight()));
      // not the release itself nor any copy of it (same fingerprint): said in the query, not by a
      // MatchDecider, which remote shards cannot run
      Xapian::Query self(term);
      std::string fp = x.get_document(did).get_value(PRESSE_SLOT_FINGERPRINT);
      if (!fp.empty())
        self = Xapian::Query(Xapian::Query::OP_OR, self,
                             Xapian::Query(Xapian::Query::OP_VALUE_RANGE, PRESSE_SLOT_FINGERPRINT, fp, fp));
      enq.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT,
                                  Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), self));
      enq.set_weighting_scheme(Xapian::BM25Weight(kDefaultK1, 0, 1, kDefaultB, 0.5));
      enq.set_collapse_key(PRESSE_SLOT_FINGERPRINT);
      Xapian::MSet ms = enq.get_mset(0, limit ? limit : 10);
      if (!ms.empty()) ms.fetch(ms.begin(), ms.end());
      for (auto it = ms.begin(); it != ms.end(); ++it)
        h->hits.push_back({*it, it.get_weight(), it.get_document().get_data(), it.get_collapse_count(), {}});
      h->total = ms.get_matches_estimated();
    }
    *out = h.release();
    return (int)PRESSE_OK;
  }); });
}

size_t presse_hits_nmonths(const presse_hits *h) { return h ? h->months.size() : 0; }
unsigned presse_hits_month(const presse_hits *h, size_t i, unsigned long long *count) {
  if (count) *count = h->months[i].second;
  return h->months[i].first;
}

}  // extern "C"
