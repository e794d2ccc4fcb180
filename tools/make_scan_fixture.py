#!/usr/bin/env python3
"""Writes the PDF fixtures of tests/scan/ with ghostscript:

  seed-scan.pdf   the seed release (corpus/000_...md) as a scanned PDF: pages that are only a
                  grayscale image and carry no text layer, as a fax or a copier leaves them
  enscript.pdf    a release with a text layer whose document-info title is its generator's
                  ("Enscript Output"): the reader must take the title from the layout

The file is committed, so the tests never need this script; run it again only when the fixture
should change:

    python3 tools/make_scan_fixture.py        # needs ghostscript (Debian: ghostscript)

How: the release's text is set as PostScript here (Helvetica 11 pt, ISO Latin-1, left-aligned,
one column, A4) and ghostscript's pdfimage8 device rasterises it to an image-only PDF at 150
dpi, 8-bit gray. Typographic quotes and dashes, which ISO Latin-1 lacks, become " and -.
"""
import os
import re
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "corpus", "000_stadt-hagen-fachtag-migrantenorganisationen.md")
OUT = os.path.join(ROOT, "tests", "scan", "seed-scan.pdf")

# Helvetica advance widths (per 1000 units) of the characters the release uses, for line breaking
NARROW, WIDE = set("iIjl.,;:!|'()[]f t"), set("mwMW@")


def width(s, size):
    w = 0
    for ch in s:
        w += 280 if ch in NARROW else 900 if ch in WIDE else 560 if ch.islower() else 680
    return w * size / 1000


def paragraphs():
    md = open(SEED, encoding="utf-8").read()
    out = []
    for block in re.split(r"\n\s*\n", md.strip()):
        t = block.strip()
        t = re.sub(r"\[([^\]]+)\]\((?:mailto:)?[^)]+\)", r"\1", t).replace("***", "").replace("**", "")
        t = t.lstrip("#").strip()
        for a, b in (("„", '"'), ("“", '"'), ("–", "-")):
            t = t.replace(a, b)
        out.append(t)
    return out


def ps_string(s):
    b = s.encode("latin-1")
    return "(" + "".join("\\%03o" % c if c > 126 or chr(c) in "()\\" else chr(c) for c in b) + ")"


def postscript():
    size, lead, left, right, top, bottom = 11, 14, 60, 540, 790, 50
    lines = []  # (text, gap before)
    for p in paragraphs():
        for raw in p.split("\n"):
            cur = ""
            for w in raw.split():
                if cur and width(cur + " " + w, size) > right - left:
                    lines.append(cur)
                    cur = w
                else:
                    cur = (cur + " " + w).strip()
            lines.append(cur)
        lines.append("")
    ps = ["%!PS-Adobe-3.0", "/Helvetica findfont dup length dict begin { 1 index /FID ne { def } { pop pop } ifelse }"
          " forall /Encoding ISOLatin1Encoding def currentdict end /HelvL1 exch definefont pop",
          "<< /PageSize [595 842] >> setpagedevice"]
    y = top
    ps.append("/HelvL1 findfont %d scalefont setfont" % size)
    for line in lines:
        if y < bottom:
            ps.append("showpage")
            ps.append("/HelvL1 findfont %d scalefont setfont" % size)
            y = top
        if line:
            ps.append("%d %d moveto %s show" % (left, y, ps_string(line)))
        y -= lead
    ps.append("showpage")
    return "\n".join(ps) + "\n"


def enscript():
    """A short release as enscript would print it, with a title in larger type."""
    ps = ["%!PS-Adobe-3.0",
          "/Helvetica findfont dup length dict begin { 1 index /FID ne { def } { pop pop } ifelse }"
          " forall /Encoding ISOLatin1Encoding def currentdict end /HelvL1 exch definefont pop",
          "<< /PageSize [595 842] >> setpagedevice",
          "[ /Title (Enscript Output) /Creator (GNU Enscript 1.6.6) /DOCINFO pdfmark",
          "/HelvL1 findfont 18 scalefont setfont 60 780 moveto %s show" % ps_string("Neue Radwege an der Ruhrstraße in Witten"),
          "/HelvL1 findfont 11 scalefont setfont"]
    body = ["Witten, 17. Mai 2024. Die Stadt Witten baut in diesem Sommer neue Radwege an der",
            "Ruhrstraße. Die Arbeiten beginnen im Juni und dauern bis zum Herbst. Während der",
            "Bauzeit bleibt die Straße in einer Richtung befahrbar. Die Stadt bittet die",
            "Anwohnerinnen und Anwohner um Verständnis für die Einschränkungen."]
    for i, line in enumerate(body):
        ps.append("60 %d moveto %s show" % (740 - 15 * i, ps_string(line)))
    ps.append("showpage")
    return "\n".join(ps) + "\n"


def gs(device, ps, out, *extra):
    with tempfile.NamedTemporaryFile("w", suffix=".ps", encoding="latin-1", delete=False) as f:
        f.write(ps)
        src = f.name
    try:
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=" + device, *extra,
                        "-sOutputFile=" + out, src], check=True)
    finally:
        os.unlink(src)


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    gs("pdfimage8", postscript(), OUT, "-r150")
    gs("pdfwrite", enscript(), os.path.join(os.path.dirname(OUT), "enscript.pdf"))


if __name__ == "__main__":
    main()
