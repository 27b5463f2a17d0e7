"""Reading an article in a real browser: highlights and notes, phone and desktop layouts, keyboard only, search."""

from __future__ import annotations

import re

from .conftest import Served


def open_article(page: object, served: Served, slug: str) -> None:
    """Go to an article page and wait until it is laid out."""
    page.goto(served.url(f"articles/{slug}/"), wait_until="load")


def test_click_highlight_reaches_note_and_back(page: object, served: Served, annotated_article: str) -> None:
    """Clicking a highlight moves to its note; the note's back link returns to the highlight."""
    open_article(page, served, annotated_article)
    mark = page.locator("mark[data-annotation]").first
    note_id = mark.get_attribute("data-annotation")
    mark.click()
    note = page.locator(f"#note-{note_id}")
    assert page.evaluate("location.hash") == f"#note-{note_id}"
    assert note.is_visible()
    assert page.evaluate("document.activeElement.id") == f"note-{note_id}"
    note.locator("a.backref").click()
    assert page.evaluate("location.hash") == f"#hl-{note_id}"
    assert page.locator(f"#hl-{note_id}").is_visible()


def test_noteref_links_to_note_without_javascript(browser: object, served: Served, annotated_article: str) -> None:
    """With JavaScript off, the number after a highlight goes to the note, which unfolds on a phone."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    open_article(page, served, annotated_article)
    cut = page.locator(".note.is-cut").first.get_attribute("id")
    ref = page.locator(f"a.noteref[href='#{cut}']").first
    target = ref.get_attribute("href")
    more = page.locator(f"{target} .note-more")
    assert not more.is_visible()  # a long note is folded until tapped
    ref.click()
    assert page.evaluate("location.hash") == target
    assert more.is_visible()
    context.close()


def test_phone_layout_puts_notes_below_text(browser: object, served: Served, annotated_article: str) -> None:
    """At 375 px: no horizontal scrolling, and each note starts below its paragraph."""
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for relative in ("", f"articles/{annotated_article}/", "claims/", "search/"):
        page.goto(served.url(relative), wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, relative
    open_article(page, served, annotated_article)
    block = page.locator(".article-body .block:has(.notes)").first
    text = block.locator("> :not(.notes)").first.bounding_box()
    note = block.locator(".note").first.bounding_box()
    assert note["y"] >= text["y"] + text["height"] - 1
    assert note["x"] + note["width"] <= 375
    context.close()


def test_smallest_phone_has_no_horizontal_scroll(browser: object, served: Served, article_slugs: list[str]) -> None:
    """At 320 px every article fits."""
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    for slug in article_slugs:
        open_article(page, served, slug)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, slug
    context.close()


def test_desktop_layout_puts_notes_beside_text(page: object, served: Served, article_slugs: list[str]) -> None:
    """At 1280 px each block's notes lie right of the text, level with their paragraph's top, or, where the notes
    before them still fill the margin there, right below those: never above their paragraph."""
    for slug in article_slugs:
        open_article(page, served, slug)
        places = page.evaluate("""() => [...document.querySelectorAll('.article-body .notes')].map((notes) => {
          const text = notes.parentElement.querySelector(':scope > .block-text') || notes.previousElementSibling;
          const t = text.getBoundingClientRect(), n = notes.getBoundingClientRect();
          return [t.top, t.right, n.top, n.left, n.bottom]; })""")
        assert places, slug
        previous_bottom = float("-inf")
        for index, (text_top, text_right, top, left, bottom) in enumerate(places):
            assert left > text_right, (slug, index)
            assert top >= text_top - 1, (slug, index)
            assert top - text_top < 2 or top - previous_bottom < 2, (slug, index, top, text_top, previous_bottom)
            previous_bottom = bottom


def test_keyboard_walk_through_an_article(page: object, served: Served, annotated_article: str) -> None:
    """Tab reaches the skip link, then the note links; Enter moves to the note; its back link returns."""
    open_article(page, served, annotated_article)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('noteref')"):
            break
    else:
        raise AssertionError("Tab never reached a note link")
    href = page.evaluate("document.activeElement.getAttribute('href')")
    note_id = href.removeprefix("#note-")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == href
    assert page.evaluate(f"document.activeElement.closest('#note-{note_id}') !== null")
    assert page.locator(href).is_visible()
    # Tab on from the note reaches its back link; Enter returns to the highlight.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('backref')"):
            break
    else:
        raise AssertionError("Tab never reached the note's back link")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#hl-{note_id}"
    top = page.evaluate(f"document.getElementById('hl-{note_id}').getBoundingClientRect().top")
    assert 0 <= top < page.viewport_size["height"]


def test_focus_is_visible(page: object, served: Served, annotated_article: str) -> None:
    """A focused note link draws an outline."""
    open_article(page, served, annotated_article)
    page.locator("a.noteref").first.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert style not in ("none", "")


def test_search_finds_a_quote(page: object, served: Served, annotated_article: str) -> None:
    """The search box leads to the search page, which finds an article by words from its text."""
    open_article(page, served, annotated_article)
    quote = page.locator("mark[data-annotation]").first.inner_text()
    words = " ".join(re.findall(r"[A-Za-z]{4,}", quote)[:3])
    page.fill("#site-search", words)
    page.press("#site-search", "Enter")
    page.wait_for_url(re.compile(r"/digest/search/\?q="))
    result = page.locator(f".pagefind-ui__result-link[href*='articles/{annotated_article}/']").first
    result.wait_for(timeout=10000)
    assert result.is_visible()


def test_search_finds_speakers_and_claims(page: object, served: Served) -> None:
    """Speaker and claim pages are in the index too: searching for a claim's statement or a speaker's name finds its page."""
    for index, item, section in (("claims/", ".claim-item a", "claims"), ("speakers/", ".entity-list a", "speakers")):
        page.goto(served.url(index), wait_until="load")
        link = page.locator(item).first
        words, href = link.inner_text(), link.get_attribute("href")
        page.goto(served.url("search/?q=" + "+".join(words.split()[:5])), wait_until="load")
        found = page.locator(f".pagefind-ui__result-link[href*='/{section}/']")
        found.first.wait_for(timeout=10000)
        slug = href.rstrip("/").rsplit("/", 1)[-1]
        hrefs = [found.nth(i).get_attribute("href") or "" for i in range(found.count())]
        assert any(f"/{section}/{slug}/" in h for h in hrefs), (words, hrefs)


def test_pages_work_without_javascript(browser: object, served: Served, annotated_article: str) -> None:
    """With JavaScript off, every note is in the page and the search page says how to browse instead."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_article(page, served, annotated_article)
    assert page.locator("[id^='note-'][data-kind]").count() == page.locator("a.noteref").count() > 0
    page.goto(served.url("search/"), wait_until="load")
    assert "articles" in page.locator("#main").inner_text()
    context.close()


# Notes at a glance, the nav on a phone, search results (#13 §2).

TEXT_TOPS = """() => [...document.querySelectorAll('.article-body .block > :not(.notes), .seed-list .block-text')]
  .map((el) => el.getBoundingClientRect().top + window.scrollY)"""


def test_phone_nav_never_puts_one_item_on_a_row_of_its_own(browser: object, served: Served) -> None:
    """At 320, 375 and 390 px the section links share their rows: no row holds a single item."""
    for width in (320, 375, 390):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(served.url(""), wait_until="load")
        tops = page.evaluate("[...document.querySelectorAll('.masthead nav li')].map((li) => Math.round(li.getBoundingClientRect().top))")
        rows = {top: tops.count(top) for top in tops}
        assert len(tops) >= 5 and min(rows.values()) >= 2, (width, rows)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()


def test_folded_note_shows_speaker_and_claim_and_only_cut_notes_fold(browser: object, served: Served,
                                                                      article_slugs: list[str]) -> None:
    """On a phone a folded note names who said the passage and the claim with its status, before "Read the whole
    note"; a note that is not cut shows whole, with no such link."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    seen = {"cut": 0, "whole": 0, "gist": 0}
    for slug in article_slugs:
        open_article(page, served, slug)
        notes = page.locator(".article-body .note")
        for index in range(notes.count()):
            note = notes.nth(index)
            cut = "is-cut" in (note.get_attribute("class") or "").split()
            expand = note.locator(".note-expand")
            assert expand.count() == (1 if cut else 0), (slug, index)
            assert note.locator(".note-more").is_visible() == (not cut), (slug, index)
            seen["cut" if cut else "whole"] += 1
            gist = note.locator(".note-gist")
            if gist.count():
                assert gist.is_visible()
                text = gist.inner_text()
                if note.locator(".note-gist .status").count():
                    assert "claim:" in text and note.locator(".note-gist .status").inner_text().strip(), text
                if cut:  # the gist comes before the link
                    assert gist.bounding_box()["y"] < expand.bounding_box()["y"]
                seen["gist"] += 1
    assert seen["cut"] and seen["whole"] and seen["gist"], seen
    context.close()


def longest_cut_note(page: object) -> str:
    """The id of the cut note whose opened form is tallest (the worst case for a gap)."""
    return page.evaluate("""() => [...document.querySelectorAll('.article-body .note.is-cut')]
      .map((n) => [n.id, n.textContent.length])
      .sort((a, b) => b[1] - a[1])[0][0]""")


def test_opening_a_note_leaves_no_gap_in_the_text_column(browser: object, served: Served, article_slugs: list[str]) -> None:
    """At 1280 px opening a note moves no paragraph down (it runs on down the margin beside the text, moving only the
    notes below it); at 390 px the text goes on right under the opened note."""
    for javascript in (True, False):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
        page = context.new_page()
        for slug in article_slugs:
            open_article(page, served, slug)
            if not page.locator(".note.is-cut").count():
                continue
            note_id = longest_cut_note(page)
            before = page.evaluate(TEXT_TOPS)
            page.locator(f"#{note_id} .note-expand a").click()
            after = page.evaluate(TEXT_TOPS)
            moved_down = max(a - b for a, b in zip(after, before))
            assert moved_down <= 1, (slug, note_id, moved_down)
            note = page.locator(f"#{note_id}")
            assert note.locator(".note-more").is_visible()
            text_right = page.evaluate("Math.max(...[...document.querySelectorAll('.article-body .block > :not(.notes)')].map((e) => e.getBoundingClientRect().right))")
            assert note.bounding_box()["x"] >= text_right, slug
        context.close()
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    for slug in article_slugs:
        open_article(page, served, slug)
        if not page.locator(".note.is-cut").count():
            continue
        note_id = longest_cut_note(page)
        page.locator(f"#{note_id} .note-expand a").click()
        gap = page.evaluate(f"""() => {{
          const note = document.getElementById('{note_id}'), block = note.closest('.block');
          const next = block.nextElementSibling || block.parentElement.closest('.block, .seed-list')?.nextElementSibling;
          const below = note.parentElement.lastElementChild.getBoundingClientRect().bottom;
          // The text below, less its own top margin (a heading's): what the note adds.
          const first = next && (next.matches('.seed-list') ? next : next.firstElementChild);
          return first ? first.getBoundingClientRect().top - parseFloat(getComputedStyle(first).marginTop) - below : 0; }}""")
        assert gap < 40, (slug, note_id, gap)
    context.close()


def test_search_results_read_well(page: object, served: Served) -> None:
    """One search box; no sub-result repeats its page's title; excerpts end at a sentence or with an ellipsis;
    results in the site's own font."""
    page.goto(served.url("search/?q=zero+releases"), wait_until="load")
    page.locator(".pagefind-ui__result").first.wait_for(timeout=10000)
    assert page.locator("input:not([type=hidden])").count() == 1  # Pagefind's own; the masthead has none here
    results = page.locator(".pagefind-ui__result")
    for index in range(results.count()):
        result = results.nth(index)
        title = result.locator(".pagefind-ui__result-title").first.inner_text().strip()
        subs = [t.strip() for t in result.locator(".pagefind-ui__result-nested .pagefind-ui__result-title").all_inner_texts()]
        assert title not in subs, (title, subs)
        for excerpt in result.locator(".pagefind-ui__result-excerpt").all_inner_texts():
            assert re.search(r"[.!?…][”’\"')\]]*$", excerpt.strip()), excerpt
    fonts = page.evaluate("""() => [getComputedStyle(document.body).fontFamily,
      getComputedStyle(document.querySelector('.pagefind-ui__result-title')).fontFamily,
      getComputedStyle(document.querySelector('.pagefind-ui__result-excerpt')).fontFamily]""")
    assert fonts[1] == fonts[0] and fonts[2] == fonts[0], fonts


def test_fresh_browser_logs_no_missing_file(browser: object, served: Served) -> None:
    """A fresh browser loading the front page and the search page asks for nothing that is not there (favicon)."""
    context = browser.new_context()
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    page.on("console", lambda message: missing.append(message.text) if message.type == "error" else None)
    for relative in ("", "search/?q=zero"):
        page.goto(served.url(relative), wait_until="networkidle")
    icon = page.evaluate("document.querySelector('link[rel=icon]').href")
    assert page.request.get(icon).status == 200
    assert missing == []
    context.close()


def test_a_wrapped_source_title_keeps_its_bullet_on_its_first_line(browser: object, served: Served) -> None:
    """At 390 px a source title that wraps has its bullet by its first line: the list item's first line box (where
    the marker sits, measured with an empty inline element put in front of the link) is the link's first line."""
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    offsets: list[float] = []
    for relative in [p for p in served.pages() if p.startswith("claims/") and p != "claims/"]:
        page.goto(served.url(relative), wait_until="load")
        offsets += page.evaluate("""() => [...document.querySelectorAll('.sources li')].map((li) => {
        const link = li.querySelector('a'), box = link.getBoundingClientRect();
        const line = parseFloat(getComputedStyle(link).lineHeight);
        if (box.height < 1.5 * line) return null;  // not wrapped
        const probe = document.createElement('span');
        li.insertBefore(probe, link);
        const at = probe.getBoundingClientRect().bottom - box.top;
        probe.remove();
        return at / line; }).filter((x) => x !== null)""")
    assert offsets, "no source title wraps at 390 px on any claim page"
    assert max(offsets) <= 1.2, offsets
    context.close()


# The text column's boxes in reading order, and for each pair of neighbours the space between them beyond their own
# margins: what a note taller than its paragraph would add. Also whether any two notes overlap, or a note the text.
TEXT_GAPS = """() => {
  const text = [...document.querySelectorAll('.article-body div.block > :not(.notes), .seed-list > li.block > .block-text, .seed-list > li.block:not(:has(> .notes))')];
  const px = (el, side) => parseFloat(getComputedStyle(el)['margin' + side]);
  let worst = 0, where = '';
  for (let i = 1; i < text.length; i++) {
    const above = text[i - 1].getBoundingClientRect(), below = text[i].getBoundingClientRect();
    const extra = below.top - above.bottom - px(text[i - 1], 'Bottom') - px(text[i], 'Top');
    if (extra > worst) { worst = extra; where = text[i].textContent.slice(0, 40); }
  }
  const notes = [...document.querySelectorAll('.article-body .note')].map((n) => n.getBoundingClientRect());
  const right = Math.max(...text.map((el) => el.getBoundingClientRect().right));
  const overlaps = notes.filter((n, i) => n.left < right || (i && n.top < notes[i - 1].bottom - 1)).length;
  return { worst: Math.round(worst), where, overlaps };
}"""
GAP_LIMIT = 40  # px beyond the text's own spacing


def test_no_note_folded_or_opened_leaves_a_gap_in_the_text_column(browser: object, served: Served,
                                                                   article_slugs: list[str]) -> None:
    """At 1280 px on every article page, with JavaScript and without, with every note folded and then with each note
    opened in turn (by its "Read the whole note"), no two neighbouring paragraphs are further apart than their own
    margins plus GAP_LIMIT; notes overlap neither each other nor the text."""
    worst: dict[str, int] = {}
    for javascript in (True, False):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
        page = context.new_page()
        for slug in article_slugs:
            open_article(page, served, slug)
            folded = page.evaluate(TEXT_GAPS)
            assert folded["worst"] <= GAP_LIMIT and not folded["overlaps"], (slug, javascript, "folded", folded)
            worst[slug] = max(worst.get(slug, 0), folded["worst"])
            for note_id in page.evaluate("[...document.querySelectorAll('.article-body .note.is-cut')].map((n) => n.id)"):
                page.locator(f"#{note_id} .note-expand a").click()
                opened = page.evaluate(TEXT_GAPS)
                assert opened["worst"] <= GAP_LIMIT and not opened["overlaps"], (slug, javascript, note_id, opened)
                worst[slug] = max(worst[slug], opened["worst"])
        context.close()
    print(f"\nwidest extra gap in the text column at 1280 px, by article: {worst}")
