#!/usr/bin/env python3
"""Facet quality of the NER model: the top persons, organisations and places of a corpus, with
the number of documents that mention each (what a facet shows), for the model and a peer model
(e.g. the previous one) in the same run; and the precision of each top-50 list, judged by the
hand-written table bench/ner_facets_judged.tsv (type, canonical name, 1 = a real name of that
type, 0 = not). Entries the table does not judge are listed so that it can be extended.

    bench/ner_facets.py [--ner build/ner/presse-ner] [--model M] [--peer-model P]
                        [--top 20] [--judge-top 50] [CORPUS...]

CORPUS: a JSON-lines file with a "text" field per record, or a folder of .txt/.md releases.
Default: ../shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl (the first 1,500 records,
--limit) and corpus/. A missing corpus is skipped with a message. Always exits 0 (a benchmark
prints figures; it asserts nothing)."""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TYPES = ("PER", "ORG", "LOC")


def texts_of(path, limit):
    if os.path.isdir(path):
        out = []
        for name in sorted(os.listdir(path)):
            if name.endswith((".txt", ".md")):
                with open(os.path.join(path, name), encoding="utf-8") as f:
                    out.append(f.read())
        return out
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if isinstance(rec.get("text"), str):
                out.append(rec["text"])
            if limit and len(out) >= limit:
                break
    return out


def facets(ner, model, texts):
    """type -> Counter(canonical -> number of documents mentioning it)."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for i, t in enumerate(texts):
            p = os.path.join(tmp, "%05d.txt" % i)
            with open(p, "w", encoding="utf-8") as f:
                f.write(t)
            files.append(p)
        cmd = [ner] + (["--model", model] if model else []) + ["--json"] + files
        out = subprocess.run(cmd, capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit("ner_facets: %s failed: %s" % (" ".join(cmd[:3]), out.stderr.strip()[:300]))
    counts = {t: collections.Counter() for t in TYPES}
    doc = json.loads(out.stdout)
    for rec in doc if isinstance(doc, list) else [doc]:
        seen = set()
        for e in rec.get("entities", []):
            key = (e["type"], e["canonical"])
            if e["type"] in counts and key not in seen:
                seen.add(key)
                counts[e["type"]][e["canonical"]] += 1
    return counts


def load_judged(path):
    judged = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 3 or parts[2] not in ("0", "1") or parts[0] not in TYPES:
                sys.exit("ner_facets: %s:%d: want TYPE<TAB>name<TAB>0|1" % (path, n))
            judged[(parts[0], parts[1])] = parts[2] == "1"
    return judged


def precision(top, t, judged):
    good = bad = 0
    missing = []
    for name, _ in top:
        j = judged.get((t, name))
        if j is None:
            missing.append(name)
        elif j:
            good += 1
        else:
            bad += 1
    return good, bad, missing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ner", default=os.path.join(HERE, "build", "ner", "presse-ner"))
    ap.add_argument("--model")
    ap.add_argument("--peer-model", help="the model to compare with (default: none)")
    ap.add_argument("--judged", default=os.path.join(HERE, "bench", "ner_facets_judged.tsv"))
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--judge-top", type=int, default=50)
    ap.add_argument("--limit", type=int, default=1500, help="records read from a JSON-lines corpus")
    ap.add_argument("corpora", nargs="*")
    a = ap.parse_args()
    if not os.access(a.ner, os.X_OK):
        sys.exit("ner_facets: %s: not an executable (build presse-ner first)" % a.ner)
    corpora = a.corpora or [os.path.join(os.path.dirname(HERE), "shared", "data", "corpora",
                                         "berlin-polizei-2020-2022", "docs.jsonl"),
                            os.path.join(HERE, "corpus")]
    judged = load_judged(a.judged)
    unjudged = set()
    for c in corpora:
        if not os.path.exists(c):
            print("ner_facets: %s: not found, skipping" % c)
            continue
        texts = texts_of(c, a.limit)
        runs = [("model", a.model)] + ([("peer", a.peer_model)] if a.peer_model else [])
        res = {name: facets(a.ner, m, texts) for name, m in runs}
        print("== %s (%d documents)" % (c, len(texts)))
        for t in TYPES:
            print("-- %s, top %d (documents)" % (t, a.top))
            tops = {name: res[name][t].most_common(a.top) for name, _ in runs}
            for k in range(a.top):
                cells = []
                for name, _ in runs:
                    row = tops[name][k] if k < len(tops[name]) else ("", 0)
                    mark = {True: " ", False: "x", None: "?"}[judged.get((t, row[0]))] if row[0] else " "
                    cells.append("%s %5d %-40s" % (mark, row[1], row[0][:40]))
                print("  %2d %s" % (k + 1, " | ".join(cells)))
        print("-- precision of the top %d (x: judged wrong, ?: not judged)" % a.judge_top)
        for t in TYPES:
            figs = []
            for name, _ in runs:
                good, bad, missing = precision(res[name][t].most_common(a.judge_top), t, judged)
                unjudged.update((t, m) for m in missing)
                p = 100.0 * good / (good + bad) if good + bad else 0.0
                figs.append((name, p, good, bad, len(missing)))
            line = "  %s " % t + "  ".join("%s %.1f%% (%d right, %d wrong, %d unjudged)" % f for f in figs)
            if len(figs) == 2 and figs[1][1] > 0:
                line += "  ratio %.2f" % (figs[0][1] / figs[1][1])
            print(line)
    if unjudged:
        print("-- not in %s (%d):" % (os.path.relpath(a.judged, HERE), len(unjudged)))
        for t, name in sorted(unjudged):
            print("  %s\t%s" % (t, name))


if __name__ == "__main__":
    main()
