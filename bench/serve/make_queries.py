"""The queries of bench/serve: the titles of the first 1,000 Berlin releases as typed queries,
and the first 100 of them again with facets=10 (entities, issuers, month histogram over all
matches). Writes queries.tsv (facets<TAB>query, for the in-process ceiling) and paths.txt (the
same as request paths, for wrk).
usage: make_queries.py DOCS.jsonl OUTDIR"""
import json
import os
import sys
import urllib.parse

docs, out = sys.argv[1], sys.argv[2]
titles = []
with open(docs, encoding="utf-8") as f:
    for line in f:
        t = json.loads(line).get("title", "").strip()
        # the release number "(Nr. 1681)" is no word anyone searches for
        if "(Nr." in t:
            t = t[:t.index("(Nr.")].strip()
        t = t.replace('"', " ").replace("(", " ").replace(")", " ")
        if t:
            titles.append(t)
        if len(titles) == 1000:
            break
rows = [(0, t) for t in titles] + [(10, t) for t in titles[:100]]
with open(os.path.join(out, "queries.tsv"), "w", encoding="utf-8") as q, \
        open(os.path.join(out, "paths.txt"), "w", encoding="utf-8") as p:
    for facets, t in rows:
        q.write("%d\t%s\n" % (facets, t))
        p.write("/api/search?q=%s%s\n" % (urllib.parse.quote(t, safe=""), "&facets=10" if facets else ""))
print("%d queries (%d with facets) in %s" % (len(rows), 100, out))
