#!/usr/bin/env python3
"""Writes the feed fixtures of tests/feeds/ from releases of corpus/ (CC0, written for the project).

The generated files are committed, so the tests never need this script; run it again only when
the fixtures should change:

    python3 tools/make_feed_fixtures.py

What it writes:

  rss.xml      RSS 2.0 of a city's press page, 4 items: full text as content:encoded HTML (with a
               guid), a description only (HTML escaped, link but no guid), a CDATA description,
               and an item without any content (reported, the rest indexed)
  atom.xml     Atom 1.0 of a police press page, 3 entries: content type="html", content
               type="xhtml", a text summary only
  broken/malformed.xml   RSS cut off inside its third item: the two before it are indexed
  broken/notafeed.xml    an XHTML page, no feed
"""
import os
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_mail_fixtures import html_of, release  # noqa: E402  (the same corpus reader)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "feeds")


def body_html(text):
    return html_of(text).split("<body>\n", 1)[1].split("</body>", 1)[0]


def rss():
    items = []
    t, x = release("017_")
    items.append("<item><title>%s</title><link>https://www.hagen.de/presse/volme</link>"
                 "<guid isPermaLink=\"false\">hagen-2024-0815</guid><pubDate>Mon, 08 Jul 2024 09:00:00 +0200</pubDate>"
                 "<description>%s</description><content:encoded>%s</content:encoded></item>"
                 % (escape(t), escape("Kurzfassung: Hagen baut den Hochwasserschutz aus."), escape(body_html(x))))
    t, x = release("000_")
    items.append("<item><title>%s</title><link>https://www.hagen.de/presse/fachtag</link>"
                 "<pubDate>Thu, 30 Jan 2025 10:15:00 +0100</pubDate><description>%s</description></item>"
                 % (escape(t), escape(body_html(x))))
    t, x = release("011_")
    items.append("<item><title>%s</title><link>https://www.halle.de/presse/schulen</link>"
                 "<guid>https://www.halle.de/presse/schulen</guid><pubDate>Fri, 21 Jun 2024 12:00:00 +0200</pubDate>"
                 "<description><![CDATA[%s]]></description></item>" % (escape(t), body_html(x)))
    items.append("<item><title>Termin ohne Text</title><link>https://www.hagen.de/presse/leer</link>"
                 "<pubDate>Tue, 02 Jul 2024 08:00:00 +0200</pubDate></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/">\n<channel>\n'
            "<title>Stadt Hagen – Pressemitteilungen</title><link>https://www.hagen.de/presse</link>\n"
            "<description>Pressemitteilungen der Stadt Hagen</description><language>de</language>\n"
            "<image><title>Logo</title><url>https://www.hagen.de/logo.png</url></image>\n%s\n</channel>\n</rss>\n"
            % "\n".join(items))


def atom():
    entries = []
    t, x = release("002_")
    entries.append('<entry><title type="html">%s</title><id>tag:berlin.de,2024:polizei-0123</id>'
                   '<link rel="alternate" href="https://www.berlin.de/polizei/0123"/>'
                   '<published>2024-06-03T11:30:00+02:00</published><updated>2024-06-04T08:00:00+02:00</updated>'
                   '<content type="html">%s</content></entry>' % (escape(t), escape(body_html(x))))
    t, x = release("037_")
    entries.append('<entry><title>%s</title><id>tag:berlin.de,2024:polizei-1456</id>'
                   '<link href="https://www.berlin.de/polizei/1456"/><updated>2024-05-02T09:00:00+02:00</updated>'
                   '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">%s</div></content></entry>'
                   % (escape(t), body_html(x).replace("<br>", "<br/>")))
    t, x = release("026_")
    entries.append('<entry><title>%s</title><id>tag:polizei-bw.de,2024:schockanrufe</id>'
                   '<updated>2024-02-15T10:00:00+01:00</updated><summary>%s</summary></entry>'
                   % (escape(t), escape(x)))
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de">\n'
            "<title>Polizei Berlin – Polizeimeldungen</title><id>tag:berlin.de,2024:polizei</id>\n"
            "<updated>2024-06-04T08:00:00+02:00</updated>\n%s\n</feed>\n" % "\n".join(entries))


def main():
    os.makedirs(os.path.join(OUT, "broken"), exist_ok=True)
    r = rss()
    with open(os.path.join(OUT, "rss.xml"), "w", encoding="utf-8") as f:
        f.write(r)
    with open(os.path.join(OUT, "atom.xml"), "w", encoding="utf-8") as f:
        f.write(atom())
    third = r.index("<item>", r.index("<item>", r.index("<item>") + 1) + 1)
    with open(os.path.join(OUT, "broken", "malformed.xml"), "w", encoding="utf-8") as f:
        f.write(r[: third + 200])
    with open(os.path.join(OUT, "broken", "notafeed.xml"), "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Keine Meldungen.</p>'
                "</body></html>\n")


if __name__ == "__main__":
    main()
