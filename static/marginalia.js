// Progressive enhancement only: the page is complete without this script.
// Clicking a highlight moves to its note (as the number beside it does) and unfolds the note on phones;
// a note's "back" links return to the highlight and mark it as the current one. On wide screens each block's
// notes are raised from where their paragraph ends to level with its top, below the notes before them.
(function () {
  "use strict";
  // The wide layout of style.css: notes float in the margin, one block's below the last's.
  const wide = window.matchMedia("screen and (min-width: 60rem)");
  function textOf(notes) {
    const block = notes.parentElement;
    return block.querySelector(":scope > .block-text") || notes.previousElementSibling;
  }
  function align() {
    const all = [...document.querySelectorAll(".article-body .notes")];
    all.forEach((notes) => { notes.style.top = ""; });
    if (!wide.matches) return;
    // Read every place first, then move: a relative offset moves no other box, so one layout pass serves all.
    const places = all.map((notes) => [notes.getBoundingClientRect(), textOf(notes)?.getBoundingClientRect()]);
    let bottom = -Infinity;
    places.forEach(([box, text], index) => {
      const top = Math.max(text ? text.top : box.top, bottom);
      const raise = Math.min(0, top - box.top);
      all[index].style.top = raise ? raise + "px" : "";
      bottom = box.bottom + raise;
    });
  }
  // One note open at a time, as with :target when JavaScript is off.
  function open(note) {
    document.querySelectorAll(".note.is-open").forEach((el) => { if (el !== note) el.classList.remove("is-open"); });
    note.classList.add("is-open");
    align();
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
  let pending = false;
  function later() {
    if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; align(); }); }
  }
  window.addEventListener("resize", later);
  window.addEventListener("load", later);
  window.addEventListener("hashchange", later);  // a targeted note unfolds (and folds the one before)
  wide.addEventListener("change", later);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", align); else align();
})();
