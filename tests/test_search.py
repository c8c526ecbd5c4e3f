"""Search through Datasette: every variant pair finds the same articles on `_search` (JSON and HTML) and on the
`search` canned query; the box shows what was typed; malformed queries never fail."""

from __future__ import annotations

import json
import re

import pytest

from conftest import datasette_for

PAIRS = [("أمريكا", "امريكا"), ("مدينة", "مدينه"), ("الرَّئيسُ", "الرئيس"), ("ســوريا", "سوريا"), ("٢٠١٦", "2016")]
MALFORMED = ['"unbalanced', '"', "*", "-", ":", "(", ")", "NEAR(", "NEAR(سوريا", "title:", "OR", "NOT", "AND",
             "- -", "**سوريا", "سوريا)", "'", "\\", "^", "{title}: سوريا", "x" * 2000,
             "".join(chr(c) for c in range(33, 2033))]


@pytest.fixture(scope="module")
def ds(variants_archive):
    return datasette_for(variants_archive)


async def table_ids(ds, query: str) -> set[str]:
    response = await ds.client.get("/archive/articles.json", params={"_search": query, "_shape": "array",
                                                                     "_size": "max"})
    assert response.status_code == 200, response.text
    return {row["id"] for row in response.json()}


async def canned_ids(ds, query: str) -> set[str]:
    response = await ds.client.get("/archive/search.json", params={"q": query, "_shape": "array"})
    assert response.status_code == 200, response.text
    return {row["id"] for row in response.json()}


@pytest.mark.asyncio
@pytest.mark.parametrize("typed, plain", PAIRS)
async def test_variant_pairs_find_the_same_articles(ds, typed, plain):
    found = await table_ids(ds, typed)
    assert found, typed
    assert found == await table_ids(ds, plain)
    assert await canned_ids(ds, typed) == found == await canned_ids(ds, plain)


@pytest.mark.asyncio
async def test_html_search_page_shows_results_and_what_was_typed(ds):
    response = await ds.client.get("/archive/articles", params={"_search": "الرَّئيسُ"})
    assert response.status_code == 200
    html = response.text
    assert 'value="الرَّئيسُ"' in html  # the box keeps the user's text, not the normalized form
    assert "2 rows where search matches" in html and "ستستأنف" in html


@pytest.mark.asyncio
async def test_canned_query_ranks_title_above_body_and_highlights_original_text(ds):
    response = await ds.client.get("/archive/search.json", params={"q": "أمريكا", "_shape": "array"})
    rows = response.json()
    assert rows[0]["title"] == "زيارة إلى أمريكا"

    def marked(row):  # plain text, with the matched ranges given beside it
        return [row["snippet"][a:b] for a, b in json.loads(row["highlights"])]

    assert "<" not in rows[0]["snippet"] and marked(rows[0]) == ["امريكا"]
    sample = await ds.client.get("/archive/search.json", params={"q": "سوريا", "_shape": "array"})
    assert "ســوريا" in [word for row in sample.json() for word in marked(row)]  # the original spelling, tatweel and all
    html = (await ds.client.get("/archive/search", params={"q": "سوريا"})).text
    assert "<mark>ســوريا</mark>" in html and "/archive/-/article/" in html


@pytest.mark.asyncio
async def test_canned_query_snippet_is_html_escaped(tmp_path):
    import json

    from arshif.build import build

    (tmp_path / "a.json").write_text(json.dumps([{"title": "<b>عنوان</b>", "content": "سوريا <script>alert(1)</script> & حلب"}],
                                                ensure_ascii=False), "utf-8")
    build([tmp_path / "a.json"], tmp_path / "archive.db", ner="none")
    ds = datasette_for(tmp_path / "archive.db")
    rows = (await ds.client.get("/archive/search.json", params={"q": "سوريا", "_shape": "array"})).json()
    assert rows[0]["snippet"] == "سوريا <script>alert(1)</script> & حلب" and rows[0]["highlights"] == "[[0, 5]]"
    page = (await ds.client.get("/archive/search", params={"q": "سوريا"})).text
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


@pytest.mark.asyncio
@pytest.mark.parametrize("query", MALFORMED)
async def test_malformed_queries_never_fail(ds, query):
    for url, params in [("/archive/articles.json", {"_search": query}), ("/archive/articles", {"_search": query}),
                        ("/archive/search.json", {"q": query}), ("/archive/search", {"q": query})]:
        response = await ds.client.get(url, params=params)
        assert response.status_code == 200, (url, query, response.text[:300])
        assert not re.search(r"fts5|syntax error|no such column|SQL error", response.text, re.I), (url, query)


@pytest.mark.asyncio
async def test_empty_search_lists_all_articles(ds):
    assert len(await table_ids(ds, "")) == 6


@pytest.mark.asyncio
@pytest.mark.parametrize("query", ['"وزير الخارجية"', "حلب OR امريكا", "سوريا -حلب", "سوريا NOT حلب", "title:أمريكا",
                                   "مفاوض*", "الرئيس سوريا", "title:زيارة OR title:ميزانية"])
async def test_query_language_behaves_the_same_in_table_search_and_canned_query(ds, query):
    found = await table_ids(ds, query)
    assert found, query
    assert await canned_ids(ds, query) == found
