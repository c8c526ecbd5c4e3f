"""Decoding the bytes of a text file: byte-order marks, UTF-8 (also slightly damaged), Windows-1256 or
ISO-8859-6 Arabic, charset-normalizer for other legacy text; binary data is reported, never guessed at.

Shared by the plain text, tagged, tabular and HTML readers (so none of them imports another).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..model import Skipped

BINARY_CONTROL_BYTES = bytes([*range(1, 9), 11, 12, *range(14, 27), *range(28, 32)])
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Legacy encodings tried for Arabic text that is not UTF-8, most likely first.
LEGACY_ARABIC = ("cp1256", "iso-8859-6")
ARABIC_SHARE = 0.5  # share of Arabic letters among non-ASCII characters for a legacy decoding to count as Arabic
UTF8_DAMAGE_RATIO = 10  # a file is damaged UTF-8 (not a legacy encoding) when valid multi-byte characters outnumber
# invalid bytes by this factor

_SIGNATURES = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel file)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
)
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le", "utf-16"),
    (b"\xfe\xff", "utf-16-be", "utf-16"),
)


@dataclass
class Decoded:
    """A file's text, the encoding it was read in, and what had to be repaired (kept in ``Article.extra``)."""

    text: str
    encoding: str
    notes: dict[str, Any] = field(default_factory=dict)


def decode_bytes(name: str, data: bytes) -> Decoded | Skipped:
    """Detect the encoding of a text file and decode it; a file that is not text is reported, never guessed at.

    Order: byte-order mark (UTF-8, UTF-16, UTF-32); binary signatures and NUL bytes; UTF-8; UTF-8 with a few invalid
    bytes (replaced by U+FFFD and counted in ``notes``); Windows-1256 or ISO-8859-6, whichever gives Arabic letters
    (ISO-8859-6 leaves bytes undefined that Windows-1256 Arabic uses, and Windows-1256 turns ISO-8859-6 Arabic into
    Latin letters with accents); for non-Arabic legacy text, charset-normalizer.
    """
    if not data:
        return Skipped(name, "empty file (0 bytes)")
    for bom, encoding, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as error:
                return Skipped(name, f"starts with a {encoding.upper()} byte-order mark but is not valid "
                                     f"{encoding.upper()} (bad bytes at offset {error.start})")
            return _clean(name, Decoded(text.lstrip("\ufeff"), encoding))
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return Skipped(name, f"not a text file: this is {kind}")
    sample = data[:8192]
    nuls = sample.count(0)
    if nuls > max(4, len(sample) // 200):
        return Skipped(name, "not a text file: binary data (many NUL bytes); if it is UTF-16 text, "
                             "save it with a byte-order mark")
    controls = sum(sample.count(byte) for byte in BINARY_CONTROL_BYTES)
    if controls > max(8, len(sample) // 50):
        return Skipped(name, "not a text file: binary data (control bytes that text does not contain)")
    try:
        return _clean(name, Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as error:
        first_invalid = error.start
    repaired = data.decode("utf-8", errors="replace")
    invalid = repaired.count("\ufffd")
    valid_multibyte = len(repaired) - len(repaired.encode("ascii", "ignore")) - invalid
    if valid_multibyte >= UTF8_DAMAGE_RATIO * invalid:
        notes = {"invalid_utf8": {"replaced": invalid, "first_byte_offset": first_invalid}}
        return _clean(name, Decoded(repaired, "utf-8", notes))
    return _clean(name, _decode_legacy(name, data))


ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
NON_ASCII_VISIBLE = re.compile(r"[^\x00-\x7f\s]")
VISIBLE = re.compile(r"\S")


def _arabic_share(text: str) -> float:
    """Share of Arabic letters among the visible non-ASCII characters."""
    non_ascii = len(NON_ASCII_VISIBLE.findall(text))
    return len(ARABIC_LETTER.findall(text)) / non_ascii if non_ascii else 0.0


def _decode_legacy(name: str, data: bytes) -> Decoded | Skipped:
    best: tuple[float, str, str] | None = None
    for encoding in LEGACY_ARABIC:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        share = _arabic_share(text[:16384])
        if best is None or share > best[0]:
            best = (share, encoding, text)
    if best is not None and best[0] >= ARABIC_SHARE:
        return Decoded(best[2], best[1])
    fallback = data.decode(LEGACY_ARABIC[0])
    if not any(ord(char) > 127 and char.isalpha() for char in fallback):
        # no letters outside ASCII (only a no-break space or curly quotes): Windows-1256 reads it as well as any
        return Decoded(fallback, LEGACY_ARABIC[0])
    import charset_normalizer

    match = charset_normalizer.from_bytes(data).best()
    if match is not None:
        return Decoded(str(match), match.encoding.replace("_", "-"), {"encoding_guessed_by": "charset-normalizer"})
    return Skipped(name, "cannot tell the text encoding: not UTF-8, not Arabic in Windows-1256 or ISO-8859-6, "
                         "and no other encoding fits")


def _clean(name: str, decoded: Decoded | Skipped) -> Decoded | Skipped:
    """Report binary data; drop stray control characters (counted in ``notes``)."""
    if isinstance(decoded, Skipped):
        return decoded
    controls = len(_CONTROL.findall(decoded.text[:8192]))
    if controls > max(8, len(decoded.text[:8192]) // 100):
        return Skipped(name, "not a text file: binary data (many control characters)")
    decoded.text = decoded.text.rstrip("\x00")  # NUL padding at the end of the file is not text
    removed = len(_CONTROL.findall(decoded.text))
    if removed:
        decoded.text = _CONTROL.sub("", decoded.text)
        decoded.notes["control_characters_removed"] = removed
    return decoded
