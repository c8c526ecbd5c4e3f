"""The search query language, compiled to an FTS5 expression over the analyzed index.

Words (all must match), ``"a phrase"``, ``OR``, ``-word`` or ``NOT word``, ``prefix*``, ``title:word``, in
Arabic or Latin script with Arabic or ASCII digits. Each word goes through the document analyzer, and
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
_SCANNER = re.compile(r'(-?)(?:(title):)?(?:"([^"]*)"?|(\S+))')


@dataclass
class Clause:
    """One searched unit: a word or a phrase, already analyzed into normalized terms."""

    terms: list[str]
    phrase: bool = False
    prefix: bool = False
    column: str | None = None
    negated: bool = False

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
        if quoted is None and bare in ("OR", "|"):
            pending_or = bool(query.groups)
            continue
        if quoted is None and bare == "NOT":
            pending_not = True
            continue
        if quoted is None and bare == "AND":
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
            column=column,
            negated=bool(minus) or pending_not,
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
