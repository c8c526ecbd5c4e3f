"""Plain text files: the native format and what archives hold.

The native format is UTF-8, one paragraph per line, an optional sign-off line naming the source, and an optional
sidecar ``NAME.json`` (title, published, url, source, category, author) that overrides what was inferred.

Archives also hold text in legacy encodings (Windows-1256, ISO-8859-6), UTF-16, CRLF line ends, a headline on the
first line and a dateline near the top; ``readers.decode.decode_bytes`` detects the encoding (recorded in ``Article.encoding``) and
``read`` takes the headline and dateline out of the body. A file whose text starts with ``<DOC>`` is TREC-style tagged
text and goes to the tagged reader.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterator

from ..dates import has_month_name, names, parse_date, search_date
from ..text.normalize import normalize
from ..model import Article, Skipped
from . import tagged
from .base import InputFile, Record
from .decode import ARABIC_LETTER, VISIBLE, decode_bytes
from .fields import DATE_FIELDS, article_from_fields

MAX_TEXT_BYTES = 20_000_000  # a plain text file is one article; a larger one is a dump, not an article
SIGN_OFF_MAX_WORDS = 4
SIGN_OFF_MAX_CHARS = 40
_SENTENCE_PUNCTUATION = re.compile(r"[.!?؟،,;؛:\"«»()\[\]]")

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

LOST_SHARE = 0.15  # more '?' than this share of visible characters (and more than Arabic letters): text destroyed


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
            and lost > LOST_SHARE * len(VISIBLE.findall(text)) and lost > len(ARABIC_LETTER.findall(text))):
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
