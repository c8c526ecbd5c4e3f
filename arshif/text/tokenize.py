"""Tokens with their offsets in the original string.

A token is a run of letters and digits (any script), together with the marks that may sit inside an
Arabic word (tashkeel, Quranic marks, tatweel, zero-width and bidi controls), so that a vocalized or
stretched word stays one token and its offsets cover it whole.
"""

from __future__ import annotations

import re
from functools import lru_cache, partial
from itertools import accumulate
from typing import Iterator, NamedTuple

_INWORD = "\u0640\u064B-\u065F\u0670\u06D6-\u06ED\u200B-\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C\uFEFF\u00AD"
TOKEN_PATTERN = re.compile(rf"(?:[^\W_]|[{_INWORD}])+")


#: Quote marks that open and close a name or a part of it (صحيفة «الحياة», وكالة أنباء "الأناضول"): opening → closing.
QUOTE_PAIRS = {'"': '"', "«": "»", "“": "”", "'": "'"}
#: The double quote marks of every style, which a name's display form leaves out.
DOUBLE_QUOTES = '"«»“”„'
#: The tanween marks (ً ٌ ٍ): the indefinite endings of common nouns and adverbs, which names do not take.
TANWEEN = frozenset("\u064b\u064c\u064d")


class Token(NamedTuple):
    """A token of the original text: ``text == original[start:end]``."""

    text: str
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    """Yield the tokens of ``text`` with their character offsets."""
    for match in TOKEN_PATTERN.finditer(text):
        yield _make_token((match.group(), *match.span()))


def token_before(text: str, start: int, between: str = "", reach: int = 40) -> Token | None:
    """The token that ends right before ``start`` (offsets into ``text``), with only blanks and the characters of
    ``between`` in the gap; None when something else stands there."""
    offset = max(0, start - reach)
    last = None
    for last in tokens(text[offset:start]):
        pass
    if last is None or text[offset + last.end : start].strip(" \t" + between):
        return None
    return Token(last.text, offset + last.start, offset + last.end)


def words(text: str) -> list[str]:
    """The tokens of ``text`` as strings."""
    return TOKEN_PATTERN.findall(text)


@lru_cache(maxsize=8)
def normalized_words(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The tokens of ``text`` as strings, and their normalized forms: the one normalization of a text, shared
    by the index (``arshif.text.analyze``), every extractor and the tagger (cached for the last few texts: an
    article's title and body). Tokenizing without offsets runs in C; normalizing goes through the per-word cache."""
    from .normalize import has_presentation_forms, normalize, normalize_word

    found = tuple(TOKEN_PATTERN.findall(text))
    joined = " ".join(found)
    if has_presentation_forms(joined):  # NFKC may make spaces (ﷺ): each token on its own
        return found, tuple(map(normalize_word, found))
    # Without NFKC, normalization maps character by character and never makes or takes a space, so the
    # tokens normalized together, in one C-level pass, split back into the tokens normalized one by one.
    return found, tuple(normalize(joined).split(" "))


#: Token(...) without the Python-level __new__ of a NamedTuple: 400,000 tokens a day
_make_token = partial(tuple.__new__, Token)
#: The token pattern as one group: ``split`` gives the text as separator, token, separator, ..., separator.
_SPLIT_PATTERN = re.compile(f"({TOKEN_PATTERN.pattern})")


@lru_cache(maxsize=8)
def normalized_tokens(text: str) -> tuple[tuple[Token, ...], tuple[str, ...]]:
    """The tokens of ``text`` with their offsets, and their normalized forms (those of ``normalized_words``),
    computed once per text for the extractors and the tagger. The offsets are the running sums of the lengths
    of the pieces ``split`` cuts the text into (no match is empty), all in C: no Python step per token."""
    pieces = _SPLIT_PATTERN.split(text)
    bounds = list(accumulate(map(len, pieces)))  # bounds[2k]: start of token k; bounds[2k + 1]: its end
    found = tuple(map(_make_token, zip(pieces[1::2], bounds[0:-1:2], bounds[1::2])))
    return found, normalized_words(text)[1]


def skip_normalized(original: str, count: int) -> int:
    """Index in ``original`` where its normalized form's first ``count`` characters end (marks after them
    skipped): how many characters of a token its first ``count`` normalized letters (a proclitic) take."""
    from .normalize import normalize_word

    if count <= 0:
        return 0
    seen = 0
    for index, char in enumerate(original):
        folded = normalize_word(char)
        if seen >= count and folded:
            return index
        seen += len(folded)
    return len(original)


def proclitic_offset(original: str, normalized: str) -> int:
    """Characters of ``original`` taken by its proclitics (و ف ب ك ل س), the article ال excluded: a name's span
    starts after them (وموسكو → موسكو, والرياض → الرياض, للمدينة → لمدينة)."""
    from .stem import strip_proclitics

    prefix, _ = strip_proclitics(normalized)
    if prefix.endswith("ال"):
        prefix = prefix[:-2]
    elif prefix.endswith("لل"):
        prefix = prefix[:-1]
    return skip_normalized(original, len(prefix))
