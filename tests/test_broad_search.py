"""A table search that most articles match reads its page in index order (``+rowid in (...)``: no lookup and sort
of every match), chosen from the archive's vocabulary; its rows, count and facets are those of the plain plan."""

from __future__ import annotations

import pytest

from urllib.parse import quote

from datasette.database import Database
from datasette.plugins import pm

from web_archive import archive, ds  # noqa: F401  (fixtures)

BROAD = "تونس"  # in four of the six articles
NARROW = "الجزائر"  # in one


def search_plugin():
    return next(plugin for plugin in pm.get_plugins() if getattr(plugin, "BROAD_SHARE", None) is not None)


def answer(ds, monkeypatch, word: str):
    original = Database.execute
    statements: list[str] = []

    async def execute(self, sql, *args, **kwargs):
        statements.append(sql)
        return await original(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", execute)
    try:
        data = ds.get(f"/archive/articles.json?_search={quote(word)}&_nosuggest=1&_facet=source_id&_size=2"
                      "&_shape=objects").json()
    finally:
        monkeypatch.setattr(Database, "execute", original)
    pages = [data["rows"]]
    next_url = data.get("next_url")
    while next_url:
        more = ds.get("/" + next_url.split("://", 1)[-1].split("/", 1)[-1]).json()
        pages.append(more["rows"])
        next_url = more.get("next_url")
    return data, pages, statements


def test_a_broad_search_pages_in_index_order_with_the_same_answer(ds, monkeypatch):
    data, pages, statements = answer(ds, monkeypatch, BROAD)
    assert any("+rowid in (select rowid from [articles_fts]" in sql for sql in statements)
    monkeypatch.setattr(search_plugin(), "BROAD_SHARE", float("inf"))  # never broad: the plain plan
    monkeypatch.setattr(search_plugin(), "BROAD_ROOT", float("inf"))
    plain, plain_pages, plain_statements = answer(ds, monkeypatch, BROAD)
    assert not any("+rowid in (select rowid from [articles_fts]" in sql for sql in plain_statements)
    assert pages == plain_pages and len(pages) > 1  # the same rows on every page, in the same order
    assert data["filtered_table_rows_count"] == plain["filtered_table_rows_count"] == 4
    assert data["facet_results"]["source_id"] == plain["facet_results"]["source_id"]


def test_a_narrow_search_looks_up_its_matches(ds, monkeypatch):
    monkeypatch.setattr(search_plugin(), "BROAD_SHARE", 0.5)  # one article in six is not half of them
    monkeypatch.setattr(search_plugin(), "BROAD_ROOT", float("inf"))
    data, _, statements = answer(ds, monkeypatch, NARROW)
    assert data["filtered_table_rows_count"] == 1
    assert not any("+rowid in (select rowid from [articles_fts]" in sql for sql in statements)



@pytest.mark.parametrize("articles, estimate, expected", [
    (100_000, 1_500, False), (100_000, 1_700, True),  # 5 × √100,000 = 1,581, below 2 % (2,000)
    (1_000_000, 6_000, True), (1_000_000, 4_000, False),  # a million: from 5,000 matches, not 20,000
    (1_000, 25, True), (1_000, 15, False),  # a small archive: the share (20) is fewer than 5 × √1,000 (158)
])
def test_a_search_is_broad_from_the_fewer_of_a_share_and_a_root_of_the_articles(monkeypatch, articles, estimate,
                                                                                 expected):
    import asyncio

    plugin = search_plugin()
    monkeypatch.setattr(plugin, "estimated_matches", lambda query, words: estimate)
    db = type("Db", (), {"_arshif_articles": articles})()
    assert asyncio.run(plugin.broad(db, "articles", None, None)) is expected


def test_the_estimate_counts_a_word_s_stem_when_that_matches_more():
    from arshif.query import Vocabulary, parse

    plugin = search_plugin()
    words = Vocabulary(lambda forms: {form: 8 for form in forms}, lambda stems: {stem: 5000 for stem in stems})
    query = parse("فعند")
    assert plugin.estimated_matches(query, words) >= 5000  # فعند is rare as written; its stem عند is not
    plain = Vocabulary(lambda forms: {form: 8 for form in forms})  # no stem counts: the forms as written
    assert plugin.estimated_matches(query, plain) < 5000
