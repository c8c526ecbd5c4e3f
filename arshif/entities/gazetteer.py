"""Places from a gazetteer (``data/places.tsv``), matched on normalized text with proclitics handled.

``وسوريا`` is a mention of ``سوريا`` whose span leaves out the ``و``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Sequence

from ..text.normalize import normalize
from ..text.tokenize import Token, normalized_tokens, skip_normalized
from .extractor import Mention

# Proclitic sequences that may stand before a name, longest first (normalized letters).
PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Normalized name → canonical name, from ``data/places.tsv``."""
    table = resources.files("arshif.entities").joinpath("data/places.tsv").read_text("utf-8")
    names: dict[str, str] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            key, canonical = line.split("\t")[:2]
            names[key] = canonical
    return names


def clitic_readings(word: str) -> list[tuple[str, str]]:
    """(proclitic, rest) readings of a normalized word, the bare word first.

    ``لل`` before a noun stands for ``ل`` + ``ال`` (للمدينه → ل + المدينه).
    """
    readings = [("", word)]
    for clitic in PROCLITICS:
        rest = word[len(clitic):]
        if word.startswith(clitic) and len(rest) >= 2:
            readings.append((clitic, rest))
            if clitic.endswith("ل") and rest.startswith("ل"):
                readings.append((clitic, "ا" + rest))
    return readings


class GazetteerExtractor:
    """Finds the gazetteer's places in a text, longest name first."""

    name = "gazetteer"

    def __init__(self, names: dict[str, str] | None = None, type_: str = "LOC") -> None:
        self.names = names if names is not None else places()
        self.type = type_
        self.max_words = max((key.count(" ") + 1 for key in self.names), default=1)
        self.first_words = {key.split(" ", 1)[0] for key in self.names if " " in key}
        self._readings: dict[str, tuple[tuple[str, str], ...]] = {}

    def readings(self, word: str) -> tuple[tuple[str, str], ...]:
        """The clitic readings of a normalized word that can start a name (cached: most words have none)."""
        found = self._readings.get(word)
        if found is None:
            found = tuple(
                (clitic, head) for clitic, head in clitic_readings(word)
                if head in self.names or head in self.first_words
            )
            if len(self._readings) < 50_000:
                self._readings[word] = found
        return found

    def extract(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        toks, normalized = normalized_tokens(text)
        index = 0
        while index < len(toks):
            match = self._match_at(text, toks, normalized, index)
            if match is None:
                index += 1
                continue
            mention, width = match
            found.append(mention)
            index += width
        return found

    def _match_at(
        self, text: str, toks: Sequence[Token], normalized: Sequence[str], index: int
    ) -> tuple[Mention, int] | None:
        for clitic, head in self.readings(normalized[index]):
            if head in self.first_words:
                for width in range(min(self.max_words, len(toks) - index), 1, -1):
                    last = index + width - 1
                    if any(text[toks[i].end : toks[i + 1].start].strip() for i in range(index, last)):
                        continue
                    key = " ".join([head, *normalized[index + 1 : last + 1]])
                    if key in self.names:
                        return self._mention(text, toks[index], toks[last].end, clitic, key), width
            if head in self.names:
                return self._mention(text, toks[index], toks[index].end, clitic, head), 1
        return None

    def _mention(self, text: str, first: Token, end: int, clitic: str, key: str) -> Mention:
        start = first.start + (skip_normalized(first.text, len(clitic)) if clitic else 0)
        return Mention(start, end, text[start:end], self.type, canonical=self.names[key])
