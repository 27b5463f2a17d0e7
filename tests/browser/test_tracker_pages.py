"""The claim tracker, claim timelines and figure pages in a real browser: phones, no JavaScript, links that land."""

from __future__ import annotations

from .conftest import Served


def test_the_claim_tracker_scrolls_inside_its_box_on_a_phone(browser: object, served: Served) -> None:
    """At 320 px the page itself does not scroll sideways; the table does, inside its box, and row headers stay in view."""
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    page.goto(served.url("claims/"), wait_until="load")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    box = page.locator(".matrix-scroll").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    header = page.locator("tr[data-claim] th[scope=row]").first
    before = header.bounding_box()["x"]
    box.evaluate("e => e.scrollLeft = 400")
    assert abs(header.bounding_box()["x"] - before) < 2  # the claim column is sticky
    for address in ("claims/zero-releases-nine-months/", "figures/400000/", "corrections/"):
        page.goto(served.url(address), wait_until="load")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, address
    context.close()


def test_tracker_timeline_and_figures_work_without_javascript(browser: object, served: Served) -> None:
    """With JavaScript off: the matrix cells link to highlights that exist, the timeline is drawn, figure links land."""
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served.url("claims/"), wait_until="load")
    cell = page.locator("td[data-article] a").first
    cell.click()
    page.wait_for_load_state("load")
    fragment = page.evaluate("location.hash.slice(1)")
    assert fragment.startswith("hl-") and page.locator(f"[id='{fragment}']").count() == 1
    page.goto(served.url("claims/zero-releases-nine-months/"), wait_until="load")
    assert page.locator("svg[role=img] circle").count() > 0 and page.locator("svg[role=img] circle").first.is_visible()
    page.goto(served.url("figures/400000/"), wait_until="load")
    passage = page.locator("[data-figure-passage]").first
    passage.click()
    page.wait_for_load_state("load")
    fragment = page.evaluate("location.hash.slice(1)")
    assert page.locator(f"[id='{fragment}']").count() == 1
    page.goto(served.url("articles/white-house-securing-our-homeland/"), wait_until="load")
    page.locator("a.figure-ref[href$='/figures/400000/']").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "400,000"
    context.close()
