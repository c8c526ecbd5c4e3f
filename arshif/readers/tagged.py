"""TREC/CLEF-style tagged text (the ANT corpus and similar collections): one or more ``<DOC>`` blocks of
``<DOCNO> <URL> <SRC> <CAT> <TITLE> <TIME> <AUTHOR> <ABSTRACT> <TEXT>`` elements.

The markup is not XML and not always well-formed: a missing closing tag ends at the next known tag, a missing
``</DOC>`` at the next ``<DOC>`` or the end of the file, and ``&amp;``-style entities are left as written unless the
whole file uses them. ``.txt`` files reach this reader through ``text.read``, which sniffs a leading ``<DOC>``.
"""

from __future__ import annotations

import html
import re
from typing import Any, Iterator

from ..model import Article, Skipped
from .base import InputFile, Record
from .decode import decode_bytes
from .fields import article_from_fields

# tag -> field of article_from_fields (extra fields keep their lower-case tag name)
FIELDS = {
    "DOCNO": "docno",
    "URL": "url",
    "SRC": "source",
    "SOURCE": "source",
    "CAT": "category",
    "CATEGORY": "category",
    "TITLE": "title",
    "HEADLINE": "title",
    "TIME": "published",
    "DATE": "published",
    "AUTHOR": "author",
    "ABSTRACT": "abstract",
    "TEXT": "body",
}
_DOC_START = re.compile(r"<DOC>", re.IGNORECASE)
_DOC_END = re.compile(r"</DOC>", re.IGNORECASE)
_OPEN = re.compile(r"<([A-Za-z][A-Za-z0-9_]*)>")


def _elements(block: str) -> dict[str, str]:
    """The elements of one ``<DOC>`` block: text between ``<TAG>`` and ``</TAG>`` (or the next opening tag)."""
    found: dict[str, str] = {}
    position = 0
    while True:
        opening = _OPEN.search(block, position)
        if opening is None:
            break
        tag = opening.group(1).upper()
        start = opening.end()
        closing = re.compile(rf"</{re.escape(opening.group(1))}\s*>", re.IGNORECASE).search(block, start)
        following = _next_known_tag(block, start)
        if closing is not None and (following is None or closing.start() <= following.start() or tag == "TEXT"):
            value, position = block[start : closing.start()], closing.end()
        else:  # unclosed: the value runs to the next known tag
            end = following.start() if following is not None else len(block)
            value, position = block[start:end], end
        if tag not in found or not found[tag].strip():
            found[tag] = value.strip()
    return found


def _next_known_tag(block: str, start: int) -> re.Match[str] | None:
    for match in _OPEN.finditer(block, start):
        if match.group(1).upper() in FIELDS:
            return match
    return None


def _blocks(text: str) -> list[str]:
    starts = [match.end() for match in _DOC_START.finditer(text)]
    blocks = []
    for number, start in enumerate(starts):
        limit = starts[number + 1] - len("<DOC>") if number + 1 < len(starts) else len(text)
        end = _DOC_END.search(text, start, limit)
        blocks.append(text[start : end.start() if end else limit])
    return blocks


def read_text(name: str, text: str, encoding: str | None = None, notes: dict[str, Any] | None = None) -> Iterator[Record]:
    """Yield one record per ``<DOC>`` block of already decoded text."""
    blocks = _blocks(text)
    if not blocks:
        yield Skipped(name, "tagged text without any <DOC> element")
        return
    unescape = "&amp;" in text or "&quot;" in text or "&lt;" in text
    single = len(blocks) == 1
    for position, block in enumerate(blocks):
        elements = _elements(block)
        where = name if single else f"{name}[{position}]"
        fields: dict[str, Any] = {}
        for tag, value in elements.items():
            if not value:
                continue
            value = html.unescape(value) if unescape else value
            fields.setdefault(FIELDS.get(tag, tag.lower()), value)
        if not fields.get("body"):
            if fields.get("abstract"):
                fields["body"] = fields["abstract"]
                fields["body_from"] = "abstract: the <TEXT> element is empty"
            else:
                yield Skipped(where, "article has an empty <TEXT> element and no <ABSTRACT>: no text to read")
                continue
        record = article_from_fields(fields, name, None if single else position, encoding=encoding)
        if isinstance(record, Article) and notes:
            record.extra.update(notes)
        yield record


def read(file: InputFile) -> Iterator[Record]:
    """Read a tagged file from its bytes (encoding detected as for plain text)."""
    decoded = decode_bytes(file.name, file.data)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    yield from read_text(file.name, decoded.text.replace("\r\n", "\n").replace("\r", "\n"), decoded.encoding,
                         decoded.notes)
