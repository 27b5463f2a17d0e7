// The search page: searches the Pagefind index with Pagefind's JS API and lists what it finds in the site's own
// markup and fonts; says so plainly when the build made no index.
(function () {
  "use strict";
  // Pagefind cuts a window of words around the match, often mid-sentence. The window is widened to whole
  // sentences when a sentence's end is near (REACH characters); an ellipsis marks any cut that is left.
  const EXCERPT_WORDS = 36;
  const REACH = 160;
  // Results are listed BATCH at a time, their fragment files fetched PARALLEL at a time until enough pass the filter.
  const BATCH = 10;
  const PARALLEL = 5;
  const ENDS_SENTENCE = /[.!?…][”’"')\]]*$/;
  const SENTENCE_END = /[.!?…][”’"')\]]*\s/g;

  // `html` is Pagefind's excerpt: words of the page's escaped text (raw_content) joined by spaces, matches in <mark>.
  function tidyExcerpt(html, raw) {
    if (!html || !raw) return html;
    const text = raw.split(/\s+/).join(" ");
    const plain = html.replace(/<\/?mark>/g, "");
    const at = text.indexOf(plain);
    if (at < 0) return html;
    const before = text.slice(0, at).trimEnd();
    const after = text.slice(at + plain.length);
    let head = "";
    if (before && !ENDS_SENTENCE.test(before)) {
      const near = before.slice(-REACH) + " ";
      const ends = [...near.matchAll(SENTENCE_END)];
      head = ends.length ? near.slice(ends[ends.length - 1].index + ends[ends.length - 1][0].length) : "… ";
    }
    let tail = "";
    if (after.trim() && !ENDS_SENTENCE.test(plain)) {
      const near = after.slice(0, REACH) + " ";
      SENTENCE_END.lastIndex = 0;
      const end = SENTENCE_END.exec(near);
      tail = end ? near.slice(0, end.index + end[0].length).trimEnd() : " …";
    }
    return head + html + tail;
  }

  // Pagefind 1.5 matches a query word that a bundle lacks by the longest word of that bundle it starts with
  // ("accidents" finds "a": Pagefind issues #780, #793), so a merged bundle can offer pages without the word.
  // A page is kept only if, for each query word that some page really has, it has a word whose stem starts with
  // that word's stem, stemmed as Pagefind does (Snowball English); a word no page has is left out, as Pagefind does.
  const WORD = /[\p{L}\p{N}]+/gu;
  // The stemmer is English's: for a site in another language Pagefind's stems differ, and nothing is dropped.
  const STEMS = window.porter2 && /^en\b/i.test(document.documentElement.lang || "");
  const stem = STEMS ? window.porter2.stem : function (word) { return word; };

  function folded(word) { return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase(); }

  // Pagefind indexes "covid-19" both joined and as its parts.
  function forms(word) {
    const parts = folded(word).match(WORD) || [];
    return (parts.length > 1 ? [parts.join("")].concat(parts) : parts).map(stem);
  }

  function queryStems(query) {
    return query.split(/\s+/).map(function (word) { return (folded(word).match(WORD) || []).join(""); })
      .filter(Boolean).map(stem);
  }

  function hasStems(data, stems) {
    const words = new Set();
    (data.content + " " + ((data.meta && data.meta.title) || "")).split(/\s+/).forEach(function (word) {
      forms(word).forEach(function (form) { words.add(form); });
    });
    return stems.map(function (wanted) {
      for (const word of words) if (word.startsWith(wanted)) return true;
      return false;
    });
  }

  // Whether a page passes, given the query words some page fetched so far has: until one has any, none passes
  // (a word no page has is left out, but a query none of whose words any page has finds nothing).
  function passes(has, seen) {
    return seen.some(Boolean) && seen.every(function (needed, i) { return !needed || has[i]; });
  }

  function tidyResult(data) {
    const raw = data.raw_content || data.content;
    data.excerpt = tidyExcerpt(data.excerpt, raw);
    const title = ((data.meta && data.meta.title) || data.url).trim();
    // The first sub-result is often the page itself, under its own title: only the sections below it are shown.
    data.sections = (data.sub_results || []).filter(function (sub) {
      return sub.url.indexOf("#") >= 0 && (sub.title || "").trim() !== title;
    }).slice(0, 3);
    data.sections.forEach(function (sub) { sub.excerpt = tidyExcerpt(sub.excerpt, raw); });
    return data;
  }

  // A query's results, fetched (one fragment file each) and filtered a few at a time in score order, only as far
  // as the reader asks: a common word finds most of the site. Which query words count is known only from the pages
  // fetched, so a word first seen late drops the pages kept before without it; once all are fetched, the kept
  // pages are those an eager filter of all of them keeps.
  function lazySearch(pagefind, query) {
    const stems = queryStems(query);
    const state = { query: query, results: [], fetched: [], seen: stems.map(function () { return false; }), kept: [], next: 0 };
    const ready = stems.length ? pagefind.search(query).then(function (found) { state.results = found.results; })
      : Promise.resolve();
    state.total = function () { return state.results.length; };
    state.done = function () { return state.next >= state.results.length; };
    // Fetches until `wanted` pages are kept, none is left or the reader asks something else (`stopped`);
    // resolves to the pages kept so far.
    state.upTo = async function (wanted) {
      await ready;
      while (state.kept.length < wanted && !state.done() && !state.stopped) await fetchBatch(state, stems);
      return state.kept;
    };
    return state;
  }

  async function fetchBatch(state, stems) {
    const batch = state.results.slice(state.next, state.next + PARALLEL);
    state.next += batch.length;
    const found = await Promise.all(batch.map(function (result) { return result.data(); }));
    found.forEach(function (data) {
      const has = STEMS ? hasStems(data, stems) : stems.map(function () { return true; });
      has.forEach(function (yes, i) { if (yes) state.seen[i] = true; });
      state.fetched.push({ data: tidyResult(data), has: has });
    });
    state.kept = state.fetched.filter(function (page) { return passes(page.has, state.seen); })
      .map(function (page) { return page.data; });
  }

  // What the page offers to other scripts (and the browser tests): all the pages a query finds, tidied.
  async function find(pagefind, query) {
    return lazySearch(pagefind, query).upTo(Infinity);
  }

  function element(name, className, text) {
    const made = document.createElement(name);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  function linked(level, className, href, title) {
    const heading = element(level, className);
    const link = element("a", null, title);
    link.href = href;
    heading.appendChild(link);
    return heading;
  }

  // Excerpts are Pagefind's escaped text with <mark> around the matches.
  function excerpt(html) {
    const paragraph = element("p", "search-result-excerpt");
    paragraph.innerHTML = html;
    return paragraph;
  }

  function resultItem(data) {
    const item = element("li", "search-result");
    item.appendChild(linked("h2", "search-result-title", data.url, (data.meta && data.meta.title) || data.url));
    item.appendChild(excerpt(data.excerpt));
    if (data.sections.length) {
      const nested = element("ul", "search-result-sections");
      data.sections.forEach(function (sub) {
        const entry = element("li");
        entry.appendChild(linked("h3", "search-result-title", sub.url, sub.title));
        entry.appendChild(excerpt(sub.excerpt));
        nested.appendChild(entry);
      });
      item.appendChild(nested);
    }
    return item;
  }

  function form(holder) {
    const box = element("form", "search-form");
    box.setAttribute("role", "search");
    box.innerHTML = '<label for="search-input">Search articles, notes, speakers and claims</label>' +
      '<span class="search-row"><input type="search" id="search-input" name="q" autocomplete="off">' +
      '<button type="submit">Search</button></span>';
    holder.appendChild(box);
    const status = element("p", "search-status");
    status.id = "search-status";
    status.setAttribute("role", "status");
    const list = element("ol", "search-results");
    list.setAttribute("aria-labelledby", "search-status");
    const more = element("button", "search-more", "Show more results");
    more.type = "button";
    more.hidden = true;
    holder.appendChild(status);
    holder.appendChild(list);
    holder.appendChild(more);
    return { box: box, input: box.querySelector("input"), status: status, list: list, more: more };
  }

  // Pagefind's count is of the pages before the filter, so while some are unfetched it is only a bound.
  function statusText(search, shown, query) {
    const quoted = " for “" + query + "”";
    if (search.done() && shown === search.kept.length) {
      return (shown ? shown + (shown === 1 ? " result" : " results") : "No results") + quoted;
    }
    return "Showing " + shown + " of at most " + search.total() + " results" + quoted;
  }

  function ui(holder, pagefind) {
    const parts = form(holder);
    let asked = 0;
    let timer = null;
    let search = null;
    let shown = 0;
    // Lists the kept pages up to `wanted`; with `focusFrom`, moves focus to the first page listed after it.
    async function show(wanted, turn, query, focusFrom) {
      parts.more.disabled = true;
      const kept = await search.upTo(wanted);
      if (turn !== asked) return;
      shown = Math.min(wanted, kept.length);
      parts.list.replaceChildren.apply(parts.list, kept.slice(0, shown).map(resultItem));
      parts.status.textContent = statusText(search, shown, query);
      parts.more.hidden = search.done() && shown === kept.length;
      parts.more.disabled = false;
      if (focusFrom === undefined) return;
      const first = parts.list.children[focusFrom];
      if (first) first.querySelector("a").focus(); else parts.input.focus();
    }
    async function run() {
      const query = parts.input.value.trim();
      const turn = ++asked;
      const url = new URL(window.location.href);
      if (query) url.searchParams.set("q", query); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
      parts.more.hidden = true;
      if (search) search.stopped = true;
      if (!query) { parts.status.textContent = ""; parts.list.replaceChildren(); return; }
      parts.status.textContent = "Searching…";
      search = lazySearch(pagefind, query);
      await show(BATCH, turn, query);
    }
    parts.more.addEventListener("click", function () { show(shown + BATCH, asked, search.query, shown); });
    parts.box.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); run(); });
    parts.input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    return parts;
  }

  // The index is in bundles (pagefind/bundles.json names them): the primary one brings Pagefind's scripts,
  // the others are merged into it, so a search covers them all.
  function start() {
    const holder = document.getElementById("search");
    if (!holder) return;
    const unavailable = function () { document.getElementById("search-unavailable").hidden = false; };
    const index = holder.dataset.bundle;
    fetch(index + "bundles.json")
      .then(function (response) { if (!response.ok) throw new Error(response.statusText); return response.json(); })
      .then(function (bundles) {
        if (!bundles.primary) throw new Error("nothing is indexed");
        return load(holder, index + bundles.primary + "/", bundles.merge.map(function (name) { return index + name + "/"; }));
      })
      .catch(unavailable);
  }

  async function load(holder, bundle, merged) {
    const pagefind = await import(bundle + "pagefind.js");
    await pagefind.options({ basePath: bundle, excerptLength: EXCERPT_WORDS });
    for (const path of merged) await pagefind.mergeIndex(path);
    window.marginaliaSearch = function (query) { return find(pagefind, query); };
    const parts = ui(holder, pagefind);
    const query = new URLSearchParams(window.location.search).get("q");
    if (query) { parts.input.value = query; parts.box.requestSubmit(); } else parts.input.focus();
    holder.dataset.ready = "true";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
