"""Names in Latin letters matched to the archive's entities in Arabic script, by a phonetic key: the sequence of
the consonant classes of a name (``Trump`` and ``ترامب`` are both T R M B; ``Lavrov`` and ``لافروف`` both
L B R B). The spellings of each class, for both scripts, are the rules in ``data/translit.tsv``.

``NameIndex`` holds the keys of an archive's entities and suggests, for a Latin query, the entities whose key
is the query's (whole name, or one word of a longer name), then those one class away, most mentioned first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .text.normalize import normalize

RULES = Path(__file__).with_name("data") / "translit.tsv"
_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_LATIN_WORD = re.compile(r"[a-z]+")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u067e\u06a4\u06af]+")
LATIN_ARTICLES = ("al", "el", "al-", "el-")
MIN_KEY = 2


@lru_cache(maxsize=1)
def rules() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """Spellings of each script, longest first, with the classes they stand for (empty: no consonant)."""
    table: dict[str, list[tuple[str, tuple[str, ...]]]] = {"latin": [], "arabic": []}
    for line in RULES.read_text("utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        script, spelling, classes = line.split("\t")
        table[script].append((spelling, tuple(c for c in classes.split() if c != "-")))
    for spellings in table.values():
        spellings.sort(key=lambda item: -len(item[0]))
    return table


def _word_key(word: str, script: str) -> tuple[str, ...]:
    spellings = rules()[script]
    key: list[str] = []
    position = 0
    while position < len(word):
        for spelling, classes in spellings:
            if word.startswith(spelling, position):
                for item in classes:
                    if not key or key[-1] != item:
                        key.append(item)
                position += len(spelling)
                break
        else:
            position += 1  # a vowel, or a letter with no rule
    return tuple(key)


def has_article(text: str) -> bool:
    """Whether a Latin name starts with al-/el- (Al-Riyadh), as an Arabic name may start with ال."""
    return bool(re.match(r"\s*(?:al|el)[- ]", text.lower()))


def latin_words(text: str) -> list[str]:
    """The words of a Latin-script name, lower case, accents off, a leading al-/el- dropped."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    folded = re.sub(r"\b(?:al|el)-", "", folded)
    words = _LATIN_WORD.findall(folded)
    if len(words) > 1 and words[0] in ("al", "el"):
        words = words[1:]
    return words


def arabic_words(name: str) -> list[str]:
    """The words of an Arabic name, normalized, the article dropped."""
    words = []
    for word in _ARABIC_WORD.findall(normalize(name)):
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        words.append(word)
    return words


#: How a name begins, kept in its key: a vowel (Iraq, العراق; not Raqqa, الرقة), y (Yemen, اليمن) or w.
LATIN_ONSETS = {"a": "V", "e": "V", "i": "V", "o": "V", "u": "V", "y": "Y", "w": "W"}
ARABIC_ONSETS = {"ا": "V", "ع": "V", "ء": "V", "ئ": "V", "ؤ": "V", "ي": "Y", "و": "W"}
SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")


def _joined(onset: str | None, keys: list[tuple[str, ...]]) -> tuple[str, ...]:
    whole: list[str] = [onset] if onset else []
    for key in keys:
        for item in key:
            if not whole or whole[-1] != item:
                whole.append(item)
    return tuple(whole)


def latin_key(text: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(the whole name's key, each word's key) of a Latin-script name."""
    words = latin_words(text)
    keys = [_word_key(word, "latin") for word in words]
    return _joined(LATIN_ONSETS.get(words[0][0]) if words else None, keys), keys


def arabic_key(name: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(the whole name's key, each word's key with its onset) of an Arabic name."""
    words = arabic_words(name)
    keys = [_word_key(word, "arabic") for word in words]
    with_onsets = [_joined(ARABIC_ONSETS.get(word[0]), [key]) for word, key in zip(words, keys)]
    return _joined(ARABIC_ONSETS.get(words[0][0]) if words else None, keys), with_onsets


def arabic_keys(name: str) -> list[tuple[str, ...]]:
    """The whole-name keys an Arabic name may be written under in Latin letters: as it is, and, when its article
    stands before a sun letter, with the article heard as a vowel (السبسي is Essebsi)."""
    whole, _ = arabic_key(name)
    keys = [whole]
    normalized = normalize(name)
    if normalized.startswith("ال") and len(normalized) > 3 and normalized[2] in SUN_LETTERS:
        keys.append(("V", *whole))
    return keys


def is_latin(text: str | None) -> bool:
    """Whether a query is written in Latin letters (and holds no Arabic)."""
    return bool(text and _LATIN.search(text) and not _ARABIC.search(text))


def _deletions(key: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {key[:i] + key[i + 1:] for i in range(len(key))}


@dataclass
class Suggestion:
    id: int
    name: str
    type: str
    article_count: int
    match: str  # "name", "word" or "near"


class NameIndex:
    """Phonetic keys of an archive's entities."""

    def __init__(self, entities) -> None:
        """``entities``: (id, name, type, article_count) rows."""
        self.entities: dict[int, tuple[str, str, int]] = {}
        self.articled: set[int] = set()
        self.whole: dict[tuple[str, ...], set[int]] = {}
        self.words: dict[tuple[str, ...], set[int]] = {}
        self.near: dict[tuple[str, ...], set[int]] = {}
        for ident, name, kind, count in entities:
            whole, words = arabic_key(name)
            if not whole:
                continue
            self.entities[ident] = (name, kind, count or 0)
            if normalize(name).startswith("ال"):
                self.articled.add(ident)
            for key in arabic_keys(name):
                self.whole.setdefault(key, set()).add(ident)
            if kind == "PER" and len(words) > 1:  # a person is also found by one of their names (Trump)
                for word in words:
                    if len(word) >= MIN_KEY:
                        self.words.setdefault(word, set()).add(ident)
            if len(whole) >= 3:
                for deleted in _deletions(whole) | {whole}:
                    self.near.setdefault(deleted, set()).add(ident)

    def suggest(self, text: str, limit: int = 5) -> list[Suggestion]:
        """The entities whose names sound like the Latin ``text``, best first."""
        whole, _ = latin_key(text)
        if not whole:
            return []
        article = has_article(text)
        # tier 3: the whole name or one word of a longer name (دونالد ترامب for Trump), 2: the same with the article
        # written on one side only (Kerry is not القاهرة), 1: one consonant class away; most mentioned first
        ranked: dict[int, tuple[float, str]] = {}
        for ident in self.whole.get(whole, ()):
            ranked[ident] = (3.0 if (ident in self.articled) == article else 2.0, "name")
        if len(whole) >= MIN_KEY:
            for ident in self.words.get(whole, ()):
                ranked.setdefault(ident, (3.0, "word"))
        if len(whole) >= 3:
            for deleted in _deletions(whole) | {whole}:
                for ident in self.near.get(deleted, ()):
                    ranked.setdefault(ident, (1.0, "near"))
        order = sorted(ranked, key=lambda ident: (-ranked[ident][0], -self.entities[ident][2],
                                                  ranked[ident][1] != "name", ident))
        return [Suggestion(ident, *self.entities[ident], match=ranked[ident][1]) for ident in order[:limit]]
