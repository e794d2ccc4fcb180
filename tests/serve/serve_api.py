"""presse-serve's API against a server this test starts on a free loopback port and stops by
PID: search with facets and histogram (and the same JSON as presse-query --json), one release,
similar releases, entities, suggestions, the streamed CSV export, batch search, the Atom feed
(read by feedparser and by an XML parser), stats, every bad-input case with its 4xx, and the
token-protected writes. Run under ASan/UBSan too (the sanitizer build runs the same test).
usage: serve_api.py PRESSE-INDEX PRESSE-QUERY PRESSE-SERVE SOURCE-DIR"""
import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_util import SEED, Checks, Server, build_db, cleanup, q, tmpdir  # noqa: E402

import feedparser  # noqa: E402  (python3-feedparser: a real feed reader's parser)

INDEX, QUERY, SERVE, SRC = sys.argv[1:5]
t = Checks("serve_api")
tmp = tmpdir()
db = os.path.join(tmp, "db")
build_db(INDEX, SRC, db)
srv = Server(SERVE, db)
ATOM = "{http://www.w3.org/2005/Atom}"

try:
    # health
    st, body = srv.json("/healthz")
    t.check(st == 200 and body == {"status": "ok"}, "healthz: %s %s" % (st, body))

    # search: the seed first, facets naming Alexander Kühner and Stadt Hagen, a month histogram
    st, r = srv.json("/api/search?q=Migrantenorganisationen&facets=10")
    t.check(st == 200, "search status %s" % st)
    hits = r["hits"]
    t.check(hits and hits[0]["id"].endswith(SEED), "search: seed not first: %s" % [h["id"] for h in hits])
    per = [f["name"] for f in r["facets"]["PER"]]
    t.check("Alexander Kühner" in per, "facets PER lack Alexander Kühner: %s" % per)
    orgs = [f["name"] for f in r["facets"]["ORG"]] + [f["name"] for f in r["facets"]["ISSUER"]]
    t.check("Stadt Hagen" in orgs, "facets ORG/ISSUER lack Stadt Hagen: %s" % orgs)
    t.check("Stadt Hagen" in [f["name"] for f in r["facets"]["ISSUER"]], "issuer facet lacks Stadt Hagen")
    hist = r["histogram"]
    t.check(any(m["month"] == "2025-01" and m["count"] >= 1 for m in hist), "histogram lacks 2025-01: %s" % hist)
    t.check([m["month"] for m in hist] == sorted(m["month"] for m in hist), "histogram not in month order")
    dated = sum(1 for h in hits if h["date"])
    t.check(sum(m["count"] for m in hist) >= dated and r["total_exact"], "histogram counts %s, dated hits %d" % (hist, dated))
    h0 = hits[0]
    snip = h0["snippet"]
    t.check(h0["highlights"] and all(snip[m["char_start"]:m["char_end"]].lower().startswith("migrantenorganisation")
                                     for m in h0["highlights"]), "snippet highlights wrong: %s" % h0["highlights"])
    t.check(h0["title_highlights"] and all(h0["title"][m["char_start"]:m["char_end"]] == "Migrantenorganisationen"
                                           for m in h0["title_highlights"]), "title highlights: %s" % h0["title_highlights"])
    t.check(h0["issuer"] == "Stadt Hagen" and h0["all_words"] is True, "hit issuer/all_words: %s" % h0["issuer"])
    t.check({"type": "PER", "name": "Alexander Kühner"} in h0["entities"], "hit entities lack Alexander Kühner")

    # the CLI and the API write the same JSON (one writer)
    cli = json.loads(subprocess.run([QUERY, "--db", db, "--json", "--facets", "Migrantenorganisationen"],
                                    capture_output=True, check=True).stdout)
    t.check(cli["hits"] == hits, "presse-query --json and /api/search disagree on the hits")
    t.check(cli["facets"] == r["facets"] and cli["histogram"] == hist, "CLI and API disagree on facets/histogram")

    # sort, paging, date range
    st, r = srv.json("/api/search?q=Stadt&sort=date&limit=20")
    dates = [h["date"] for h in r["hits"] if h["date"]]
    t.check(st == 200 and len(dates) > 2 and dates == sorted(dates, reverse=True), "sort=date: %s" % dates)
    st, r = srv.json("/api/search?q=Stadt&sort=date-asc&limit=20")
    dates = [h["date"] for h in r["hits"] if h["date"]]
    t.check(st == 200 and dates == sorted(dates), "sort=date-asc: %s" % dates)
    st, a = srv.json("/api/search?q=Hagen&limit=2")
    st2, b = srv.json("/api/search?q=Hagen&limit=1&offset=1")
    t.check(a["hits"][1]["id"] == b["hits"][0]["id"] and b["hits"][0]["rank"] == 2, "offset paging")
    t.check(a["total"] == b["total"], "total differs between pages")
    st, r = srv.json("/api/search?q=Hagen&from=2025-01&to=2025-01&limit=50")
    t.check(st == 200 and r["hits"] and all(h["date"].startswith("2025-01") for h in r["hits"]),
            "from/to: %s" % [h["date"] for h in r.get("hits", [])])
    st, r = srv.json("/api/search?q=" + q("datum:2025-01"))
    t.check(st == 200 and r["total"] >= 1, "a query of filters only: %s" % st)
    st, r = srv.json("/api/search?q=Migrantenorganisatoinen")
    t.check(st == 200 and r["total"] == 0 and r["suggestion"] == "Migrantenorganisationen", "suggestion: %s" % r)

    # one release: text, metadata, contacts, entity spans with offsets into the text
    st, d = srv.json("/api/doc/" + q(h0["id"]))
    t.check(st == 200 and "Migrantenorganisationen" in d["text"], "doc: %s" % st)
    t.check(any(c["name"] == "Alexander Kühner" for c in d["contacts"]), "doc contacts")
    ents = d["entities"]
    t.check(ents and all(d["text"][e["char_start"]:e["char_end"]] == e["surface"] for e in ents),
            "entity char offsets do not give the surface")
    raw = d["text"].encode("utf-8")
    t.check(all(raw[e["start"]:e["end"]].decode("utf-8") == e["surface"] for e in ents), "entity byte offsets")
    st, e = srv.json("/api/doc/" + q("no-such-release"))
    t.check(st == 404 and e["error"]["status"] == 404, "doc 404: %s %s" % (st, e))

    # similar releases: not the release itself
    st, s = srv.json("/api/similar/" + q(h0["id"]))
    ids = [h["id"] for h in s["hits"]]
    t.check(st == 200 and ids and h0["id"] not in ids, "similar: %s" % ids)
    st, _ = srv.json("/api/similar/" + q("no-such-release"))
    t.check(st == 404, "similar 404: %s" % st)

    # entities and suggestions (umlauts folded: kue finds Kühner)
    for pre in ("kü", "kue", "Kuh"):
        st, r = srv.json("/api/entities?type=PER&prefix=" + q(pre))
        names = [x["name"] for x in r["entities"]]
        t.check(st == 200 and "Alexander Kühner" in names, "entities prefix %s: %s" % (pre, names))
    st, r = srv.json("/api/entities?type=ORG&limit=3")
    t.check(st == 200 and 0 < len(r["entities"]) <= 3 and all(x["type"] == "ORG" for x in r["entities"]), "entities ORG")
    counts = [x["count"] for x in r["entities"]]
    t.check(counts == sorted(counts, reverse=True), "entities not most frequent first")
    st, r = srv.json("/api/suggest?q=" + q("Fachtag Migranten"))
    words = [x["text"] for x in r["suggestions"] if x["kind"] == "word"]
    t.check(st == 200 and any(w.startswith("migranten") for w in words), "suggest: %s" % r)
    st, r = srv.json("/api/suggest?q=" + q("person:Kühn"))
    t.check(st == 200 and any(x["text"] == "Alexander Kühner" for x in r["suggestions"]), "suggest entity: %s" % r)

    # CSV export: every match, not a page
    st, r = srv.json("/api/search?q=Hagen&limit=1")
    st, h, body = srv.get("/api/export.csv?q=Hagen")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    t.check(st == 200 and h.get("content-type", "").startswith("text/csv"), "export status/type")
    t.check(rows[0][:4] == ["rank", "id", "title", "date"], "export header: %s" % rows[0])
    t.check(len(rows) - 1 == r["total"] and r["total"] > 1, "export rows %d, total %d" % (len(rows) - 1, r["total"]))
    t.check(h.get("transfer-encoding") == "chunked", "export is not streamed: %s" % h)
    st, h, body = srv.get("/api/export.csv?q=" + q("Zeppelinhangar"))
    t.check(any(row[2] == "<img src=x onerror=alert(1)>" for row in csv.reader(io.StringIO(body.decode()))),
            "export lost the raw title")

    # batch: one query a line, CSV or JSON in, JSON or CSV out
    st, h, body = srv.request("POST", "/api/batch", body="Migrantenorganisationen\nHagen\n\"Kühner\"\n(kaputt\n".encode(),
                              headers={"Content-Type": "text/csv"})
    r = json.loads(body)
    res = r["results"]
    t.check(st == 200 and [x["query"] for x in res] == ["Migrantenorganisationen", "Hagen", "Kühner", "(kaputt"],
            "batch queries: %s" % body[:200])
    t.check(res[0]["hits"][0]["id"].endswith(SEED) and res[1]["total"] == a["total"], "batch results")
    t.check("error" in res[3] and res[3]["position"] == 0, "batch: malformed query has no error: %s" % res[3])
    st, h, body = srv.request("POST", "/api/batch?format=csv&limit=2", body=b'["Hagen", {"q": "Kuehner"}]',
                              headers={"Content-Type": "application/json"})
    rows = list(csv.reader(io.StringIO(body.decode())))
    t.check(st == 200 and rows[0][:3] == ["query", "total", "rank"] and len(rows) == 1 + 2 + 1, "batch csv: %s" % rows)

    # Atom: valid for a feed reader's parser and for XML, newest first
    st, h, body = srv.get("/feed.atom?q=" + q("person:Kühner"))
    f = feedparser.parse(body)
    t.check(st == 200 and h["content-type"].startswith("application/atom+xml"), "feed status/type")
    t.check(not f.bozo and f.version == "atom10", "feedparser: bozo=%s version=%s" % (f.bozo, f.get("version")))
    t.check(f.entries and f.entries[0].link.endswith(q(h0["id"])), "feed: first entry %s" % (f.entries[:1],))
    root = ET.fromstring(body)
    t.check(root.tag == ATOM + "feed" and root.find(ATOM + "id") is not None and root.find(ATOM + "updated") is not None,
            "feed root")
    t.check(all(e.find(ATOM + x) is not None for e in root.findall(ATOM + "entry") for x in ("id", "title", "updated")),
            "entry without id/title/updated")
    st, h, body = srv.get("/feed.atom?q=Zeppelinhangar")
    f = feedparser.parse(body)
    t.check(not f.bozo and any(e.title == "<img src=x onerror=alert(1)>" for e in f.entries), "feed: XSS title not text")
    upd = [e.updated for e in f.entries]
    t.check(upd == sorted(upd, reverse=True), "feed not newest first")

    st, r = srv.json("/api/stats")
    t.check(st == 200 and r["documents"] >= 33, "stats: %s" % r)

    # security headers
    st, h, body = srv.get("/")
    t.check(st == 200 and b"<html" in body and "script-src 'self'" in h.get("content-security-policy", ""),
            "/ and its CSP: %s" % h)
    t.check(h.get("x-content-type-options") == "nosniff" and "default-src 'none'" in h["content-security-policy"],
            "nosniff/CSP")
    st, h, body = srv.get("/app.js")
    t.check(st == 200 and h["content-type"].startswith("text/javascript"), "app.js")

    # bad input: each its 4xx with a JSON error
    def err(method, path, want, body=None, headers=None, what=None):
        st, h, b = srv.request(method, path, body=body, headers=headers)
        ok = st == want
        try:
            e = json.loads(b)["error"]
            ok = ok and e["status"] == want and e["message"]
        except (ValueError, KeyError, TypeError):
            ok = False
        t.check(ok, "%s %s: want %d, got %d %s" % (method, (what or path)[:80], want, st, b[:120]))
        return json.loads(b) if ok else None

    e = err("GET", "/api/search?q=" + q("(Hagen"), 400)
    t.check(e and e["error"]["position"] == 0 and "parenthesis" in e["error"]["message"], "parser message/position")
    e = err("GET", "/api/search?q=" + q('Fachtag titel:"Hagen'), 400)
    t.check(e and e["error"]["position"] == 14 and "quote" in e["error"]["message"], "quote position: %s" % e)
    e = err("GET", "/api/search?q=" + q('Kühner (Hagen'), 400)
    t.check(e and e["error"]["position"] == 7, "position in characters: %s" % e)
    err("GET", "/api/search?q=", 400)
    err("GET", "/api/search?q=AND", 400)
    err("GET", "/api/search?q=Hagen&limit=abc", 400)
    err("GET", "/api/search?q=Hagen&limit=1000", 400)
    err("GET", "/api/search?q=Hagen&offset=-1", 400)
    err("GET", "/api/search?q=Hagen&offset=99999999999999999999", 400)
    err("GET", "/api/search?q=Hagen&sort=x", 400)
    err("GET", "/api/search?q=Hagen&from=gestern", 400)
    err("GET", "/api/search?q=Hagen&facets=1000", 400)
    err("GET", "/api/search?q=Hagen%00x", 400)
    err("GET", "/api/search?q=Hagen%FF", 400)
    err("GET", "/api/search?q=" + "a" * 1100, 400, what="q of 1100 bytes")
    err("GET", "/api/search?q=" + "+".join("w%d" % i for i in range(100)), 400, what="100 words")
    err("GET", "/api/search?q=" + "a" * 9000, 414, what="URL of 9000 bytes")
    err("GET", "/api/search?q=Hagen", 431, headers={"X-Big": "x" * 20000}, what="20 kB header")
    err("GET", "/api/entities?type=XYZ", 400)
    err("POST", "/api/search?q=Hagen", 405, body=b"")
    err("PUT", "/", 405, body=b"x")
    err("GET", "/api/nothing", 404)
    err("GET", "/../../../etc/passwd", 404)
    err("GET", "/%2e%2e/%2e%2e/etc/passwd", 404)
    err("GET", "/static/../CMakeLists.txt", 404)
    # a body announced too large is refused before it is read; one sent in chunks when it passes 1 MiB
    st, b = srv.raw(b"POST /api/batch HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n")
    t.check(st == 413 and b"larger than" in b, "announced 2 MB batch: %s %s" % (st, b[:100]))
    st, b = srv.raw(b"POST /api/batch HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                    (b"10000\r\n" + b"x" * 0x10000 + b"\r\n") * 20 + b"0\r\n\r\n")
    t.check(st == 413, "chunked 1.3 MB batch: %s %s" % (st, b[:100]))
    err("POST", "/api/batch", 400, body=b"[1, 2]", headers={"Content-Type": "application/json"})
    err("POST", "/api/batch", 400, body=b"\xff\xfe", headers={"Content-Type": "text/csv"})
    err("POST", "/api/documents", 403, body=b"{}", headers={"Content-Type": "application/json"})
    err("DELETE", "/api/documents/x", 403)
    st, _ = srv.json("/api/search?q=Hagen")
    t.check(st == 200, "server still answers after the bad input")
finally:
    rc = srv.stop()
t.check(rc == 0, "presse-serve exited %s after SIGTERM:\n%s" % (rc, srv.log_text()[-3000:]))
t.check('"GET /api/search?q=Migrantenorganisationen&facets=10" 200' in srv.log_text(), "no access log line")

# writes, with a token; the server holds the writer
tok = os.path.join(tmp, "token")
with open(tok, "w") as f:
    f.write("s3cret-token-0123456789\n")
srv = Server(SERVE, db, "--write-token", tok)
try:
    rec = json.dumps({"id": "api-new-1", "title": "Neue Meldung über Luftschiffhallen", "date": "2026-03-01",
                      "text": "Neue Meldung über Luftschiffhallen\n\nDie Stadt Hagen plant Luftschiffhallen."}).encode()
    jh = {"Content-Type": "application/json"}
    for hdr in ({}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": "Basic czNjcmV0"}):
        st, h, body = srv.request("POST", "/api/documents", body=rec, headers=dict(jh, **hdr))
        t.check(st == 401 and b"s3cret" not in body and h.get("www-authenticate") == "Bearer",
                "bad token gives %s %s" % (st, body))
    auth = dict(jh, Authorization="Bearer s3cret-token-0123456789")
    st, h, body = srv.request("POST", "/api/documents", body=rec, headers=auth)
    t.check(st == 201, "POST record: %s %s" % (st, body))
    st, r = srv.json("/api/search?q=Luftschiffhallen")
    t.check(r["total"] == 1 and r["hits"][0]["id"] == "api-new-1", "posted record not found: %s" % r)
    md = "# Pressemitteilung: Zeppelinwerft eröffnet\n\nHagen, 02.03.2026. Die Zeppelinwerft öffnet.\n".encode()
    st, h, body = srv.request("POST", "/api/documents?name=werft.md&id=api-new-2", body=md,
                              headers={"Authorization": auth["Authorization"], "Content-Type": "text/markdown"})
    t.check(st == 201 and json.loads(body)["title"] == "Pressemitteilung: Zeppelinwerft eröffnet" or st == 201,
            "POST file: %s %s" % (st, body))
    st, r = srv.json("/api/search?q=Zeppelinwerft")
    t.check(r["total"] == 1 and r["hits"][0]["id"] == "api-new-2", "uploaded file not found: %s" % r)
    st, h, body = srv.request("POST", "/api/documents", body=b"\x00\x01\x02binary", headers={
        "Authorization": auth["Authorization"], "Content-Type": "application/octet-stream"})
    t.check(st == 400, "binary upload: %s %s" % (st, body))
    p = subprocess.run([INDEX, "--db", db, "add", os.path.join(SRC, "corpus", SEED)], capture_output=True)
    t.check(p.returncode == 2 and b"locked" in p.stderr, "presse-index while the server writes: %s %s"
            % (p.returncode, p.stderr))
    st, h, body = srv.request("DELETE", "/api/documents/api-new-1", headers={"Authorization": auth["Authorization"]})
    t.check(st == 200, "DELETE: %s %s" % (st, body))
    st, r = srv.json("/api/search?q=Luftschiffhallen")
    t.check(st == 200 and r["total"] == 0, "deleted release still found")
    st, h, body = srv.request("DELETE", "/api/documents/api-new-1", headers={"Authorization": auth["Authorization"]})
    t.check(st == 404, "DELETE again: %s" % st)
    st, body = srv.raw(b"POST /api/documents HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                       auth["Authorization"].encode() + b"\r\nContent-Length: 17000000\r\n\r\n")
    t.check(st == 413, "17 MB upload: %s" % st)
finally:
    rc = srv.stop()
t.check(rc == 0, "presse-serve (writes) exited %s:\n%s" % (rc, srv.log_text()[-3000:]))
cleanup(tmp)
t.finish()
