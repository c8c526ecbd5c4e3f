"""HTML pages of news articles (``.html``, ``.htm``): main text, headline and date extracted with trafilatura,
offline (nothing is fetched). The page's encoding comes from a byte-order mark, its ``<meta charset>``, or detection as
for plain text; the date only from the page's own metadata (no guessing from the text or the URL)."""

from __future__ import annotations

import codecs
import re
from typing import Any, Iterator

from ..model import Article, Skipped
from .base import InputFile, Record
from .fields import article_from_fields
from .decode import Decoded, decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
MIN_WORDS = 5  # fewer words than this is a menu or a caption, not an article
_BOM_PREFIXES = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def decode_page(name: str, data: bytes) -> Decoded | Skipped:
    """The page's text: BOM first, then the declared ``<meta charset>`` when it decodes cleanly, then detection."""
    if not data.startswith(_BOM_PREFIXES):
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            label = declared.group(1).decode("ascii", "replace").lower()
            try:
                codec = codecs.lookup(label).name
            except LookupError:
                codec = None
            if codec is not None:
                try:
                    return Decoded(data.decode(codec), codec)
                except UnicodeDecodeError:
                    pass  # the declaration is wrong: detect instead (and say so)
                detected = decode_bytes(name, data)
                if isinstance(detected, Decoded):
                    detected.notes["declared_charset_wrong"] = label
                return detected
    return decode_bytes(name, data)


def _words(document: Any) -> int:
    return len((getattr(document, "text", None) or "").split()) if document is not None else 0


def _extract(page: str, url: str | None) -> dict[str, Any] | None:
    import trafilatura

    options = dict(
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"},
    )
    document = trafilatura.bare_extraction(page, **options)
    if _words(document) < MIN_WORDS:
        # a short article: try again favouring recall, but not to pick up a menu or a footer
        document = trafilatura.bare_extraction(page, favor_recall=True, **options)
    if _words(document) < MIN_WORDS:
        return None
    return document.as_dict() if hasattr(document, "as_dict") else dict(document)


def read(file: InputFile) -> Iterator[Record]:
    """Yield the article of one HTML page."""
    decoded = decode_page(file.name, file.data)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    if "<" not in decoded.text:
        yield Skipped(file.name, "not an HTML page: no markup found")
        return
    extracted = _extract(decoded.text, None)
    if not extracted or not (extracted.get("text") or "").strip():
        yield Skipped(file.name, f"no article text found in the HTML page (fewer than {MIN_WORDS} words of main text)")
        return
    body = extracted["text"].strip()
    title = (extracted.get("title") or "").strip()
    first, _, rest = body.partition("\n")
    if title and first.strip() == title and rest.strip():  # the page's <h1> repeated as the first paragraph
        body = rest.strip()
    fields: dict[str, Any] = {
        "body": body,
        "title": extracted.get("title"),
        "url": extracted.get("url"),
        "author": extracted.get("author"),
        "source": extracted.get("sitename"),
        "category": extracted.get("categories") or None,
        "date": extracted.get("date"),
    }
    if extracted.get("description"):
        fields["description"] = extracted["description"]
    if extracted.get("language"):
        fields["language"] = extracted["language"]
    if isinstance(fields["category"], list):
        fields["category"] = ", ".join(str(item) for item in fields["category"] if item) or None
    record = article_from_fields({key: value for key, value in fields.items() if value}, file.name, None,
                                 encoding=decoded.encoding)
    if isinstance(record, Article):
        record.extra.update(decoded.notes)
    yield record
