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


def compile_query(text: str | None) -> str | None:
    """The FTS5 expression for what a user typed, or None when it holds nothing searchable."""
    return parse(text).fts()
