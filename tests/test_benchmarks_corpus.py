"""The benchmark corpus generator (benchmarks/corpus.py): Markdown seeds with front matter that `check` accepts."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from markdown_it import MarkdownIt
from ruamel.yaml import YAML

from tests.conftest import REPO


def load_corpus_module() -> ModuleType:
    """benchmarks/corpus.py, imported by path (benchmarks/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "benchmarks" / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


corpus = load_corpus_module()


def split_seed(text: str) -> tuple[dict[str, object], str]:
    """(front matter, Markdown body) of a seed that opens with a `---` block."""
    assert text.startswith("---\n"), text[:80]
    head, _, body = text[4:].partition("\n---\n")
    return dict(YAML(typ="safe").load(head)), body


def token_types(markdown: str) -> set[str]:
    """Every block and inline token type markdown-it finds in a text."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    return {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}


def test_half_of_the_seeds_are_markdown_with_front_matter(tmp_path: Path) -> None:
    """6 articles at the default share: 3 .md seeds with title, date and source_url, bold, links and lists."""
    made = corpus.generate(6, 1, tmp_path, formats=("marginalia",))
    seeds = sorted((tmp_path / "marginalia" / "seeds").iterdir())
    markdown = [p for p in seeds if p.suffix == ".md"]
    assert len(seeds) == 6 and len(markdown) == 3
    found: set[str] = set()
    for path in markdown:
        meta, body = split_seed(path.read_text(encoding="utf-8"))
        article = next(a for a in made.articles if a.seed_name == path.name)
        assert meta["title"] == article.title and meta["date"] == article.published.isoformat()
        assert str(meta["source_url"]).startswith("https://")
        assert max(len(line) for line in body.splitlines()) <= corpus.WRAP_WIDTH + 4  # hard-wrapped
        found |= token_types(body)
    assert {"strong_open", "link_open", "bullet_list_open", "softbreak"} <= found
    for path in seeds:
        if path.suffix == ".txt":
            assert not path.read_text(encoding="utf-8").startswith("---")


def test_the_share_changes_only_how_seeds_are_written() -> None:
    """The same articles (text, quotes, notes) at any share; `--markdown-share 0` is plain text only."""
    plain, mixed, every = (corpus.make_corpus(6, 1, share) for share in (0.0, 0.5, 1.0))
    assert [a.paragraphs for a in plain.articles] == [a.paragraphs for a in every.articles]
    assert [a.annotations for a in plain.articles] == [a.annotations for a in mixed.articles]
    assert [a.is_markdown for a in plain.articles] == [False] * 6
    assert [a.is_markdown for a in mixed.articles] == [False, True] * 3
    assert all(a.is_markdown for a in every.articles)


def test_check_passes_on_a_mixed_corpus(tmp_path: Path) -> None:
    """`build.py check` accepts the generated project: every quote is found in its seed, Markdown or not."""
    corpus.generate(6, 1, tmp_path, formats=("marginalia",))
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "check", "--root", str(tmp_path / "marginalia")],
                          capture_output=True, text=True, env={**os.environ, "MARGINALIA_NO_BOOTSTRAP": "1"},
                          timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "6 articles, 30 annotations: no errors" in output
