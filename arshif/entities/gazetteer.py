"""Places from a gazetteer (``data/places.tsv``), matched on normalized text with proclitics handled.

``وسوريا`` is a mention of ``سوريا`` whose span leaves out the ``و``; ``فرقة`` is no ``ف`` + ``رقة`` (the clitic
rules and their attestation live in ``arshif.text.clitics``).

Precision rules:

* weekdays and months are never places (الخميس is also a town in Algeria), nor is a name right after بن، أبو،
  آل، عبد (محمد بن نايف);
* a place that is also a common word or a given name (الثورة، الصور، معسكر، نايف), or that is reached only by
  taking a clitic off (بديرة → ديرة), is *ambiguous*: its mention carries ``needs_context`` and the pipeline keeps
  it only when the tagger also reads a place there, or a place noun stands before it (مدينة، ولاية، محافظة ...).
  Countries and the major cities of CLDR are never ambiguous by commonness alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Callable, Sequence

from ..dates import names as calendar_names
from ..text.clitics import NAME_PARTICLES, all_readings, definite_nisba, name_readings, split_margin, zipf
from ..text.normalize import normalize
from ..text.stem import FUNCTION_WORDS
from ..text.tokenize import Token, normalized_tokens, skip_normalized, token_before, tokens
from .extractor import Mention, scan_at

#: Nouns before a place name that settle it as a place (مدينة الرقة, ولاية معسكر), normalized.
PLACE_NOUNS = frozenset(
    normalize(word)
    for word in (
        "مدينة محافظة ولاية بلدة قرية منطقة عاصمة إقليم مقاطعة مخيم حي ضاحية ميناء مطار جزيرة معتمدية بلدية "
        "مدن محافظات مناطق قرى بلدات أحياء ضواحي جنوب شمال شرق غرب وسط أطراف ريف"
    ).split()
)
#: Nouns that open the name of a sea, a gulf, a mountain or a river (بحر الصين الشرقي, خليج عمان, جبال الألب): a
#: place of its own, not the country or city inside its name; normalized, without the article.
NATURAL_FEATURES = frozenset(
    normalize(word)
    for word in "بحر خليج جبل جبال نهر مضيق بحيرة محيط صحراء هضبة سهل وادي شبه قناة".split()
)
#: Place nouns whose complement is a place's name, not a person's, when the tagger reads a person or a thing there
#: (معتمدية سيدي علوان, بلدية X): the administrative ones, and the officials named after their place (معتمد سيدي
#: علوان, والي القصرين: the delegate, the governor of); not the directions (جنوب, شرق) of ``PLACE_NOUNS``.
_PLACE_HEADS = frozenset(
    normalize(word)
    for word in (
        "مدينة محافظة ولاية بلدة قرية منطقة إقليم مقاطعة مخيم حي ضاحية جزيرة معتمدية بلدية عمادة "
        "مدن محافظات مناطق قرى بلدات معتمديات بلديات عمادات معتمد والي"
    ).split()
)
#: Words before سيدي that make it the title of a person (يا سيدي سعود; الولي الصالح سيدي علي بن عون; ضريح سيدي
#: X, the saint's shrine), normalized.
_SIDI_PERSON = frozenset(normalize(w) for w in "يا الولي للولي الصالح ولي ضريح مقام الشيخ".split())
#: Words that open many Maghreb and Levant place names (سيدي بوزيد, بئر علي بن خليفة, منزل بورقيبة) and foreign
#: ones (سان موريتز, سانت لويس): alone before another word they are the start of a longer name, not a place.
_OPENERS = frozenset(normalize(w) for w in "سيدي بني عين بئر راس رأس حمام منزل قصر برج دوار سان سانت سانتا".split())
#: A place is common when its other article form is this frequent a word (الثورة ↔ ثورة, معسكر ↔ المعسكر).
_COMMON_ZIPF = 3.3
#: A clitic split this clear (zipf of the rest minus zipf of the whole) needs no context (وحلب, بسوسة).
_STRONG_SPLIT = 1.2
#: A clitic split this clear (zipf of the rest minus zipf of the whole) reads a place behind it (بمكة).
_GLUED_TO_A_PLACE = 0.3
#: Sources whose cities are the major ones (CLDR time-zone cities) or hand-checked.
_MAJOR_SOURCES = frozenset({"babel-cldr", "pycountry", "places_extra"})
#: At most this many words remembered as starting no name (the memory of a long build stays bounded).
_INERT_WORDS = 200_000


@lru_cache(maxsize=1)
def place_stopwords() -> frozenset[str]:
    """Normalized place names that are common words (``data/place_stopwords.txt``): never places."""
    text = resources.files("arshif.entities").joinpath("data/place_stopwords.txt").read_text("utf-8")
    return frozenset(normalize(line.strip()) for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _rows() -> list[list[str]]:
    table = resources.files("arshif.entities").joinpath("data/places.tsv").read_text("utf-8")
    stop = place_stopwords()
    return [row for row in (line.split("\t") for line in table.splitlines() if line and not line.startswith("#"))
            if row[0] not in stop]


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Normalized name → canonical name, from ``data/places.tsv``."""
    return {row[0]: row[1] for row in _rows()}


@lru_cache(maxsize=1)
def city_names() -> frozenset[str]:
    """Normalized names of the gazetteer's cities (not countries, nor landmarks such as المسجد الحرام)."""
    return frozenset(row[0] for row in _rows() if row[2] == "city")


@lru_cache(maxsize=1)
def country_canonicals() -> frozenset[str]:
    """Canonical names of the gazetteer's countries."""
    return frozenset(row[1] for row in _rows() if row[2] == "country")


@lru_cache(maxsize=1)
def city_canonicals() -> frozenset[str]:
    """Canonical names of the gazetteer's cities."""
    return frozenset(row[1] for row in _rows() if row[2] == "city")


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Normalized given names: ``data/given_names.txt`` and the one-word PER entries of the tagger's gazetteer
    without the article (family names such as الشامي carry it). عبدالله is also listed as عبد الله."""
    data = resources.files("arshif.entities").joinpath("data")
    names = {
        name for name, _, type_ in (
            line.partition("\t") for line in data.joinpath("gazetteer.tsv").read_text("utf-8").splitlines()
            if not line.startswith("#"))
        if type_ == "PER" and " " not in name and not name.startswith("ال")
    }
    for line in data.joinpath("given_names.txt").read_text("utf-8").splitlines():
        if not line.startswith("#"):
            names.update(normalize(word) for word in line.split())
    names.update(name[:3] + " " + name[3:] for name in list(names) if name.startswith("عبد") and len(name) > 5)
    return frozenset(names)


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Weekday and month names, normalized, with and without the article (never places or people alone)."""
    words = {word for kind in calendar_names().values() for word in kind}
    return frozenset(words | {"ال" + word for word in words if not word.startswith("ال")})


def _other_article_form(key: str) -> str:
    return key[2:] if key.startswith("ال") else "ال" + key


@lru_cache(maxsize=1)
def major_places() -> frozenset[str]:
    """Keys of countries and of the major (CLDR or hand-checked) cities."""
    return frozenset(row[0] for row in _rows() if row[2] == "country" or row[4] in _MAJOR_SOURCES)


@lru_cache(maxsize=1)
def _listed_ambiguous() -> frozenset[str]:
    """Normalized places listed as also common words (``data/place_ambiguous.txt``)."""
    text = resources.files("arshif.entities").joinpath("data/place_ambiguous.txt").read_text("utf-8")
    return frozenset(normalize(line.strip()) for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def ambiguous_places() -> frozenset[str]:
    """Keys of places that are also common words or given names (by frequency, or listed in
    ``data/place_ambiguous.txt``), or minor alternate spellings."""
    major = major_places()
    minor = {row[0]: row[1] for row in _rows() if row[0] not in major}
    names = given_names()
    found = set(_listed_ambiguous() & places().keys())
    for key, canonical in minor.items():
        one_word = " " not in key
        if key in names or _other_article_form(key) in names or (
            one_word and (zipf(_other_article_form(key)) >= _COMMON_ZIPF
                          or normalize(canonical).replace(" ", "") != key.replace(" ", "")
                          and _other_article_form(key) != normalize(canonical))
        ):
            found.add(key)
    return frozenset(found)


_OPENING_QUOTES = "\"'«“("


def _previous_word(text: str, start: int) -> str | None:
    """The normalized word right before ``start``, with only blanks or an opening quote between; None otherwise."""
    before = token_before(text, start, _OPENING_QUOTES)
    return normalize(before.text) if before else None


def named_as_a_place(text: str, mention: Mention) -> bool:
    """Whether a tagger's person or other name is a place by its context: right after a place noun without the
    article (معتمدية سيدي علوان, بمنطقة "سيدي جمور", معتمد سيدي علوان), or a name that opens with سيدي (Tunisian
    and Algerian towns and quarters: وسيدي علوان, سيدي مخلوف) unless سيدي is a title there (يا سيدي سعود, الولي
    الصالح سيدي علي بن عون). A name that opens with a title stays (مدينة الملك عبدالله: named after the king)."""
    words = normalize(mention.surface).split()
    if not words or words[0].startswith(("الملك", "الامير", "الشيخ", "الرئيس")):
        return False
    previous = _previous_word(text, mention.start)
    if previous and any(rest in _PLACE_HEADS for clitic, rest in all_readings(previous) if not clitic.endswith("ال")):
        return True
    if words[0] == "سيدي" and len(words) > 1:
        return not previous or not any(rest in _SIDI_PERSON for _, rest in all_readings(previous))
    return False


#: Nouns of places and facilities that a country's adjective after a city may qualify (مطار نيس الفرنسي, منتجع
#: سوسة التونسي, ميناء جنوة الإيطالي): there the city is no club.
_FACILITIES = PLACE_NOUNS | frozenset(normalize(word) for word in "منتجع معتقل مرفأ سجن".split())


def a_club_by_its_adjective(text: str, mention: Mention, after: Mention | None) -> bool:
    """Whether a city is its football club by the country's adjective after it: a city is feminine in Arabic, so a
    masculine nisba right after it (موناكو الفرنسي, روما الإيطالي, لاعب نابولي الإيطالي) qualifies the club, its
    team; not after a place's or facility's noun, which the adjective qualifies (مطار نيس الفرنسي)."""
    if (after is None or after.kind != "demonym" or mention.kind != "name" or mention.type != "LOC"
            or text[mention.end : after.start].strip(" \t")):
        return False
    if definite_nisba(normalize(after.surface)) != "masculine":
        return False  # (الإيطالية: the city's own adjective)
    if " ".join(normalize(mention.surface).split()) not in city_names():
        return False
    previous = _previous_word(text, mention.start)
    return not previous or not any(
        rest in _FACILITIES or rest[2:] in _FACILITIES for _, rest in all_readings(previous))


def with_its_opener_completed(text: str, mention: Mention) -> Mention:
    """A tagger's name that is only the opening word of a place name (منطقة [سيدي] مرشد, [بني] خداش) extended over
    the next word, when only blanks stand between and that word is no function word."""
    if normalize(mention.surface.strip()) not in _OPENERS:
        return mention
    after = next(tokens(text[mention.end : mention.end + 40]), None)
    if after is None or text[mention.end : mention.end + after.start].strip():
        return mention
    word = normalize(after.text)
    if len(word) < 3 or not word.isalpha() or word in FUNCTION_WORDS or word in calendar_words():
        return mention
    end = mention.end + after.end
    return replace(mention, end=end, surface=text[mention.start : end])


@dataclass(frozen=True)
class Homonym:
    """A bare name that is both a country and a city (عمان: Oman and Amman), and what tells them apart.

    In order: the mention's own vowel marks (``country_marks``: عُمان; ``city_marks``: عمّان), then its
    neighbours in a list (``السعودية وقطر وعمان``: countries; ``الرياض وعمان``: cities), then the article's
    other written forms of it, and last the article's words (``city_words``: the city's country is named;
    ``country_words``: the country's own words, which win)."""

    name: str  # normalized
    country: str  # canonical names
    city: str
    country_marks: Callable[[str], bool]
    city_marks: Callable[[str], bool]
    city_words: Callable[[str], bool]
    country_words: Callable[[str], bool]


#: Country names that are also a city's once normalized (عمّان, Amman, is written عمان, Oman).
_HOMONYMS = (
    Homonym(normalize("عمان"), "سلطنة عمان", "عمان",
            country_marks=lambda surface: "\u0639\u064f" in surface,  # damma on ع: عُمان
            city_marks=lambda surface: "\u0651" in surface,  # shadda on م: عمّان
            city_words=lambda word: "اردن" in word,
            country_words=lambda word: "عماني" in word or word.endswith(("مسقط", "سلطنه"))),
)

_LIST_GAP = re.compile(r"\s*(?:[،,]\s*)?(?:و\s*)?")  # what separates two items of a list: ، or و
#: The same, a comma or و required (عدن نايف البكري is no list).
LIST_SEPARATOR = re.compile(r"\s*(?:[،,]\s*(?:و\s*)?|و\s*)")


def list_neighbours(text: str, mentions: Sequence[Mention], i: int, gap: re.Pattern = _LIST_GAP) -> list[Mention]:
    """The mentions right before and after ``mentions[i]`` in a list (separated only by a comma or و)."""
    out = []
    if i and gap.fullmatch(text[mentions[i - 1].end:mentions[i].start]):
        out.append(mentions[i - 1])
    if i + 1 < len(mentions) and gap.fullmatch(text[mentions[i].end:mentions[i + 1].start]):
        out.append(mentions[i + 1])
    return out


def _homonym_side(text: str, mentions: Sequence[Mention], i: int, homonym: Homonym) -> str | None:
    """"country" or "city" where the mention itself tells (its marks, or its neighbours in a list), else None."""
    surface = mentions[i].surface
    if homonym.country_marks(surface):
        return "country"
    if homonym.city_marks(surface):
        return "city"
    countries, cities = country_canonicals(), city_canonicals()
    sides = {"country" if m.canonical in countries else "city" if m.canonical in cities else None
             for m in list_neighbours(text, mentions, i) if normalize(m.surface) != homonym.name}
    sides.discard(None)
    return sides.pop() if len(sides) == 1 else None


def _homonyms_read(text: str, normalized: Sequence[str], mentions: list[Mention]) -> list[Mention]:
    """Mentions of a bare homonym (``_HOMONYMS``) given the country's or the city's canonical name (``Homonym``)."""
    out = mentions
    for homonym in _HOMONYMS:
        bare = [i for i, m in enumerate(out)
                if m.canonical == homonym.country and " ".join(normalize(m.surface).split()) == homonym.name]
        if not bare:
            continue
        told = {i: _homonym_side(text, out, i, homonym) for i in bare}
        sides = set(told.values()) - {None}
        if len(sides) == 1:
            default = sides.pop()  # the article's other forms of the name
        elif any(homonym.city_words(w) for w in normalized) and not any(homonym.country_words(w) for w in normalized):
            default = "city"
        else:
            default = "country"
        out = list(out)
        for i in bare:
            if (told[i] or default) == "city":
                out[i] = replace(out[i], canonical=homonym.city)
    return out


class GazetteerExtractor:
    """Finds the gazetteer's places in a text, longest name first."""

    name = "gazetteer"

    def __init__(self, names: dict[str, str] | None = None, type_: str = "LOC") -> None:
        self.names = names if names is not None else places()
        self.type = type_
        self.major = major_places() if names is None else frozenset(self.names)
        self.max_words = max((key.count(" ") + 1 for key in self.names), default=1)
        self.first_words = {key.split(" ", 1)[0] for key in self.names if " " in key}
        self._readings: dict[str, tuple[tuple[str, str], ...]] = {}
        self._inert: set[str] = set()  # words with no reading that starts a name: most of a text's words

    def readings(self, word: str) -> tuple[tuple[str, str], ...]:
        """The clitic readings of a normalized word that can start a name (cached: most words have none)."""
        found = self._readings.get(word)
        if found is None:
            found = tuple(
                (clitic, head) for clitic, head in name_readings(word)
                if head in self.names or head in self.first_words
            )
            # a preposition or conjunction before a place, though the whole is a frequent word too (بمكة: the
            # split is less clear than name_readings asks, and the mention then needs context unless the place
            # is a major one)
            found += tuple(
                (clitic, rest) for clitic, rest in all_readings(word)
                if clitic and not clitic.endswith("ال") and "ك" not in clitic  # كسول is lazy, not ك + Seoul
                and rest in self.names and (clitic, rest) not in found
                and split_margin(word, rest) >= _GLUED_TO_A_PLACE
            )
            if len(self._readings) < 50_000:
                self._readings[word] = found
        return found

    def _may_start(self, word: str) -> bool:
        """Whether a normalized word has a reading that starts a name (``_match_at`` finds nothing otherwise)."""
        if self.readings(word):
            return True
        if len(self._inert) < _INERT_WORDS:
            self._inert.add(word)
        return False

    def extract(self, text: str) -> list[Mention]:
        toks, normalized = normalized_tokens(text)
        inert = self._inert
        candidates = [i for i, word in enumerate(normalized) if word not in inert and self._may_start(word)]
        words = frozenset(normalized)  # (whether the article writes a place alone: _match_at)
        matches = scan_at(candidates, lambda i: self._match_at(text, toks, normalized, i, words))
        checked = (self._checked(text, toks, normalized, i, width, m) for i, m, width in matches)
        return _homonyms_read(text, normalized, [mention for mention in checked if mention is not None])

    def _checked(self, text: str, toks: Sequence[Token], normalized: Sequence[str], index: int, width: int,
                 mention: Mention) -> Mention | None:
        """Apply the precision rules (module docstring): None, or the mention (``needs_context`` if ambiguous)."""
        key = normalize(mention.surface)
        key = " ".join(key.split())
        if width == 1 and (key in calendar_words() or normalized[index] in calendar_words()):
            return None
        previous = normalized[index - 1] if index else ""
        joined = index and not text[toks[index - 1].end : toks[index].start].strip()
        if joined and any(rest in NAME_PARTICLES for _, rest in all_readings(previous)):
            return None  # بن نايف, ببن قردان: a name, not a place
        following = normalized[index + width] if index + width < len(toks) else ""
        if width == 1 and key in _OPENERS and following and not text[mention.end : toks[index + 1].start].strip():
            return None  # سيدي بوعلي, بئر علي: the first word of a longer place the gazetteer does not know
        if self.type != "LOC":
            return mention
        head = key.split(" ")[0]
        weak_split = normalized[index] != head and split_margin(normalized[index], head) < _STRONG_SPLIT
        ambiguous = key in ambiguous_places() or (weak_split and key not in self.major)
        if ambiguous and joined:
            bare = [rest for _, rest in name_readings(previous)]
            if any(word in PLACE_NOUNS or word[2:] in PLACE_NOUNS for word in bare):
                ambiguous = False
        return replace(mention, needs_context=True) if ambiguous else mention

    def _match_at(
        self, text: str, toks: Sequence[Token], normalized: Sequence[str], index: int, words: frozenset[str]
    ) -> tuple[Mention, int] | None:
        reach = 0  # how many tokens from index on are separated by blanks only (found once, when needed)
        readings = self.readings(normalized[index])
        if len(readings) > 1 and readings[0][0] == "" and any(
                clitic and rest in self.names and rest in words for clitic, rest in readings[1:]):
            # وجدة is Oujda, or و + جدة in an article that names جدة alone too: the article's own word decides
            readings = tuple(reading for reading in readings if reading[0]) + readings[:1]
        for clitic, head in readings:
            if head in self.first_words:
                if not reach:
                    reach, limit = 1, min(self.max_words, len(toks) - index)
                    while reach < limit and not text[toks[index + reach - 1].end : toks[index + reach].start].strip():
                        reach += 1
                for width in range(reach, 1, -1):  # a longer span would cross more than blanks
                    last = index + width - 1
                    key = " ".join([head, *normalized[index + 1 : last + 1]])
                    if key in self.names:
                        return self._mention(text, toks[index], toks[last].end, clitic, key), width
            if head in self.names:
                return self._mention(text, toks[index], toks[index].end, clitic, head), 1
        return None

    def _mention(self, text: str, first: Token, end: int, clitic: str, key: str) -> Mention:
        start = first.start + (skip_normalized(first.text, len(clitic)) if clitic else 0)
        return Mention(start, end, text[start:end], self.type, canonical=self.names[key])
