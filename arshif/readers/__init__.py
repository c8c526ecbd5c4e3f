"""Readers: files in, ``Article`` or ``Skipped`` records out, nothing else.

``discover`` walks the inputs; ``read_file`` picks the reader for a file by its suffix (and contents), so
a ZIP member goes through the same readers as a file on disk.
"""

from __future__ import annotations

import os
from functools import lru_cache, partial
from pathlib import Path
from typing import Iterable, Iterator, Mapping

from ..model import Skipped
from . import archive, html, jsonish, tabular, text
from .base import InputFile, Reader, Record

__all__ = ["InputFile", "Reader", "Record", "discover", "is_sidecar", "read_file", "read_path"]


@lru_cache(maxsize=1)
def _readers() -> dict[str, Reader]:
    return {
        ".txt": text.read,  # native or legacy plain text; a file starting with <DOC> goes to the tagged reader
        ".json": jsonish.read,
        ".jsonl": jsonish.read,
        ".ndjson": jsonish.read,
        ".zip": partial(archive.read, dispatch=read_file),
        ".html": html.read,
        ".htm": html.read,
        ".csv": tabular.read,
        ".tsv": tabular.read,
    }


SUPPORTED_SUFFIXES = (".txt", ".json", ".jsonl", ".ndjson", ".zip", ".html", ".htm", ".csv", ".tsv")
# readers that take the column mapping (tabular files, and archives that may hold them)
_TAKES_COLUMNS = (".csv", ".tsv", ".zip")


def is_sidecar(path: Path) -> bool:
    """A ``NAME.json`` beside a ``NAME.txt`` describes that text file; it is not an input of its own."""
    return path.suffix.lower() == ".json" and path.with_suffix(".txt").exists()


def discover(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Every file under the inputs (folders recursively, in a stable order), sidecars excluded."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    child = Path(root) / name
                    if not name.startswith(".") and not is_sidecar(child):
                        yield child
        else:
            yield path


def read_path(path: Path, *, columns: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Read one file on disk; an unreadable file yields a ``Skipped`` naming it. ``columns`` as for ``read_file``."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Skipped(str(path), f"cannot open: {error.strerror or error}")
        return
    sidecar_path = path.with_suffix(".json")
    sidecar = sidecar_path.read_bytes() if path.suffix.lower() == ".txt" and sidecar_path.exists() else None
    yield from read_file(InputFile(str(path), data, sidecar), columns=columns)


def read_file(file: InputFile, *, columns: Mapping[str, str] | None = None) -> Iterator[Record]:
    """Dispatch to the reader for this file's format; unknown formats are skipped with a reason.

    ``columns`` maps other CSV/TSV header names onto article fields, e.g. ``{"headline": "title", "story":
    "content"}`` (``tabular.parse_columns("headline=title,story=content")`` reads the command-line form); it reaches
    CSV and TSV files, also inside ZIP archives.
    """
    suffix = Path(file.name).suffix.lower()
    reader = _readers().get(suffix)
    if reader is None:
        yield Skipped(file.name, f"unsupported file type {suffix or '(no suffix)'!r}")
        return
    try:
        if columns and suffix in _TAKES_COLUMNS:
            yield from reader(file, columns=columns)  # type: ignore[call-arg]
        else:
            yield from reader(file)
    except Exception as error:  # a reader bug must not stop the build: report it against the file
        yield Skipped(file.name, f"{type(error).__name__}: {error}")
