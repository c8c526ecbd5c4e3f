"""The search query language, compiled to an FTS5 expression over the analyzed index.

Words (all must match), ``"a phrase"``, ``OR`` or ``أو``, ``-word``, ``NOT word``, ``بدون word`` or
``ليس word``, ``prefix*``, ``title:word``, in Arabic or Latin script with Arabic or ASCII digits; the English
operators in any case. Each word goes through the document analyzer, and
matches its exact normalized form or its stem (exact forms rank higher: they match both columns).
Anything malformed degrades to plain words: the compiled expression is always valid FTS5 syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text.analyze import term_stem, terms

MAX_QUERY_CHARS = 1000
MAX_CLAUSES = 32
SURFACE_COLUMNS = {None: "{title body}", "title": "{title}"}
STEM_COLUMNS = {None: "{title_stems body_stems}", "title": "{title_stems}"}
_SCANNER = re.compile(r'(-?)(?:(title|عنوان):)?(?:"([^"]*)"?|(\S+))', re.IGNORECASE)
OR_WORDS = {"or", "|", "أو", "او", "أَو", "أوْ"}
NOT_WORDS = {"not", "بدون", "ليس", "دون"}
AND_WORDS = {"and", "&", "و"}


@dataclass
class Clause:
    """One searched unit: a word or a phrase, already analyzed into normalized terms."""

    terms: list[str]
    phrase: bool = False
    prefix: bool = False
    column: str | None = None
    negated: bool = False
    raw: str = ""
    #: forms attested in the archive that this word also matches (clitics on or off, ال-initial, suffixes)
    variants: list[str] = field(default_factory=list)
    stem_variants: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The clause as the user typed it, quoted when it is a phrase."""
        text = f'"{self.raw}"' if self.phrase and " " in self.raw.strip() else self.raw
        return ("عنوان:" if self.column else "") + text + ("*" if self.prefix and not text.endswith("*") else "")

    def expression(self) -> str:
        surface = " ".join(self.terms)
        marker = " *" if self.prefix else ""
        if self.prefix:
            stems = surface
        else:
            stems = " ".join(term_stem(term) for term in self.terms)
        if self.variants or self.stem_variants:
            surfaces = " OR ".join(f'"{form}"' for form in [surface, *self.variants])
            stem_forms = " OR ".join(f'"{form}"' for form in dict.fromkeys([stems, *self.stem_variants]))
            return f"({SURFACE_COLUMNS[self.column]} : ({surfaces}) OR {STEM_COLUMNS[self.column]} : ({stem_forms}))"
        return (
            f'({SURFACE_COLUMNS[self.column]} : "{surface}"{marker}'
            f' OR {STEM_COLUMNS[self.column]} : "{stems}"{marker})'
        )


@dataclass
class Query:
    """A parsed query: OR-groups of clauses that must all match, and clauses that must not."""

    groups: list[list[Clause]] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)

    def positive_clauses(self) -> list[Clause]:
        return [clause for group in self.groups for clause in group]

    def describe(self) -> str:
        """What was understood, in Arabic: ``ليبيا أو الجزائر``, ``حلب و تونس بدون سوريا``."""
        parts = [" أو ".join(clause.describe() for clause in group) for group in self.groups]
        text = " و ".join(f"({part})" if " أو " in part and len(self.groups) > 1 else part for part in parts)
        if self.excluded:
            text += " " + " ".join("بدون " + clause.describe() for clause in self.excluded)
        return text.strip()

    def proximity_terms(self) -> list[tuple[str, str]]:
        """(normalized term, stem) of each plain required word, in order, for phrase and proximity boosts."""
        found = []
        for group in self.groups:
            if len(group) != 1:
                continue
            clause = group[0]
            if clause.prefix or clause.column:
                continue
            found.extend((term, term_stem(term)) for term in clause.terms)
        return found

    def phrase_fts(self) -> str | None:
        """An expression matching the required words as one exact phrase (surface or stems); None for one word."""
        found = self.proximity_terms()
        if len(found) < 2:
            return None
        surface = " ".join(term for term, _ in found)
        stems = " ".join(stem for _, stem in found)
        return f'({SURFACE_COLUMNS[None]} : "{surface}" OR {STEM_COLUMNS[None]} : "{stems}")'

    def near_fts(self, distance: int = 6) -> str | None:
        """An expression matching the required words within ``distance`` tokens of each other, in any order."""
        found = self.proximity_terms()
        if len(found) < 2:
            return None
        surface = " ".join(f'"{term}"' for term, _ in found)
        stems = " ".join(f'"{stem}"' for _, stem in found)
        return (f"({SURFACE_COLUMNS[None]} : NEAR({surface}, {distance})"
                f" OR {STEM_COLUMNS[None]} : NEAR({stems}, {distance}))")

    def fts(self) -> str | None:
        """The FTS5 MATCH expression, or None when nothing searchable is left."""
        if not self.groups:
            return None
        expression = " AND ".join(
            "(" + " OR ".join(clause.expression() for clause in group) + ")" for group in self.groups
        )
        if self.excluded:
            expression = f"({expression}) NOT (" + " OR ".join(c.expression() for c in self.excluded) + ")"
        return expression


def parse(text: str | None) -> Query:
    """Parse what a user typed; never raises."""
    query = Query()
    if not text:
        return query
    pending_or = False
    pending_not = False
    for match in _SCANNER.finditer(text[:MAX_QUERY_CHARS]):
        minus, column, quoted, bare = match.groups()
        word = bare.lower() if quoted is None and not minus and not column else None
        if word in OR_WORDS:
            pending_or = bool(query.groups)
            continue
        if word in NOT_WORDS:
            pending_not = True
            continue
        if word in AND_WORDS:
            continue
        raw = quoted if quoted is not None else bare
        prefix = quoted is None and raw.endswith("*")
        found = terms(raw)
        if not found:
            continue
        clause = Clause(
            terms=found,
            phrase=quoted is not None or len(found) > 1,
            prefix=prefix,
            column="title" if column else None,
            negated=bool(minus) or pending_not,
            raw=raw.strip().rstrip("*") if prefix else raw.strip(),
        )
        pending_not = False
        if len(query.groups) + len(query.excluded) >= MAX_CLAUSES:
            break
        if clause.negated:
            query.excluded.append(clause)
        elif pending_or:
            query.groups[-1].append(clause)
        else:
            query.groups.append([clause])
        pending_or = False
    if not query.groups and query.excluded:
        # Only exclusions: FTS5 cannot search "everything but"; degrade to plain words.
        for clause in query.excluded:
            clause.negated = False
            query.groups.append([clause])
        query.excluded = []
    return query


def compile_query(text: str | None, vocabulary: "Vocabulary | None" = None) -> str | None:
    """The FTS5 expression for what a user typed, or None when it holds nothing searchable."""
    query = parse(text)
    if vocabulary is not None:
        expand(query, vocabulary)
    return query.fts()


# --- clitics attested by the archive's own vocabulary ------------------------------------------------------

#: Proclitic letters, stacked as (و|ف)?(ب|ك|ل)?, longest first.
PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ك", "ل")
PRONOUN_SUFFIXES = ("هما", "هم", "ها", "كم", "نا")
MIN_REST = 3
MIN_ADD = 4
_ARABIC_WORD = re.compile(r"^[\u0621-\u064a]+$")


class Vocabulary:
    """How many articles hold each word, in the titles and bodies of one archive (``fts5vocab`` over the index).

    ``lookup`` is given a connection factory; counts are cached, since an archive's vocabulary never changes
    while it is served (a rebuild replaces the file, and the server with it)."""

    def __init__(self, lookup, stem_lookup=None, spelling_lookup=None) -> None:
        self._lookup = lookup
        self._cache: dict[str, int] = {}
        self._stem_lookup = stem_lookup
        self._stem_cache: dict[str, int] = {}
        self._spelling_lookup = spelling_lookup
        self._spelling_cache: dict[str, tuple[str, ...]] = {}

    def spellings(self, words) -> dict[str, tuple[str, ...]]:
        """The other spellings of each word that the archive's entities use (ترمب: ترامب; the ``spellings``
        table); none without a spelling lookup."""
        if self._spelling_lookup is None:
            return {word: () for word in words}
        missing = [word for word in dict.fromkeys(words) if word not in self._spelling_cache]
        if missing:
            found = self._spelling_lookup(missing)
            for word in missing:
                self._spelling_cache[word] = tuple(found.get(word, ()))
            if len(self._spelling_cache) > 200_000:
                self._spelling_cache.clear()
        return {word: self._spelling_cache.get(word, ()) for word in words}

    def counts(self, words) -> dict[str, int]:
        """Articles whose title or body holds each word as written."""
        return self._counted(words, self._lookup, self._cache)

    def stem_counts(self, stems) -> dict[str, int]:
        """Articles whose title or body holds each stem (the stem columns); zeros without a stem lookup."""
        if self._stem_lookup is None:
            return {stem: 0 for stem in stems}
        return self._counted(stems, self._stem_lookup, self._stem_cache)

    @staticmethod
    def _counted(words, lookup, cache: dict[str, int]) -> dict[str, int]:
        missing = [word for word in dict.fromkeys(words) if word not in cache]
        if missing:
            found = lookup(missing)
            for word in missing:
                cache[word] = found.get(word, 0)
            if len(cache) > 200_000:
                cache.clear()
        return {word: cache.get(word, 0) for word in words}


def _candidates(term: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(kind, form) candidates for one term, and the forms whose article-bearing spelling must be looked up."""
    found: list[tuple[str, str]] = []
    for clitic in PROCLITICS:
        if term.startswith(clitic) and len(term) - len(clitic) >= MIN_REST:
            found.append(("strip", term[len(clitic):]))
        if len(term) >= MIN_ADD and (not term.startswith("ال") or term.startswith("الال")):
            # (the stems already take و ب ل off الكلمة; three-letter words meet too many others: مال, كمال)
            found.append(("add", clitic + term))
    if term.startswith("الال"):
        found.append(("al-off", term[2:]))  # الالتحاق → التحاق
    elif term.startswith("ال") and len(term) >= 5:
        for article in ("ال", "وال", "بال", "فال", "كال", "لل", "وبال", "ولل"):
            found.append(("al-on", article + term))  # التحاق → الالتحاق, بالالتحاق
    base = term[:-1] + "ت" if term.endswith("ه") else term
    for suffix in PRONOUN_SUFFIXES:
        found.append(("suffix", base + suffix))
    return found, [form for kind, form in found if kind in ("add", "strip")] + [term]


def expand(query: Query, vocabulary: Vocabulary) -> Query:
    """Add to each plain one-word clause the forms the archive attests for it:

    * a proclitic taken off (``واوليفيرا`` also matches ``اوليفيرا``) or put on (``مواكبة`` also matches
      ``لمواكبة``), unless the stemmer's evidence shows the letter belongs to the word (its keep list, function
      words, the word after the article in its counts), or the archive writes that word with the article (``الوزير`` shows that the و of ``وزير`` is its own);
    * the article on or off a stem that itself begins with ال (``التحاق`` and ``الالتحاق``, ``الغاء`` and
      ``الالغاء``), matched through the stem column so that ``بالالتحاق`` counts too;
    * the pronoun suffixes هم ها كم نا هما (``مجتمع`` also matches ``مجتمعنا``), ة written ت before them;
    * the other spellings of a word in the names of one entity (``ترمب`` also matches ``ترامب``; the archive's
      ``spellings``, from the build's merging of names written with and without a long vowel).
    """
    from .text.stem import is_base

    clauses = [clause for clause in query.positive_clauses() + query.excluded
               if len(clause.terms) == 1 and not clause.prefix and _ARABIC_WORD.match(clause.terms[0])
               and len(clause.terms[0]) >= MIN_REST]
    if not clauses:
        return query
    plans = {clause.terms[0]: _candidates(clause.terms[0]) for clause in clauses}
    spelled = vocabulary.spellings(sorted(plans))
    for term, others in spelled.items():
        plans[term][0].extend(("spelling", other) for other in others)
    words = {form for found, _ in plans.values() for _, form in found} | set(plans)
    counts = vocabulary.counts(sorted(words))
    article = vocabulary.counts(sorted({"ال" + form for _, (found, owners) in plans.items() for form in owners
                                        if counts.get(form)}))
    for clause in clauses:
        term = clause.terms[0]
        found, _ = plans[term]
        own_term = article.get("ال" + term, 0) > 0 or is_base(term)
        stem = term_stem(term)
        for kind, form in found:
            if not counts.get(form) or form == term or kind != "al-on" and term_stem(form) == stem:
                continue  # (a form with the word's own stem is found through the stem column already)
            if kind == "strip":
                if own_term or counts[form] < counts.get(term, 0):
                    continue
                clause.variants.append(form)
                clause.stem_variants.append(term_stem(form))
            elif kind == "add":
                if article.get("ال" + form, 0) > 0 or is_base(form):
                    continue
                clause.variants.append(form)
            elif kind == "al-on":
                clause.variants.append(form)
                clause.stem_variants.append(term_stem("ال" + term))
            elif kind == "al-off":
                clause.variants.append(form)
            elif kind == "suffix":
                clause.variants.append(form)
            elif kind == "spelling":
                clause.variants.append(form)
                clause.stem_variants.append(term_stem(form))
        if term.startswith("الال"):
            # the article on a stem that begins with ال: بإلغاء is written بالغاء, whose stem is that of الغاء
            clause.stem_variants.append(term_stem(term[2:]))
        clause.variants = list(dict.fromkeys(clause.variants))[:24]
        clause.stem_variants = [s for s in dict.fromkeys(clause.stem_variants) if s != term_stem(term)][:8]
    return query
