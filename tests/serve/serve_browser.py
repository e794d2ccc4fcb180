"""The web UI end to end in Debian's headless Chromium (python3-selenium + chromium-driver; no
browser is downloaded): search, click a facet, filter a month on the histogram (click and drag),
open a release, go back, remove a filter, autocompletion, the keyboard shortcut, the no-hits and
error states, a phone-width screen, and the XSS releases rendered as text with no script run.
Screenshots go to $PRESSE_SCREENSHOTS when it is set.
usage: serve_browser.py PRESSE-INDEX PRESSE-QUERY PRESSE-SERVE SOURCE-DIR"""
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_util import SEED, Checks, Server, build_db, cleanup, tmpdir  # noqa: E402

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException, TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

INDEX, QUERY, SERVE, SRC = sys.argv[1:5]
t = Checks("serve_browser")
tmp = tmpdir()
shots = os.environ.get("PRESSE_SCREENSHOTS") or os.path.join(tmp, "screenshots")
os.makedirs(shots, exist_ok=True)
db = os.path.join(tmp, "db")
build_db(INDEX, SRC, db)
srv = Server(SERVE, db)
base = "http://127.0.0.1:%d/" % srv.port

opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
          "--no-first-run", "--disable-extensions", "--lang=de-DE", "--user-data-dir=" + os.path.join(tmp, "chromium")):
    opts.add_argument(a)
opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
drv.set_page_load_timeout(30)


def css(sel):
    return drv.find_elements(By.CSS_SELECTOR, sel)


def wait(cond, what, timeout=10):
    try:
        WebDriverWait(drv, timeout).until(lambda d: cond())
        return True
    except TimeoutException:
        t.check(False, "timed out waiting for " + what)
        return False


def settled():
    """the page has finished its requests (no loading state)"""
    return not css("#status.loading") and not css("#results[aria-busy]")


def params():
    return urllib.parse.parse_qs(urllib.parse.urlparse(drv.current_url).query)


def no_alert(what):
    try:
        drv.switch_to.alert.dismiss()
        t.check(False, "an alert ran: " + what)
    except NoAlertPresentException:
        t.check(True, "")


def hit_titles():
    return [a.text for a in css("#hits .hit-title a")]


try:
    # search
    drv.get(base + "?q=Migrantenorganisationen")
    wait(lambda: css("#hits .hit") and settled(), "hits")
    t.check(css("#hits .hit-title a")[0].get_attribute("data-id").endswith(SEED), "seed not the first hit")
    t.check(any(m.text == "Migrantenorganisationen" for m in css("#hits .hit .snippet mark")), "no highlight in snippet")
    t.check(any(m.text == "Migrantenorganisationen" for m in css("#hits .hit-title mark")), "no highlight in title")
    per = [b.get_attribute("data-name") for b in css('#facets .facet[data-type=PER] button')]
    t.check("Alexander Kühner" in per, "PER facet lacks Alexander Kühner: %s" % per)
    t.check("Stadt Hagen" in [b.get_attribute("data-name") for b in css('#facets .facet[data-type=ISSUER] button')],
            "issuer facet lacks Stadt Hagen")
    t.check(len(css("#histogram rect.bar")) >= 2, "no histogram bars")
    drv.save_screenshot(os.path.join(shots, "results.png"))

    # click a facet: a filter chip, the URL holds it
    [b for b in css('#facets .facet[data-type=PER] button') if b.get_attribute("data-name") == "Alexander Kühner"][0].click()
    wait(lambda: css("#chips .chip") and settled(), "facet chip")
    t.check(params().get("f") == ['person:"Alexander Kühner"'], "URL after the facet: %s" % drv.current_url)
    t.check(css("#hits .hit-title a") and css("#hits .hit-title a")[0].get_attribute("data-id").endswith(SEED),
            "facet: seed not first")

    # a month on the histogram
    bar = [b for b in css("#histogram rect.bar") if b.get_attribute("data-month") == "2025-01"]
    t.check(bar, "no bar for 2025-01")
    if bar:
        ActionChains(drv).click(bar[0]).perform()
        wait(lambda: "from" in params() and settled(), "month filter")
        p = params()
        t.check(p.get("from") == ["2025-01"] and p.get("to") == ["2025-01-31"], "month click: %s" % drv.current_url)
        metas = [m.text for m in css("#hits .hit .meta")]
        t.check(metas and all(".01.2025" in m for m in metas), "hits outside January 2025: %s" % metas)
        t.check(any("Zeitraum" in c.text for c in css("#chips .chip")), "no date chip")
    results_url = drv.current_url

    # open the release, then back
    css("#hits .hit-title a")[0].click()
    wait(lambda: css("#doc-text mark.ent") and settled() and css("#similar li"), "release view")
    ents = [m.text for m in css("#doc-text mark.ent.PER")]
    t.check("Alexander Kühner" in ents, "release: Alexander Kühner not marked: %s" % ents[:5])
    t.check("Migrantenorganisationen" in css("#doc-title")[0].text, "release title")
    t.check(css("#doc-contacts li") and "Kühner" in css("#doc-contacts")[0].text, "no contacts")
    t.check(not any(a.text.startswith("Fachtag von") for a in css("#similar a")), "similar lists the release itself")
    t.check("feed.atom" in css("#doc-feed")[0].get_attribute("href"), "no feed link")
    drv.save_screenshot(os.path.join(shots, "release.png"))
    drv.back()
    wait(lambda: css("#hits .hit") and not css("#results-view[hidden]") and settled(), "results after back")
    t.check(drv.current_url == results_url, "back: %s, want %s" % (drv.current_url, results_url))
    # the in-page back link too
    css("#hits .hit-title a")[0].click()
    wait(lambda: css("#doc-text mark.ent") and settled(), "release view again")
    css("#back")[0].click()
    wait(lambda: css("#hits .hit") and not css("#results-view[hidden]") and settled(), "results after the back link")
    t.check(drv.current_url == results_url, "back link: %s" % drv.current_url)

    # remove the filters by their chips
    for _ in range(2):
        chip = css("#chips .chip button")
        if chip:
            chip[0].click()
            wait(settled, "after removing a chip")
    wait(lambda: not css("#chips .chip"), "chips gone")
    t.check("f" not in params() and "from" not in params(), "filters still in URL: %s" % drv.current_url)

    # drag over the histogram: a range of months
    bars = css("#histogram rect.bar")
    if len(bars) >= 2:
        ActionChains(drv).click_and_hold(bars[0]).move_to_element(bars[-1]).release().perform()
        wait(lambda: "from" in params() and settled(), "dragged range")
        p = params()
        t.check(p.get("from", [""])[0] < p.get("to", [""])[0][:7], "drag gave no range: %s" % drv.current_url)

    # keyboard: '/' focuses the search box; autocompletion of an entity
    drv.find_element(By.TAG_NAME, "body").send_keys("/")
    t.check(drv.switch_to.active_element.get_attribute("id") == "q", "'/' does not focus the search box")
    box = css("#q")[0]
    box.clear()
    box.send_keys("person:Kühn")
    wait(lambda: any("Alexander Kühner" in li.text for li in css("#suggest li")) and not css("#suggest[hidden]"),
         "suggestions")
    box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ENTER)
    t.check('person:"Alexander Kühner"' in box.get_attribute("value"), "completion: %s" % box.get_attribute("value"))
    box.send_keys(Keys.ENTER)
    wait(lambda: params().get("q", [""])[0].startswith('person:"Alexander Kühner"') and settled(), "search from the box")
    t.check(css("#hits .hit"), "no hits for the completed query")

    # no hits: "Meinten Sie"; a malformed query: the error state
    drv.get(base + "?q=Migrantenorganisatoinen")
    wait(lambda: css("#status .suggestion a"), "Meinten Sie")
    t.check(css("#status .suggestion a") and css("#status .suggestion a")[0].text == "Migrantenorganisationen",
            "no 'Meinten Sie'")
    css("#status .suggestion a")[0].click()
    wait(lambda: css("#hits .hit") and settled(), "hits after Meinten Sie")
    drv.get(base + "?q=" + urllib.parse.quote("Kühner (Hagen"))
    wait(lambda: css("#status.error"), "error state")
    t.check("Klammer" in css("#status")[0].text or "parenthesis" in css("#status")[0].text, "error text")

    # the XSS releases show as text; nothing runs
    drv.get(base + "?q=Zeppelinhangar")
    wait(lambda: css("#hits .hit") and settled(), "XSS hits")
    t.check("<img src=x onerror=alert(1)>" in hit_titles(), "XSS title not shown as text: %s" % hit_titles())
    t.check(not css("#hits img") and not css("#hits script"), "an element from release text was created")
    no_alert("XSS title")
    [a for a in css("#hits .hit-title a") if a.get_attribute("data-id") == "xss-text"][0].click()
    wait(lambda: css("#doc-text") and settled() and css("#doc-text")[0].text, "XSS release")
    text = css("#doc-text")[0].text
    t.check('"</script><script>alert(2)</script>' in text and "<b onmouseover=alert(3)>" in text,
            "script text not shown as text")
    t.check(not css("#doc-text script") and not css("#doc-text b"), "release text became elements")
    no_alert("XSS text")
    drv.save_screenshot(os.path.join(shots, "xss.png"))

    # a phone-width screen: nothing wider than the screen
    drv.set_window_size(390, 844)
    drv.get(base + "?q=Hagen")
    wait(lambda: css("#hits .hit") and settled(), "phone hits")
    w = drv.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    t.check(w[0] <= w[1] + 1, "page wider than a phone screen: %s" % w)
    drv.save_screenshot(os.path.join(shots, "phone.png"))

    # no console errors (a CSP violation would be one)
    errs = [e for e in drv.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]
            and "400 (Bad Request)" not in e["message"]]
    t.check(not errs, "console errors: %s" % errs[:3])
finally:
    drv.quit()
    rc = srv.stop()
t.check(rc == 0, "presse-serve exited %s:\n%s" % (rc, srv.log_text()[-2000:]))
if os.environ.get("PRESSE_SCREENSHOTS"):
    print("screenshots in " + shots)
cleanup(tmp)
t.finish()
