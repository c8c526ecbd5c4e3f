"""Plain text files: the native format and what archives hold.

The native format is UTF-8, one paragraph per line, an optional sign-off line naming the source, and an optional
sidecar ``NAME.json`` (title, published, url, source, category, author) that overrides what was inferred.

Archives also hold text in legacy encodings (Windows-1256, ISO-8859-6), UTF-16, CRLF line ends, a headline on the
first line and a dateline near the top; ``decode_bytes`` detects the encoding (recorded in ``Article.encoding``) and
``read`` takes the headline and dateline out of the body. A file whose text starts with ``<DOC>`` is TREC-style tagged
text and goes to the tagged reader.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from ..dates import has_month_name, names, parse_date, search_date
from ..text.normalize import normalize
from ..model import Article, Skipped
from . import InputFile, Record
from .fields import DATE_FIELDS, article_from_fields

BINARY_CONTROL_BYTES = bytes([*range(1, 9), 11, 12, *range(14, 27), *range(28, 32)])
MAX_TEXT_BYTES = 20_000_000  # a plain text file is one article; a larger one is a dump, not an article
SIGN_OFF_MAX_WORDS = 4
SIGN_OFF_MAX_CHARS = 40
_SENTENCE_PUNCTUATION = re.compile(r"[.!?؟،,;؛:\"«»()\[\]]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# A headline: the first non-empty line, when it is short and does not read as a sentence.
HEADLINE_MAX_WORDS = 20
HEADLINE_MAX_CHARS = 160
QUESTION_HEADLINE_MAX_WORDS = 12  # a short line ending with ? or ! is still a headline ("ماذا بعد ...؟")
# a full stop ends a sentence ("..", "…" are ellipses, common in headlines)
_FULL_STOP = re.compile(r"(?<!\.)\.\s*$|(?<!\.)\.\s+\S|[!?؟]\s+\S")
_QUESTION_END = re.compile(r"[!?؟]\s*$")
# A dateline: a short line near the top that holds a date (month name and year, or a numeric date).
HEAD_LINES = 4
DATELINE_MAX_WORDS = 12
DATELINE_OTHER_WORDS = 3
_DATE_FILLERS = ("يوم", "في", "الساعه", "الموافق", "م", "ه", "هـ", "صباحا", "مساء", "ص", "am", "pm", "بتوقيت",
                 "اخر", "تحديث", "نشر", "بتاريخ", "تاريخ", "للصفحه")
_NUMERIC_DATE = re.compile(r"(?<!\d)(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})(?!\d)")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# Legacy encodings tried for Arabic text that is not UTF-8, most likely first.
LEGACY_ARABIC = ("cp1256", "iso-8859-6")
ARABIC_SHARE = 0.5  # share of Arabic letters among non-ASCII characters for a legacy decoding to count as Arabic
LOST_SHARE = 0.15  # more '?' than this share of visible characters (and more than Arabic letters): text destroyed
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


_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_NON_ASCII_VISIBLE = re.compile(r"[^\x00-\x7f\s]")
_VISIBLE = re.compile(r"\S")


def _arabic_share(text: str) -> float:
    """Share of Arabic letters among the visible non-ASCII characters."""
    non_ascii = len(_NON_ASCII_VISIBLE.findall(text))
    return len(_ARABIC_LETTER.findall(text)) / non_ascii if non_ascii else 0.0


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


def decode(file: InputFile) -> str | Skipped:
    """The file's text in whatever encoding was detected (see ``decode_bytes``)."""
    decoded = decode_bytes(file.name, file.data)
    return decoded if isinstance(decoded, Skipped) else decoded.text


def split_sign_off(text: str) -> tuple[str, str | None]:
    """Split a trailing sign-off line (a few words, no sentence punctuation, e.g. ``سيريانيوز``) from the body."""
    lines = text.rstrip().split("\n")
    if len(lines) < 2:
        return text.strip(), None
    last = lines[-1].strip()
    if (
        last
        and len(last.split()) <= SIGN_OFF_MAX_WORDS
        and len(last) <= SIGN_OFF_MAX_CHARS
        and not _SENTENCE_PUNCTUATION.search(last)
        and not last.isdigit()
    ):
        return "\n".join(lines[:-1]).strip(), last
    return text.strip(), None


def empty_reason(text: str) -> str | None:
    """Why a decoded text holds no article (empty, whitespace, only marks or punctuation), or None."""
    if not text:
        return "empty file (no text)"
    if not text.strip():
        return "empty file (only whitespace)"
    if not any(char.isalnum() for char in text):
        marks = sum(1 for char in text if unicodedata.category(char).startswith("M"))
        if marks:
            return "no text: the file holds only diacritics (tashkeel) and no letters"
        return "no text: the file holds only punctuation or symbols, no letters or digits"
    lost = text.count("?")
    if (lost > LOST_SHARE * len(text) / 2  # cheap test first: visible characters are at least half the text
            and lost > LOST_SHARE * len(_VISIBLE.findall(text)) and lost > len(_ARABIC_LETTER.findall(text))):
        return ("text lost in an earlier conversion: most letters were replaced by question marks ('?'), "
                "nothing readable is left")
    return None


def is_headline(line: str) -> bool:
    """A line that reads as a headline: short, with letters, and not a sentence."""
    line = line.strip()
    return (
        bool(line)
        and len(line.split()) <= HEADLINE_MAX_WORDS
        and len(line) <= HEADLINE_MAX_CHARS
        and not _FULL_STOP.search(line)
        and not (_QUESTION_END.search(line) and len(line.split()) > QUESTION_HEADLINE_MAX_WORDS)
        and any(char.isalpha() for char in line)
    )


def is_dateline(line: str) -> bool:
    """A short line that is mostly a date: a month name and a year, or a numeric date, with at most
    ``DATELINE_OTHER_WORDS`` other words (a place, a newspaper name, "آخر تحديث")."""
    line = line.strip()
    if not line or len(line.split()) > DATELINE_MAX_WORDS:
        return False
    if not (has_month_name(line) or _NUMERIC_DATE.search(line.translate(_DIGITS))):
        return False
    return len(date_words(line)) <= DATELINE_OTHER_WORDS


@lru_cache(maxsize=1)
def _date_vocabulary() -> re.Pattern[str]:
    table = names()
    vocabulary = {*table["gregorian"], *table["hijri"], *table["weekday"], *(normalize(word) for word in _DATE_FILLERS)}
    words = "|".join(re.escape(word) for word in sorted(vocabulary, key=len, reverse=True))
    return re.compile(rf"(?<![^\W\d_])(?:{words})(?![^\W\d_])")


def date_words(line: str) -> list[str]:
    """The words of a line that are not part of how dates and times are written."""
    folded = _date_vocabulary().sub(" ", " ".join(normalize(line.translate(_DIGITS)).split()))
    return [word for word in re.split(r"[\s,،/()\-:.]+", folded) if word and not word.isdigit()]


def dateline_date(line: str) -> str | None:
    """The date of a dateline, when it reads cleanly: a single month-name date, or a numeric date alone."""
    found = search_date(line)
    if found:
        return found
    numeric = [
        found for found in _NUMERIC_DATE.findall(line.translate(_DIGITS)) if 1900 <= int(re.findall(r"\d{4}", found)[0]) < 2100
    ]  # a numeric Hijri date beside it (7-7-1433 هـ) is left aside
    if len(numeric) == 1 and not has_month_name(line):
        parts = [int(part) for part in re.split(r"[/.-]", numeric[0])]
        if len(parts[0:1]) and parts[0] < 1000 and parts[0] <= 12 and parts[0] != parts[1]:
            return None  # 05/06/2012: day-month or month-day? Not guessed.
        return parse_date(numeric[0])
    return None


@dataclass
class Head:
    """What the first lines of a plain text said: headline, kicker above it, dateline, and the body without them."""

    body: str
    title: str | None = None
    kicker: str | None = None
    dateline: str | None = None
    published: str | None = None


def split_head(body: str) -> Head:
    """Take the headline and dateline out of the first lines of a plain text.

    Datelines among the first ``HEAD_LINES`` non-empty lines are taken out; the first remaining line is the headline
    when it is short, not a sentence, and text follows it. A one-word line or a line ending with a colon above another
    headline-like line is a kicker (a newspaper name, a topic), and the line below it is the headline.
    """
    lines = body.split("\n")
    filled = [index for index, line in enumerate(lines) if line.strip()][:HEAD_LINES]
    datelines = [index for index in filled if is_dateline(lines[index])]
    rest = [index for index in filled if index not in datelines]
    head = Head(body)
    drop: set[int] = set(datelines)
    if datelines:
        head.dateline = " ".join(lines[datelines[0]].split())
        for index in datelines:
            head.published = dateline_date(lines[index])
            if head.published:
                head.dateline = " ".join(lines[index].split())
                break

    def text_after(index: int) -> bool:
        return any(line.strip() for number, line in enumerate(lines) if number > index and number not in drop)

    if rest and is_headline(lines[rest[0]]):
        first = lines[rest[0]].strip()
        if (
            (first.endswith((":", "：")) or len(first.split()) == 1)
            and len(rest) > 1
            and is_headline(lines[rest[1]])
            and text_after(rest[1])
        ):
            head.kicker, head.title = first, lines[rest[1]].strip()
            drop |= {rest[0], rest[1]}
        elif text_after(rest[0]):
            head.title = first
            drop.add(rest[0])
    moved = drop - set(datelines)  # headline and kicker move to their fields; a dateline stays in the text
    if moved:
        head.body = "\n".join(line for number, line in enumerate(lines) if number not in moved).strip()
    if not head.body:  # nothing but head lines: keep the text as the body
        return Head(body)
    return head


def _looks_tagged(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:5].upper() == "<DOC>"


def read(file: InputFile) -> Iterator[Record]:
    """Yield the article of a plain text file (or hand TREC-style tagged text to the tagged reader)."""
    if len(file.data) > MAX_TEXT_BYTES and not _looks_tagged(file.data[:64].decode("latin-1")):
        yield Skipped(file.name, f"file too large for one article: {len(file.data) / 1e6:.1f} MB"
                                 f" (the limit is {MAX_TEXT_BYTES // 1_000_000} MB; split it into articles)")
        return
    decoded = decode_bytes(file.name, file.data)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    if _looks_tagged(text):
        from . import tagged

        yield from tagged.read_text(file.name, text, decoded.encoding, decoded.notes)
        return
    reason = empty_reason(text)
    if reason:
        yield Skipped(file.name, reason)
        return
    body, sign_off = split_sign_off(text)
    head = split_head(body)
    fields: dict = {"body": head.body, "source": sign_off}
    if head.title:
        fields["title"] = head.title
    if head.kicker:
        fields["kicker"] = head.kicker
    sidecar: Any = {}
    if file.sidecar is not None:
        try:
            sidecar = json.loads(file.sidecar.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            yield Skipped(file.name, f"sidecar JSON is broken ({error}); the article was read without it")
            sidecar = {}
        if isinstance(sidecar, dict):
            fields.update({key: value for key, value in sidecar.items() if value not in (None, "")})
        else:
            sidecar = {}
    record = article_from_fields(fields, file.name, None, encoding=decoded.encoding)
    if isinstance(record, Article):
        record.extra.update(decoded.notes)
        if head.dateline and not any(sidecar.get(key) for key in DATE_FIELDS):
            record.published_raw, record.published = head.dateline, head.published
    yield record
