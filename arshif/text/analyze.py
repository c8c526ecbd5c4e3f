"""The analyzer: what the search index holds for a text, and what a query term becomes.

A text is indexed twice: its normalized surface tokens (exact forms) and their light stems. The same
functions analyze query terms, so a query and a document always agree.

The index is made from the text's one analysis, ``arshif.text.tokenize.normalized_words`` (tokens of the
original text, each normalized), whose forms the extractors and the tagger share (``normalized_tokens``):
each token's normalized form, split again at anything normalization leaves that is not a word character (``½`` → ``1⁄2`` → ``1 2``),
gives its terms; a token that normalizes to nothing (a lone control mark) gives none. This equals tokenizing
the normalized text, except where NFKC folding of presentation forms joins a letter with a combining mark
outside a token (``tests/test_analysis.py`` says which cases, and checks every fixture).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from .normalize import normalize
from .stem import stem
from .tokenize import TOKEN_PATTERN, normalized_words


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


def text_terms(text: str) -> list[str]:
    """The terms of a text for the index, from its shared normalization (``normalized_words``): the normalized
    tokens, each split again where normalization left something that is not a word character."""
    return TOKEN_PATTERN.findall(" ".join(normalized_words(text)[1]))  # a space never joins two terms


def analyze(text: str | None) -> Analyzed:
    """Surface and stem forms of ``text`` for the full-text index, from its shared analysis."""
    if not text:
        return Analyzed("", "")
    found = text_terms(text)
    return Analyzed(" ".join(found), " ".join(map(term_stem, found)))
