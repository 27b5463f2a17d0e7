"""Every page in a real browser: no console errors, no failed requests, nothing from other hosts, axe clean."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

from tests.browsers import require

from .conftest import AXE, Served

SERIOUS = ("serious", "critical")


def visit(page: object, served: Served, relative: str) -> dict[str, list[str]]:
    """Open one page; return its console errors, failed requests and requests to other hosts."""
    problems: dict[str, list[str]] = {"console": [], "failed": [], "outside": []}
    host = urlsplit(served.base).netloc
    page.on("console", lambda m: m.type == "error" and problems["console"].append(m.text))
    page.on("pageerror", lambda e: problems["console"].append(str(e)))
    page.on("requestfailed", lambda r: problems["failed"].append(r.url))
    page.on("response", lambda r: r.status >= 400 and problems["failed"].append(f"{r.status} {r.url}"))
    page.on("request", lambda r: urlsplit(r.url).netloc not in (host, "") and problems["outside"].append(r.url))
    response = page.goto(served.url(relative), wait_until="load")
    if relative.startswith("search/"):
        page.wait_for_load_state("networkidle")
    assert response is not None and response.status == 200
    return problems


def test_every_page_loads_cleanly(browser: object, served: Served) -> None:
    """Console errors, failed requests and outside requests, on every page (with JavaScript on)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(lambda url: urlsplit(url).hostname != "127.0.0.1", lambda route: route.abort())
    report = {}
    for relative in served.pages():
        page = context.new_page()
        report[relative] = visit(page, served, relative)
        page.close()
    context.close()
    bad = {page: found for page, found in report.items() if any(found.values())}
    assert len(report) > 20
    assert not bad, json.dumps(bad, indent=1)


RUN_AXE = """async (only) => (await axe.run(document, {runOnly: only})).violations.map(v => (
    {id: v.id, impact: v.impact, nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
EVERY_RULE = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
COLOUR_ONLY = {"type": "rule", "values": ["color-contrast", "link-in-text-block"]}


def axe_results(page: object, served: Served, relative: str, source: str, only: dict[str, object]) -> list[dict[str, object]]:
    """axe-core's violations for one page."""
    page.goto(served.url(relative), wait_until="load")
    page.add_script_tag(content=source)
    return page.evaluate(RUN_AXE, only)


def test_axe_has_no_serious_violations(browser: object, served: Served) -> None:
    """axe-core on every page, in the light and the dark theme: nothing serious or critical."""
    require(AXE.exists(), str(AXE))
    source = AXE.read_text(encoding="utf-8")
    impacts: Counter[str] = Counter()
    serious: dict[str, list[dict[str, object]]] = {}
    # Every rule in the light theme; the dark theme changes only colours, so it is checked for contrast.
    for scheme, only in (("light", EVERY_RULE), ("dark", COLOUR_ONLY)):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True, color_scheme=scheme)
        page = context.new_page()
        for relative in served.pages():
            violations = axe_results(page, served, relative, source, only)
            impacts.update(v["impact"] for v in violations)
            found = [v for v in violations if v["impact"] in SERIOUS]
            if found:
                serious[f"{scheme} {relative or '/'}"] = found
        context.close()
    print(f"axe violations by impact over {len(served.pages())} pages × 2 themes: {dict(impacts)}")
    assert not serious, json.dumps(serious, indent=1)
