// gcmreview review site: full-text search with Pagefind, in the page's language.
// Pagefind loads only the parts of the index a query needs. Its excerpts are
// text with <mark> around the words found: they are rebuilt here from text
// nodes and <mark> elements alone, never inserted as HTML.
"use strict";

const PAGE_SIZE = 10;
const form = document.querySelector(".search-form");
const input = document.getElementById("search-input");
const status = document.querySelector(".search-status");
const list = document.querySelector(".search-results");
const more = document.querySelector(".search-more");
const filterBox = document.querySelector(".search-filters");
const selects = [...document.querySelectorAll("select[data-filter]")];
let pagefind = null;
let results = [];
let shown = 0;
let generation = 0;

function say(key, count) {
  const text = status.dataset[key] || "";
  const number = new Intl.NumberFormat(document.documentElement.lang).format(count || 0);
  status.textContent = text.replace("{count}", number);
}

function excerptNodes(excerpt) {
  // Parsed in an inert document: nothing in it runs, and only text and <mark> are kept.
  const parsed = new DOMParser().parseFromString(`<p>${excerpt}</p>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of parsed.body.firstChild.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      out.append(document.createTextNode(node.textContent));
    } else if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function safeUrl(url) {
  // Results are pages of this site: a relative or same-origin address only.
  const target = new URL(url, document.baseURI);
  return target.origin === location.origin ? target.href : null;
}

async function showMore(mine) {
  const batch = results.slice(shown, shown + PAGE_SIZE);
  shown += batch.length;
  const data = await Promise.all(batch.map((r) => r.data()));
  if (mine !== generation) return;
  for (const page of data) {
    const href = safeUrl(page.url);
    if (!href) continue;
    const item = document.createElement("li");
    const title = document.createElement("h2");
    const link = document.createElement("a");
    link.href = href;
    link.textContent = (page.meta && page.meta.title) || page.url;
    title.append(link);
    const excerpt = document.createElement("p");
    excerpt.append(excerptNodes(page.excerpt || ""));
    item.append(title, excerpt);
    const subs = (page.sub_results || []).filter((s) => s.url !== page.url).slice(0, 3);
    if (subs.length) {
      const sublist = document.createElement("ul");
      for (const sub of subs) {
        const subHref = safeUrl(sub.url);
        if (!subHref) continue;
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = subHref;
        a.textContent = sub.title;
        li.append(a);
        sublist.append(li);
      }
      item.append(sublist);
    }
    list.append(item);
  }
  more.hidden = shown >= results.length;
}

function chosenFilters() {
  const filters = {};
  for (const select of selects) {
    if (select.value) filters[select.dataset.filter] = select.value;
  }
  return filters;
}

async function run() {
  const mine = ++generation;
  const query = input.value.trim();
  list.replaceChildren();
  more.hidden = true;
  const filters = chosenFilters();
  if (!query && !Object.keys(filters).length) {
    status.textContent = "";
    return;
  }
  say("searching");
  const found = await pagefind.search(query || null, { filters });
  if (mine !== generation || !found) return;
  results = found.results;
  shown = 0;
  say(results.length === 0 ? "none" : "many", results.length);
  await showMore(mine);
}

// In Arabic, a list is ordered with the article aside (الجزائر with the ج), as United
// Nations documents list States and gcmreview's pages do (core/text.py collation_key).
function collated(value) {
  return document.documentElement.lang === "ar" ? value.replace(/^ال/, "") : value;
}

function numbered(a, b) {
  const na = parseInt(a, 10), nb = parseInt(b, 10);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && na !== nb) return na - nb;
  const lang = document.documentElement.lang;
  return collated(a).localeCompare(collated(b), lang) || a.localeCompare(b, lang);
}

async function fillFilters(params) {
  const available = await pagefind.filters();
  for (const select of selects) {
    const values = Object.keys(available[select.dataset.filter] || {}).sort(numbered);
    for (const value of values) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.append(option);
    }
    const wanted = params.get(select.dataset.filter);
    if (wanted && values.includes(wanted)) select.value = wanted;
  }
  filterBox.hidden = false;
}

async function start() {
  document.documentElement.classList.add("js");
  try {
    pagefind = await import(new URL("../pagefind/pagefind.js", import.meta.url).href);
    await pagefind.options({ excerptLength: 30 });
    await pagefind.init();
  } catch (error) {
    say("failed");
    return;
  }
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  await fillFilters(params);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const url = new URL(location.href);
    url.searchParams.set("q", input.value);
    for (const select of selects) {
      if (select.value) url.searchParams.set(select.dataset.filter, select.value);
      else url.searchParams.delete(select.dataset.filter);
    }
    history.replaceState(null, "", url);
    run();
  });
  for (const select of selects) select.addEventListener("change", run);
  more.querySelector("button").addEventListener("click", () => showMore(generation));
  await run();
}

start();
