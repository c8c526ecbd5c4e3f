"""Arabic normalization for search and matching (never for display).

The rules live in ``data/normalize.tsv``; this module compiles them into one ``str.translate`` table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SHORT_TEXT = 64  # below this length (a word), str.translate is faster than scanning once per rule
_PRESENTATION_FORMS = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFE]")


@dataclass(frozen=True)
class Rule:
    """One row of the normalization table."""

    first: int
    last: int
    replacement: str
    name: str
    example: str


def _code_point(text: str) -> int:
    if not text.startswith("U+"):
        raise ValueError(f"normalize.tsv: bad code point {text!r}")
    return int(text[2:], 16)


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The rows of ``data/normalize.tsv``, in order."""
    parsed = []
    table = resources.files("arshif.text").joinpath("data/normalize.tsv").read_text("utf-8")
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        points, replacement, name, example = line.split("\t")
        first, _, last = points.partition("-")
        replacement = "" if replacement == '""' else replacement
        parsed.append(Rule(_code_point(first), _code_point(last or first), replacement, name, example))
    return tuple(parsed)


@lru_cache(maxsize=1)
def translation_table() -> dict[int, str]:
    """The rules as a ``str.translate`` table."""
    table: dict[int, str] = {}
    for rule in rules():
        for point in range(rule.first, rule.last + 1):
            table[point] = rule.replacement
    return table


@lru_cache(maxsize=1)
def _compiled() -> tuple[re.Pattern[str], tuple[tuple[str, str], ...]]:
    """The table as one regex of the characters it deletes and the single-character replacements: scanning
    with C-level ``re.sub`` and ``str.replace`` is several times faster than ``str.translate`` with a dict."""
    table = translation_table()
    deleted = "".join(sorted(chr(point) for point, value in table.items() if value == ""))
    pattern = re.compile("[" + re.escape(deleted) + "]")
    replaced = tuple(sorted((chr(point), value) for point, value in table.items() if value))
    return pattern, replaced


def has_presentation_forms(text: str) -> bool:
    """Whether ``normalize`` puts ``text`` through NFKC (Arabic presentation forms in it)."""
    return _PRESENTATION_FORMS.search(text) is not None


def normalize(text: str) -> str:
    """Fold spelling variants of Arabic text to one search form.

    Presentation forms go through NFKC, then the table applies (tashkeel, tatweel and control characters
    removed; hamza forms of alef, alef maksura, teh marbuta, Persian and Urdu letters and digits folded),
    then Latin letters are lower-cased.
    """
    if _PRESENTATION_FORMS.search(text):
        text = unicodedata.normalize("NFKC", text)
    if len(text) < SHORT_TEXT:
        return text.translate(translation_table()).lower()
    deleted, replaced = _compiled()
    text = deleted.sub("", text)
    for char, replacement in replaced:
        if char in text:
            text = text.replace(char, replacement)
    return text.lower()


@lru_cache(maxsize=50_000)
def normalize_word(word: str) -> str:
    """``normalize`` for one token, cached (news vocabulary is Zipfian)."""
    return normalize(word)
