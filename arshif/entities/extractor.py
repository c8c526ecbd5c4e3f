"""The extractor interface: original text in, mentions with offsets into it out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Protocol

ENTITY_TYPES = ("PER", "LOC", "ORG", "MISC")


@dataclass(frozen=True)
class Mention:
    """A mention of an entity in an article's original text.

    ``text[start:end] == surface``; clitics (و ب ل ...) stay outside the span. ``kind`` is ``"name"`` for a
    name, ``"demonym"`` for a nisba adjective that refers to a country (الروسي → روسيا). ``canonical`` is set
    when the extractor already knows the entity's canonical name (gazetteer entries, demonyms); ``role`` holds a
    title that precedes a person's name (الرئيس, وزير الخارجية), which is not part of the name.
    ``needs_context`` marks a gazetteer match that is also a common word: it stands only where the tagger agrees.
    """

    start: int
    end: int
    surface: str
    type: str
    kind: str = "name"
    canonical: str | None = None
    role: str | None = None
    needs_context: bool = False


class Extractor(Protocol):
    """Anything that finds mentions in a text."""

    name: str

    def extract(self, text: str) -> list[Mention]:
        """Mentions in ``text``, sorted by start offset, not overlapping."""
        ...


def merge_mentions(groups: Iterable[list[Mention]]) -> list[Mention]:
    """Combine the mentions of several extractors: earlier groups win where spans overlap."""
    taken: list[Mention] = []
    for group in groups:
        for mention in group:
            if all(mention.end <= other.start or mention.start >= other.end for other in taken):
                taken.append(mention)
    return sorted(taken, key=lambda m: (m.start, m.end))


def scan(count: int, match_at: Callable[[int], tuple[Mention, int] | None]) -> Iterator[tuple[int, Mention, int]]:
    """Left-to-right longest-match scan over ``count`` tokens: ``(index, mention, width)`` for each match that
    ``match_at(index)`` finds, resuming after it."""
    index = 0
    while index < count:
        match = match_at(index)
        if match is None:
            index += 1
            continue
        mention, width = match
        yield index, mention, width
        index += width


def scan_at(candidates: Iterable[int], match_at: Callable[[int], tuple[Mention, int] | None]
            ) -> Iterator[tuple[int, Mention, int]]:
    """``scan`` that tries only the token indices in ``candidates`` (ascending): the same matches as ``scan``
    when ``match_at`` finds nothing at any other index, without a call per token (most tokens start nothing)."""
    after = 0
    for index in candidates:
        if index < after:
            continue
        match = match_at(index)
        if match is None:
            continue
        mention, width = match
        yield index, mention, width
        after = index + width
