// Progressive enhancement only: the page is complete without this script.
// Clicking a highlight moves to its note (as the number beside it does) and unfolds the note on phones;
// a note's "back" links return to the highlight and mark it as the current one.
(function () {
  "use strict";
  // One note open at a time, as with :target when JavaScript is off (an open note lies over the margin below it).
  function open(note) {
    document.querySelectorAll(".note.is-open").forEach((el) => { if (el !== note) el.classList.remove("is-open"); });
    note.classList.add("is-open");
  }
  function show(id, target) {
    document.querySelectorAll(".is-current").forEach((el) => el.classList.remove("is-current"));
    const note = document.getElementById("note-" + id);
    const mark = document.getElementById("hl-" + id);
    if (target === "note" && note) {
      open(note);
      note.classList.add("is-current");
      note.focus({ preventScroll: true });
      note.scrollIntoView({ block: "nearest" });
      history.replaceState(null, "", "#note-" + id);
    } else if (mark) {
      document.querySelectorAll('mark[data-annotation="' + id + '"]').forEach((el) => el.classList.add("is-current"));
    }
  }
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (link) {
      const hash = link.getAttribute("href").slice(1);
      if (hash.startsWith("note-")) {
        const note = document.getElementById(hash);
        if (note) open(note);
      } else if (hash.startsWith("hl-")) {
        show(hash.slice(3), "mark");
      }
      return;
    }
    const mark = event.target.closest("mark[data-annotation]");
    if (mark) show(mark.dataset.annotation, "note");
  });
})();
