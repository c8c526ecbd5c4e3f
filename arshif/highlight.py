"""Highlights in the original text: the words a query matched, marked with ``<mark>``, everything else
HTML-escaped, hamzas and diacritics intact."""

from __future__ import annotations

from html import escape

from .query import Query, parse
from .text.analyze import term_stem
from .text.normalize import normalize_word
from .text.tokenize import TOKEN_PATTERN, Token, tokens

SNIPPET_WORDS = 32
MAX_SCANNED_CHARS = 200_000
ELLIPSIS = "…"


class Matcher:
    """Decides whether a token of the original text is one the query searched for."""

    def __init__(self, query: Query) -> None:
        self.known: dict[str, str | None] = {}
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

    def keys(self, words: list[str]) -> list[str | None]:
        """``key`` of each word, each distinct word analyzed once per matcher (a query's matcher is kept across
        texts by ``matcher``: the hundred snippets of a result page share most of their words)."""
        known = self.known
        if len(known) > MAX_KNOWN_WORDS:
            known.clear()
        found = []
        for word in words:
            key = known.get(word, known)
            if key is known:
                key = known[word] = self.key(word)
            found.append(key)
        return found

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


#: Words whose key a matcher remembers (then it forgets them all), and matchers kept (the last queries').
MAX_KNOWN_WORDS = 50_000
MAX_MATCHERS = 64
_MATCHERS: dict[tuple, Matcher] = {}
_make_token = tuple.__new__  # Token(...) without the Python-level __new__ of a NamedTuple


def matcher(query_text: "str | Query | None") -> Matcher:
    """The matcher of a query, kept for the next texts of the same query (keyed by what it matches on)."""
    query = query_text if isinstance(query_text, Query) else parse(query_text)
    key = tuple((tuple(clause.terms), clause.prefix, tuple(clause.variants), tuple(clause.stem_variants))
                for clause in query.positive_clauses())
    found = _MATCHERS.get(key)
    if found is None:
        if len(_MATCHERS) >= MAX_MATCHERS:
            _MATCHERS.clear()
        found = _MATCHERS[key] = Matcher(query)
    return found


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


class _Tokens:
    """The tokens of a text as a sequence: their words found at once (in C), their offsets only as far as they
    are read (a snippet needs those of its passage; the rest of a long text is never walked in Python)."""

    def __init__(self, text: str) -> None:
        self.words = TOKEN_PATTERN.findall(text)
        self._found: list[Token] = []
        self._matches = TOKEN_PATTERN.finditer(text)

    def __len__(self) -> int:
        return len(self.words)

    def __bool__(self) -> bool:
        return bool(self.words)

    def __getitem__(self, index: int) -> Token:
        if index < 0:
            index += len(self.words)
        if not 0 <= index < len(self.words):
            raise IndexError(index)
        found = self._found
        while len(found) <= index:
            match = next(self._matches)
            found.append(_make_token(Token, (match.group(), *match.span())))
        return found[index]


def _window(text: str, query_text: "str | Query | None", words: int):
    """(tokens, marked token indexes, first, end) of the passage where the query's words are densest."""
    found = matcher(query_text)
    toks = _Tokens(text[:MAX_SCANNED_CHARS])
    if not toks:
        return toks, set(), 0, 0
    keys: dict[str, str] = {}
    if found:
        distinct = list(dict.fromkeys(toks.words))
        keys = {word: key for word, key in zip(distinct, found.keys(distinct)) if key}
    marked = [index for index, word in enumerate(toks.words) if word in keys] if keys else []
    best_start, best_score = 0, -1.0
    count = len(toks)
    for first in marked:
        start = max(0, min(first - words // 4, count - words))
        window = [keys[word] for word in toks.words[start:start + words] if word in keys]
        score = len(set(window)) + 0.1 * len(window)
        if score > best_score:
            best_start, best_score = start, score
    return toks, set(marked), best_start, min(count, best_start + words)


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
    found = matcher(query_text)
    toks = list(tokens(text))
    if not toks or not found:
        return escape(text)
    marked = {index for index, key in enumerate(found.keys([token.text for token in toks])) if key}
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
