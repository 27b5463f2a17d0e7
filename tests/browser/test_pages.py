"""Every page in a real browser: no console errors, no failed requests, nothing from other hosts, axe clean."""

from __future__ import annotations

import json
import re
from collections import Counter, deque
from urllib.parse import urlsplit

from tests.browsers import require

from .conftest import AXE, Served
from .overlap import WINDOW, overlapped

SERIOUS = ("serious", "critical")


def listen(page: object, served: Served) -> dict[str, list[str]]:
    """Collect a page's console errors, failed requests and requests to other hosts from now on."""
    problems: dict[str, list[str]] = {"console": [], "failed": [], "outside": []}
    host = urlsplit(served.base).netloc
    page.on("console", lambda m: m.type == "error" and problems["console"].append(m.text))
    page.on("pageerror", lambda e: problems["console"].append(str(e)))
    page.on("requestfailed", lambda r: problems["failed"].append(r.url))
    page.on("response", lambda r: r.status >= 400 and problems["failed"].append(f"{r.status} {r.url}"))
    page.on("request", lambda r: urlsplit(r.url).netloc not in (host, "") and problems["outside"].append(r.url))
    return problems


def start_visit(context: object, served: Served, relative: str) -> tuple[object, object, dict[str, list[str]]]:
    """Open one page in a new tab and return once its document arrives; it goes on loading meanwhile."""
    page = context.new_page()
    problems = listen(page, served)
    return page, page.goto(served.url(relative), wait_until="commit"), problems


def finish_visit(relative: str, started: tuple[object, object, dict[str, list[str]]]) -> dict[str, list[str]]:
    """Wait until the page has loaded (search: until its index is fetched); return what went wrong."""
    page, response, problems = started
    page.wait_for_load_state("load")
    if relative.startswith("search/"):
        page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200
    page.close()
    return problems


def test_every_page_loads_cleanly(browser: object, served: Served) -> None:
    """Console errors, failed requests and outside requests, on every page (with JavaScript on)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(lambda url: urlsplit(url).hostname != "127.0.0.1", lambda route: route.abort())
    pages = served.pages()
    try:
        found = overlapped(pages, lambda relative: start_visit(context, served, relative), finish_visit)
    finally:
        context.close()
    report = dict(zip(pages, found))
    bad = {page: found for page, found in report.items() if any(found.values())}
    assert len(report) > 20
    assert not bad, json.dumps(bad, indent=1)


# Started without waiting: axe runs in the page once it has loaded, while the test starts the next pages.
# Only violations are reported in full (resultTypes), which spares axe building selectors for every pass.
START_AXE = """only => { window.__marginaliaAxe = new Promise(loaded => document.readyState === 'complete' ? loaded()
    : addEventListener('load', () => loaded(), {once: true}))
  .then(() => axe.run(document, {runOnly: only, resultTypes: ['violations']}))
  .then(result => result.violations.map(v => (
    {id: v.id, impact: v.impact, nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))); }"""
AXE_RESULT = "() => window.__marginaliaAxe"
EVERY_RULE = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
COLOUR_ONLY = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}
# Every rule in the light theme; the dark theme changes only colours (a prefers-color-scheme
# media query, nothing else), so it is checked for contrast, on the same page switched to dark.
THEMES = {"light": EVERY_RULE, "dark": COLOUR_ONLY}


def start_axe(tabs: deque[object], served: Served, relative: str) -> object:
    """Open a page in a free tab, in the light theme (axe is in it, as an init script); start axe without waiting."""
    page = tabs.popleft()
    page.emulate_media(color_scheme="light")
    page.goto(served.url(relative), wait_until="commit")
    page.evaluate(START_AXE, THEMES["light"])
    return page


def finish_axe(tabs: deque[object], page: object) -> dict[str, list[dict[str, object]]]:
    """axe-core's violations per theme for a page started by start_axe: light as started, then dark."""
    found = {"light": page.evaluate(AXE_RESULT)}
    page.emulate_media(color_scheme="dark")
    page.evaluate(START_AXE, THEMES["dark"])
    found["dark"] = page.evaluate(AXE_RESULT)
    tabs.append(page)
    return found


def test_axe_has_no_serious_violations(browser: object, served: Served) -> None:
    """axe-core on every page, in the light and the dark theme: nothing serious or critical."""
    require(AXE.exists(), str(AXE))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, color_scheme="light")
    context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    # A few tabs, each reused from page to page (a navigation within the site keeps its renderer).
    tabs = deque(context.new_page() for _ in range(WINDOW))
    pages = served.pages()
    try:
        found = overlapped(pages, lambda relative: start_axe(tabs, served, relative),
                           lambda _, page: finish_axe(tabs, page))
    finally:
        context.close()
    impacts: Counter[str] = Counter()
    serious: dict[str, list[dict[str, object]]] = {}
    for relative, themes in zip(pages, found):
        for scheme, violations in themes.items():
            impacts.update(v["impact"] for v in violations)
            if worst := [v for v in violations if v["impact"] in SERIOUS]:
                serious[f"{scheme} {relative or '/'}"] = worst
    print(f"axe violations by impact over {len(pages)} pages × 2 themes: {dict(impacts)}")
    assert not serious, json.dumps(serious, indent=1)


def test_axe_finds_nothing_in_search_results(browser: object, served: Served) -> None:
    """The search page once search.js has listed results (axe at load sees only the box): no violation at all,
    in either theme, and the list is labelled by the live status that counts it."""
    require(AXE.exists(), str(AXE))
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.add_init_script(script=AXE.read_text(encoding="utf-8"))
    page = context.new_page()
    try:
        page.goto(served.url("search/?q=zero+releases"), wait_until="load")
        page.locator(".search-result").first.wait_for(timeout=10000)
        found = {}
        for scheme, rules in THEMES.items():
            page.emulate_media(color_scheme=scheme)
            page.evaluate(START_AXE, rules)
            found[scheme] = page.evaluate(AXE_RESULT)
        status = page.locator("#search-status")
        labelled = page.locator("ol.search-results").get_attribute("aria-labelledby")
        assert status.get_attribute("role") == "status" and labelled == "search-status"
        assert re.match(r"(Showing \d+ of at most )?\d+ results? for", status.inner_text()), status.inner_text()
    finally:
        context.close()
    assert found == {"light": [], "dark": []}, json.dumps(found, indent=1)
