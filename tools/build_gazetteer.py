#!/usr/bin/env python3
"""Compiles models/gazetteer.tsv ("type<TAB>entry") for the NER tagger.

Sources (see models/README.md for licences and attribution):
  ../shared/data/gazetteers/de_gemeinden.tsv          municipalities (Destatis, dl-de/by-2-0)
  ../shared/data/gazetteers/de_kreise.tsv             districts      (Destatis, dl-de/by-2-0)
  ../shared/data/gazetteers/de_vornamen_cities.tsv    first names    (Berlin, Köln: CC BY 3.0 DE;
                                                                       Leipzig, München: dl-de/by-2-0)
  ../shared/data/gazetteers/org_legal_form_suffixes_de_at_ch.tsv  legal forms (GLEIF ELF list)
plus the hand-written lists below (states, countries, organisation head nouns, titles).
Entries are tokenised the way presse's NER tokenizer cuts text, tokens joined by single spaces.

usage: tools/build_gazetteer.py [DATA_DIR] > models/gazetteer.tsv
"""
import re
import sys

data = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/gazetteers"

def tok(s):
    # Close enough to ner/tokenize.c for names: split punctuation except inner '-', '.', '&'.
    s = s.replace("(", " ( ").replace(")", " ) ").replace(",", " , ").replace("/", " / ")
    out = []
    for t in s.split():
        if t.endswith(".") and len(t) > 1 and not re.fullmatch(r"([^\W\d_]{1,3}\.)+|[A-ZÄÖÜ]\.|\w{1,5}\.", t):
            out += [t[:-1], "."]
        else:
            out.append(t)
    return " ".join(out)

entries = set()
def add(kind, name):
    name = tok(name.strip())
    if name:
        entries.add((kind, name))

def rows(fn):
    with open(f"{data}/{fn}", encoding="utf-8") as f:
        head = f.readline().rstrip("\n").split("\t")
        for line in f:
            yield dict(zip(head, line.rstrip("\n").split("\t")))

for r in rows("de_gemeinden.tsv"):
    add("city", r["name_short"])
    # "Mülheim an der Ruhr, Stadt" -> short form already; "Frankfurt am Main" etc. keep as is
    short = re.sub(r"\s*\(.*\)$", "", r["name_short"])  # "Neustadt (Hessen)" -> also "Neustadt"
    add("city", short)
    if "/" in short:
        for part in short.split("/"):
            add("city", part)
for r in rows("de_kreise.tsv"):
    add("district", r["name_short"])
    if r["type"] in ("Kreis", "Landkreis"):
        add("district", f"{r['type']} {r['name_short']}")
        add("district", f"Kreis {r['name_short']}")
for r in rows("de_vornamen_cities.tsv"):
    if int(r["count"]) >= 10 and len(r["name"]) > 1:
        add("first", r["name"])
# Older German and common international first names are rare among recent births.
for n in """Achim Albrecht Andrea Andreas Angelika Anke Annette Armin Axel Barbara Bärbel Beate Bernd
Bernhard Birgit Brigitte Burkhard Christa Christel Christiane Claudia Cornelia Dagmar Detlef Dieter
Dietmar Dirk Doris Edith Elke Erika Ernst Frank Franz Friedrich Gabriele Georg Gerd Gerhard Gertrud
Gisela Günter Günther Gudrun Hannelore Hans Hartmut Heike Heinz Helga Helmut Herbert Hildegard
Horst Ilse Ingrid Irmgard Jörg Jürgen Karin Karl Karl-Heinz Kerstin Klaus Lothar Manfred Margret
Marianne Martina Monika Norbert Petra Rainer Reinhard Renate Rita Rolf Rüdiger Sabine Siegfried
Silke Sigrid Stefan Susanne Thorsten Torsten Udo Ulrich Ulrike Ursula Ute Uwe Volker Waltraud
Werner Wolfgang Walter Wilhelm Heiner Hubert Josef Joachim Olaf Winfried Gunter Reiner Eberhard
Aslı Asli Ayşe Fatma Mehmet Mustafa Ahmet Hatice Emine Murat Hüseyin Ali Olaf Boris Friedrich-Wilhelm
Hans-Jürgen Hans-Peter Karl-Heinz Klaus-Dieter Hans-Joachim Franz-Josef""".split():
    add("first", n)

for n in """Baden-Württemberg Bayern Berlin Brandenburg Bremen Hamburg Hessen Mecklenburg-Vorpommern
Niedersachsen Nordrhein-Westfalen Rheinland-Pfalz Saarland Sachsen Sachsen-Anhalt Schleswig-Holstein
Thüringen NRW Burgenland Kärnten Niederösterreich Oberösterreich Salzburg Steiermark Tirol Vorarlberg
Wien Zürich Bern Luzern Aargau Graubünden Tessin Wallis Waadt Genf Basel Südtirol Elsass Flandern
Wallonien Katalonien Schottland Wales England Kalifornien Texas Florida Bayern""".split():
    add("state", n)
for n in ["Freistaat Bayern", "Freistaat Sachsen", "Freistaat Thüringen", "Land Berlin",
          "Land Nordrhein-Westfalen", "Land Brandenburg", "New York", "Ruhrgebiet", "Rheinland",
          "Westfalen", "Ostwestfalen", "Sauerland", "Münsterland", "Niederrhein", "Emsland",
          "Allgäu", "Eifel", "Harz", "Schwarzwald", "Bodensee", "Ostsee", "Nordsee", "Rhein",
          "Ruhr", "Elbe", "Donau", "Main", "Mosel", "Spree", "Havel", "Weser", "Oder", "Alpen",
          "Lausitz", "Uckermark", "Oberpfalz", "Franken", "Oberbayern", "Niederbayern", "Schwaben"]:
    add("state", n)

countries = """Afghanistan Ägypten Albanien Algerien Andorra Angola Argentinien Armenien Aserbaidschan
Äthiopien Australien Bahrain Bangladesch Belarus Weißrussland Belgien Benin Bhutan Bolivien Bosnien
Botswana Brasilien Bulgarien Burundi Chile China Costa_Rica Dänemark Deutschland Ecuador Eritrea
Estland Finnland Frankreich Gabun Gambia Georgien Ghana Griechenland Großbritannien Guatemala Guinea
Haiti Honduras Indien Indonesien Irak Iran Irland Island Israel Italien Jamaika Japan Jemen Jordanien
Kambodscha Kamerun Kanada Kasachstan Katar Kenia Kirgisistan Kolumbien Kongo Korea Nordkorea Südkorea
Kosovo Kroatien Kuba Kuwait Laos Lettland Libanon Liberia Libyen Liechtenstein Litauen Luxemburg
Madagaskar Malaysia Mali Malta Marokko Mauretanien Mexiko Moldau Moldawien Monaco Mongolei Montenegro
Mosambik Myanmar Namibia Nepal Neuseeland Nicaragua Niederlande Holland Niger Nigeria Nordmazedonien
Mazedonien Norwegen Oman Österreich Pakistan Palästina Panama Paraguay Peru Philippinen Polen Portugal
Ruanda Rumänien Russland Sambia Saudi-Arabien Schweden Schweiz Senegal Serbien Sierra_Leone Simbabwe
Singapur Slowakei Slowenien Somalia Spanien Sri_Lanka Sudan Südsudan Südafrika Syrien Tadschikistan
Taiwan Tansania Thailand Togo Tschad Tschechien Tunesien Türkei Turkmenistan Uganda Ukraine Ungarn
Uruguay Usbekistan Venezuela Vietnam Zypern USA Amerika Vereinigte_Staaten Vereinigte_Arabische_Emirate
Europa Afrika Asien Nordamerika Südamerika Lateinamerika Ozeanien Antarktis Arktis Nahost Naher_Osten
Balkan Skandinavien Osteuropa Westeuropa Mitteleuropa Südeuropa Nordafrika Westafrika Ostafrika
Kurdistan Tibet Gaza Gazastreifen Westjordanland Krim Donbass Kaukasus Sibirien Bayern BRD DDR
Sowjetunion UdSSR Jugoslawien Tschechoslowakei Preußen Grönland Kuba Puerto_Rico Hongkong Macau""".split()
for n in countries:
    add("country", n.replace("_", " "))

heads = """Universität Hochschule Fachhochschule Technische_Universität Ministerium Bundesministerium
Landesministerium Staatsministerium Ministerium Senatsverwaltung Verein Verband Bundesverband
Landesverband Stadt Kreis Landkreis Gemeinde Amt Bundesamt Landesamt Stadtverwaltung Institut
Stiftung Akademie Gesellschaft Zentrum Integrationszentrum Polizei Polizeipräsidium Feuerwehr
Bundestag Landtag Bundesrat Senat Partei Gericht Landgericht Amtsgericht Oberlandesgericht
Verwaltungsgericht Bundesgerichtshof Bundesverfassungsgericht Kammer Handwerkskammer
Industrie-_und_Handelskammer IHK Agentur Bundesagentur Behörde Klinikum Krankenhaus Klinik Schule
Gymnasium Grundschule Gesamtschule Bank Sparkasse Volksbank Verwaltung Stadtrat Bezirksamt Jobcenter
Kirche Bistum Erzbistum Diakonie Caritas Museum Theater Bibliothek Gewerkschaft Genossenschaft
Konzern Gruppe Club Klub Bündnis Union Kommission Parlament Regierung Bundesregierung Landesregierung
Staatskanzlei Kolleg Stadtwerke Werke Rundfunk Zeitung Verlag Netzwerk Initiative Forum Büro Rat
Beirat Vorstand Fraktion Landschaftsverband Regionalverband Zweckverband Kommunalverband Städtetag
Landkreistag Wohlfahrtsverband Arbeiterwohlfahrt Hilfswerk Staatsanwaltschaft Kriminalpolizei
Bundespolizei Landeskriminalamt Bundeskriminalamt Zoll Finanzamt Ordnungsamt Jugendamt Sozialamt
Gesundheitsamt Umweltamt Standesamt Bauamt Schulamt Tiefbauamt Kanzleramt Bundeskanzleramt
Auswärtiges_Amt Bundeswehr Fakultät Lehrstuhl Seminar Kita Kindertagesstätte Volkshochschule
Musikschule Hospital Praxis Apotheke Firma Unternehmen Holding Betrieb Kooperation Städtekooperation
Allianz Vereinigung Bund Liga Team Orchester Chor Ensemble Festival Messe Flughafen Hafen Bahnhof""".split()
for n in heads:
    add("orghead", n.replace("_", " "))

# The same heads as the last part of a compound ("Integrationszentrum", "Jugendamt",
# "Sportverein"): lower-cased, matched by the tagger against a capitalised token's suffixes.
extra_suffixes = """dienst kasse werk verbund kollektiv sender ausschuss komitee kommissariat direktion
präsidium kanzlei inspektion referat dezernat fachbereich abteilung ministerium organisation""".split()
for n in sorted({h.lower() for h in heads if "_" not in h and "-" not in h and len(h) >= 3} | set(extra_suffixes)):
    add("orgsuffix", n)

# Never an entity by itself (presse_ner_extract drops such spans): labels of a release's contact
# block, press-office units and role nouns, generic rooms. No tagger feature is built from these.
for n in """E-Mail Email eMail Mail Telefon Tel. Tel Telefonnummer Fax Telefax Mobil Mobiltelefon Handy
Internet Web Homepage Website Postfach Postanschrift Anschrift Adresse Kontakt Pressekontakt Presseamt
Pressestelle Pressebüro Pressesprecher Pressesprecherin Pressereferent Pressereferentin Ansprechpartner
Ansprechpartnerin Redaktion Herausgeber Impressum Landrat Landrätin Bürgermeister Bürgermeisterin
Oberbürgermeister Oberbürgermeisterin Dekan Dekanin Rektor Rektorin Präsident Präsidentin Minister
Ministerin Dezernent Dezernentin Beigeordneter Beigeordnete Saal Sitzungssaal Ratssaal Foyer Rathaus
Straße Intendant Intendantin Direktor Direktorin Leiter Leiterin Sprecher Sprecherin""".split():
    add("stop", n)

# Institution nouns that name no particular institution when they stand alone ("die Universität",
# "die Kita", "im Kreis"); "Bundestag" and the like are left out on purpose.
for n in """Universität Hochschule Fachhochschule Kita Kitas Kindertagesstätte Krippe Krippen Schule Schulen
Grundschule Gesamtschule Gymnasium Verein Vereine Kreis Gemeinde Stadt Bibliothek Zentralbibliothek
Stadtbibliothek Museum Klinik Klinikum Krankenhaus Firma Unternehmen Konzern Netzwerk Netzwerke Team
Landratsamt Verwaltung Stadtverwaltung Ministerium Behörde Polizei Feuerwehr""".split():
    add("stop", n)

for n in ["Dr.", "Prof.", "Herr", "Herrn", "Frau", "Dres.", "Dipl.-Ing.", "Mag.", "PD", "Professor",
          "Professorin", "Doktor", "Dr. med.", "Dr. phil.", "Dr. rer. nat.", "Dr. jur.", "Dr.-Ing.",
          "Prof. Dr.", "Prof. Dr. Dr.", "Pfarrer", "Pfarrerin", "Sr.", "Hr.", "Fr."]:
    add("title", n)

skip_legal = {"abbreviation", "Bund", "Gemeinde", "Kanton", "EU", "Bezirk", "Botschaft", "Prokura",
              "Einzelfirma", "UG (haftungsbeschränkt) & Co. KG AG & Co. KG"}
for r in rows("org_legal_form_suffixes_de_at_ch.tsv"):
    a = r["abbreviation"]
    if a not in skip_legal and not a.startswith(("öff.", "Ausl.", "Aus.", "Inst.", "Int.", "Zweig.")):
        add("legal", a)
for n in ["e. V.", "e.V.", "eV", "gGmbH", "mbH", "GmbH", "AG", "KG", "SE", "Ltd.", "Inc.", "Corp.", "LLC",
          "S.A.", "N.V.", "B.V.", "plc", "Co. KG", "& Co. KG", "gUG", "UG", "e.G.", "eG", "gem. e.V."]:
    add("legal", n)

for n in """CDU CSU SPD FDP AfD Grüne Linke Die_Linke Bündnis_90/Die_Grünen BSW Piratenpartei NPD ÖDP
DGB Verdi ver.di IG_Metall ADAC DRK THW BVG DB Deutsche_Bahn EU UN UNO NATO UNESCO UNICEF WHO OECD
IWF EZB Bundesbank Bundeswehr Bundesregierung Europäische_Union Europäische_Kommission
Europäisches_Parlament Vereinte_Nationen Deutscher_Bundestag Bundesrat BKA LKA BND Verfassungsschutz
Siemens Volkswagen VW BMW Daimler Mercedes-Benz Bosch BASF Bayer Telekom Deutsche_Telekom Lufthansa
Allianz SAP RWE E.ON Thyssenkrupp ThyssenKrupp Evonik Commerzbank Deutsche_Bank Google Apple Microsoft
Amazon Facebook Meta Twitter Tesla ARD ZDF WDR NDR SWR BR MDR RBB HR ZDF dpa AFP Reuters FC_Bayern
Borussia_Dortmund Schalke_04 UEFA FIFA DFB IOC Caritas Diakonie AWO Arbeiterwohlfahrt Kolping
Fraunhofer Max-Planck-Gesellschaft Helmholtz Charité Vivantes BVB HSV VfB""".split():
    add("org", n.replace("_", " "))

# Debian's translation catalogues, when installed: German names of the world's countries and their
# subdivisions (iso-codes, from ISO 3166 with translations by the Translation Project; LGPL-2.1) and
# of the world's larger cities (libgeonames-common, data from geonames.org, CC BY 4.0; both the
# English name catalogue and the German one, which holds the names that differ, "Mailand", "Moskau").
# Subdivisions and cities are type "world": a tagger feature only, because these lists also hold
# brands and German nouns ("Union", "Nokia", "Nord", "Ende") that no post-processing rule may take
# for places.
# Environment: LOCALE_DIR (default /usr/share/locale). Names of up to three letters are left out.
import gettext, os
locale_dir = os.environ.get("LOCALE_DIR", "/usr/share/locale")
def catalogue(lang, domain):
    path = f"{locale_dir}/{lang}/LC_MESSAGES/{domain}.mo"
    if not os.path.exists(path):
        return {}
    with open(path, "rb") as f:
        return {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if isinstance(k, str) and k and v}
def add_world(kind, name):
    if len(name) > 3 and not re.search(r"[\d\[\]]", name):
        add(kind, name)
for k, v in catalogue("de", "iso_3166-1").items():
    add_world("country", v)
for k, v in catalogue("de", "iso_3166-2").items():
    add_world("world", v)
for lang in ("en", "de"):
    for k, v in catalogue(lang, "geonames").items():
        add_world("world", v)

out = sys.stdout
out.write("# presse NER gazetteer, compiled by tools/build_gazetteer.py; sources and licences in models/README.md\n")
for kind, name in sorted(entries):
    out.write(f"{kind}\t{name}\n")
