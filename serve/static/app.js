// presse-serve's web UI: plain JavaScript, no framework, no build step. The URL holds the whole
// state (q, f = filters, from, to, sort, page, doc), so links can be shared and the back button
// works. Release text only ever reaches the page as text nodes (textContent), never as HTML.
"use strict";

const PAGE = 10;
const TYPES = [["PER", "Personen"], ["ORG", "Organisationen"], ["LOC", "Orte"], ["ISSUER", "Herausgeber"]];
const FIELD = { PER: "person", ORG: "org", LOC: "ort", ISSUER: "von" };
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

// ---- state <-> URL ----

function readState() {
  const p = new URLSearchParams(location.search);
  return {
    q: p.get("q") || "", f: p.getAll("f"), from: p.get("from") || "", to: p.get("to") || "",
    sort: p.get("sort") || "relevance", page: Math.max(0, parseInt(p.get("page") || "0", 10) || 0),
    doc: p.get("doc") || "",
  };
}

function stateURL(s) {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  for (const f of s.f) p.append("f", f);
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  if (s.sort && s.sort !== "relevance") p.set("sort", s.sort);
  if (s.page) p.set("page", String(s.page));
  if (s.doc) p.set("doc", s.doc);
  const qs = p.toString();
  return qs ? "?" + qs : location.pathname;
}

let navigated = false; // the back link goes back in history only to a page of this app

function go(changes, replace) {
  if (!replace) navigated = true;
  const s = Object.assign(readState(), changes);
  if (!("page" in changes)) s.page = 0;
  if (!("doc" in changes)) s.doc = "";
  history[replace ? "replaceState" : "pushState"](null, "", stateURL(s));
  render();
}

function fullQuery(s) { return [s.q, ...s.f].filter(Boolean).join(" "); }

function searchParams(s, extra) {
  const p = new URLSearchParams({ q: fullQuery(s) });
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  if (s.sort) p.set("sort", s.sort);
  for (const [k, v] of Object.entries(extra || {})) p.set(k, v);
  return p;
}

// ---- talking to the API ----

let generation = 0; // a newer render makes older answers stale

async function api(path) {
  const res = await fetch(path, { headers: { Accept: "application/json" } });
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) {
    const msg = body && body.error ? body.error.message : "Der Server antwortet nicht wie erwartet (" + res.status + ").";
    const err = new Error(msg);
    err.position = body && body.error ? body.error.position : undefined;
    throw err;
  }
  return body;
}

function setStatus(text, kind) {
  const st = $("status");
  st.className = kind || "";
  st.replaceChildren();
  if (text instanceof Node) st.append(text); else st.textContent = text || "";
}

// ---- rendering ----

function show(view) {
  $("results-view").hidden = view !== "results";
  $("doc-view").hidden = view !== "doc";
  $("intro").hidden = view !== "intro";
}

// text with marks at code-point offsets [[start, end, className]]
function marked(text, spans, cls) {
  const chars = Array.from(text || "");
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [s, e, c] of spans.slice().sort((a, b) => a[0] - b[0])) {
    if (s < at || e <= s || e > chars.length) continue; // overlapping or out of range: left unmarked
    if (s > at) out.append(chars.slice(at, s).join(""));
    out.append(el("mark", { class: c || cls || "" }, chars.slice(s, e).join("")));
    at = e;
  }
  if (at < chars.length) out.append(chars.slice(at).join(""));
  return out;
}

function hlSpans(h) { return (h || []).map((m) => [m.char_start, m.char_end]); }

function fmtDate(d) {
  if (!d) return "ohne Datum";
  const [y, m, day] = d.split("-");
  return day + "." + m + "." + y;
}

const MONTHS = ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"];
function fmtMonth(ym) { const [y, m] = ym.split("-"); return MONTHS[parseInt(m, 10) - 1] + " " + y; }

function renderChips(s) {
  const box = $("chips");
  box.replaceChildren();
  s.f.forEach((f, i) => {
    box.append(el("span", { class: "chip", "data-filter": f }, f,
      el("button", { type: "button", title: "Filter entfernen", "aria-label": "Filter " + f + " entfernen",
        onclick: () => go({ f: s.f.filter((_, k) => k !== i) }) }, "×")));
  });
  if (s.from || s.to) {
    const label = "Zeitraum: " + (s.from ? fmtMonth(s.from.slice(0, 7)) : "…") + " – " + (s.to ? fmtMonth(s.to.slice(0, 7)) : "…");
    box.append(el("span", { class: "chip", "data-filter": "datum" }, label,
      el("button", { type: "button", "aria-label": "Zeitraum entfernen", onclick: () => go({ from: "", to: "" }) }, "×")));
  }
}

function renderFacets(s, facets) {
  const box = $("facets");
  box.replaceChildren();
  for (const [type, label] of TYPES) {
    const list = (facets && facets[type]) || [];
    if (!list.length) continue;
    const ul = el("ul");
    for (const f of list) {
      const filter = f.filter || FIELD[type] + ':"' + f.name + '"';
      const active = s.f.includes(filter);
      ul.append(el("li", {}, el("button", {
        type: "button", "data-name": f.name, "aria-pressed": active ? "true" : "false",
        onclick: () => { if (!active) go({ f: s.f.concat([filter]) }); },
      }, el("span", {}, f.name), el("span", { class: "n" }, f.count.toLocaleString("de-DE")))));
    }
    box.append(el("section", { class: "panel facet", "data-type": type }, el("h2", {}, label), ul));
  }
}

// every month from the first to the last, the empty ones too
function fillMonths(hist) {
  if (!hist.length) return [];
  const out = [];
  let [y, m] = hist[0].month.split("-").map(Number);
  const [ly, lm] = hist[hist.length - 1].month.split("-").map(Number);
  const byMonth = new Map(hist.map((h) => [h.month, h.count]));
  while ((y < ly || (y === ly && m <= lm)) && out.length < 600) {
    const key = y + "-" + String(m).padStart(2, "0");
    out.push({ month: key, count: byMonth.get(key) || 0 });
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

function lastDay(ym) {
  const [y, m] = ym.split("-").map(Number);
  return ym + "-" + String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, "0");
}

function renderHistogram(s, hist) {
  const box = $("histogram");
  box.replaceChildren();
  const months = fillMonths(hist || []);
  if (!months.length) { box.append(el("p", { class: "meta" }, "Keine datierten Treffer.")); return; }
  const W = 260, H = 80, n = months.length, bw = W / n, max = Math.max(...months.map((x) => x.count), 1);
  const root = svg("svg", { viewBox: "0 0 " + W + " " + (H + 12), role: "img", "aria-label": "Treffer pro Monat" });
  const selFrom = s.from ? s.from.slice(0, 7) : "", selTo = s.to ? s.to.slice(0, 7) : "";
  const bars = [];
  let dragFrom = -1;
  const paint = (a, b) => bars.forEach((r, i) => r.classList.toggle("sel", i >= Math.min(a, b) && i <= Math.max(a, b)));
  const choose = (a, b) => {
    const lo = months[Math.min(a, b)].month, hi = months[Math.max(a, b)].month;
    go({ from: lo, to: lastDay(hi) });
  };
  months.forEach((mo, i) => {
    const h = mo.count ? Math.max(2, (mo.count / max) * H) : 0;
    // a full-height transparent target, so that empty months can be clicked and dragged over
    const g = svg("g", {});
    const hit = svg("rect", { x: i * bw, y: 0, width: bw, height: H, fill: "transparent" });
    const bar = svg("rect", { class: "bar", x: i * bw + 0.5, y: H - h, width: Math.max(bw - 1, 0.5), height: h,
      "data-month": mo.month, tabindex: "0", "aria-label": fmtMonth(mo.month) + ": " + mo.count + " Treffer" });
    const t = svg("title", {});
    t.textContent = fmtMonth(mo.month) + ": " + mo.count + " Treffer";
    bar.append(t);
    if ((selFrom || selTo) && (!selFrom || mo.month >= selFrom) && (!selTo || mo.month <= selTo)) bar.classList.add("sel");
    for (const r of [hit, bar]) {
      r.addEventListener("pointerdown", (e) => { e.preventDefault(); dragFrom = i; paint(i, i); });
      r.addEventListener("pointerenter", () => { if (dragFrom >= 0) paint(dragFrom, i); });
      r.addEventListener("pointerup", () => { if (dragFrom >= 0) { const a = dragFrom; dragFrom = -1; choose(a, i); } });
    }
    bar.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); choose(i, i); } });
    g.append(hit, bar);
    root.append(g);
    bars.push(bar);
  });
  root.addEventListener("pointerleave", () => { dragFrom = -1; });
  const first = svg("text", { x: 0, y: H + 10 }), last = svg("text", { x: W, y: H + 10, "text-anchor": "end" });
  first.textContent = fmtMonth(months[0].month);
  last.textContent = fmtMonth(months[n - 1].month);
  root.append(first, last);
  box.append(root);
}

function hitItem(h) {
  const title = h.title || "(ohne Titel)";
  const link = el("a", { href: stateURL(Object.assign(readState(), { doc: h.id })), "data-id": h.id,
    onclick: (e) => { e.preventDefault(); go({ doc: h.id, page: readState().page }); } },
    marked(title, hlSpans(h.title_highlights)));
  const meta = el("p", { class: "meta" }, fmtDate(h.date), h.issuer ? " · " + h.issuer : "",
    h.collapsed ? " · " + h.collapsed + (h.collapsed === 1 ? " weitere Fassung" : " weitere Fassungen") : "",
    h.all_words === false ? el("span", { class: "partial" }, "enthält nur einen Teil der Wörter") : null);
  return el("li", { class: "hit" }, el("h3", { class: "hit-title" }, link), meta,
    el("p", { class: "snippet" }, marked(h.snippet, hlSpans(h.highlights))));
}

async function renderResults(s, gen) {
  show("results");
  $("q").value = s.q;
  $("sort").value = s.sort;
  renderChips(s);
  const query = fullQuery(s);
  document.title = "presse – " + query;
  $("feed-link").href = "feed.atom?" + new URLSearchParams({ q: query }).toString();
  $("csv-link").href = "api/export.csv?" + searchParams(s).toString();
  setStatus("Suche läuft …", "loading");
  $("results").setAttribute("aria-busy", "true");
  try {
    const p = searchParams(s, { facets: "8", limit: String(PAGE), offset: String(s.page * PAGE) });
    const wantHist = s.from || s.to; // the histogram shows the whole span, the chosen range marked
    const [r, all] = await Promise.all([api("api/search?" + p.toString()),
      wantHist ? api("api/search?" + new URLSearchParams({ q: query, facets: "1", limit: "1" }).toString()) : null]);
    if (gen !== generation) return;
    const hits = $("hits");
    hits.replaceChildren(...r.hits.map(hitItem));
    renderFacets(s, r.facets);
    renderHistogram(s, (all || r).histogram);
    const total = r.total.toLocaleString("de-DE");
    $("count").textContent = r.total === 0 ? "Keine Treffer" : (r.total_exact ? "" : "etwa ") + total + " Treffer";
    if (r.total === 0) {
      const msg = el("span", {}, "Keine Treffer für „" + query + "“.");
      if (r.suggestion) {
        msg.append(" ", el("span", { class: "suggestion" }, "Meinten Sie: ",
          el("a", { href: stateURL({ q: r.suggestion, f: [], from: "", to: "", sort: "", page: 0, doc: "" }),
            onclick: (e) => { e.preventDefault(); go({ q: r.suggestion, f: [] }); } }, r.suggestion), "?"));
      }
      setStatus(msg, "empty");
    } else if (!r.all_words) {
      setStatus("Kein Treffer enthält alle Wörter; Treffer mit einem Teil davon:");
    } else setStatus("");
    const pages = Math.ceil(r.total / PAGE);
    $("page").textContent = pages > 1 ? "Seite " + (s.page + 1) + " von " + pages.toLocaleString("de-DE") : "";
    $("prev").hidden = s.page === 0;
    $("next").hidden = s.page + 1 >= pages;
  } catch (e) {
    if (gen !== generation) return;
    $("hits").replaceChildren();
    $("facets").replaceChildren();
    $("histogram").replaceChildren();
    $("count").textContent = "";
    $("prev").hidden = $("next").hidden = true;
    $("page").textContent = "";
    setStatus("Fehler: " + e.message + (e.position !== undefined ? " (Zeichen " + (e.position + 1) + ")" : ""), "error");
  } finally {
    $("results").removeAttribute("aria-busy");
  }
}

async function renderDoc(s, gen) {
  show("doc");
  setStatus("Meldung wird geladen …", "loading");
  for (const id of ["doc-title", "doc-meta", "doc-text", "doc-entities", "doc-contacts", "similar"]) $(id).replaceChildren();
  try {
    const enc = encodeURIComponent(s.doc);
    const [d, sim] = await Promise.all([api("api/doc/" + enc), api("api/similar/" + enc + "?limit=5")]);
    if (gen !== generation) return;
    document.title = "presse – " + (d.title || s.doc);
    $("doc-title").textContent = d.title || "(ohne Titel)";
    $("doc-meta").replaceChildren(fmtDate(d.date), d.issuer ? " · " + d.issuer : "", " · ", el("span", { class: "id" }, d.id));
    const ents = (d.entities || []).filter((e) => e.char_end > e.char_start);
    $("doc-text").replaceChildren(marked(d.text, ents.map((e) => [e.char_start, e.char_end, "ent " + e.type])));
    const box = $("doc-entities");
    const seen = new Set();
    for (const [type, label] of TYPES.slice(0, 3)) {
      const names = [];
      for (const e of ents) if (e.type === type && !seen.has(type + e.canonical)) { seen.add(type + e.canonical); names.push(e.canonical); }
      if (!names.length) continue;
      box.append(el("div", { class: "ents", "data-type": type }, el("h3", {}, label),
        el("ul", {}, ...names.map((n) => el("li", {}, el("a", {
          href: stateURL({ q: "", f: [FIELD[type] + ':"' + n + '"'], from: "", to: "", sort: "", page: 0, doc: "" }),
          onclick: (ev) => { ev.preventDefault(); go({ q: "", f: [FIELD[type] + ':"' + n + '"'], from: "", to: "" }); },
        }, n))))));
    }
    if (!box.children.length) box.append(el("p", { class: "meta" }, "keine erkannt"));
    const contacts = $("doc-contacts");
    for (const c of d.contacts || [])
      contacts.append(el("li", {}, c.name || "", c.email ? el("span", {}, " · ", el("a", { href: "mailto:" + c.email }, c.email)) : "",
        c.phone ? " · " + c.phone : ""));
    if (!contacts.children.length) contacts.append(el("li", { class: "meta" }, "keine Angaben"));
    const simList = $("similar");
    for (const h of sim.hits)
      simList.append(el("li", {}, el("a", { href: stateURL({ q: "", f: [], from: "", to: "", sort: "", page: 0, doc: h.id }),
        onclick: (e) => { e.preventDefault(); go({ doc: h.id }); } }, h.title || "(ohne Titel)"), el("span", { class: "meta" }, " " + fmtDate(h.date))));
    if (!sim.hits.length) simList.append(el("li", { class: "meta" }, "keine"));
    const issuerQ = d.issuer ? 'von:"' + d.issuer + '"' : (d.title || "");
    $("doc-feed").href = "feed.atom?" + new URLSearchParams({ q: issuerQ }).toString();
    $("doc-feed").textContent = d.issuer ? "Atom-Feed: neue Meldungen von " + d.issuer : "Atom-Feed";
    setStatus("");
  } catch (e) {
    if (gen !== generation) return;
    setStatus("Fehler: " + e.message, "error");
  }
}

function render() {
  const s = readState();
  const gen = ++generation;
  hideSuggest();
  if (s.doc) return renderDoc(s, gen);
  if (fullQuery(s) || s.from || s.to) return renderResults(s, gen);
  show("intro");
  setStatus("");
  $("q").value = "";
  document.title = "presse – Pressemitteilungen durchsuchen";
}

// ---- autocompletion ----

let suggestItems = [], suggestIndex = -1, suggestTimer = 0, suggestGen = 0;

function hideSuggest() {
  $("suggest").hidden = true;
  $("q").setAttribute("aria-expanded", "false");
  suggestItems = [];
  suggestIndex = -1;
}

function applySuggestion(item) {
  const input = $("q");
  const v = input.value;
  let start = v.length;
  while (start > 0 && !' "(:'.includes(v[start - 1])) start--;
  let head = v.slice(0, start), text = item.text;
  if (item.kind === "entity") {
    if (head.endsWith('"')) head = head.slice(0, -1);
    if (!head.endsWith(":")) head += FIELD[item.type] + ":";
    text = /\s/.test(text) ? '"' + text + '"' : text;
  }
  input.value = head + text + " ";
  hideSuggest();
  input.focus();
}

function paintSuggest() {
  [...$("suggest").children].forEach((li, i) => li.setAttribute("aria-selected", i === suggestIndex ? "true" : "false"));
}

async function updateSuggest() {
  const v = $("q").value;
  const gen = ++suggestGen;
  if (v.trim().length < 2) { hideSuggest(); return; }
  try {
    const r = await api("api/suggest?" + new URLSearchParams({ q: v }).toString());
    if (gen !== suggestGen || document.activeElement !== $("q")) return;
    suggestItems = r.suggestions.slice(0, 8);
    suggestIndex = -1;
    const ul = $("suggest");
    ul.replaceChildren(...suggestItems.map((it, i) => el("li", { role: "option", id: "sugg-" + i,
      onmousedown: (e) => { e.preventDefault(); applySuggestion(it); } },
      it.text, el("span", { class: "kind" }, it.kind === "entity" ? (TYPES.find((t) => t[0] === it.type) || ["", ""])[1] : "Wort"))));
    ul.hidden = !suggestItems.length;
    $("q").setAttribute("aria-expanded", suggestItems.length ? "true" : "false");
  } catch (e) { hideSuggest(); }
}

// ---- wiring ----

function init() {
  const input = $("q");
  $("search").addEventListener("submit", (e) => {
    e.preventDefault();
    if (suggestIndex >= 0) { applySuggestion(suggestItems[suggestIndex]); return; }
    hideSuggest();
    const q = input.value.trim();
    const s = readState();
    if (!q && !s.f.length) { go({ q: "", f: [], from: "", to: "" }); return; }
    go({ q });
  });
  input.addEventListener("input", () => { clearTimeout(suggestTimer); suggestTimer = setTimeout(updateSuggest, 150); });
  input.addEventListener("keydown", (e) => {
    if ($("suggest").hidden) return;
    if (e.key === "ArrowDown") { e.preventDefault(); suggestIndex = (suggestIndex + 1) % suggestItems.length; paintSuggest(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); suggestIndex = (suggestIndex + suggestItems.length - 1) % suggestItems.length; paintSuggest(); }
    else if (e.key === "Escape") hideSuggest();
  });
  input.addEventListener("blur", () => setTimeout(hideSuggest, 100));
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    const typing = t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement;
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) { e.preventDefault(); input.focus(); input.select(); }
  });
  $("sort").addEventListener("change", () => go({ sort: $("sort").value }));
  $("prev").addEventListener("click", () => go({ page: Math.max(0, readState().page - 1) }));
  $("next").addEventListener("click", () => go({ page: readState().page + 1 }));
  $("back").addEventListener("click", (e) => {
    e.preventDefault();
    if (navigated) history.back();
    else go({ doc: "" });
  });
  $("home").addEventListener("click", (e) => { e.preventDefault(); go({ q: "", f: [], from: "", to: "", sort: "relevance" }); });
  for (const a of document.querySelectorAll("#intro a")) {
    a.addEventListener("click", (e) => { e.preventDefault(); navigated = true; history.pushState(null, "", a.getAttribute("href")); render(); });
  }
  window.addEventListener("popstate", render);
  render();
}

document.addEventListener("DOMContentLoaded", init);
