"""The records that flow through the build (what readers yield), and the rules of article ids, all here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def article_id(url: str | None, origin: str, position: int | None) -> str:
    """A stable id: from the url where there is one, else from the file and the position in it."""
    key = url.strip() if url and url.strip() else f"{origin}#{position or 0}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def distinct_id(article_id: str, body_key: str) -> str:
    """The id of an article whose url (or file and position) is already taken by a different text: both are
    kept, the second under an id from its own and its text's."""
    return hashlib.sha1(f"{article_id}|{body_key}".encode()).hexdigest()[:16]


@dataclass
class Article:
    """One article as read from its file: the text exactly as decoded, plus what the file said about it.

    ``origin`` names where it came from (file path, and position inside the file for multi-article files);
    ``id`` is stable across builds: from the url where there is one, else from file and position.
    """

    origin: str
    body: str
    title: str | None = None
    title_derived: bool = False
    published: str | None = None
    published_raw: str | None = None
    url: str | None = None
    source: str | None = None
    category: str | None = None
    author: str | None = None
    encoding: str | None = None
    position: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    id: str = ""
    input_file: str = ""  # the input file of the build that held it (a ZIP, for its members); set by the build

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id(self.url, self.origin, self.position)

    def relocate(self, origin: str) -> None:
        """Name the article's origin anew (relative to the build's input folder); its id follows."""
        self.origin = origin
        self.id = article_id(self.url, origin, self.position)

    @property
    def content_hash(self) -> str:
        """SHA-1 of the body as decoded."""
        return hashlib.sha1(self.body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Skipped:
    """A file (or a record inside a file) that could not be read, and why."""

    path: str
    reason: str
