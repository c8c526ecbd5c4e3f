"""Names that one entity writes two ways (a long vowel in or out: ترمب/ترامب, الأمريكية/الأميركية) are found by
either spelling: the build stores the pairs (``spellings``), and every search expands a word with them."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import titled_site

ARTICLES = [
    ("زيارة", "وصل الوفد إلى الولايات المتحدة الأمريكية أمس."),
    ("مؤتمر", "عقد المؤتمر في الولايات المتحدة الأميركية هذا العام."),
    ("اقتصاد", "ارتفعت الأسعار في الولايات المتحدة الأميركية."),
    ("بطولة", "فاز البطل بالمباراة."),
    ("أبطال", "احتفل الأبطال بالكأس."),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    client = titled_site(tmp_path_factory.mktemp("spellings"), ARTICLES, ner="gazetteer")
    yield client
    client.loop.close()


def titles(site, query: str, where: str = "page") -> set[str]:
    if where == "page":
        rows = site.get(f"/news/-/search.json?q={quote(query)}&size=100").json()["results"]
    elif where == "table":
        rows = site.get(f"/news/articles.json?_search={quote(query)}&_shape=array&_size=max").json()
    else:
        rows = site.get(f"/news/search.json?q={quote(query)}&_shape=array").json()
    return {row["title"] for row in rows}


def test_the_build_stores_both_ways_of_writing_a_name(site):
    import sqlite3

    rows = set(sqlite3.connect(site.path).execute("SELECT word, variant FROM spellings"))
    assert ("الامريكيه", "الاميركيه") in rows and ("الاميركيه", "الامريكيه") in rows


@pytest.mark.parametrize("where", ["page", "table", "canned"])
@pytest.mark.parametrize("query", ["الأمريكية", "الأميركية"])
def test_either_spelling_finds_both(site, query, where):
    assert titles(site, query, where) == {"زيارة", "مؤتمر", "اقتصاد"}


def test_the_other_spelling_is_highlighted(site):
    rows = site.get(f"/news/-/search.json?q={quote('الأميركية')}").json()["results"]
    row = next(row for row in rows if row["title"] == "زيارة")
    text, spans = row["snippet"]["text"], row["snippet"]["highlights"]
    assert [text[a:b] for a, b in spans] == ["الأمريكية"]


def test_words_that_are_no_entity_s_spellings_stay_apart(site):
    assert titles(site, "البطل") == {"بطولة"}  # a vowel alone never widens a word (الأبطال is another word)
    assert titles(site, "الأبطال") == {"أبطال"}
