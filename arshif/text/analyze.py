"""The analyzer: what the search index holds for a text, and what a query term becomes.

A text is indexed twice: its normalized surface tokens (exact forms) and their light stems. The same
functions analyze query terms, so a query and a document always agree.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .normalize import normalize
from .stem import stem
from .tokenize import TOKEN_PATTERN


class Analyzed(NamedTuple):
    """Space-separated normalized tokens, and their stems, of one text."""

    surface: str
    stems: str


def terms(text: str) -> list[str]:
    """The normalized tokens of a text (its search terms)."""
    return TOKEN_PATTERN.findall(normalize(text))


@lru_cache(maxsize=50_000)
def term_stem(term: str) -> str:
    """The stem of a normalized term (cached: news vocabulary is Zipfian)."""
    return stem(term)


def analyze(text: str | None) -> Analyzed:
    """Surface and stem forms of ``text`` for the full-text index."""
    if not text:
        return Analyzed("", "")
    found = terms(text)
    return Analyzed(" ".join(found), " ".join([term_stem(term) for term in found]))
