#!/usr/bin/env python3
"""Writes a JSON-lines corpus ({"id","title","date","text",...}, e.g. the Berlin police corpus of
../shared/data) as one file per release, twice: as an HTML page the way a press office's site
serves it (navigation, breadcrumb, header, footer, cookie banner, script and style around an
<article>) and as plain text (title, blank line, text). bench/bench_formats.sh indexes both with
presse-index and compares the throughput.

    python3 bench/berlin_to_html.py [DOCS.jsonl] [OUTDIR]     # OUTDIR/html/*.html, OUTDIR/txt/*.txt

The corpus is not in the repository and neither are the generated files.
"""
import html
import json
import os
import sys

DEFAULT = "../shared/data/corpora/berlin-polizei-2020-2022/docs.jsonl"

NAV = ["Polizei", "Prävention", "Kriminalität", "Verkehr", "Aufgaben", "Karriere", "Service", "Presse",
       "Polizeimeldungen", "Fahndung", "Internetwache", "Kontakt", "Social Media", "Leichte Sprache",
       "Gebärdensprache", "English"]
FOOT = ["Impressum", "Datenschutzerklärung", "Barrierefreiheit", "Kontakt", "Newsletter", "Sitemap", "RSS"]

PAGE = """<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - Berlin.de</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="Polizei Berlin">
<meta property="article:published_time" content="{date}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/css/berlin.css">
<style>.sr-only{{position:absolute;width:1px;height:1px;overflow:hidden}} .nav a{{padding:0 .5em}}</style>
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{page:"polizeimeldung",id:"{id}"}});</script>
</head>
<body>
<a class="sr-only" href="#content">Zum Inhalt springen</a>
<header class="site-header">
<div class="logo"><a href="/"><img src="/img/berlin-logo.svg" alt="Berlin.de"></a></div>
<form class="search" action="/suche/"><label class="sr-only" for="q">Suche</label><input id="q" name="q"><button>Suchen</button></form>
<nav class="main-nav" aria-label="Hauptnavigation"><ul>{nav}</ul></nav>
</header>
<div class="breadcrumb"><span class="sr-only">Sie befinden sich hier:</span> <a href="/">Startseite</a> &rsaquo; <a href="/polizei/">Polizei</a> &rsaquo; <a href="/polizei/polizeimeldungen/">Polizeimeldungen</a> &rsaquo; {title}</div>
<main id="content">
<article class="pressemitteilung">
<header class="article-header">
<p class="kicker">Polizeimeldung vom <time datetime="{date}">{date_de}</time></p>
<h1>{title}</h1>
<p class="location">{location}</p>
</header>
{paras}
<div class="share"><a href="https://www.facebook.com/sharer.php">Facebook</a> <a href="https://twitter.com/share">Twitter</a> <a href="mailto:?subject={title_attr}">E-Mail</a> <a href="javascript:window.print()">Drucken</a></div>
</article>
<aside class="sidebar"><h2>Weitere Meldungen</h2><ul>{related}</ul></aside>
</main>
<footer class="site-footer"><ul>{foot}</ul><p>&copy; Polizei Berlin &middot; Platz der Luftbrücke 6 &middot; 12101 Berlin</p></footer>
<div id="cookie-banner" role="dialog"><p>Wir verwenden Cookies, um die Website zu verbessern.</p><button>Einverstanden</button></div>
</body>
</html>
"""


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else DEFAULT
    out = sys.argv[2] if len(sys.argv) > 2 else "/tmp/presse-bench-formats"
    if not os.path.exists(src):
        print("no corpus at %s: nothing to convert" % src, file=sys.stderr)
        return 0
    os.makedirs(os.path.join(out, "html"), exist_ok=True)
    os.makedirs(os.path.join(out, "txt"), exist_ok=True)
    nav = "".join('<li><a href="/polizei/%s/">%s</a></li>' % (n.lower().replace(" ", "-"), html.escape(n)) for n in NAV)
    foot = "".join('<li><a href="/%s/">%s</a></li>' % (n.lower(), html.escape(n)) for n in FOOT)
    recent = []
    n = 0
    with open(src, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            d = json.loads(line)
            rid, title, text = str(d.get("id", n)), d.get("title") or "", d.get("text") or ""
            date = (d.get("date") or "")[:10]
            y, m, dd = (date.split("-") + ["", "", ""])[:3]
            paras = "\n".join("<p>%s</p>" % html.escape(p) for p in text.split("\n") if p.strip())
            related = "".join('<li><a href="/polizei/polizeimeldungen/%s.php">%s</a></li>' % (r, html.escape(t))
                              for r, t in recent[-5:])
            page = PAGE.format(title=html.escape(title), title_attr=html.escape(title, quote=True), date=date,
                               date_de="%s.%s.%s" % (dd, m, y), url=html.escape(d.get("url") or ""), id=html.escape(rid),
                               location=html.escape(d.get("location") or ""), nav=nav, foot=foot, paras=paras,
                               related=related)
            safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in rid)
            with open(os.path.join(out, "html", safe + ".html"), "w", encoding="utf-8") as h:
                h.write(page)
            with open(os.path.join(out, "txt", safe + ".txt"), "w", encoding="utf-8") as t:
                t.write(title + "\n\n" + text + "\n")
            recent.append((rid, title))
            n += 1
    print("%d releases written to %s/html and %s/txt" % (n, out, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
