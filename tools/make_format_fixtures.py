#!/usr/bin/env python3
"""Writes the format fixtures of tests/formats/ from the seed release (corpus/000_...md).

The generated files are committed, so the tests never need this script; run it again only when
the fixtures should change:

    python3 tools/make_format_fixtures.py            # needs groff (Debian: groff, ghostscript)

What it writes (tests/formats/seed.html is written by hand and not touched here):

  seed.pdf          two-column PDF with a letterhead, justified and hyphenated with German
                    patterns (groff -ms -mden -Tpdf); its document-info title is a file name
                    (the reader must take the title from the largest type), creation date set
  seed.docx         WordprocessingML by hand (python3 zipfile): document.xml whose genre line
                    and title are both "Title" paragraphs, core.xml (dc:title, dcterms:created),
                    app.xml (Company)
  seed.odt          OpenDocument text by hand: content.xml, meta.xml, styles.xml, manifest
  seed-cp1252.txt   the release as plain text in Windows-1252 („“ – are bytes 0x84 0x93 0x96)
  broken/truncated.pdf   the first half of seed.pdf
  broken/notdocx.docx    a valid ZIP archive that holds no word/document.xml
  broken/picture.png     a 1x1 PNG image
  broken/fake.pdf        text with a .pdf extension
"""
import datetime
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "corpus", "000_stadt-hagen-fachtag-migrantenorganisationen.md")
OUT = os.path.join(ROOT, "tests", "formats")
# fixed timestamps keep the generated files byte-identical from run to run
STAMP = datetime.datetime(2025, 1, 30, 10, 0, 0)
ZIP_TIME = (2025, 1, 30, 10, 0, 0)


def seed_blocks():
    """The seed as (kind, text) blocks: title, date, paragraphs, the contact block lines."""
    md = open(SEED, encoding="utf-8").read()
    blocks = []
    for raw in re.split(r"\n\s*\n", md):
        t = raw.strip()
        if not t:
            continue
        t = re.sub(r"\[([^\]]+)\]\((?:mailto:)?[^)]+\)", r"\1", t)  # links: their text
        t = t.replace("***", "").replace("**", "")
        if t.startswith("#"):
            t = t.lstrip("#").strip()
            if t == "PRESSEINFORMATION":
                continue
            blocks.append(("heading", t))
        else:
            blocks.append(("para", t))
    return blocks


def plain_lines():
    """The release as a plain text file would carry it."""
    out = ["PRESSEINFORMATION", ""]
    for kind, t in seed_blocks():
        out.append(t)
        out.append("")
    return "\n".join(out)


TITLE = "Fachtag von „Integration.Interkommunal“ zur Rolle von Migrantenorganisationen für den Berufseinstieg"


def body_paragraphs():
    """Paragraphs of the body: everything but the title heading."""
    return [(k, t) for k, t in seed_blocks() if not (k == "heading" and t == TITLE)]


# ---- Windows-1252 text ----

def write_cp1252():
    with open(os.path.join(OUT, "seed-cp1252.txt"), "wb") as f:
        f.write(plain_lines().replace("\n", "\r\n").encode("cp1252"))


# ---- PDF through groff ----

def troff_escape(s):
    s = s.replace("\\", "\\e")
    # addresses are never hyphenated (\\% before a word)
    s = re.sub(r"(\S+@\S+|www\.\S+)", r"\\%\1", s)
    lines = []
    for line in s.split("\n"):
        if line.startswith(".") or line.startswith("'"):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def write_pdf():
    src = []
    # a title as Word exports leave it: a file name, which the reader must not take for the title
    src.append('.pdfinfo /Title "PM_2025-01-30_Fachtag_Migrantenorganisationen.docx"')
    src.append(".pdfinfo /Author \"Presse- und Öffentlichkeitsarbeit\"")
    src.append(".nr PS 10")
    src.append(".nr VS 12")
    src.append(".nr HM 2c")
    src.append(".nr FM 2c")
    src.append(".ds CH")  # no page number in the header
    # letterhead, one column
    src.append(".LP")
    src.append(".ad l")
    src.append("\\s[14]\\fBStadt Hagen\\fP\\s0")
    src.append(".br")
    src.append("Der Oberbürgermeister \\(bu Pressestelle")
    src.append(".sp 1")
    src.append(".LP")
    src.append("\\s[16]\\fB" + troff_escape(TITLE) + "\\fP\\s0")
    src.append(".sp 0.5")
    src.append(".2C")
    src.append(".hy 1")
    src.append(".ad b")
    for kind, t in body_paragraphs():
        src.append(".LP")
        if kind == "heading":
            src.append("\\fB" + troff_escape(t) + "\\fP")
        elif "\n" in t:  # the contact block: keep its lines
            src.append(".ad l")
            for line in t.split("\n"):
                src.append(troff_escape(line.strip()))
                src.append(".br")
            src.append(".ad b")
        else:
            src.append(troff_escape(t))
    groff_in = "\n".join(src) + "\n"
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(int(STAMP.replace(tzinfo=datetime.timezone.utc).timestamp())))
    pdf = subprocess.run(["groff", "-k", "-Kutf8", "-ms", "-mden", "-Tpdf", "-P-pa4"], input=groff_in.encode(),
                         stdout=subprocess.PIPE, check=True, env=env).stdout
    with open(os.path.join(OUT, "seed.pdf"), "wb") as f:
        f.write(pdf)
    with open(os.path.join(OUT, "broken", "truncated.pdf"), "wb") as f:
        f.write(pdf[: len(pdf) // 2])


# ---- DOCX and ODT by hand ----

def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def zip_write(path, parts, first=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        if first:  # ODT: an uncompressed "mimetype" must come first
            info = zipfile.ZipInfo(first[0], ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            z.writestr(info, first[1])
        for name, data in parts:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_par(text, style=None, bold=False):
    ppr = '<w:pPr><w:pStyle w:val="%s"/></w:pPr>' % style if style else ""
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    runs = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        br = "<w:br/>" if i + 1 < len(lines) else ""
        runs.append('<w:r>%s<w:t xml:space="preserve">%s</w:t>%s</w:r>' % (rpr, xml_escape(line.strip()), br))
    return "<w:p>%s%s</w:p>" % (ppr, "".join(runs))


def write_docx():
    # The genre line carries the Title style, as many press offices' templates have it: the
    # reader must skip it and take the next title-styled paragraph (as the ODT reader does).
    pars = [docx_par("PRESSEINFORMATION", style="Title", bold=True), docx_par(TITLE, style="Title")]
    for kind, t in body_paragraphs():
        pars.append(docx_par(t, style="Heading2" if kind == "heading" else None))
    # a deleted passage (tracked change) must not be indexed
    pars.append('<w:p><w:del w:id="1" w:author="x" w:date="2025-01-30T09:00:00Z"><w:r>'
                '<w:delText>Gelöschter Entwurfssatz Zebrastreifenprüfung</w:delText></w:r></w:del></w:p>')
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<w:document xmlns:w="%s"><w:body>%s<w:sectPr/></w:body></w:document>' % (W, "".join(pars)))
    header = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<w:hdr xmlns:w="%s">%s</w:hdr>' % (W, docx_par("Stadt Hagen – Der Oberbürgermeister")))
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<dc:title>%s</dc:title><dc:creator>Michael Kaub</dc:creator>'
            '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-29T16:12:00Z</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-30T08:40:00Z</dcterms:modified>'
            '</cp:coreProperties>' % xml_escape(TITLE))
    app = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           '<Application>presse fixture</Application><Company>Stadt Hagen</Company></Properties>')
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>'
             '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'wordprocessingml.document.main+xml"/>'
             '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'wordprocessingml.header+xml"/>'
             '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
             'core-properties+xml"/>'
             '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             'extended-properties+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'extended-properties" Target="docProps/app.xml"/></Relationships>')
    zip_write(os.path.join(OUT, "seed.docx"),
              [("[Content_Types].xml", types), ("_rels/.rels", rels), ("word/document.xml", document),
               ("word/header1.xml", header), ("docProps/core.xml", core), ("docProps/app.xml", app)])
    # a ZIP that is not a DOCX
    zip_write(os.path.join(OUT, "broken", "notdocx.docx"),
              [("readme.txt", "Dies ist ein ZIP-Archiv, aber kein Word-Dokument.\n"),
               ("bilder/logo.txt", "kein Bild\n")])


TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def odt_par(text, tag="p", style="Standard", level=None):
    lines = [xml_escape(l.strip()) for l in text.split("\n")]
    inner = "<text:line-break/>".join(lines)
    # runs of spaces are <text:s/> in ODF
    inner = re.sub(r"  +", lambda m: ' <text:s text:c="%d"/>' % (len(m.group(0)) - 1), inner)
    lvl = ' text:outline-level="%d"' % level if level else ""
    return '<text:%s text:style-name="%s"%s>%s</text:%s>' % (tag, style, lvl, inner, tag)


def write_odt():
    pars = [odt_par("PRESSEINFORMATION"), odt_par(TITLE, tag="h", style="Heading_20_1", level=1)]
    for kind, t in body_paragraphs():
        pars.append(odt_par(t, tag="h", style="Heading_20_2", level=2) if kind == "heading" else odt_par(t))
    # an annotation (a comment) is not part of the release
    pars.append('<text:p text:style-name="Standard"><office:annotation><text:p>Kommentar Zebrastreifenprüfung'
                '</text:p></office:annotation></text:p>')
    content = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<office:document-content xmlns:office="%s" xmlns:text="%s" office:version="1.3">'
               '<office:body><office:text>%s</office:text></office:body></office:document-content>'
               % (OFFICE_NS, TEXT_NS, "".join(pars)))
    meta = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<office:document-meta xmlns:office="%s" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"><office:meta>'
            '<dc:title>%s</dc:title><meta:initial-creator>Franziska Michels</meta:initial-creator>'
            '<meta:creation-date>2025-01-29T15:00:00</meta:creation-date><dc:date>2025-01-30T08:00:00</dc:date>'
            '</office:meta></office:document-meta>' % (OFFICE_NS, xml_escape(TITLE)))
    styles = ('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<office:document-styles xmlns:office="%s" office:version="1.3"/>' % OFFICE_NS)
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
                'manifest:version="1.3">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    zip_write(os.path.join(OUT, "seed.odt"),
              [("content.xml", content), ("styles.xml", styles), ("meta.xml", meta),
               ("META-INF/manifest.xml", manifest)],
              first=("mimetype", "application/vnd.oasis.opendocument.text"))


def write_png():
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)) +
           chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))
    with open(os.path.join(OUT, "broken", "picture.png"), "wb") as f:
        f.write(png)
    with open(os.path.join(OUT, "broken", "fake.pdf"), "w", encoding="utf-8") as f:
        f.write("Das ist kein PDF, nur Text mit falscher Endung.\n")


def main():
    os.makedirs(os.path.join(OUT, "broken"), exist_ok=True)
    write_cp1252()
    write_docx()
    write_odt()
    write_png()
    write_pdf()
    for name in sorted(os.listdir(OUT)) + ["broken/" + n for n in sorted(os.listdir(os.path.join(OUT, "broken")))]:
        p = os.path.join(OUT, name)
        if os.path.isfile(p):
            print("%8d  tests/formats/%s" % (os.path.getsize(p), name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
