"""Publication dates to ISO 8601. A date that cannot be read is kept as written and flagged, never guessed.

Forms read: ISO 8601 with or without time and time zone (``2017-01-20T21:43:00+01:00``, ``2017-01-20T214300``),
``dd/mm/yyyy`` (also with ``.`` or ``-``, and an optional ``hh:mm[:ss]``), and dates written with Arabic month names —
Levantine (``كانون الثاني`` …), Egyptian (``يناير`` …), Maghrebi (``جانفي`` …), Moroccan (``غشت`` …) and Hijri
(``15 رمضان 1436 هـ``, converted with hijridate) — with an optional weekday, Arabic-Indic digits, an optional time, and
the double form ``26 تموز/يوليو 2012``. The month and weekday names live in ``arshif/data/months.tsv``.

Whatever is ambiguous or inconsistent returns None: a month and a year without a day, two month names that disagree, a
weekday that does not match a Gregorian date, a Hijri year marker on a Gregorian month.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache
from importlib import resources

from .text.normalize import normalize

_ISO = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):?(\d{2})(?::?(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
_DMY = re.compile(r"^\s*(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

HIJRI_YEARS = (1300, 1500)


def _table_rows() -> list[tuple[str, int, str]]:
    text = resources.files("arshif").joinpath("data/months.tsv").read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, number, name, *_ = line.split("\t")
        rows.append((kind, int(number), _fold(name)))
    return rows


def _fold(text: str) -> str:
    """The matching form: normalized spelling, one space between words."""
    return " ".join(normalize(text).split())


@lru_cache(maxsize=1)
def names() -> dict[str, dict[str, int]]:
    """``{"gregorian": {name: month}, "hijri": {...}, "weekday": {name: weekday}}`` in matching form."""
    table: dict[str, dict[str, int]] = {"gregorian": {}, "hijri": {}, "weekday": {}}
    for kind, number, name in _table_rows():
        known = table[kind].get(name)
        if known is not None and known != number:
            raise ValueError(f"months.tsv: {name!r} is both {known} and {number}")
        table[kind][name] = number
    return table


def _alternatives(words) -> str:
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _named_pattern() -> re.Pattern[str]:
    table = names()
    months = _alternatives([*table["gregorian"], *table["hijri"]])
    weekdays = _alternatives(table["weekday"])
    return re.compile(
        rf"(?:(?:يوم\s+)?(?P<weekday>{weekdays})\s*[,،]?\s*)?"
        r"(?<!\d)(?P<day>\d{1,2})\s+"
        rf"(?P<month>{months})"
        rf"(?:\s*[/(-]\s*(?P<month2>{months})\s*\)?)?"
        r"\s*[,،]?\s+(?P<year>\d{4})(?!\d)"
        r"(?:\s*(?P<era>ه|هجريه|للهجره|م|ميلاديه)(?![^\W\d_]))?"
        r"(?:\s*[,،-]?\s*(?:الساعه\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    )


def parse_date(text: str | None) -> str | None:
    """The ISO 8601 form of a date as news sources write it, or None when it cannot be read with certainty."""
    if not text or not text.strip():
        return None
    text = text.translate(_DIGITS)
    match = _ISO.match(text)
    if match:
        return _iso(*match.groups())
    match = _DMY.match(text)
    if match:
        day, _, month, year, hour, minute, second = match.groups()
        return _stamp(int(year), int(month), int(day), hour, minute, second)
    folded = _fold(text).rstrip(" .")
    if "الموافق" in folded:  # "15 رمضان 1436 هـ الموافق 2 يوليو 2015 م": the Gregorian side, if it reads cleanly
        sides = [parse_date(side) for side in re.split(r"\s*[,،-]?\s*الموافق\s*ل?\s*", folded) if side.strip()]
        readable = [side for side in sides if side]
        return readable[-1] if len(readable) == len(sides) and readable else None
    match = _named_pattern().fullmatch(folded)
    return _from_named(match) if match else None


def search_date(text: str) -> str | None:
    """The date written somewhere inside ``text`` (a dateline such as ``تونس في يوم الإثنين 16 جويلية 2012``), when
    exactly one date with a month name is there and it reads cleanly; else None."""
    folded = _fold(text.translate(_DIGITS))
    found = {_from_named(match) for match in _named_pattern().finditer(folded)}
    if len(found) == 1:
        return found.pop()
    return None


def has_month_name(text: str) -> bool:
    """Whether ``text`` names a month (of either calendar) followed by a year: a dateline, even one without a day."""
    return _month_year_pattern().search(_fold(text.translate(_DIGITS))) is not None


@lru_cache(maxsize=1)
def _month_year_pattern() -> re.Pattern[str]:
    table = names()
    months = _alternatives([*table["gregorian"], *table["hijri"]])
    return re.compile(rf"(?<![^\W\d_])(?:{months})\s*[,،]?\s+\d{{4}}(?!\d)")


def _from_named(match: re.Match[str]) -> str | None:
    table = names()
    month_name = " ".join(match["month"].split())
    day, year = int(match["day"]), int(match["year"])
    hijri = month_name in table["hijri"]
    month = table["hijri" if hijri else "gregorian"][month_name]
    if match["month2"]:
        second = " ".join(match["month2"].split())
        if (second in table["hijri"]) != hijri or table["hijri" if hijri else "gregorian"][second] != month:
            return None
    era = match["era"]
    if era is not None and (era.startswith("م") == hijri):
        return None
    if hijri:
        if not HIJRI_YEARS[0] <= year <= HIJRI_YEARS[1]:
            return None
        try:
            from hijridate import Hijri

            gregorian = Hijri(year, month, day, validate=True).to_gregorian()
        except (ValueError, OverflowError):
            return None
        year, month, day = gregorian.year, gregorian.month, gregorian.day
        # A weekday beside a Hijri date is not checked: local month sighting can differ from the Umm al-Qura table by a day.
    elif match["weekday"]:
        if not _valid(year, month, day):
            return None
        weekday = table["weekday"][" ".join(match["weekday"].split())]
        if date(year, month, day).weekday() != weekday:
            return None
    return _stamp(year, month, day, match["hour"], match["minute"], match["second"])


def _iso(year, month, day, hour, minute, second, zone) -> str | None:
    stamp = _stamp(int(year), int(month), int(day), hour, minute, second)
    if stamp and zone:
        stamp += "Z" if zone == "Z" else (zone if ":" in zone else f"{zone[:3]}:{zone[3:]}")
    return stamp


def _stamp(year: int, month: int, day: int, hour, minute, second) -> str | None:
    if not _valid(year, month, day):
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    if hour is None:
        return iso
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        return None
    return f"{iso}T{int(hour):02d}:{int(minute):02d}:{int(second or 0):02d}"


def _valid(year: int, month: int, day: int) -> bool:
    try:
        datetime(year, month, day)
    except ValueError:
        return False
    return 1000 <= year <= 2999
