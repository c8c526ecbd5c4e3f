"""Highlights in the original text: the words a query matched, marked with ``<mark>``, everything else
HTML-escaped, hamzas and diacritics intact."""

from __future__ import annotations

from html import escape

from .query import Query, parse
from .text.analyze import term_stem
from .text.normalize import normalize_word
from .text.tokenize import Token, tokens

SNIPPET_WORDS = 32
MAX_SCANNED_CHARS = 200_000
ELLIPSIS = "…"


class Matcher:
    """Decides whether a token of the original text is one the query searched for."""

    def __init__(self, query: Query) -> None:
        self.surfaces: set[str] = set()
        self.stems: set[str] = set()
        self.prefixes: list[str] = []
        for clause in query.positive_clauses():
            for position, term in enumerate(clause.terms):
                if clause.prefix and position == len(clause.terms) - 1:
                    self.prefixes.append(term)
                else:
                    self.surfaces.add(term)
                    self.stems.add(term_stem(term))
            self.surfaces.update(clause.variants)
            self.stems.update(clause.stem_variants)

    def __bool__(self) -> bool:
        return bool(self.surfaces or self.prefixes)

    def key(self, token: str) -> str | None:
        """The query term this token matches (its normalized form or stem), or None."""
        term = normalize_word(token)
        if term in self.surfaces:
            return term
        stem = term_stem(term)
        if stem in self.stems:
            return stem
        for prefix in self.prefixes:
            if term.startswith(prefix) or stem.startswith(prefix):
                return prefix
        return None


def _render(text: str, toks: list[Token], marked: set[int], start: int, end: int) -> str:
    parts = []
    cursor = toks[start].start
    for index in range(start, end):
        token = toks[index]
        parts.append(escape(text[cursor : token.start]))
        if index in marked:
            parts.append(f"<mark>{escape(token.text)}</mark>")
        else:
            parts.append(escape(token.text))
        cursor = token.end
    return "".join(parts)


def _window(text: str, query_text: "str | Query | None", words: int):
    """(tokens, marked token indexes, first, end) of the passage where the query's words are densest."""
    matcher = Matcher(query_text if isinstance(query_text, Query) else parse(query_text))
    toks = list(tokens(text[:MAX_SCANNED_CHARS]))
    if not toks:
        return toks, set(), 0, 0
    keys = [matcher.key(token.text) if matcher else None for token in toks]
    marked = {index for index, key in enumerate(keys) if key}
    best_start, best_score = 0, -1.0
    if marked:
        for first in sorted(marked):
            start = max(0, min(first - words // 4, len(toks) - words))
            window = [keys[i] for i in range(start, min(len(toks), start + words)) if keys[i]]
            score = len(set(window)) + 0.1 * len(window)
            if score > best_score:
                best_start, best_score = start, score
    return toks, marked, best_start, min(len(toks), best_start + words)


def snippet_spans(text: str | None, query_text: "str | Query | None", words: int = SNIPPET_WORDS) -> tuple[str, list[list[int]]]:
    """The same passage as ``snippet``, as plain original text with the matched ranges ``[start, end)`` in it."""
    if not text:
        return "", []
    toks, marked, first, end = _window(text, query_text, words)
    if not toks:
        return text[:300], []
    left = toks[first].start if first > 0 else 0
    right = toks[end - 1].end if end < len(toks) or len(text) > MAX_SCANNED_CHARS else len(text)
    prefix = ELLIPSIS + " " if first > 0 else ""
    suffix = " " + ELLIPSIS if right < len(text) else ""
    passage = text[left:right]
    if not prefix:
        stripped = passage.lstrip()
        left += len(passage) - len(stripped)
        passage = stripped
    if not suffix:
        passage = passage.rstrip()
    shift = len(prefix) - left
    spans = [[toks[i].start + shift, toks[i].end + shift] for i in sorted(marked) if first <= i < end]
    return prefix + passage + suffix, spans


def snippet(text: str | None, query_text: "str | Query | None", words: int = SNIPPET_WORDS) -> str:
    """The passage of ``text`` (about ``words`` tokens) where the query's words are densest, as HTML."""
    if not text:
        return ""
    toks, marked, best_start, end = _window(text, query_text, words)
    if not toks:
        return escape(text[:300])
    html = _render(text, toks, marked, best_start, end)
    if best_start > 0:
        html = ELLIPSIS + " " + html
    else:
        html = escape(text[: toks[0].start].lstrip()) + html
    if end < len(toks) or len(text) > MAX_SCANNED_CHARS:
        html += " " + ELLIPSIS
    else:
        html += escape(text[toks[-1].end :].rstrip())
    return html


def highlight(text: str | None, query_text: "str | Query | None") -> str:
    """The whole of ``text`` as HTML, with the query's words marked."""
    if not text:
        return ""
    matcher = Matcher(query_text if isinstance(query_text, Query) else parse(query_text))
    toks = list(tokens(text))
    if not toks or not matcher:
        return escape(text)
    marked = {index for index, token in enumerate(toks) if matcher.key(token.text)}
    return escape(text[: toks[0].start]) + _render(text, toks, marked, 0, len(toks)) + escape(text[toks[-1].end :])


def spans_to_html(text: str, spans: list[list[int]]) -> str:
    """Plain text with ranges marked, as escaped HTML."""
    parts, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        parts.append(escape(text[cursor:start]) + "<mark>" + escape(text[start:end]) + "</mark>")
        cursor = end
    return "".join(parts) + escape(text[cursor:])
