#!/usr/bin/env python3
"""Writes the e-mail fixtures of tests/mail/ from releases of corpus/ (CC0, written for the project).

The generated files are committed, so the tests never need this script; run it again only when
the fixtures should change:

    python3 tools/make_mail_fixtures.py          # python3 only (email, zipfile); no other tool

What it writes:

  box.mbox          12 messages, as a press desk's inbox receives them:
                     1 the seed release (Stadt Hagen) as text/plain, RFC 2047 UTF-8 subject with
                       "PM:", the same release attached as PDF (tests/formats/seed.pdf): the two
                       collapse as duplicates
                     2 an HTML-only release (no text/plain alternative)
                     3 a quoted-printable Windows-1252 body, ISO-8859-1 Q-encoded subject
                     4 a cover note with a different release as PDF attachment
                     5 a cover note with a release as DOCX attachment
                     6 an inline-forwarded release ("Fwd:", the forwarder's note and signature
                       above "---------- Forwarded message ---------")
                     7 a release forwarded as a message/rfc822 attachment ("WG:")
                     8 multipart/alternative (plain + HTML) with an RFC 3676 signature
                     9 a list tag and a numbered genre prefix in the subject
                    10 a reply ("AW:") with a quoted original that must not be indexed
                    11 base64 UTF-8 body, no Message-ID (its id is a hash of its headers)
                    12 an Outlook-style forward ("-----Ursprüngliche Nachricht-----")
  Maildir/          the same 12 messages, 1-6 in cur/ (read), 7-12 in new/
  broken.mbox       what a mailbox must survive, between two good messages: a message
                    without a body, a multipart whose boundary never occurs, forwarded messages
                    nested 12 deep, a DOCX attachment that unpacks to 20 MB (a zip bomb)
"""
import email.policy
import email.utils
import io
import os
import re
import zipfile
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.header import Header

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "corpus")
OUT = os.path.join(ROOT, "tests", "mail")
POLICY = email.policy.SMTP.clone(linesep="\n")


def release(prefix):
    """(title, plain text) of a corpus release: Markdown markup removed, genre line kept out."""
    name = [f for f in os.listdir(CORPUS) if f.startswith(prefix)][0]
    md = open(os.path.join(CORPUS, name), encoding="utf-8").read()
    title, out = None, []
    for block in re.split(r"\n\s*\n", md.strip()):
        t = block.strip()
        t = re.sub(r"\[([^\]]+)\]\((?:mailto:)?[^)]+\)", r"\1", t).replace("***", "").replace("**", "")
        level = len(t) - len(t.lstrip("#"))
        t = t.lstrip("#").strip()
        if level == 2 and title is None:  # "## the title"
            title = t
            continue
        if level and t.lower() in ("presseinformation", "pressemitteilung", "medieninformation", "polizeimeldung"):
            continue  # the genre line
        out.append("" if t == "---" else t)
    return title, "\n\n".join(out) + "\n"


def html_of(text):
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    pars = "".join("<p>%s</p>\n" % esc(p).replace("\n", "<br>\n") for p in text.split("\n\n") if p.strip())
    return "<html><head><meta charset=\"utf-8\"></head><body>\n%s</body></html>\n" % pars


def pdf_of(lines):
    """A one-column text PDF (Helvetica, WinAnsiEncoding) written by hand."""
    content = ["BT", "/F1 10 Tf", "12 TL", "56 790 Td"]
    for line in lines:
        b = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        content.append("(" + b.decode("latin-1") + ") '")
    content.append("ET")
    stream = "\n".join(content).encode("latin-1")
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
            b"/Contents 5 0 R >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Title (Microsoft Word - Dokument1) /Producer (presse fixture) >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offs = []
    for i, o in enumerate(objs):
        offs.append(out.tell())
        out.write(b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for o in offs:
        out.write(b"%010d 00000 n \n" % o)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def wrap(text, width=90):
    lines = []
    for par in text.split("\n"):
        words, cur = par.split(), ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > width:
                lines.append(cur)
                cur = w
            else:
                cur = (cur + " " + w).strip()
        lines.append(cur)
    return lines


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_of(title, text, filler=0):
    esc = lambda s: s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    par = lambda t, st=None: "<w:p>%s<w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>" % (
        '<w:pPr><w:pStyle w:val="%s"/></w:pPr>' % st if st else "", esc(t))
    body = par(title, "Title") + "".join(par(p.replace("\n", " ")) for p in text.split("\n\n") if p.strip())
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="%s"><w:body>%s%s'
           '<w:sectPr/></w:body></w:document>' % (W, body, " " * filler))
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
             'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
             'main+xml"/></Types>')
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", types), ("word/document.xml", doc)):
            info = zipfile.ZipInfo(name, (2025, 1, 30, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return b.getvalue()


def base(msg, n, frm, subject, date, mid=True):
    name, addr = email.utils.parseaddr(frm)
    msg["From"] = email.utils.formataddr((name, addr), "utf-8")  # RFC 2047 for umlauts and dashes
    msg["To"] = "Redaktion Lokales <lokales@zeitung.example>"
    msg["Subject"] = subject
    msg["Date"] = date
    if mid:
        msg["Message-ID"] = "<pm-%02d@presse.example>" % n
    msg["MIME-Version"] = "1.0"
    return msg


def plain(text, charset="utf-8", cte=None):
    m = MIMEText(text, "plain", charset)
    if cte == "qp":
        del m["Content-Transfer-Encoding"]
        import quopri
        m.set_payload(quopri.encodestring(text.encode(charset)).decode("ascii"))
        m["Content-Transfer-Encoding"] = "quoted-printable"
    return m


def attachment(data, subtype, filename):
    a = MIMEApplication(data, subtype)
    a.add_header("Content-Disposition", "attachment", filename=filename)
    return a


def messages():
    out = []
    seed_title, seed = release("000_")
    # 1: plain seed + the same release as PDF
    m = base(MIMEMultipart("mixed"), 1, "Stadt Hagen – Pressestelle <pressestelle@stadt-hagen.de>",
             Header("PM: " + seed_title, "utf-8").encode(), "Thu, 30 Jan 2025 10:15:00 +0100")
    m.attach(plain(seed))
    m.attach(attachment(open(os.path.join(ROOT, "tests", "formats", "seed.pdf"), "rb").read(), "pdf",
                        "PM_Fachtag_Migrantenorganisationen.pdf"))
    out.append(m)
    # 2: HTML only
    t, x = release("001_")
    m = base(MIMEText(html_of(x), "html", "utf-8"), 2, "Stadt Dortmund <presse@stadt-dortmund.de>",
             Header("Pressemitteilung: " + t, "utf-8").encode(), "Mon, 13 May 2024 09:00:00 +0200")
    out.append(m)
    # 3: quoted-printable Windows-1252, Q-encoded ISO-8859-1 subject
    t, x = release("002_")
    m = base(plain(x, "windows-1252", "qp"), 3, "Polizei Berlin <pressestelle@polizei.berlin.de>",
             Header(t, "iso-8859-1").encode(), "Mon, 03 Jun 2024 11:30:00 +0200")
    out.append(m)
    # 4: cover note + another release as PDF (its info title is a generator's name)
    t, x = release("017_")
    m = base(MIMEMultipart("mixed"), 4, "Stadt Hagen <pressestelle@stadt-hagen.de>", "Pressemitteilung Hochwasserschutz",
             "Tue, 09 Apr 2024 14:00:00 +0200")
    m.attach(plain("Sehr geehrte Damen und Herren,\n\nanbei unsere heutige Pressemitteilung.\n"))
    m.attach(attachment(pdf_of([t, ""] + wrap(x)), "pdf", "PM_Volme.pdf"))
    out.append(m)
    # 5: cover note + DOCX
    t, x = release("003_")
    m = base(MIMEMultipart("mixed"), 5, "Stadt Köln – Presseamt <presseamt@stadt-koeln.de>",
             Header("Presseinformation: " + t, "utf-8").encode(), "Wed, 21 Feb 2024 08:45:00 +0100")
    m.attach(plain("Guten Tag,\n\ndie Pressemitteilung finden Sie im Anhang.\n\nMit freundlichen Grüßen\nPresseamt\n"))
    m.attach(attachment(docx_of(t, x), "vnd.openxmlformats-officedocument.wordprocessingml.document", "PM_Kitas.docx"))
    out.append(m)
    # 6: inline forward
    t, x = release("005_")
    body = ("Hallo zusammen,\n\nzur Info, das kam heute von der Stadt.\n\n-- \nJana Beispiel\nRedaktion Lokales\n\n"
            "---------- Forwarded message ---------\n"
            "Von: Stadt Freiburg im Breisgau – Pressestelle <presse@stadt.freiburg.de>\n"
            "Date: Mi., 17. Apr. 2024 um 09:12 Uhr\nSubject: Pressemitteilung: %s\n"
            "To: <lokales@zeitung.example>\n\n%s" % (t, x))
    m = base(plain(body), 6, "Jana Beispiel <jana.beispiel@zeitung.example>",
             Header("Fwd: Pressemitteilung: " + t, "utf-8").encode(), "Wed, 17 Apr 2024 10:02:00 +0200")
    out.append(m)
    # 7: forwarded as message/rfc822
    t, x = release("006_")
    inner = base(plain(x), 70, "Feuerwehr Frankfurt am Main <presse.feuerwehr@stadt-frankfurt.de>",
                 Header("PM: " + t, "utf-8").encode(), "Fri, 12 Jan 2024 12:00:00 +0100")
    m = base(MIMEMultipart("mixed"), 7, "Jana Beispiel <jana.beispiel@zeitung.example>",
             Header("WG: PM: " + t, "utf-8").encode(), "Fri, 12 Jan 2024 13:30:00 +0100")
    m.attach(plain("Zur Weiterverwendung.\n"))
    m.attach(MIMEMessage(inner))
    out.append(m)
    # 8: alternative plain + HTML, signature
    t, x = release("007_")
    alt = MIMEMultipart("alternative")
    alt.attach(plain(x + "\n-- \nPolizeipräsidium Dortmund\nPressestelle, Markgrafenstraße 102\nSignaturzeilenwort\n"))
    alt.attach(MIMEText(html_of(x), "html", "utf-8"))
    m = base(alt, 8, "Polizeipräsidium Dortmund <poea.dortmund@polizei.nrw.de>", Header(t, "utf-8").encode(),
             "Thu, 07 Mar 2024 07:30:00 +0100")
    out.append(m)
    # 9: list tag, numbered genre prefix
    t, x = release("004_")
    m = base(plain(x), 9, "Ministerium für Umwelt NRW <presse@mulnv.nrw.de>",
             Header("[presse-nrw] Pressemitteilung Nr. 12/2024: " + t, "utf-8").encode(),
             "Tue, 05 Mar 2024 16:00:00 +0100")
    out.append(m)
    # 10: a reply with a quoted original
    m = base(plain("Vielen Dank, wir berichten am Samstag über den Ehrenamtspreis.\n\n"
                   "Am 14.05.2024 um 10:00 schrieb Stadt Bielefeld <presse@bielefeld.de>:\n"
                   "> Die Stadt Bielefeld verleiht den Ehrenamtspreis.\n> Zitatwortmarker aus dem Original.\n"),
             10, "Redaktion Lokales <lokales@zeitung.example>", "AW: Ehrenamtspreis der Stadt Bielefeld",
             "Tue, 14 May 2024 11:00:00 +0200")
    out.append(m)
    # 11: base64 UTF-8 body, no Message-ID
    t, x = release("015_")
    m = MIMEText(x, "plain", "utf-8")
    m = base(m, 11, "Stadt Bielefeld <presse@bielefeld.de>", Header(t, "utf-8").encode(),
             "Mon, 13 May 2024 10:00:00 +0200", mid=False)
    out.append(m)
    # 12: Outlook forward
    t, x = release("019_")
    body = ("Zur Kenntnis.\n\n-----Ursprüngliche Nachricht-----\nVon: Stadt Leipzig <presse@leipzig.de>\n"
            "Gesendet: Donnerstag, 5. Dezember 2024 09:00\nAn: lokales@zeitung.example\n"
            "Betreff: %s\n\n%s" % (t, x))
    m = base(plain(body), 12, "Jana Beispiel <jana.beispiel@zeitung.example>", Header("WG: " + t, "utf-8").encode(),
             "Thu, 05 Dec 2024 09:30:00 +0100")
    out.append(m)
    return out


def as_bytes(m):
    return m.as_bytes(policy=POLICY)


def mbox_of(msgs):
    b = io.BytesIO()
    for m in msgs:
        data = as_bytes(m)
        data = re.sub(rb"(?m)^(>*From )", rb">\1", data)  # mboxrd escaping
        b.write(b"From presse@example Thu Jan 30 10:00:00 2025\n" + data)
        if not data.endswith(b"\n"):
            b.write(b"\n")
        b.write(b"\n")
    return b.getvalue()


def broken():
    good1 = base(plain(release("009_")[1]), 20, "Regionalverband Ruhr <presse@rvr.ruhr>", release("009_")[0],
                 "Mon, 10 Jun 2024 10:00:00 +0200")
    good2 = base(plain(release("010_")[1]), 21, "Landeshauptstadt Kiel <presse@kiel.de>", release("010_")[0],
                 "Tue, 11 Jun 2024 10:00:00 +0200")
    nobody = base(MIMEMultipart("mixed"), 22, "Stadt Hagen <pressestelle@stadt-hagen.de>", "Leere Nachricht",
                  "Wed, 12 Jun 2024 10:00:00 +0200")
    raw_broken = (b"From: Stadt Hagen <pressestelle@stadt-hagen.de>\nSubject: Kaputte MIME-Struktur\n"
                  b"Date: Thu, 13 Jun 2024 10:00:00 +0200\nMessage-ID: <pm-23@presse.example>\nMIME-Version: 1.0\n"
                  b"Content-Type: multipart/mixed; boundary=\"nie-gesehen\"\n\n"
                  b"Dieser Text steht vor einer Grenze, die nie kommt.\n--andere-grenze\n\nnoch mehr\n")
    inner = base(plain("Innerste Nachricht Verschachtelungswort.\n"), 40, "x <x@example.org>", "innen",
                 "Fri, 14 Jun 2024 10:00:00 +0200")
    for k in range(12):
        outer = MIMEMultipart("mixed")
        outer.attach(MIMEMessage(inner))
        inner = base(outer, 41 + k, "x <x@example.org>", "Fwd: Verschachtelung %d" % k, "Fri, 14 Jun 2024 10:00:00 +0200")
    nested = inner
    nested.replace_header("Message-ID", "<pm-24@presse.example>")
    bomb = base(MIMEMultipart("mixed"), 25, "Stadt Hagen <pressestelle@stadt-hagen.de>", "Anhang-Bombe",
                "Sat, 15 Jun 2024 10:00:00 +0200")
    bomb.attach(plain("Kurz.\n"))
    bomb.attach(attachment(docx_of("Bombe", "Bombentext", filler=20 * 1024 * 1024),
                           "vnd.openxmlformats-officedocument.wordprocessingml.document", "bombe.docx"))
    b = io.BytesIO()
    for m in (good1, nobody, None, nested, bomb, good2):
        data = as_bytes(m) if m is not None else raw_broken
        b.write(b"From presse@example Thu Jan 30 10:00:00 2025\n" + data + b"\n")
    return b.getvalue()


def main():
    os.makedirs(OUT, exist_ok=True)
    msgs = messages()
    with open(os.path.join(OUT, "box.mbox"), "wb") as f:
        f.write(mbox_of(msgs))
    for sub in ("cur", "new", "tmp"):
        d = os.path.join(OUT, "Maildir", sub)
        os.makedirs(d, exist_ok=True)
        for old in os.listdir(d):
            os.remove(os.path.join(d, old))
    open(os.path.join(OUT, "Maildir", "tmp", ".keep"), "w").close()
    for i, m in enumerate(msgs, 1):
        sub, flags = ("cur", ":2,S") if i <= 6 else ("new", "")
        with open(os.path.join(OUT, "Maildir", sub, "17380000%02d.M%dP100.presse%s" % (i, i, flags)), "wb") as f:
            f.write(as_bytes(m))
    with open(os.path.join(OUT, "broken.mbox"), "wb") as f:
        f.write(broken())


if __name__ == "__main__":
    main()
