// The only C++ in presse: a thin extern "C" shim over Xapian (storage, BM25 ranking, value
// ranges). Every entry point catches Xapian::Error (not a std::exception), then std::exception,
// then anything else, keeps the message on the handle and returns a status: no exception ever
// crosses into C. Commits are explicit because Xapian's destructors swallow errors.
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
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

struct presse_db {
  std::unique_ptr<Xapian::Database> db;  // the WritableDatabase when writable
  Xapian::WritableDatabase *wdb = nullptr;
  std::unique_ptr<presse_writer> writer;  // started by the first presse_db_put
  std::string path;
  std::string err;
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
};

namespace {

// BM25 defaults, chosen by measurement on the known-item benchmark (bench/): see README.
constexpr double kDefaultK1 = 1.2;
constexpr double kDefaultB = 0.75;
// Documents the writer thread may have waiting: enough to smooth out one long release, little
// memory (a built Xapian::Document of a release is some kilobytes).
constexpr size_t kQueued = 32;
// Result sets up to this size get an exact count: the matcher checks this many candidates
// before it may stop and estimate. A count is what a journalist quotes, so it is exact where it
// is cheap enough: checking 10,000 candidates of a wide query costs about 1-3 ms on the Berlin
// corpus (bench/README.md), as much as the rest of a search; beyond that the total is an
// estimate and says so (presse_hits_total_exact).
constexpr Xapian::doccount kExactTotal = 10000;

// Runs f and turns whatever it throws into a status and a message in err; path names the
// database in the messages about opening it. No exception leaves. Used on the caller's thread
// (guard) and on the writer thread, which keeps its own message until the caller takes it.
template <typename F>
int catch_all(const std::string &path, std::string &err, F &&f) {
  try {
    return f();
  } catch (const Xapian::DatabaseLockError &e) {
    err = "database '" + path + "' is locked by another writer";
    return PRESSE_ELOCKED;
  } catch (const Xapian::DatabaseNotFoundError &e) {
    err = "no database at '" + path + "'";
    return PRESSE_ENOTFOUND;
  } catch (const Xapian::DatabaseOpeningError &e) {
    err = "cannot open database '" + path + "': " + e.get_msg();
    return PRESSE_ENOTFOUND;
  } catch (const Xapian::Error &e) {
    err = e.get_type() + std::string(": ") + e.get_msg();
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
  if (d->entities.len) xd.add_value(PRESSE_SLOT_ENTITIES, std::string(d->entities.data, d->entities.len));
  if (d->fingerprint[0]) xd.add_value(PRESSE_SLOT_FINGERPRINT, d->fingerprint);
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
// reads as corrupt, a listed document that is not found): real damage fails as often, so fewer.
constexpr int kDamagedTries = 6;

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
  if (tries > 2) std::this_thread::sleep_for(std::chrono::milliseconds(1 << tries));
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
      char lo[16], hi[16];
      snprintf(lo, sizeof lo, "%08u", q->lo);
      snprintf(hi, sizeof hi, "%08u", q->hi);
      return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, PRESSE_SLOT_DATE, lo, hi);
    }
    case PRESSE_Q_MATCH_ALL:
      return Xapian::Query::MatchAll;
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

// Counts the entities of every matching document from the entity value slot. A MatchSpy sees
// each candidate the matcher accepts; with check_at_least = doccount that is all of them, so
// the counts are exact, not estimated from the first page.
class EntitySpy : public Xapian::MatchSpy {
 public:
  struct tally {
    unsigned long long docs = 0, mentions = 0;
  };
  std::map<std::string, tally> counts;  // "TYPE\tname"
  void operator()(const Xapian::Document &doc, double) override {
    std::string v = doc.get_value(PRESSE_SLOT_ENTITIES);
    size_t at = 0;
    while (at < v.size()) {
      size_t nl = v.find('\n', at);
      if (nl == std::string::npos) nl = v.size();
      size_t tab = v.rfind('\t', nl);
      if (nl > at && tab != std::string::npos && tab > at) {
        tally &t = counts[v.substr(at, tab - at)];
        t.docs++;
        t.mentions += std::strtoull(v.c_str() + tab + 1, nullptr, 10);
      }
      at = nl + 1;
    }
  }
};

// presse-serve's facets beside the entities: the issuer of every matching document (its
// XISSUER term; the XISSUERW name-word terms have a capital after the prefix, folded names never
// do) and its month (value slot 0), for the issuer facet and the month histogram.
class IssuerMonthSpy : public Xapian::MatchSpy {
 public:
  std::map<std::string, unsigned long long> issuers;  // XISSUER term -> documents
  std::map<unsigned, unsigned long long> months;      // YYYYMM -> documents
  void operator()(const Xapian::Document &doc, double) override {
    std::string d = doc.get_value(PRESSE_SLOT_DATE);
    if (d.size() == 8) months[(unsigned)std::strtoul(d.substr(0, 6).c_str(), nullptr, 10)]++;
    auto t = doc.termlist_begin();
    t.skip_to("XISSUER");
    for (; t != doc.termlist_end(); ++t) {
      const std::string &term = *t;
      if (term.compare(0, 7, "XISSUER") != 0) break;
      if (term.size() > 7 && term[7] != 'W') issuers[term]++;
    }
  }
};

// The spy's counts into h: the n most frequent issuers as facets of type "ISSUER", named as the
// first document with that issuer spells it (its stored data), and every month in order.
void issuer_month_facets(Xapian::Database &x, const IssuerMonthSpy &spy, unsigned n, presse_hits &h) {
  std::vector<std::pair<std::string, unsigned long long>> f(spy.issuers.begin(), spy.issuers.end());
  std::stable_sort(f.begin(), f.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
  if (f.size() > n) f.resize(n);
  for (auto &kv : f) {
    auto p = x.postlist_begin(kv.first);
    std::string name;
    if (p != x.postlist_end(kv.first)) {
      std::string data = x.get_document(*p).get_data();
      json_t *j = json_loadb(data.data(), data.size(), 0, nullptr);
      const char *v = json_string_value(json_object_get(j, PRESSE_STORED_ISSUER));
      if (v) name = v;
      json_decref(j);
    }
    if (name.empty()) name = kv.first.substr(7);
    h.facets.push_back({"ISSUER", name, kv.second});
  }
  h.months.assign(spy.months.begin(), spy.months.end());
}

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

}  // namespace

extern "C" {

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
    if (mode == PRESSE_DB_WRITE) {
      auto *w = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
      db->db.reset(w);
      db->wdb = w;
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
    if (db->db) db->db->close();
    return (int)PRESSE_OK;
  });
  stop_writer(db);
  delete db;
}

const char *presse_db_errmsg(const presse_db *db) {
  if (!db) return "out of memory";
  return db->err.empty() ? "no error" : db->err.c_str();
}

int presse_db_reopen(presse_db *db) {
  return guard_read(db, [&] {
    if (!db->wdb) db->db->reopen();
    return (int)PRESSE_OK;
  });
}

static int need_writable(presse_db *db) {
  if (db->wdb) return PRESSE_OK;
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
  return guard_nodrain(db, [&] {
    queued_doc qd;
    qd.idterm.assign(d->id_term.data, d->id_term.len);
    qd.doc = xapian_doc(d);
    return enqueue(db, qd);
  });
}

int presse_db_commit_queued(presse_db *db) {
  if (int rc = need_writable(db)) return rc;
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
  return guard(db, [&] {
    db->wdb->commit();
    return (int)PRESSE_OK;
  });
}

int presse_db_cancel(presse_db *db) {
  if (int rc = need_writable(db)) return rc;
  return guard(db, [&] {
    db->wdb->begin_transaction(false);
    db->wdb->cancel_transaction();
    return (int)PRESSE_OK;
  });
}

int presse_db_stats_get(presse_db *db, presse_db_stats *out) {
  std::memset(out, 0, sizeof *out);
  // the two walks keep their place across tries (guard_read)
  unsigned long long progress = 0, terms = 0, with = 0;
  std::string last_term;
  Xapian::docid next_fp = 0;
  std::unordered_set<std::string> seen;
  return guard_read(db, [&] {
    Xapian::Database &x = *db->db;
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
    if (lo.size() == 8) out->first_date = (unsigned)std::stoul(lo);
    if (hi.size() == 8) out->last_date = (unsigned)std::stoul(hi);
    out->disk_bytes = dir_bytes(db->path);
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
  }, &progress);
}

int presse_db_each(presse_db *db, presse_db_doc_cb cb, void *ctx) {
  Xapian::docid next = 1;  // where a try after a reopen goes on
  unsigned long long progress = 0;
  return guard_read(db, [&] {
    Xapian::Database &x = *db->db;
    auto p = x.postlist_begin("");
    if (next > 1) p.skip_to(next);
    for (; p != x.postlist_end(""); ++p) {
      Xapian::Document doc = x.get_document(*p);
      std::string id;
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
        t.skip_to("Q");
        if (t != doc.termlist_end() && (*t)[0] == 'Q') id = (*t).substr(1);
        break;
      }
      std::string data = doc.get_data();
      next = *p + 1;
      progress++;
      if (cb(ctx, id.c_str(), data.c_str(), data.size())) return (int)PRESSE_EABORT;
    }
    return (int)PRESSE_OK;
  }, &progress);
}

int presse_db_search(presse_db *db, const presse_qnode *q, const presse_search_opts *opts, presse_hits **out) {
  *out = nullptr;
  return guard_read(db, [&] {
    std::unique_ptr<presse_hits> h(new presse_hits);
    if (q) {
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
      EntitySpy spy;
      IssuerMonthSpy spy2;
      // Up to 100 matches, and on a page that is not full, every match is seen, so the total is
      // exact: paging shows the same count on every page, and query/search.c starts its second
      // tier where the first ends. Facets need every match.
      Xapian::doccount exact = opts && opts->exact_total ? opts->exact_total : kExactTotal;
      Xapian::doccount atleast = std::max<Xapian::doccount>(offset + limit, exact);
      if (opts && opts->facets) {
        enq.add_matchspy(&spy);
        enq.add_matchspy(&spy2);
        atleast = db->db->get_doccount();
      }
      Xapian::MSet ms = enq.get_mset(offset, limit, atleast);
      h->total = count_of(ms, atleast, &h->total_exact);
      // Xapian's estimate depends on how far the matcher went, and so on the page; an estimate
      // that moves with --offset is no count, so it comes from a pass of its own.
      if (!h->total_exact) h->total = count_of(enq.get_mset(0, 0, exact), exact, &h->total_exact);
      for (auto it = ms.begin(); it != ms.end(); ++it)
        h->hits.push_back({*it, it.get_weight(), it.get_document().get_data(), it.get_collapse_count(), {}});
      if (opts && opts->facets) {
        for (const char *type : {"PER", "ORG", "LOC"}) {
          std::vector<std::pair<presse_hits::facet, unsigned long long>> f;
          std::string pre = std::string(type) + "\t";
          for (const auto &kv : spy.counts)
            if (kv.first.compare(0, pre.size(), pre) == 0)
              f.push_back({{type, kv.first.substr(pre.size()), kv.second.docs}, kv.second.mentions});
          // most documents first; among equals, the most mentioned
          std::stable_sort(f.begin(), f.end(), [](const auto &x, const auto &y) {
            return x.first.count != y.first.count ? x.first.count > y.first.count : x.second > y.second;
          });
          if (f.size() > opts->facets) f.resize(opts->facets);
          for (auto &x : f) h->facets.push_back(x.first);
        }
        issuer_month_facets(*db->db, spy2, opts->facets, *h);
      }
    }
    *out = h.release();
    return (int)PRESSE_OK;
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
  return guard_read(db, [&] {
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
  }, &progress);
}

unsigned long long presse_db_termfreq(presse_db *db, const char *term) {
  unsigned long long f = 0;
  guard_read(db, [&] {
    f = db->db->get_termfreq(term);
    return (int)PRESSE_OK;
  });
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
  return guard_read(db, [&] {
    Xapian::docid did;
    std::string term;
    if (int rc = docid_of(db, id, &did, &term)) return rc;
    std::unique_ptr<presse_hits> h(new presse_hits);
    h->hits.push_back({did, 0.0, db->db->get_document(did).get_data(), 0, {}});
    h->total = 1;
    h->total_exact = true;
    *out = h.release();
    return (int)PRESSE_OK;
  });
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
// Not the release itself nor any copy of it (same fingerprint).
struct NotCopy : public Xapian::MatchDecider {
  Xapian::docid self;
  std::string fp;
  bool operator()(const Xapian::Document &d) const override {
    return d.get_docid() != self && (fp.empty() || d.get_value(PRESSE_SLOT_FINGERPRINT) != fp);
  }
};
}  // namespace

int presse_db_similar(presse_db *db, const char *id, unsigned limit, presse_hits **out) {
  *out = nullptr;
  return guard_read(db, [&] {
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
      enq.set_query(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
      enq.set_weighting_scheme(Xapian::BM25Weight(kDefaultK1, 0, 1, kDefaultB, 0.5));
      enq.set_collapse_key(PRESSE_SLOT_FINGERPRINT);
      NotCopy nc;
      nc.self = did;
      nc.fp = x.get_document(did).get_value(PRESSE_SLOT_FINGERPRINT);
      Xapian::MSet ms = enq.get_mset(0, limit ? limit : 10, 0, nullptr, &nc);
      for (auto it = ms.begin(); it != ms.end(); ++it)
        h->hits.push_back({*it, it.get_weight(), it.get_document().get_data(), it.get_collapse_count(), {}});
      h->total = ms.get_matches_estimated();
    }
    *out = h.release();
    return (int)PRESSE_OK;
  });
}

size_t presse_hits_nmonths(const presse_hits *h) { return h ? h->months.size() : 0; }
unsigned presse_hits_month(const presse_hits *h, size_t i, unsigned long long *count) {
  if (count) *count = h->months[i].second;
  return h->months[i].first;
}

}  // extern "C"
