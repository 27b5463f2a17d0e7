"""Anchoring quotes: white space and quote styles ignored, nothing else; prefix/suffix decide."""

from __future__ import annotations

from marginalia.link.anchoring import Anchor, Miss, anchor_quote, normalize

TEXT = "He said “zero  releases”.\nThen:\n\"zero releases\" again, and zero releases once more."


def test_curly_and_straight_quotes_and_white_space_match() -> None:
    found = anchor_quote(TEXT, 'said "zero releases"')
    assert isinstance(found, Anchor)
    assert TEXT[found.start:found.end] == "said “zero  releases”"


def test_repeated_quote_is_ambiguous_until_prefix_or_suffix_decides() -> None:
    miss = anchor_quote(TEXT, "zero releases")
    assert isinstance(miss, Miss) and miss.reason == "ambiguous" and len(miss.occurrences) == 3
    by_suffix = anchor_quote(TEXT, "zero releases", suffix="once more")
    assert isinstance(by_suffix, Anchor) and TEXT[by_suffix.end:].startswith(" once more")
    by_prefix = anchor_quote(TEXT, "zero releases", prefix="Then: \"")
    assert isinstance(by_prefix, Anchor) and TEXT[by_prefix.start - 1] == '"'


def test_other_differences_are_not_ignored_and_the_closest_passage_is_offered() -> None:
    miss = anchor_quote(TEXT, "zero release once more")
    assert isinstance(miss, Miss) and miss.reason == "not-found" and miss.closest is not None
    assert "releases once more" in TEXT[miss.closest.start:miss.closest.end]
    assert isinstance(anchor_quote(TEXT, "Zero releases once more"), Miss)  # case matters


def test_quote_across_blocks_anchors() -> None:
    found = anchor_quote(TEXT, "releases”. Then:")
    assert isinstance(found, Anchor) and "\n" in TEXT[found.start:found.end]


def test_normalize_maps_back_to_original_offsets() -> None:
    normal = normalize("a  \n b’c")
    assert normal.text == "a b'c"
    assert [normal.origin[i] for i in range(len(normal.text))] == [0, 1, 5, 6, 7]


def per_character_normalize(text: str) -> tuple[str, list[int]]:
    """normalize as first written: one character at a time (the reference for its regex version)."""
    from marginalia.link.anchoring import QUOTE_FOLD
    out, origin = [], []
    for index, char in enumerate(text.translate(QUOTE_FOLD)):
        if char.isspace():
            if out and out[-1] == " " and index > 0 and text[index - 1].isspace():
                continue
            char = " "
        out.append(char)
        origin.append(index)
    return "".join(out), origin


def test_normalize_agrees_with_the_per_character_reference() -> None:
    import random
    chars = "ab’“ \n\t\u00a0\u2028\u3000\r"
    rng = random.Random(16)
    for size in [0, 1, 2, 3, 5, 8, 30, 200] * 40:
        text = "".join(rng.choice(chars) for _ in range(size))
        normal = normalize(text)
        expected, origin = per_character_normalize(text)
        assert normal.text == expected, repr(text)
        assert [normal.origin[i] for i in range(len(normal.text))] == origin, repr(text)
        assert len(normal.origin) == len(origin)


def test_the_white_space_folded_is_every_white_space_character() -> None:
    import sys
    from marginalia.link.anchoring import OTHER_SPACES
    assert set(OTHER_SPACES) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()} - {" "}
