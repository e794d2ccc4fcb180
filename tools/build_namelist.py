#!/usr/bin/env python3
"""Extracts entity names (PER/LOC/ORG spans) from CoNLL files into gazetteer lines
("per"/"loc"/"orgname" TAB name) for the model's name-list features.

Only corpora that are NOT used as training sentences should feed this (WikiANN dev/test): a list
built from the training sentences themselves would fire on every training entity and teach the
model to trust it far more than it deserves on new text.

usage: tools/build_namelist.py FILE... > /tmp/names.tsv   (appended to the gazetteer at training time)
"""
import collections
import sys

counts = collections.Counter()
for fn in sys.argv[1:]:
    toks, tags = [], []
    def flush():
        cur = None
        for t, g in zip(toks + [""], tags + ["O"]):
            if g.startswith("B-") or g == "O" or (g.startswith("I-") and (cur is None or cur[0] != g[2:])):
                if cur:
                    counts[(cur[0], " ".join(cur[1]))] += 1
                cur = [g[2:], [t]] if g != "O" else None
            else:
                cur[1].append(t)
    with open(fn, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                flush(); toks, tags = [], []
                continue
            p = line.split("\t")
            toks.append(p[0]); tags.append(p[-1])
    flush()
kind = {"PER": "per", "LOC": "loc", "ORG": "orgname"}
for (t, name), c in sorted(counts.items()):
    if t in kind and len(name) > 1 and not name.startswith(("WEITERLEITUNG",)):
        print(f"{kind[t]}\t{name}")
        if t == "PER" and " " in name:
            last = name.split()[-1]
            if last[:1].isupper() and len(last) > 2:
                print(f"surname\t{last}")
