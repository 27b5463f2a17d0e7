// The search page: loads Pagefind's UI when the build made an index; says so plainly when it did not.
(function () {
  "use strict";
  // Pagefind cuts a window of words around the match; more words, then cut back to whole sentences where it can.
  const EXCERPT_WORDS = 40;
  const SENTENCE_END = /[.!?…][”’"')\]]*$/;

  // An excerpt (HTML: escaped text with <mark> around matches) from the start of the sentence of the first match
  // to the end of the sentence of the last one, when both are in the window; an ellipsis marks any other cut.
  function tidyExcerpt(html) {
    const words = (html || "").split(" ").filter((w) => w !== "");
    const marked = words.map((w, i) => (w.includes("<mark>") ? i : -1)).filter((i) => i >= 0);
    if (!words.length || !marked.length) return html;
    let start = 0;
    while (start < marked[0] && !words.slice(start, marked[0]).every((w) => !SENTENCE_END.test(w))) start += 1;
    let end = words.length;
    for (let i = words.length - 1; i >= marked[marked.length - 1]; i -= 1) {
      if (SENTENCE_END.test(words[i])) { end = i + 1; break; }
    }
    const kept = words.slice(start, end);
    const opensSentence = start > 0 || /^(<mark>)?[“"‘'(]?[A-Z0-9]/.test(kept[0]);
    const closesSentence = SENTENCE_END.test(kept[kept.length - 1].replace(/<\/mark>$/, ""));
    return (opensSentence ? "" : "… ") + kept.join(" ") + (closesSentence ? "" : " …");
  }

  function tidyResult(result) {
    result.excerpt = tidyExcerpt(result.excerpt);
    (result.sub_results || []).forEach((sub) => { sub.excerpt = tidyExcerpt(sub.excerpt); });
    return result;
  }

  function start() {
    const holder = document.getElementById("search");
    if (!holder) return;
    const bundle = holder.dataset.bundle;
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = bundle + "pagefind-ui.css";
    document.head.appendChild(style);
    const script = document.createElement("script");
    script.src = bundle + "pagefind-ui.js";
    script.onload = function () {
      const ui = new window.PagefindUI({
        element: "#search", bundlePath: bundle, showSubResults: true, showImages: false, resetStyles: false,
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
