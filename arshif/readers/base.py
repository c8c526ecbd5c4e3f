"""What every reader takes and yields: an ``InputFile`` in, ``Article`` or ``Skipped`` records out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator

from ..model import Article, Skipped

Record = Article | Skipped


@dataclass(frozen=True)
class InputFile:
    """A file's bytes and the name the build reports it by (``a.zip/inner.json`` for ZIP members)."""

    name: str
    data: bytes
    sidecar: bytes | None = None


Reader = Callable[[InputFile], Iterator[Record]]
