"""The query language, compiled to FTS5: words, phrases, OR, exclusion, prefixes, title:, and graceful failure."""

from __future__ import annotations

import sqlite3

import pytest

from arshif.query import compile_query, parse
from arshif.text.analyze import analyze

DOCS = {
    1: ("اتفاق في سوريا", "بحث الوزيران والمفاوضات في سوريا ومدينة حلب."),
    2: ("أخبار لبنان", "زار الوفد بيروت وبحث المفاوضات مع الحكومة."),
    3: ("مباراة", "فاز الفريق في حلب بهدفين."),
    4: ("الاقتصاد", "ارتفعت أسعار النفط عام ٢٠١٦ في سوريا."),
    5: ("Reuters", "BBC reported from Damascus; وكالة رويترز نقلت الخبر."),
}


@pytest.fixture(scope="module")
def conn():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, title_stems, body_stems,"
                 " tokenize = 'unicode61 remove_diacritics 0')")
    for rowid, (title, body) in DOCS.items():
        t, b = analyze(title), analyze(body)
        conn.execute("INSERT INTO articles_fts (rowid, title, body, title_stems, body_stems) VALUES (?, ?, ?, ?, ?)",
                     (rowid, t.surface, b.surface, t.stems, b.stems))
    return conn


def search(conn, query: str) -> set[int]:
    expression = compile_query(query)
    if expression is None:
        return set()
    return {row[0] for row in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?", (expression,))}


@pytest.mark.parametrize("query, expected", [
    ("سوريا", {1, 4}),
    ("سوريا حلب", {1}),  # all words must match
    ("حلب OR بيروت", {1, 2, 3}),
    ("حلب -سوريا", {3}),
    ("حلب NOT سوريا", {3}),
    ('"المفاوضات مع"', {2}),
    ('"مع المفاوضات"', set()),
    ("مفاوض*", {1, 2}),
    ("title:سوريا", {1}),
    ("title:لبنان", {2}),
    ("2016", {4}),
    ("٢٠١٦", {4}),
    ("bbc", {5}),
    ("BBC damascus", {5}),
    ("رويترز", {5}),
    ("مفاوضات", {1, 2}),  # stem matches والمفاوضات and المفاوضات
])
def test_language(conn, query, expected):
    assert search(conn, query) == expected


def test_exact_form_ranks_above_stem_only_match(conn):
    conn.execute("INSERT INTO articles_fts (rowid, title, body, title_stems, body_stems) VALUES (?, ?, ?, ?, ?)",
                 (10, "", analyze("والمفاوضات").surface, "", analyze("والمفاوضات").stems))
    conn.execute("INSERT INTO articles_fts (rowid, title, body, title_stems, body_stems) VALUES (?, ?, ?, ?, ?)",
                 (11, "", analyze("مفاوضات").surface, "", analyze("مفاوضات").stems))
    ranked = [row[0] for row in conn.execute(
        "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid IN (10, 11)"
        " ORDER BY bm25(articles_fts, 8.0, 1.0, 4.0, 0.5)", (compile_query("مفاوضات"),))]
    assert ranked == [11, 10]


@pytest.mark.parametrize("query", ['"', '"سوريا', "(", ")", "*", "-", ":", "NEAR(", "OR", "NOT", "AND OR NOT",
                                   "title:", "سوريا OR", "OR سوريا", "- سوريا", "{a}", "^سوريا", "سوريا:", "x" * 3000,
                                   "".join(chr(c) for c in range(32, 3000))])
def test_malformed_input_always_compiles_to_valid_fts(conn, query):
    search(conn, query)  # must not raise


def test_only_exclusions_degrade_to_plain_words(conn):
    assert search(conn, "-حلب") == {1, 3}


def test_unbalanced_quote_reads_rest_as_phrase(conn):
    assert search(conn, '"المفاوضات مع') == {2}


def test_punctuation_only_means_nothing_to_search():
    assert compile_query("؟!،") is None
    assert parse("").groups == []
