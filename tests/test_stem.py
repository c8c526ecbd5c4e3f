"""The light stemmer: clitics come off where they are clitics, and stay where they are the word's own letters."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from arshif.text.normalize import normalize
from arshif.text.stem import stem, strip_proclitics

FIXTURE = Path(__file__).parent / "fixtures" / "stem_pairs.tsv"


def _rows(kind: str) -> list[list[str]]:
    rows = []
    for line in FIXTURE.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            label, words = line.split("\t")
            if label == kind:
                rows.append([normalize(w) for w in words.split()])
    return rows


MATCH = _rows("match")
KEEP = [row[0] for row in _rows("keep")]


def test_tables_are_large_enough():
    assert len(MATCH) >= 50
    assert len(KEEP) >= 50


@pytest.mark.parametrize("group", MATCH, ids=lambda g: g[0])
def test_group_shares_a_stem(group):
    stems = {word: stem(word) for word in group}
    assert len(set(stems.values())) == 1, stems


@pytest.mark.parametrize("word", KEEP)
def test_first_letter_is_kept(word):
    result = stem(word)
    assert result[0] == word[0], result
    assert strip_proclitics(word) == ("", word)
    assert result != stem(word[1:])
    assert result != stem(word[2:])


@pytest.mark.parametrize(
    "word, expected",
    [
        ("وبالمفاوضات", ("وبال", "مفاوضات")),
        ("للمدنيين", ("لل", "مدنيين")),
        ("وسوريا", ("و", "سوريا")),
        ("ولسوريا", ("ول", "سوريا")),
        ("وسيتم", ("وس", "يتم")),
        ("للبنان", ("ل", "لبنان")),
        ("وزير", ("", "وزير")),
        ("والذي", ("و", "الذي")),
    ],
)
def test_strip_proclitics(word, expected):
    assert strip_proclitics(normalize(word)) == expected


def test_suffixes_guarded_on_names():
    for name in ("لبنان", "ايران", "فلسطين", "سلمان", "رمضان"):
        assert stem(name) == name


def test_non_arabic_and_short_tokens_pass_through():
    for token in ("2016", "kerry", "في", "من", ""):
        assert stem(token) == token


def test_pure_and_fast():
    words = [w for group in MATCH for w in group] + KEEP
    assert [stem(w) for w in words] == [stem(w) for w in words]
    start = time.perf_counter()
    calls = 0
    while calls < 200_000:
        for w in words:
            stem(w)
        calls += len(words)
    rate = calls / (time.perf_counter() - start)
    assert rate > 300_000, rate
