// Progressive enhancement only: the page is complete without this script.
// Clicking a highlight moves to its note, as the note link beside it does.
document.addEventListener("click", (event) => {
  const mark = event.target.closest("mark[data-annotation]");
  if (!mark || event.target.closest("a")) return;
  const note = document.getElementById("note-" + mark.dataset.annotation);
  if (note) {
    note.setAttribute("tabindex", "-1");
    note.focus();
    history.replaceState(null, "", "#note-" + mark.dataset.annotation);
  }
});
