"""presse-serve while releases arrive: a release that presse-index commits while the server runs
is found within 2 s without a restart, and is first in the Atom feed of the person it names; then
many clients at once while presse-index keeps adding: no error, no wrong result, counts that
only grow. Bounded in requests and time; the server is started on a free loopback port and
stopped by PID.
usage: serve_live.py PRESSE-INDEX PRESSE-QUERY PRESSE-SERVE SOURCE-DIR"""
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_util import SEED, Checks, Server, build_db, cleanup, q, tmpdir  # noqa: E402

import feedparser  # noqa: E402

INDEX, QUERY, SERVE, SRC = sys.argv[1:5]
t = Checks("serve_live")
tmp = tmpdir()
db = os.path.join(tmp, "db")
build_db(INDEX, SRC, db)
srv = Server(SERVE, db, threads=4)


def add_jsonl(records, name):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return subprocess.run([INDEX, "--db", db, "-q", "add", "--jsonl", path], capture_output=True)


try:
    # live ingest
    st, r = srv.json("/api/search?q=Luftschiffwerft")
    t.check(st == 200 and r["total"] == 0, "the new release is there before it was added")
    rec = {"id": "live-1", "title": "Stadt Hagen eröffnet die Luftschiffwerft", "date": "2027-01-15",
           "text": "Stadt Hagen eröffnet die Luftschiffwerft\n\n15. Januar 2027 – Alexander Kühner vom Kommunalen "
                   "Integrationszentrum der Stadt Hagen eröffnete am Freitag die neue Luftschiffwerft in Hagen. "
                   "„Das ist ein großer Tag für die Stadt“, sagte Alexander Kühner."}
    p = add_jsonl([rec], "live.jsonl")
    t.check(p.returncode == 0, "presse-index: %s" % p.stderr)
    t0 = time.time()
    found = None
    while time.time() - t0 < 2.0:
        st, r = srv.json("/api/search?q=Luftschiffwerft")
        if st == 200 and r["total"] == 1:
            found = time.time() - t0
            break
        time.sleep(0.02)
    t.check(found is not None, "the release committed while the server runs is not found within 2 s")
    print("live ingest: found %.3f s after presse-index returned" % (found if found is not None else -1))
    st, h, body = srv.get("/feed.atom?q=" + q("person:Kühner"))
    f = feedparser.parse(body)
    t.check(not f.bozo and f.entries and f.entries[0].id.endswith("/api/doc/live-1"),
            "feed person:Kühner: first entry %s" % (f.entries[0].id if f.entries else None))
    t.check(any(e.link.endswith(q(SEED)) for e in f.entries[1:]), "the feed lost the seed")

    # many clients while indexing
    N_NEW, THREADS, PER_THREAD = 24, 8, 40
    errors, lock = [], threading.Lock()
    seen_totals = {}

    def client(k):
        last = -1
        checks = [("/api/search?q=Migrantenorganisationen&facets=5", lambda r: r["hits"][0]["id"].endswith(SEED)),
                  ("/api/search?q=" + q("person:Kühner") + "&sort=date", lambda r: r["total"] >= 2),
                  ("/api/search?q=" + q("Nebenläufigkeitsprobe") + "&limit=50", None),
                  ("/api/doc/live-1", lambda r: r["id"] == "live-1"),
                  ("/api/entities?type=PER&prefix=k%C3%BChn", lambda r: any(e["name"] == "Alexander Kühner"
                                                                          for e in r["entities"]))]
        for i in range(PER_THREAD):
            path, ok = checks[(i + k) % len(checks)]
            try:
                st, r = srv.json(path, timeout=30)
            except Exception as e:  # noqa: BLE001 - any failure is a finding
                with lock:
                    errors.append("%s: %r" % (path, e))
                continue
            bad = st != 200 or r is None or (ok is not None and not ok(r))
            if "Nebenl" in path and not bad:
                n = r["total"]
                ids = {h["id"] for h in r["hits"]}
                bad = n < last or len(ids) != min(n, 50) or not all(x.startswith("conc-") for x in ids)
                last = max(last, n)
            if bad:
                with lock:
                    errors.append("%s: %s %s" % (path, st, str(r)[:200]))
        with lock:
            seen_totals[k] = last

    def indexer():
        for i in range(N_NEW):
            add_jsonl([{"id": "conc-%d" % i, "title": "Nebenläufigkeitsprobe Nummer %d" % i, "date": "2026-06-%02d" % (i % 28 + 1),
                        "text": "Nebenläufigkeitsprobe Nummer %d\n\nEine Meldung für den Test vieler Clients." % i}],
                      "conc-%d.jsonl" % i)

    t0 = time.time()
    ix = threading.Thread(target=indexer)
    clients = [threading.Thread(target=client, args=(k,)) for k in range(THREADS)]
    ix.start()
    for c in clients:
        c.start()
    for c in clients:
        c.join(timeout=300)
    ix.join(timeout=300)
    took = time.time() - t0
    t.check(not errors, "%d errors under load, first: %s" % (len(errors), errors[:3]))
    print("concurrency: %d clients x %d requests while %d releases were added: %d errors, %.1f s"
          % (THREADS, PER_THREAD, N_NEW, len(errors), took))
    st, r = srv.json("/api/search?q=Nebenl%C3%A4ufigkeitsprobe&limit=1")
    t.check(st == 200 and r["total"] == N_NEW, "after indexing: %s of %d" % (r and r["total"], N_NEW))
finally:
    rc = srv.stop()
t.check(rc == 0, "presse-serve exited %s:\n%s" % (rc, srv.log_text()[-2000:]))
cleanup(tmp)
t.finish()
