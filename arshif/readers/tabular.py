"""CSV and TSV files with a header row, one article per row.

Columns are mapped by name onto the fields the JSON reader knows (title, content/body/text, source, url,
date/published, author, category; a few Arabic header names too, see ``ALIASES``); other columns are kept in
``extra``. A mapping of other names comes from the caller: ``read_file(file, columns={"headline": "title"})`` (and
``parse_columns("headline=title,story=content")`` for a command line). The encoding is detected as for plain text.
"""

from __future__ import annotations

import csv
import sys
from typing import Any, Iterator, Mapping

from ..model import Skipped
from .base import InputFile, Record
from .fields import KNOWN_FIELDS, article_from_fields
from .decode import decode_bytes

# header names (compared lower-cased, spaces and dashes as underscores) that mean a known field
ALIASES = {
    "headline": "title",
    "العنوان": "title",
    "عنوان": "title",
    "النص": "content",
    "المحتوى": "content",
    "المتن": "content",
    "article": "content",
    "المصدر": "source",
    "الرابط": "url",
    "link": "url",
    "التاريخ": "date",
    "الكاتب": "author",
    "المؤلف": "author",
    "القسم": "category",
    "التصنيف": "category",
    "الفئة": "category",
}
TARGETS = frozenset(KNOWN_FIELDS)


def _set_field_size_limit() -> None:
    limit = sys.maxsize
    while True:  # the C long behind csv.field_size_limit is 32 bits on some platforms
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


_set_field_size_limit()


def _key(name: str) -> str:
    return "_".join(name.strip().strip("\ufeff").lower().replace("-", " ").split())


def parse_columns(spec: str) -> dict[str, str]:
    """``"headline=title,story=content"`` as a column mapping; raises ValueError naming what is wrong."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        source, sep, target = part.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise ValueError(f"column mapping {part.strip()!r} should read COLUMN=FIELD, e.g. headline=title")
        mapping[source.strip()] = target.strip()
    check_columns(mapping)
    return mapping


def check_columns(columns: Mapping[str, str]) -> None:
    """Raise ValueError when a mapping targets a field that articles do not have."""
    for source, target in columns.items():
        if target.strip().lower() not in TARGETS:
            raise ValueError(f"column {source!r} is mapped to {target!r}, which is not an article field "
                             f"(use one of {', '.join(sorted(TARGETS))})")


def _field_names(header: list[str], columns: Mapping[str, str] | None) -> list[str]:
    mapping = {_key(source): target.strip().lower() for source, target in (columns or {}).items()}
    names = []
    for column in header:
        key = _key(column)
        names.append(mapping.get(key) or ALIASES.get(key) or (key if key in TARGETS else column.strip().strip("\ufeff")))
    return names


def _dialect(name: str, sample: str) -> type[csv.Dialect] | csv.Dialect:
    if name.lower().endswith(".tsv"):
        return csv.excel_tab
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def read(file: InputFile, columns: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Yield one record per data row; a row without text is skipped with its row number."""
    if columns:
        check_columns(columns)
    decoded = decode_bytes(file.name, file.data)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    text = decoded.text
    rows = csv.reader(text.splitlines(keepends=True), _dialect(file.name, text[:65536]))
    try:
        header = next(rows, None)
        while header is not None and not any(cell.strip() for cell in header):
            header = next(rows, None)
    except csv.Error as error:
        yield Skipped(file.name, f"broken CSV header: {error}")
        return
    if header is None:
        yield Skipped(file.name, "empty CSV file (no header row)")
        return
    names = _field_names(header, columns)
    if not any(name in ("content", "body", "text") for name in names):
        yield Skipped(file.name, f"no text column: the header has {', '.join(header)!s}; name the text column "
                                 "content, body or text, or map it (columns={'COLUMN': 'content'}, on the command "
                                 "line --columns COLUMN=content)")
        return
    position = -1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            yield Skipped(f"{file.name}[line {rows.line_num}]", f"broken CSV from this line on: {error}")
            break
        if not any(cell.strip() for cell in row):
            continue
        position += 1
        fields: dict[str, Any] = {}
        for name, value in zip(names, row):
            if value.strip() and name not in fields:
                fields[name] = value
        if len(row) > len(names):
            fields["unnamed_columns"] = row[len(names):]
        if any(fields.get(key) for key in ("content", "body", "text")):
            yield article_from_fields(fields, file.name, position, encoding=decoded.encoding)
        else:
            yield Skipped(f"{file.name}[line {rows.line_num}]", "row has no text (the content/body/text column is empty)")
