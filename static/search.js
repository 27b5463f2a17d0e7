// The search page: loads Pagefind's UI when the build made an index; says so plainly when it did not.
(function () {
  "use strict";
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
