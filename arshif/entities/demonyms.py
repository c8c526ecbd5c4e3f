"""Countries and their nisba adjectives (demonyms): الروسي → روسيا, والأميركية → الولايات المتحدة.

The table is ``data/demonyms.tsv`` (one row per country, masculine nisbas only); this module derives the inflected
forms (ال, ة, dual, plural, broken plurals) and the proclitics (و ف ب ك ل), and compiles them into one dict from a
normalized token to its country, so that extraction is one dict look-up per token.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from arshif.entities.extractor import Mention
from arshif.text.clitics import NAME_PROCLITICS
from arshif.text.normalize import normalize
from arshif.text.tokenize import TOKEN_PATTERN, normalized_tokens, skip_normalized

#: Suffixes of a nisba ending in ي (normalized: ة is ه): masculine, feminine, dual (nominative, oblique, feminine),
#: sound plural (nominative, oblique), feminine plural.
NISBA_SUFFIXES = ("", "ه", "ان", "ين", "تان", "تين", "ون", "ات")

#: Proclitics that may be glued to a demonym, normalized; they stay outside a mention's span. ل before ال drops the
#: alef (للروسية).
PROCLITICS = ("", *NAME_PROCLITICS)

#: A demonym right after one of these words is not about a country (اللغة الفرنسية, المحيط الهندي, الفول السوداني,
#: الأرقام الهندية).
NOT_AFTER = frozenset(
    normalize(word)
    for word in (
        "اللغة لغة باللغة واللغة للغة بلغة ولغة "
        "المحيط محيط والمحيط بالمحيط للمحيط "
        "الفول فول والفول "
        "التمر تمر "
        "الجوز جوز "
        "الأرقام أرقام بالأرقام والأرقام"
    ).split()
)

_MAKSURA = "\u0649"
_MAKSURA_MARK = "\ue000"


@dataclass(frozen=True)
class Country:
    """One row of ``data/demonyms.tsv``."""

    code: str
    name: str
    aliases: tuple[str, ...]
    nisbas: tuple[str, ...]
    plurals: tuple[str, ...]
    exclude: tuple[str, ...]


class Form(NamedTuple):
    """What a normalized token (clitic included) means."""

    canonical: str
    clitic: int  # normalized characters of proclitic before the span
    kind: str  # "demonym", or "name" when the form is also a name of the country (سورية, السعودية)
    maksura: bool  # the form has a ى-spelling that is another word (اليمنى): check the original


def _split(column: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in column.split("|") if item.strip())


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    """The rows of ``data/demonyms.tsv``, in file order."""
    rows = []
    table = resources.files("arshif.entities").joinpath("data/demonyms.tsv").read_text("utf-8")
    for number, line in enumerate(table.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 6:
            raise ValueError(f"demonyms.tsv line {number}: {len(cells)} columns, expected 6")
        code, name, aliases, nisbas, plurals, exclude = cells
        if not name.strip():
            raise ValueError(f"demonyms.tsv line {number}: no canonical name")
        rows.append(
            Country(code.strip(), name.strip(), _split(aliases), _split(nisbas), _split(plurals), _split(exclude))
        )
    return tuple(rows)


@lru_cache(maxsize=100_000)
def key_form(text: str) -> str:
    """The normalized form of a name, its tokens joined by single spaces, a و written apart joined to the word after
    it (وزارة الشباب و الرياضة is وزارة الشباب والرياضة); cached: linking asks for the same names and words again
    and again, some 190 times an article."""
    words = TOKEN_PATTERN.findall(normalize(text))
    if "و" in words[:-1]:
        joined: list[str] = []
        for word in words:
            if joined and joined[-1] == "و":
                joined[-1] += word
            else:
                joined.append(word)
        words = joined
    return " ".join(words)


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Normalized country name or alias → the country's canonical name (أمريكا → الولايات المتحدة)."""
    names: dict[str, str] = {}
    for country in countries():
        for name in (country.name, *country.aliases):
            key = key_form(name)
            if names.setdefault(key, country.name) != country.name:
                raise ValueError(f"demonyms.tsv: {name!r} names both {names[key]} and {country.name}")
    return names


def _light(text: str) -> str:
    """``normalize`` that keeps alef maksura apart from yeh."""
    return normalize(text.replace(_MAKSURA, _MAKSURA_MARK))


def inflections(nisba: str) -> list[str]:
    """Every normalized form of a masculine nisba (single or multi-word), definite and indefinite, no clitics."""
    words = key_form(nisba).split()
    if not words:
        return []
    adjective = [word.endswith("ي") for word in words]
    forms = []
    for suffix in NISBA_SUFFIXES:
        inflected = [word + suffix if adj else word for word, adj in zip(words, adjective)]
        forms.append(" ".join(inflected))
        if adjective[0]:
            definite = ["ال" + word if adj else word for word, adj in zip(inflected, adjective)]
        else:
            definite = ["ال" + inflected[0], *inflected[1:]]
        forms.append(" ".join(definite))
    return forms


@lru_cache(maxsize=1)
def demonym_forms() -> dict[str, str]:
    """Normalized demonym form (no clitic; words joined by a space) → the country's canonical name."""
    names = country_names()
    forms: dict[str, str] = {}
    for country in countries():
        mine: set[str] = set()
        for nisba in country.nisbas:
            mine.update(inflections(nisba))
        for plural in country.plurals:
            word = key_form(plural)
            mine.update((word, "ال" + word))
        mine.difference_update(key_form(word) for word in country.exclude if _MAKSURA not in word)
        for form in mine:
            if names.get(form, country.name) != country.name:
                raise ValueError(f"demonyms.tsv: {form!r} is a demonym of {country.name} and a name of {names[form]}")
            if forms.setdefault(form, country.name) != country.name:
                raise ValueError(f"demonyms.tsv: {form!r} is a demonym of both {forms[form]} and {country.name}")
    return forms


@lru_cache(maxsize=1)
def _maksura_blocked() -> frozenset[str]:
    """Light forms (ى kept) of the words that ``exclude`` spells with ى."""
    return frozenset(_light(word) for country in countries() for word in country.exclude if _MAKSURA in word)


def _clitic_forms(form: str) -> list[tuple[str, int]]:
    """``form`` with each proclitic glued on: (token, clitic length)."""
    out = []
    for clitic in PROCLITICS:
        if clitic.endswith("ل") and form.startswith("ال"):
            out.append((clitic + form[1:], len(clitic)))
        else:
            out.append((clitic + form, len(clitic)))
    return out


@lru_cache(maxsize=1)
def _compiled() -> tuple[dict[str, Form], dict[str, tuple[tuple[tuple[str, ...], Form], ...]]]:
    """Single-token dict and multi-token dict (first token → (following tokens, form), longest first)."""
    names = country_names()
    blocked = {normalize(word) for country in countries() for word in country.exclude if _MAKSURA in word}
    single: dict[str, Form] = {}
    multi: dict[str, list[tuple[tuple[str, ...], Form]]] = {}
    for form, canonical in demonym_forms().items():
        kind = "name" if names.get(form) == canonical else "demonym"
        words = form.split(" ")
        for token, clitic in _clitic_forms(words[0]):
            entry = Form(canonical, clitic, kind, words[0] in blocked)
            if len(words) == 1:
                old = single.get(token)
                if old is None or clitic < old.clitic:
                    single[token] = entry
            else:
                multi.setdefault(token, []).append((tuple(words[1:]), entry))
    ordered = {key: tuple(sorted(value, key=lambda item: -len(item[0]))) for key, value in multi.items()}
    return single, ordered


class DemonymExtractor:
    """Nisba adjectives that refer to countries, as ``LOC`` mentions with the country as ``canonical``."""

    name = "demonyms"

    def __init__(self) -> None:
        self._single, self._multi = _compiled()
        self._known = frozenset(self._single) | frozenset(self._multi)
        self._blocked = _maksura_blocked()

    def extract(self, text: str) -> list[Mention]:
        found, norms = normalized_tokens(text)
        known = self._known
        mentions: list[Mention] = []
        after = -1  # index of the last token taken by a mention
        for index in [i for i, key in enumerate(norms) if key in known]:
            if index <= after or (index and norms[index - 1] in NOT_AFTER):
                continue
            key = norms[index]
            last = index
            form = None
            for rest, candidate in self._multi.get(key, ()):
                stop = index + len(rest)
                if (
                    stop < len(norms)
                    and tuple(norms[index + 1 : stop + 1]) == rest
                    and all(text[found[k].end : found[k + 1].start].isspace() for k in range(index, stop))
                ):
                    form, last = candidate, stop
                    break
            if form is None:
                form = self._single.get(key)
            if form is None:
                continue
            first = found[index].text
            offset = skip_normalized(first, form.clitic)
            if form.maksura and _light(first[offset:]) in self._blocked:
                continue
            start, end = found[index].start + offset, found[last].end
            mentions.append(Mention(start, end, text[start:end], "LOC", form.kind, form.canonical))
            after = last
        return mentions


@lru_cache(maxsize=1)
def extractor() -> DemonymExtractor:
    """A shared instance."""
    return DemonymExtractor()
