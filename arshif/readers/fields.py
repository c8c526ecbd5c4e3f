"""What every reader shares: mapping named fields onto an ``Article``, and deriving a missing headline."""

from __future__ import annotations

import re
from typing import Any, Mapping

from ..dates import parse_date
from ..model import Article, Skipped

TEXT_FIELDS = ("content", "body", "text")
DATE_FIELDS = ("published", "date", "date_published", "date_extracted")
KNOWN_FIELDS = {"title", "source", "url", "author", "category", "id", *TEXT_FIELDS, *DATE_FIELDS}

_SENTENCE_END = re.compile(r"[.!?؟؛\n]|،\s")
HEADLINE_WORDS = 12


def derive_title(body: str) -> str:
    """A short headline from the body's first sentence (at most ``HEADLINE_WORDS`` words)."""
    first = _SENTENCE_END.split(body.strip(), maxsplit=1)[0].strip()
    words = first.split()
    if len(words) > HEADLINE_WORDS:
        return " ".join(words[:HEADLINE_WORDS]) + "…"
    return first


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = "\n".join(str(part) for part in value)
    text = str(value).strip()
    return text or None


def article_from_fields(
    fields: Mapping[str, Any], origin: str, position: int | None, **defaults: Any
) -> Article | Skipped:
    """An ``Article`` from a record's fields (title, content/body/text, source, url, date/published/…, author,
    category); unknown fields are kept in ``extra``. A record without text is skipped with its position."""
    where = origin if position is None else f"{origin}[{position}]"
    if not isinstance(fields, Mapping):
        return Skipped(where, f"expected an article object, found {type(fields).__name__}")
    body = next((text for key in TEXT_FIELDS if (text := _text(fields.get(key)))), None)
    if body is None:
        return Skipped(where, "record has no text (content, body or text)")
    raw_date = next((text for key in DATE_FIELDS if (text := _text(fields.get(key)))), None)
    title = _text(fields.get("title"))
    return Article(
        origin=origin,
        position=position,
        body=body,
        title=title or derive_title(body),
        title_derived=title is None,
        published=parse_date(raw_date),
        published_raw=raw_date,
        url=_text(fields.get("url")),
        source=_text(fields.get("source")) or defaults.get("source"),
        category=_text(fields.get("category")) or defaults.get("category"),
        author=_text(fields.get("author")),
        encoding=defaults.get("encoding"),
        extra={key: value for key, value in fields.items() if key not in KNOWN_FIELDS},
    )
