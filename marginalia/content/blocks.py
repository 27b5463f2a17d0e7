"""What a seed is read into: blocks of spans of styled text, and the one way both Markdown readers make spans."""

from __future__ import annotations

from dataclasses import dataclass

# A wrapper is an inline element around text: ("strong",), ("em",), ("code",) or ("a", href).
Wrapper = tuple[str, ...]
CODE: Wrapper = ("code",)


@dataclass(frozen=True, slots=True)
class Span:
    """A run of text with the same inline elements around it."""

    text: str
    wrappers: tuple[Wrapper, ...] = ()


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the article as a reader sees it: paragraph, heading, bullet, attribution, …"""

    kind: str
    spans: tuple[Span, ...]
    line: int

    @property
    def text(self) -> str:
        """The block's visible text."""
        return "".join(span.text for span in self.spans)


class Runs:
    """One block's spans as its inline content is walked: adjacent runs with the same wrappers merge.

    The text of a run is kept as a list of parts and each Span made once at the end: a paragraph
    is mostly many text and soft-break pieces under the same wrappers, and making a new Span for
    each piece (as the text grew) was most of the cost of reading a Markdown seed.
    """

    __slots__ = ("parts", "wrappers", "open", "current")

    def __init__(self) -> None:
        self.parts: list[list[str]] = []
        self.wrappers: list[tuple[Wrapper, ...]] = []
        self.open: list[Wrapper] = []
        self.current: tuple[Wrapper, ...] = ()  # tuple(self.open), kept so each piece does not make it again

    def push(self, wrapper: Wrapper) -> None:
        """An inline element opens."""
        self.open.append(wrapper)
        self.current = tuple(self.open)

    def pop(self) -> None:
        """The innermost open element closes."""
        self.open.pop()
        self.current = tuple(self.open)

    def add(self, text: str, wrappers: tuple[Wrapper, ...]) -> None:
        """A piece of text under `wrappers`, joined to the previous run when that has the same ones."""
        self.tail(wrappers).append(text)

    def tail(self, wrappers: tuple[Wrapper, ...]) -> list[str]:
        """The parts of the last run, a new one unless it has these wrappers: pieces appended to it merge (as `add`)."""
        if self.wrappers and self.wrappers[-1] == wrappers:
            return self.parts[-1]
        self.parts.append([])
        self.wrappers.append(wrappers)
        return self.parts[-1]

    def spans(self) -> tuple[Span, ...]:
        """The spans, the first one's leading and the last one's trailing white space taken off; empty ones left out.

        Runs merge before empty ones are left out, so an empty piece between two runs with the same wrappers keeps them apart.
        """
        texts = ["".join(parts) for parts in self.parts]
        if texts:
            texts[0] = texts[0].lstrip()
            texts[-1] = texts[-1].rstrip()
        return tuple(Span(text, wrappers) for text, wrappers in zip(texts, self.wrappers) if text)
