"""The one home of Arabic clitic rules: which letters are clitics, in which order they stack, and when a letter
that looks like a clitic really is one.

Every extractor and the stemmer ask this module, so a mention starts at the same letter whoever found it
(``وسوريا`` → ``سوريا``; ``فرقة`` stays ``فرقة``, not ``ف`` + ``رقة``). Forms here are *normalized*
(``arshif.text.normalize``: ة is ه, ى is ي, alef without hamza).

Attestation: a one-letter proclitic is taken off a word only when the rest is far more frequent as a word than
the whole (``split_is_attested``), or only somewhat more frequent when the rest starts with the article
(بالقصرين: ب + القصرين; few words begin with وال, بال, فال). Frequencies come from ``wordfreq``'s Arabic list (news, Wikipedia, subtitles,
web; folded through our normalization), a well-kept frequency list that knows ``فرقة`` and ``ورقة`` as words.
"""

from __future__ import annotations

import math
from functools import lru_cache

#: Conjunctions (و ف), prepositions (ب ك ل) and the future marker (س), as single letters.
CONJUNCTIONS = "وف"
PREPOSITIONS = "بكل"
FUTURE = "س"
IMPERFECT_PREFIXES = "يتنا"
#: Letters a word may start with when it carries a proclitic (ا for the article).
CLITIC_LETTERS = frozenset(CONJUNCTIONS + PREPOSITIONS + FUTURE + "ا")
#: The article and what may stand before it, longest first.
ARTICLE_FORMS = ("وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
#: Proclitic sequences that may stand before a name, longest first: (و|ف)?(ب|ك|ل)?.
NAME_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")
#: Pronoun suffixes, longest first.
PRONOUN_SUFFIXES = ("هما", "كما", "هم", "هن", "كم", "كن", "نا", "ها", "ه", "ك", "ي")
#: Words inside an Arabic name that join its parts (بن نايف, أبو مازن, آل سعود, عبد الله), normalized.
NAME_PARTICLES = frozenset("بن ابن بنت ابو ابي ام ال عبد".split())

def definite_nisba(word: str) -> str | None:
    """"masculine" or "feminine" for a normalized word that has the article and a nisba ending (الإيطالي,
    الإيطاليه; المالكي), None otherwise."""
    if not word.startswith("ال") or len(word) <= 4:
        return None
    return "feminine" if word.endswith("يه") else "masculine" if word.endswith("ي") else None


#: How much more frequent (in powers of ten) the rest must be than the whole word for each clitic to come off.
#: و and ب/ل before a name are common; ف less so; ك ("like") before a name is rare, so it needs strong evidence.
_MARGIN = {"و": 0.5, "ف": 1.0, "ب": 0.8, "ل": 0.8, "ك": 2.0}
#: The margin of a one-letter proclitic before the article (ب + القصرين): few words begin with وال, بال, فال.
_BEFORE_ARTICLE = 0.3
#: Above this zipf value a word is a function word or as common (في, من, على).
_FUNCTION_ZIPF = 5.5
#: Below this zipf value a whole word is not attested as a word at all.
_UNATTESTED = 2.0


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """Normalized word → frequency (share of all words), folded from wordfreq's Arabic list; empty without it."""
    try:
        from wordfreq import cB_to_freq, get_frequency_list
    except ImportError:  # pragma: no cover - wordfreq is a dependency; without it attestation falls back to 'no'
        return {}
    from .normalize import has_presentation_forms, normalize, normalize_word

    # wordfreq's list is buckets of words, the most frequent first, bucket i at cB_to_freq(-i) (what
    # get_frequency_dict maps every word to, for all 620,000 words): only the buckets at zipf 2 or more are read;
    # rarer words count as unattested. The list is read past wordfreq's cache, which would keep all of it (60 MB).
    read = getattr(get_frequency_list, "__wrapped__", get_frequency_list)
    words: list[str] = []
    frequencies: list[float] = []
    for index, bucket in enumerate(read("ar")):
        frequency = cB_to_freq(-index)
        if frequency < 1e-7:
            break
        words.extend(bucket)
        frequencies.extend([frequency] * len(bucket))
    # Normalized all at once, one word a line, in C (normalization maps character by character and keeps
    # newlines, unless NFKC applies); otherwise word by word.
    joined = "\n".join(words)
    keys = None if has_presentation_forms(joined) else normalize(joined).split("\n")
    if keys is None or len(keys) != len(words):
        keys = [normalize_word(word) for word in words]
    folded: dict[str, float] = {}
    for key, frequency in zip(keys, frequencies):  # summed in wordfreq's order, as before: the same floats
        folded[key] = folded.get(key, 0.0) + frequency
    return folded


def zipf(word: str) -> float:
    """Zipf frequency (log10 of occurrences per billion words) of a normalized word; 0 when unknown."""
    frequency = _frequencies().get(word, 0.0)
    return math.log10(frequency * 1e9) if frequency > 0 else 0.0


@lru_cache(maxsize=200_000)
def split_is_attested(word: str, clitic: str, rest: str) -> bool:
    """Whether ``word`` (normalized) is ``clitic`` + ``rest`` rather than a word of its own.

    The rest must be clearly more frequent than the whole word (``_MARGIN`` per clitic, summed for stacked
    clitics); a whole word that is no attested word at all may always be split.
    """
    if clitic[-1:] in PREPOSITIONS and rest[:1] in CONJUNCTIONS and zipf(rest[1:]) >= _FUNCTION_ZIPF:
        return False  # كوفي is no ك + و + في: a conjunction never follows a preposition
    whole = zipf(word)
    if whole < _UNATTESTED:
        return True
    margin = sum(_MARGIN.get(letter, 1.0) for letter in clitic)
    if len(clitic) == 1 and rest.startswith("ال") and len(rest) > 4:
        margin = min(margin, _BEFORE_ARTICLE)  # بالقصرين: a preposition before a definite word is the rule
    return zipf(rest) - whole >= margin


def split_margin(word: str, rest: str) -> float:
    """How much more frequent (zipf) ``rest`` is than the whole ``word``; infinite when the word is unattested."""
    whole = zipf(word)
    return float("inf") if whole < _UNATTESTED else zipf(rest) - whole


@lru_cache(maxsize=100_000)
def name_readings(word: str) -> tuple[tuple[str, str], ...]:
    """(proclitic, rest) readings of a normalized word that may start a name, the bare word first.

    Only attested splits are offered (``فرقه`` has no ``ف`` + ``رقه`` reading). ``لل`` before a noun stands for
    ``ل`` + ``ال`` (للمدينه → ل + المدينه).
    """
    readings = [("", word)]
    for clitic in NAME_PROCLITICS:
        rest = word[len(clitic):]
        if not word.startswith(clitic) or len(rest) < 2:
            continue
        if clitic.endswith("ل") and rest.startswith("ل"):
            readings.append((clitic, "ا" + rest))  # للامم: ل + الامم
        if split_is_attested(word, clitic, rest):
            readings.append((clitic, rest))
    return tuple(readings)


@lru_cache(maxsize=100_000)
def all_readings(word: str) -> tuple[tuple[str, str], ...]:
    """Every (proclitic, rest) reading of a normalized word, the bare word first, attested or not: for matching
    words that are known to be what they are (a head noun such as وكالة in لوكالة, a listed name). Cached: the
    extractors ask it for the same words again and again."""
    readings = [("", word)]
    for clitic in NAME_PROCLITICS:
        rest = word[len(clitic):]
        if word.startswith(clitic) and len(rest) >= 2:
            if clitic.endswith("ل") and rest.startswith("ل"):
                readings.append((clitic + "ل", "ال" + rest[1:]))  # للهيئه: لل + الهيئه
            readings.append((clitic, rest))
    return tuple(readings)
