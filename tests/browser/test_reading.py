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
    ref = page.locator("a.noteref").first
    target = ref.get_attribute("href")
    more = page.locator(f"{target} .note-more")
    assert not more.is_visible()  # folded until tapped
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


def test_desktop_layout_puts_notes_beside_text(page: object, served: Served, annotated_article: str) -> None:
    """At 1280 px each note's left edge is to the right of its paragraph's right edge, at the same height."""
    open_article(page, served, annotated_article)
    blocks = page.locator(".article-body .block:has(.notes)")
    assert blocks.count() > 0
    for index in range(blocks.count()):
        block = blocks.nth(index)
        text = block.locator("> :not(.notes)").first.bounding_box()
        note = block.locator(".note").first.bounding_box()
        assert note["x"] > text["x"] + text["width"], index
        assert abs(note["y"] - text["y"]) < 40, index


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
    """Speaker and claim pages are in the index too."""
    page.goto(served.url("claims/"), wait_until="load")
    statement = page.locator(".claim-item a").first.inner_text()
    page.goto(served.url("search/?q=" + "+".join(statement.split()[:5])), wait_until="load")
    result = page.locator(".pagefind-ui__result-link[href*='/claims/']").first
    result.wait_for(timeout=10000)
    assert result.is_visible()


def test_pages_work_without_javascript(browser: object, served: Served, annotated_article: str) -> None:
    """With JavaScript off, every note is in the page and the search page says how to browse instead."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    open_article(page, served, annotated_article)
    assert page.locator("[id^='note-'][data-kind]").count() == page.locator("a.noteref").count() > 0
    page.goto(served.url("search/"), wait_until="load")
    assert "articles" in page.locator("#main").inner_text()
    context.close()
