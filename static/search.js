// The search page: loads Pagefind's UI when the build made an index; says so plainly when it did not.
(function () {
  "use strict";
  // Pagefind cuts a window of words around the match, often mid-sentence. The window is widened to whole
  // sentences when a sentence's end is near (REACH characters); an ellipsis marks any cut that is left.
  const EXCERPT_WORDS = 36;
  const REACH = 160;
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

  function tidyResult(result) {
    const raw = result.raw_content || result.content;
    result.excerpt = tidyExcerpt(result.excerpt, raw);
    (result.sub_results || []).forEach((sub) => { sub.excerpt = tidyExcerpt(sub.excerpt, raw); });
    return result;
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
        load(holder, index + bundles.primary + "/", bundles.merge.map(function (name) { return index + name + "/"; }));
      })
      .catch(unavailable);
  }

  function load(holder, bundle, merged) {
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = bundle + "pagefind-ui.css";
    document.head.appendChild(style);
    const script = document.createElement("script");
    script.src = bundle + "pagefind-ui.js";
    script.onload = function () {
      const ui = new window.PagefindUI({
        element: "#search", bundlePath: bundle, showSubResults: true, showImages: false, resetStyles: false,
        mergeIndex: merged.map(function (path) { return { bundlePath: path }; }),
        excerptLength: EXCERPT_WORDS, processResult: tidyResult,
        translations: { placeholder: "Search articles, notes, speakers and claims" },
      });
      const query = new URLSearchParams(window.location.search).get("q");
      if (query) ui.triggerSearch(query);
      const input = holder.querySelector("input");
      if (input) {
        input.setAttribute("aria-label", "Search the digest");
        if (!query) input.focus();
      }
    };
    script.onerror = function () {
      document.getElementById("search-unavailable").hidden = false;
    };
    document.head.appendChild(script);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
