"""The W3C annotations anchor in two real annotation clients, run in Chromium on each served article page.

Apache Annotator's `@apache-annotator/dom` matches a TextQuoteSelector strictly (prefix + exact +
suffix, character for character); `dom-anchor-text-quote` is the fuzzy matcher the Hypothesis
client grew from. Both run on `document.body`, as a client loading the page would, and each
annotation must land on the page's own `<mark data-annotation=ID>` passage. The TextPositionSelector
is resolved by each library's position matcher too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from marginalia.render.pagetext import page_text
from tests.browsers import require

from .conftest import NPM_MODULES, Served

ESBUILD = NPM_MODULES / "esbuild" / "bin" / "esbuild"
CLIENTS = ("@apache-annotator/dom", "dom-anchor-text-quote", "dom-anchor-text-position")
# Each must pass for every annotation. Hypothesis unhinted is what a tool holding only the TextQuoteSelector gets: the
# matcher starts from the page's middle, so a passage the page prints twice must be told apart by its context alone.
CHECKS = ("apache", "hypothesis", "hypothesis_exact", "hypothesis_hinted", "positions")
ENTRY = """
import { createTextQuoteSelectorMatcher, createTextPositionSelectorMatcher } from '@apache-annotator/dom';
import * as textQuote from 'dom-anchor-text-quote';
import * as textPosition from 'dom-anchor-text-position';
window.annotationClients = { createTextQuoteSelectorMatcher, createTextPositionSelectorMatcher,
  quoteToRange: textQuote.toRange, positionToRange: textPosition.toRange };
"""

# For each annotation: where its marks are in body text, and where each client anchors each selector.
ANCHOR_ALL = """
async (items) => {
  const body = document.body, clients = window.annotationClients;
  // Offsets in code points, as the Web Annotation model counts (JavaScript strings count UTF-16 units).
  const offset = (node, at) => { const r = document.createRange(); r.setStart(body, 0); r.setEnd(node, at); return [...r.toString()].length; };
  const span = (r) => r ? [offset(r.startContainer, r.startOffset), offset(r.endContainer, r.endOffset), r.toString()] : null;
  const all = async (matches) => { const found = []; for await (const m of matches) found.push(span(m)); return found; };
  const results = [];
  for (const item of items) {
    const id = item.id.split('#note-')[1];
    const marks = [...document.querySelectorAll('mark[data-annotation]')].filter((m) => m.dataset.annotation === id);
    const result = { id, marks: marks.length, textLength: body.textContent.length };
    if (marks.length) {
      const extent = document.createRange();
      extent.setStartBefore(marks[0]);
      extent.setEndAfter(marks[marks.length - 1]);
      result.mark = span(extent);
    }
    const selectors = [].concat(item.target.selector);
    const quote = selectors.find((s) => s.type === 'TextQuoteSelector');
    const position = selectors.find((s) => s.type === 'TextPositionSelector');
    if (quote) {
      result.apache = await all(clients.createTextQuoteSelectorMatcher(quote)(body));
      try { result.hypothesis = span(clients.quoteToRange(body, quote)); } catch (e) { result.hypothesis = String(e); }
      // The Hypothesis client passes the position selector's start as a hint to prefer the nearest match.
      const hint = position ? { hint: position.start } : {};
      try { result.hypothesisHinted = span(clients.quoteToRange(body, quote, hint)); } catch (e) { result.hypothesisHinted = String(e); }
    }
    if (position) {
      result.apachePosition = await all(clients.createTextPositionSelectorMatcher(position)(body));
      try { result.hypothesisPosition = span(clients.positionToRange(body, position)); } catch (e) { result.hypothesisPosition = String(e); }
    }
    results.push(result);
  }
  return results;
}
"""


@pytest.fixture(scope="module")
def clients_bundle(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Both clients bundled once with esbuild into one script that puts their functions on `window`."""
    for name in CLIENTS:
        require((NPM_MODULES / name).exists(), f"npm package {name}")
    require(ESBUILD.exists(), str(ESBUILD))
    require(shutil.which("node") is not None, "node")
    folder = tmp_path_factory.mktemp("clients")
    (folder / "entry.js").write_text(ENTRY, encoding="utf-8")
    out = folder / "clients.js"
    subprocess.run(["node", str(ESBUILD), str(folder / "entry.js"), "--bundle", "--format=iife", "--log-level=warning",
                    f"--outfile={out}"], check=True, timeout=120, env={**os.environ, "NODE_PATH": str(NPM_MODULES)})
    return out.read_text(encoding="utf-8")


def inside(found: object, mark: list) -> bool:
    """Whether a client's range [start, end, text] lies within the mark's extent."""
    return isinstance(found, list) and mark[0] <= found[0] <= found[1] <= mark[1]


def verdicts(result: dict) -> dict[str, bool]:
    """Which checks one annotation passes: Apache (one match, exactly the mark), Hypothesis (inside it; same text)."""
    mark = result.get("mark")
    if not mark:
        return dict.fromkeys(CHECKS, False)
    fuzzy, hinted = result.get("hypothesis"), result.get("hypothesisHinted")
    return {"apache": result.get("apache") == [mark],
            "hypothesis": inside(fuzzy, mark),
            "hypothesis_exact": inside(fuzzy, mark) and fuzzy[2] == mark[2],
            "hypothesis_hinted": inside(hinted, mark) and hinted[2] == mark[2],
            "positions": result.get("apachePosition") == [mark] and result.get("hypothesisPosition") == mark}


def anchor_article(browser: object, served: Served, slug: str, bundle: str) -> list[dict]:
    """Load one article page, inject the clients, anchor every annotation of its collection."""
    items = json.loads((served.folder / "articles" / slug / "annotations.jsonld").read_text(encoding="utf-8"))["first"]["items"]
    context = browser.new_context(bypass_csp=True)  # the site's CSP would block the injected script
    try:
        page = context.new_page()
        page.goto(served.url(f"articles/{slug}/"))
        page.add_script_tag(content=bundle)
        return page.evaluate(ANCHOR_ALL, items)
    finally:
        context.close()


def test_every_annotation_anchors_in_both_clients(browser: object, served: Served, article_slugs: list[str],
                                                  clients_bundle: str) -> None:
    """Every annotation of every article page resolves, in both libraries, to its own mark (quote and position)."""
    counts = dict.fromkeys(CHECKS, 0)
    failures, total = [], 0
    for slug in article_slugs:
        for result in anchor_article(browser, served, slug, clients_bundle):
            total += 1
            passed = verdicts(result)
            for name, ok in passed.items():
                counts[name] += ok
            if not all(passed.values()):
                failures.append(f"{slug}#{result['id']}: {passed} mark={result.get('mark')} apache={result.get('apache')} "
                                f"hypothesis={result.get('hypothesis')} hinted={result.get('hypothesisHinted')}")
    summary = ", ".join(f"{name} {count}/{total}" for name, count in counts.items())
    print(f"\nannotation interop: {summary}")
    assert total > 0, "no annotations to anchor"
    assert not failures, summary + "\n" + "\n".join(failures[:20])


def assert_body_text(tab: object, ours: str, what: str) -> None:
    """Chromium's body text is ours, followed only by white space (what follows `</body>`)."""
    theirs = tab.evaluate("document.body.textContent")
    assert theirs.startswith(ours) and not theirs[len(ours):].strip(), what


def test_page_text_is_what_chromium_gives_as_body_text_content(browser: object, served: Served,
                                                               article_slugs: list[str]) -> None:
    """The build's reading of a page's text is Chromium's document.body.textContent, on tricky markup and real pages.

    Up to the white space after `</body>`, which the browser appends to the body and the build leaves out.
    """
    tricky = ("<!doctype html>\r\n<html><head><title>t</title></head>\r\n<body>\r\n<p>Fish &amp; chips&nbsp;&#8212;\rhot</p>"
              "<!-- not text --><pre>\n\nfirst line\r\nsecond</pre><p>a<mark data-annotation=x>b<b>c</b></mark>d</p>\n</body>\n</html>\n")
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_content(tricky)
        assert_body_text(tab, page_text(tricky.encode("utf-8")).text, "tricky markup")
        for slug in article_slugs:
            tab.goto(served.url(f"articles/{slug}/"))
            assert_body_text(tab, page_text((served.folder / "articles" / slug / "index.html").read_bytes()).text, slug)
    finally:
        context.close()
