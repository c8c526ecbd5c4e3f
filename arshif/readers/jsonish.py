"""JSON arrays of article objects, a single article object, and JSON Lines."""

from __future__ import annotations

import json
from typing import Any, Iterator

from ..model import Skipped
from .base import InputFile, Record
from .fields import article_from_fields


def _decode(file: InputFile) -> str | Skipped:
    try:
        return file.data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Skipped(file.name, f"not UTF-8 text (byte {error.start}): JSON must be UTF-8")


def read(file: InputFile) -> Iterator[Record]:
    """Yield one record per article object; broken JSON is reported with its line and column."""
    text = _decode(file)
    if isinstance(text, Skipped):
        yield text
        return
    if file.name.lower().endswith((".jsonl", ".ndjson")):
        yield from _read_lines(file.name, text)
        return
    try:
        document: Any = json.loads(text)
    except json.JSONDecodeError as error:
        if _looks_like_lines(text):
            yield from _read_lines(file.name, text)
        else:
            yield Skipped(file.name, f"broken JSON at line {error.lineno}, column {error.colno}: {error.msg}")
        return
    if isinstance(document, dict) and isinstance(document.get("articles"), list):
        document = document["articles"]
    if isinstance(document, dict):
        yield article_from_fields(document, file.name, None)
    elif isinstance(document, list):
        for position, item in enumerate(document):
            yield article_from_fields(item, file.name, position)
    else:
        yield Skipped(file.name, f"expected a JSON array or object of articles, found {type(document).__name__}")


def _looks_like_lines(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines[:3])


def _read_lines(name: str, text: str) -> Iterator[Record]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield Skipped(f"{name}[line {number}]", f"broken JSON line, column {error.colno}: {error.msg}")
            continue
        yield article_from_fields(item, name, number - 1)
